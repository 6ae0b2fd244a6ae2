#!/usr/bin/env bash
# cli_phrases.sh — `w2v phrases` end to end: planted bigrams joined, word2phrase's
# command line, two passes making trigrams, --save-phrases, and one-line errors
# (usage 2, runtime 1) that leave an existing output untouched.
# Prints TAP. Usage: cli_phrases.sh PATH/TO/w2v
set -u
W2V=${1:?usage: cli_phrases.sh W2V}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# A corpus: filler words w0..w99 drawn at random, and in 300 of the 3000 lines
# one planted sequence whose words occur nowhere else.
awk 'BEGIN { srand(7); planted[0] = "alpha beta"; planted[1] = "new york times"
    for (l = 0; l < 3000; l++) { line = ""
        for (w = 0; w < 8; w++) line = line (w ? " " : "") "w" int(rand() * 100)
        if (l % 10 == 0) line = line " " planted[(l / 10) % 2] " w" int(rand() * 100)
        print line } }' >"$DIR/corpus.txt"

# check NAME CONDITION...: ok when the command succeeds.

joined() { tr ' ' '\n' <"$1" | grep _ | sort -u | tr '\n' ' '; }

"$W2V" phrases -train "$DIR/corpus.txt" -output "$DIR/w2p.txt" -threshold 100 -min-count 5 -debug 2 2>"$DIR/stderr"
check "word2phrase's command line is accepted" [ $? -eq 0 ]
check "the planted bigrams are joined, nothing else" [ "$(joined "$DIR/w2p.txt")" = "alpha_beta new_york " ]
check "lines are kept" [ "$(wc -l <"$DIR/w2p.txt")" -eq 3000 ]
check "a summary on stderr" grep -q "pass 1/1: threshold 100" "$DIR/stderr"

"$W2V" phrases --train "$DIR/corpus.txt" --output "$DIR/p2.txt" --passes 2 --threads 3 \
    --save-phrases "$DIR/list.txt" --quiet 2>"$DIR/stderr"
status=$?
check "two passes succeed quietly" [ "$status" -eq 0 -a ! -s "$DIR/stderr" ]
check "two passes make the trigram" [ "$(joined "$DIR/p2.txt")" = "alpha_beta new_york_times " ]
check "--save-phrases lists phrase, score, count, pass" \
    grep -Eq '^new_york_times [0-9.]+ 150 2$' "$DIR/list.txt"
"$W2V" phrases --train "$DIR/corpus.txt" --output "$DIR/p2b.txt" --threshold 100,50 --threads 1 -q
check "--threshold 100,50 is --passes 2 (and threads do not matter)" cmp -s "$DIR/p2.txt" "$DIR/p2b.txt"

echo "kept" >"$DIR/keep.txt"
expect_exit "a bad threshold exits 2" 2 "^w2v: invalid value for --threshold: 'abc'" \
    "$W2V" phrases -train "$DIR/corpus.txt" -output "$DIR/keep.txt" -threshold abc
expect_exit "a negative threshold exits 2" 2 "^w2v: invalid value for --threshold" \
    "$W2V" phrases --train "$DIR/corpus.txt" --output "$DIR/keep.txt" --threshold -1
expect_exit "min-count 0 exits 2" 2 "^w2v: invalid value for --min-count" \
    "$W2V" phrases --train "$DIR/corpus.txt" --output "$DIR/keep.txt" --min-count 0
expect_exit "passes 0 exits 2" 2 "^w2v: invalid value for --passes" \
    "$W2V" phrases --train "$DIR/corpus.txt" --output "$DIR/keep.txt" --passes 0
expect_exit "more thresholds than passes exits 2" 2 "^w2v: --threshold lists 3 values for 2 passes" \
    "$W2V" phrases --train "$DIR/corpus.txt" --output "$DIR/keep.txt" --threshold 9,8,7 --passes 2
expect_exit "no --output exits 2" 2 "^w2v: phrases needs an output file" \
    "$W2V" phrases --train "$DIR/corpus.txt"
expect_exit "a missing corpus exits 1" 1 "^w2v: .*nope" \
    "$W2V" phrases --train "$DIR/nope.txt" --output "$DIR/keep.txt"
expect_exit "an unwritable phrase list exits 1" 1 "^w2v: " \
    "$W2V" phrases --train "$DIR/corpus.txt" --output "$DIR/keep.txt" --save-phrases "$DIR/no/dir/list.txt"
check "the output is untouched after the errors" [ "$(cat "$DIR/keep.txt")" = kept ]
check "no temporary is left behind" [ -z "$(ls "$DIR" | grep '\.tmp\.')" ]

tap_done
