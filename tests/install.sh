#!/usr/bin/env bash
# install.sh — `meson install` as a user or a packager runs it: the installed
# tree has the programs, the core and tools libraries (shared with a soname,
# and static), the headers (each compiling on its own), the pkg-config files
# and the man page; examples/train.c builds against the installed w2v.pc,
# shared and static, trains on a generated corpus, and gensim loads its vectors.
# Prints TAP, so each case counts on its own.
# Usage: install.sh BUILD_DIR SOURCE_DIR
#
# gensim: when no python3 on PATH (or /usr/bin/python3) can import it, its
# case is skipped, unless CI=true (CI installs python3-gensim: tools/bootstrap.sh).
set -u
BUILD=${1:?usage: install.sh BUILD_DIR SOURCE_DIR}
SOURCE=${2:?usage: install.sh BUILD_DIR SOURCE_DIR}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh" # ok, not_ok, tap_done, $DIR
ROOT=$DIR/root

skip() { CASES=$((CASES + 1)); echo "ok $CASES - $1 # SKIP $2"; }
# fail NAME TEXT: not_ok with a multi-line TEXT, one TAP comment line each.
fail() {
    local lines
    mapfile -t lines <<<"$2"
    not_ok "$1" "${lines[@]}"
}
# check NAME COMMAND...: ok if the command succeeds, else its output as the detail.
check() {
    local name=$1
    shift
    if "$@" >"$DIR/out" 2>&1; then ok "$name"; else fail "$name" "$(head -c 1500 "$DIR/out")"; fi
}
finish() { tap_done; exit $?; }

# --- the install itself --------------------------------------------------------
if ! meson install --no-rebuild --destdir "$ROOT" -C "$BUILD" >"$DIR/install.log" 2>&1; then
    fail "meson install --destdir" "$(tail -c 1500 "$DIR/install.log")"
    finish
fi
ok "meson install --destdir"

# Where the prefix and libdir landed (e.g. usr/local and usr/local/lib/x86_64-linux-gnu).
W2V=$(find "$ROOT" -path '*/bin/w2v' -type f | head -n 1)
PC=$(find "$ROOT" -name w2v.pc | head -n 1)
if [ -z "$W2V" ] || [ -z "$PC" ]; then
    fail "bin/w2v and w2v.pc installed" "installed: $(cd "$ROOT" && find . -type f | head -40)"
    finish
fi
PREFIX=$(dirname "$(dirname "$W2V")")
PCDIR=$(dirname "$PC")
LIBDIR=$(dirname "$PCDIR")
INCLUDE=$PREFIX/include

missing=()
for f in "$PREFIX/bin/w2v" "$PREFIX/bin/w2v-bench" \
    "$LIBDIR/libw2v.so" "$LIBDIR/libw2v.so.0" "$LIBDIR/libw2v.a" \
    "$LIBDIR/libw2v-tools.so" "$LIBDIR/libw2v-tools.so.0" "$LIBDIR/libw2v-tools.a" \
    "$INCLUDE/w2v/w2v.h" "$INCLUDE/w2v/tools.h" "$INCLUDE/w2v/train.h" "$INCLUDE/w2v/pipeline.h" \
    "$PCDIR/w2v.pc" "$PCDIR/w2v-tools.pc" "$PREFIX/share/man/man1/w2v.1"; do
    [ -e "$f" ] || missing+=("${f#"$ROOT"}")
done
if [ "${#missing[@]}" -eq 0 ]; then ok "installed files present"; else
    not_ok "installed files present" "missing: ${missing[*]}"; fi

# The shared libraries carry a soname (libw2v.so.0), and libw2v.so is a link to them.
soname=$(objdump -p "$LIBDIR/libw2v.so" 2>/dev/null | awk '$1 == "SONAME" {print $2}')
tools_soname=$(objdump -p "$LIBDIR/libw2v-tools.so" 2>/dev/null | awk '$1 == "SONAME" {print $2}')
if [ -L "$LIBDIR/libw2v.so" ] && [ "$soname" = libw2v.so.0 ] && [ "$tools_soname" = libw2v-tools.so.0 ]; then
    ok "sonames libw2v.so.0 and libw2v-tools.so.0"
else
    not_ok "sonames libw2v.so.0 and libw2v-tools.so.0" "got '$soname', '$tools_soname'"
fi

# The core needs no BLAS, LAPACK, Cairo, nor anything that only the tools define.
nm "$LIBDIR/libw2v.a" 2>/dev/null | awk '$1 == "U" {print $2}' | sort -u >"$DIR/core-undefined"
nm --defined-only "$LIBDIR/libw2v-tools.a" 2>/dev/null | awk 'NF == 3 && $2 ~ /[TDBR]/ {print $3}' |
    sort -u >"$DIR/tools-defined"
bad=$( (grep -E '^(cblas_|LAPACK|[sdcz][a-z]+_$|cairo_)' "$DIR/core-undefined"
    comm -12 "$DIR/core-undefined" "$DIR/tools-defined") | sort -u | tr '\n' ' ')
if [ -s "$DIR/core-undefined" ] && [ -z "$bad" ]; then ok "libw2v.a needs no BLAS, Cairo or tools symbol"
else not_ok "libw2v.a needs no BLAS, Cairo or tools symbol" "undefined in the core: ${bad:-nm gave nothing}"; fi
bad=$(objdump -p "$LIBDIR/libw2v.so" 2>/dev/null | awk '$1 == "NEEDED" {print $2}' |
    grep -E 'blas|lapack|cairo|w2v-tools' | tr '\n' ' ')
if [ -z "$bad" ]; then ok "libw2v.so links no BLAS or Cairo"; else
    not_ok "libw2v.so links no BLAS or Cairo" "NEEDED: $bad"; fi

# --- the headers ---------------------------------------------------------------
# Each header compiles alone (it includes what it uses), and the umbrella
# headers compile in strict ISO C11 as well.
bad=()
for h in "$INCLUDE"/w2v/*.h; do
    printf '#include <w2v/%s>\n' "$(basename "$h")" >"$DIR/one.c"
    cc -I"$INCLUDE" -Wall -Wextra -Werror -fsyntax-only "$DIR/one.c" >>"$DIR/headers.log" 2>&1 ||
        bad+=("$(basename "$h")")
done
if [ "${#bad[@]}" -eq 0 ]; then ok "each installed header compiles on its own ($(ls "$INCLUDE"/w2v/*.h | wc -l) headers)"
else fail "each installed header compiles on its own" "failed: ${bad[*]}
$(head -c 1000 "$DIR/headers.log")"; fi
printf '#include <w2v/w2v.h>\n#include <w2v/tools.h>\n' >"$DIR/umbrella.c"
check "w2v.h and tools.h compile with -std=c11 -pedantic" \
    cc -std=c11 -pedantic -I"$INCLUDE" -Wall -Wextra -Werror -fsyntax-only "$DIR/umbrella.c"

# --- examples/train.c against the installed w2v.pc ------------------------------
# PKG_CONFIG_SYSROOT_DIR puts $ROOT in front of the installed paths (-I, -L).
export PKG_CONFIG_PATH=$PCDIR PKG_CONFIG_SYSROOT_DIR=$ROOT
if pkg-config --exists w2v w2v-tools && [ "$(pkg-config --modversion w2v)" != "" ]; then
    ok "pkg-config finds w2v $(pkg-config --modversion w2v) and w2v-tools"
else
    fail "pkg-config finds w2v and w2v-tools" "$(pkg-config --print-errors --exists w2v w2v-tools 2>&1)"
fi
# shellcheck disable=SC2046 # the flags are meant to split
check "examples/train.c builds with pkg-config --cflags --libs w2v" \
    cc -o "$DIR/train-shared" "$SOURCE/examples/train.c" $(pkg-config --cflags --libs w2v)
# shellcheck disable=SC2046
check "examples/train.c builds with -static and pkg-config --static" \
    cc -static -o "$DIR/train-static" "$SOURCE/examples/train.c" $(pkg-config --static --cflags --libs w2v)
# The tools library links too (its Requires pull the core in).
printf '#include <w2v/tools.h>\nint main(void) { return w2v_spearman(0, 0, 0) == 0; }\n' >"$DIR/tools.c"
# shellcheck disable=SC2046
check "a tools program builds with pkg-config --libs w2v-tools" \
    cc -o "$DIR/tools" "$DIR/tools.c" $(pkg-config --cflags --libs w2v-tools)
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

export LD_LIBRARY_PATH=$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
if [ -x "$DIR/train-shared" ] && ldd "$DIR/train-shared" 2>/dev/null | grep -q "libw2v.so.0 => $LIBDIR/"; then
    ok "the shared example loads the installed libw2v.so.0"
else
    fail "the shared example loads the installed libw2v.so.0" "$(ldd "$DIR/train-shared" 2>&1 | head -c 800)"
fi

# --- training through the installed program and the example --------------------
check "installed w2v gen-corpus" \
    "$PREFIX/bin/w2v" gen-corpus -o "$DIR/corpus.txt" --size 100000w --vocab 1000 --groups 4 --seed 5 -q
WORDS=0
for kind in shared static; do
    if "$DIR/train-$kind" "$DIR/corpus.txt" "$DIR/vectors-$kind.txt" >"$DIR/train.out" 2>"$DIR/train.err" &&
        read -r count dim <"$DIR/vectors-$kind.txt" && [ "$dim" = 100 ] && [ "$count" -gt 500 ] &&
        [ "$(wc -l <"$DIR/vectors-$kind.txt")" -eq $((count + 1)) ]; then
        ok "train ($kind) writes $count vectors of dim $dim"
        WORDS=$count
    else
        fail "train ($kind) writes word2vec text vectors" "$(tail -c 600 "$DIR/train.err")
$(cat "$DIR/train.out")
header: $(head -n 1 "$DIR/vectors-$kind.txt" 2>/dev/null)"
    fi
done

# Errors: one line on stderr and exit 1 (no output left behind); usage: exit 2.
"$DIR/train-shared" "$DIR/no-such-corpus.txt" "$DIR/bad.txt" >/dev/null 2>"$DIR/err"
status=$?
if [ "$status" -eq 1 ] && [ "$(wc -l <"$DIR/err")" -eq 1 ] && ! ls "$DIR"/bad.txt* >/dev/null 2>&1; then
    ok "train: a missing corpus is one error line, exit 1, no output"
else
    fail "train: a missing corpus is one error line, exit 1, no output" "exit $status: $(head -c 300 "$DIR/err")"
fi
"$DIR/train-shared" "$DIR/corpus.txt" >/dev/null 2>&1
status=$?
if [ "$status" -eq 2 ]; then ok "train: usage error exits 2"; else not_ok "train: usage error exits 2" "exit $status"; fi

# --- gensim loads the vectors ---------------------------------------------------
PYTHON=""
for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import gensim' >/dev/null 2>&1; then
        PYTHON=$candidate
        break
    fi
done
if [ -z "$PYTHON" ] && [ "${CI:-}" != true ]; then
    skip "gensim loads the example's vectors" "gensim cannot be imported (apt-get install python3-gensim)"
elif [ -z "$PYTHON" ]; then
    not_ok "gensim loads the example's vectors" "CI=true but no python3 can import gensim (tools/bootstrap.sh installs python3-gensim)"
elif out=$("$PYTHON" - "$DIR/vectors-shared.txt" "$WORDS" 2>&1 <<'PY'
import sys
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=False)
count, dim = len(kv.index_to_key), kv.vector_size
assert count == int(sys.argv[2]) and count > 500, (count, sys.argv[2])
assert dim == 100, dim
word = kv.index_to_key[0]
assert kv.most_similar(word, topn=3), word
print(f"{count} {dim}")
PY
); then
    ok "gensim loads the example's vectors: $out (count, dim)"
else
    fail "gensim loads the example's vectors" "$out"
fi

# --- the man page ---------------------------------------------------------------
MAN=$PREFIX/share/man/man1/w2v.1
if ! command -v groff >/dev/null 2>&1; then
    skip "groff renders w2v.1 without warnings" "no groff (apt-get install groff-base)"
elif [ -f "$MAN" ] && groff -man -Tutf8 -ww "$MAN" 2>"$DIR/groff.err" >"$DIR/w2v.txt" &&
    [ ! -s "$DIR/groff.err" ] && [ -s "$DIR/w2v.txt" ]; then
    ok "groff renders w2v.1 without warnings"
else
    fail "groff renders w2v.1 without warnings" "$(head -c 800 "$DIR/groff.err" 2>/dev/null)"
fi
# Every subcommand of the program has its section in the man page.
bad=()
for command in train demo gen-corpus "eval analogy" "eval similarity" neighbours analogy plot gradcheck; do
    grep -q "^\.SS \"w2v ${command//-/\\\\-}\"" "$MAN" 2>/dev/null || bad+=("$command")
done
if [ "${#bad[@]}" -eq 0 ]; then ok "the man page has a section for every subcommand"
else not_ok "the man page has a section for every subcommand" "missing: ${bad[*]}"; fi

finish
