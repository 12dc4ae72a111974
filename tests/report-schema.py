#!/usr/bin/env python3
"""report-schema.py SCHEMA CASES_DIR - every golden report against the report schema (TAP).

Validates each CASES_DIR/*/expected-report.json against SCHEMA (JSON Schema draft
2020-12, python3-jsonschema), then proves the schema can fail: broken copies of a
report (a finding without its problem code, an unknown code, a wrong type, an
unknown field, an identity without its provider) must each be refused.
"""
import copy
import glob
import json
import os
import sys

import jsonschema


def main():
    schema_path, cases = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    reports = sorted(glob.glob(os.path.join(cases, '*', 'expected-report.json')))
    if not reports:
        print('1..1\nnot ok 1 - no expected-report.json under %s' % cases)
        return 1

    def broken(report):
        """Copies of a report that has a finding and a ServiceAccount, each wrong."""
        finding = next((r for r in report if r['findings']), None)
        sa = next((r for r in report if r['serviceAccounts']), None)
        out = []
        if finding:
            f = copy.deepcopy(finding); del f['findings'][0]['problem']
            out.append(('finding without problem', f))
            f = copy.deepcopy(finding); f['findings'][0]['problem'] = 'something-else'
            out.append(('unknown problem code', f))
            f = copy.deepcopy(finding); f['findings'][0]['line'] = '9'
            out.append(('line as a string', f))
            f = copy.deepcopy(finding); f['findings'][0]['hint'] = 'x'
            out.append(('unknown finding field', f))
        if sa:
            f = copy.deepcopy(sa); del f['serviceAccounts'][0]['identities'][0]['provider']
            out.append(('identity without provider', f))
            f = copy.deepcopy(sa); f['serviceAccounts'][0]['identities'] = []
            out.append(('ServiceAccount without identity', f))
            f = copy.deepcopy(sa); del f['warnings']
            out.append(('report without warnings', f))
        return out

    loaded, tests, failed = [], [], 0
    for path in reports:
        name = os.path.basename(os.path.dirname(path))
        try:
            with open(path) as f:
                report = json.load(f)
            errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        except ValueError as e:
            errors = [e]
        else:
            loaded.append(report)
        tests.append((name, ['%s: %s' % ('/'.join(map(str, getattr(e, 'path', []))),
                                         getattr(e, 'message', e)) for e in errors[:3]]))
    negatives = broken(loaded)
    if len(negatives) < 7:
        tests.append(('negative cases', ['the golden reports hold no finding or no ServiceAccount to break']))
    for what, report in negatives:
        valid = validator.is_valid(report)
        tests.append(('refuses a broken report: ' + what, ['the schema accepted it'] if valid else []))
    print('1..%d' % len(tests))
    for n, (name, errors) in enumerate(tests, 1):
        if errors:
            failed += 1
            print('not ok %d - %s' % (n, name))
            for e in errors:
                print('# ' + e)
        else:
            print('ok %d - %s' % (n, name))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
