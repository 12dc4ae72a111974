#!/usr/bin/env bash
# helm-log.sh - the real Helm 4 client throws a post-renderer plugin's stderr away;
# check that wi-inject's errors still reach $HELM_CACHE_HOME/wi-inject/error.log and
# the controlling terminal.
#
#   tests/helm-log.sh [REPO_ROOT]      (default: this script's parent directory)
#
# Installs the plugin from a copy of the working tree (the install hook builds it),
# with throw-away HELM_DATA_HOME/HELM_CONFIG_HOME/HELM_CACHE_HOME, and renders
# testdata/charts/spaces-like with `helm template`. Needs no cluster and no network
# beyond what scripts/get-helm.sh needs the first time. Output: TAP; exit 1 on failure.
set -u
export LC_ALL=C

ROOT=$(cd -P -- "${1:-$(dirname -- "${BASH_SOURCE[0]}")/..}" && pwd -P) || {
	echo "Bail out! repository root not found"
	exit 1
}
for v in $(compgen -e); do
	case $v in HELM_* | WI_INJECT_* | XDG_CACHE_HOME) unset "$v" ;; esac
done
export KUBECONFIG=/nonexistent/helm-log-kubeconfig

GUID=3f0c2a5e-7b1d-4c8e-9a6f-0123456789ab
CHART=$ROOT/testdata/charts/spaces-like
WORK=$(mktemp -d "${TMPDIR:-/tmp}/helm-log.XXXXXX") || { echo "Bail out! mktemp failed"; exit 1; }
trap 'rm -rf -- "$WORK"' EXIT
mkdir -p "$WORK/cwd"
cd "$WORK/cwd" || exit 1
CACHE=$WORK/home/cache
LOG=$CACHE/wi-inject/error.log
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z \[[0-9]+\] '

. "$ROOT/tests/tap.sh"
bail() { echo "Bail out! $*"; echo "1..$N"; exit 1; }

h() { # helm 4 with its own homes
	HELM_DATA_HOME=$WORK/home/data HELM_CONFIG_HOME=$WORK/home/config \
		HELM_CACHE_HOME=$CACHE "$HELM4" "$@"
}
template() { # extra arguments; output in $WORK/out.yaml and $WORK/out.err
	h template spaces "$CHART" --set 'controlPlanes={a,b}' --post-renderer wi-inject "$@" \
		>"$WORK/out.yaml" 2>"$WORK/out.err"
}

HELM4=$("$ROOT/scripts/get-helm.sh" 2>"$WORK/get-helm.err" | sed -n 's/^helm4=//p')
[ -x "$HELM4" ] || { cat "$WORK/get-helm.err"; bail "no Helm 4 client (scripts/get-helm.sh)"; }

# The working tree as a clone would have it, uncommitted changes included.
install() {
	local copy=$WORK/src/wi-inject
	mkdir -p "$copy"
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
		grep -zv -e '^build' -e '^\.cache/' | xargs -0 tar --no-recursion -cf - 2>/dev/null) |
		tar -xf - -C "$copy" || return 1
	h plugin install "$copy" >"$WORK/install.out" 2>&1 || { tail -n 20 "$WORK/install.out"; return 1; }
	[ -x "$copy/build-plugin/wi-inject" ] || { echo "the install hook built nothing"; return 1; }
}
t "helm4: plugin install from a copy of the working tree" install
[ "$FAILED" -eq 0 ] || bail "the plugin could not be installed"

success_no_log() {
	template --post-renderer-args "--client-id=$GUID" || { cat "$WORK/out.err"; return 1; }
	grep -q "azure.workload.identity/client-id: .\{0,1\}$GUID" "$WORK/out.yaml" || { echo "not wired"; return 1; }
	[ ! -e "$CACHE/wi-inject" ] || { echo "a successful run made a log:"; ls -lA "$CACHE/wi-inject"; return 1; }
}
t "helm4: a successful render writes no log" success_no_log

bad_guid() {
	template --post-renderer-args --client-id=bad && { echo "helm template succeeded"; return 1; }
	grep -q 'wi-inject' "$WORK/out.err" || { echo "helm said:"; cat "$WORK/out.err"; return 1; }
	! grep -q 'is not a GUID' "$WORK/out.err" ||
		{ echo "Helm showed the plugin's stderr: this test no longer proves anything"; return 1; }
	grep -Eq "${stamp}wi-inject: error: --client-id: \"bad\" is not a GUID" "$LOG" ||
		{ echo "not in $LOG:"; cat "$LOG"; return 1; }
	[ "$(stat -c %a "$CACHE/wi-inject")" = 700 ] || { echo "directory mode $(stat -c %a "$CACHE/wi-inject")"; return 1; }
	[ "$(stat -c %a "$LOG")" = 600 ] || { echo "file mode $(stat -c %a "$LOG")"; return 1; }
}
t "helm4: --client-id=bad fails; the error is in \$HELM_CACHE_HOME/wi-inject/error.log (0700/0600)" bad_guid

no_match() {
	template --set withMxpController=false --post-renderer-args "--client-id=$GUID" &&
		{ echo "helm template succeeded"; return 1; }
	grep -Eq "${stamp}wi-inject: error: no ServiceAccount or workload matched .*--allow-missing" "$LOG" ||
		{ echo "not in $LOG:"; cat "$LOG"; return 1; }
	[ "$(wc -l <"$LOG")" -ge 2 ] || { echo "the first error was not kept"; return 1; }
}
t "helm4: a render that matches nothing is appended, hint included" no_match

env_wins() {
	local before
	before=$(wc -c <"$LOG")
	WI_INJECT_LOG=$WORK/mine.log template --post-renderer-args --client-id=bad2 &&
		{ echo "helm template succeeded"; return 1; }
	grep -q -- '--client-id: "bad2" is not a GUID' "$WORK/mine.log" || { echo "not in WI_INJECT_LOG"; return 1; }
	[ "$(wc -c <"$LOG")" -eq "$before" ] || { echo "the cache log was written too"; return 1; }
}
t "helm4: WI_INJECT_LOG wins over the cache log" env_wins

# An interactive user: helm runs with a controlling terminal (script(1)), its own
# stderr in a file; the plugin's message reaches the terminal at once.
terminal() {
	script -qec "HELM_DATA_HOME='$WORK/home/data' HELM_CONFIG_HOME='$WORK/home/config' \
HELM_CACHE_HOME='$CACHE' '$HELM4' template spaces '$CHART' --post-renderer wi-inject \
--post-renderer-args --client-id=bad3 >/dev/null 2>'$WORK/tty.err'" /dev/null </dev/null >"$WORK/tty.out"
	grep -q -- 'wi-inject: error: --client-id: "bad3" is not a GUID' "$WORK/tty.out" ||
		{ echo "terminal:"; cat "$WORK/tty.out"; echo "helm's stderr:"; cat "$WORK/tty.err"; return 1; }
}
# script(1) is in bsdutils, which every Debian system has: no skipping.
t "helm4: with a controlling terminal the user sees the plugin's error there" terminal

echo "1..$N"
exit $((FAILED > 0))
