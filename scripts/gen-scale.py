#!/usr/bin/env python3
"""gen-scale.py SHAPE N - inputs whose cost must grow linearly with N.

Writes to stdout one of the shapes that once made wi-inject's time grow with the
square of the input (scripts/scale.sh times N against 4N):
  anchors  one ConfigMap whose data holds N anchors, then an alias to each, oldest
           first (so that a search from the latest definition back is the longest)
  check    N ServiceAccount + Deployment pairs, one per namespace, wired for the
           client id 11111111-2222-3333-4444-555555555555: what `--check` remembers
  list     one `kind: List` of N such pairs, already wired (as `kubectl get -o yaml`
           prints): every item's labels and annotations are looked up in one document
  cr-document
           one ConfigMap of N keys whose lines end in CR alone: the splitter looks at
           every line of a big document, and must find each break without searching
           the rest of the input for a "\n" that is not there
The same SHAPE and N always give the same bytes (Python 3 stdlib only).
"""

import sys

CLIENT_ID = "11111111-2222-3333-4444-555555555555"


def anchors(n, w):
    w("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: anchors\n  namespace: mxp-a-system\n")
    w("data:\n")
    for i in range(n):
        w("  k%d: &a%d value-%d\n" % (i, i, i))
    for i in range(n):
        w("  r%d: *a%d\n" % (i, i))


def service_account(indent, ns, w):
    p = " " * indent
    w(p + "apiVersion: v1\n" + p + "kind: ServiceAccount\n" + p + "metadata:\n")
    w(p + "  name: mxp-controller\n" + p + "  namespace: %s\n" % ns)
    w(p + "  annotations:\n" + p + "    azure.workload.identity/client-id: %s\n" % CLIENT_ID)


def deployment(indent, ns, w):
    p = " " * indent
    w(p + "apiVersion: apps/v1\n" + p + "kind: Deployment\n" + p + "metadata:\n")
    w(p + "  name: mxp-controller\n" + p + "  namespace: %s\n" % ns)
    w(p + "spec:\n" + p + "  replicas: 1\n")
    # Block style only: a document holding over 10,000 "{" or "[" is parsed twice
    # (src/depth.c), a step this input is not about.
    w(p + "  selector:\n" + p + "    matchLabels:\n" + p + "      app: mxp-controller\n")
    w(p + "  template:\n" + p + "    metadata:\n" + p + "      labels:\n")
    w(p + "        app: mxp-controller\n" + p + '        azure.workload.identity/use: "true"\n')
    w(p + "    spec:\n" + p + "      serviceAccountName: mxp-controller\n")
    w(p + "      containers:\n" + p + "      - name: controller\n")
    w(p + "        image: xpkg.upbound.io/upbound/mxp-controller:v1.9.0\n")


def check(n, w):
    for i in range(n):
        ns = "mxp-%d-system" % i
        w("---\n")
        service_account(0, ns, w)
        w("---\n")
        deployment(0, ns, w)


def list_of(n, w):
    w("apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n")
    for i in range(n):
        ns = "mxp-%d-system" % i
        for item in (service_account, deployment):
            out = []
            item(4, ns, out.append)
            text = "".join(out)
            w("  - " + text[4:])


def cr_document(n, w):
    w("apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: big\r  namespace: mxp-a-system\r")
    w("data:\r")
    for i in range(n):
        w("  k%d: value-%d\r" % (i, i))


SHAPES = {"anchors": anchors, "check": check, "list": list_of, "cr-document": cr_document}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SHAPES or not sys.argv[2].isdigit():
        sys.stderr.write("usage: gen-scale.py anchors|check|list|cr-document N\n")
        return 2
    out = sys.stdout
    SHAPES[sys.argv[1]](int(sys.argv[2]), out.write)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
