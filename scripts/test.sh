#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: golden cases, chunking and
# I/O tests in a normal build and again under AddressSanitizer and
# UndefinedBehaviorSanitizer, then the end-to-end tests with real Helm 3 and Helm 4.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh meson ninja-build pkg-config gcc libc6-dev libyaml-dev libcjson-dev python3 python3-yaml

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

echo "== build and test (debugoptimized, -Werror)"
setup build
meson test -C build --print-errorlogs

echo "== build and test under AddressSanitizer and UndefinedBehaviorSanitizer"
setup build-asan -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-asan --print-errorlogs

if [ -x tests/helm-e2e.sh ]; then
	echo "== end to end with Helm 3.17.3 and Helm 4.1.4"
	tests/helm-e2e.sh "$PWD"
fi
