#!/usr/bin/env python3
"""Compares the objects of renders of one chart, semantically (PyYAML).

    values-route-compare.py PLAIN POSTRENDERED CHANGED [--checksum] VALUES...

PLAIN is the chart rendered without identity, POSTRENDERED through wi-inject
as a post-renderer, each VALUES by a values route (with the values that
`wi-inject --print-values` printed, or with the --set-string options it
suggested). Each VALUES and POSTRENDERED must hold the same objects, equal in
every field; objects are matched by apiVersion, kind, namespace and name.
Ignored, because only one route can produce them: Helm 4's
`postrenderer.helm.sh/postrender-filename` annotation, and with --checksum
the `checksum/workload-identity` pod-template annotation (the chart has no
pod-annotation value), which must then be present on every Deployment and
StatefulSet running as a ServiceAccount the identity changed (for AWS and
GCP too, whose pod templates get nothing else). An annotations map left empty by removing
them is dropped too, since only that route created it.

So that two renders that both ignored the identity do not pass, each VALUES
must differ from PLAIN in exactly CHANGED objects, and only in a
ServiceAccount's metadata.annotations or a pod template's metadata.labels.

Prints the differences, each headed by the VALUES file it is about; exits 0
when there are none, 1 otherwise. (One process for every route: PLAIN and
POSTRENDERED are read once.)
"""
import sys

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: faster
POSTRENDER_KEY = "postrenderer.helm.sh/postrender-filename"
CHECKSUM_KEY = "checksum/workload-identity"
ROLLED = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController")


def drop_key(holder, key):
    """Removes holder["annotations"][key]; drops the map if that emptied it.
    Returns whether the key was there."""
    ann = holder.get("annotations") if isinstance(holder, dict) else None
    if not isinstance(ann, dict) or key not in ann:
        return False
    del ann[key]
    if not ann:
        del holder["annotations"]
    return True


def load(path, checksum=False):
    """Objects of a render by identity; with checksum, also the identities of
    the workloads whose pod template carried the checksum annotation."""
    objects, summed = {}, set()
    with open(path, "rb") as f:
        docs = [d for d in yaml.load_all(f, Loader=LOADER) if d is not None]
    for doc in docs:
        meta = doc.get("metadata") or {}
        ident = (doc.get("apiVersion"), doc.get("kind"), meta.get("namespace"), meta.get("name"))
        if ident in objects:
            raise SystemExit(f"{path}: {ident} appears twice")
        drop_key(meta, POSTRENDER_KEY)
        # Helm 4 drops an empty annotations map when it removes its own key
        # from it; for Kubernetes an empty map and none are the same.
        if meta.get("annotations") == {}:
            del meta["annotations"]
        if not meta and "metadata" in doc:
            del doc["metadata"]
        template = (doc.get("spec") or {}).get("template") or {}
        if checksum and drop_key(template.get("metadata"), CHECKSUM_KEY):
            summed.add(ident)
        objects[ident] = doc
    return objects, summed


def diff(a, b, path=""):
    """(path, what) for each place where a and b differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            p = f"{path}.{k}"
            if k not in a:
                out.append((p, f"only in the second ({b[k]!r})"))
            elif k not in b:
                out.append((p, f"only in the first ({a[k]!r})"))
            else:
                out += diff(a[k], b[k], p)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in diff(x, y, f"{path}[{i}]")]
    # type() too: "true" and True, "3600" and 3600 must not compare equal.
    if type(a) is not type(b) or a != b:
        return [(path, f"{a!r} != {b!r}")]
    return []


def name(ident):
    return f"{ident[1]} {ident[2]}/{ident[3]}"


def compare(plain, values, post, summed, want_changed, checksum):
    """The problems of one values route against the post-renderer route."""
    problems = []
    for ident in sorted(set(values) | set(post), key=str):
        if ident not in post:
            problems.append(f"{name(ident)}: only in the values route")
        elif ident not in values:
            problems.append(f"{name(ident)}: only in the post-renderer route")
        else:
            problems += [f"{name(ident)}: values route vs post-renderer: {p}: {what}"
                         for p, what in diff(values[ident], post[ident])]

    changed = []
    for ident in sorted(values, key=str):
        if ident not in plain:
            problems.append(f"{name(ident)}: not in the plain render")
            continue
        d = diff(plain[ident], values[ident])
        if not d:
            continue
        changed.append(ident)
        allowed = ".metadata.annotations" if ident[1] == "ServiceAccount" else ".spec.template.metadata.labels"
        problems += [f"{name(ident)}: values route changed {p}: {what} (want only {allowed})"
                     for p, what in d if p != allowed and not p.startswith(allowed + ".")]
    if len(changed) != want_changed:
        problems.append(f"the values route changed {len(changed)} objects, want {want_changed}: "
                        + ", ".join(name(i) for i in changed))

    if checksum:
        accounts = {(i[2], i[3]) for i in changed if i[1] == "ServiceAccount"}
        wired = {i for i, doc in post.items() if i[1] in ROLLED and (i[2], (
            ((doc.get("spec") or {}).get("template") or {}).get("spec") or {}).get(
            "serviceAccountName")) in accounts}
        if summed != wired:
            problems.append("checksum/workload-identity on " + ", ".join(sorted(map(name, summed)))
                            + "; want it on the wired workloads that roll: "
                            + ", ".join(sorted(map(name, wired))))
    return problems


def main(argv):
    args = argv[1:]
    checksum = len(args) > 3 and args[3] == "--checksum"
    if checksum:
        del args[3]
    if len(args) < 4 or not args[2].isdigit():
        sys.exit(__doc__)
    plain, _ = load(args[0])
    post, summed = load(args[1], checksum)
    want_changed = int(args[2])
    failed = False
    for path in args[3:]:
        problems = compare(plain, load(path)[0], post, summed, want_changed, checksum)
        if problems:
            failed = True
            print(f"{path}:")
            for p in problems:
                print(f"  {p}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
