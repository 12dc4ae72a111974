#!/bin/sh
# plugin-build.sh - build wi-inject for the Helm plugins (the install/update hook).
#
#   sh scripts/plugin-build.sh               build <repo>/build-plugin/wi-inject
#   sh scripts/plugin-build.sh --print-path  print that binary's absolute path
#                                            (the command of the Helm 3 plugin)
#
# Called by the Helm 4 plugin (plugin.yaml at the repository root) and by the
# Helm 3 plugin (helm3/wi-inject-path/plugin.yaml). Helm runs hooks in the
# user's working directory and reaches the plugin through a symlink, so the
# repository root is found from this script's own location (physically, with
# cd -P), falling back to $HELM_PLUGIN_DIR. Missing build dependencies are
# installed with apt-get when running as root; otherwise the script names them
# and fails. Idempotent: a second run reconfigures and rebuilds nothing.
# All output goes to stderr except the path printed by --print-path.
#
# Environment: WI_INJECT_BUILD_DIR overrides the build directory name (relative
# to the repository root; the plugins' commands expect build-plugin).
set -eu

prog=wi-inject-plugin-build
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: ERROR: %s\n' "$prog" "$*" >&2; exit 1; }

mode=build
case "${1:-}" in
    '') ;;
    --print-path) mode=print ;;
    -h | --help)
        sed -n '2,18p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//' >&2
        exit 0 ;;
    *) die "unknown argument '$1' (expected nothing or --print-path)" ;;
esac

# --- the repository root ------------------------------------------------------
is_root() { [ -f "$1/meson.build" ] && [ -f "$1/src/main.c" ] && [ -f "$1/plugin.yaml" ]; }

root=
case "$0" in
    */*) root=$(cd -P -- "$(dirname -- "$0")/.." 2>/dev/null && pwd -P) || root= ;;
esac
if [ -z "$root" ] || ! is_root "$root"; then
    root=
    if [ -n "${HELM_PLUGIN_DIR:-}" ]; then
        # Helm 4 plugin: the root itself; Helm 3 plugin: <root>/helm3/<name>.
        for cand in "$HELM_PLUGIN_DIR" "$HELM_PLUGIN_DIR/../.."; do
            c=$(cd -P -- "$cand" 2>/dev/null && pwd -P) || continue
            if is_root "$c"; then root=$c; break; fi
        done
    fi
fi
[ -n "$root" ] || die "cannot find the wi-inject source tree (from \$0='$0' or HELM_PLUGIN_DIR='${HELM_PLUGIN_DIR:-}')"
cd -P -- "$root" || die "cannot cd into $root"

build_dir=${WI_INJECT_BUILD_DIR:-build-plugin}
binary="$root/$build_dir/wi-inject"

if [ "$mode" = print ]; then
    if [ ! -x "$binary" ]; then
        die "$binary is not built; run: sh '$root/scripts/plugin-build.sh'"
    fi
    printf '%s\n' "$binary"
    exit 0
fi

# Everything below is build chatter: keep stdout clean.
exec 1>&2

# --- build dependencies ---------------------------------------------------------
missing_pkgs=
missing_what=
need() { # debian-package(s) what
    missing_pkgs="$missing_pkgs $1"
    missing_what="$missing_what, $2"
}
have() { command -v "$1" >/dev/null 2>&1; }

check_deps() {
    missing_pkgs=
    missing_what=
    have meson || need meson meson
    have ninja || have ninja-build || need ninja-build ninja
    have pkg-config || have pkgconf || need pkg-config pkg-config
    if [ -n "${CC:-}" ]; then
        have "${CC%% *}" || need "gcc libc6-dev" "C compiler \$CC=$CC"
    else
        have cc || have gcc || have clang || need "gcc libc6-dev" "C compiler"
    fi
    if have pkg-config; then
        pkg-config --exists yaml-0.1 || need libyaml-dev "libyaml (pkg-config yaml-0.1)"
        pkg-config --exists libcjson || need libcjson-dev "cJSON (pkg-config libcjson)"
    else
        need "libyaml-dev libcjson-dev" "libyaml and cJSON"
    fi
    missing_what=${missing_what#, }
}

check_deps
if [ -n "$missing_pkgs" ]; then
    if [ "$(id -u)" -eq 0 ] && have apt-get; then
        log "missing: $missing_what; installing with apt-get:$missing_pkgs"
        apt-get update -qq || die "apt-get update failed"
        # shellcheck disable=SC2086 # word splitting intended
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing_pkgs \
            || die "apt-get install$missing_pkgs failed"
        check_deps
        [ -z "$missing_pkgs" ] || die "still missing after apt-get: $missing_what"
    else
        log "missing build dependencies: $missing_what"
        if have apt-get; then
            log "install them, then install the plugin again:"
            log "    sudo apt-get install$missing_pkgs"
        else
            log "install meson (>= 0.63), ninja, pkg-config, a C11 compiler and the"
            log "libyaml and cJSON development files, then install the plugin again"
        fi
        log "(a failed install hook leaves the plugin registered: run"
        log " 'helm plugin uninstall <name>' before installing again)"
        exit 1
    fi
fi

ninja=ninja
have ninja || ninja='ninja-build'

# --- configure and build ----------------------------------------------------------
# release, and no -Werror: a newer compiler's new warning must not break a user's install.
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

[ -x "$binary" ] || die "the build did not produce $binary"
version=$("$binary" --version 2>&1) || die "$binary does not run: $version"
log "built $binary ($version)"
