#!/usr/bin/env bash
# cli_input.sh — corpora of every kind through the w2v program: gzip and
# standard input train on exactly the plain file's vocabulary; `w2v prepare`
# then `w2v train --train PREPARED` gives the same vectors as the text; bad
# inputs (truncated gzip, binary, damaged or stale prepared files, /dev/zero as
# a vocabulary) are one line on stderr, exit 1, and no output; no temporary is
# ever left behind; --vocab-memory's pruning is reported.
# Prints TAP. Usage: cli_input.sh PATH/TO/w2v
set -u
W2V=${1:?usage: cli_input.sh W2V}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

"$W2V" gen-corpus -o "$DIR/c.txt" --size 200000w --vocab 2000 --seed 5 -q
gzip -c "$DIR/c.txt" >"$DIR/c.data" # no .gz: recognised by its first bytes
SMALL=(--size 16 --iter 1 --threads 1 --seed 7 --quiet)

# expect_error NAME PATTERN OUTPUT CMD...: exit 1, one stderr line matching PATTERN, OUTPUT absent.
expect_error() {
    local name=$1 pattern=$2 output=$3
    shift 3
    "$@" >/dev/null 2>"$DIR/stderr" </dev/null
    local status=$?
    if [ "$status" -eq 1 ] && [ "$(wc -l <"$DIR/stderr")" -eq 1 ] &&
        grep -q -- "$pattern" "$DIR/stderr" && [ ! -e "$output" ]; then
        ok "$name"
    else
        not_ok "$name" "exit $status, stderr: $(head -c 300 "$DIR/stderr")"
    fi
}

# ---- every kind gives the plain file's vocabulary ----
"$W2V" train --train "$DIR/c.txt" --output "$DIR/plain.vec" --save-vocab "$DIR/plain.vocab" "${SMALL[@]}"
"$W2V" train --train "$DIR/c.data" --output "$DIR/gz.vec" --save-vocab "$DIR/gz.vocab" "${SMALL[@]}"
check "gzip corpus: the plain file's vocabulary" cmp -s "$DIR/plain.vocab" "$DIR/gz.vocab"
check "gzip corpus: the plain file's vectors (1 thread, same seed)" cmp -s "$DIR/plain.vec" "$DIR/gz.vec"
"$W2V" train --train - --output "$DIR/stdin.vec" --save-vocab "$DIR/stdin.vocab" "${SMALL[@]}" <"$DIR/c.txt"
check "--train - reads standard input" cmp -s "$DIR/plain.vocab" "$DIR/stdin.vocab"
gzip -dc "$DIR/c.data" | gzip -c | "$W2V" train --train - --output "$DIR/pipe.vec" \
    --save-vocab "$DIR/pipe.vocab" "${SMALL[@]}"
check "gzip through a pipe" cmp -s "$DIR/plain.vocab" "$DIR/pipe.vocab"

# ---- prepare, then train from the prepared file ----
check "w2v prepare writes a prepared corpus" "$W2V" prepare --train "$DIR/c.data" -o "$DIR/c.prep" -q
"$W2V" train --train "$DIR/c.prep" --output "$DIR/prep.vec" "${SMALL[@]}"
check "training from the prepared file = training from the text" cmp -s "$DIR/plain.vec" "$DIR/prep.vec"
expect_error "prepared with other settings: stale" "is stale" "$DIR/stale.vec" \
    "$W2V" train --train "$DIR/c.prep" --output "$DIR/stale.vec" --min-count 9 "${SMALL[@]}"
cp "$DIR/c.prep" "$DIR/bad.prep"
printf 'X' | dd of="$DIR/bad.prep" bs=1 seek=50000 conv=notrunc 2>/dev/null
expect_error "damaged prepared file refused" "damaged" "$DIR/bad.vec" \
    "$W2V" train --train "$DIR/bad.prep" --output "$DIR/bad.vec" "${SMALL[@]}"
expect_error "prepare of a prepared file refused" "already a prepared corpus" "$DIR/again.prep" \
    "$W2V" prepare --train "$DIR/c.prep" -o "$DIR/again.prep"
cp "$DIR/c.prep" "$DIR/v1.prep"
printf '\001' | dd of="$DIR/v1.prep" bs=1 seek=8 conv=notrunc 2>/dev/null # format version 1
expect_error "a version-1 prepared file: written by an older w2v, prepare again" \
    "written by an older w2v.*run w2v prepare again" "$DIR/v1.vec" \
    "$W2V" train --train "$DIR/v1.prep" --output "$DIR/v1.vec" "${SMALL[@]}"
# the id stream is 1 byte an id below 2^7, 2 below 2^14: 2000 words, between 1 and 2 bytes
"$W2V" prepare --train "$DIR/c.txt" -o "$DIR/sizes.prep" 2>"$DIR/sizes.err"
read -r tokens bytes < <(sed -n 's/.*), \([0-9]*\) ids (\([0-9]*\) bytes, [0-9.]* an id).*/\1 \2/p' "$DIR/sizes.err")
if [ -n "${tokens:-}" ] && [ "$tokens" -lt "$bytes" ] && [ "$bytes" -lt $((2 * tokens)) ] &&
    [ "$(stat -c %s "$DIR/sizes.prep")" -lt $((3 * tokens)) ]; then # format 1: over 4 an id
    ok "prepare reports the id bytes: $tokens ids in $bytes bytes, the file under 3 bytes an id"
else
    not_ok "prepare reports the id bytes" "$(cat "$DIR/sizes.err"), file $(stat -c %s "$DIR/sizes.prep")"
fi
rm -f "$DIR/v1.prep" "$DIR/sizes.prep" "$DIR/sizes.err"

# ---- bad inputs: one line, exit 1, no output ----
head -c 20000 "$DIR/c.data" >"$DIR/cut.gz"
expect_error "truncated gzip: one error, no output" "is truncated" "$DIR/cut.vec" \
    "$W2V" train --train "$DIR/cut.gz" --output "$DIR/cut.vec" "${SMALL[@]}"
expect_error "truncated gzip: prepare leaves no output" "is truncated" "$DIR/cut.prep" \
    "$W2V" prepare --train "$DIR/cut.gz" -o "$DIR/cut.prep"
head -c 2000000 /dev/urandom >"$DIR/random.bin"
expect_error "binary-looking corpus refused, the flag named" "allow-binary" "$DIR/bin.vec" \
    "$W2V" train --train "$DIR/random.bin" --output "$DIR/bin.vec" "${SMALL[@]}"
expect_error "/dev/zero as corpus refused" "looks binary" "$DIR/zero.vec" \
    "$W2V" train --train /dev/zero --output "$DIR/zero.vec" "${SMALL[@]}"
expect_error "/dev/zero as vocabulary refused" "longer than 65536 bytes" "$DIR/zv.vec" \
    "$W2V" train --train "$DIR/c.txt" --read-vocab /dev/zero --output "$DIR/zv.vec" "${SMALL[@]}"
printf 'a 9000000000000000000\nb 9000000000000000000\n' >"$DIR/huge.vocab"
expect_error "vocabulary counts past 2^63 refused" "2^63" "$DIR/huge.vec" \
    "$W2V" train --train "$DIR/c.txt" --read-vocab "$DIR/huge.vocab" --output "$DIR/huge.vec" "${SMALL[@]}"
expect_error "missing --tmp-dir" "cannot create a temporary" "$DIR/tmp.vec" \
    "$W2V" train --train "$DIR/c.txt" --tmp-dir "$DIR/no/such" --output "$DIR/tmp.vec" "${SMALL[@]}"

# ---- no temporaries left, wherever they went ----
mkdir "$DIR/scratch"
"$W2V" train --train "$DIR/c.data" --tmp-dir "$DIR/scratch" --output "$DIR/t.vec" "${SMALL[@]}"
check "nothing left in --tmp-dir" test -z "$(ls -A "$DIR/scratch")"
check "nothing left beside the output" test -z "$(ls -A "$DIR" | grep -v -E '^(c\.txt|c\.data|c\.prep|bad\.prep|cut\.gz|random\.bin|huge\.vocab|stderr|scratch|[a-z]+\.(vec|vocab))$')"

# ---- the counting budget ----
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "%s%s", (i % 10 ? "rare" i : "w" (i / 10) % 20), (i % 25 == 24 ? "\n" : " ") }' >"$DIR/rare.txt"
"$W2V" train --train "$DIR/rare.txt" --vocab-memory 1M --output "$DIR/rare.vec" --size 8 --iter 1 \
    --threads 1 --min-count 2 2>"$DIR/stderr"
check "--vocab-memory: pruning reported" grep -q "counting memory (--vocab-memory) was full: [0-9]* words seen fewer than [0-9]* times were pruned" "$DIR/stderr"
check "--vocab-memory: the 20 frequent words kept" test "$(head -1 "$DIR/rare.vec")" = "20 8"
tap_done
