#!/bin/sh
# plugin-build.sh - provide wi-inject to the Helm plugins: the bundled binary, or one built from source.
#
#   sh scripts/plugin-build.sh                  build from source (unless a bundled binary runs)
#   sh scripts/plugin-build.sh --hook install   the same, as a plugin's install/update hook:
#   sh scripts/plugin-build.sh --hook update    on failure an install also removes the plugin
#   sh scripts/plugin-build.sh --print-path     print the binary's absolute path, after checking
#                                               that it runs (the Helm 3 plugin's command)
#
# The binary lives where the plugins' platformCommand entries look for it:
# bin/linux-amd64/wi-inject and bin/linux-arm64/wi-inject (bundled in release
# tarballs, listed with their sha256 in bin/SHA256SUMS), or bin/source/wi-inject on
# any other OS or architecture. A bundled binary that matches bin/SHA256SUMS and
# runs is used as it is: nothing is built and no compiler is called. Otherwise
# meson builds wi-inject in build-plugin/ and the result is copied into place.
#
# Helm runs hooks in the user's working directory and may reach the plugin through
# a symlink, so the source root is found from this script's own location
# (physically, with cd -P), falling back to $HELM_PLUGIN_DIR. Missing build
# dependencies are installed with apt-get when running as root; otherwise the
# script names the packages for apt, dnf, apk and Homebrew and fails.
# All output goes to stderr except the path printed by --print-path.
#
# Environment: WI_INJECT_BUILD_DIR overrides the build directory (relative to the root).
set -eu

prog=wi-inject-plugin-build
hook=
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() {
    printf '%s: ERROR: %s\n' "$prog" "$*" >&2
    [ "$hook" = install ] && uninstall_failed_plugin
    exit 1
}

# A plugin whose install hook failed stays registered with Helm (both 3 and 4),
# yet has no binary: Helm 4 would then only say `plugin "wi-inject" exited with
# error` at render time. So a failed install removes the plugin again, and the
# user simply installs again once the cause is fixed. Only Helm's own entry goes:
# a symlink (a local or VCS install) is unlinked, never followed; a directory
# (a tarball install) is removed only when it is not a git checkout.
uninstall_failed_plugin() {
    d=${HELM_PLUGIN_DIR:-}
    [ -n "$d" ] || return 0
    d=${d%/}
    if [ -L "$d" ]; then
        rm -f -- "$d"
    elif [ -d "$d" ] && [ -f "$d/plugin.yaml" ] && [ ! -e "$d/.git" ]; then
        rm -rf -- "$d"
    else
        return 0
    fi
    # Helm 4 keeps the installed tarball and its .prov beside the plugin.
    for f in "$d"-[0-9]*.tgz "$d"-[0-9]*.tgz.prov; do
        [ -f "$f" ] && rm -f -- "$f"
    done
    printf '%s: the install failed, so the plugin was removed again: fix the cause and install it again\n' "$prog" >&2
}

mode=build
while [ $# -gt 0 ]; do
    case $1 in
        --print-path) mode=print ;;
        --hook)
            [ $# -ge 2 ] || die "--hook needs install or update"
            case $2 in install | update) hook=$2 ;; *) die "--hook takes install or update, not '$2'" ;; esac
            shift ;;
        -h | --help)
            sed -n '2,24p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//' >&2
            exit 0 ;;
        *) die "unknown argument '$1' (expected --hook install|update or --print-path)" ;;
    esac
    shift
done

# --- the source root ----------------------------------------------------------
is_root() { [ -f "$1/meson.build" ] && [ -f "$1/src/main.c" ] && [ -f "$1/plugin.yaml" ]; }

root=
case "$0" in
    */*) root=$(cd -P -- "$(dirname -- "$0")/.." 2>/dev/null && pwd -P) || root= ;;
esac
if [ -z "$root" ] || ! is_root "$root"; then
    root=
    if [ -n "${HELM_PLUGIN_DIR:-}" ]; then
        # Helm 4 plugin and release tarballs: the root itself; Helm 3 plugin in a checkout: <root>/helm3/<name>.
        for cand in "$HELM_PLUGIN_DIR" "$HELM_PLUGIN_DIR/../.."; do
            c=$(cd -P -- "$cand" 2>/dev/null && pwd -P) || continue
            if is_root "$c"; then root=$c; break; fi
        done
    fi
fi
[ -n "$root" ] || die "cannot find the wi-inject source tree (from \$0='$0' or HELM_PLUGIN_DIR='${HELM_PLUGIN_DIR:-}')"
cd -P -- "$root" || die "cannot cd into $root"

# --- where the binary goes: Helm's GOOS/GOARCH names, as platformCommand matches them
os=$(uname -s | tr 'A-Z' 'a-z')
case $(uname -m) in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
esac
case $os-$arch in
    linux-amd64 | linux-arm64) platform=$os-$arch ;;
    *) platform=source ;;
esac
binary="$root/bin/$platform/wi-inject"
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" meson.build | head -n 1)
[ -n "$version" ] || die "no project version in $root/meson.build"

# runs BINARY: it prints "wi-inject VERSION"; else the reason on stdout, status 1.
runs() {
    if [ ! -f "$1" ]; then echo "$1 does not exist"; return 1; fi
    if ! out=$("$1" --version 2>&1); then echo "$1 does not run here ($os/$arch): $out"; return 1; fi
    first=$(printf '%s\n' "$out" | sed -n 1p)
    [ "$first" = "wi-inject $version" ] || { echo "$1 reports '$first', not 'wi-inject $version'"; return 1; }
}

if [ "$mode" = print ]; then
    why=$(runs "$binary") || die "$why. The plugin's install hook builds it: reinstall the plugin, or run: sh '$root/scripts/plugin-build.sh'"
    printf '%s\n' "$binary"
    exit 0
fi

# Everything below is progress and build chatter: keep stdout clean.
exec 1>&2

# bundled: this platform's binary is the one package.sh put there, and it runs.
bundled() {
    [ "$platform" != source ] && [ -f bin/SHA256SUMS ] || return 1
    want=$(sed -n "s|^\([0-9a-f]\{64\}\)  $platform/wi-inject\$|\1|p" bin/SHA256SUMS)
    [ -n "$want" ] || return 1
    command -v sha256sum >/dev/null 2>&1 || return 1
    got=$(sha256sum <"$binary" 2>/dev/null | cut -d' ' -f1) || return 1
    [ "$got" = "$want" ] || { log "bin/$platform/wi-inject does not match bin/SHA256SUMS: building from source"; return 1; }
    why=$(runs "$binary") || { log "$why: building from source"; return 1; }
}
if bundled; then
    log "using the bundled $binary ($version, $os/$arch): nothing to build"
    exit 0
fi

# --- build dependencies ---------------------------------------------------------
missing_what=
missing_apt=
need() { # apt-package(s) what
    missing_apt="$missing_apt $1"
    missing_what="$missing_what, $2"
}
have() { command -v "$1" >/dev/null 2>&1; }

check_deps() {
    missing_apt=
    missing_what=
    have meson || need meson meson
    have ninja || have ninja-build || have samu || need ninja-build ninja
    have pkg-config || have pkgconf || need pkg-config pkg-config
    if [ -n "${CC:-}" ]; then
        have "${CC%% *}" || need "gcc libc6-dev" "C compiler \$CC=$CC"
    else
        have cc || have gcc || have clang || need "gcc libc6-dev" "C compiler"
    fi
    if have pkg-config || have pkgconf; then
        pc=pkg-config
        have pkg-config || pc=pkgconf
        $pc --exists yaml-0.1 || need libyaml-dev "libyaml (pkg-config yaml-0.1)"
        $pc --exists libcjson || need libcjson-dev "cJSON (pkg-config libcjson)"
    else
        need "libyaml-dev libcjson-dev" "libyaml and cJSON"
    fi
    missing_what=${missing_what#, }
}

check_deps
if [ -n "$missing_apt" ] && [ "$(id -u)" -eq 0 ] && have apt-get; then
    log "missing: $missing_what; installing with apt-get:$missing_apt"
    apt-get update -qq || die "apt-get update failed"
    # shellcheck disable=SC2086 # word splitting intended
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing_apt \
        || die "apt-get install$missing_apt failed"
    check_deps
fi
if [ -n "$missing_apt" ]; then
    log "no bundled binary for $os/$arch, and building from source needs: $missing_what"
    log "install the build dependencies with one of:"
    log "    sudo apt-get install meson ninja-build pkg-config gcc libc6-dev libyaml-dev libcjson-dev"
    log "    sudo dnf install meson ninja-build pkgconf-pkg-config gcc libyaml-devel cjson-devel"
    log "    sudo apk add meson samurai pkgconf gcc musl-dev yaml-dev cjson-dev"
    log "    brew install meson ninja pkg-config libyaml cjson"
    die "missing build dependencies: $missing_what"
fi

ninja=ninja
if ! have ninja; then
    if have ninja-build; then ninja='ninja-build'; else ninja=samu; fi
fi

# --- configure and build ----------------------------------------------------------
# release, and no -Werror: a newer compiler's new warning must not break a user's install.
build_dir=${WI_INJECT_BUILD_DIR:-build-plugin}
opts="--buildtype=release -Dwerror=false"

log "building wi-inject in $root/$build_dir"
# shellcheck disable=SC2086
if [ -f "$build_dir/meson-private/coredata.dat" ]; then
    if ! meson setup --reconfigure $opts "$build_dir"; then
        log "reconfigure failed; wiping $build_dir and configuring again"
        meson setup --wipe $opts "$build_dir" || die "meson setup --wipe $build_dir failed"
    fi
else
    rm -rf -- "$build_dir"
    meson setup $opts "$build_dir" || die "meson setup $build_dir failed"
fi
"$ninja" -C "$build_dir" wi-inject || die "$ninja -C $build_dir wi-inject failed"

why=$(runs "$build_dir/wi-inject") || die "the build did not produce a working wi-inject: $why"
# Copied only when it changed, so that a rerun leaves the installed binary untouched.
if ! cmp -s "$build_dir/wi-inject" "$binary"; then
    mkdir -p "bin/$platform" || die "cannot create $root/bin/$platform"
    cp "$build_dir/wi-inject" "$binary.tmp.$$" && chmod 0755 "$binary.tmp.$$" && mv -f "$binary.tmp.$$" "$binary" \
        || { rm -f "$binary.tmp.$$"; die "cannot install $binary"; }
fi
log "built $binary ($version)"
