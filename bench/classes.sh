#!/usr/bin/env bash
# classes.sh — `w2v classes -k 500` against word2vec.c's `-classes 500` on a
# real corpus: k-means time and cluster quality (figures for the README/notes).
#
#   bench/classes.sh PATH/TO/word2vec [CORPUS] [W2V]
#
# word2vec.c's k-means time is the wall time of a run with -classes 500 minus
# that of the same run without it (its k-means runs on one thread after
# training). w2v's is `w2v classes` on w2v vectors trained with the same
# settings, on 2 threads. Quality: `w2v classes VECTORS --score CLASSES` (mean
# cosine of a word to its class centre; share of words whose nearest word is in
# their class). word2vec.c writes no vectors with -classes, so its classes are
# scored on the vectors of its run without -classes; with EXACT=1 both
# word2vec.c runs use 1 thread, which makes them train the same vectors, so
# both k-means are compared on identical input (slow: two single-thread runs).
set -eu
WORD2VEC=${1:?usage: classes.sh PATH/TO/word2vec [CORPUS] [W2V]}
CORPUS=${2:-/tmp/real-en.txt}
W2V=${3:-build/src/w2v}
OUT=${OUT:-/tmp/w2v-classes-bench}
THREADS=2
[ "${EXACT:-0}" = 1 ] && THREADS=1
mkdir -p "$OUT"
wall() { /usr/bin/time -f %e -o "$OUT/time" "$@" >/dev/null 2>&1 && cat "$OUT/time"; }
PEER=(-train "$CORPUS" -cbow 0 -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4
    -threads "$THREADS" -iter 3 -min-count 5)

with=$(wall "$WORD2VEC" "${PEER[@]}" -output "$OUT/w2vc-classes.txt" -classes 500)
without=$(wall "$WORD2VEC" "${PEER[@]}" -output "$OUT/w2vc-vectors.txt")
echo "word2vec.c -threads $THREADS: with -classes 500 ${with} s, without ${without} s," \
    "k-means $(echo "$with - $without" | bc) s"

"$W2V" train --train "$CORPUS" --output "$OUT/w2v.bin" --binary 1 --sample 1e-4 --iter 3 \
    --threads 2 >/dev/null 2>&1
echo "w2v classes -k 500 --threads 2 on w2v vectors: $(wall "$W2V" classes "$OUT/w2v.bin" -k 500 \
    -o "$OUT/w2v-classes.txt" --threads 2) s"
echo "w2v classes -k 500 --threads 2 on word2vec.c vectors: $(wall "$W2V" classes \
    "$OUT/w2vc-vectors.txt" -k 500 -o "$OUT/w2v-on-w2vc-classes.txt" --threads 2) s"

"$W2V" classes "$OUT/w2v.bin" --score "$OUT/w2v-classes.txt"
"$W2V" classes "$OUT/w2vc-vectors.txt" --score "$OUT/w2v-on-w2vc-classes.txt"
"$W2V" classes "$OUT/w2vc-vectors.txt" --score "$OUT/w2vc-classes.txt"
