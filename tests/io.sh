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

full_log() { "$bin" --client-id "$id" --log-file /dev/full <"$cases/invalid-yaml/input.yaml" >/dev/null; }
check "a log that cannot be written hides nothing: the error and its status stay" expect 1 '^wi-inject: <stdin>:11:5: error:' full_log

bad_log() { "$bin" --client-id "$id" --log-file "$tmp/no/such/log" <"$sample" >/dev/null; }
check "an unopenable log file is exit 1" expect 1 'cannot open log file' bad_log

# --- temporary files on every way out ------------------------------------------

temps_left() { find "$tmp" -maxdepth 1 -name '.wi-inject-*' | grep -q .; }

# A run blocked reading a FIFO that holds half a document, its -o temporary file made,
# is signalled: it removes the file and dies by that signal, as the caller can tell.
signalled() { # signal name, number
	local sig=$1 num=$2 pid st ok=1
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo"
	echo precious >"$tmp/sig.yaml"
	exec 3<>"$tmp/fifo"
	head -c 1000 "$sample" >&3
	# A script's background job starts with SIGINT ignored; give the run the default.
	env --default-signal="$sig" "$bin" --client-id "$id" -o "$tmp/sig.yaml" \
		<"$tmp/fifo" 3>&- 2>"$tmp/sig.err" &
	pid=$!
	for _ in $(seq 100); do temps_left && break; sleep 0.05; done
	temps_left || { echo "no temporary file appeared"; ok=0; }
	kill -s "$sig" "$pid"
	wait "$pid"
	st=$?
	exec 3>&-
	[ "$st" -eq $((128 + num)) ] || { echo "exit status $st, expected $((128 + num))"; ok=0; }
	! temps_left || { echo "a temporary file was left:"; ls -A "$tmp"; ok=0; }
	[ "$(cat "$tmp/sig.yaml")" = precious ] || { echo "the existing file was clobbered"; ok=0; }
	[ "$ok" -eq 1 ]
}
check "SIGTERM removes the -o temporary file and ends the run by SIGTERM" signalled TERM 15
check "SIGINT removes the -o temporary file and ends the run by SIGINT" signalled INT 2
check "SIGHUP removes the -o temporary file and ends the run by SIGHUP" signalled HUP 1

# Out of memory in the middle of a run with -o: a document larger than any allocation
# may be. An LD_PRELOAD shim refuses big allocations; under AddressSanitizer (whose
# allocator a shim cannot replace) its max_allocation_size_mb does the same.
cat >"$tmp/nomem.c" <<'C'
#include <errno.h>
#include <stdlib.h>
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static int too_big(size_t n)
{
	const char *v = getenv("WI_TEST_ALLOC_LIMIT");
	if (v && n > strtoul(v, NULL, 10)) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}
void *malloc(size_t n) { return too_big(n) ? NULL : __libc_malloc(n); }
void *calloc(size_t c, size_t n) { return too_big(c * n) ? NULL : __libc_calloc(c, n); }
void *realloc(void *p, size_t n) { return too_big(n) ? NULL : __libc_realloc(p, n); }
C
{
	printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: mxp-controller\n---\n'
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: |\n'
	for _ in $(seq 40000); do echo '    0123456789012345678901234567890123456789012345678901234567890123'; done
} >"$tmp/huge.yaml"
out_of_memory() {
	local st ok=1
	echo precious >"$tmp/oom.yaml"
	: >"$tmp/oom.log"
	if ldd "$bin" | grep -q libasan; then
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:max_allocation_size_mb=1" \
			WI_INJECT_LOG="$tmp/oom.log" "$bin" --client-id "$id" -o "$tmp/oom.yaml" \
			"$tmp/huge.yaml" 2>"$tmp/oom.err"
		st=$?
	else
		${CC:-cc} -shared -fPIC -o "$tmp/nomem.so" "$tmp/nomem.c" || return 1
		LD_PRELOAD="$tmp/nomem.so" WI_TEST_ALLOC_LIMIT=1048576 WI_INJECT_LOG="$tmp/oom.log" \
			"$bin" --client-id "$id" -o "$tmp/oom.yaml" "$tmp/huge.yaml" 2>"$tmp/oom.err"
		st=$?
	fi
	[ "$st" -eq 1 ] || { echo "exit status $st, expected 1"; ok=0; }
	grep -q '^wi-inject: error: out of memory$' "$tmp/oom.err" || { cat "$tmp/oom.err"; ok=0; }
	grep -q 'wi-inject: error: out of memory$' "$tmp/oom.log" || { echo "not logged"; ok=0; }
	! temps_left || { echo "a temporary file was left:"; ls -A "$tmp"; ok=0; }
	[ "$(cat "$tmp/oom.yaml")" = precious ] || { echo "the existing file was clobbered"; ok=0; }
	[ "$ok" -eq 1 ]
}
check "out of memory removes the -o temporary file, is logged and is exit 1" out_of_memory

no_match_long() {
	local ns
	for i in $(seq 300); do
		printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ns-%03d\n' "$i"
	done >"$tmp/many-ns.yaml"
	"$bin" --client-id "$id" "$tmp/many-ns.yaml" >/dev/null 2>"$tmp/many.err"
	[ $? -eq 3 ] || { echo "exit status is not 3"; return 1; }
	grep -q 'namespaces in the input: ns-001, .*, ns-008 and over 248 more); pass --allow-missing' \
		"$tmp/many.err" || { cat "$tmp/many.err"; return 1; }
}
check "a no-match message over 300 namespaces lists 8, counts the rest, keeps its hint" no_match_long

# --- the log under Helm ---------------------------------------------------------
# Helm 4 keeps a plugin's stderr to itself: under HELM_PLUGIN_NAME, with stderr not a
# terminal, every message also goes to $HELM_CACHE_HOME/wi-inject/error.log.

stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z \[[0-9]+\] '
invalid=$cases/invalid-yaml/input.yaml
under_helm() { env -u WI_INJECT_LOG HELM_PLUGIN_NAME=wi-inject "$@"; }

helm_log() {
	local log=$tmp/hc/wi-inject/error.log ok=1
	rm -rf "$tmp/hc"
	under_helm HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id "$id" <"$invalid" >/dev/null 2>"$tmp/h.err"
	[ $? -eq 1 ] || { echo "exit status is not 1"; ok=0; }
	grep -q '^wi-inject: <stdin>:11:5: error:' "$tmp/h.err" || { echo "not on stderr"; ok=0; }
	grep -Eq "${stamp}wi-inject: <stdin>:11:5: error: did not find expected" "$log" ||
		{ echo "no time-stamped line in the log:"; cat "$log"; ok=0; }
	[ "$(stat -c %a "$tmp/hc/wi-inject")" = 700 ] || { echo "directory mode $(stat -c %a "$tmp/hc/wi-inject")"; ok=0; }
	[ "$(stat -c %a "$log")" = 600 ] || { echo "file mode $(stat -c %a "$log")"; ok=0; }
	under_helm HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id nope <"$sample" >/dev/null 2>&1
	[ $? -eq 2 ] || { echo "usage error: exit status is not 2"; ok=0; }
	grep -Eq "${stamp}wi-inject: error: --client-id: \"nope\" is not a GUID" "$log" ||
		{ echo "usage error not appended:"; cat "$log"; ok=0; }
	[ "$(wc -l <"$log")" -eq 2 ] || { echo "the log should hold 2 lines:"; cat "$log"; ok=0; }
	[ "$ok" -eq 1 ]
}
check "under Helm, errors are appended to \$HELM_CACHE_HOME/wi-inject/error.log, time-stamped, 0700/0600" helm_log

helm_log_quiet() {
	rm -rf "$tmp/hc"
	under_helm HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id "$id" <"$sample" >/dev/null 2>"$tmp/h.err" ||
		{ echo "the run failed"; cat "$tmp/h.err"; return 1; }
	"$bin" --client-id "$id" <"$invalid" >/dev/null 2>&1
	HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id "$id" <"$invalid" >/dev/null 2>&1
	[ ! -e "$tmp/hc" ] || { echo "a log was made:"; find "$tmp/hc"; return 1; }
}
check "no log for a run without messages, nor outside Helm" helm_log_quiet

helm_log_tighten() {
	rm -rf "$tmp/hc"
	mkdir -p "$tmp/hc/wi-inject"
	chmod 755 "$tmp/hc/wi-inject"
	echo "old line" >"$tmp/hc/wi-inject/error.log"
	chmod 644 "$tmp/hc/wi-inject/error.log"
	under_helm HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id "$id" <"$invalid" >/dev/null 2>&1
	[ "$(stat -c %a "$tmp/hc/wi-inject")" = 700 ] || { echo "directory left $(stat -c %a "$tmp/hc/wi-inject")"; return 1; }
	[ "$(stat -c %a "$tmp/hc/wi-inject/error.log")" = 600 ] || { echo "file left $(stat -c %a "$tmp/hc/wi-inject/error.log")"; return 1; }
	[ "$(head -n 1 "$tmp/hc/wi-inject/error.log")" = "old line" ] || { echo "the old log was lost"; return 1; }
	grep -q '<stdin>:11:5: error:' "$tmp/hc/wi-inject/error.log" || { echo "not appended"; return 1; }
}
check "an existing log directory or file with a wider mode is narrowed to 0700/0600" helm_log_tighten

helm_log_foreign() {
	rm -rf "$tmp/hc"
	mkdir -p "$tmp/hc/wi-inject"
	chown nobody "$tmp/hc/wi-inject" 2>/dev/null || { echo SKIP; return 0; }
	under_helm HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id "$id" <"$invalid" >/dev/null 2>"$tmp/h.err"
	[ $? -eq 1 ] || { echo "exit status is not 1"; return 1; }
	grep -q '^wi-inject: <stdin>:11:5: error:' "$tmp/h.err" || { echo "error not on stderr:"; cat "$tmp/h.err"; return 1; }
	grep -q "^wi-inject: warning: $tmp/hc/wi-inject/error.log: cannot keep the log there: owned by another user\$" \
		"$tmp/h.err" || { echo "no warning:"; cat "$tmp/h.err"; return 1; }
	[ ! -e "$tmp/hc/wi-inject/error.log" ] || { echo "wrote into someone else's directory"; return 1; }
}
n=$((n + 1))
if helm_log_foreign >"$tmp/why" 2>&1; then
	if [ "$(cat "$tmp/why")" = SKIP ]; then
		echo "ok $n - a log directory owned by another user is refused # SKIP cannot chown here (needs root)"
	else
		echo "ok $n - a log directory owned by another user is refused, with a warning; the error stays on stderr"
	fi
else
	failed=$((failed + 1))
	echo "not ok $n - a log directory owned by another user is refused, with a warning; the error stays on stderr"
	sed 's/^/# /' "$tmp/why"
fi

helm_log_unwritable() {
	local st
	: >"$tmp/not-a-dir"
	under_helm HELM_CACHE_HOME="$tmp/not-a-dir" "$bin" --client-id "$id" <"$invalid" >/dev/null 2>"$tmp/h.err"
	st=$?
	[ "$st" -eq 1 ] || { echo "exit status $st, expected 1"; return 1; }
	grep -q '^wi-inject: <stdin>:11:5: error:' "$tmp/h.err" || { echo "error not on stderr:"; cat "$tmp/h.err"; return 1; }
	grep -q 'cannot keep the log there: Not a directory' "$tmp/h.err" || { cat "$tmp/h.err"; return 1; }
	under_helm HELM_CACHE_HOME="$tmp/not-a-dir" "$bin" --client-id "$id" <"$cases/no-match/input.yaml" >/dev/null 2>"$tmp/h.err"
	st=$?
	[ "$st" -eq 3 ] || { echo "no match: exit status $st, expected 3"; return 1; }
}
check "an unwritable cache directory keeps the error on stderr and the exit status" helm_log_unwritable

helm_log_wins() {
	rm -rf "$tmp/hc"
	under_helm HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id "$id" --log-file "$tmp/mine.log" \
		<"$invalid" >/dev/null 2>&1
	under_helm HELM_CACHE_HOME="$tmp/hc" WI_INJECT_LOG="$tmp/env.log" "$bin" --client-id "$id" \
		<"$invalid" >/dev/null 2>&1
	grep -Eq "${stamp}wi-inject: <stdin>:11:5: error:" "$tmp/mine.log" || { echo "not in --log-file"; return 1; }
	grep -Eq "${stamp}wi-inject: <stdin>:11:5: error:" "$tmp/env.log" || { echo "not in WI_INJECT_LOG"; return 1; }
	[ ! -e "$tmp/hc" ] || { echo "the cache log was used too"; return 1; }
}
check "--log-file and WI_INJECT_LOG win over the Helm cache log" helm_log_wins

helm_log_xdg() {
	rm -rf "$tmp/xdg" "$tmp/home"
	env -u HELM_CACHE_HOME XDG_CACHE_HOME="$tmp/xdg" HOME="$tmp/home" HELM_PLUGIN_NAME=wi-inject \
		"$bin" --client-id "$id" <"$invalid" >/dev/null 2>&1
	grep -q '<stdin>:11:5: error:' "$tmp/xdg/helm/wi-inject/error.log" || { echo "not under XDG_CACHE_HOME"; return 1; }
	env -u HELM_CACHE_HOME -u XDG_CACHE_HOME HOME="$tmp/home" HELM_PLUGIN_NAME=wi-inject \
		"$bin" --client-id "$id" <"$invalid" >/dev/null 2>&1
	grep -q '<stdin>:11:5: error:' "$tmp/home/.cache/helm/wi-inject/error.log" || { echo "not under HOME/.cache"; return 1; }
	[ "$(stat -c %a "$tmp/home/.cache")" = 700 ] || { echo "made a parent with mode $(stat -c %a "$tmp/home/.cache")"; return 1; }
}
check "without HELM_CACHE_HOME the log is where Helm keeps its cache (XDG, then ~/.cache)" helm_log_xdg

# A log just under its bound, then 20 failures: it is moved to error.log.1 once.
# Then, refilled to just under its bound, 4 x 10 failures at once: it is moved
# again while they run. Each file stays within the bound (plus a line or, at
# once, four), every line whole, nothing else in the directory. (The log is
# filled by the test rather than by runs, which under the sanitizers would take
# half a minute.)
helm_log_bounded() {
	local long log=$tmp/hc/wi-inject/error.log size line before
	rm -rf "$tmp/hc"
	mkdir -p "$tmp/hc/wi-inject"
	long=$(head -c 300 /dev/zero | tr '\0' x)
	line="2026-01-01T00:00:00Z [1] wi-inject: error: --client-id: \"$long\" is not a GUID (8-4-4-4-12 hex digits)"
	fill() { # to within a line of 2 KiB under the bound, in whole lines (a run adds 190 bytes)
		local lines=$(((256 * 1024 - 2048 - $(stat -c %s "$log")) / (${#line} + 1)))
		[ "$lines" -le 0 ] || for _ in $(seq "$lines"); do echo "$line"; done >>"$log"
	}
	: >"$log"
	fill
	for _ in $(seq 20); do
		under_helm HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id "$long" </dev/null >/dev/null 2>&1
	done
	[ -e "$log.1" ] || { echo "the full log was not moved to error.log.1"; return 1; }
	for f in "$log" "$log.1"; do
		size=$(stat -c %s "$f") || return 1
		[ "$size" -le $((256 * 1024 + 1024)) ] || { echo "$f holds $size bytes"; return 1; }
	done
	[ "$(stat -c %a "$log")" = 600 ] || { echo "new error.log mode $(stat -c %a "$log")"; return 1; }
	fill
	before=$(stat -c %i "$log.1")
	for _ in 1 2 3 4; do
		for _ in $(seq 10); do
			under_helm HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id "$long" </dev/null >/dev/null 2>&1
		done &
	done
	wait
	[ "$(stat -c %i "$log.1")" != "$before" ] || { echo "no move while four ran at once"; return 1; }
	for f in "$log" "$log.1"; do
		size=$(stat -c %s "$f") || return 1
		[ "$size" -le $((256 * 1024 + 4 * 1024)) ] || { echo "$f holds $size bytes"; return 1; }
	done
	! grep -vEq "${stamp}wi-inject: error: --client-id: \"x+(\[\.\.\.\])?\" is not a GUID \(8-4-4-4-12 hex digits\)\$" "$log" "$log.1" ||
		{ echo "a line is not whole:"; grep -vE "${stamp}wi-inject: error: .*digits\)\$" "$log" "$log.1" | head -3; return 1; }
	[ "$(ls -A "$tmp/hc/wi-inject" | tr '\n' ' ')" = "error.log error.log.1 " ] || { ls -A "$tmp/hc/wi-inject"; return 1; }
}
check "the log stays bounded (error.log and error.log.1) after many failures, also concurrent ones" helm_log_bounded

# The controlling terminal: `script` gives the run one while its stderr goes to a file.
helm_tty() {
	local cmd
	rm -rf "$tmp/hc"
	cmd="HELM_PLUGIN_NAME=wi-inject HELM_CACHE_HOME='$tmp/hc' '$bin' --client-id $id <'$invalid' >/dev/null 2>'$tmp/tty.err'"
	script -qec "env -u WI_INJECT_LOG $cmd" /dev/null </dev/null >"$tmp/tty.out"
	[ $? -eq 1 ] || { echo "exit status is not 1"; return 1; }
	grep -q 'wi-inject: <stdin>:11:5: error:' "$tmp/tty.out" || { echo "not on the terminal:"; cat "$tmp/tty.out"; return 1; }
	grep -q '^wi-inject: <stdin>:11:5: error:' "$tmp/tty.err" || { echo "not on stderr"; return 1; }
	grep -q '<stdin>:11:5: error:' "$tmp/hc/wi-inject/error.log" || { echo "not in the log"; return 1; }
	# stderr is the terminal: the message shows once, and there is no log.
	rm -rf "$tmp/hc"
	cmd="HELM_PLUGIN_NAME=wi-inject HELM_CACHE_HOME='$tmp/hc' '$bin' --client-id $id <'$invalid' >/dev/null"
	script -qec "env -u WI_INJECT_LOG $cmd" /dev/null </dev/null >"$tmp/tty.out"
	[ "$(grep -c 'error:' "$tmp/tty.out")" -eq 1 ] || { echo "not shown once:"; cat "$tmp/tty.out"; return 1; }
	[ ! -e "$tmp/hc" ] || { echo "logged although stderr is a terminal"; return 1; }
}
if command -v script >/dev/null; then
	check "under Helm the controlling terminal gets the message too, once" helm_tty
else
	n=$((n + 1))
	echo "ok $n - under Helm the controlling terminal gets the message too # SKIP no script(1) (bsdutils)"
fi

# Manifests carry Secrets: no message, so no log, may hold their data.
secret_data() {
	local secret=hunter2-TOPSECRET b64 all=$tmp/secret.all
	b64=$(printf %s "$secret" | base64)
	rm -rf "$tmp/hc"
	: >"$all"
	printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: ns\ndata:\n  password: %s\nstringData:\n  token: "%s"\n' \
		"$b64" "$secret" >"$tmp/secret.yaml"
	cat "$tmp/secret.yaml" >"$tmp/s-nomatch.yaml"
	{ cat "$tmp/secret.yaml"; printf '  other: [%s, *nowhere]\n' "$secret"; } >"$tmp/s-alias.yaml"
	{ cat "$tmp/secret.yaml"; printf '  broken: "%s\n' "$secret"; } >"$tmp/s-quote.yaml"
	{ cat "$tmp/secret.yaml"; printf '  flow: {%s: [%s\n' "$secret" "$secret"; } >"$tmp/s-flow.yaml"
	{ printf -- '---\n'; cat "$tmp/secret.yaml"; printf -- '---\n'; cat "$sample"; printf '%s: %s: x\n' "$secret" "$secret"; } >"$tmp/s-late.yaml"
	for f in nomatch alias quote flow late; do
		for args in "-v" "--check"; do
			under_helm HELM_CACHE_HOME="$tmp/hc" "$bin" --client-id "$id" $args \
				<"$tmp/s-$f.yaml" >/dev/null 2>>"$all"
			[ $? -ne 0 ] || { echo "$f $args: the run did not fail"; return 1; }
		done
	done
	[ "$(grep -c error: "$all")" -ge 10 ] || { echo "fewer errors than runs:"; cat "$all"; return 1; }
	cat "$tmp/hc/wi-inject/error.log" >>"$all"
	! grep -n -e "$secret" -e "$b64" -e hunter2 "$all" || { echo "the Secret's data leaked"; return 1; }
}
check "a Secret's data appears in no message and no log line" secret_data

# Started with stderr closed, the run must not take fd 2 for its output file.
closed_stderr() {
	"$bin" -v --client-id "$id" -o "$tmp/closed.yaml" <"$sample" 2>&- &&
		"$bin" --client-id "$id" <"$sample" | cmp - "$tmp/closed.yaml"
}
check "with stderr closed, messages do not land in the -o file" closed_stderr

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
