#!/usr/bin/env bash
# bench.sh - wi-inject's throughput and peak RSS, against floors and against the
# tools a user might pick instead for the same job.
#
# Builds a release wi-inject and yaml-parse-only into build-bench/, generates
# synthetic Helm 3 streams (scripts/gen-stream.py) of 1, 20 and 64 MiB in a
# temporary directory, and prints for each size a table: best-of-N wall time as
# MiB/s, peak RSS, and time relative to wi-inject.
#   floors: cat, yaml-parse-only (libyaml event parse, no output)
#   peers (1 and 20 MiB only): kislyuk yq, gojq, a PyYAML script, kustomize -
#   installed with apt-get when missing, skipped with a note when impossible.
# Then wi-inject on the real charts in ../shared/corpus (when present); the
# inputs whose cost once grew with the square of their size (scripts/gen-scale.py:
# anchors, --check over many ServiceAccounts, one big List) at N and 4N; and a
# PASS/FAIL line for each measured target.
#
# Timing: bench/timeit.c (built here with cc): CLOCK_MONOTONIC around fork..wait4,
# peak RSS from wait4 (as /usr/bin/time -f %M). parse-only and wi-inject take turns,
# a run each, so that load from elsewhere weighs on both alike (measure_pair). Floors and wi-inject write to
# /dev/null while timed (one more run of wi-inject writes a file to check); peers
# write their output to a file while timed (they need it checked, and writing is
# noise next to their run time). A peer whose first run takes over
# BENCH_SLOW_S seconds (default 10) is run once: the table shows the run count.
#
# Environment: BENCH_REV=COMMIT (benchmark that commit, built in the temporary
# directory, instead of the work tree), BENCH_SEED (1), BENCH_TMPDIR (default /dev/shm if writable, else
# TMPDIR or /tmp), BENCH_KEEP=1 keeps the temporary directory, BENCH_PEERS=0
# skips the peers, BENCH_NO_INSTALL=1 never runs apt-get.
#
# Exit status: 0 even when a target FAILs (that is information); 1 when a tool
# crashed or exited non-zero, or wi-inject's output was wrong; 2 on setup errors.
set -euo pipefail

ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
BUILD="$ROOT/build-bench"
CID=11111111-2222-3333-4444-555555555555
SEED=${BENCH_SEED:-1}
SLOW_S=${BENCH_SLOW_S:-10}
MiB=1048576

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: ERROR: %s\n' "$*" >&2; exit 2; }

# --- temporary directory ----------------------------------------------------------
if [ -n "${BENCH_TMPDIR:-}" ]; then
    TMPBASE=$BENCH_TMPDIR
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then
    TMPBASE=/dev/shm   # tmpfs: no disk writeback in the timings
else
    TMPBASE=${TMPDIR:-/tmp}
fi
WORK=$(mktemp -d "$TMPBASE/wi-bench.XXXXXX")
cleanup() {
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
        log "kept $WORK"
    else
        rm -rf -- "$WORK"
    fi
}
trap cleanup EXIT

# --- packages -----------------------------------------------------------------------
APT_UPDATED=0
installed() { dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
pkg_version() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || true; }
# apt_install PKG...: 0 when all are installed afterwards.
apt_install() {
    local missing=() p
    for p in "$@"; do installed "$p" || missing+=("$p"); done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "${BENCH_NO_INSTALL:-0}" = 1 ] || ! command -v apt-get >/dev/null 2>&1; then
        return 1
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || return 1
        sudo=(sudo -n)
    fi
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        "${sudo[@]+"${sudo[@]}"}" apt-get update -qq >&2 || return 1
        APT_UPDATED=1
    fi
    log "apt-get install ${missing[*]}"
    "${sudo[@]+"${sudo[@]}"}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || return 1
}

need=()
command -v meson >/dev/null 2>&1 || need+=(meson)
command -v ninja >/dev/null 2>&1 || need+=(ninja-build)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v diff >/dev/null 2>&1 || need+=(diffutils)
pkg-config --exists yaml-0.1 2>/dev/null || need+=(libyaml-dev)
pkg-config --exists libcjson 2>/dev/null || need+=(libcjson-dev)
if [ "${#need[@]}" -gt 0 ]; then
    apt_install "${need[@]}" || die "missing build tools and could not install: ${need[*]}"
fi

# --- build --------------------------------------------------------------------------
# BENCH_REV=COMMIT benchmarks a commit instead of the work tree: `git archive` of it
# into the temporary directory, built there (the work tree and build-bench/ are not
# touched). Handy to compare before/after, or while the work tree does not build.
if [ -n "${BENCH_REV:-}" ]; then
    command -v git >/dev/null 2>&1 || die "BENCH_REV needs git"
    REV=$(git -C "$ROOT" rev-parse --verify "${BENCH_REV}^{commit}") || die "no commit $BENCH_REV"
    SRC="$WORK/src"
    BUILD="$WORK/build"
    mkdir -p "$SRC"
    git -C "$ROOT" archive "$REV" | tar -x -C "$SRC" || die "git archive $REV failed"
    BUILT_FROM="commit ${REV:0:12} (BENCH_REV=$BENCH_REV)"
else
    SRC=$ROOT
    BUILT_FROM="work tree $ROOT"
fi
log "building release wi-inject from $BUILT_FROM into $BUILD"
if [ -f "$BUILD/build.ninja" ]; then
    meson configure "$BUILD" -Dbuildtype=release -Db_sanitize=none >/dev/null \
        || die "meson configure failed"
else
    meson setup "$BUILD" "$SRC" --buildtype=release -Db_sanitize=none >/dev/null \
        || die "meson setup failed"
fi
if ! ninja -C "$BUILD" wi-inject yaml-parse-only >"$WORK/build.log" 2>&1; then
    grep -E 'error' "$WORK/build.log" | head -n 10 >&2 || true
    die "build failed (BENCH_REV=HEAD benchmarks the last commit instead)"
fi
WI="$BUILD/wi-inject"
PARSE="$BUILD/yaml-parse-only"
TIMEIT="$WORK/timeit"
cc -O2 -o "$TIMEIT" "$ROOT/bench/timeit.c" || die "cannot build bench/timeit.c"

# --- peers ---------------------------------------------------------------------------
PEERS=()            # names, in table order
declare -A PEER_VER=() PEER_NOTE=()
KZ_CMD=()
if [ "${BENCH_PEERS:-1}" != 0 ]; then
    if apt_install yq && command -v yq >/dev/null 2>&1; then
        PEERS+=(yq)
        PEER_VER[yq]="Debian yq $(pkg_version yq) (kislyuk, + jq $(pkg_version jq))"
    else
        PEER_NOTE[yq]="skipped: Debian package yq not installable"
    fi
    if apt_install gojq && command -v gojq >/dev/null 2>&1; then
        PEERS+=(gojq)
        PEER_VER[gojq]="Debian gojq $(pkg_version gojq)"
    else
        PEER_NOTE[gojq]="skipped: Debian package gojq not installable"
    fi
    PY=/usr/bin/python3
    [ -x "$PY" ] || PY=$(command -v python3)
    if apt_install python3-yaml && "$PY" -c 'import yaml' 2>/dev/null; then
        PEERS+=(pyyaml)
        PEER_VER[pyyaml]="Debian python3-yaml $(pkg_version python3-yaml) (PyYAML $("$PY" -c \
            'import yaml; print(yaml.__version__, "C loader/dumper" if yaml.__with_libyaml__ else "pure Python")'), $("$PY" -V 2>&1))"
    else
        PEER_NOTE[pyyaml]="skipped: python3-yaml not installable"
    fi
    # kustomize: a standalone binary, else kubectl's built-in one. Debian 12 has no
    # kustomize package; its kubernetes-client (kubectl 1.20) embeds kustomize v2,
    # too old for `patches:`, so it is not installed for this.
    if ! command -v kustomize >/dev/null 2>&1 && ! command -v kubectl >/dev/null 2>&1; then
        apt_install kustomize >/dev/null 2>&1 || true
    fi
    if command -v kustomize >/dev/null 2>&1; then
        KZ_CMD=(kustomize build)
        PEER_VER[kustomize]="kustomize $(kustomize version 2>/dev/null | head -1)"
    elif command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
        KZ_CMD=(kubectl kustomize)
        kpkg=$(dpkg-query -S "$(command -v kubectl)" 2>/dev/null | cut -d: -f1 || true)
        PEER_VER[kustomize]="kubectl kustomize: $(kubectl version --client 2>/dev/null | tr '\n' ' ' | sed 's/ *$//')${kpkg:+ (Debian package $kpkg $(pkg_version "$kpkg"))}"
    fi
    if [ "${#KZ_CMD[@]}" -gt 0 ]; then
        PEERS+=(kustomize)
    else
        PEER_NOTE[kustomize]="skipped: no kustomize or kubectl, and neither is installable here (Debian 12 has no kustomize package)"
    fi
fi

# --- helpers ------------------------------------------------------------------------
FAILED=0            # a tool crashed or wi-inject was wrong
declare -A SECS=() RSSK=() RUNS=() BYTES=() MARK=()

# measure KEY INPUT OUTPUT TIMEIT_OPTS... -- CMD...: sets SECS/RSSK/RUNS[KEY].
measure() {
    local key=$1 in=$2 out=$3 res rc=0
    shift 3
    res=$("$TIMEIT" -i "$in" -o "$out" -e "$WORK/$key.err" "$@") || rc=$?
    read -r SECS[$key] RSSK[$key] RUNS[$key] <<<"$res"
    if [ "$rc" -ne 0 ]; then
        MARK[$key]="FAILED (exit $rc: $(tail -n 3 "$WORK/$key.err" 2>/dev/null | tr '\n' ' ' | cut -c1-160))"
        FAILED=1
        return 1
    fi
    MARK[$key]=""
}

# fold KEY FROM: adds FROM's one run to KEY: the best time, the largest RSS, the count.
fold() {
    if [ -z "${SECS[$1]:-}" ] || awk -v a="${SECS[$2]}" -v b="${SECS[$1]}" 'BEGIN { exit !(a < b) }'; then
        SECS[$1]=${SECS[$2]}
    fi
    [ "${RSSK[$1]:-0}" -ge "${RSSK[$2]}" ] || RSSK[$1]=${RSSK[$2]}
    RUNS[$1]=$((${RUNS[$1]:-0} + 1))
    MARK[$1]=""
}

# measure_pair KEY INPUT ROUNDS WI_ARG...: sets KEY:parse and KEY:wi. One run of
# parse-only, then one of wi-inject, ROUNDS times: both then meet the same spells of
# load from elsewhere on the machine, and the ratio of their best times drifts less
# than when all runs of one come first (seen here: 0.86 to 0.91 for one binary).
measure_pair() {
    local key=$1 in=$2 rounds=$3 i
    shift 3
    for ((i = 0; i < rounds; i++)); do
        if ! measure "$key:parse1" "$in" /dev/null -n 1 -N 1 -- "$PARSE"; then
            MARK[$key:parse]=${MARK[$key:parse1]}
            return 1
        fi
        fold "$key:parse" "$key:parse1"
        if ! measure "$key:wi1" "$in" /dev/null -n 1 -N 1 -- "$WI" "$@"; then
            MARK[$key:wi]=${MARK[$key:wi1]}
            return 1
        fi
        fold "$key:wi" "$key:wi1"
    done
}

mibps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", b / 1048576 / s; else print "inf" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

# count PATTERN FILE: lines matching (0 when none).
count() { grep -c -- "$1" "$2" || true; }

# row KEY NAME SIZE WI_KEY [EXTRA]
row() {
    local key=$1 name=$2 size=$3 wikey=$4 extra=${5:-}
    if [ -n "${MARK[$key]:-}" ]; then
        printf '  %-16s %s\n' "$name" "${MARK[$key]}"
        return
    fi
    printf '  %-16s %9s %9.4f %5s %8.1f %9s  %s\n' "$name" \
        "$(mibps "$size" "${SECS[$key]}")" "${SECS[$key]}" "${RUNS[$key]}" \
        "$(awk -v k="${RSSK[$key]}" 'BEGIN { printf "%.1f", k / 1024 }')" \
        "$(ratio "${SECS[$key]}" "${SECS[$wikey]:-0}")" "$extra"
}
header() {
    printf '  %-16s %9s %9s %5s %8s %9s  %s\n' tool MiB/s best_s runs RSS_MiB "t/wi" "notes"
}

# --- inputs -----------------------------------------------------------------------
declare -A GEN_SA=() GEN_WL=() GEN_DOCS=() INPUT=()
SIZES=(1 20 64)
for mb in "${SIZES[@]}"; do
    f="$WORK/in-$mb.yaml"
    stats=$(python3 "$ROOT/scripts/gen-stream.py" $((mb * MiB)) "$SEED" 2>&1 >"$f") \
        || die "gen-stream.py failed: $stats"
    INPUT[$mb]=$f
    BYTES[$mb]=$(stat -c %s "$f")
    GEN_SA[$mb]=$(sed -n 's/.* sa=\([0-9]*\).*/\1/p' <<<"$stats")
    GEN_WL[$mb]=$(sed -n 's/.* workloads=\([0-9]*\).*/\1/p' <<<"$stats")
    GEN_DOCS[$mb]=$(sed -n 's/.* documents=\([0-9]*\).*/\1/p' <<<"$stats")
done

echo "wi-inject benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  $(nproc) cores  $(uname -m)"
echo "  wi-inject: $("$WI" --version 2>/dev/null | head -1), release build of $BUILT_FROM"
echo "  compiler: $(cc --version | head -1); build dir $BUILD"
echo "  libyaml $(pkg-config --modversion yaml-0.1); inputs: scripts/gen-stream.py SIZE $SEED, in $WORK"
echo "  t/wi = tool's time / wi-inject's time (above 1: slower than wi-inject)"
for p in yq gojq pyyaml kustomize; do
    if [ -n "${PEER_VER[$p]:-}" ]; then
        echo "  peer $p: ${PEER_VER[$p]}"
    elif [ -n "${PEER_NOTE[$p]:-}" ]; then
        echo "  peer $p: ${PEER_NOTE[$p]}"
    fi
done

# --- per size -----------------------------------------------------------------------
for mb in "${SIZES[@]}"; do
    in=${INPUT[$mb]}
    size=${BYTES[$mb]}
    sa=${GEN_SA[$mb]}
    wl=${GEN_WL[$mb]}
    src=$(count '^# Source:' "$in")
    echo
    echo "== ${mb} MiB input: $size bytes, ${GEN_DOCS[$mb]} documents, $sa mxp-controller ServiceAccounts, $wl workloads running as it"
    case $mb in
        1) topts=(-n 5 -N 50 -b 1.0) rounds=40 ;;
        20) topts=(-n 5 -N 10 -b 1.5) rounds=12 ;;
        *) topts=(-n 3 -N 5 -b 2.0) rounds=6 ;;
    esac
    measure "$mb:cat" "$in" /dev/null "${topts[@]}" -- cat || true
    measure_pair "$mb" "$in" "$rounds" --client-id "$CID" || true

    # One more run of wi-inject, into a file, to check what it wrote.
    wiout="$WORK/out-$mb-wi.yaml"
    wicheck="not checked"
    if "$WI" --client-id "$CID" <"$in" >"$wiout" 2>"$WORK/$mb-wi-check.err"; then
        ann=$(count 'azure\.workload\.identity/client-id: "'"$CID"'"' "$wiout")
        lab=$(count 'azure\.workload\.identity/use: "true"' "$wiout")
        # Newer wi-inject also annotates edited pod templates with a checksum (so
        # pods roll when the identity changes), unless --no-checksum.
        sum=$(count '^ *checksum/workload-identity: "' "$wiout")
        sumnote=""
        [ "$sum" -eq 0 ] || sumnote=", $sum pod-template checksums"
        # Outside the edits the output must be the input: only added lines, each
        # one of the new keys or the map that holds them.
        other=$(diff "$in" "$wiout" | grep '^[<>]' \
            | grep -Ecv '^> *((azure\.workload\.identity/[a-z-]+|checksum/workload-identity): "[^"]*"|annotations:|labels:) *$' || true)
        if [ "$ann" -eq "$sa" ] && [ "$lab" -eq "$wl" ] && [ "$other" -eq 0 ]; then
            wicheck="OK: $ann/$sa annotations, $lab/$wl labels$sumnote, no other change (diff: only those lines added)"
        else
            wicheck="WRONG: $ann/$sa annotations, $lab/$wl labels$sumnote, $other other changed lines"
            FAILED=1
        fi
    else
        wicheck="WRONG: exit status $? ($(head -c 300 "$WORK/$mb-wi-check.err"))"
        FAILED=1
    fi

    # Peers, at 1 and 20 MiB.
    declare -A PNOTE=()
    if [ "$mb" -le 20 ]; then
        for p in "${PEERS[@]+"${PEERS[@]}"}"; do
            out="$WORK/out-$mb-$p.yaml"
            popts=(-n 3 -N 10 -b 2.0 -s "$SLOW_S")
            log "$p at $mb MiB"
            case $p in
                yq) measure "$mb:$p" "$in" "$out" "${popts[@]}" -- \
                        yq -y --arg cid "$CID" -f "$ROOT/bench/wi-inject.jq" || true ;;
                gojq) measure "$mb:$p" "$in" "$out" "${popts[@]}" -- \
                        gojq --yaml-input --yaml-output --arg cid "$CID" -f "$ROOT/bench/wi-inject.jq" || true ;;
                pyyaml) measure "$mb:$p" "$in" "$out" "${popts[@]}" -- \
                        "$PY" "$ROOT/bench/pyyaml-inject.py" "$CID" || true ;;
                kustomize)
                    kdir="$WORK/kz-$mb"
                    mkdir -p "$kdir"
                    cp "$ROOT/bench/kustomization.yaml" "$kdir/kustomization.yaml"
                    cp "$in" "$kdir/input.yaml"
                    measure "$mb:$p" /dev/null "$out" "${popts[@]}" -C "$kdir" -- \
                        "${KZ_CMD[@]}" . || true
                    rm -f "$kdir/input.yaml" ;;
            esac
            if [ -z "${MARK[$mb:$p]}" ]; then
                ann=$(count 'azure\.workload\.identity/client-id' "$out")
                lab=$(count 'azure\.workload\.identity/use' "$out")
                kept=$(count '^# Source:' "$out")
                if cmp -s "$wiout" "$out"; then
                    same="byte-identical to wi-inject's"
                else
                    line=$(cmp "$wiout" "$out" 2>/dev/null | sed -n 's/.*line \([0-9]*\).*/\1/p' || true)
                    same="not byte-identical (from line ${line:-?})"
                fi
                PNOTE[$p]="edits: $ann/$sa annotations, $lab/$wl labels; '# Source:' comments kept: $kept/$src; $same"
            fi
        done
    fi

    header
    row "$mb:cat" cat "$size" "$mb:wi" "floor"
    row "$mb:parse" yaml-parse-only "$size" "$mb:wi" "floor: parse only, no output"
    row "$mb:wi" wi-inject "$size" "$mb:wi" ""
    if [ "$mb" -le 20 ]; then
        for p in "${PEERS[@]+"${PEERS[@]}"}"; do
            row "$mb:$p" "$p" "$size" "$mb:wi" "${PNOTE[$p]:-}"
        done
    fi
    echo "  wi-inject output check: $wicheck"
    unset PNOTE
done

# --- real input ---------------------------------------------------------------------
CORPUS="$ROOT/../shared/corpus"
echo
echo "== real input: the charts in ../shared/corpus, concatenated (nothing to edit: --allow-missing)"
real_done=0
for h in helm3 helm4; do
    files=()
    if [ -d "$CORPUS/$h" ]; then
        for f in "$CORPUS/$h"/*.yaml; do [ -f "$f" ] && files+=("$f"); done
    fi
    if [ "${#files[@]}" -eq 0 ]; then
        echo "  $h: skipped: no $CORPUS/$h/*.yaml here"
        continue
    fi
    real="$WORK/real-$h.yaml"
    # Helm 4's streams do not start with "---": put one between files where
    # missing, so that two files' first and last documents do not merge.
    for f in "${files[@]}"; do
        [ "$(head -c 3 "$f")" = "---" ] || printf -- '---\n'
        cat "$f"
    done >"$real"
    rsize=$(stat -c %s "$real")
    BYTES[$h]=$rsize
    [ "$real_done" = 1 ] || header
    real_done=1
    measure_pair "$h" "$real" 12 --client-id "$CID" --allow-missing || true
    check=""
    if "$WI" --client-id "$CID" --allow-missing <"$real" >"$WORK/out-$h.yaml" 2>/dev/null; then
        if cmp -s "$real" "$WORK/out-$h.yaml"; then
            check="output byte-identical to input (nothing to edit), as it must be"
        else
            check="WRONG: output differs from input"
            FAILED=1
        fi
    else
        check="WRONG: wi-inject failed"
        FAILED=1
    fi
    row "$h:parse" "parse-only/$h" "$rsize" "$h:wi" "${#files[@]} charts, $rsize bytes"
    row "$h:wi" "wi-inject/$h" "$rsize" "$h:wi" \
        "$(awk -v a="${SECS[$h:parse]:-0}" -v b="${SECS[$h:wi]:-0}" 'BEGIN { if (b > 0) printf "%.2fx parse-only", a / b }'); $check"
done

# --- growth -------------------------------------------------------------------------
# Best-of-3 wall time like the rest (scripts/scale.sh has CPU time and instruction
# counts for the same shapes).
echo
echo "== growth: N and 4N of the inputs that were once quadratic (scripts/gen-scale.py)"
printf '  %-24s %7s %10s %10s %7s %10s\n' input N "time at N" "at 4N" ratio "RSS at 4N"
declare -A GROWTH=()
grow() { # SHAPE N [ARG]: measures wi-inject ARG at N and 4N, sets GROWTH[SHAPE_ARG]
    local shape=$1 n=$2 name="$1${3:+ $3}" key k
    key=${name// /_} # measure's keys are read as words
    shift 2
    for k in 1 4; do
        python3 "$ROOT/scripts/gen-scale.py" "$shape" $((k * n)) >"$WORK/grow.yaml"
        measure "grow:$key:$k" "$WORK/grow.yaml" /dev/null -n 3 -N 5 -b 1.0 -- \
            "$WI" --client-id "$CID" --allow-missing "$@" || true
    done
    rm -f "$WORK/grow.yaml"
    [ -z "${MARK[grow:$key:1]-x}" ] && [ -z "${MARK[grow:$key:4]-x}" ] || {
        printf '  %-24s %7d %s\n' "$name" "$n" "${MARK[grow:$key:1]:-${MARK[grow:$key:4]:-}}"
        return 0
    }
    GROWTH[$key]=$(ratio "${SECS[grow:$key:4]}" "${SECS[grow:$key:1]}")
    printf '  %-24s %7d %9.3fs %9.3fs %6sx %6d MiB\n' "$name" "$n" "${SECS[grow:$key:1]}" \
        "${SECS[grow:$key:4]}" "${GROWTH[$key]}" $((RSSK[grow:$key:4] / 1024))
}
log "growth: anchors, check, list, cr-document at N and 4N"
grow anchors 100000
grow check 10000
grow check 10000 --check
grow list 10000
grow cr-document 200000

# --- targets ------------------------------------------------------------------------
echo
echo "== targets (FAIL is information, not an error)"
target() { # NAME VALUE OP LIMIT
    local name=$1 value=$2 op=$3 limit=$4 ok
    if [ -z "$value" ]; then
        printf '  %-44s not measured\n' "$name"
        return
    fi
    case $op in
        ge) awk -v a="$value" -v b="$limit" 'BEGIN { exit !(a >= b) }' && ok=PASS || ok=FAIL ;;
        lt) awk -v a="$value" -v b="$limit" 'BEGIN { exit !(a < b) }' && ok=PASS || ok=FAIL ;;
        le) awk -v a="$value" -v b="$limit" 'BEGIN { exit !(a <= b) }' && ok=PASS || ok=FAIL ;;
    esac
    printf '  %-44s %s (%s, want %s %s)\n' "$name" "$ok" "$value" \
        "$(case $op in ge) echo '>=' ;; lt) echo '<' ;; le) echo '<=' ;; esac)" "$limit"
}
speed_vs_parse() { # SIZE -> parse time / wi time to 3 places (judged unrounded to 2), or empty
    [ -n "${MARK[$1:wi]-x}" ] || [ -n "${MARK[$1:parse]-x}" ] && { echo; return; }
    awk -v a="${SECS[$1:parse]}" -v b="${SECS[$1:wi]}" 'BEGIN { printf "%.3f", a / b }'
}
target "wi-inject >= 0.9x parse-only at 20 MiB" "$(speed_vs_parse 20)" ge 0.9
target "wi-inject >= 0.9x parse-only at 64 MiB" "$(speed_vs_parse 64)" ge 0.9
if [ -z "${MARK[64:wi]-x}" ]; then
    target "wi-inject peak RSS at 64 MiB (MiB)" "$(awk -v k="${RSSK[64:wi]}" 'BEGIN { printf "%.1f", k / 1024 }')" lt 16
else
    target "wi-inject peak RSS at 64 MiB (MiB)" "" lt 16
fi
for g in anchors check check_--check list cr-document; do
    target "${g//_/ }: 4x the input, time ratio" "${GROWTH[$g]:-}" le 5
done
if [ -n "${GROWTH[check_--check]:-}" ] && [ -n "${GROWTH[check]:-}" ]; then
    target "check at 4N: --check time / inject time" \
        "$(ratio "${SECS[grow:check_--check:4]}" "${SECS[grow:check:4]}")" le 2
else
    target "check at 4N: --check time / inject time" "" le 2
fi
for p in kustomize yq gojq pyyaml; do
    want=5
    [ "$p" = kustomize ] && want=50
    if [ -z "${MARK[1:$p]-x}" ] && [ -z "${MARK[1:wi]-x}" ]; then
        target "wi-inject speed-up over $p at 1 MiB" "$(ratio "${SECS[1:$p]}" "${SECS[1:wi]}")" ge "$want"
    else
        target "wi-inject speed-up over $p at 1 MiB" "" ge "$want"
    fi
done

echo
if [ "$FAILED" -ne 0 ]; then
    echo "bench: a tool failed or wi-inject's output was wrong (see above)"
    exit 1
fi
echo "bench: done"
