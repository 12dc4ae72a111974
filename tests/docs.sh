#!/usr/bin/env bash
# docs.sh WI_INJECT SOURCE_ROOT BUILD_DIR - the man page, the shell completions
# and `meson install` agree with the binary (TAP).
#
# The options `wi-inject --help` lists are the reference: the man page's
# OPTIONS, the bash completion's words and the zsh completion's specs must hold
# each of them and nothing else.
set -uo pipefail

[ $# -eq 3 ] || { echo "usage: docs.sh WI_INJECT SOURCE_ROOT BUILD_DIR" >&2; exit 2; }
bin=$1
src=$2
build=$3
man="$src/doc/wi-inject.1"
bash_comp="$src/completions/wi-inject.bash"
zsh_comp="$src/completions/_wi-inject"

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; local l; for l in "$@"; do echo "# $l"; done; }
check() { # description, command... (the command's output is the diagnostic)
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$what"; else not_ok "$what" "$out"; fi
}

for tool in groff zsh python3 meson; do
	command -v "$tool" >/dev/null || { echo "Bail out! $tool is missing"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the reference: the options --help lists, one per line, sorted ------------
# An option line starts with the option ("  -o, --output FILE", "      --check").
"$bin" --help | sed -n -E 's/^ +(-[a-z], )?(--[a-z][a-z-]*).*/\1\2/p' |
	tr -s ', ' '\n\n' | sort -u >"$tmp/help"
if [ "$(wc -l <"$tmp/help")" -lt 20 ]; then
	echo "Bail out! found only $(wc -l <"$tmp/help") options in wi-inject --help"
	exit 1
fi

# Compares the options a document names ($2) with --help's.
compare() { # name, file of options
	local name=$1 file=$2 missing extra
	missing=$(comm -23 "$tmp/help" "$file" | tr '\n' ' ')
	extra=$(comm -13 "$tmp/help" "$file" | tr '\n' ' ')
	if [ -z "$missing" ]; then
		ok "$name: every option of --help"
	else
		not_ok "$name: every option of --help" "missing: $missing"
	fi
	if [ -z "$extra" ]; then
		ok "$name: no option that --help lacks"
	else
		not_ok "$name: no option that --help lacks" "not in --help: $extra"
	fi
}

# --- man page -----------------------------------------------------------------
check "man page: groff -man -ww -z reports nothing" \
	sh -c 'out=$(groff -man -ww -z "$1" 2>&1) && [ -z "$out" ] || { echo "$out"; exit 1; }' sh "$man"

# Rendered without line breaks, a tag of the OPTIONS section is a line that starts
# with an option at the 7-column indent.
groff -man -Tascii -P-cbou -rLL=400n "$man" 2>/dev/null >"$tmp/man.txt"
sed -n '/^OPTIONS$/,/^[A-Z]/p' "$tmp/man.txt" | grep -E '^ {7}-' |
	grep -oE '(^|[ ,])--?[a-z][a-z-]*' | tr -d ' ,' | sort -u >"$tmp/man.opts"
compare "man page OPTIONS" "$tmp/man.opts"

check "man page: the sections a manual page has" sh -c '
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
		grep -qx "$section" "$1" || echo "no section $section"
	done | grep . && exit 1 || exit 0' sh "$tmp/man.txt"

check "man page: every environment variable" sh -c '
	for v in WI_INJECT_CLIENT_ID WI_INJECT_TENANT_ID WI_INJECT_CONFIG WI_INJECT_LOG \
		HELM_PLUGIN_NAME HELM_CACHE_HOME; do
		sed -n "/^ENVIRONMENT$/,/^[A-Z]/p" "$1" | grep -q "^       $v\$" || echo "$v" 
	done | grep . && exit 1 || exit 0' sh "$tmp/man.txt"

# EXIT STATUS holds exactly the statuses --help lists.
"$bin" --help | sed -n -E 's/^  ([0-9])  .*/\1/p' >"$tmp/help.status"
sed -n '/^EXIT STATUS$/,/^[A-Z]/p' "$tmp/man.txt" | sed -n -E 's/^ {7}([0-9]) .*/\1/p' >"$tmp/man.status"
check "man page: EXIT STATUS lists the statuses of --help ($(tr '\n' ' ' <"$tmp/help.status"))" \
	sh -c '[ -s "$1" ] && diff "$1" "$2"' sh "$tmp/help.status" "$tmp/man.status"

version=$("$bin" --version)
check "man page: the title names $version" \
	sh -c 'tail -n 1 "$1" | grep -qF "$2 " || tail -n 1 "$1"' sh "$tmp/man.txt" "$version"

# --- bash completion -----------------------------------------------------------
# Runs the completion function for a command line whose last word is being
# completed (an empty last word completes a new one), in a directory with a
# few files, and prints the candidates sorted, one per line.
mkdir -p "$tmp/dir/sub"
touch "$tmp/dir/identities.json" "$tmp/dir/render.yaml"
complete_bash() { # words...
	(cd "$tmp/dir" && bash --norc --noprofile -c '
		source "$1" || exit 1
		shift
		COMP_WORDS=(wi-inject "$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="${COMP_WORDS[*]}"
		COMP_POINT=${#COMP_LINE}
		_wi_inject wi-inject "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$bash_comp" "$@")
}
expect_bash() { # expected (space-separated), words...
	local want=$1 got
	shift
	got=$(complete_bash "$@" | tr '\n' ' ')
	got=${got% }
	if [ "$got" = "$want" ]; then
		ok "bash: wi-inject $* completes to: ${want:-nothing}"
	else
		not_ok "bash: wi-inject $* completes to: ${want:-nothing}" "got: $got"
	fi
}
check "bash: the completion file parses" bash -n "$bash_comp"
check "bash: sourcing it registers the function for wi-inject" \
	bash --norc --noprofile -c 'source "$1" && complete -p wi-inject | grep -q -- "-F _wi_inject"' bash "$bash_comp"

complete_bash - >"$tmp/bash.opts"
compare "bash completion" "$tmp/bash.opts"

expect_bash "aws azure" --provider a
expect_bash "gcp" --provider = g
expect_bash "aws azure gcp" --provider ''
expect_bash "backup billing" --component b
expect_bash "secrets" --client-id 11111111-2222-3333-4444-555555555555 --component s
expect_bash "" --client-id ''
expect_bash "identities.json sub" --config ''
expect_bash "identities.json render.yaml sub" -o ''
expect_bash "--print-trust --print-values" --print-
expect_bash "render.yaml" --check r

# --- zsh completion --------------------------------------------------------------
check "zsh: the completion file parses (zsh -n)" zsh -n "$zsh_comp"
check "zsh: the file starts with #compdef wi-inject" \
	sh -c 'head -n 1 "$1" | grep -qx "#compdef wi-inject"' sh "$zsh_comp"

# The specs the file hands to _arguments (past its own flags, -s -S),
# brace-expanded by zsh itself; the option of each is what precedes its
# description, after any exclusion list and '*'.
zsh -f -c '_arguments() { while [[ $1 == -[a-zA-Z] ]]; do shift; done; print -rl -- "$@"; }
	source "$1"' zsh "$zsh_comp" >"$tmp/zsh.specs"
sed -n -E 's/^(\([^)]*\))?\*?(--?[a-z][a-z-]*)[-+=]?(\[.*)?$/\2/p' "$tmp/zsh.specs" |
	sort -u >"$tmp/zsh.opts"
compare "zsh completion" "$tmp/zsh.opts"
check "zsh: --provider offers azure aws gcp" grep -qF -- "--provider=[the cloud (default: azure)]:provider:(azure aws gcp)" "$tmp/zsh.specs"
check "zsh: --component offers backup billing secrets" \
	sh -c 'grep -- "--component=" "$1" | grep -q "backup.*billing.*secrets"' sh "$tmp/zsh.specs"
check "zsh: files for --config, -o, --output, --report, --log-file" sh -c '
	for o in --config= -o+ --output= --report= --log-file=; do
		grep -F -- "$o" "$1" | grep -q ":_files" || echo "no _files for $o"
	done | grep . && exit 1 || exit 0' sh "$tmp/zsh.specs"

# Completion as zsh really does it: tests/zsh-complete.zsh types each line and
# a TAB into an interactive zsh and records the candidates.
zsh_cases=(
	"aws azure gcp|wi-inject --provider "
	"aws azure|wi-inject --provider=a"
	"backup billing secrets|wi-inject --component "
	"--print-trust --print-values|wi-inject --print-"
	"identities.json sub|wi-inject --config "
	"identities.json render.yaml sub|wi-inject --report "
	"identities.json render.yaml sub|wi-inject -o "
	"|wi-inject --client-id "
	"|wi-inject --version "
	"render.yaml|wi-inject --check r"
)
lines=()
for c in "${zsh_cases[@]}"; do lines+=("${c#*|}"); done
if (cd "$tmp/dir" && zsh -f "$src/tests/zsh-complete.zsh" "$src/completions" "$tmp/zsh.out" "${lines[@]}") \
	2>"$tmp/zsh.err"; then
	i=0
	for c in "${zsh_cases[@]}"; do
		i=$((i + 1))
		want=${c%%|*}
		# The candidates before the i-th <DONE>, after the (i-1)-th.
		got=$(awk -v i="$i" '/^<DONE>$/ { n++; next } n == i - 1' "$tmp/zsh.out" | sort -u | tr '\n' ' ')
		got=${got% }
		if [ "$got" = "$want" ]; then
			ok "zsh: ${c#*|}<TAB> offers: ${want:-nothing}"
		else
			not_ok "zsh: ${c#*|}<TAB> offers: ${want:-nothing}" "got: $got"
		fi
	done
else
	not_ok "zsh: completing under zpty" "$(cat "$tmp/zsh.err")"
fi

# --- meson install ------------------------------------------------------------------
dest="$tmp/dest"
if out=$(meson install -C "$build" --no-rebuild --quiet --destdir "$dest" 2>&1); then
	ok "meson install --destdir"
	# One introspection (meson is slow to start): prefix, bindir, mandir, datadir.
	read -r prefix bindir mandir datadir < <(meson introspect --buildoptions "$build" |
		python3 -c 'import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(*(o[k] for k in ("prefix", "bindir", "mandir", "datadir")))')
	abs() { case $1 in /*) echo "$dest$1" ;; *) echo "$dest$prefix/$1" ;; esac; }
	bindir=$(abs "$bindir")
	mandir=$(abs "$mandir")
	datadir=$(abs "$datadir")
	check "installed: bin/wi-inject runs, its --version is $version" sh -c '[ "$("$1" --version)" = "$2" ]' sh "$bindir/wi-inject" "$version"
	check "installed: the man page in man1" cmp "$man" "$mandir/man1/wi-inject.1"
	check "installed: the bash completion in bash-completion/completions/wi-inject" \
		cmp "$bash_comp" "$datadir/bash-completion/completions/wi-inject"
	check "installed: the zsh completion in zsh/site-functions/_wi-inject" \
		cmp "$zsh_comp" "$datadir/zsh/site-functions/_wi-inject"
else
	not_ok "meson install --destdir" "$out"
fi

# --- LICENSE ------------------------------------------------------------------------
check "LICENSE: the Apache License 2.0, as meson.build declares" sh -c '
	grep -q "license : .Apache-2.0." "$1/meson.build" &&
	grep -q "Apache License" "$1/LICENSE" && grep -q "Version 2.0, January 2004" "$1/LICENSE" &&
	grep -q "END OF TERMS AND CONDITIONS" "$1/LICENSE"' sh "$src"

echo "1..$n"
