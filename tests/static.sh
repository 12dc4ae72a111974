#!/usr/bin/env bash
# static.sh OUTDIR - release check of the static binaries (TAP).
#
# Builds OUTDIR/amd64/wi-inject and OUTDIR/arm64/wi-inject with
# scripts/build-static.sh (fast when its cache is warm) and checks that both
# are statically linked executables of their architecture, that the arm64 one
# runs under qemu-user, reports meson's project version, gives byte for byte
# the amd64 output on the Helm 3 sample, and passes every golden case.
set -uo pipefail

ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
[ $# -eq 1 ] || { echo "usage: static.sh OUTDIR" >&2; exit 2; }
mkdir -p "$1" || exit 1
OUT=$(cd -P -- "$1" && pwd -P)
QEMU=qemu-aarch64-static
CLIENT_ID=11111111-2222-3333-4444-555555555555
SAMPLE="$ROOT/testdata/samples/spaces-helm3.yaml"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; local l; for l in "$@"; do echo "# $l"; done; }

for tool in file "$QEMU" python3 meson; do
	command -v "$tool" >/dev/null || { echo "Bail out! $tool is missing"; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

version=$(meson introspect --projectinfo "$ROOT/meson.build" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
[ -n "$version" ] || { echo "Bail out! no project version from meson"; exit 1; }

run() { # arch, args... (stdout and stderr as the binary gives them)
	local arch=$1
	shift
	if [ "$arch" = arm64 ]; then
		"$QEMU" "$OUT/arm64/wi-inject" "$@"
	else
		"$OUT/amd64/wi-inject" "$@"
	fi
}

for arch in amd64 arm64; do
	if ! "$ROOT/scripts/build-static.sh" "$arch" "$OUT/$arch" 2>"$tmp/build-$arch.err"; then
		not_ok "build-static.sh $arch" "$(tail -n 5 "$tmp/build-$arch.err")"
		continue
	fi
	ok "build-static.sh $arch"

	desc=$(file -b "$OUT/$arch/wi-inject")
	case $arch:$desc in
	amd64:*x86-64*"statically linked"* | arm64:*aarch64*"statically linked"*)
		ok "$arch: file says statically linked ($arch)" ;;
	*) not_ok "$arch: file says statically linked ($arch)" "$desc" ;;
	esac

	got=$(run "$arch" --version 2>&1)
	if [ "$got" = "wi-inject $version" ]; then
		ok "$arch: --version is meson's project version $version"
	else
		not_ok "$arch: --version is meson's project version $version" "got: $got"
	fi

	run "$arch" --client-id="$CLIENT_ID" "$SAMPLE" >"$tmp/$arch.out" 2>"$tmp/$arch.err"
	status=$?
	if [ $status -eq 0 ] && [ ! -s "$tmp/$arch.err" ] &&
		grep -q "azure.workload.identity/client-id: \"$CLIENT_ID\"" "$tmp/$arch.out"; then
		ok "$arch: the Helm 3 sample is wired"
	else
		not_ok "$arch: the Helm 3 sample is wired" "status $status" "$(head -n 3 "$tmp/$arch.err")"
	fi

	# An error path too: invalid YAML gives the same message and status.
	printf 'a: [b\n' | run "$arch" --client-id="$CLIENT_ID" >/dev/null 2>"$tmp/$arch.bad.err"
	echo "status $?" >>"$tmp/$arch.bad.err"

	if WRAPPER=$([ "$arch" = arm64 ] && echo "$QEMU") \
		"$ROOT/tests/run-cases.sh" "$OUT/$arch/wi-inject" "$ROOT/testdata/cases" >"$tmp/cases-$arch.tap" 2>&1 &&
		! grep -q '^not ok' "$tmp/cases-$arch.tap"; then
		ok "$arch: every golden case ($(grep -c '^ok' "$tmp/cases-$arch.tap"))"
	else
		not_ok "$arch: every golden case" "$(grep '^not ok' "$tmp/cases-$arch.tap" | head -n 5)"
	fi
done

if [ -s "$tmp/amd64.out" ] && cmp -s "$tmp/amd64.out" "$tmp/arm64.out"; then
	ok "arm64 and amd64 outputs on the sample are byte-identical"
else
	not_ok "arm64 and amd64 outputs on the sample are byte-identical" \
		"$(cmp "$tmp/amd64.out" "$tmp/arm64.out" 2>&1)"
fi
if [ -s "$tmp/amd64.bad.err" ] && grep -q '^status 1$' "$tmp/amd64.bad.err" &&
	cmp -s "$tmp/amd64.bad.err" "$tmp/arm64.bad.err"; then
	ok "arm64 and amd64 fail alike on invalid YAML ($(head -n 1 "$tmp/amd64.bad.err"))"
else
	not_ok "arm64 and amd64 fail alike on invalid YAML" "$(cat "$tmp/amd64.bad.err" "$tmp/arm64.bad.err" 2>&1)"
fi

echo "1..$n"
[ $failed -eq 0 ]
