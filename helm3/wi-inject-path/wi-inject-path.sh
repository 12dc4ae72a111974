#!/bin/sh
# wi-inject-path.sh - the Helm 3 plugin's command and hooks, in both of its layouts.
#
#   sh wi-inject-path.sh --print-path            print the binary's path if it runs, else fail saying why
#   sh wi-inject-path.sh --hook install|update   provide the binary; a failed install removes the plugin
#
# In a checkout (helm3/wi-inject-path/, the sources two levels up) this hands
# over to scripts/plugin-build.sh, which builds from source. The release tarball
# wi-inject-path-VERSION.tgz is flat instead: this file, plugin.yaml, SHA256SUMS
# and wi-inject-linux-amd64 / wi-inject-linux-arm64, all at the root. Flat on
# purpose: Helm 3.17's HTTP installer extracts into a cache directory it never
# cleans, and fails ("mkdir ...: file exists") on every directory entry when the
# same URL is installed again.
set -u
prog=wi-inject-path
dir=$(cd -P -- "$(dirname -- "$0")" 2>/dev/null && pwd -P) || dir=${HELM_PLUGIN_DIR:-.}
if [ ! -f "$dir/SHA256SUMS" ]; then
    [ -f "$dir/../../scripts/plugin-build.sh" ] && exec sh "$dir/../../scripts/plugin-build.sh" "$@"
    echo "$prog: ERROR: neither a release (no $dir/SHA256SUMS) nor a checkout (no $dir/../../scripts/plugin-build.sh): install the plugin again" >&2
    exit 1
fi

log() { printf '%s: %s\n' "$prog" "$*" >&2; }
mode='' hook=''
case ${1:-} in
    --print-path) mode=print ;;
    --hook) mode=hook hook=${2:-} ;;
    *) log "ERROR: usage: wi-inject-path.sh --print-path | --hook install|update"; exit 2 ;;
esac

os=$(uname -s | tr 'A-Z' 'a-z')
case $(uname -m) in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
esac
name=wi-inject-$os-$arch
bin=$dir/$name
version=$(sed -n 's/^version: *//p' "$dir/plugin.yaml")

# usable: sets $why and fails unless $bin is the bundled binary and runs.
usable() {
    if [ ! -f "$bin" ]; then
        why="this release has no wi-inject for $os/$arch ($bin does not exist); on other platforms install the plugin from a checkout (helm plugin install <checkout>/helm3/wi-inject-path), which builds it"
        return 1
    fi
    want=$(sed -n "s/^\([0-9a-f]\{64\}\)  $name\$/\1/p" "$dir/SHA256SUMS")
    got=$(sha256sum <"$bin" 2>/dev/null | cut -d' ' -f1)
    if [ -z "$want" ] || [ "$got" != "$want" ]; then
        why="$bin does not match SHA256SUMS: install the plugin again"
        return 1
    fi
    if ! out=$("$bin" --version 2>&1); then
        why="$bin does not run here ($os/$arch): $out"
        return 1
    fi
    first=$(printf '%s\n' "$out" | sed -n 1p)
    if [ "$first" != "wi-inject $version" ]; then
        why="$bin reports '$first', not 'wi-inject $version'"
        return 1
    fi
}

if [ "$mode" = print ]; then
    usable || { log "ERROR: $why"; exit 1; }
    printf '%s\n' "$bin"
    exit 0
fi
if usable; then
    log "using the bundled $bin ($version, $os/$arch): nothing to build"
    exit 0
fi
log "ERROR: $why"
# As plugin-build.sh does: a plugin that cannot work must not stay installed.
d=${HELM_PLUGIN_DIR:-}
if [ "$hook" = install ] && [ -n "$d" ] && [ -d "$d" ] && [ ! -L "$d" ] && [ -f "$d/plugin.yaml" ] && [ ! -e "$d/.git" ]; then
    rm -rf -- "$d" && log "the install failed, so the plugin was removed again"
fi
exit 1
