#!/usr/bin/env bash
# Scale and pathological inputs: each must end in success or a clear error, never a
# crash or a hang, with memory bounded by the largest document. Prints, per input,
# the exit status, the first line of any message, wall time and peak RSS.
#   1 GiB stream of ordinary manifests (piped, never on disk); 24 MB of them with
#   lines ending in CR alone (cut into units like LF: peak RSS as small)
#   one 100 MB document; a 10 MB single line; a mapping with 1,000,000 keys;
#   flow collections nested 100,000 deep (refused at depth 10,001, as Kubernetes'
#   decoder does: status 1 within a second).
# Usage: scripts/scale.sh   (BUILD=dir to use another build of wi-inject)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh meson ninja-build pkg-config gcc libyaml-dev libcjson-dev python3 time
build=${BUILD:-build-scale}
[ -d "$build" ] || meson setup "$build" -Dbuildtype=release >/dev/null
ninja -C "$build" wi-inject >/dev/null
bin=$build/wi-inject
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 scripts/gen-stream.py $((8 * 1024 * 1024)) 1 >"$tmp/base.yaml" 2>/dev/null
{
	echo "apiVersion: v1"
	echo "kind: ConfigMap"
	echo "metadata: {name: big, namespace: mxp-a-system}"
	echo "data:"
	echo "  big: |"
	head -c $((100 * 1000 * 1000)) /dev/zero | tr '\0' 'x' | fold -w 99 | sed 's/^/    /'
} >"$tmp/100mb-document.yaml"
{
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: line}\ndata: {line: "'
	head -c $((10 * 1000 * 1000)) /dev/zero | tr '\0' 'y'
	printf '"}\n'
} >"$tmp/10mb-line.yaml"
python3 -c '
import sys
w = sys.stdout.write
w("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keys\ndata:\n")
for i in range(1000000):
    w("  k%d: v\n" % i)' >"$tmp/1m-keys.yaml"
python3 -c '
import sys
sys.stdout.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  deep: " + "[" * 100000 + "]" * 100000 + "\n")' >"$tmp/deep-nesting.yaml"
python3 -c '
import sys
sys.stdout.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  deep: " + "{a: " * 100000 + "b" + "}" * 100000 + "\n")' >"$tmp/deep-maps.yaml"

printf '%-22s %6s %9s %10s  %s\n' input status seconds "peak RSS" message
measure() { # name, then the command that feeds wi-inject's standard input
	local name=$1 status
	shift
	set +e
	"$@" | timeout 600 /usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" \
		--client-id 11111111-2222-3333-4444-555555555555 --allow-missing \
		>/dev/null 2>"$tmp/err"
	status=${PIPESTATUS[1]}
	set -e
	read -r secs kib <"$tmp/time" || { secs=?; kib=0; }
	printf '%-22s %6s %9s %7d MiB  %s\n' "$name" "$status" "$secs" $((kib / 1024)) \
		"$(grep -v '^Command exited' "$tmp/err" | head -1 | cut -c1-80)"
}
measure "1 GiB stream" sh -c "for i in \$(seq 128); do cat '$tmp/base.yaml'; done"
measure "24 MB CR-only stream" sh -c "for i in 1 2 3; do tr '\n' '\r' <'$tmp/base.yaml'; done"
for f in 100mb-document 10mb-line 1m-keys deep-nesting deep-maps; do
	measure "$f" cat "$tmp/$f.yaml"
done
