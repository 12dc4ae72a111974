#!/usr/bin/env bash
# Shows wi-inject doing its job: installs what the build needs, builds, runs it on a
# sample Helm 3 render of a Spaces-like chart (two control planes), and prints
# what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh meson ninja-build pkg-config gcc libc6-dev libyaml-dev libcjson-dev diffutils
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

sample=testdata/samples/spaces-helm3.yaml
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "\$ build/wi-inject --client-id 11111111-2222-3333-4444-555555555555 --verbose < $sample"
build/wi-inject --client-id 11111111-2222-3333-4444-555555555555 --verbose <"$sample" >"$out"
echo
echo "What changed (everything else is byte-identical):"
diff -U2 --label input --label output "$sample" "$out" || true
