#!/usr/bin/env bash
# Input, output and exit-status behaviour that golden cases cannot express: write
# failures, a closed pipe, unreadable input, -o atomicity, the log file. Prints TAP.
# Usage: io.sh WI_INJECT CASES_DIR
set -u

bin=$1
cases=$2
id=11111111-2222-3333-4444-555555555555
sample=$cases/helm3-two-control-planes/input.yaml
tmp=$(mktemp -d)
trap 'umount "$tmp/small" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0 failed=0

check() { # name, then a command that must succeed
	local name=$1
	shift
	n=$((n + 1))
	if "$@" >"$tmp/why" 2>&1; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		sed 's/^/# /' "$tmp/why"
	fi
}

expect() { # status, stderr pattern, then the command
	local want=$1 pattern=$2 got
	shift 2
	"$@" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || { echo "exit status $got, expected $want"; cat "$tmp/err"; return 1; }
	[ -z "$pattern" ] || grep -Eq -- "$pattern" "$tmp/err" || {
		echo "stderr lacks /$pattern/:"; cat "$tmp/err"; return 1; }
}

full_stdout() { "$bin" --client-id "$id" "$sample" >/dev/full; }
check "stdout on a full disk is exit 1" expect 1 'wi-inject: error: <stdout>: write error: No space left on device' full_stdout

help_full() { "$bin" --help >/dev/full; }
check "--help on a full disk is exit 1" expect 1 '' help_full

# As cat does: when the reader goes away, stop quietly, killed by SIGPIPE (141).
closed_pipe() { # arguments for wi-inject
	"$bin" "$@" 2>"$tmp/pipe.err" | head -c 10 >/dev/null
	local st=${PIPESTATUS[0]}
	[ "$st" -eq 141 ] || { echo "exit status $st, expected 141 (SIGPIPE)"; cat "$tmp/pipe.err"; return 1; }
	[ ! -s "$tmp/pipe.err" ] || { echo "stderr is not empty:"; cat "$tmp/pipe.err"; return 1; }
}
for _ in $(seq 200); do cat "$sample"; done >"$tmp/big.yaml"
check "a closed pipe ends the run quietly by SIGPIPE" closed_pipe --client-id "$id" "$tmp/big.yaml"
# A pipe whose reader is gone before anything is written, so the short --help
# output cannot slip into the pipe's buffer first.
closed_before() {
	python3 - "$bin" "$tmp/pipe.err" <<'PY'
import os, signal, subprocess, sys
r, w = os.pipe()
os.close(r)
with open(sys.argv[2], "wb") as err:
    st = subprocess.run([sys.argv[1], "--help"], stdout=w, stderr=err).returncode
os.close(w)
if st != -signal.SIGPIPE:
    sys.exit("status %d, expected death by SIGPIPE" % st)
PY
	[ ! -s "$tmp/pipe.err" ] || { echo "stderr is not empty:"; cat "$tmp/pipe.err"; return 1; }
}
check "a closed pipe ends --help quietly by SIGPIPE" closed_before

directory_input() { "$bin" --client-id "$id" "$tmp" >/dev/null; }
check "a read error is exit 1" expect 1 'read error: Is a directory' directory_input

missing_input() { "$bin" --client-id "$id" "$tmp/nonexistent.yaml" >/dev/null; }
check "a missing input file is exit 1" expect 1 'nonexistent.yaml: No such file or directory' missing_input

stdin_dash() {
	"$bin" --client-id "$id" - <"$sample" >"$tmp/dash.out" &&
		"$bin" --client-id "$id" "$sample" >"$tmp/file.out" &&
		cmp "$tmp/dash.out" "$tmp/file.out"
}
check "'-' reads standard input, like a FILE argument" stdin_dash

output_file() {
	umask 022
	"$bin" --client-id "$id" -o "$tmp/out.yaml" "$sample" &&
		"$bin" --client-id "$id" "$sample" | cmp - "$tmp/out.yaml" &&
		[ "$(stat -c %a "$tmp/out.yaml")" = 644 ]
}
check "-o writes the output with a normal file mode" output_file

keeps_old() { # status, input
	local want=$1 input=$2 got
	echo "precious" >"$tmp/keep.yaml"
	"$bin" --client-id "$id" -o "$tmp/keep.yaml" "$input" 2>/dev/null
	got=$?
	[ "$got" -eq "$want" ] || { echo "exit status $got, expected $want"; return 1; }
	[ "$(cat "$tmp/keep.yaml")" = precious ] || { echo "the existing file was clobbered"; return 1; }
	[ -z "$(find "$tmp" -name '.wi-inject-*')" ] || { echo "a temporary file was left"; return 1; }
}
check "-o leaves an existing file alone on invalid input" keeps_old 1 "$cases/invalid-yaml/input.yaml"
check "-o leaves an existing file alone when nothing matched" keeps_old 3 "$cases/no-match/input.yaml"

# A real full disk for -o: a tiny tmpfs (needs root, as CI and the developers are).
full_disk_output() {
	local dir=$tmp/small
	mkdir -p "$dir"
	if ! mount -t tmpfs -o size=64k tmpfs "$dir" 2>/dev/null; then
		echo "SKIP"
		return 0
	fi
	echo precious >"$dir/out.yaml"
	for _ in $(seq 100); do cat "$sample"; done >"$tmp/large.yaml"
	"$bin" --client-id "$id" -o "$dir/out.yaml" "$tmp/large.yaml" 2>"$tmp/full.err"
	local st=$? ok=1
	[ "$st" -eq 1 ] || { echo "exit status $st, expected 1"; ok=0; }
	grep -q 'No space left on device' "$tmp/full.err" || { cat "$tmp/full.err"; ok=0; }
	[ "$(cat "$dir/out.yaml")" = precious ] || { echo "the existing file was clobbered"; ok=0; }
	[ "$(ls -A "$dir")" = out.yaml ] || { echo "left behind:"; ls -A "$dir"; ok=0; }
	umount "$dir"
	[ "$ok" -eq 1 ]
}
n=$((n + 1))
if full_disk_output >"$tmp/why" 2>&1; then
	if [ "$(cat "$tmp/why")" = SKIP ]; then
		echo "ok $n - -o on a full disk # SKIP cannot mount a tmpfs here (needs root)"
	else
		echo "ok $n - -o on a full disk is exit 1; the existing file stays, no temporary file is left"
	fi
else
	failed=$((failed + 1))
	echo "not ok $n - -o on a full disk is exit 1; the existing file stays, no temporary file is left"
	sed 's/^/# /' "$tmp/why"
fi

no_dir() { "$bin" --client-id "$id" -o "$tmp/no/such/dir/out.yaml" "$sample"; }
check "-o into a missing directory is exit 1" expect 1 'cannot create a temporary file' no_dir

log_file() {
	"$bin" --client-id nope --log-file "$tmp/log" <"$sample" >/dev/null 2>&1
	grep -q -- '--client-id: "nope" is not a GUID' "$tmp/log" || { echo "usage error not logged"; return 1; }
	WI_INJECT_LOG="$tmp/log" "$bin" --client-id "$id" <"$cases/invalid-yaml/input.yaml" >/dev/null 2>&1
	grep -q '<stdin>:11:5: error:' "$tmp/log" || { echo "input error not logged"; cat "$tmp/log"; return 1; }
	[ "$(wc -l <"$tmp/log")" -eq 2 ] || { echo "log should hold exactly 2 lines:"; cat "$tmp/log"; return 1; }
}
check "--log-file and WI_INJECT_LOG append every error" log_file

bad_log() { "$bin" --client-id "$id" --log-file "$tmp/no/such/log" <"$sample" >/dev/null; }
check "an unopenable log file is exit 1" expect 1 'cannot open log file' bad_log

help_text() {
	"$bin" --help >"$tmp/help" &&
		grep -q -- '--client-id GUID' "$tmp/help" &&
		grep -q '^Exit status:' "$tmp/help" &&
		grep -Eq '^  3  ' "$tmp/help"
}
check "--help prints options and exit statuses, exit 0" help_text

version() { "$bin" --version | grep -Eq '^wi-inject [0-9]+\.[0-9]+\.[0-9]+$'; }
check "--version prints the version" version

azure_env_ignored() { env -u WI_INJECT_CLIENT_ID AZURE_CLIENT_ID=$id "$bin" <"$sample" >/dev/null; }
check "AZURE_CLIENT_ID is not taken as the identity" expect 2 'client-id is required' azure_env_ignored

echo "1..$n"
exit $((failed > 0))
