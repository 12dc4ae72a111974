#!/usr/bin/env bash
# build-static.sh ARCH OUTDIR - build a fully static release wi-inject for ARCH
# (amd64 or arm64) into OUTDIR/wi-inject.
#
# libyaml and cJSON come from Debian 12's source packages, fetched with
# `apt-get source` through a private apt setup (its own sources list, lists and
# cache under .cache/static/apt; the system's apt configuration and lists are
# not touched), pinned to exact versions and to the sha256 of every file used,
# and built unmodified (with Debian's patches, as Debian builds them) as static
# libraries for ARCH. wi-inject is then built release-optimised against them
# and linked with -static. arm64 is cross-compiled with Debian's
# aarch64-linux-gnu-gcc.
#
# Everything downloaded or built is kept under .cache/static/, so a second run
# is fast and needs no network. Only progress goes to standard error; standard
# output stays empty. Safe to run for both architectures at once (flock).
set -euo pipefail

# --- pins -------------------------------------------------------------------
# The sha256 of each file is the one Debian's Sources index lists for it; a
# mismatch ends the build.
LIBYAML_VERSION=0.2.5-1
LIBYAML_FILES=(
	"libyaml_0.2.5-1.dsc 1edbf86e5cd76937ff62892ba6c2537456d645d834d4cd4a82430b8be7051bf4"
	"libyaml_0.2.5.orig.tar.gz fa240dbf262be053f3898006d502d514936c818e422afdcf33921c63bed9bf2e"
	"libyaml_0.2.5-1.debian.tar.xz 8730e0510129e516c3c7c1cda7428e02a0a122699e57ed203f835a338a686d1f"
)
CJSON_VERSION=1.7.15-1+deb12u4
CJSON_FILES=(
	"cjson_1.7.15-1+deb12u4.dsc 764c2de141d680f4fb4cada30c526dacaa30ead061b9b9c34f2b81e2df0f8439"
	"cjson_1.7.15.orig.tar.gz 5308fd4bd90cef7aa060558514de6a1a4a0819974a26e6ed13973c5f624c24b2"
	"cjson_1.7.15-1+deb12u4.debian.tar.xz afd19a970966cf534ff1e9ec077d710a5e7e78eb4ec9b499c8bdc32e55da12cb"
)
SUITES_RE='^bookworm(-updates|-security)?$'
DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# Bump when the way the libraries are built changes, to rebuild cached ones.
LIB_RECIPE=2

# --- setup ------------------------------------------------------------------
ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
CACHE="$ROOT/.cache/static"

log() { printf 'build-static: %s\n' "$*" >&2; }
die() { printf 'build-static: error: %s\n' "$*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: build-static.sh amd64|arm64 OUTDIR"
ARCH=$1
OUTDIR=$2
case $ARCH in
amd64) TRIPLET=x86_64-linux-gnu CPU_FAMILY=x86_64 ;;
arm64) TRIPLET=aarch64-linux-gnu CPU_FAMILY=aarch64 ;;
*) die "unknown architecture '$ARCH' (amd64 or arm64)" ;;
esac
for tool in apt-get dpkg-source cmake ninja meson pkg-config sha256sum file flock; do
	command -v "$tool" >/dev/null || die "$tool is missing (scripts/deps.sh installs what is needed)"
done
HOST_ARCH=$(dpkg --print-architecture)
if [ "$ARCH" = "$HOST_ARCH" ]; then
	CC=gcc STRIP=strip CROSS=false
else
	CC=$TRIPLET-gcc STRIP=$TRIPLET-strip CROSS=true
fi
command -v "$CC" >/dev/null || die "$CC is missing (Debian package gcc-${TRIPLET//_/-})"

mkdir -p "$CACHE" "$OUTDIR"
OUTDIR=$(cd -P -- "$OUTDIR" && pwd -P)
WORK="$CACHE/$ARCH"
mkdir -p "$WORK"

# Runs a step with its output in a log file; on failure shows the log's end.
run_logged() { # logfile, command...
	local logfile=$1
	shift
	if ! "$@" >"$logfile" 2>&1; then
		tail -n 30 "$logfile" >&2
		die "failed: $* (full log: $logfile)"
	fi
}

# --- sources ----------------------------------------------------------------
# Prints "URI SUITE" for each Debian 12 suite this system's apt already uses,
# from one-line sources.list files and deb822 .sources files.
system_mirrors() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		# deb [options] URI SUITE COMPONENT...
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" { print $2, $3 }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
			function flush(  i, j, nu, ns, u, s) {
				if (types ~ /(^| )deb( |$)/ && enabled != "no") {
					nu = split(uris, u, " "); ns = split(suites, s, " ")
					for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j]
				}
				types = uris = suites = enabled = ""
			}
			/^#/ { next }
			/^[ \t]*$/ { flush(); next }
			tolower($1) == "types:" { $1 = ""; types = $0 }
			tolower($1) == "uris:" { $1 = ""; uris = $0 }
			tolower($1) == "suites:" { $1 = ""; suites = $0 }
			tolower($1) == "enabled:" { enabled = tolower($2) }
			END { flush() }' "$f"
	done
}

APT_DIR="$CACHE/apt"
APT=(apt-get -q
	-o "Dir::Etc::SourceList=$APT_DIR/sources.list"
	-o Dir::Etc::SourceParts=/dev/null
	-o Dir::Etc::Preferences=/dev/null
	-o Dir::Etc::PreferencesParts=/dev/null
	-o "Dir::State::Lists=$APT_DIR/lists"
	-o "Dir::Cache=$APT_DIR/cache"
	-o Acquire::Languages=none
	# apt otherwise downloads as _apt, who may not write into this tree.
	-o APT::Sandbox::User="$(id -un)")

# Writes the private sources list: a deb-src line, checked against Debian's
# archive key, for each Debian 12 suite at the mirror the system uses.
write_sources_list() {
	local uri suite lines=()
	while read -r uri suite; do
		[[ $suite =~ $SUITES_RE ]] || continue
		lines+=("deb-src [signed-by=$DEBIAN_KEYRING] $uri $suite main")
	done < <(system_mirrors | sort -u)
	[ ${#lines[@]} -gt 0 ] || die "no Debian 12 (bookworm) mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/"
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
	printf '%s\n' "${lines[@]}" >"$APT_DIR/sources.list"
}

# Returns 1 when a file is missing, 2 (naming it) when its sha256 is not the pinned one.
verify() { # dir, "file sha256"...
	local dir=$1 entry name want got
	shift
	for entry in "$@"; do
		name=${entry%% *} want=${entry##* }
		[ -f "$dir/$name" ] || return 1
		got=$(sha256sum <"$dir/$name")
		got=${got%% *}
		if [ "$got" != "$want" ]; then
			log "sha256 mismatch for $name: pinned $want, got $got"
			return 2
		fi
	done
}

SRC_DIR="$CACHE/src"
fetch() { # package, version, "file sha256"...
	local pkg=$1 version=$2 tmp
	shift 2
	local cached=0
	verify "$SRC_DIR" "$@" || cached=$?
	[ $cached -eq 0 ] && return
	[ $cached -eq 2 ] && log "the cached copy is damaged; fetching it again"
	log "fetching Debian source package $pkg $version"
	write_sources_list
	if [ -z "${APT_UPDATED:-}" ]; then
		run_logged "$APT_DIR/update.log" "${APT[@]}" update
		APT_UPDATED=1
	fi
	tmp=$(mktemp -d "$CACHE/fetch.XXXXXX")
	if ! (cd "$tmp" && "${APT[@]}" source --download-only "$pkg=$version") >"$APT_DIR/source.log" 2>&1; then
		rm -rf "$tmp"
		tail -n 5 "$APT_DIR/source.log" >&2
		die "could not fetch $pkg=$version: is the pinned version still in the archive? (log: $APT_DIR/source.log)"
	fi
	local fetched=0
	verify "$tmp" "$@" || fetched=$?
	if [ $fetched -ne 0 ]; then
		rm -rf "$tmp"
		[ $fetched -eq 2 ] && die "$pkg=$version from the archive does not match its pinned sha256 (above)"
		die "apt-get source $pkg=$version did not deliver every pinned file"
	fi
	mkdir -p "$SRC_DIR"
	local entry
	for entry in "$@"; do
		mv -f "$tmp/${entry%% *}" "$SRC_DIR/"
	done
	rm -rf "$tmp"
}

# Unpacks a verified source package (orig tarball plus Debian's patches) once,
# for every architecture.
unpack() { # dsc, directory name
	local dsc=$1 dir=$2
	[ "$(cat "$CACHE/tree/$dir/.unpacked" 2>/dev/null)" = "$dsc" ] && return
	rm -rf "$CACHE/tree/$dir"
	mkdir -p "$CACHE/tree"
	run_logged "$CACHE/tree/$dir.log" dpkg-source --no-check -x "$SRC_DIR/$dsc" "$CACHE/tree/$dir"
	printf '%s\n' "$dsc" >"$CACHE/tree/$dir/.unpacked"
}

(
	flock 9
	fetch libyaml "$LIBYAML_VERSION" "${LIBYAML_FILES[@]}"
	fetch cjson "$CJSON_VERSION" "${CJSON_FILES[@]}"
	# The checksums were verified above; dpkg-source checks the .dsc's own
	# checksums of the tarballs again while unpacking.
	unpack "libyaml_$LIBYAML_VERSION.dsc" libyaml
	unpack "cjson_$CJSON_VERSION.dsc" cjson
) 9>"$CACHE/sources.lock"

# --- the libraries ----------------------------------------------------------
exec 8>"$WORK.lock"
flock 8

PREFIX="$WORK/prefix"
# Paths inside the checkout are written as relative ones, so that two checkouts
# build the same bytes.
PREFIX_MAP="-ffile-prefix-map=$ROOT/=./"
CFLAGS_LIBS="-O2 $PREFIX_MAP"
stamp="recipe=$LIB_RECIPE libyaml=$LIBYAML_VERSION cjson=$CJSON_VERSION cflags=$CFLAGS_LIBS cc=$("$CC" -dumpfullversion) $("$CC" -dumpmachine)"

cmake_lib() { # name, cmake options...
	local name=$1
	shift
	local build="$WORK/$name"
	rm -rf "$build"
	mkdir -p "$build"
	local cross=()
	if $CROSS; then
		cross=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR="$CPU_FAMILY")
	fi
	run_logged "$build.log" cmake -S "$CACHE/tree/$name" -B "$build" -G Ninja \
		-DCMAKE_C_COMPILER="$CC" "${cross[@]}" \
		-DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="$CFLAGS_LIBS" \
		-DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR=lib \
		-DBUILD_SHARED_LIBS=OFF "$@"
	run_logged "$build.log" cmake --build "$build" --target install
}

if [ "$(cat "$PREFIX/.stamp" 2>/dev/null)" != "$stamp" ]; then
	log "building libyaml ${LIBYAML_VERSION%-*} and cJSON ${CJSON_VERSION%-*} for $ARCH (static)"
	rm -rf "$PREFIX"
	cmake_lib libyaml -DBUILD_TESTING=OFF
	cmake_lib cjson -DENABLE_CJSON_TEST=OFF -DENABLE_CJSON_UTILS=OFF -DENABLE_TARGET_EXPORT=OFF
	# libyaml's CMake build installs no pkg-config file; fill in its own
	# template as its autotools build would.
	sed -e "s|@prefix@|$PREFIX|" -e 's|@exec_prefix@|${prefix}|' \
		-e 's|@includedir@|${prefix}/include|' -e 's|@libdir@|${exec_prefix}/lib|' \
		-e "s|@PACKAGE_VERSION@|${LIBYAML_VERSION%-*}|" \
		"$CACHE/tree/libyaml/yaml-0.1.pc.in" >"$PREFIX/lib/pkgconfig/yaml-0.1.pc"
	printf '%s\n' "$stamp" >"$PREFIX/.stamp"
fi

# --- wi-inject --------------------------------------------------------------
# The machine file makes meson find only the libraries above (pkg_config_libdir
# replaces the system's search path) and, for arm64, cross-compile.
machine="$WORK/machine.ini"
setup_args=(--buildtype=release -Dprefer_static=true -Ddefault_library=static
	-Dc_args="$PREFIX_MAP" -Dc_link_args=-static)
{
	# A change here or in the options configures the build afresh.
	printf '# meson setup %s\n' "${setup_args[*]}"
	printf "[binaries]\nc = '%s'\nstrip = '%s'\npkgconfig = 'pkg-config'\n" "$CC" "$STRIP"
	printf "[properties]\npkg_config_libdir = ['%s/lib/pkgconfig']\n" "$PREFIX"
	if $CROSS; then
		printf "[host_machine]\nsystem = 'linux'\ncpu_family = '%s'\ncpu = '%s'\nendian = 'little'\n" \
			"$CPU_FAMILY" "$CPU_FAMILY"
	fi
} >"$machine.new"
BUILD="$WORK/build"
if ! cmp -s "$machine.new" "$machine" || [ ! -f "$BUILD/build.ninja" ]; then
	mv -f "$machine.new" "$machine"
	if $CROSS; then machine_opt=(--cross-file "$machine"); else machine_opt=(--native-file "$machine"); fi
	log "configuring wi-inject for $ARCH"
	rm -rf "$BUILD"
	run_logged "$WORK/meson-setup.log" meson setup "$BUILD" "$ROOT" "${machine_opt[@]}" "${setup_args[@]}"
else
	rm -f "$machine.new"
fi
log "building wi-inject for $ARCH"
run_logged "$WORK/ninja.log" ninja -C "$BUILD" wi-inject

tmp="$OUTDIR/.wi-inject.$$"
trap 'rm -f "$tmp"' EXIT
"$STRIP" -o "$tmp" "$BUILD/wi-inject"
desc=$(file -b "$tmp")
case $desc in
*"statically linked"*) ;;
*) die "$BUILD/wi-inject is not statically linked: $desc" ;;
esac
case $ARCH:$desc in
amd64:*x86-64* | arm64:*aarch64*) ;;
*) die "$BUILD/wi-inject is not an $ARCH executable: $desc" ;;
esac
mv -f "$tmp" "$OUTDIR/wi-inject"
log "$OUTDIR/wi-inject: $desc"
