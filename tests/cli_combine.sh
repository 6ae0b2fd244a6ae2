#!/usr/bin/env bash
# cli_combine.sh — `w2v train --combine C` (skip-gram, --loss ns, --batch
# window: up to C windows of a block of text share one step and one set of
# negatives, combine.h) reaches the trainer: on one thread and a fixed seed
# no flag is --combine 8 byte for byte where combining applies and --combine 1
# (none) elsewhere, C = 1 differs from 8, C = 8 is reproducible; --json and
# the training line report it; bad values and flags it cannot apply
# to are usage errors (exit 2, one line); a checkpoint keeps C (format version
# 4) and a run resumed without the flag goes on with it byte for byte, and
# refuses another C by name.
# Prints TAP. Usage: cli_combine.sh PATH/TO/w2v
set -u
W2V=${1:?usage: cli_combine.sh W2V_BINARY}
W2V=$(cd "$(dirname "$W2V")" && pwd)/$(basename "$W2V") # the cases run in $DIR
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
cd "$DIR" || exit 1
differ() { ! cmp -s "$1" "$2"; }

# 400 words, word i about 1/i as frequent, lines of 5 to 40 words (448,018
# words, several combining blocks an epoch): frequent words recur within a
# block, so windows do combine.
awk 'BEGIN { s = 777
    for (l = 0; l < 20000; l++) {
        s = (s * 16807) % 2147483647; n = 5 + s % 36; line = ""
        for (i = 0; i < n; i++) {
            s = (s * 16807) % 2147483647
            line = line (i ? " " : "") "w" int(exp(s / 2147483647 * log(400)))
        }
        print line
    } }' >corpus.txt
BASE=(--train corpus.txt --threads 1 --size 16 --window 3 --min-count 2 --seed 5 --quiet)

"$W2V" train "${BASE[@]}" --iter 1 --output plain.vec
"$W2V" train "${BASE[@]}" --iter 1 --combine 1 --output c1.vec
"$W2V" train "${BASE[@]}" --iter 1 --combine 8 --output c8.vec
"$W2V" train "${BASE[@]}" --iter 1 --combine 8 --output c8b.vec
check "vectors written" test -s plain.vec -a -s c1.vec -a -s c8.vec
check "no flag is --combine 8 (skip-gram, ns, window batches), byte for byte" \
    cmp -s plain.vec c8.vec
check "--combine 1 differs from --combine 8" differ c1.vec c8.vec
"$W2V" train "${BASE[@]}" --iter 1 --model cbow --output cbow.vec
"$W2V" train "${BASE[@]}" --iter 1 --model cbow --combine 1 --output cbow1.vec
check "no flag is no combining where it does not apply (CBOW), byte for byte" \
    cmp -s cbow.vec cbow1.vec
check "--json reports combine 1 where combining does not apply" \
    grep -q '"combine":1,' <("$W2V" train "${BASE[@]}" --iter 1 --loss hs --json --output hs.vec)
check "--combine 8 on one thread with a seed is reproducible" cmp -s c8.vec c8b.vec
check "--help lists --combine" grep -q -- "--combine C" <("$W2V" train --help)
"$W2V" train --train corpus.txt --threads 1 --size 16 --window 3 --min-count 2 --seed 5 \
    --iter 1 --combine 8 --json --output c8c.vec >report.json 2>report.txt
check "--json reports combine 8" grep -q '"hs_pair_nodes":0,"combine":8,' report.json
check "the training line names combining" grep -q "up to 8 windows combined" report.txt
check "--json reports combine 8 by default" \
    grep -q '"combine":8,' <("$W2V" train "${BASE[@]}" --iter 1 --json --output c8d.vec)
check "--json reports --combine 1" \
    grep -q '"combine":1,' <("$W2V" train "${BASE[@]}" --iter 1 --combine 1 --json --output c1b.vec)

for bad in 0 65 -1 abc; do
    expect_exit "--combine $bad refused" 2 "invalid value for --combine" \
        "$W2V" train "${BASE[@]}" --combine "$bad" --output bad.vec
done
expect_exit "--combine with hierarchical softmax refused" 2 "needs --loss ns.*not --loss hs" \
    "$W2V" train "${BASE[@]}" --loss hs --combine 4 --output bad.vec
expect_exit "--combine with CBOW refused" 2 "needs skip-gram" \
    "$W2V" train "${BASE[@]}" --model cbow --combine 4 --output bad.vec
expect_exit "--combine with --batch pair refused" 2 "combines window batches" \
    "$W2V" train "${BASE[@]}" --batch pair --combine 4 --output bad.vec
check "nothing written by the refused runs" test ! -e bad.vec

# Checkpoints: a run stopped in its first epoch (at the end of a combining
# block) keeps C in the file (C = 8: format version 4; C = 1: version 1), and
# resumed without the flag it is byte-identical to the uninterrupted run of
# that C; resuming with OTHER is refused by name.
checkpoint_case() { # C VERSION OTHER
    local c=$1 version=$2 other=$3
    "$W2V" train "${BASE[@]}" --iter 2 --combine "$c" --output "full$c.vec"
    "$W2V" train "${BASE[@]}" --iter 2 --combine "$c" --checkpoint "ck$c" \
        --stop-after 200000w 2>"stop$c.txt"
    local status=$?
    check "C = $c: stopped with a checkpoint (exit 3)" test "$status" -eq 3 -a -s "ck$c"
    check "C = $c: stopped inside the first epoch" \
        grep -q "stopped by --stop-after in epoch 1/2" "stop$c.txt"
    check "C = $c: the checkpoint is format version $version" \
        test "$(od -An -tu4 -j8 -N4 "ck$c" | tr -d ' ')" = "$version"
    "$W2V" train --resume "ck$c" --output "res$c.vec" --quiet
    check "C = $c: resumed without the flag, byte-identical to the uninterrupted run" \
        cmp -s "full$c.vec" "res$c.vec"
    expect_exit "C = $c: resuming with --combine $other refused by name" 2 \
        "--combine $other differs from the checkpoint's $c" \
        "$W2V" train --resume "ck$c" --combine "$other" --output bad.vec
}
checkpoint_case 8 4 4
checkpoint_case 1 1 8

tap_done
