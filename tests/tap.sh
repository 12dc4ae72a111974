# tap.sh - the TAP helper the shell tests share. Source it once WORK names the
# test's scratch directory; then
#   t NAME COMMAND [ARGS...]
# is one test: "ok" when COMMAND succeeds, else "not ok" with COMMAND's output
# as the diagnostics. N counts the tests and FAILED the failures: a script ends
# with `echo "1..$N"` and a status from FAILED.
N=0
FAILED=0
t() {
	local name=$1
	shift
	N=$((N + 1))
	if "$@" >"$WORK/tap-diag" 2>&1; then
		echo "ok $N - $name"
	else
		FAILED=$((FAILED + 1))
		echo "not ok $N - $name"
		sed -e 's/^/# /' "$WORK/tap-diag" | head -n 60
	fi
}
