#!/usr/bin/env bash
# cli_classes.sh — `w2v classes` as a user runs it: planted groups of a small
# text vector file come out as classes in word2vec.c's "word class" format; a
# seed gives the same file twice; bad inputs are answered with one "w2v: ..."
# line, exit 2 (usage) or 1 (runtime), and no output file (an existing one is
# left as it was). Prints TAP. Usage: cli_classes.sh PATH/TO/w2v
set -u
W2V=${1:?usage: cli_classes.sh W2V_BINARY}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# expect_error NAME STATUS PATTERN ARGS...: exit STATUS, one stderr line
# "w2v: ..." matching PATTERN, no $DIR/out.txt nor temporaries beside it.
expect_error() {
    local name=$1 want=$2 pattern=$3
    shift 3
    rm -f "$DIR"/out.txt*
    "$W2V" classes "$@" >"$DIR/stdout" 2>"$DIR/stderr"
    local status=$? lines
    lines=$(wc -l <"$DIR/stderr")
    if [ "$status" -eq "$want" ] && [ "$lines" -eq 1 ] && grep -q "^w2v: .*$pattern" "$DIR/stderr" &&
        ! ls "$DIR"/out.txt* >/dev/null 2>&1; then
        ok "$name"
    else
        not_ok "$name" "exit $status (want $want), $lines stderr lines: $(head -c 300 "$DIR/stderr")" \
            "outputs: $(ls "$DIR"/out.txt* 2>/dev/null)"
    fi
}

# 4 groups of 10 words in 8 dimensions: group g's words lie near axis g.
awk 'BEGIN {
    srand(11); print 40, 8
    for (i = 0; i < 40; i++) {
        g = i % 4; line = "g" g "w" i
        for (d = 0; d < 8; d++) line = line " " sprintf("%.4f", (d == g) + 0.1 * (rand() - 0.5))
        print line
    }
}' >"$DIR/vec.txt"

# classes_ok FILE K: one "word class" line per word, in the vectors' order,
# ids in [0, K), every group in one class and the groups in different classes.
classes_ok() {
    awk -v k="$2" 'NR == FNR { if (FNR > 1) word[FNR - 1] = $1; next }
        NF != 2 || $1 != word[FNR] || $2 !~ /^[0-9]+$/ || $2 >= k { bad = 1 }
        { g = substr($1, 2, 1); if (g in cls && cls[g] != $2) bad = 1; cls[g] = $2; n++ }
        END {
            for (a in cls) for (b in cls) if (a != b && cls[a] == cls[b]) bad = 1
            exit bad || n != 40
        }' "$DIR/vec.txt" "$1"
}

for seed in 1 2 3 4 5; do
    if "$W2V" classes "$DIR/vec.txt" -k 4 -o "$DIR/c$seed.txt" --seed "$seed" --threads 2 >"$DIR/stdout" 2>"$DIR/stderr" &&
        classes_ok "$DIR/c$seed.txt" 4 && grep -q "^classes: 40 words in 4 classes" "$DIR/stdout"; then
        ok "planted groups are the classes (seed $seed)"
    else
        not_ok "planted groups are the classes (seed $seed)" "$(head -c 300 "$DIR/stderr")" "$(head -c 300 "$DIR/c$seed.txt")"
    fi
done

"$W2V" classes "$DIR/vec.txt" -k 7 -o "$DIR/a.txt" --seed 9 -q --iterations 3 >"$DIR/stdout" 2>&1
"$W2V" classes "$DIR/vec.txt" --classes=7 --output="$DIR/b.txt" --seed=9 --quiet --iterations=3 >>"$DIR/stdout" 2>&1
if cmp -s "$DIR/a.txt" "$DIR/b.txt" && [ ! -s "$DIR/stdout" ] && [ "$(wc -l <"$DIR/a.txt")" -eq 40 ]; then
    ok "the same seed writes the same file; -q prints nothing"
else
    not_ok "the same seed writes the same file; -q prints nothing" "$(head -c 300 "$DIR/stdout")"
fi

if "$W2V" classes "$DIR/vec.txt" --score "$DIR/c1.txt" >"$DIR/stdout" 2>"$DIR/stderr" &&
    grep -q "c1.txt: 4 classes, mean cosine to the class centre 0.9[0-9]*, nearest word in the same class 100.00%" "$DIR/stdout"; then
    ok "--score scores a classes file"
else
    not_ok "--score scores a classes file" "$(head -c 300 "$DIR/stdout")" "$(head -c 300 "$DIR/stderr")"
fi
head -n 39 "$DIR/c1.txt" >"$DIR/short.txt"
expect_error "--score with a word missing exits 1" 1 "expected 40 lines 'word class', read 39" "$DIR/vec.txt" --score "$DIR/short.txt"
{ cat "$DIR/short.txt"; echo "zzz 1"; } >"$DIR/stranger.txt"
expect_error "--score with a stranger exits 1" 1 "line 40: 'zzz' is not in the vectors" "$DIR/vec.txt" --score "$DIR/stranger.txt"

if "$W2V" classes -h | grep -q "^usage: w2v classes VECTORS -k K -o FILE"; then
    ok "classes -h prints the usage"
else
    not_ok "classes -h prints the usage"
fi

expect_error "K larger than the vocabulary exits 1" 1 "41 classes is more than the 40 words" "$DIR/vec.txt" -k 41 -o "$DIR/out.txt"
expect_error "K = 0 exits 2" 2 "invalid value for --classes: .0. (expected an integer from 1" "$DIR/vec.txt" -k 0 -o "$DIR/out.txt"
expect_error "missing vectors file exits 1" 1 "nope" "$DIR/nope.vec" -k 2 -o "$DIR/out.txt"
expect_error "unknown flag exits 2" 2 "unknown option '--frobnicate'" "$DIR/vec.txt" -k 2 -o "$DIR/out.txt" --frobnicate
expect_error "--iterations 0 exits 2" 2 "invalid value for --iterations" "$DIR/vec.txt" -k 2 -o "$DIR/out.txt" --iterations 0
expect_error "--threads without a value exits 2" 2 "needs a value" "$DIR/vec.txt" -k 2 -o "$DIR/out.txt" --threads
expect_error "no -k exits 2" 2 "no number of classes" "$DIR/vec.txt" -o "$DIR/out.txt"
expect_error "no -o exits 2" 2 "no output file" "$DIR/vec.txt" -k 2
expect_error "no VECTORS exits 2" 2 "no VECTORS file" -k 2 -o "$DIR/out.txt"
expect_error "two VECTORS exit 2" 2 "unexpected argument" "$DIR/vec.txt" "$DIR/vec.txt" -k 2 -o "$DIR/out.txt"
expect_error "unwritable output exits 1" 1 "" "$DIR/vec.txt" -k 2 -o "$DIR/no/such/dir/out.txt"
printf 'not a vector file\n' >"$DIR/bad.vec"
expect_error "malformed vectors file exits 1" 1 "bad.vec" "$DIR/bad.vec" -k 2 -o "$DIR/out.txt"

# An existing output survives a failed run unchanged.
printf 'keep me\n' >"$DIR/keep.txt"
"$W2V" classes "$DIR/vec.txt" -k 99 -o "$DIR/keep.txt" >/dev/null 2>&1
if [ "$(cat "$DIR/keep.txt")" = "keep me" ] && [ "$(ls "$DIR" | grep -c 'keep.txt.tmp')" -eq 0 ]; then
    ok "a failed run leaves an existing output as it was"
else
    not_ok "a failed run leaves an existing output as it was" "$(ls "$DIR")"
fi

tap_done
