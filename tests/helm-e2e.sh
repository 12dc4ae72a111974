#!/usr/bin/env bash
# helm-e2e.sh - end-to-end tests of the wi-inject Helm plugins with real Helm clients.
#
#   tests/helm-e2e.sh [REPO_ROOT]      (default: this script's parent directory)
#
# Gets Helm v3.17.3 and v4.1.4 with scripts/get-helm.sh, copies the working tree
# (tracked and untracked files, uncommitted changes included; no build*/ and no
# .cache/) into a temporary directory and installs the plugins from that copy, so
# the install hook (scripts/plugin-build.sh) really builds wi-inject. Each Helm
# version gets its own HELM_DATA_HOME/HELM_CONFIG_HOME/HELM_CACHE_HOME; helm runs
# from an unrelated working directory. Then renders testdata/charts/spaces-like
# with and without the post-renderer and compares.
#
# Output: TAP (ok/not ok lines, "# " diagnostics, the plan 1..N at the end).
# Exit status: 0 when every test passed, 1 otherwise.
# HELM_E2E_KEEP=1 keeps the temporary directory (its path is printed).
set -u
set -o pipefail
export LC_ALL=C

ROOT=$(cd -P -- "${1:-$(dirname -- "${BASH_SOURCE[0]}")/..}" 2>/dev/null && pwd -P) || {
    echo "Bail out! repository root '${1:-}' not found"
    exit 1
}

# Nothing from the caller's Helm or wi-inject setup may leak into the tests.
for v in $(compgen -e); do
    case $v in HELM_* | WI_INJECT_*) unset "$v" ;; esac
done
# Never talk to a real cluster: install --dry-run=client below needs none.
export KUBECONFIG=/nonexistent/helm-e2e-kubeconfig

GUID=3f0c2a5e-7b1d-4c8e-9a6f-0123456789ab
BAD_GUID=not-a-guid
CHART=$ROOT/testdata/charts/spaces-like
REL=e2e
CPS="a b c" # --set controlPlanes={a,b,c}: one host namespace per control plane
SET_CPS=(--set 'controlPlanes={a,b,c}')
ARGS4=(--post-renderer wi-inject --post-renderer-args "--client-id=$GUID")
TO=()
command -v timeout >/dev/null 2>&1 && TO=(timeout 900)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/helm-e2e.XXXXXX") || { echo "Bail out! mktemp failed"; exit 1; }
cleanup() {
    if [ "${HELM_E2E_KEEP:-0}" = 1 ]; then
        echo "# kept $WORK"
    else
        rm -rf -- "$WORK"
    fi
}
trap cleanup EXIT
trap 'echo "Bail out! interrupted"; exit 130' INT TERM
mkdir -p "$WORK/cwd" "$WORK/out"
cd "$WORK/cwd" || exit 1 # helm runs here: neither the repo nor the plugin dir
START=$(date +%s)

# --- TAP ----------------------------------------------------------------------
. "$ROOT/tests/tap.sh"
skip() { N=$((N + 1)); echo "ok $N - $1 # SKIP $2"; }
fail() { printf '%s\n' "$*"; return 1; }
# show FILE [LINES]: a file's head, for diagnostics
show() { echo "--- ${1#"$WORK"/} (first ${2:-15} lines):"; head -n "${2:-15}" -- "$1"; }
# same A B: byte-identical files, else a diff excerpt
same() {
    cmp -s -- "$1" "$2" && return 0
    echo "${1#"$WORK"/} and ${2#"$WORK"/} differ:"
    diff -u -- "$1" "$2" | head -n 40
    return 1
}

# --- helm -----------------------------------------------------------------------
# h VER ARGS...: helm VER (3, 4 or 4git) with its own homes; stdout/stderr as given.
h() {
    local ver=$1 bin
    shift
    case $ver in 3) bin=$HELM3 ;; *) bin=$HELM4 ;; esac
    HELM_DATA_HOME=$WORK/h$ver/data HELM_CONFIG_HOME=$WORK/h$ver/config \
        HELM_CACHE_HOME=$WORK/h$ver/cache "${TO[@]}" "$bin" "$@"
}
# render VER NAME ARGS...: helm template into $WORK/out/NAME.{yaml,err}; sets RC
# and RCS[NAME] to helm's exit status.
declare -A RCS=()
render() {
    local ver=$1 name=$2
    shift 2
    h "$ver" template "$REL" "$CHART" "$@" >"$WORK/out/$name.yaml" 2>"$WORK/out/$name.err"
    RC=$?
    RCS[$name]=$RC
}
rendered() { # NAME: the render succeeded and printed something
    local rc=${RCS[$1]:-unknown}
    [ "$rc" = 0 ] || { echo "helm template ($1) exited $rc"; show "$WORK/out/$1.err"; return 1; }
    [ -s "$WORK/out/$1.yaml" ] || fail "helm printed nothing"
}

# --- what the output says -------------------------------------------------------
# facts FILE...: one "DOC kind ns/name source" line per document and one
# "HIT kind ns/name parent.path key=value" line per azure.workload.identity/* key.
# An indentation tracker (block mappings, "- " items, block scalars skipped):
# enough for the test chart, whose ConfigMap holds a decoy manifest in a block scalar.
facts() {
    awk '
    function flush(   i, id) {
        if (kind != "" || nhits > 0) {
            id = kind " " (ns == "" ? "-" : ns) "/" (name == "" ? "-" : name)
            print "DOC " id " " (src == "" ? "-" : src)
            for (i = 1; i <= nhits; i++) print "HIT " id " " hits[i]
        }
        kind = ""; name = ""; ns = ""; src = ""; nhits = 0; depth = 0; bs = -1
    }
    function path(   i, p) {
        p = ""
        for (i = 1; i < depth; i++) p = p (p == "" ? "" : ".") keys[i]
        return p == "" ? "-" : p
    }
    BEGIN { flush() }
    FNR == 1 || /^---/ { flush() }
    /^---/ { next }
    /^# Source: / { src = substr($0, 11); next }
    {
        line = $0
        sub(/\r$/, "", line)
        if (line ~ /^[ ]*$/) next
        match(line, /^ */); ind = RLENGTH; rest = substr(line, ind + 1)
        if (bs >= 0 && ind > bs) next
        bs = -1
        if (rest ~ /^#/) next
        while (rest ~ /^- /) { ind += 2; rest = substr(rest, 3) }
        if (!match(rest, /^("[^"]*"|'"'"'[^'"'"']*'"'"'|[^ "'"'"'#:{[][^:]*):( |$)/)) next
        key = substr(rest, 1, RLENGTH); sub(/:( )?$/, "", key)
        val = substr(rest, RLENGTH + 1)
        gsub(/^["'"'"']|["'"'"']$/, "", key)
        while (depth > 0 && inds[depth] >= ind) depth--
        depth++; inds[depth] = ind; keys[depth] = key
        if (val ~ /^[|>]/) bs = ind
        p = path()
        if (depth == 1 && key == "kind") kind = val
        if (p == "metadata" && key == "name") name = val
        if (p == "metadata" && key == "namespace") ns = val
        if (key ~ /^azure\.workload\.identity\//) hits[++nhits] = p " " key "=" val
    }
    END { flush() }' "$@"
}

# expected_hits WHAT...: the keys wi-inject must insert, sorted. WHAT: sa deploy cron job
expected_hits() {
    local cp w
    for cp in $CPS; do
        for w in "$@"; do
            case $w in
            sa) echo "HIT ServiceAccount mxp-$cp-system/mxp-controller metadata.annotations azure.workload.identity/client-id=\"$GUID\"" ;;
            deploy) echo "HIT Deployment mxp-$cp-system/mxp-controller spec.template.metadata.labels azure.workload.identity/use=\"true\"" ;;
            cron) echo "HIT CronJob mxp-$cp-system/mxp-backup spec.jobTemplate.spec.template.metadata.labels azure.workload.identity/use=\"true\"" ;;
            job) echo "HIT Job mxp-$cp-system/mxp-pre-upgrade-backup spec.template.metadata.labels azure.workload.identity/use=\"true\"" ;;
            esac
        done
    done | sort
}

# hits_are FILE KIND_REGEX WHAT...: the HIT lines for kinds matching KIND_REGEX
# are exactly the expected ones.
hits_are() {
    local file=$1 kinds=$2
    shift 2
    facts "$file" | grep -E "^HIT ($kinds) " | sort >"$WORK/got.hits"
    expected_hits "$@" | grep -E "^HIT ($kinds) " >"$WORK/want.hits"
    cmp -s "$WORK/got.hits" "$WORK/want.hits" && return 0
    echo "inserted keys (${kinds}) in ${file#"$WORK"/} are not as expected (- want, + got):"
    diff -u "$WORK/want.hits" "$WORK/got.hits" | tail -n +3
    return 1
}

# only_inserted OUT BASE NKEYS: OUT minus its azure.workload.identity/ lines and
# checksum/workload-identity annotations (one per wired Deployment) is
# byte-identical to BASE, which has none; OUT has exactly NKEYS of them.
only_inserted() {
    local out=$1 base=$2 want=$3 n re='^ *(azure\.workload\.identity/(client-id|use)|checksum/workload-identity): '
    if grep -Eq "$re" "$base"; then fail "the baseline ${base#"$WORK"/} already has workload-identity keys"; return; fi
    n=$(grep -Ec "$re" "$out")
    [ "$n" -eq "$want" ] || { fail "${out#"$WORK"/} has $n inserted lines, want $want"; return; }
    # A pod template without annotations gets an "annotations:" line for the checksum.
    awk -v re="$re" '{ l[NR] = $0 }
        END { for (i = 1; i <= NR; i++) {
            if (l[i] ~ /^ *annotations:$/ && l[i + 1] ~ /^ *checksum\/workload-identity: /) continue
            if (l[i] !~ re) print l[i] } }' "$out" >"$out.stripped"
    same "$base" "$out.stripped"
}

# only_sources FILE SOURCE COUNT: FILE holds COUNT documents, all from SOURCE
only_sources() {
    local n others
    n=$(facts "$1" | grep -c '^DOC ')
    others=$(facts "$1" | grep '^DOC ' | awk -v s="$2" '$4 != s' | head -n 5)
    [ -z "$others" ] || { echo "documents from other sources:"; echo "$others"; return 1; }
    [ "$n" -eq "$3" ] || fail "$n documents, want $3"
}

# ================================================================================
# setup
# ================================================================================
get_helm() {
    local out
    out=$("$ROOT/scripts/get-helm.sh" 2>"$WORK/get-helm.err") || { cat "$WORK/get-helm.err"; return 1; }
    HELM3=$(printf '%s\n' "$out" | sed -n 's/^helm3=//p')
    HELM4=$(printf '%s\n' "$out" | sed -n 's/^helm4=//p')
    [ -x "$HELM3" ] && [ -x "$HELM4" ] || { echo "get-helm.sh printed:"; echo "$out"; return 1; }
    [ "$(h 3 version --template '{{.Version}}')" = v3.17.3 ] || fail "$HELM3 is not v3.17.3"
    [ "$(h 4 version --template '{{.Version}}')" = v4.1.4 ] || fail "$HELM4 is not v4.1.4"
}
HELM3='' HELM4=''
t "setup: scripts/get-helm.sh provides Helm v3.17.3 and v4.1.4" get_helm
if [ "$FAILED" -ne 0 ]; then
    echo "Bail out! no Helm binaries"
    exit 1
fi

# copy_tree DEST: the working tree as a fresh clone would have it, plus
# uncommitted and untracked (not ignored) files; never build*/ or .cache/.
copy_tree() {
    local dest=$1
    mkdir -p "$dest" || return
    if command -v git >/dev/null 2>&1 && git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (
            cd "$ROOT" || exit 1
            git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
                case $f in build*/* | .cache/*) continue ;; esac
                [ -e "$f" ] || [ -L "$f" ] || continue # deleted but still tracked
                printf '%s\0' "$f"
            done | tar --null --no-recursion -T - -cf -
        ) | tar -xpf - -C "$dest"
    else
        tar -C "$ROOT" --exclude='./build*' --exclude=./.cache --exclude=./.git -cf - . | tar -xpf - -C "$dest"
    fi
}
make_copies() {
    local d f
    # Spaces in the Helm 3 and 4 checkout paths on purpose (Helm splits commands on spaces).
    for d in "$WORK/checkout 4/wi-inject" "$WORK/checkout 3/wi-inject" "$WORK/srcgit/wi-inject"; do
        copy_tree "$d" || fail "copying the working tree to $d failed" || return
        [ -f "$d/plugin.yaml" ] && [ -f "$d/scripts/plugin-build.sh" ] && [ -f "$d/helm3/wi-inject-path/plugin.yaml" ] \
            || fail "$d lacks plugin.yaml, scripts/plugin-build.sh or helm3/wi-inject-path/plugin.yaml" || return
        for f in "$d"/build* "$d/.cache"; do
            [ ! -e "$f" ] || { fail "the copy has build output: $f"; return; }
        done
    done
    C4="$WORK/checkout 4/wi-inject"
    C3="$WORK/checkout 3/wi-inject"
    CG=$WORK/srcgit/wi-inject
}
C4='' C3='' CG=''
t "setup: clean copies of the working tree (uncommitted files included, no build*/ or .cache/)" make_copies

# The binary the plugins run: where plugin-build.sh puts it for this platform
# (Helm's GOOS/GOARCH names; bin/source/ on platforms without a bundled binary).
case $(uname -s)/$(uname -m) in
    Linux/x86_64) PLAT_BIN=bin/linux-amd64/wi-inject ;;
    Linux/aarch64) PLAT_BIN=bin/linux-arm64/wi-inject ;;
    *) PLAT_BIN=bin/source/wi-inject ;;
esac

# ================================================================================
# versions
# ================================================================================
MESON_VERSION=$(sed -n "/^project(/,/)/s/.*version *: *'\([^']*\)'.*/\1/p" "$ROOT/meson.build" | head -n 1)
yaml_version() { sed -n 's/^version: *["'"'"']\{0,1\}\([^"'"'"' #]*\).*/\1/p' "$1" | head -n 1; }
versions_equal() {
    local v4 v3
    v4=$(yaml_version "$ROOT/plugin.yaml")
    v3=$(yaml_version "$ROOT/helm3/wi-inject-path/plugin.yaml")
    echo "meson.build: '$MESON_VERSION', plugin.yaml: '$v4', helm3/wi-inject-path/plugin.yaml: '$v3'"
    [ -n "$MESON_VERSION" ] && [ "$v4" = "$MESON_VERSION" ] && [ "$v3" = "$MESON_VERSION" ]
}
t "plugin.yaml version (and the Helm 3 plugin's) equals meson.build's project version" versions_equal

# ================================================================================
# Helm 4
# ================================================================================
h4_install() {
    local bin=$C4/$PLAT_BIN v
    [ ! -e "$bin" ] || fail "$bin exists before the install" || return
    h 4 plugin install "$C4" >"$WORK/h4-install.out" 2>"$WORK/h4-install.err" \
        || { echo "helm plugin install failed:"; tail -n 20 "$WORK/h4-install.err"; return 1; }
    [ -x "$bin" ] || { echo "the install hook did not build $bin"; tail -n 20 "$WORK/h4-install.err"; return 1; }
    v=$("$bin" --version) || fail "$bin --version failed" || return
    [ "$v" = "wi-inject $MESON_VERSION" ] || fail "$bin --version says '$v'" || return
    if grep -Eq 'Meson|ninja' "$WORK/h4-install.out"; then
        fail "build output on helm's stdout (want stderr)"; show "$WORK/h4-install.out"; return 1
    fi
    grep -q 'wi-inject-plugin-build: built' "$WORK/h4-install.err" || fail "no build report on stderr"
}
t "helm4: plugin install <copy> (from an unrelated cwd) runs the hook, which builds $PLAT_BIN" h4_install

h4_list() {
    h 4 plugin list >"$WORK/h4-list.out" 2>&1 || { show "$WORK/h4-list.out"; return 1; }
    awk -v v="$MESON_VERSION" '$1 == "wi-inject" && $2 == v && $3 == "postrenderer/v1" { f = 1 } END { exit !f }' \
        "$WORK/h4-list.out" || { show "$WORK/h4-list.out"; return 1; }
}
t "helm4: plugin list shows wi-inject $MESON_VERSION, type postrenderer/v1" h4_list

h4_idempotent() {
    local link bin=$C4/$PLAT_BIN before after out
    link=$WORK/h4/data/plugins/wi-inject
    [ -L "$link" ] || fail "$link is not the symlink a local install makes" || return
    before=$(stat -c %Y.%i "$bin")
    out=$(cd / && sh "$link/scripts/plugin-build.sh" 2>"$WORK/rebuild.err") \
        || { echo "rerun failed:"; tail -n 20 "$WORK/rebuild.err"; return 1; }
    [ -z "$out" ] || fail "plugin-build.sh wrote to stdout: $out" || return
    grep -q 'no work to do' "$WORK/rebuild.err" || { echo "ninja rebuilt something:"; tail -n 20 "$WORK/rebuild.err"; return 1; }
    after=$(stat -c %Y.%i "$bin")
    [ "$before" = "$after" ] || fail "the binary was replaced"
}
t "helm4: plugin-build.sh is idempotent (rerun via the plugin symlink from /: no rebuild, clean stdout)" h4_idempotent

# A test-only post-renderer that changes nothing: Helm 4 re-serialises the
# manifests it hands to any post-renderer, so "nothing else changed" compares
# with this, not with a render without post-renderer.
identity_plugin() {
    mkdir -p "$WORK/identity" &&
        cat >"$WORK/identity/plugin.yaml" <<'EOF'
apiVersion: v1
type: postrenderer/v1
name: e2e-identity
version: 0.0.1
runtime: subprocess
runtimeConfig:
  platformCommand:
    - command: cat
EOF
    h 4 plugin install "$WORK/identity" >"$WORK/identity.out" 2>&1 || { show "$WORK/identity.out"; return 1; }
    render 4 i4 "${SET_CPS[@]}" --post-renderer e2e-identity
    rendered i4
}
t "helm4: baseline render through a test-only identity post-renderer (cat)" identity_plugin

render 4 r4 "${SET_CPS[@]}" "${ARGS4[@]}"
t "helm4: helm template --post-renderer wi-inject --post-renderer-args --client-id=GUID succeeds" rendered r4
t "helm4: every mxp-controller ServiceAccount (mxp-{a,b,c}-system) has the client-id annotation" \
    hits_are "$WORK/out/r4.yaml" ServiceAccount sa
t "helm4: mxp-controller Deployment and mxp-backup CronJob pod templates have use=\"true\" in every namespace" \
    hits_are "$WORK/out/r4.yaml" 'Deployment|CronJob' deploy cron
t "helm4: the hook Job (templates/hook-job.yaml, runs as mxp-controller) is post-rendered and labelled" \
    hits_are "$WORK/out/r4.yaml" Job job
h4_nothing_else() {
    hits_are "$WORK/out/r4.yaml" '[A-Za-z]+' sa deploy cron job || return
    only_inserted "$WORK/out/r4.yaml" "$WORK/out/i4.yaml" 15
}
t "helm4: nothing else changed (exactly those 12 keys and 3 Deployment checksums; the rest == identity render, byte for byte)" h4_nothing_else

h4_select() {
    render 4 s4 "${SET_CPS[@]}" "${ARGS4[@]}" -s templates/mxp-controller.yaml
    rendered s4 || return
    only_sources "$WORK/out/s4.yaml" spaces-like/templates/mxp-controller.yaml 6 || return
    hits_are "$WORK/out/s4.yaml" '[A-Za-z]+' sa deploy || return
    render 4 s4h "${SET_CPS[@]}" "${ARGS4[@]}" -s templates/hook-job.yaml
    rendered s4h || return
    only_sources "$WORK/out/s4h.yaml" spaces-like/templates/hook-job.yaml 3 || return
    hits_are "$WORK/out/s4h.yaml" '[A-Za-z]+' job
}
t "helm4: -s templates/mxp-controller.yaml and -s templates/hook-job.yaml select their (wired) documents" h4_select

h4_output_dir() {
    local od=$WORK/od4 f
    render 4 od4 "${SET_CPS[@]}" "${ARGS4[@]}" --output-dir "$od"
    [ "$RC" -eq 0 ] || { echo "helm exited $RC"; show "$WORK/out/od4.err"; return 1; }
    (cd "$od" && find . -type f | sort) >"$WORK/od4.files"
    for f in configmap cronjob external-secrets hook-job mxp-controller mxp-controller-helper namespaces vector; do
        echo "./spaces-like/templates/$f.yaml"
    done | sort >"$WORK/od4.want"
    same "$WORK/od4.want" "$WORK/od4.files" || return
    hits_are "$od/spaces-like/templates/mxp-controller.yaml" '[A-Za-z]+' sa deploy || return
    hits_are "$od/spaces-like/templates/cronjob.yaml" '[A-Za-z]+' cron || return
    hits_are "$od/spaces-like/templates/hook-job.yaml" '[A-Za-z]+' job || return
    hits_are "$od/spaces-like/templates/vector.yaml" '[A-Za-z]+' none
}
t "helm4: --output-dir writes post-rendered files at spaces-like/templates/<file>.yaml" h4_output_dir

h4_install_dry_run() {
    h 4 install "$REL" "$CHART" "${SET_CPS[@]}" "${ARGS4[@]}" --dry-run=client \
        >"$WORK/out/inst4.yaml" 2>"$WORK/out/inst4.err"
    RCS[inst4]=$?
    rendered inst4 || return
    grep -q '^HOOKS:$' "$WORK/out/inst4.yaml" && grep -q '^MANIFEST:$' "$WORK/out/inst4.yaml" \
        || { show "$WORK/out/inst4.yaml"; return 1; }
    hits_are "$WORK/out/inst4.yaml" '[A-Za-z]+' sa deploy cron job
}
t "helm4: install --dry-run=client: release manifest and hooks are wired" h4_install_dry_run

h4_bad_id() {
    local log=$WORK/h4-bad.log
    WI_INJECT_LOG=$log render 4 bad4 "${SET_CPS[@]}" --post-renderer wi-inject --post-renderer-args "--client-id=$BAD_GUID"
    [ "$RC" -ne 0 ] || fail "helm template succeeded with --client-id=$BAD_GUID" || return
    echo "helm says: $(head -n 1 "$WORK/out/bad4.err")"
    [ -f "$log" ] || fail "WI_INJECT_LOG=$log was not written" || return
    grep -q -- "--client-id: \"$BAD_GUID\" is not a GUID" "$log" || { show "$log"; return 1; }
}
t "helm4: a bad client ID fails helm template; the reason is in the WI_INJECT_LOG file" h4_bad_id

h4_no_match() {
    local log=$WORK/h4-nomatch.log
    render 4 nm4 --set withMxpController=false "${ARGS4[@]}" --post-renderer-args "--log-file=$log"
    [ "$RC" -ne 0 ] || fail "helm template succeeded although nothing runs as mxp-controller" || return
    [ -f "$log" ] || fail "--log-file=$log was not written" || return
    grep -q 'no ServiceAccount or workload matched' "$log" || { show "$log"; return 1; }
}
t "helm4: withMxpController=false fails without --allow-missing; the reason is in the --log-file file" h4_no_match

h4_allow_missing() {
    render 4 am4i --set withMxpController=false --post-renderer e2e-identity
    rendered am4i || return
    render 4 am4 --set withMxpController=false "${ARGS4[@]}" --post-renderer-args --allow-missing
    rendered am4 || return
    same "$WORK/out/am4i.yaml" "$WORK/out/am4.yaml"
}
t "helm4: withMxpController=false with --allow-missing == identity render, byte for byte" h4_allow_missing

h4_uninstall() {
    h 4 plugin uninstall wi-inject >"$WORK/h4-un.out" 2>&1 || { show "$WORK/h4-un.out"; return 1; }
    h 4 plugin list >"$WORK/h4-list2.out" 2>&1 || { show "$WORK/h4-list2.out"; return 1; }
    if awk '$1 == "wi-inject" { f = 1 } END { exit !f }' "$WORK/h4-list2.out"; then
        show "$WORK/h4-list2.out"; return 1
    fi
    [ -x "$C4/$PLAT_BIN" ] || fail "uninstall removed the checkout's build" || return
    render 4 un4 "${ARGS4[@]}"
    [ "$RC" -ne 0 ] || fail "--post-renderer wi-inject still works after uninstall"
}
t "helm4: plugin uninstall wi-inject; plugin list no longer shows it (checkout kept)" h4_uninstall

# Helm 4 from a git URL: a throw-away repository made from the copy (file:// URL).
# VCS sources cannot be verified, so --verify=false is required.
if command -v git >/dev/null 2>&1; then
    h4_git_install() {
        (
            cd "$CG" &&
                git init -q -b main . &&
                git add -A &&
                git -c user.name=helm-e2e -c user.email=helm-e2e@example.invalid -c commit.gpgsign=false \
                    commit -q -m snapshot
        ) || fail "could not make a git repository of the copy" || return
        h 4git plugin install --verify=false "file://$CG" >"$WORK/h4g.out" 2>"$WORK/h4g.err" \
            || { echo "helm plugin install failed:"; tail -n 20 "$WORK/h4g.err"; return 1; }
        h 4git plugin list >"$WORK/h4g-list.out" 2>&1
        awk '$1 == "wi-inject" && $3 == "postrenderer/v1" { f = 1 } END { exit !f }' "$WORK/h4g-list.out" \
            || { show "$WORK/h4g-list.out"; return 1; }
        render 4git g4 "${SET_CPS[@]}" "${ARGS4[@]}"
        rendered g4 || return
        hits_are "$WORK/out/g4.yaml" '[A-Za-z]+' sa deploy cron job
    }
    t "helm4: plugin install --verify=false <git URL> builds, lists and post-renders" h4_git_install
    h4_git_update() {
        h 4git plugin update wi-inject >"$WORK/h4gu.out" 2>"$WORK/h4gu.err" \
            || { echo "helm plugin update failed:"; tail -n 20 "$WORK/h4gu.err"; return 1; }
        grep -q 'wi-inject-plugin-build: built' "$WORK/h4gu.err" \
            || { echo "the update hook did not run plugin-build.sh"; tail -n 10 "$WORK/h4gu.err"; return 1; }
        h 4git plugin uninstall wi-inject >"$WORK/h4gun.out" 2>&1 || { show "$WORK/h4gun.out"; return 1; }
    }
    t "helm4: plugin update (git install) reruns the build through the update hook; uninstall" h4_git_update
else
    skip "helm4: plugin install --verify=false <git URL> builds, lists and post-renders" "git not installed"
    skip "helm4: plugin update (git install) reruns the build through the update hook; uninstall" "git not installed"
fi

# ================================================================================
# Helm 3
# ================================================================================
h3_install() {
    local bin=$C3/$PLAT_BIN
    [ ! -e "$bin" ] || fail "$bin exists before the install" || return
    h 3 plugin install "$C3/helm3/wi-inject-path" >"$WORK/h3-install.out" 2>"$WORK/h3-install.err" \
        || { echo "helm plugin install failed:"; tail -n 20 "$WORK/h3-install.err"; return 1; }
    [ -x "$bin" ] || { echo "the install hook did not build $bin"; tail -n 20 "$WORK/h3-install.err"; return 1; }
    if grep -Eq 'Meson|ninja' "$WORK/h3-install.out"; then
        fail "build output on helm's stdout (want stderr)"; show "$WORK/h3-install.out"; return 1
    fi
}
t "helm3: plugin install <copy>/helm3/wi-inject-path (from an unrelated cwd) builds $PLAT_BIN" h3_install

h3_list() {
    h 3 plugin list >"$WORK/h3-list.out" 2>"$WORK/h3-list.err" || { show "$WORK/h3-list.err"; return 1; }
    [ ! -s "$WORK/h3-list.err" ] || { echo "helm3 complains:"; show "$WORK/h3-list.err"; return 1; }
    awk -v v="$MESON_VERSION" '$1 == "wi-inject-path" && $2 == v { f = 1 } END { exit !f }' "$WORK/h3-list.out" \
        || { show "$WORK/h3-list.out"; return 1; }
}
t "helm3: plugin list shows wi-inject-path $MESON_VERSION, no plugin load errors" h3_list

H3PATH=
h3_path() {
    local want
    H3PATH=$(h 3 wi-inject-path 2>"$WORK/h3-path.err") || { echo "helm wi-inject-path failed"; show "$WORK/h3-path.err"; return 1; }
    want=$(cd -P "$C3" && pwd -P)/$PLAT_BIN
    echo "helm wi-inject-path printed: '$H3PATH'"
    [ "$H3PATH" = "$want" ] || fail "want '$want'" || return
    [ -f "$H3PATH" ] && [ -x "$H3PATH" ] || fail "not an executable file" || return
    [ "$("$H3PATH" --version)" = "wi-inject $MESON_VERSION" ] || fail "'$H3PATH --version' is wrong"
}
t "helm3: helm wi-inject-path prints the absolute path of the built executable" h3_path
[ -n "$H3PATH" ] || H3PATH=$C3/$PLAT_BIN
ARGS3=(--post-renderer "$H3PATH" --post-renderer-args "--client-id=$GUID")

render 3 p3 "${SET_CPS[@]}"
render 3 r3 "${SET_CPS[@]}" "${ARGS3[@]}"
t "helm3: helm template --post-renderer \"\$(helm wi-inject-path)\" --post-renderer-args --client-id=GUID succeeds" rendered r3
t "helm3: every mxp-controller ServiceAccount (mxp-{a,b,c}-system) has the client-id annotation" \
    hits_are "$WORK/out/r3.yaml" ServiceAccount sa
t "helm3: mxp-controller Deployment and mxp-backup CronJob pod templates have use=\"true\" in every namespace" \
    hits_are "$WORK/out/r3.yaml" 'Deployment|CronJob' deploy cron
h3_hook() {
    local n
    n=$(facts "$WORK/out/r3.yaml" | grep -c '^DOC Job .*/mxp-pre-upgrade-backup spaces-like/templates/hook-job.yaml$')
    [ "$n" -eq 3 ] || fail "$n hook Jobs in the output, want 3" || return
    hits_are "$WORK/out/r3.yaml" Job none
}
t "helm3: hooks are not post-rendered: the hook Job is in the output but NOT labelled (Helm 3 limitation)" h3_hook
h3_nothing_else() {
    rendered p3 || return
    hits_are "$WORK/out/r3.yaml" '[A-Za-z]+' sa deploy cron || return
    only_inserted "$WORK/out/r3.yaml" "$WORK/out/p3.yaml" 12
}
t "helm3: nothing else changed (exactly those 9 keys and 3 Deployment checksums; the rest == plain render, byte for byte)" h3_nothing_else

h3_select() {
    render 3 s3 "${SET_CPS[@]}" "${ARGS3[@]}" -s templates/mxp-controller.yaml
    rendered s3 || return
    only_sources "$WORK/out/s3.yaml" spaces-like/templates/mxp-controller.yaml 6 || return
    hits_are "$WORK/out/s3.yaml" '[A-Za-z]+' sa deploy || return
    render 3 s3c "${SET_CPS[@]}" "${ARGS3[@]}" -s templates/cronjob.yaml
    rendered s3c || return
    only_sources "$WORK/out/s3c.yaml" spaces-like/templates/cronjob.yaml 3 || return
    hits_are "$WORK/out/s3c.yaml" '[A-Za-z]+' cron
}
t "helm3: -s templates/mxp-controller.yaml and -s templates/cronjob.yaml select their (wired) documents" h3_select

h3_output_dir() {
    local od=$WORK/od3 n
    render 3 od3 "${SET_CPS[@]}" "${ARGS3[@]}" --output-dir "$od"
    [ "$RC" -eq 0 ] || { echo "helm exited $RC (wi-inject must accept empty stdin)"; show "$WORK/out/od3.err"; return 1; }
    n=$(find "$od/spaces-like/templates" -type f -name '*.yaml' | wc -l)
    [ "$n" -eq 8 ] || fail "$n files under $od/spaces-like/templates, want 8" || return
    # Documented limitation: Helm 3 writes the files without post-rendering them.
    cat "$od"/spaces-like/templates/*.yaml >"$WORK/od3.all"
    hits_are "$WORK/od3.all" '[A-Za-z]+' none
}
t "helm3: --output-dir succeeds (empty stdin); the files are written NOT post-rendered (Helm 3 limitation)" h3_output_dir

h3_bad_id() {
    render 3 bad3 "${SET_CPS[@]}" --post-renderer "$H3PATH" --post-renderer-args "--client-id=$BAD_GUID"
    [ "$RC" -ne 0 ] || fail "helm template succeeded with --client-id=$BAD_GUID" || return
    grep -q -- "wi-inject: error: --client-id: \"$BAD_GUID\" is not a GUID" "$WORK/out/bad3.err" \
        || { show "$WORK/out/bad3.err"; return 1; }
}
t "helm3: a bad client ID fails helm template, with wi-inject's reason in helm's output" h3_bad_id

h3_no_match() {
    render 3 nm3 --set withMxpController=false "${ARGS3[@]}"
    [ "$RC" -ne 0 ] || fail "helm template succeeded although nothing runs as mxp-controller" || return
    grep -q 'no ServiceAccount or workload matched' "$WORK/out/nm3.err" && grep -q 'exit status 3' "$WORK/out/nm3.err" \
        || { show "$WORK/out/nm3.err"; return 1; }
}
t "helm3: withMxpController=false fails without --allow-missing (reason and exit status 3 shown)" h3_no_match

h3_allow_missing() {
    render 3 am3p --set withMxpController=false
    rendered am3p || return
    render 3 am3 --set withMxpController=false "${ARGS3[@]}" --post-renderer-args --allow-missing
    rendered am3 || return
    same "$WORK/out/am3p.yaml" "$WORK/out/am3.yaml"
}
t "helm3: withMxpController=false with --allow-missing == plain render, byte for byte" h3_allow_missing

h3_uninstall() {
    h 3 plugin uninstall wi-inject-path >"$WORK/h3-un.out" 2>&1 || { show "$WORK/h3-un.out"; return 1; }
    h 3 plugin list >"$WORK/h3-list2.out" 2>&1 || { show "$WORK/h3-list2.out"; return 1; }
    if awk '$1 == "wi-inject-path" { f = 1 } END { exit !f }' "$WORK/h3-list2.out"; then
        show "$WORK/h3-list2.out"; return 1
    fi
    [ -x "$C3/$PLAT_BIN" ] || fail "uninstall removed the checkout's build"
}
t "helm3: plugin uninstall wi-inject-path; plugin list no longer shows it (checkout kept)" h3_uninstall

# ================================================================================
echo "1..$N"
echo "# $((N - FAILED))/$N passed in $(($(date +%s) - START))s"
echo "helm-e2e: $((N - FAILED)) passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
