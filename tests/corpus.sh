#!/usr/bin/env bash
# Real charts as Helm 3 and Helm 4 feed them (../shared/corpus, outside the
# project): with no target in them, wi-inject's output must be byte-identical to
# its input; with every ServiceAccount in them targeted, it must make exactly the
# expected edits (tests/semantic-check.py). Skips, saying so, without the corpus.
# Usage: corpus.sh WI_INJECT CORPUS_DIR PYTHON [helm3|helm4]   (default: both)
set -u

bin=$1
corpus=$2
python=$3
here=$(dirname "$0")
versions=("${4:-helm3}")
[ $# -ge 4 ] || versions+=(helm4)

shopt -s nullglob
files=()
for v in "${versions[@]}"; do files+=("$corpus/$v"/*.yaml); done
if [ ${#files[@]} -eq 0 ]; then
	echo "1..0 # SKIP no corpus at $corpus (it lives in ../shared, beside the project)"
	exit 0
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
echo "1..$((${#files[@]} + 1))"
n=0 failed=0
for f in "${files[@]}"; do
	n=$((n + 1))
	if "$bin" --client-id 11111111-2222-3333-4444-555555555555 --allow-missing "$f" >"$tmp" &&
		cmp -s "$f" "$tmp"; then
		echo "ok $n - pass-through is byte-identical: $f"
	else
		failed=$((failed + 1))
		echo "not ok $n - pass-through is byte-identical: $f"
	fi
done
n=$((n + 1))
if "$python" "$here/semantic-check.py" "$bin" "${files[@]}" >"$tmp"; then
	echo "ok $n - every ServiceAccount targeted: exactly the expected edits"
else
	failed=$((failed + 1))
	echo "not ok $n - every ServiceAccount targeted: exactly the expected edits"
	grep -A1 '^not ok' "$tmp" | sed 's/^/# /'
fi
exit $((failed > 0))
