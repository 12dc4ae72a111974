#!/usr/bin/env bash
# install.sh - the release, as users get it: package, sign, publish, install, render.
#
#   tests/install.sh [REPO_ROOT]      (default: this script's parent directory)
#
# Copies the working tree (as helm-e2e.sh does: no build*/, .cache/ or bin/), makes
# a throw-away GPG key, runs scripts/package.sh --sign into a fresh directory, and
# then, as an unprivileged user (wi-user, created when running as root) with
# throw-away Helm homes and the real Helm v3.17.3 and v4.1.4 clients:
#   - Helm 4 installs the signed tarball with verification under a PATH where every
#     compiler and build tool fails (and records that it was called), and renders
#     testdata/charts/spaces-like through it; a tampered tarball is refused;
#   - scripts/publish-oci.sh pushes to Debian's docker-registry on 127.0.0.1, and
#     Helm 4 installs from oci:// with verification and renders;
#   - Helm 3 installs wi-inject-path over HTTP from 127.0.0.1 and renders; the
#     README's fail-closed recipe fails when the binary does not run;
#   - a plugins directory shared by Helm 3 and Helm 4: what breaks, and that the
#     documented recovery (its own HELM_DATA_HOME for Helm 3) works;
#   - an install from source without build tools names the packages and leaves no
#     plugin behind; installing again with them builds and renders;
#   - a failing Helm 4 render leaves its reason in $HELM_CACHE_HOME/wi-inject/error.log;
#   - the per-architecture tarball installs bin/wi-inject, the man page, completions.
# Servers listen on 127.0.0.1 only and are stopped on exit.
#
# Output: TAP. Exit status: 0 when every test passed, 1 otherwise.
# INSTALL_TEST_KEEP=1 keeps the temporary directory.
set -u
set -o pipefail
export LC_ALL=C

ROOT=$(cd -P -- "${1:-$(dirname -- "${BASH_SOURCE[0]}")/..}" 2>/dev/null && pwd -P) || {
    echo "Bail out! repository root '${1:-}' not found"
    exit 1
}
for v in $(compgen -e); do
    case $v in HELM_* | WI_INJECT_* | GNUPGHOME) unset "$v" ;; esac
done

GUID=3f0c2a5e-7b1d-4c8e-9a6f-0123456789ab
KEY='wi-inject release test <release-test@example.invalid>'
START=$(date +%s)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wi-install.XXXXXX") || { echo "Bail out! mktemp failed"; exit 1; }
chmod 0755 "$WORK"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]+"${PIDS[@]}"}"; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    if [ "${INSTALL_TEST_KEEP:-0}" = 1 ]; then
        echo "# kept $WORK"
    else
        rm -rf -- "$WORK"
    fi
}
trap cleanup EXIT
trap 'echo "Bail out! interrupted"; exit 130' INT TERM

# --- TAP ----------------------------------------------------------------------
. "$ROOT/tests/tap.sh"
fail() { printf '%s\n' "$*"; return 1; }
show() { echo "--- ${1#"$WORK"/}:"; tail -n "${2:-15}" -- "$1"; }
bail() { echo "Bail out! $*"; exit 1; }

# --- the unprivileged user --------------------------------------------------------
# Installs run as a user who cannot write anywhere but its own directories.
RUN=()
if [ "$(id -u)" -eq 0 ]; then
    id wi-user >/dev/null 2>&1 || useradd -m wi-user || bail "useradd wi-user failed"
    RUN=(runuser -u wi-user --)
    OWNER='wi-user'
else
    OWNER=$(id -un)
fi
UHOME=$WORK/home
mkdir -p "$UHOME" && chown "$OWNER" "$UHOME" || bail "cannot make $UHOME"

# Tools that build: each records its call and fails. /usr/bin keeps its own copies,
# so this directory goes first in PATH.
NOCC=$WORK/nocc
mkdir -p "$NOCC"
CALLED=$UHOME/compiler-called
for c in cc gcc clang tcc c89 c99 cpp g++ c++ ld as make cmake meson ninja ninja-build samu \
    x86_64-linux-gnu-gcc x86_64-linux-gnu-gcc-12 aarch64-linux-gnu-gcc pkg-config pkgconf; do
    printf '#!/bin/sh\necho "%s $*" >>"%s"\necho "%s: compilers are forbidden in this test" >&2\nexit 1\n' \
        "$c" "$CALLED" "$c" >"$NOCC/$c"
    chmod 0755 "$NOCC/$c"
done
UPATH=$NOCC:/usr/local/bin:/usr/bin:/bin

# u VAR=VALUE... CMD...: run CMD as the user, with nothing from our environment.
u() { "${RUN[@]}" env -i HOME="$UHOME" PATH="$UPATH" LC_ALL=C KUBECONFIG=/nonexistent "$@"; }
# h VER HOMEDIR ARGS...: that user's helm VER with its own throw-away homes.
h() {
    local ver=$1 d=$UHOME/$2 bin
    shift 2
    case $ver in 3) bin=$HELM3 ;; *) bin=$HELM4 ;; esac
    u HELM_DATA_HOME="$d/data" HELM_CONFIG_HOME="$d/config" HELM_CACHE_HOME="$d/cache" \
        "${EXTRA_ENV[@]+"${EXTRA_ENV[@]}"}" timeout 300 "$bin" "$@"
}
EXTRA_ENV=()
# wired FILE N: FILE holds N mxp-controller client-id annotations and N pod labels.
wired() {
    local a l
    a=$(grep -c "azure.workload.identity/client-id: \"$GUID\"" "$1")
    l=$(grep -c 'azure.workload.identity/use: "true"' "$1")
    [ "$a" -eq "$2" ] && [ "$l" -ge "$2" ] || fail "want $2 client-id annotations and >= $2 use labels; got $a and $l"
}
# From the copy below: the user may not be able to read the checkout (/root/...).
SRC=$WORK/src/wi-inject
CHART=$SRC/testdata/charts/spaces-like
RENDER=(template rel "$CHART" --set 'controlPlanes={a,b,c}')

# ================================================================================
# setup
# ================================================================================
get_helm() {
    local out
    out=$("$ROOT/scripts/get-helm.sh" 2>"$WORK/get-helm.err") || { cat "$WORK/get-helm.err"; return 1; }
    # Copies the user can surely read and run.
    install -m 0755 "$(sed -n 's/^helm3=//p' <<<"$out")" "$WORK/helm3" || return
    install -m 0755 "$(sed -n 's/^helm4=//p' <<<"$out")" "$WORK/helm4" || return
    HELM3=$WORK/helm3 HELM4=$WORK/helm4
    [ "$(h 3 v version --template '{{.Version}}')" = v3.17.3 ] || fail "helm3 is not v3.17.3" || return
    [ "$(h 4 v version --template '{{.Version}}')" = v4.1.4 ] || fail "helm4 is not v4.1.4"
}
HELM3='' HELM4=''
t "setup: Helm v3.17.3 and v4.1.4, run as $OWNER" get_helm
[ "$FAILED" -eq 0 ] || bail "no Helm binaries"

copy_tree() {
    mkdir -p "$SRC" || return
    if ! git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        tar -C "$ROOT" --exclude='./build*' --exclude=./.cache --exclude=./bin -cf - . | tar -xpf - -C "$SRC" || return
    else (
        cd "$ROOT" || exit 1
        git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
            case $f in build*/* | .cache/* | bin/*) continue ;; esac
            [ -e "$f" ] || [ -L "$f" ] || continue
            printf '%s\0' "$f"
        done | tar --null --no-recursion -T - -cf -
    ) | tar -xpf - -C "$SRC" || return
    fi
    (cd "$SRC" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm copy) \
        || fail "git commit in the copy failed"
}
t "setup: a clean copy of the working tree (a git checkout, no build output)" copy_tree
[ -d "$CHART" ] || bail "no $CHART"

# The man page, completions and LICENSE come from another part of the project;
# until they are present, stand-ins let the rest of the release be tested.
docs_present() {
    local f missing=0
    for f in doc/wi-inject.1 completions/wi-inject.bash completions/_wi-inject LICENSE; do
        [ -f "$SRC/$f" ] && continue
        echo "missing $f: a stand-in is used for the tests below"
        missing=1
        mkdir -p "$SRC/$(dirname "$f")"
        case $f in
            *.1) printf '.TH WI-INJECT 1\n.SH NAME\nwi-inject \\- stand-in\n' ;;
            *.bash) printf 'complete -W "--help --version" wi-inject\n' ;;
            */_wi-inject) printf '#compdef wi-inject\n_arguments "--help" "--version"\n' ;;
            *) printf 'stand-in\n' ;;
        esac >"$SRC/$f"
    done
    (cd "$SRC" && git add -A && git -c user.name=t -c user.email=t@t commit -qm stand-ins) >/dev/null 2>&1
    return "$missing"
}
t "release inputs present: doc/wi-inject.1, completions/wi-inject.bash and _wi-inject, LICENSE" docs_present

gpg_key() {
    export GNUPGHOME=$WORK/gnupg
    mkdir -m 0700 "$GNUPGHOME" || return
    gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
        --quick-gen-key "$KEY" ed25519 sign never 2>&1 || return
    gpg --batch --export-secret-keys "$KEY" >"$WORK/secring.gpg" || return
    gpg --batch --export "$KEY" >"$WORK/pubring.gpg" || return
    chmod 0644 "$WORK/pubring.gpg"
    [ -s "$WORK/secring.gpg" ] && [ -s "$WORK/pubring.gpg" ]
}
t "setup: a throw-away GPG signing key" gpg_key

OUT=$WORK/release
VERSION=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$SRC/meson.build" | head -n 1)
package() {
    local s e
    s=$(date +%s)
    HELM4=$HELM4 "$SRC/scripts/package.sh" --sign "$KEY" --keyring "$WORK/secring.gpg" "$OUT" \
        >"$WORK/package.out" 2>"$WORK/package.err" || { show "$WORK/package.err" 30; return 1; }
    e=$(date +%s)
    echo "package.sh took $((e - s)) s"
    chmod -R a+rX "$OUT"
    (cd "$OUT" && ls -l)
}
t "scripts/package.sh --sign KEY --keyring SECRING OUTDIR succeeds" package

artifacts() {
    local f
    for f in "wi-inject-$VERSION.tgz" "wi-inject-$VERSION.tgz.prov" "wi-inject-path-$VERSION.tgz" \
        "wi-inject-$VERSION-linux-amd64.tar.gz" "wi-inject-$VERSION-linux-arm64.tar.gz" SHA256SUMS; do
        [ -s "$OUT/$f" ] || fail "no $f" || return
    done
    (cd "$OUT" && sha256sum --strict -c SHA256SUMS) || return
    [ "$(wc -l <"$OUT/SHA256SUMS")" -eq 5 ] || fail "SHA256SUMS should list the 5 other files"
}
t "OUTDIR holds both plugins, the .prov, both per-arch tarballs and a SHA256SUMS that checks" artifacts

# Same commit, same bytes: file times come from the last commit, tar and gzip
# record no owner, order or time of their own.
reproducible() {
    [ -s "$OUT/SHA256SUMS" ] || return 1
    HELM4=$HELM4 "$SRC/scripts/package.sh" "$WORK/release2" >/dev/null 2>"$WORK/package2.err" \
        || { show "$WORK/package2.err"; return 1; }
    grep -v '\.prov$' "$OUT/SHA256SUMS" >"$WORK/sums1"
    diff "$WORK/sums1" "$WORK/release2/SHA256SUMS"
}
t "package.sh again (unsigned): byte-identical tarballs" reproducible

static_binaries() {
    local a elf d
    for a in amd64 arm64; do
        case $a in amd64) elf='x86-64' ;; arm64) elf='ARM aarch64' ;; esac
        d=$WORK/x-$a
        mkdir -p "$d" && tar -xzf "$OUT/wi-inject-$VERSION.tgz" -C "$d" || return
        [ -f "$d/wi-inject/bin/linux-$a/wi-inject" ] || fail "the Helm 4 plugin has no bin/linux-$a/wi-inject" || return
        file -b "$d/wi-inject/bin/linux-$a/wi-inject" | tee "$d/file"
        grep -q "$elf" "$d/file" || fail "not $elf" || return
        grep -Eq 'statically linked|static-pie linked' "$d/file" || fail "linux/$a is not statically linked" || return
    done
}
t "the Helm 4 plugin bundles static linux/amd64 and linux/arm64 binaries (needs scripts/build-static.sh)" static_binaries

one_version() {
    local v d=$WORK/v
    mkdir -p "$d/4" "$d/3" "$d/amd64"
    tar -xzf "$OUT/wi-inject-$VERSION.tgz" -C "$d/4" && tar -xzf "$OUT/wi-inject-path-$VERSION.tgz" -C "$d/3" \
        && tar -xzf "$OUT/wi-inject-$VERSION-linux-amd64.tar.gz" -C "$d/amd64" || return
    echo "meson.build: $VERSION"
    for v in "$SRC/plugin.yaml" "$SRC/helm3/wi-inject-path/plugin.yaml" "$d/4/wi-inject/plugin.yaml" "$d/3/plugin.yaml"; do
        echo "${v#"$WORK"/}: $(sed -n 's/^version: *//p' "$v")"
        [ "$(sed -n 's/^version: *//p' "$v")" = "$VERSION" ] || fail "differs" || return
    done
    for v in "$d/4/wi-inject/bin/linux-amd64/wi-inject" "$d/3/wi-inject-linux-amd64" "$d/amd64/wi-inject-$VERSION-linux-amd64/bin/wi-inject"; do
        echo "${v#"$WORK"/} --version: $("$v" --version | head -n 1)"
        [ "$("$v" --version | head -n 1)" = "wi-inject $VERSION" ] || fail "differs" || return
    done
    if [ -f "$d/4/wi-inject/bin/linux-arm64/wi-inject" ] && command -v qemu-aarch64-static >/dev/null; then
        v=$(qemu-aarch64-static "$d/4/wi-inject/bin/linux-arm64/wi-inject" --version | head -n 1)
        echo "linux-arm64 --version (qemu): $v"
        [ "$v" = "wi-inject $VERSION" ] || fail "differs"
    fi
}
t "one version: meson.build, both plugin.yaml files (source and packaged), every binary's --version, the file names" one_version

h3_layout() {
    tar -tzf "$OUT/wi-inject-path-$VERSION.tgz" >"$WORK/h3.list" || return
    grep -qx 'plugin.yaml' "$WORK/h3.list" || fail "no plugin.yaml at the root" || return
    ! grep -q '/' "$WORK/h3.list" || fail "not flat:" "$(grep '/' "$WORK/h3.list" | head -n 3)" || return
    ! grep -Eq '^\.' "$WORK/h3.list" || fail "a ./ entry" || return
    grep -qx 'wi-inject-linux-amd64' "$WORK/h3.list" && grep -qx 'wi-inject-linux-arm64' "$WORK/h3.list" \
        || fail "no wi-inject-linux-amd64 and wi-inject-linux-arm64:" "$(cat "$WORK/h3.list")" || return
    ! tar -xzOf "$OUT/wi-inject-path-$VERSION.tgz" plugin.yaml | grep -q '^apiVersion' || fail "root plugin.yaml is the Helm 4 one"
}
t "the Helm 3 tarball is flat: plugin.yaml and both binaries at the root, no directory or ./ entry" h3_layout

# ================================================================================
# Helm 4: the signed tarball, with verification, and no compiler
# ================================================================================
h4_tarball() {
    h 4 t4 plugin install "$OUT/wi-inject-$VERSION.tgz" --keyring "$WORK/pubring.gpg" \
        >"$WORK/t4.out" 2>&1 || { show "$WORK/t4.out"; return 1; }
    cat "$WORK/t4.out"
    grep -q 'Plugin Hash Verified' "$WORK/t4.out" || fail "no 'Plugin Hash Verified'" || return
    grep -q 'using the bundled' "$WORK/t4.out" || fail "the hook did not use the bundled binary" || return
    [ ! -e "$CALLED" ] || fail "a build tool was called:" "$(cat "$CALLED")" || return
    h 4 t4 plugin list >"$WORK/t4.list" 2>&1 || return
    grep -Eq "^wi-inject[[:space:]]+${VERSION}[[:space:]]+postrenderer/v1.*[[:space:]]signed" "$WORK/t4.list" \
        || { show "$WORK/t4.list"; fail "not listed as a signed postrenderer/v1 $VERSION"; }
}
t "helm4: plugin install wi-inject-$VERSION.tgz --keyring PUB verifies; no compiler or build tool is called" h4_tarball

h4_render() { # home
    h 4 "$1" "${RENDER[@]}" --post-renderer wi-inject --post-renderer-args "--client-id=$GUID" \
        >"$WORK/$1.yaml" 2>"$WORK/$1.err" || { show "$WORK/$1.err"; return 1; }
    wired "$WORK/$1.yaml" 3 || return
    [ ! -e "$CALLED" ] || fail "a build tool was called:" "$(cat "$CALLED")"
}
t "helm4: helm template --post-renderer wi-inject (installed tarball) wires all 3 mxp-controllers" h4_render t4

h4_tampered() {
    mkdir -p "$WORK/tampered" || return
    cp "$OUT/wi-inject-$VERSION.tgz.prov" "$WORK/tampered/" || return
    # The same files, packed again with one byte more in plugin.yaml: a valid tarball, another hash.
    mkdir -p "$WORK/tampered/x" && tar -xzf "$OUT/wi-inject-$VERSION.tgz" -C "$WORK/tampered/x" || return
    echo '# changed' >>"$WORK/tampered/x/wi-inject/plugin.yaml"
    tar -czf "$WORK/tampered/wi-inject-$VERSION.tgz" -C "$WORK/tampered/x" wi-inject || return
    chmod -R a+rX "$WORK/tampered"
    if h 4 tamper plugin install "$WORK/tampered/wi-inject-$VERSION.tgz" --keyring "$WORK/pubring.gpg" \
        >"$WORK/tamper.out" 2>&1; then
        show "$WORK/tamper.out"
        fail "the tampered tarball was installed"
        return
    fi
    cat "$WORK/tamper.out"
    grep -qi 'verif\|sha\|hash' "$WORK/tamper.out" || fail "the refusal does not say why" || return
    if h 4 tamper plugin list 2>&1 | grep -q '^wi-inject'; then fail "wi-inject is listed after the refusal"; fi
}
t "helm4: a tampered tarball (with the original .prov) is refused, and not installed" h4_tampered

h4_error_log() {
    local log=$UHOME/t4/cache/wi-inject/error.log
    if h 4 t4 "${RENDER[@]}" --post-renderer wi-inject --post-renderer-args --client-id=not-a-guid \
        >"$WORK/t4bad.yaml" 2>"$WORK/t4bad.err"; then
        fail "the render succeeded"
        return
    fi
    cat "$WORK/t4bad.err"
    [ -s "$log" ] || fail "no $log (written by wi-inject when HELM_PLUGIN_NAME is set and stderr is no terminal)" || return
    cat "$log"
    grep -q 'not-a-guid' "$log" || fail "the log does not name the bad value"
}
t "helm4: after a failing render, the reason is in \$HELM_CACHE_HOME/wi-inject/error.log" h4_error_log

# ================================================================================
# OCI
# ================================================================================
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
REG=''
registry() {
    local port
    command -v docker-registry >/dev/null || fail "docker-registry is not installed" || return
    port=$(free_port) || return
    mkdir -p "$WORK/registry"
    printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
        "$WORK/registry/data" "$port" >"$WORK/registry/config.yml"
    docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 50); do
        curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && { REG=127.0.0.1:$port; return 0; }
        sleep 0.1
    done
    show "$WORK/registry/log"
    fail "the registry did not answer on 127.0.0.1:$port"
}
t "setup: Debian's docker-registry serving on 127.0.0.1" registry

oci_push() {
    [ -n "$REG" ] || return 1
    "$SRC/scripts/publish-oci.sh" "$OUT/wi-inject-$VERSION.tgz" "oci://$REG/plugins" --plain-http \
        >"$WORK/push.out" 2>"$WORK/push.err" || { show "$WORK/push.err"; return 1; }
    cat "$WORK/push.out" "$WORK/push.err"
    [ "$(cat "$WORK/push.out")" = "oci://$REG/plugins/wi-inject:$VERSION" ] || fail "unexpected reference printed" || return
    curl -fs -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        "http://127.0.0.1:${REG#*:}/v2/plugins/wi-inject/manifests/$VERSION" >"$WORK/manifest.json" || return
    jq -e --arg v "$VERSION" '.artifactType == "application/vnd.helm.plugin.v1+json"
        and .config.mediaType == "application/vnd.oci.empty.v1+json"
        and ([.layers[].annotations["org.opencontainers.image.title"]] == ["wi-inject-\($v).tgz", "wi-inject-\($v).tgz.prov"])' \
        "$WORK/manifest.json" >/dev/null || { cat "$WORK/manifest.json"; fail "not the artifact Helm reads"; }
}
t "scripts/publish-oci.sh pushes the tarball and .prov as a Helm plugin artifact" oci_push

oci_install() {
    [ -n "$REG" ] || return 1
    h 4 oci plugin install "oci://$REG/plugins/wi-inject:$VERSION" --plain-http --keyring "$WORK/pubring.gpg" \
        >"$WORK/oci.out" 2>&1 || { show "$WORK/oci.out"; return 1; }
    cat "$WORK/oci.out"
    grep -q 'Plugin Hash Verified' "$WORK/oci.out" || fail "not verified" || return
    h 4 oci plugin list | grep -Eq "^wi-inject[[:space:]]+${VERSION}[[:space:]].*[[:space:]]signed" || fail "not listed as signed" || return
    h4_render oci
}
t "helm4: plugin install oci://127.0.0.1:PORT/plugins/wi-inject:$VERSION verifies, no compiler, renders" oci_install

# A second push of the same files uploads nothing again.
oci_repush() {
    [ -n "$REG" ] || return 1
    "$SRC/scripts/publish-oci.sh" "$OUT/wi-inject-$VERSION.tgz" "oci://$REG/plugins" --plain-http \
        >/dev/null 2>"$WORK/push2.err" || { show "$WORK/push2.err"; return 1; }
    [ "$(grep -c 'already there' "$WORK/push2.err")" -eq 3 ] || { show "$WORK/push2.err"; fail "blobs uploaded again"; }
}
t "publish-oci.sh again: the 3 blobs are found, not uploaded again" oci_repush

# A registry that wants a login (htpasswd: basic authentication; the bcrypt hash
# from Debian 12's Python 3.11 crypt module, deprecated but present).
oci_auth() {
    local port hash i
    port=$(free_port) || return
    hash=$(/usr/bin/python3 -W ignore -c 'import crypt; print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH)))') \
        || return
    mkdir -p "$WORK/areg" && echo "publisher:$hash" >"$WORK/areg/htpasswd"
    printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\nauth:\n  htpasswd:\n    realm: test\n    path: %s\n' \
        "$WORK/areg/data" "$port" "$WORK/areg/htpasswd" >"$WORK/areg/config.yml"
    docker-registry serve "$WORK/areg/config.yml" >"$WORK/areg/log" 2>&1 &
    PIDS+=($!)
    for i in $(seq 50); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/")" = 401 ] && break
        sleep 0.1
    done
    [ "$i" -lt 50 ] || { show "$WORK/areg/log"; fail "the registry did not answer"; return; }
    if "$SRC/scripts/publish-oci.sh" "$OUT/wi-inject-$VERSION.tgz" "oci://127.0.0.1:$port/plugins" --plain-http \
        >/dev/null 2>"$WORK/apush1.err"; then
        fail "pushed without credentials"; return
    fi
    show "$WORK/apush1.err" 1
    grep -q 'HTTP 401 (credentials: OCI_USERNAME and OCI_PASSWORD)' "$WORK/apush1.err" || fail "no hint" || return
    OCI_USERNAME=publisher OCI_PASSWORD=s3cret "$SRC/scripts/publish-oci.sh" "$OUT/wi-inject-$VERSION.tgz" \
        "oci://127.0.0.1:$port/plugins" --plain-http >/dev/null 2>"$WORK/apush2.err" || { show "$WORK/apush2.err"; return 1; }
    echo s3cret | h 4 auth registry login "127.0.0.1:$port" --username publisher --password-stdin --plain-http \
        >/dev/null 2>"$WORK/alogin.err" || { show "$WORK/alogin.err"; return 1; }
    h 4 auth plugin install "oci://127.0.0.1:$port/plugins/wi-inject:$VERSION" --plain-http --keyring "$WORK/pubring.gpg" \
        >"$WORK/ainst.out" 2>&1 || { show "$WORK/ainst.out"; return 1; }
    grep -q 'Plugin Hash Verified' "$WORK/ainst.out" || fail "not verified"
}
t "publish-oci.sh to a registry with a login: refused without credentials (saying which), pushed with them; helm4 installs" oci_auth

# ================================================================================
# Helm 3 over HTTP
# ================================================================================
WEB=''
web() {
    mkdir -p "$WORK/web"
    cat >"$WORK/web/serve.py" <<'EOF'
# Serves a directory on 127.0.0.1 (a free port, printed first). Helm 3 picks its
# plugin installer from the Content-Type of a HEAD request: .tgz must be gzip.
import http.server, socketserver, sys, os
os.chdir(sys.argv[1])
class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      '.tgz': 'application/gzip', '.gz': 'application/gzip'}
    def log_message(self, *args): pass
server = socketserver.TCPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
EOF
    python3 "$WORK/web/serve.py" "$OUT" >"$WORK/web/port" 2>"$WORK/web/log" &
    PIDS+=($!)
    local ct
    for _ in $(seq 50); do
        [ -s "$WORK/web/port" ] && break
        sleep 0.1
    done
    WEB=127.0.0.1:$(cat "$WORK/web/port")
    ct=$(curl -fsI "http://$WEB/wi-inject-path-$VERSION.tgz" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Tt]ype: *//p')
    [ "$ct" = application/gzip ] || { WEB=''; fail "Content-Type '$ct'"; }
}
t "setup: an HTTP server on 127.0.0.1 serving .tgz as application/gzip" web

h3_http() {
    [ -n "$WEB" ] || return 1
    h 3 t3 plugin install "http://$WEB/wi-inject-path-$VERSION.tgz" >"$WORK/t3.out" 2>&1 || { show "$WORK/t3.out"; return 1; }
    cat "$WORK/t3.out"
    grep -q 'using the bundled' "$WORK/t3.out" || fail "the hook did not use the bundled binary" || return
    [ ! -e "$CALLED" ] || fail "a build tool was called:" "$(cat "$CALLED")" || return
    WI3=$(h 3 t3 wi-inject-path 2>"$WORK/t3path.err") || { show "$WORK/t3path.err"; return 1; }
    echo "helm wi-inject-path: $WI3"
    [ "$WI3" = "$UHOME/t3/data/plugins/wi-inject-path/wi-inject-linux-amd64" ] || fail "unexpected path" || return
    h 3 t3 "${RENDER[@]}" --post-renderer "$WI3" --post-renderer-args "--client-id=$GUID" \
        >"$WORK/t3.yaml" 2>"$WORK/t3.err" || { show "$WORK/t3.err"; return 1; }
    wired "$WORK/t3.yaml" 3
}
WI3=''
t "helm3: plugin install http://127.0.0.1:PORT/wi-inject-path-$VERSION.tgz, no compiler; --post-renderer \"\$(helm wi-inject-path)\" wires" h3_http

h4_http() {
    [ -n "$WEB" ] || return 1
    h 4 http4 plugin install "http://$WEB/wi-inject-$VERSION.tgz" --keyring "$WORK/pubring.gpg" \
        >"$WORK/http4.out" 2>&1 || { show "$WORK/http4.out"; return 1; }
    grep -q 'Plugin Hash Verified' "$WORK/http4.out" || fail "not verified (the .prov beside the URL)" || return
    h4_render http4
}
t "helm4: plugin install http://127.0.0.1:PORT/wi-inject-$VERSION.tgz fetches the .prov beside it, verifies, renders" h4_http

# The README's recipe: WI=$(helm wi-inject-path) || exit 1
recipe() { # home
    h 3 "$1" wi-inject-path >/dev/null 2>&1 && { echo 'WI=$(helm wi-inject-path) || exit 1 did not exit'; return 1; }
    h 3 "$1" wi-inject-path 2>&1 | tail -n 2 || true
}
h3_fails_closed() {
    local bin=$UHOME/t3/data/plugins/wi-inject-path/wi-inject-linux-amd64 msg
    [ -n "$WI3" ] || return 1
    "${RUN[@]}" mv "$bin" "$bin.away" || return
    msg=$(recipe t3) || { "${RUN[@]}" mv "$bin.away" "$bin"; return 1; }
    echo "$msg"
    grep -q 'does not exist' <<<"$msg" || fail "no reason given" || return
    # A binary that does not run here (as one for another OS would not), with its
    # checksum in SHA256SUMS so that it gets as far as being run.
    local sums=${bin%/*}/SHA256SUMS
    printf '\177ELF garbage' >"$bin" && chmod 0755 "$bin" || return
    cp "$sums" "$WORK/sums.orig" || return
    sed "s/^[0-9a-f]*  wi-inject-linux-amd64\$/$(sha256sum <"$bin" | cut -d' ' -f1)  wi-inject-linux-amd64/" \
        "$WORK/sums.orig" >"$sums" || return
    msg=$(recipe t3)
    local rc=$?
    cat "$WORK/sums.orig" >"$sums"
    "${RUN[@]}" mv -f "$bin.away" "$bin"
    [ $rc -eq 0 ] || return 1
    echo "$msg"
    grep -q 'does not run here' <<<"$msg" || fail "no reason given" || return
    [ "$(h 3 t3 wi-inject-path)" = "$bin" ] || fail "restored, but helm wi-inject-path does not print the path"
}
t "helm3: helm wi-inject-path exits non-zero, saying why, when the binary is missing or does not run" h3_fails_closed

# Where the server sends another Content-Type (GitHub's release assets come as
# application/octet-stream), the README says: extract, then install the directory.
h3_local_dir() {
    "${RUN[@]}" mkdir -p "$UHOME/wi-inject-path" || return
    u tar -xzf "$OUT/wi-inject-path-$VERSION.tgz" -C "$UHOME/wi-inject-path" || return
    h 3 t3dir plugin install "$UHOME/wi-inject-path" >"$WORK/t3dir.out" 2>&1 || { show "$WORK/t3dir.out"; return 1; }
    [ "$(h 3 t3dir wi-inject-path)" = "$UHOME/wi-inject-path/wi-inject-linux-amd64" ] || fail "helm wi-inject-path" || return
    [ ! -e "$CALLED" ] || fail "a build tool was called:" "$(cat "$CALLED")"
}
t "helm3: tar -xzf wi-inject-path-$VERSION.tgz -C DIR; helm plugin install DIR; no compiler" h3_local_dir

# Helm 3.17 keeps what it extracted from an HTTP URL in its cache; a tarball with
# directory entries then fails to install again from the same URL.
h3_reinstall() {
    [ -n "$WEB" ] || return 1
    h 3 t3 plugin uninstall wi-inject-path >/dev/null 2>&1 || fail "uninstall failed" || return
    h 3 t3 plugin install "http://$WEB/wi-inject-path-$VERSION.tgz" >"$WORK/t3again.out" 2>&1 || { show "$WORK/t3again.out"; return 1; }
    h 3 t3 wi-inject-path >/dev/null
}
t "helm3: uninstall, then install again from the same URL (same cache) works" h3_reinstall

# ================================================================================
# Helm 3 and Helm 4 sharing one plugins directory
# ================================================================================
shared() {
    [ -n "$WEB" ] || return 1
    h 3 shared plugin install "http://$WEB/wi-inject-path-$VERSION.tgz" >/dev/null 2>&1 || fail "helm3 install" || return
    h 4 shared plugin install "$OUT/wi-inject-$VERSION.tgz" --keyring "$WORK/pubring.gpg" >/dev/null 2>&1 || fail "helm4 install" || return
    # What breaks (the README says so): Helm 3 cannot load a v1 plugin and loses all its plugins.
    if h 3 shared plugin list >"$WORK/sh3.out" 2>&1; then
        show "$WORK/sh3.out"; echo "helm3 plugin list now succeeds: update the README's shared-directory section"; return 1
    fi
    show "$WORK/sh3.out" 3
    grep -q 'failed to load plugin' "$WORK/sh3.out" || fail "another failure than documented" || return
    ! h 3 shared wi-inject-path >/dev/null 2>&1 || fail "helm3 wi-inject-path works in a shared dir" || return
    # Helm 4 is unaffected and even runs the Helm 3 plugin.
    h4_render shared || return
    [ "$(h 4 shared wi-inject-path)" = "$UHOME/shared/data/plugins/wi-inject-path/wi-inject-linux-amd64" ] \
        || fail "helm4 wi-inject-path" || return
    # The recovery: Helm 3 gets its own HELM_DATA_HOME, which holds only plugins and
    # starters (repositories and logins stay shared in HELM_CONFIG_HOME/HELM_CACHE_HOME).
    # HELM_PLUGINS alone is not enough: Helm 3 installs into $HELM_DATA_HOME/plugins
    # whatever it says ("plugin already exists").
    EXTRA_ENV=(HELM_DATA_HOME="$UHOME/helm3-data")
    h 3 shared plugin install "http://$WEB/wi-inject-path-$VERSION.tgz" >"$WORK/sh3r.out" 2>&1 || { EXTRA_ENV=(); show "$WORK/sh3r.out"; return 1; }
    h 3 shared plugin list >"$WORK/sh3l.out" 2>&1 || { EXTRA_ENV=(); show "$WORK/sh3l.out"; return 1; }
    local wi
    wi=$(h 3 shared wi-inject-path) && h 3 shared "${RENDER[@]}" --post-renderer "$wi" --post-renderer-args "--client-id=$GUID" \
        >"$WORK/sh3.yaml" 2>"$WORK/sh3.err"
    local rc=$?
    EXTRA_ENV=()
    [ $rc -eq 0 ] || { show "$WORK/sh3.err"; return 1; }
    wired "$WORK/sh3.yaml" 3 || return
    if grep -q 'failed to load' "$WORK/sh3l.out" "$WORK/sh3.err"; then fail "helm3 still warns"; return; fi
    h4_render shared
}
t "shared HELM_DATA_HOME: helm3 plugin list fails (documented); with its own HELM_DATA_HOME Helm 3 works again, Helm 4 too" shared

# ================================================================================
# From source: missing build tools, then a build
# ================================================================================
source_missing_deps() {
    local tools=$WORK/tools t
    mkdir -p "$tools"
    # A PATH with the shell utilities but no meson, ninja, pkg-config or compiler.
    for t in sh dash bash env uname tr sed head cut id dirname basename rm mkdir cp chmod mv cmp cat ls grep \
        sha256sum printf readlink pwd timeout; do
        [ -x "/usr/bin/$t" ] && ln -sf "/usr/bin/$t" "$tools/$t" || { [ -x "/bin/$t" ] && ln -sf "/bin/$t" "$tools/$t"; }
    done
    # The sources only: not the copy's .cache/ (build-static.sh's) or builds.
    "${RUN[@]}" mkdir "$UHOME/src" || return
    tar -C "$SRC" --exclude=./.cache --exclude='./build*' --exclude=./bin --exclude=./.git -cf - . \
        | "${RUN[@]}" tar -xf - -C "$UHOME/src" || return
    local save=$UPATH
    UPATH=$tools
    h 4 src plugin install "$UHOME/src" >"$WORK/src1.out" 2>&1
    local rc=$?
    UPATH=$save
    cat "$WORK/src1.out"
    [ $rc -ne 0 ] || fail "the install succeeded without build tools" || return
    for t in 'apt-get install' 'dnf install' 'apk add' 'brew install'; do
        grep -q "$t" "$WORK/src1.out" || fail "no '$t' line" || return
    done
    grep -q 'plugin was removed again' "$WORK/src1.out" || fail "not said that the plugin was removed" || return
    if h 4 src plugin list | grep -q '^wi-inject'; then fail "wi-inject is still listed"; return; fi
    [ -e "$UHOME/src/src/main.c" ] || fail "the checkout itself was removed" || return
    # What a later render says: not a silent "exited with error".
    if h 4 src "${RENDER[@]}" --post-renderer wi-inject --post-renderer-args "--client-id=$GUID" >/dev/null 2>"$WORK/src1r.err"; then
        fail "rendered with no plugin"; return
    fi
    show "$WORK/src1r.err" 2
    grep -qi 'wi-inject' "$WORK/src1r.err" || fail "the error does not name the plugin"
}
t "from source without build tools: install fails naming apt/dnf/apk/brew packages, and removes the plugin" source_missing_deps

source_build() {
    # Build tools back (the real ones): installing again just works.
    local save=$UPATH
    UPATH=/usr/local/bin:/usr/bin:/bin
    h 4 src plugin install "$UHOME/src" >"$WORK/src2.out" 2>&1
    local rc=$?
    UPATH=$save
    [ $rc -eq 0 ] || { show "$WORK/src2.out" 20; return 1; }
    grep -q 'wi-inject-plugin-build: built' "$WORK/src2.out" || fail "no build" || return
    h4_render src
}
t "from source with build tools: install again builds (no uninstall needed) and renders" source_build

h3_source_missing_deps() {
    local save=$UPATH
    UPATH=$WORK/tools
    h 3 src3 plugin install "$UHOME/src/helm3/wi-inject-path" >"$WORK/src3.out" 2>&1
    local rc=$?
    UPATH=$save
    cat "$WORK/src3.out"
    [ $rc -ne 0 ] || fail "the install succeeded without build tools" || return
    grep -q 'apt-get install' "$WORK/src3.out" && grep -q 'brew install' "$WORK/src3.out" || fail "packages not named" || return
    if h 3 src3 plugin list | grep -q '^wi-inject-path'; then fail "wi-inject-path is still listed"; return; fi
    [ -e "$UHOME/src/helm3/wi-inject-path/plugin.yaml" ] || fail "the checkout itself was removed"
}
t "helm3: from a checkout without build tools: install fails naming the packages, and removes the plugin" h3_source_missing_deps

# ================================================================================
# The per-architecture tarball
# ================================================================================
prefix_install() {
    local p=$UHOME/.local
    "${RUN[@]}" mkdir -p "$p" || return
    u tar -xzf "$OUT/wi-inject-$VERSION-linux-amd64.tar.gz" --strip-components=1 -C "$p" || return
    [ "$(u "$p/bin/wi-inject" --version | head -n 1)" = "wi-inject $VERSION" ] || fail "bin/wi-inject --version" || return
    [ -s "$p/share/man/man1/wi-inject.1" ] || fail "no man page" || return
    grep -q '^\.TH' "$p/share/man/man1/wi-inject.1" || fail "the man page has no .TH" || return
    [ -s "$p/share/bash-completion/completions/wi-inject" ] || fail "no bash completion" || return
    u bash -c ". '$p/share/bash-completion/completions/wi-inject' && complete -p wi-inject" || fail "bash completion does not load" || return
    [ -s "$p/share/zsh/site-functions/_wi-inject" ] || fail "no zsh completion" || return
    if command -v zsh >/dev/null; then zsh -n "$p/share/zsh/site-functions/_wi-inject" || fail "zsh completion: syntax" || return; fi
    [ -s "$p/share/doc/wi-inject/LICENSE" ] || fail "no LICENSE"
    # The scripted-upgrade recipe: wi-inject on PATH.
    u PATH="$p/bin:/usr/bin:/bin" sh -c 'wi-inject --client-id '"$GUID"' <"$1" >/dev/null' - "$SRC/testdata/samples/spaces-helm3.yaml" \
        || fail "wi-inject from PATH failed"
}
t "tar -xzf wi-inject-$VERSION-linux-amd64.tar.gz --strip-components=1 -C ~/.local: binary on PATH, man page, completions, LICENSE" prefix_install

echo "1..$N"
echo "# $((N - FAILED)) passed, $FAILED failed, $(($(date +%s) - START)) s"
[ "$FAILED" -eq 0 ]
