#!/usr/bin/env bash
# phrases.sh — w2v phrases against word2phrase (tmikolov/word2vec, built outside
# this repository) on one corpus at the same settings (threshold 100, min-count
# 5; w2v on 2 threads): wall time of each and the Jaccard overlap of the phrase
# sets — w2v's --save-phrases list, and the words w2v joined in its output,
# each against the joined words (containing '_', not in the input) of
# word2phrase's output.
# Usage: bench/phrases.sh PATH/TO/word2phrase [CORPUS] [PATH/TO/w2v]
set -eu
W2P=${1:?usage: bench/phrases.sh PATH/TO/word2phrase [CORPUS] [W2V]}
CORPUS=${2:-/tmp/real-en.txt}
W2V=${3:-build/src/w2v}
OUT=$(mktemp -d /tmp/w2v-phrases-bench-XXXXXX)
trap 'rm -rf "$OUT"' EXIT

wall() { /usr/bin/time -f %e -o "$OUT/time" "$@" >/dev/null 2>&1; cat "$OUT/time"; }
w2p_s=$(wall "$W2P" -train "$CORPUS" -output "$OUT/w2p.txt" -threshold 100 -min-count 5 -debug 0)
w2v_s=$(wall "$W2V" phrases -train "$CORPUS" -output "$OUT/w2v.txt" -threshold 100 -min-count 5 \
    -threads 2 -save-phrases "$OUT/list.txt")

# joined words of a file that the input does not contain
tr -s ' \t' '\n\n' <"$CORPUS" | grep _ | sort -u >"$OUT/input_" || true
joined() { tr -s ' \t' '\n\n' <"$1" | grep _ | sort -u | comm -23 - "$OUT/input_"; }
joined "$OUT/w2p.txt" >"$OUT/w2p.set"
joined "$OUT/w2v.txt" >"$OUT/w2v.set"
cut -d' ' -f1 "$OUT/list.txt" | sort -u >"$OUT/list.set"
jaccard() { # A B: |A ∩ B| / |A ∪ B|
    local both any
    both=$(comm -12 "$1" "$2" | wc -l)
    any=$(sort -u "$1" "$2" | wc -l)
    awk -v b="$both" -v a="$any" 'BEGIN { printf "%.4f (%d / %d)", b / a, b, a }'
}
echo "corpus: $CORPUS ($(stat -c %s "$CORPUS") bytes)"
echo "word2phrase: $w2p_s s, $(wc -l <"$OUT/w2p.set") phrases joined in its output"
echo "w2v phrases: $w2v_s s, $(wc -l <"$OUT/list.set") phrases in --save-phrases," \
    "$(wc -l <"$OUT/w2v.set") joined in its output"
awk -v a="$w2p_s" -v b="$w2v_s" 'BEGIN { printf "speed-up: %.2fx\n", a / b }'
echo "Jaccard, --save-phrases vs word2phrase's joined words: $(jaccard "$OUT/list.set" "$OUT/w2p.set")"
echo "Jaccard, joined words, w2v vs word2phrase: $(jaccard "$OUT/w2v.set" "$OUT/w2p.set")"
