#!/usr/bin/env python3
"""Every JSON document wi-inject writes is JSON: a JSON parser reads it, and reads
the same data as a YAML parser (what Helm and kubectl see). Prints TAP.

A document is JSON, as wi-inject decides it, when its root is a flow mapping whose
first key is double-quoted. Each golden case that succeeds has its expected output
checked, document by document; a json-* case must hold at least one JSON document
in its input and in its output, or the check would pass on nothing.

Usage: json-output.py CASES_DIR
"""
import json
import os
import re
import sys

import yaml


def json_documents(text):
    """The text of each JSON document in a YAML stream, in order; whether PyYAML
    read the stream."""
    try:
        docs = []
        for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
            if (isinstance(node, yaml.MappingNode) and node.flow_style and node.value
                    and node.value[0][0].style == '"'):
                docs.append(text[node.start_mark.index:node.end_mark.index])
        return docs, True
    except yaml.YAMLError:
        # PyYAML takes no tab before a flow mapping's keys, which YAML 1.2 and
        # libyaml allow (JSON indented with tabs): cut the stream at its "---"
        # lines instead, and take the parts that open with '{"' past comments.
        parts = re.split(r"^---(?:[ \t][^\r\n]*)?(?:\r\n|\r|\n|$)", text, flags=re.M)
        docs = []
        for part in parts:
            body = re.sub(r"\A(?:[ \t]*(?:#[^\r\n]*)?(?:\r\n|\r|\n))*", "", part)
            if re.match(r"[ \t]*\{\s*\"", body):
                docs.append(body)
        return docs, False


def check(path):
    """Problems with the JSON documents of the file at path; their number."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    problems = []
    docs, yaml_read = json_documents(text)
    for i, doc in enumerate(docs, 1):
        try:
            data = json.loads(doc)
        except ValueError as e:
            problems.append(f"JSON document {i}: {e}")
            continue
        if yaml_read and data != yaml.safe_load(doc):
            problems.append(f"JSON document {i}: JSON and YAML read different data")
    return problems, len(docs)


def main():
    cases = sys.argv[1]
    results = []
    for name in sorted(os.listdir(cases)):
        d = os.path.join(cases, name)
        status = "0"
        if os.path.exists(os.path.join(d, "status")):
            with open(os.path.join(d, "status")) as f:
                status = f.read().strip()
        if status != "0" or not os.path.exists(os.path.join(d, "expected.yaml")):
            continue
        try:
            problems, n = check(os.path.join(d, "expected.yaml"))
            _, n_in = check(os.path.join(d, "input.yaml"))
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            # Some cases hold YAML that only libyaml takes; none is JSON.
            if name.startswith("json-"):
                results.append((False, f"{name}: {e}".replace("\n", " ")))
            continue
        if name.startswith("json-") and (n == 0 or n_in != n):
            problems.append(f"{n_in} JSON documents in, {n} out")
        if n or problems:
            results.append((not problems, f"{name}: JSON documents: {n}" +
                            "".join(f"\n# {p}" for p in problems)))
    print(f"1..{len(results)}")
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    if not any(name.startswith("json-") for name in os.listdir(cases)):
        print("# no json-* case found", file=sys.stderr)
        return 1
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
