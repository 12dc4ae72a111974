#!/usr/bin/env python3
"""Every fuzz regression file has a golden case that replays it through the CLI.

    fuzz-cases.py REGRESSIONS_DIR CASES_DIR            check; prints TAP
    fuzz-cases.py --create REGRESSIONS_DIR CASES_DIR   add the missing cases

A regression file is what tests/fuzz/fuzz-engine.c read: two option bytes,
then the manifest stream. Its case is any case directory whose input.yaml is
that stream, byte for byte, and whose args are the command-line options the
first byte stands for (the second only chooses the fuzz target's read size,
which the chunking test covers). --create writes input.yaml and args of
testdata/cases/fuzz-<file name> for each regression that has none; then
`tests/run-cases.sh BUILD/wi-inject testdata/cases --update --only fuzz-<name>`
records what the binary does, to be reviewed before committing.

The args always hold --allow-missing: the fuzz target's engine succeeds when
nothing matches, and a case that succeeds is also run again on its own output,
as the fuzz target does.
"""
import os
import sys

# The first option byte, as identity() and LLVMFuzzerTestOneInput() in
# tests/fuzz/fuzz-engine.c read it.
def args_for(flags):
    args = ["--service-account=mxp-controller"]
    if flags & 1:
        args.append("--service-account=a")
    if flags & 2:
        args.append("--namespace=ns")
    provider = (flags >> 2) % 3
    if provider == 0:
        args.append("--client-id=11111111-2222-3333-4444-555555555555")
        if flags & 32:
            args.append("--tenant-id=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        if flags & 64:
            args.append("--token-expiration=3600")
    elif provider == 1:
        args += ["--provider=aws", "--role-arn=arn:aws:iam::123456789012:role/x"]
        if flags & 32:
            args.append("--sts-regional-endpoints")
    else:
        args += ["--provider=gcp", "--gcp-service-account=spaces-x@my-project.iam.gserviceaccount.com"]
    if not flags & 16:
        args.append("--no-checksum")
    args.append("--allow-missing")
    return args


def read(path):
    with open(path, "rb") as f:
        return f.read()


def case_args(case):
    path = os.path.join(case, "args")
    if not os.path.exists(path):
        return []
    return read(path).decode().splitlines()


def main(argv):
    create = len(argv) == 4 and argv[1] == "--create"
    if len(argv) != 3 and not create:
        sys.exit(__doc__)
    regressions, cases = argv[-2:]
    inputs = {}
    for name in sorted(os.listdir(cases)):
        path = os.path.join(cases, name, "input.yaml")
        if os.path.isfile(path):
            inputs.setdefault(read(path), []).append(os.path.join(cases, name))

    files = sorted(f for f in os.listdir(regressions) if not f.startswith("."))
    failed = 0
    if not create:
        print(f"1..{len(files)}")
    for n, name in enumerate(files, 1):
        data = read(os.path.join(regressions, name))
        if len(data) < 2:
            print(f"not ok {n} - {name}: shorter than the two option bytes")
            failed += 1
            continue
        want = args_for(data[0])
        found = [c for c in inputs.get(data[2:], []) if case_args(c) == want]
        if create:
            if not found:
                case = os.path.join(cases, "fuzz-" + name)
                if os.path.exists(case):
                    sys.exit(f"{case} exists but does not replay {name}: fix or remove it")
                os.makedirs(case)
                with open(os.path.join(case, "input.yaml"), "wb") as f:
                    f.write(data[2:])
                with open(os.path.join(case, "args"), "w") as f:
                    f.write("".join(a + "\n" for a in want))
                print(f"created {case}")
        elif found:
            print(f"ok {n} - {name}: {os.path.basename(found[0])}")
        else:
            failed += 1
            print(f"not ok {n} - {name}: no golden case holds its input with the args")
            for a in want:
                print(f"#   {a}")
            print(f"# (tests/fuzz-cases.py --create {regressions} {cases} adds one)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
