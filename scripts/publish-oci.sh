#!/usr/bin/env bash
# publish-oci.sh - push a Helm 4 plugin tarball (and its .prov) to an OCI registry.
#
#   scripts/publish-oci.sh PLUGIN.tgz oci://HOST[:PORT]/REPO [--plain-http]
#
# Writes the artifact Helm 4 installs with
#   helm plugin install oci://HOST/REPO/NAME:VERSION [--plain-http] [--keyring PUBRING]
# NAME and VERSION come from the plugin.yaml inside the tarball (which must be
# named NAME-VERSION.tgz). The artifact (what Helm's pkg/registry/plugin.go reads):
# an OCI image manifest with artifactType application/vnd.helm.plugin.v1+json, the
# empty config {}, the tarball as a tar+gzip layer and the provenance (when
# PLUGIN.tgz.prov exists; without it installs need --verify=false) as a tar layer,
# each layer titled with its file name. Pushed with curl through the OCI
# distribution API: one upload per blob the registry does not have yet, then the
# manifest under the tag VERSION.
#
# Credentials, when the registry wants them: OCI_USERNAME and OCI_PASSWORD (basic
# authentication, or exchanged for a bearer token when the registry answers 401
# with a Bearer challenge, as ghcr.io and Docker Hub do).
set -euo pipefail
export LC_ALL=C

prog=publish-oci.sh
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: ERROR: %s\n' "$prog" "$*" >&2; exit 1; }
usage() { die "usage: scripts/publish-oci.sh PLUGIN.tgz oci://HOST/REPO [--plain-http]"; }

tgz='' ref='' scheme=https
for a in "$@"; do
    case $a in
        --plain-http) scheme=http ;;
        -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option '$a'" ;;
        *) if [ -z "$tgz" ]; then tgz=$a; elif [ -z "$ref" ]; then ref=$a; else usage; fi ;;
    esac
done
[ -n "$tgz" ] && [ -n "$ref" ] || usage
for t in curl jq sha256sum tar; do command -v "$t" >/dev/null || die "$t is required"; done
[ -f "$tgz" ] || die "$tgz: no such file"
[[ $ref == oci://?* ]] || die "'$ref' is not an oci://HOST/REPO reference"

# --- what is pushed -----------------------------------------------------------
manifest_path=$(tar -tzf "$tgz" 2>/dev/null | grep -E '^[^/]+/plugin\.yaml$' | head -n 1) \
    || die "$tgz is not a Helm plugin tarball (no NAME/plugin.yaml)"
yaml=$(tar -xzOf "$tgz" "$manifest_path") || die "cannot read $manifest_path from $tgz"
name=$(sed -n 's/^name: *//p' <<<"$yaml" | head -n 1)
version=$(sed -n 's/^version: *//p' <<<"$yaml" | head -n 1)
[[ $name =~ ^[A-Za-z0-9_-]+$ ]] || die "$tgz: plugin name '$name' is not valid"
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]] || die "$tgz: version '$version' is not semver"
title=$name-$version.tgz
[ "$(basename -- "$tgz")" = "$title" ] || die "$tgz: a plugin $name $version must be named $title (Helm installs it by that name)"
prov=$tgz.prov
[ -f "$prov" ] || { prov=; log "WARNING: no $tgz.prov: the plugin is unsigned, installs will need --verify=false"; }

rest=${ref#oci://}
host=${rest%%/*}
path=${rest#"$host"}
path=${path#/}
path=${path%/}
repo=${path:+$path/}$name
[[ $repo =~ ^[a-z0-9]+([._/-][a-z0-9]+)*$ ]] || die "repository '$repo' is not a valid OCI name (lower case, digits, . _ - /)"
base=$scheme://$host/v2/$repo

WORK=$(mktemp -d "${TMPDIR:-/tmp}/publish-oci.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT
printf '{}' >"$WORK/config"

# --- HTTP with optional credentials --------------------------------------------
auth=()
if [ -n "${OCI_USERNAME:-}" ]; then
    printf 'user = "%s:%s"\n' "$OCI_USERNAME" "${OCI_PASSWORD:-}" >"$WORK/curlrc"
    auth=(-K "$WORK/curlrc")
fi
token=

# http METHOD URL [curl args...]: sets $code; headers in $WORK/h, body in $WORK/b.
# Runs in the main shell (never in $(...)), so that a token, once fetched, is kept.
code=
http() {
    local method=$1 url=$2
    shift 2
    local hdr=()
    [ -z "$token" ] || hdr=(-H "Authorization: Bearer $token")
    code=$(curl -sS -o "$WORK/b" -D "$WORK/h" -w '%{http_code}' -X "$method" \
        "${hdr[@]+"${hdr[@]}"}" "${auth[@]+"${auth[@]}"}" "$@" -- "$url") \
        || die "$method $url: curl failed"
    if [ "$code" = 401 ] && [ -z "$token" ] && grep -qi '^www-authenticate: *bearer' "$WORK/h"; then
        get_token
        http "$method" "$url" "$@"
    fi
}
# Bearer challenge: realm="...",service="...",scope="..." -> a token for pull,push.
get_token() {
    local ch realm service q
    ch=$(grep -i '^www-authenticate:' "$WORK/h" | head -n 1 | tr -d '\r')
    realm=$(sed -n 's/.*realm="\([^"]*\)".*/\1/p' <<<"$ch")
    service=$(sed -n 's/.*service="\([^"]*\)".*/\1/p' <<<"$ch")
    [ -n "$realm" ] || die "401 with a Bearer challenge that names no realm: $ch"
    q="scope=repository:$repo:pull,push"
    [ -z "$service" ] || q="service=$service&$q"
    curl -sS -f -o "$WORK/token" "${auth[@]+"${auth[@]}"}" -- "$realm?$q" \
        || die "cannot get a token from $realm (set OCI_USERNAME and OCI_PASSWORD)"
    token=$(jq -r '.token // .access_token // empty' "$WORK/token")
    [ -n "$token" ] || die "$realm answered no token"
}
fail() { # what
    local hint=''
    [ "$code" != 401 ] || hint=" (credentials: OCI_USERNAME and OCI_PASSWORD)"
    die "$1: HTTP $code$hint: $(head -c 400 "$WORK/b" | tr '\n' ' ')"
}

# push_blob FILE: uploads FILE unless the registry has it; sets $digest.
digest=
push_blob() {
    local f=$1 loc
    digest=sha256:$(sha256sum <"$f" | cut -d' ' -f1)
    http HEAD "$base/blobs/$digest" -I
    if [ "$code" = 200 ]; then
        log "blob $digest ($(basename -- "$f")) already there"
        return
    fi
    http POST "$base/blobs/uploads/" -H 'Content-Length: 0'
    [ "$code" = 202 ] || fail "POST $base/blobs/uploads/"
    loc=$(grep -i '^location:' "$WORK/h" | head -n 1 | sed 's/^[^:]*: *//' | tr -d '\r')
    [ -n "$loc" ] || die "the registry started an upload but sent no Location"
    case $loc in /*) loc=$scheme://$host$loc ;; esac
    case $loc in *\?*) loc="$loc&digest=$digest" ;; *) loc="$loc?digest=$digest" ;; esac
    http PUT "$loc" -H 'Content-Type: application/octet-stream' --data-binary "@$f"
    [ "$code" = 201 ] || fail "PUT blob $digest"
    log "pushed blob $digest ($(basename -- "$f"), $(wc -c <"$f") bytes)"
}
# layer FILE MEDIA-TYPE: pushes FILE, appends its descriptor to $WORK/layers.
layer() {
    push_blob "$1"
    jq -n --arg d "$digest" --argjson s "$(wc -c <"$1")" --arg m "$2" --arg t "$(basename -- "$1")" \
        '{mediaType: $m, digest: $d, size: $s, annotations: {"org.opencontainers.image.title": $t}}' >>"$WORK/layers"
}

log "pushing $title to $host/$repo:$version"
push_blob "$WORK/config"
cfg=$digest
: >"$WORK/layers"
layer "$tgz" application/vnd.oci.image.layer.v1.tar+gzip
[ -z "$prov" ] || layer "$prov" application/vnd.oci.image.layer.v1.tar
jq -n --arg cfg "$cfg" --slurpfile layers "$WORK/layers" --arg name "$name" --arg version "$version" '{
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType: "application/vnd.helm.plugin.v1+json",
    config: {mediaType: "application/vnd.oci.empty.v1+json", digest: $cfg, size: 2},
    layers: $layers,
    annotations: {"org.opencontainers.image.title": $name, "org.opencontainers.image.version": $version}
}' >"$WORK/manifest"
http PUT "$base/manifests/$version" -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "@$WORK/manifest"
[ "$code" = 201 ] || fail "PUT manifest $repo:$version"
digest=$(grep -i '^docker-content-digest:' "$WORK/h" | sed 's/^[^:]*: *//' | tr -d '\r')
log "pushed $host/$repo:$version${digest:+ ($digest)}"
echo "oci://$host/$repo:$version"
