#!/usr/bin/env bash
# values-route.sh - the values route and the post-renderer route give the same objects.
#
#   tests/values-route.sh WI_INJECT [PYTHON]
#
# For Azure, AWS and GCP, and for each component (backup, billing, secrets; the
# three at once; billing with vector as a StatefulSet), renders
# testdata/charts/spaces (the Spaces chart's values shape, three control-plane
# namespaces) three ways with the real Helm clients from scripts/get-helm.sh:
#   plain:  helm template, no identity;
#   values: helm template -f <(WI_INJECT --print-values IDENTITY);
#   set:    helm template with the --set-string options WI_INJECT prints when
#           its input holds none of the targets (exit status 3);
#   post:   helm template through WI_INJECT as a post-renderer, --no-checksum:
#           Helm 4 through the repository's plugin.yaml (installed from a
#           throw-away plugin directory holding WI_INJECT, without the build
#           hook, which tests/helm-e2e.sh covers), Helm 3 with
#           --post-renderer WI_INJECT.
# tests/values-route-compare.py then requires values, and set, and post to hold
# equal objects, and values to differ from plain in exactly the wired objects. One
# more case per cloud keeps the checksum and requires it on exactly the wired
# Deployments and StatefulSets.
#
# Each Helm version gets throw-away HELM_DATA_HOME/HELM_CONFIG_HOME/HELM_CACHE_HOME;
# no cluster (KUBECONFIG=/nonexistent). Output: TAP. Exit 0 when all passed.
set -u
set -o pipefail
export LC_ALL=C

BIN=$(realpath -- "${1:?usage: values-route.sh WI_INJECT [PYTHON]}") || exit 1
PYTHON=${2:-python3}
ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
CHART=$ROOT/testdata/charts/spaces
COMPARE=$ROOT/tests/values-route-compare.py
CPS=3 # testControlPlanes in the chart's values.yaml: a, b, c

for v in $(compgen -e); do
	case $v in HELM_* | WI_INJECT_*) unset "$v" ;; esac
done
export KUBECONFIG=/nonexistent/values-route-kubeconfig

WORK=$(mktemp -d "${TMPDIR:-/tmp}/values-route.XXXXXX") || { echo "Bail out! mktemp failed"; exit 1; }
trap 'rm -rf -- "$WORK"' EXIT
trap 'echo "Bail out! interrupted"; exit 130' INT TERM
cd "$WORK" || exit 1

. "$ROOT/tests/tap.sh"

h() { # VER ARGS...: helm VER with its own homes
	local ver=$1 bin
	shift
	case $ver in 3) bin=$HELM3 ;; *) bin=$HELM4 ;; esac
	HELM_DATA_HOME=$WORK/h$ver/data HELM_CONFIG_HOME=$WORK/h$ver/config \
		HELM_CACHE_HOME=$WORK/h$ver/cache "$bin" "$@"
}

out=$("$ROOT/scripts/get-helm.sh" 2>"$WORK/get-helm.err") || {
	echo "Bail out! scripts/get-helm.sh failed: $(tail -n 3 "$WORK/get-helm.err" | tr '\n' ' ')"
	exit 1
}
HELM3=$(printf '%s\n' "$out" | sed -n 's/^helm3=//p')
HELM4=$(printf '%s\n' "$out" | sed -n 's/^helm4=//p')

# The repository's Helm 4 plugin manifest, without its install and update hooks
# (they would build another wi-inject), running the binary under test.
install_plugin() {
	local dir=$WORK/plugin/wi-inject
	[ "$(h 3 version --template '{{.Version}}')" = v3.17.3 ] || { echo "$HELM3 is not Helm v3.17.3"; return 1; }
	[ "$(h 4 version --template '{{.Version}}')" = v4.1.4 ] || { echo "$HELM4 is not Helm v4.1.4"; return 1; }
	# Wherever platformCommand looks on this host, the binary under test.
	local sub
	for sub in linux-amd64 linux-arm64 source; do
		mkdir -p "$dir/bin/$sub" && cp -- "$BIN" "$dir/bin/$sub/wi-inject" || return
	done
	"$PYTHON" - "$ROOT/plugin.yaml" "$dir/plugin.yaml" <<-'EOF' || return
		import sys, yaml
		m = yaml.safe_load(open(sys.argv[1]))
		m["runtimeConfig"].pop("platformHooks", None)
		yaml.safe_dump(m, open(sys.argv[2], "w"))
	EOF
	h 4 plugin install "$dir" || return
	h 4 plugin list | awk '$1 == "wi-inject" && $3 == "postrenderer/v1" { f = 1 } END { exit !f }' ||
		{ echo "helm plugin list shows no postrenderer/v1 wi-inject:"; h 4 plugin list; return 1; }
}
t "setup: Helm v3.17.3 and v4.1.4, and a Helm 4 plugin from plugin.yaml running $(basename -- "$BIN")" install_plugin
[ "$FAILED" -eq 0 ] || { echo "Bail out! no Helm 4 plugin"; exit 1; }

lint() {
	local ver
	for ver in 3 4; do
		h "$ver" lint --strict "$CHART" >"$WORK/lint" 2>&1 || { echo "helm $ver lint --strict:"; cat "$WORK/lint"; return 1; }
	done
}
t "setup: helm lint --strict passes the chart (Helm 3 and Helm 4)" lint

GUID=11111111-2222-3333-4444-555555555555
TENANT=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
declare -A ID=(
	[azure]="--client-id=$GUID --tenant-id=$TENANT --token-expiration=3600"
	[aws]="--provider=aws --role-arn=arn:aws:iam::123456789012:role/spaces/wi --audience=sts.amazonaws.com --sts-regional-endpoints --token-expiration=3600"
	[gcp]="--provider=gcp --gcp-service-account=spaces-wi@my-project.iam.gserviceaccount.com"
)
# One cloud per component, from a config file.
cat >"$WORK/mixed.json" <<EOF
{"identities": [
  {"provider": "azure", "components": ["backup"], "clientId": "$GUID", "tenantId": "$TENANT"},
  {"provider": "aws", "components": ["billing"], "roleArn": "arn:aws:iam::123456789012:role/spaces/billing"},
  {"provider": "gcp", "components": ["secrets"], "gcpServiceAccount": "spaces-secrets@my-project.iam.gserviceaccount.com"}
]}
EOF
ID[mixed]="--config=$WORK/mixed.json"
NO_TARGETS=$WORK/no-targets.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: spaces-config\n  namespace: upbound-system\n' >"$NO_TARGETS"
# Per ServiceAccount (1) and pod template (1 for Azure, 0 otherwise), times namespaces.
declare -A PER_COMPONENT=([azure]=$((2 * CPS)) [aws]=$CPS [gcp]=$CPS)

# route VER CLOUD NAME CHANGED [--checksum] -- COMPONENT_ARGS... -- CHART_ARGS...
route() {
	local ver=$1 cloud=$2 name=$3 changed=$4 checksum=() comp=() chart=() post=() sets=() plain a
	shift 4
	if [ "$1" = --checksum ]; then checksum=(--checksum); shift; fi
	shift
	while [ "$1" != -- ]; do comp+=("$1"); shift; done
	shift
	chart=("$@")
	local d=$WORK/$ver-$cloud-$name
	mkdir -p "$d" || return
	# shellcheck disable=SC2086 # the identity options split on spaces
	set -- ${ID[$cloud]} "${comp[@]}"
	[ ${#checksum[@]} -eq 1 ] || set -- "$@" --no-checksum
	if [ "$ver" = 4 ]; then post=(--post-renderer wi-inject); else post=(--post-renderer "$BIN"); fi
	for a in "$@"; do post+=(--post-renderer-args "$a"); done

	"$BIN" --print-values "$@" >"$d/values.yaml" 2>"$d/print-values.err" ||
		{ echo "wi-inject --print-values $* failed:"; cat "$d/print-values.err"; return 1; }
	"$BIN" "$@" "$NO_TARGETS" >/dev/null 2>"$d/hint.err"
	a=$?
	[ "$a" = 3 ] || { echo "wi-inject $* on input without targets exited $a, want 3:"; cat "$d/hint.err"; return 1; }
	# Shell words, as printed for pasting: "--set-string 'key=value'".
	mapfile -t sets < <(sed -n 's/^wi-inject:   \(--set-string .*\)/\1/p' "$d/hint.err" |
		"$PYTHON" -c 'import shlex, sys
for line in sys.stdin: print("\n".join(shlex.split(line)))')
	[ ${#sets[@]} -gt 0 ] || { echo "no --set-string options in:"; cat "$d/hint.err"; return 1; }
	# The render without identity is the same for every identity.
	plain=$WORK/plain-$ver-$(printf '%s' "${chart[*]}" | tr -c 'a-zA-Z0-9' _).yaml
	{ [ -s "$plain" ] || h "$ver" template spaces "$CHART" -n upbound-system "${chart[@]}" >"$plain" 2>"$d/err"; } &&
		h "$ver" template spaces "$CHART" -n upbound-system "${chart[@]}" -f "$d/values.yaml" \
			>"$d/by-values.yaml" 2>"$d/err" &&
		h "$ver" template spaces "$CHART" -n upbound-system "${chart[@]}" "${sets[@]}" \
			>"$d/by-set.yaml" 2>"$d/err" &&
		h "$ver" template spaces "$CHART" -n upbound-system "${chart[@]}" "${post[@]}" \
			>"$d/post.yaml" 2>"$d/err" ||
		{ echo "helm $ver template failed:"; cat "$d/err"; return 1; }
	"$PYTHON" "$COMPARE" "$plain" "$d/post.yaml" "$changed" "${checksum[@]}" \
		"$d/by-values.yaml" "$d/by-set.yaml" || {
		echo "by-values.yaml: values (wi-inject --print-values $*):"
		cat "$d/values.yaml"
		echo "by-set.yaml: --set-string options (from wi-inject $* on input without targets):"
		printf '%s\n' "${sets[@]}"
		return 1
	}
}

for ver in 4 3; do
	for cloud in azure aws gcp; do
		one=${PER_COMPONENT[$cloud]}
		for c in backup billing secrets; do
			t "helm$ver $cloud --component $c: values routes = post-renderer route" \
				route "$ver" "$cloud" "$c" "$one" -- --component "$c" --
		done
		t "helm$ver $cloud, three components: values routes = post-renderer route" \
			route "$ver" "$cloud" all $((3 * one)) -- --component backup --component billing --component secrets --
		t "helm$ver $cloud --component billing, vector a StatefulSet: values routes = post-renderer route" \
			route "$ver" "$cloud" statefulset "$one" -- --component billing -- \
			--set controlPlanes.vector.persistence.enabled=true
		t "helm$ver $cloud, three components, checksum kept: same but for it; on every wired Deployment" \
			route "$ver" "$cloud" checksum $((3 * one)) --checksum -- \
			--component backup --component billing --component secrets --
	done
	t "helm$ver --config: Azure for backup, AWS for billing, GCP for secrets: values routes = post-renderer route" \
		route "$ver" mixed config $((4 * CPS)) -- --
done

echo "1..$N"
exit $((FAILED > 0))
