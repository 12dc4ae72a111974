#!/usr/bin/env bash
# engine-symbols.sh NM ENGINE_LIB CLI_LIB - the core never touches files (TAP).
#
# The core (libwi-engine.a) works on memory: reading, writing, printing and ending
# the process are the command line's (libwi-cli.a, main.c). Each object of the
# engine library must reference none of the C library's stdio, file or exit
# functions (nor their _chk, _unlocked and 64 forms); the CLI library must, or
# this check could not see them.
set -uo pipefail

[ $# -eq 3 ] || { echo "usage: engine-symbols.sh NM ENGINE_LIB CLI_LIB" >&2; exit 2; }
NM=$1 ENGINE=$2 CLI=$3

FORBIDDEN='(f?open|fdopen|freopen|fclose|f?read|f?write|v?[fd]?printf|f?puts|f?putc|putchar|fgets|gets|f?getc|getchar|ungetc|v?f?scanf|perror|fflush|fseeko?|ftello?|rewind|setv?buf|ferror|feof|clearerr|fileno|popen|pclose|tmpfile|getline|getdelim|stdin|stdout|stderr|openat|creat|close|pread|pwrite|lseek|fsync|rename|unlink|mkstemp|mkdir|f?stat|exit|_exit|_Exit|quick_exit|overflow|uflow)'
PATTERN="^(__)?(_IO_)?$FORBIDDEN(64)?(_unlocked)?(_chk)?(@.*)?\$"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

# "LIB[OBJECT]: SYMBOL TYPE ..." for every symbol (nm -A -P); objects are named by
# their file name alone.
symbols() {
	"$NM" -A -P "$1" | sed -E 's/^[^[]*\[([^]]*)\]: /\1 /; s/^[^ ]*\///'
}

engine=$(symbols "$ENGINE") || { echo "Bail out! $NM cannot read $ENGINE"; exit 1; }
cli=$(symbols "$CLI") || { echo "Bail out! $NM cannot read $CLI"; exit 1; }

objects=$(awk '{print $1}' <<<"$engine" | sort -u)
for want in filter.c engine.c alloc.c error.c; do
	if grep -q "_$want\\.o\$" <<<"$objects"; then
		ok "the engine library holds $want"
	else
		not_ok "the engine library holds $want"
	fi
done
for unwanted in io.c diag.c options.c main.c; do
	if grep -q "_$unwanted\\.o\$" <<<"$objects"; then
		not_ok "the engine library leaves $unwanted to the command line"
	else
		ok "the engine library leaves $unwanted to the command line"
	fi
done

for object in $objects; do
	found=$(awk -v o="$object" '$1 == o && $3 == "U" {print $2}' <<<"$engine" |
		grep -E "$PATTERN" | tr '\n' ' ')
	if [ -z "$found" ]; then
		ok "$object references no stdio, file or exit function"
	else
		not_ok "$object references no stdio, file or exit function"
		echo "# it references: $found"
	fi
done

# The same test on the CLI library must find what io.c and diag.c use.
found=$(awk '$3 == "U" {print $2}' <<<"$cli" | grep -E "$PATTERN" | sort -u | tr '\n' ' ')
for want in fwrite stderr; do
	if grep -qw "$want" <<<"$found"; then
		ok "the check sees $want in the CLI library"
	else
		not_ok "the check sees $want in the CLI library"
	fi
done

echo "1..$n"
[ "$failed" -eq 0 ]
