#!/usr/bin/env bash
# memory.sh — peak anonymous memory (RssAnon: heap and stacks, not the mapped
# corpus or id stream, whose pages the kernel can drop) of `w2v train` on
# each corpus given, sampled from /proc every 20 ms, beside peak RSS (VmHWM).
#
#   bench/memory.sh W2V CORPUS... [-- train flags]
#   e.g. w2v gen-corpus -o c150.txt --size 150M --vocab 50000
#        w2v gen-corpus -o c1500.txt --size 1500M --vocab 50000
#        bench/memory.sh build/src/w2v c150.txt c1500.txt -- --iter 1 --threads 2
#
# Prints one line per corpus: bytes, peak RssAnon and VmHWM in MiB, wall seconds.
set -euo pipefail
W2V=${1:?usage: memory.sh W2V CORPUS... [-- train flags]}
shift
corpora=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do corpora+=("$1"); shift; done
[ $# -gt 0 ] && shift
flags=("$@")
[ ${#flags[@]} -gt 0 ] || flags=(--iter 1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-28s %14s %14s %12s %9s\n' corpus bytes peak_anon_MiB peak_rss_MiB wall_s
for corpus in "${corpora[@]}"; do
    start=$(date +%s.%N)
    "$W2V" train --train "$corpus" --output "$out/v.bin" --binary 1 --quiet "${flags[@]}" &
    pid=$!
    peak=0 hwm=0
    while kill -0 "$pid" 2>/dev/null; do
        if anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$anon" ]; then
            [ "$anon" -gt "$peak" ] && peak=$anon
            hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo "$hwm")
        fi
        sleep 0.02
    done
    wait "$pid"
    end=$(date +%s.%N)
    bytes=$(stat -c %s "$corpus" 2>/dev/null || echo "?")
    printf '%-28s %14s %14.1f %12.1f %9.1f\n' "$(basename "$corpus")" "$bytes" \
        "$(echo "$peak / 1024" | bc -l)" "$(echo "${hwm:-0} / 1024" | bc -l)" "$(echo "$end - $start" | bc -l)"
done
