#!/usr/bin/env bash
# Builds the libFuzzer target (clang, ASan+UBSan) and fuzzes the core for SECONDS
# (default 60), seeded from every golden input. Crashes land in build-fuzz/crashes/:
# minimise one (build-fuzz/fuzz-engine -minimize_crash=1 CRASH), add it to
# tests/fuzz/regressions/ (replayed by the test suite) and as a golden case.
# Usage: scripts/fuzz.sh [SECONDS] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
workers=${2:-1}
scripts/deps.sh clang libclang-rt-14-dev meson ninja-build pkg-config libyaml-dev libcjson-dev python3

if [ ! -d build-fuzz ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized -Dwerror=true >/dev/null
fi
ninja -C build-fuzz fuzz-engine >/dev/null

# Seeds: each golden input under a few option bytes (see tests/fuzz/fuzz-engine.c).
# (One python3 writes the 1,500 files; a cat for each took 8 s.)
mkdir -p build-fuzz/seeds build-fuzz/corpus build-fuzz/crashes
python3 - build-fuzz/seeds testdata/cases/*/input.yaml testdata/samples/*.yaml <<'PY'
import sys
out, inputs = sys.argv[1], sys.argv[2:]
i = 0
for path in inputs:
    with open(path, "rb") as f:
        data = f.read()
    for opt in (b"\x00\x00", b"\x13\x07", b"\x16\x0e", b"\x19\x15", b"\x62\x1c", b"\x75\x23"):
        with open(f"{out}/{i}", "wb") as f:
            f.write(opt + data)
        i += 1
PY

args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
	-max_len=65536 -dict=tests/fuzz/yaml.dict -artifact_prefix=build-fuzz/crashes/)
if [ "$workers" -gt 1 ]; then
	args+=(-fork="$workers" -ignore_crashes=0)
fi
echo "fuzzing for ${seconds}s with $workers worker(s)" >&2
build-fuzz/fuzz-engine "${args[@]}" build-fuzz/corpus build-fuzz/seeds tests/fuzz/regressions
