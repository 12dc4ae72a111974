#!/usr/bin/env python3
"""What a user might write instead of wi-inject: PyYAML load_all -> edit -> dump_all.
Uses libyaml's C loader and dumper when PyYAML has them (its fastest setting).
usage: pyyaml-inject.py CLIENT_ID < in > out"""
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SA = "mxp-controller"
TEMPLATED = {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"}


def dig(obj, *keys):
    for k in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(k)
    return obj


def use_label(meta_holder):
    meta = meta_holder.setdefault("metadata", None) or {}
    meta_holder["metadata"] = meta
    labels = meta.get("labels") or {}
    meta["labels"] = labels
    labels["azure.workload.identity/use"] = "true"


def edit(doc, cid):
    if not isinstance(doc, dict):
        return doc
    kind = doc.get("kind")
    if kind == "ServiceAccount" and dig(doc, "metadata", "name") == SA:
        ann = doc["metadata"].get("annotations") or {}
        doc["metadata"]["annotations"] = ann
        ann["azure.workload.identity/client-id"] = cid
    elif kind in TEMPLATED and dig(doc, "spec", "template", "spec", "serviceAccountName") == SA:
        use_label(doc["spec"]["template"])
    elif kind == "CronJob" and dig(doc, "spec", "jobTemplate", "spec", "template", "spec",
                                   "serviceAccountName") == SA:
        use_label(doc["spec"]["jobTemplate"]["spec"]["template"])
    elif kind == "Pod" and dig(doc, "spec", "serviceAccountName") == SA:
        use_label(doc)
    return doc


def main():
    cid = sys.argv[1]
    docs = (edit(d, cid) for d in yaml.load_all(sys.stdin.buffer, Loader=Loader))
    yaml.dump_all(docs, sys.stdout, Dumper=Dumper, explicit_start=True, sort_keys=False,
                  default_flow_style=False, allow_unicode=True, width=1 << 30)


if __name__ == "__main__":
    main()
