#!/usr/bin/env bash
# cli_hs_pair_nodes.sh — `w2v train --hs-pair-nodes D` (skip-gram, --loss hs,
# --batch window: the top D nodes of the centre's Huffman path context by
# context, step.h) reaches the step: on one thread and a fixed seed D = 0 is
# byte-identical to no flag, a D above every path equals --batch pair byte for
# byte, D = 3 differs from both; bad values and flags it cannot apply to are
# usage errors (exit 2, one line); a checkpoint keeps D (format version 3) and
# a resumed run goes on with it, and refuses another D by name.
# Prints TAP. Usage: cli_hs_pair_nodes.sh PATH/TO/w2v
set -u
W2V=${1:?usage: cli_hs_pair_nodes.sh W2V_BINARY}
W2V=$(cd "$(dirname "$W2V")" && pwd)/$(basename "$W2V") # the cases run in $DIR
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
cd "$DIR" || exit 1
differ() { ! cmp -s "$1" "$2"; }

# No word twice in a line: a context repeated in a window would read its row
# before its first update in the window batch but after it pair by pair, so only
# such text makes "D above every path" and --batch pair the same bytes. 300
# words, word i about 1/i as frequent (a deep, uneven tree), 12 per line.
awk 'BEGIN { s = 12345
    for (l = 0; l < 3000; l++) {
        split("", used); line = ""; n = 0
        while (n < 12) {
            s = (s * 16807) % 2147483647
            w = int(exp(s / 2147483647 * log(300)))
            if (w in used) continue
            used[w] = 1; line = line (n ? " " : "") "w" w; n++
        }
        print line
    } }' >corpus.txt
BASE=(--train corpus.txt --threads 1 --size 16 --window 3 --min-count 2 --seed 5 --quiet
    --loss hs)

"$W2V" train "${BASE[@]}" --iter 1 --output plain.vec
"$W2V" train "${BASE[@]}" --iter 1 --hs-pair-nodes 0 --output d0.vec
"$W2V" train "${BASE[@]}" --iter 1 --hs-pair-nodes 3 --output d3.vec
"$W2V" train "${BASE[@]}" --iter 1 --hs-pair-nodes 64 --output d64.vec
"$W2V" train "${BASE[@]}" --iter 1 --batch pair --output pair.vec
check "vectors written" test -s plain.vec -a -s d0.vec -a -s d3.vec -a -s d64.vec -a -s pair.vec
check "--hs-pair-nodes 0 is the window batch, byte for byte" cmp -s plain.vec d0.vec
check "--hs-pair-nodes 64 (every path) is --batch pair, byte for byte" cmp -s d64.vec pair.vec
check "--hs-pair-nodes 3 differs from the window batch" differ d3.vec plain.vec
check "--hs-pair-nodes 3 differs from --batch pair" differ d3.vec pair.vec
check "the window batch differs from --batch pair" differ plain.vec pair.vec
check "--help lists --hs-pair-nodes" grep -q -- "--hs-pair-nodes D" <("$W2V" train --help)
"$W2V" train --train corpus.txt --threads 1 --size 16 --window 3 --min-count 2 --seed 5 \
    --loss hs --iter 1 --hs-pair-nodes 3 --json --output d3b.vec >report.json 2>report.txt
check "--json reports hs_pair_nodes 3" grep -q '"batch":"window","hs_pair_nodes":3,' report.json
check "the training line names the split" grep -q "the top 3 path nodes pair by pair" report.txt
check "--json reports hs_pair_nodes 0 by default" \
    grep -q '"hs_pair_nodes":0,' <("$W2V" train "${BASE[@]}" --iter 1 --json --output d0b.vec)

for bad in -1 65 abc; do
    expect_exit "--hs-pair-nodes $bad refused" 2 "invalid value for --hs-pair-nodes" \
        "$W2V" train "${BASE[@]}" --hs-pair-nodes "$bad" --output bad.vec
done
expect_exit "--hs-pair-nodes with negative sampling refused" 2 "needs --loss hs.*not --loss ns" \
    "$W2V" train "${BASE[@]}" --loss ns --hs-pair-nodes 3 --output bad.vec
expect_exit "--hs-pair-nodes with hs+ns refused" 2 "needs --loss hs.*not --loss hs+ns" \
    "$W2V" train "${BASE[@]}" --loss hs+ns --hs-pair-nodes 3 --output bad.vec
expect_exit "--hs-pair-nodes with CBOW refused" 2 "needs skip-gram" \
    "$W2V" train "${BASE[@]}" --model cbow --hs-pair-nodes 3 --output bad.vec
expect_exit "--hs-pair-nodes with --batch pair refused" 2 "splits --batch window" \
    "$W2V" train "${BASE[@]}" --batch pair --hs-pair-nodes 3 --output bad.vec
check "nothing written by the refused runs" test ! -e bad.vec

# Checkpoints: D = 5 is saved (version 3), and a run resumed without the flag
# goes on with it: byte-identical to the uninterrupted D = 5 run, not to D = 0.
"$W2V" train "${BASE[@]}" --iter 2 --hs-pair-nodes 5 --output full5.vec
"$W2V" train "${BASE[@]}" --iter 2 --output full0.vec
"$W2V" train "${BASE[@]}" --iter 2 --hs-pair-nodes 5 --checkpoint ck --stop-after 50000w 2>/dev/null
status=$?
check "stopped with a checkpoint (exit 3)" test "$status" -eq 3 -a -s ck
check "a checkpoint with D = 5 is format version 3" \
    test "$(od -An -tu4 -j8 -N4 ck | tr -d ' ')" = 3
check "D = 5 differs from D = 0 over two epochs" differ full5.vec full0.vec
"$W2V" train --resume ck --output res.vec --quiet
check "resumed without the flag: byte-identical to the uninterrupted D = 5 run" \
    cmp -s full5.vec res.vec
expect_exit "resuming with another --hs-pair-nodes refused by name" 2 \
    "--hs-pair-nodes 2 differs from the checkpoint's 5" \
    "$W2V" train --resume ck --hs-pair-nodes 2 --output bad.vec
"$W2V" train --resume ck --hs-pair-nodes 5 --output res5.vec --quiet
check "resuming with the same --hs-pair-nodes accepted" cmp -s full5.vec res5.vec
"$W2V" train "${BASE[@]}" --iter 2 --checkpoint ck0 --stop-after 50000w 2>/dev/null
check "a checkpoint with D = 0 stays format version 1" \
    test "$(od -An -tu4 -j8 -N4 ck0 | tr -d ' ')" = 1
expect_exit "resuming a D = 0 run with --hs-pair-nodes refused by name" 2 \
    "--hs-pair-nodes 5 differs from the checkpoint's 0" \
    "$W2V" train --resume ck0 --hs-pair-nodes 5 --output bad.vec

tap_done
