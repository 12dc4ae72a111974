#!/usr/bin/env bash
# Replays the golden cases in testdata/cases/ against a wi-inject binary; prints TAP.
#
# A case is a directory holding:
#   input.yaml     what goes to standard input (may be empty)
#   args           optional; the arguments, one per line; the binary runs in the
#                  case's directory, and "@CASE@" stands for it (as ".")
#   env            optional; NAME=VALUE lines added to a clean environment
#   expected.yaml  the exact expected standard output
#   expected.err   optional; the exact expected standard error (default: empty)
#   status         optional; the expected exit status (default: 0)
#   expected-report.json
#                  optional; the run gets "--report FILE" and FILE must match
# Every case that succeeds is run again on its own output, which must come back
# unchanged: the tool is idempotent (except with --print-trust, whose output is a
# shell script). WI_CASES_ONCE=1 leaves that second run out: the valgrind setup
# sets it, as the plain and sanitizer runs already prove idempotence and the
# second run under valgrind would double the stage's time for no new check.
#
# Usage: run-cases.sh WI_INJECT CASES_DIR [--update] [--only NAME]...
#   --update rewrites expected.yaml, expected.err and status from what the binary
#   does now; review the diff before committing it.
#   --only NAME replays only the case NAME (repeatable): meson registers one test
#   per case this way, so that they run in parallel and one can be picked.
#        run-cases.sh --list CASES_DIR
#   prints what meson registers, a case per line, sorted: its name, followed by
#   " memcheck" unless the case's status is 2. A usage error (a bad option or
#   config file) is refused before any manifest is read; the valgrind setup runs
#   the suite memcheck, and leaves those to the sanitizer build, which runs
#   every case.
#        run-cases.sh --registered CASES_DIR LINE...
#   one TAP test: --list prints exactly LINE... (what meson registered when it
#   was configured), else names the lines that changed: a case added since is
#   run by no test until the build directory is reconfigured.
set -u
export LC_ALL=C

case_names() { # DIR: the case directories' names, sorted
	local d
	for d in "$1"/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		printf '%s\n' "${d##*/}"
	done
}

case_lines() { # DIR: what --list prints
	local name status
	while IFS= read -r name; do
		status=0
		[ -f "$1/$name/status" ] && read -r status <"$1/$name/status"
		if [ "$status" = 2 ]; then printf '%s\n' "$name"; else printf '%s memcheck\n' "$name"; fi
	done < <(case_names "$1")
}

case ${1:-} in
--list)
	[ -d "${2:-}" ] || { echo "run-cases.sh: --list: no directory '${2:-}'" >&2; exit 2; }
	case_lines "$2"
	exit
	;;
--registered)
	[ -d "${2:-}" ] || { echo "run-cases.sh: --registered: no directory '${2:-}'" >&2; exit 2; }
	dir=$2
	shift 2
	echo "1..1"
	new=$(case_lines "$dir" | grep -vxF -f <(printf '%s\n' "$@"))
	gone=$(printf '%s\n' "$@" | grep -vxF -f <(case_lines "$dir"))
	if [ -z "$new$gone" ]; then
		echo "ok 1 - every case in $dir has its test, in the right suites"
		exit 0
	fi
	echo "not ok 1 - the cases changed since meson was configured; run: meson setup --reconfigure BUILD_DIR"
	[ -z "$new" ] || echo "$new" | sed 's/^/# not registered so: /'
	[ -z "$gone" ] || echo "$gone" | sed 's/^/# registered, no longer so: /'
	exit 1
	;;
esac

[ $# -ge 2 ] || { echo "usage: run-cases.sh WI_INJECT CASES_DIR [--update] [--only NAME]..." >&2; exit 2; }
# Each case is one meson test, so this script starts some 240 times per stage (and
# under valgrind): it forks as few programs as it can. Paths are made absolute
# here, since runs happen in the case's directory.
absolute() { case $1 in /*) REPLY=$1 ;; *) REPLY=$PWD/$1 ;; esac; }
absolute "$1"
bin=$REPLY
absolute "$2"
cases=$REPLY
shift 2
update=
only=()
while [ $# -gt 0 ]; do
	case $1 in
	--update) update=--update ;;
	--only)
		[ $# -ge 2 ] && [ -d "$cases/$2" ] || { echo "run-cases.sh: --only: no case '${2:-}' in $cases" >&2; exit 2; }
		only+=("$2")
		shift
		;;
	*) echo "run-cases.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

has_arg() { # dir arg: the case's args file holds the line arg
	local line
	[ -f "$1/args" ] || return 1
	while IFS= read -r line || [ -n "$line" ]; do
		[ "$line" = "$2" ] && return 0
	done <"$1/args"
	return 1
}

run() { # dir input out err -> status
	local dir=$1 input=$2 args=() envs=() line
	if [ -f "$dir/args" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			args+=("${line//@CASE@/.}")
		done <"$dir/args"
	fi
	if [ -f "$dir/env" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			[ -n "$line" ] && envs+=("$line")
		done <"$dir/env"
	fi
	if [ -f "$dir/expected-report.json" ]; then
		rm -f "$tmp/report.json"
		args+=(--report "$tmp/report.json")
	fi
	(cd "$dir" && env -i PATH="$PATH" ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
		${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} "${envs[@]//@CASE@/.}" \
		$WRAPPER "$bin" "${args[@]}" <"$input" >"$3" 2>"$4")
}

WRAPPER=${WRAPPER:-}
dirs=()
if [ ${#only[@]} -gt 0 ]; then
	for d in "${only[@]}"; do dirs+=("$cases/$d"); done
else
	while IFS= read -r d; do dirs+=("$cases/$d"); done < <(case_names "$cases")
fi
echo "1..${#dirs[@]}"
n=0 failed=0
for dir in "${dirs[@]}"; do
	n=$((n + 1))
	name=${dir##*/}
	want_status=0
	[ -f "$dir/status" ] && read -r want_status <"$dir/status"
	run "$dir" "$dir/input.yaml" "$tmp/out" "$tmp/err"
	status=$?
	if [ "$update" = --update ]; then
		cp "$tmp/out" "$dir/expected.yaml"
		if [ -s "$tmp/err" ]; then cp "$tmp/err" "$dir/expected.err"; else rm -f "$dir/expected.err"; fi
		if [ "$status" -ne 0 ]; then echo "$status" >"$dir/status"; else rm -f "$dir/status"; fi
		if [ -f "$dir/expected-report.json" ]; then cp "$tmp/report.json" "$dir/expected-report.json"; fi
		want_status=$status
	fi
	why=""
	if [ "$status" -ne "$want_status" ]; then
		why="exit status $status, expected $want_status"
	elif ! cmp -s "$tmp/out" "$dir/expected.yaml"; then
		why="standard output differs: $(diff "$dir/expected.yaml" "$tmp/out" | head -20)"
	elif [ -f "$dir/expected.err" ] && ! cmp -s "$tmp/err" "$dir/expected.err"; then
		why="standard error differs: $(diff "$dir/expected.err" "$tmp/err" | head -10)"
	elif [ ! -f "$dir/expected.err" ] && [ -s "$tmp/err" ]; then
		why="unexpected standard error: $(head -5 "$tmp/err")"
	elif [ -f "$dir/expected-report.json" ] && ! cmp -s "$tmp/report.json" "$dir/expected-report.json"; then
		why="report differs: $(diff "$dir/expected-report.json" "$tmp/report.json" 2>&1 | head -20)"
	elif [ "$status" -eq 0 ] && [ "${WI_CASES_ONCE:-}" != 1 ] && ! has_arg "$dir" --print-trust; then
		# (--print-trust writes a shell script, not manifests to run again.)
		# --check writes nothing (and refuses empty input): its second run reads
		# the input again and must agree.
		again_in=$tmp/out
		if has_arg "$dir" --check; then again_in=$dir/input.yaml; fi
		run "$dir" "$again_in" "$tmp/again" "$tmp/err2"
		again=$?
		if [ "$again" -ne 0 ] || ! cmp -s "$tmp/out" "$tmp/again"; then
			why="not idempotent: a second run gave status $again and: $(diff "$tmp/out" "$tmp/again" | head -10)"
		fi
	fi
	if [ -z "$why" ]; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		printf '%s\n' "$why" | sed 's/^/# /'
	fi
done
exit $((failed > 0))
