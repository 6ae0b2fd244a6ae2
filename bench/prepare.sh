#!/usr/bin/env bash
# prepare.sh — preprocessing throughput (read, count, encode: `w2v prepare`)
# in MB of text per second for plain, gzip, zstd and piped input, against
# the floor of reading the same bytes: `wc -w` and `zcat | wc -w`
# (`zstdcat | wc -w`); then training words/s from the prepared file against
# training from the plain file (the same flags).
#
#   bench/prepare.sh W2V CORPUS.txt [-- train flags]     (default: --iter 1)
#
# Makes CORPUS.txt.gz and .zst beside it if missing (gzip -1, zstd -3).
set -euo pipefail
W2V=${1:?usage: prepare.sh W2V CORPUS [-- train flags]}
CORPUS=${2:?usage: prepare.sh W2V CORPUS [-- train flags]}
shift 2
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
flags=("$@")
[ ${#flags[@]} -gt 0 ] || flags=(--iter 1)
out=$(mktemp -d "$(dirname "$CORPUS")/prepare-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
[ -e "$CORPUS.gz" ] || gzip -1 -c "$CORPUS" >"$CORPUS.gz"
[ -e "$CORPUS.zst" ] || zstd -q -3 -c "$CORPUS" >"$CORPUS.zst"
bytes=$(stat -c %s "$CORPUS")
mb() { echo "scale=1; $bytes / 1000000 / $1" | bc -l; }
timed() { # seconds of "$@"
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
printf '%-34s %9s %9s\n' "input (${bytes} bytes of text)" seconds MB/s
row() { printf '%-34s %9.2f %9s\n' "$1" "$2" "$(mb "$2")"; }
row "wc -w (floor)" "$(timed wc -w "$CORPUS")"
row "zcat | wc -w (floor)" "$(timed bash -c "zcat '$CORPUS.gz' | wc -w")"
row "zstdcat | wc -w (floor)" "$(timed bash -c "zstdcat '$CORPUS.zst' | wc -w")"
row "w2v prepare plain (mapped)" "$(timed "$W2V" prepare -q --train "$CORPUS" -o "$out/p")"
row "w2v prepare gzip" "$(timed "$W2V" prepare -q --train "$CORPUS.gz" -o "$out/g")"
row "w2v prepare zstd" "$(timed "$W2V" prepare -q --train "$CORPUS.zst" -o "$out/z")"
row "w2v prepare stdin (cat |)" "$(timed bash -c "cat '$CORPUS' | '$W2V' prepare -q --train - -o '$out/s'")"
cmp -s "$out/p" "$out/g" && cmp -s "$out/p" "$out/z" && cmp -s "$out/p" "$out/s" ||
    echo "note: prepared files differ by input kind (source kind and size are recorded in the header)"
echo
printf '%-34s %14s %14s %9s\n' "training (${flags[*]})" "train words/s" "whole words/s" "wall s"
for input in "$CORPUS" "$out/p"; do
    start=$(date +%s.%N)
    json=$("$W2V" train --train "$input" --output "$out/v.bin" --binary 1 --quiet --json "${flags[@]}")
    end=$(date +%s.%N)
    field() { echo "$json" | tr ',' '\n' | grep "\"$1\":" | cut -d: -f2; }
    wall=$(echo "$end - $start" | bc -l)
    whole=$(echo "$(field corpus_words) * $(field epochs) / $wall" | bc -l)
    label="from the text"
    [ "$input" = "$CORPUS" ] || label="from the prepared file"
    printf '%-34s %14.0f %14.0f %9.2f\n' "$label" "$(field words_per_sec)" "$whole" "$wall"
done
