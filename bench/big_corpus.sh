#!/usr/bin/env bash
# big_corpus.sh — more than 2^31 (or 2^32) tokens end to end without storing
# the corpus: `yes` repeats a 20-word line of one-letter words (2 bytes a
# token) into `head -c BYTES`, piped into `w2v train --train -`; the same
# stream through `wc -w` gives the expected token count. Prints w2v's report
# (vocabulary/encode/training times, words), peak RssAnon and VmHWM sampled
# from /proc, and the wall time. Only the id stream touches the disk (in
# --tmp-dir, unlinked: about 4 bytes a token twice while counting).
#
#   bench/big_corpus.sh W2V BYTES TMPDIR [-- train flags]
#   e.g. bench/big_corpus.sh build/src/w2v 9000000000 /var/tmp -- --threads 2
#        (4.5e9 tokens > 2^32; default flags: --size 8 --window 1 --negative 1
#         --sample 1e-5 --min-count 1 --iter 1, chosen to take minutes)
set -euo pipefail
W2V=${1:?usage: big_corpus.sh W2V BYTES TMPDIR [-- train flags]}
BYTES=${2:?usage: big_corpus.sh W2V BYTES TMPDIR}
TMP=${3:?usage: big_corpus.sh W2V BYTES TMPDIR}
shift 3
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
flags=(--size 8 --window 1 --negative 1 --sample 1e-5 --min-count 1 --iter 1 "$@")
line="a b c d e f g h i j k l m n o p q r s t"
work=$(mktemp -d "$TMP/big-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s.%N)
expected=$({ yes "$line" || true; } | head -c "$BYTES" | wc -w)
echo "wc -w: $expected tokens ($(echo "$(date +%s.%N) - $start" | bc -l | cut -c1-6) s)"
start=$(date +%s.%N)
{ yes "$line" || true; } | head -c "$BYTES" |
    "$W2V" train --train - --tmp-dir "$work" --output "$work/v.bin" --binary 1 --json \
        "${flags[@]}" >"$work/json" 2>"$work/stderr" &
pid=""
for _ in $(seq 50); do
    pid=$(pgrep -n -f -- "--tmp-dir $work" || true)
    [ -n "$pid" ] && break
    sleep 0.1
done
peak=0 hwm=0
while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
    if anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$anon" ]; then
        [ "$anon" -gt "$peak" ] && peak=$anon
        hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo "$hwm")
    fi
    sleep 0.1
done
wait
end=$(date +%s.%N)
tr '\r' '\n' <"$work/stderr" | grep -v "^$" | grep -v "%" || true
field() { tr ',' '\n' <"$work/json" | grep "\"$1\":" | cut -d: -f2; }
echo "w2v corpus_tokens: $(field corpus_tokens) (wc -w: $expected)"
echo "vocab_seconds $(field vocab_seconds) encode_seconds $(field encode_seconds) train_seconds $(field train_seconds)"
echo "peak RssAnon $((peak / 1024)) MiB, peak RSS $((hwm / 1024)) MiB, wall $(echo "$end - $start" | bc -l | cut -c1-7) s"
[ "$(field corpus_tokens)" = "$expected" ]
