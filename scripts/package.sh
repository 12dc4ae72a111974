#!/usr/bin/env bash
# package.sh - build every release artifact of wi-inject into OUTDIR.
#
#   scripts/package.sh [--sign KEY --keyring SECRET_KEYRING] OUTDIR
#
# From the files git tracks in this checkout (as they are in the working tree),
# so that earlier builds, releases or scratch files cannot leak into a release. OUTDIR (created; must be empty) gets:
#   wi-inject-VERSION.tgz (+ .prov with --sign)  the Helm 4 plugin, made by
#       `helm plugin package`: static binaries for linux/amd64 and linux/arm64 in
#       bin/linux-<arch>/, bin/SHA256SUMS, and the sources for other platforms;
#   wi-inject-path-VERSION.tgz   the Helm 3 plugin: its manifest, the same two
#       binaries (wi-inject-linux-<arch>) and SHA256SUMS, flat at the tarball's
#       root (no directory entries, no ./: Helm 3's HTTP installer needs that);
#   wi-inject-VERSION-linux-amd64.tar.gz, wi-inject-VERSION-linux-arm64.tar.gz
#       a prefix tree: bin/wi-inject, share/man/man1/wi-inject.1, bash and zsh
#       completions, share/doc/wi-inject/LICENSE;
#   SHA256SUMS.
# VERSION is meson.build's project version; the script fails unless both
# plugin.yaml files and every binary's --version say the same.
#
# The static binaries come from scripts/build-static.sh ARCH DIR. Without it, a
# LOUD warning, and a dynamically linked binary for this machine's architecture
# only (a development fallback, never a release).
#
# --sign KEY --keyring FILE: sign the Helm 4 plugin with the secret key KEY held in
# FILE (`gpg --export-secret-keys KEY >FILE`), via `helm plugin package --sign`.
# Environment: HELM4 names the Helm 4 client (default: scripts/get-helm.sh's).
# SOURCE_DATE_EPOCH fixes file times (default: the last commit's time).
set -euo pipefail
export LC_ALL=C

prog=package.sh
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: ERROR: %s\n' "$prog" "$*" >&2; exit 1; }
usage() { die "usage: scripts/package.sh [--sign KEY --keyring SECRET_KEYRING] OUTDIR"; }

key='' keyring='' out=''
while [ $# -gt 0 ]; do
    case $1 in
        --sign) [ $# -ge 2 ] || usage; key=$2; shift 2 ;;
        --keyring) [ $# -ge 2 ] || usage; keyring=$2; shift 2 ;;
        -h | --help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option '$1'" ;;
        *) [ -z "$out" ] || usage; out=$1; shift ;;
    esac
done
[ -n "$out" ] || usage
if [ -n "$key" ] || [ -n "$keyring" ]; then
    [ -n "$key" ] && [ -n "$keyring" ] || die "--sign and --keyring go together"
    [ -f "$keyring" ] || die "--keyring $keyring: no such file"
    keyring=$(cd -P -- "$(dirname -- "$keyring")" && pwd -P)/$(basename -- "$keyring")
fi

ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

mkdir -p -- "$out" || die "cannot create $out"
out=$(cd -P -- "$out" && pwd -P)
[ -z "$(ls -A -- "$out")" ] || die "$out is not empty"

# --- one version ----------------------------------------------------------------
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" meson.build | head -n 1)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "meson.build's project version '$version' is not MAJOR.MINOR.PATCH"
for f in plugin.yaml helm3/wi-inject-path/plugin.yaml; do
    v=$(sed -n 's/^version: *//p' "$f")
    [ "$v" = "$version" ] || die "$f says version '$v', meson.build says '$version'"
done

# --- release inputs written elsewhere: fail clearly when absent ---------------------
docs=(doc/wi-inject.1 completions/wi-inject.bash completions/_wi-inject LICENSE)
for f in "${docs[@]}"; do
    [ -f "$f" ] || die "$f is missing: a release carries the man page, the bash and zsh completions and LICENSE"
done

HELM4=${HELM4:-}
if [ -z "$HELM4" ]; then
    HELM4=$(scripts/get-helm.sh | sed -n 's/^helm4=//p') || die "scripts/get-helm.sh failed"
fi
hv=$(HELM_DATA_HOME=/nonexistent HELM_CONFIG_HOME=/nonexistent HELM_CACHE_HOME=/nonexistent \
    "$HELM4" version --template '{{.Version}}' 2>/dev/null) || true
[[ $hv == v4.* ]] || die "HELM4=$HELM4 is not a Helm 4 client (it says '${hv:-nothing}')"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wi-package.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

# --- the sources ------------------------------------------------------------------
src=$WORK/src
mkdir -p "$src"
# git's tracked files only: an untracked file (an earlier OUTDIR, a scratch file)
# is not part of a release.
if [ -e .git ] && command -v git >/dev/null 2>&1; then
    [ -z "$(git status --porcelain --untracked-files=no)" ] \
        || log "WARNING: the checkout has uncommitted changes; they are packaged as they are"
    git ls-files -z --cached >"$WORK/files" || die "git ls-files failed"
else
    find . \( -name .git -o -name '.cache' -o -name 'build*' -o -path ./bin \) -prune \
        -o -type f -print0 | sed -z 's|^\./||' >"$WORK/files"
fi
# Plugins carry what builds wi-inject, not the test data (2 MB) or CI files, and
# only their own plugin.yaml: Helm 4 takes a tarball's name and version from
# whichever plugin.yaml it meets last (helm3/wi-inject-path/plugin.yaml made it
# store the tarball as wi-inject-path-VERSION.tgz and fail OCI verification).
grep -zvE '^(testdata|\.ci|helm3|bin)/' "$WORK/files" | while IFS= read -r -d '' f; do
    [ -f "$f" ] || continue # deleted in the working tree
    mkdir -p "$src/$(dirname -- "$f")"
    cp -p -- "$f" "$src/$f"
done
[ -f "$src/meson.build" ] && [ -f "$src/src/main.c" ] || die "the source list lacks meson.build or src/main.c"

epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

# --- the binaries -------------------------------------------------------------------
declare -A elf=([amd64]='x86-64' [arm64]='ARM aarch64')
arches=(amd64 arm64)
# build-static.sh builds from its own checkout in a build directory of its own
# (under .cache/static, kept between runs), never from an earlier build here.
if [ -f scripts/build-static.sh ]; then
    for a in "${arches[@]}"; do
        log "building the static linux/$a binary (scripts/build-static.sh $a)"
        bash scripts/build-static.sh "$a" "$WORK/bin-$a" >&2 || die "scripts/build-static.sh $a failed"
    done
else
    case $(uname -m) in x86_64) arches=(amd64) ;; aarch64) arches=(arm64) ;; *) die "no build-static.sh and no fallback for $(uname -m)" ;; esac
    log "WARNING: ********************************************************************"
    log "WARNING: scripts/build-static.sh is missing: building a DYNAMIC linux/${arches[0]}"
    log "WARNING: binary with meson, and NO binary for the other architecture."
    log "WARNING: This is a development fallback; do not publish these artifacts."
    log "WARNING: ********************************************************************"
    { meson setup --buildtype=release -Dwerror=false "$WORK/build" "$src" && ninja -C "$WORK/build" wi-inject; } \
        >"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; die "the fallback build failed"; }
    mkdir -p "$WORK/bin-${arches[0]}"
    cp "$WORK/build/wi-inject" "$WORK/bin-${arches[0]}/wi-inject"
fi
for a in "${arches[@]}"; do
    b=$WORK/bin-$a/wi-inject
    [ -f "$b" ] || die "no $b"
    desc=$(file -b "$b")
    [[ $desc == *"${elf[$a]}"* ]] || die "linux/$a binary is not ${elf[$a]}: $desc"
    if [[ $desc != *"statically linked"* && $desc != *"static-pie linked"* ]]; then
        [ -f scripts/build-static.sh ] && die "build-static.sh made a linux/$a binary that is not static: $desc"
        log "WARNING: the linux/$a binary is dynamically linked (fallback)"
    fi
    # The arm64 binary runs through qemu-user's binfmt handler where one is registered.
    if v=$("$b" --version 2>/dev/null) || { command -v qemu-aarch64-static >/dev/null && v=$(qemu-aarch64-static "$b" --version 2>/dev/null); }; then
        [ "$(sed -n 1p <<<"$v")" = "wi-inject $version" ] || die "linux/$a binary says '$v', not 'wi-inject $version'"
    else
        die "the linux/$a binary does not run here (not even under qemu-aarch64-static)"
    fi
done

# --- the plugins -------------------------------------------------------------------
# payload DIR: sources + bin/linux-<arch>/wi-inject + bin/SHA256SUMS
payload() {
    local d=$1 a
    mkdir -p "$d"
    cp -a "$src/." "$d/"
    for a in "${arches[@]}"; do
        install -D -m 0755 "$WORK/bin-$a/wi-inject" "$d/bin/linux-$a/wi-inject"
    done
    (cd "$d/bin" && sha256sum -- linux-*/wi-inject >SHA256SUMS)
}
stamp() { find "$1" -exec touch -h -d "@$epoch" {} +; }

p4=$WORK/stage4/wi-inject
payload "$p4"
stamp "$p4"
sign=(--sign=false)
[ -z "$key" ] || sign=(--sign --key "$key" --keyring "$keyring")
log "helm plugin package ${sign[*]}"
HELM_DATA_HOME=$WORK/h/data HELM_CONFIG_HOME=$WORK/h/config HELM_CACHE_HOME=$WORK/h/cache \
    "$HELM4" plugin package "$p4" "${sign[@]}" -d "$out" >&2 \
    || die "helm plugin package failed"
[ -f "$out/wi-inject-$version.tgz" ] || die "helm plugin package did not write wi-inject-$version.tgz"
[ -z "$key" ] || [ -f "$out/wi-inject-$version.tgz.prov" ] || die "no wi-inject-$version.tgz.prov"

# Flat, see helm3/wi-inject-path/wi-inject-path.sh: no directory entries at all.
p3=$WORK/stage3
mkdir -p "$p3"
cp helm3/wi-inject-path/plugin.yaml helm3/wi-inject-path/wi-inject-path.sh LICENSE "$p3/"
for a in "${arches[@]}"; do
    install -m 0755 "$WORK/bin-$a/wi-inject" "$p3/wi-inject-linux-$a"
done
(cd "$p3" && sha256sum -- wi-inject-linux-* >SHA256SUMS)
stamp "$p3"
(cd "$p3" && ls -A | sort) >"$WORK/top3"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$p3" -cf - -T "$WORK/top3" \
    | gzip -n -9 >"$out/wi-inject-path-$version.tgz" || die "tar of the Helm 3 plugin failed"

# --- per-architecture tarballs ------------------------------------------------------------
for a in "${arches[@]}"; do
    n=wi-inject-$version-linux-$a
    t=$WORK/tar/$n
    install -D -m 0755 "$WORK/bin-$a/wi-inject" "$t/bin/wi-inject"
    install -D -m 0644 doc/wi-inject.1 "$t/share/man/man1/wi-inject.1"
    install -D -m 0644 completions/wi-inject.bash "$t/share/bash-completion/completions/wi-inject"
    install -D -m 0644 completions/_wi-inject "$t/share/zsh/site-functions/_wi-inject"
    install -D -m 0644 LICENSE "$t/share/doc/wi-inject/LICENSE"
    stamp "$t"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$WORK/tar" -cf - "$n" \
        | gzip -n -9 >"$out/$n.tar.gz" || die "tar of $n failed"
done

(cd "$out" && shopt -s nullglob && sha256sum -- *.tgz *.prov *.tar.gz >SHA256SUMS)
log "wrote $out:"
(cd "$out" && ls -l) >&2
