#!/usr/bin/env bash
# cli_train.sh — `w2v train` as a user runs it: word2vec.c command lines, the
# JSON summary, vocabulary files, and every kind of bad input answered with one
# "w2v: ..." line, a non-zero exit and no output file left behind.
# Prints TAP, so each case counts on its own. Usage: cli_train.sh PATH/TO/w2v
set -u
W2V=${1:?usage: cli_train.sh W2V_BINARY}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# expect_error NAME PATTERN ARGS...: non-zero exit, exactly one stderr line
# "w2v: ..." matching PATTERN, and no file at $DIR/out.vec nor temporaries.
expect_error() {
    local name=$1 pattern=$2
    shift 2
    rm -f "$DIR"/out.vec*
    "$W2V" "$@" >"$DIR/stdout" 2>"$DIR/stderr"
    local status=$?
    local lines
    lines=$(wc -l <"$DIR/stderr")
    if [ "$status" -ne 0 ] && [ "$lines" -eq 1 ] && grep -q "^w2v: .*$pattern" "$DIR/stderr" &&
        ! ls "$DIR"/out.vec* >/dev/null 2>&1; then
        ok "$name"
    else
        not_ok "$name" "exit $status, $lines stderr lines: $(head -c 300 "$DIR/stderr")" \
            "outputs: $(ls "$DIR"/out.vec* 2>/dev/null)"
    fi
}

"$W2V" gen-corpus -o "$DIR/corpus.txt" --size 60000w --vocab 500 --groups 4 --group-size 5 --seed 3 -q
printf '' >"$DIR/empty.txt"
printf ' \n\t\n' >"$DIR/blank.txt"
SMALL=(-size 16 -window 3 -negative 3 -iter 1 -min-count 2 -threads 2)

expect_error "missing corpus" "cannot open corpus" -train "$DIR/nope.txt" -output "$DIR/out.vec"
expect_error "empty corpus" "is empty" -train "$DIR/empty.txt" -output "$DIR/out.vec"
expect_error "corpus of blanks" "no words" -train "$DIR/blank.txt" -output "$DIR/out.vec"
expect_error "directory as corpus" "not a regular file" -train "$DIR" -output "$DIR/out.vec"
expect_error "min-count leaves no vocabulary" "vocabulary is empty" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -min-count 100000000
expect_error "size 0" "invalid value for --size: '0'" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -size 0
expect_error "size not a number" "invalid value for --size: '12x'" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -size 12x
expect_error "window 0" "invalid value for --window" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -window 0
expect_error "threads 0" "invalid value for --threads" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -threads 0
expect_error "negative alpha" "invalid value for --alpha" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -alpha -0.1
expect_error "sample above 1" "invalid value for --sample" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -sample 2
expect_error "negative sampling without negatives" "needs --negative" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -negative 0
expect_error "-hs with --loss" "either -hs or --loss" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -hs 1 --loss ns
expect_error "ns-exponent out of range" "invalid value for --ns-exponent" -train "$DIR/corpus.txt" -output "$DIR/out.vec" --ns-exponent 11
expect_error "negative min-alpha" "invalid value for --min-alpha" -train "$DIR/corpus.txt" -output "$DIR/out.vec" --min-alpha -1
expect_error "shrink-windows not 0|1" "invalid value for --shrink-windows" -train "$DIR/corpus.txt" -output "$DIR/out.vec" --shrink-windows 2
expect_error "unknown model" "expected sg|cbow" -train "$DIR/corpus.txt" -output "$DIR/out.vec" --model glove
expect_error "unknown flag" "unknown option '--frobnicate'" -train "$DIR/corpus.txt" -output "$DIR/out.vec" --frobnicate 3
expect_error "flag without value" "needs a value" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -size
expect_error "no corpus flag" "no training corpus" -output "$DIR/out.vec"
expect_error "unwritable output" "cannot write '$DIR/no/such/dir/out.vec'" -train "$DIR/corpus.txt" -output "$DIR/no/such/dir/out.vec"
expect_error "unknown subcommand" "unknown command 'trian'" trian

# word2vec.c's semantics for word2vec.c's spelling; w2v train keeps its own defaults.
# expect_trains NAME "model/loss" ARGS...: exit 0 and the "training:" line names that model/loss.
expect_trains() {
    local name=$1 what=$2
    shift 2
    "$W2V" "$@" >"$DIR/stdout" 2>"$DIR/stderr"
    local status=$?
    if [ "$status" -eq 0 ] && grep -q "^training: $what," "$DIR/stderr"; then
        ok "$name"
    else
        not_ok "$name" "exit $status: $(grep -m1 -e '^training' -e '^w2v' "$DIR/stderr")"
    fi
}
expect_trains "word2vec.c line trains CBOW" "cbow/ns" -train "$DIR/corpus.txt" -output "$DIR/o.vec" "${SMALL[@]}"
expect_trains "word2vec.c line -cbow 0 trains skip-gram" "sg/ns" -train "$DIR/corpus.txt" -output "$DIR/o.vec" "${SMALL[@]}" -cbow 0
expect_trains "w2v train trains skip-gram" "sg/ns" train -train "$DIR/corpus.txt" -output "$DIR/o.vec" "${SMALL[@]}"
expect_trains "word2vec.c -hs 1 trains hs+ns" "cbow/hs+ns" -train "$DIR/corpus.txt" -output "$DIR/o.vec" "${SMALL[@]}" -hs 1
expect_trains "word2vec.c -hs 1 -negative 0 trains hs" "cbow/hs" -train "$DIR/corpus.txt" -output "$DIR/o.vec" "${SMALL[@]}" -hs 1 -negative 0
expect_trains "w2v train --hs 1 trains hs" "sg/hs" train --train "$DIR/corpus.txt" --output "$DIR/o.vec" --size 16 --iter 1 --hs 1
expect_trains "w2v train --hs 1 --negative 5 trains hs+ns" "sg/hs+ns" train --train "$DIR/corpus.txt" --output "$DIR/o.vec" --size 16 --iter 1 --hs 1 --negative 5
expect_trains "--loss hs+ns" "sg/hs+ns" train --train "$DIR/corpus.txt" --output "$DIR/o.vec" --size 16 --iter 1 --loss hs+ns
expect_trains "gensim knobs accepted" "sg/ns" train --train "$DIR/corpus.txt" --output "$DIR/o.vec" --size 16 --iter 1 --ns-exponent 0.5 --min-alpha 0.0001 --shrink-windows 0
if "$W2V" train --train "$DIR/corpus.txt" --size 16 --iter 1 --model cbow --cbow-update mean 2>&1 >/dev/null |
    grep -q "warning: --cbow-update mean"; then
    ok "cbow-update mean without a raised alpha warns"
else
    not_ok "cbow-update mean without a raised alpha warns"
fi
if "$W2V" train --train "$DIR/corpus.txt" --size 16 --iter 1 --model cbow --cbow-update mean --alpha 0.2 2>&1 >/dev/null |
    grep -q "warning"; then
    not_ok "cbow-update mean with --alpha does not warn"
else
    ok "cbow-update mean with --alpha does not warn"
fi

# -classes K (word2vec.c): "word class" lines, one per vocabulary word, classes < K.
rm -f "$DIR/classes.txt"
if "$W2V" -train "$DIR/corpus.txt" -output "$DIR/classes.txt" "${SMALL[@]}" -classes 4 -debug 0 &&
    awk 'NF != 2 || $2 !~ /^[0-9]+$/ || $2 >= 4 { bad = 1 } END { exit bad || NR < 50 }' "$DIR/classes.txt" &&
    [ "$(cut -d' ' -f2 "$DIR/classes.txt" | sort -u | wc -l)" -eq 4 ]; then
    ok "-classes 4 writes 'word class' lines using 4 classes"
else
    not_ok "-classes 4 writes 'word class' lines using 4 classes" "$(head -3 "$DIR/classes.txt" 2>&1)"
fi
expect_error "-classes above the vocabulary" "more than the" -train "$DIR/corpus.txt" -output "$DIR/out.vec" "${SMALL[@]}" -classes 100000
expect_error "-classes not a number" "invalid value for --classes" -train "$DIR/corpus.txt" -output "$DIR/out.vec" -classes x

# A failed run leaves an existing output untouched.
echo "previous vectors" >"$DIR/keep.vec"
"$W2V" train -train "$DIR/corpus.txt" -output "$DIR/keep.vec" -min-count 100000000 2>/dev/null
if [ "$(cat "$DIR/keep.vec")" = "previous vectors" ] && [ -z "$(ls "$DIR" | grep '\.tmp\.')" ]; then
    ok "failed run keeps the old output and leaves no temporary"
else
    not_ok "failed run keeps the old output and leaves no temporary" "$(ls "$DIR")"
fi

# A word2vec.c command line runs unchanged (no subcommand, single-dash flags).
if "$W2V" -train "$DIR/corpus.txt" -output "$DIR/w2vc.bin" -cbow 1 -binary 1 -debug 0 "${SMALL[@]}" 2>"$DIR/stderr" &&
    head -n 1 "$DIR/w2vc.bin" | grep -Eq '^[0-9]+ 16$'; then
    ok "word2vec.c command line (cbow, binary)"
else
    not_ok "word2vec.c command line (cbow, binary)" "$(cat "$DIR/stderr")"
fi

# Text output: header "V 16", V rows of a word and 16 numbers.
if "$W2V" train --train "$DIR/corpus.txt" --output "$DIR/text.vec" --quiet "${SMALL[@]}"; then
    read -r count dim <"$DIR/text.vec"
    rows=$(tail -n +2 "$DIR/text.vec" | awk 'NF == 17' | wc -l)
    if [ "$dim" = 16 ] && [ "$rows" = "$count" ] && [ "$count" -gt 100 ]; then
        ok "text vectors: header and $count rows of 16 values"
    else
        not_ok "text vectors: header and rows" "header $count $dim, $rows good rows"
    fi
else
    not_ok "text vectors: training failed"
fi

# --json prints one JSON line with the documented keys, and the vocabulary round-trips.
if "$W2V" train --train "$DIR/corpus.txt" --output "$DIR/json.vec" --json --quiet \
    --save-vocab "$DIR/vocab.txt" "${SMALL[@]}" >"$DIR/summary.json"; then
    missing=""
    for key in model loss final_loss dim window negative epochs threads isa vocab_size corpus_words \
        vocab_seconds train_seconds words_per_sec kept_words kept_words_per_sec flops gflops; do
        grep -q "\"$key\":" "$DIR/summary.json" || missing="$missing $key"
    done
    if [ "$(wc -l <"$DIR/summary.json")" = 1 ] && [ -z "$missing" ]; then
        ok "--json summary has every key"
    else
        not_ok "--json summary has every key" "missing:$missing"
    fi
    vocab_words=$(wc -l <"$DIR/vocab.txt")
    if "$W2V" train --train "$DIR/corpus.txt" --output "$DIR/read.vec" --read-vocab "$DIR/vocab.txt" \
        --quiet "${SMALL[@]}" && [ "$(head -n 1 "$DIR/read.vec")" = "$vocab_words 16" ]; then
        ok "--save-vocab then --read-vocab gives the same vocabulary"
    else
        not_ok "--save-vocab then --read-vocab gives the same vocabulary"
    fi
else
    not_ok "--json training failed"
    not_ok "--read-vocab not tried"
fi

# --eval-analogy / --eval-similarity report after every epoch and land in the JSON.
"$W2V" gen-corpus -o "$DIR/analogies.txt" --size 60000w --vocab 600 --groups 4 --group-size 5 \
    --analogies --questions-out "$DIR/questions.txt" --seed 5 -q
printf 'aaa\tbbb\t1.0\n' >"$DIR/pairs.tsv"
if "$W2V" train --train "$DIR/analogies.txt" --output "$DIR/eval.vec" --json --eval-analogy "$DIR/questions.txt" \
    --eval-similarity "$DIR/pairs.tsv" -size 16 -window 3 -iter 2 -min-count 2 -threads 2 \
    >"$DIR/eval.json" 2>"$DIR/eval.err" &&
    [ "$(grep -c '^epoch [12]  analogy' "$DIR/eval.err")" = 2 ] &&
    [ "$(grep -c '^epoch [12]  similarity' "$DIR/eval.err")" = 2 ] &&
    grep -q '"analogy_accuracy":[0-9.]*[,}]' "$DIR/eval.json" &&
    grep -q '"similarity_spearman":null' "$DIR/eval.json"; then # its only pair is out of vocabulary
    ok "--eval-analogy and --eval-similarity after each epoch"
else
    not_ok "--eval-analogy and --eval-similarity after each epoch" "$(tail -5 "$DIR/eval.err")"
fi
expect_error "missing questions file" "cannot open .*nope.txt" -train "$DIR/corpus.txt" -output "$DIR/out.vec" --eval-analogy "$DIR/nope.txt"

# --help documents every flag the parser accepts.
help=$("$W2V" train --help)
missing=""
for flag in train output binary save-vocab read-vocab min-count max-vocab max-sentence model cbow loss \
    hs size window negative sample batch cbow-update iter alpha threads pin seed quiet json eval-analogy eval-similarity; do
    grep -q -- "--$flag" <<<"$help" || missing="$missing $flag"
done
if [ -z "$missing" ]; then ok "train --help documents every flag"; else not_ok "train --help" "missing:$missing"; fi

tap_done
