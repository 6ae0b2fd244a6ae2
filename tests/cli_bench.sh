#!/usr/bin/env bash
# cli_bench.sh — the benchmark harness end to end on a small generated corpus:
# it runs the real trainer for 1 and 2 threads and writes a table, CSV, JSON
# and a PNG whose contents agree with each other. Nothing here is timed.
# Prints TAP. Usage: cli_bench.sh PATH/TO/w2v-bench PATH/TO/w2v
set -u
BENCH=${1:?usage: cli_bench.sh W2V_BENCH W2V}
W2V=${2:?usage: cli_bench.sh W2V_BENCH W2V}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

if "$BENCH" --w2v "$W2V" --generate 200000w --threads 1,2 --iter 1 --min-count 2 \
    --csv "$DIR/r.csv" --json "$DIR/r.json" --plot "$DIR/r.png" >"$DIR/table.txt" 2>"$DIR/err.txt"; then
    ok "w2v-bench runs a 1,2-thread sweep"
else
    not_ok "w2v-bench runs a 1,2-thread sweep" "$(tail -3 "$DIR/err.txt")"
fi

# CSV: a header and one row per thread count, threads 1 then 2, speed-up 1 for 1 thread.
rows=$(tail -n +2 "$DIR/r.csv" 2>/dev/null | cut -d, -f4,8 | tr '\n' ' ')
if head -n 1 "$DIR/r.csv" | grep -q '^model,loss,dim,threads,isa,words_per_sec' &&
    [[ "$rows" =~ ^1,1\ 2,[0-9.]+\ $ ]]; then
    ok "CSV has one row per thread count, speed-up relative to 1 thread"
else
    not_ok "CSV rows" "threads,speedup: $rows"
fi

# Every words/s figure is positive, and the JSON and CSV agree on it.
csv_rates=$(tail -n +2 "$DIR/r.csv" | cut -d, -f6 | tr '\n' ' ')
json_rates=$(grep -o '"words_per_sec": *[0-9.]*' "$DIR/r.json" | grep -o '[0-9.]*$' | tr '\n' ' ')
if [ -n "$csv_rates" ] && awk -v r="$csv_rates" 'BEGIN { n = split(r, a, " "); for (i = 1; i <= n; i++) if (a[i] <= 0) exit 1 }' &&
    [ "$(echo $csv_rates | tr ' ' '\n' | awk '{ printf "%.1f\n", $1 }')" = "$(echo $json_rates | tr ' ' '\n' | awk '{ printf "%.1f\n", $1 }')" ]; then
    ok "JSON and CSV report the same positive words/s"
else
    not_ok "JSON and CSV words/s" "csv: $csv_rates" "json: $json_rates"
fi

# The planted analogies of the generated corpus were evaluated.
if grep -q '"analogy_accuracy": *[0-9.]' "$DIR/r.json"; then
    ok "planted analogies evaluated"
else
    not_ok "planted analogies evaluated"
fi

# The plot is a PNG.
if [ "$(head -c 8 "$DIR/r.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; then
    ok "plot is a PNG"
else
    not_ok "plot is a PNG"
fi

# The table names the machine and both runs.
if grep -q '^machine:' "$DIR/table.txt" && [ "$(grep -c '^sg  *ns ' "$DIR/table.txt")" = 2 ]; then
    ok "table has the machine line and both runs"
else
    not_ok "table" "$(cat "$DIR/table.txt")"
fi

# A bad thread list is refused with one line and no outputs.
if ! "$BENCH" --w2v "$W2V" --generate 200000w --threads 2-1 --csv "$DIR/bad.csv" 2>"$DIR/bad.txt" >/dev/null &&
    [ "$(wc -l <"$DIR/bad.txt")" = 1 ] && [ ! -e "$DIR/bad.csv" ]; then
    ok "bad thread list refused"
else
    not_ok "bad thread list refused" "$(cat "$DIR/bad.txt")"
fi

# --kernels: every kernel of the portable table at each dim and window size,
# each with a positive figure (GFLOP/s, or ns a unit for the logistic block).
if "$BENCH" --kernels --dims 16,33 --window 2 --negative 3 >"$DIR/kernels.txt" 2>"$DIR/kernels.err"; then
    ok "w2v-bench --kernels runs"
else
    not_ok "w2v-bench --kernels runs" "$(tail -3 "$DIR/kernels.err")"
fi
# scalar: 2 dims x 2 window sizes x 4 GFLOP/s kernels, and the logistic block at 2 sizes.
flops=$(awk '$1 == "scalar" && $2 != "logistic_block" && $(NF - 1) > 0 && $NF > 0' "$DIR/kernels.txt" | wc -l)
units=$(grep -c '^scalar  *logistic_block .* [0-9.]* ns a unit$' "$DIR/kernels.txt")
shapes=$(awk '$1 == "scalar" && $2 == "dot_block" { print $(NF - 4) "x" $(NF - 3) "x" $(NF - 2) }' "$DIR/kernels.txt" | tr '\n' ' ')
if [ "$flops" = 16 ] && [ "$units" = 2 ] && [ "$shapes" = "16x2x4 16x4x4 33x2x4 33x4x4 " ]; then
    ok "--kernels: every kernel, dim and shape, positive figures"
else
    not_ok "--kernels table" "gflops lines $flops, logistic lines $units, shapes '$shapes'" "$(cat "$DIR/kernels.txt")"
fi
if ! "$BENCH" --kernels --generate 200000w 2>"$DIR/kbad.txt" >/dev/null && [ "$(wc -l <"$DIR/kbad.txt")" = 1 ]; then
    ok "--kernels with a corpus refused in one line"
else
    not_ok "--kernels with a corpus refused" "$(cat "$DIR/kbad.txt")"
fi

tap_done
