#!/usr/bin/env bash
# cli_tune.sh — `w2v tune` end to end on a small generated corpus: it prints one
# `w2v train` line on stdout that keeps the user's flags and adds the chosen
# --threads, and that line trains; the trials' table is on stderr; bad flags are
# one-line usage errors (exit 2), a missing corpus a runtime error (exit 1).
# No timing is asserted. Prints TAP. Usage: cli_tune.sh PATH/TO/w2v
set -u
W2V=${1:?usage: cli_tune.sh W2V}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"


"$W2V" gen-corpus -o "$DIR/corpus.txt" --size 60000w --vocab 1000 2>/dev/null
"$W2V" tune --train "$DIR/corpus.txt" --sample-words 20000 --max-threads 2 --size 16 \
    --threads 5 --min-count 2 >"$DIR/stdout" 2>"$DIR/stderr"
check "tune succeeds" [ $? -eq 0 ]
check "one line on stdout" [ "$(wc -l <"$DIR/stdout")" -eq 1 ]
line=$(cat "$DIR/stdout")
check "it is a w2v train line with the user's flags" \
    grep -q -- "^w2v train --train $DIR/corpus.txt --size 16 --min-count 2 --threads [12]" "$DIR/stdout"
check "the user's --threads is replaced, not repeated" [ "$(grep -o -- '--threads' "$DIR/stdout" | wc -l)" -eq 1 ]
check "the trials are listed on stderr (1, 2, 2 pinned, pair)" [ "$(grep -c -E ' (ok|worse|failed)( |$)' "$DIR/stderr")" -ge 5 ]
check "the sample is reported" grep -q "sample words" "$DIR/stderr"
${line/#w2v/$W2V} --output "$DIR/vectors.txt" --iter 1 --quiet 2>"$DIR/train.err"
check "the printed line trains" [ $? -eq 0 -a -s "$DIR/vectors.txt" ]

expect_exit "unknown flag: usage error" 2 "unknown" "$W2V" tune --train "$DIR/corpus.txt" --bogus 1
expect_exit "bad --tolerance: usage error" 2 "tolerance" "$W2V" tune --train "$DIR/corpus.txt" --tolerance x
expect_exit "--sample-words too small: usage error" 2 "sample-words" "$W2V" tune --train "$DIR/corpus.txt" --sample-words 10
expect_exit "missing corpus: runtime error" 1 "" "$W2V" tune --train "$DIR/missing.txt"
"$W2V" tune --help >"$DIR/help" 2>&1
check "--help prints the usage on stdout" grep -q "usage: w2v tune" "$DIR/help"
tap_done
