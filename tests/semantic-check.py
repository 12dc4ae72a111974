#!/usr/bin/env python3
"""Checks wi-inject against an independent YAML reading of real manifests.

For each input file: every ServiceAccount in it becomes a target; wi-inject's
output must (1) differ from the input only by inserted text, and (2) load, with
PyYAML, to exactly the input's objects with the expected annotation and labels
added, computed here without wi-inject's code.

Usage: semantic-check.py WI_INJECT FILE...   (prints TAP)
"""
import copy
import difflib
import subprocess
import sys

import yaml

class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built with it: faster
    """YAML 1.1 as Kubernetes reads it: a plain "=" is just a string, and a key
    given twice in one mapping is an error (PyYAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str) and key != "<<":
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, "duplicate key %r" % key, key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep)


Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))

CLIENT_ID = "11111111-2222-3333-4444-555555555555"
WORKLOADS = {
    "Pod": ({""}, ()),
    "ReplicationController": ({""}, ("spec", "template")),
    "Deployment": ({"apps", "extensions"}, ("spec", "template")),
    "ReplicaSet": ({"apps", "extensions"}, ("spec", "template")),
    "DaemonSet": ({"apps", "extensions"}, ("spec", "template")),
    "StatefulSet": ({"apps"}, ("spec", "template")),
    "Job": ({"batch"}, ("spec", "template")),
    "CronJob": ({"batch"}, ("spec", "jobTemplate", "spec", "template")),
}


def checksum(settings):
    """FNV-1a 64 over key, 0xff, value, 0xff for each setting, as wi-inject digests
    the identity settings that apply to a pod template."""
    h = 0xcbf29ce484222325
    for key, value in settings:
        for part in (key, value):
            for byte in part.encode() + b"\xff":
                h = ((h ^ byte) * 0x100000001b3) & 0xffffffffffffffff
    return "%016x" % h


CHECKSUM = checksum([("azure.workload.identity/client-id", CLIENT_ID),
                     ("azure.workload.identity/use", "true")])


# Workloads that keep pods running, which a changed template rolls: only their pod
# templates get the checksum.
ROLLING = {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ReplicationController"}


def objects(doc):
    if not isinstance(doc, dict):
        return
    yield doc
    if str(doc.get("kind", "")).endswith("List") and isinstance(doc.get("items"), list):
        for item in doc["items"]:
            if isinstance(item, dict):
                yield item


def group(obj):
    api = str(obj.get("apiVersion", ""))
    return api.split("/")[0] if "/" in api else ""


def pod_of(obj):
    kind = obj.get("kind")
    if kind not in WORKLOADS or group(obj) not in WORKLOADS[kind][0]:
        return None
    pod = obj
    for key in WORKLOADS[kind][1]:
        pod = pod.get(key) if isinstance(pod, dict) else None
    return pod if isinstance(pod, dict) else None


def service_accounts(docs):
    return sorted({o["metadata"]["name"] for d in docs for o in objects(d)
                   if o.get("kind") == "ServiceAccount" and o.get("apiVersion") == "v1"
                   and isinstance(o.get("metadata"), dict) and o["metadata"].get("name")})


def expect(docs, targets):
    docs = copy.deepcopy(docs)
    for d in docs:
        for o in objects(d):
            if o.get("kind") == "ServiceAccount" and o.get("apiVersion") == "v1" \
                    and (o.get("metadata") or {}).get("name") in targets:
                meta = o.setdefault("metadata", {})
                if meta.get("annotations") is None:
                    meta["annotations"] = {}
                meta["annotations"]["azure.workload.identity/client-id"] = CLIENT_ID
                continue
            pod = pod_of(o)
            if pod is None:
                continue
            spec = pod.get("spec") or {}
            sa = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
            if sa in targets:
                if pod.get("metadata") is None:
                    pod["metadata"] = {}
                if pod["metadata"].get("labels") is None:
                    pod["metadata"]["labels"] = {}
                pod["metadata"]["labels"]["azure.workload.identity/use"] = "true"
                if o.get("kind") in ROLLING:
                    if pod["metadata"].get("annotations") is None:
                        pod["metadata"]["annotations"] = {}
                    pod["metadata"]["annotations"]["checksum/workload-identity"] = CHECKSUM
    return docs


def check(binary, path):
    with open(path, "rb") as f:
        data = f.read()
    docs = list(yaml.load_all(data, Loader=Loader))
    targets = service_accounts(docs)
    if not targets:
        return "no ServiceAccount to target", 0
    args = [binary, "--client-id", CLIENT_ID, "--allow-missing"]
    for t in targets:
        args += ["--service-account", t]
    run = subprocess.run(args, input=data, capture_output=True, check=False)
    if run.returncode != 0:
        return "exit status %d: %s" % (run.returncode, run.stderr.decode()[:300]), None
    old, new = data.decode().splitlines(True), run.stdout.decode().splitlines(True)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "replace":
            # Text may be inserted inside a line (a flow map), never removed.
            a, b = "".join(old[i1:i2]), "".join(new[j1:j2])
            chars = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            if any(o[0] not in ("equal", "insert") for o in chars):
                return "input line %d changed: %r -> %r" % (i1 + 1, a[:200], b[:200]), None
        elif op == "delete":
            return "input line %d deleted: %r" % (i1 + 1, old[i1]), None
    got = list(yaml.load_all(run.stdout, Loader=Loader))
    if got != expect(docs, set(targets)):
        return "objects differ from the expected edit", None
    return None, len(new) - len(old)


def main():
    binary, files = sys.argv[1], sys.argv[2:]
    print("1..%d" % len(files))
    failed = 0
    for n, path in enumerate(files, 1):
        try:
            why, added = check(binary, path)
        except yaml.YAMLError as e:
            why, added = "not valid for Kubernetes: %s" % str(e).replace("\n", " "), None
        if why is None:
            print("ok %d - %s (%d lines added)" % (n, path, added))
        elif added == 0:
            print("ok %d - %s # SKIP %s" % (n, path, why))
        else:
            failed += 1
            print("not ok %d - %s\n# %s" % (n, path, why))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
