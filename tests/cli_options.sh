#!/usr/bin/env bash
# cli_options.sh — every subcommand's command line answers the same way:
# -h and --help print the usage on stdout and exit 0; a usage error (unknown
# option, bad or out-of-range value, missing argument) exits 2 and a runtime
# error (an input that cannot be read, an output that cannot be written) exits
# 1, each with exactly one line "w2v: ..." on stderr.
# Prints TAP. Usage: cli_options.sh PATH/TO/w2v PATH/TO/w2v-bench
set -u
W2V=${1:?usage: cli_options.sh W2V W2V_BENCH}
BENCH=${2:?usage: cli_options.sh W2V W2V_BENCH}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# expect_help NAME CMD...: exit 0, "usage:" on stdout, nothing on stderr.
expect_help() {
    local name=$1
    shift
    "$@" >"$DIR/stdout" 2>"$DIR/stderr" </dev/null
    local status=$?
    if [ "$status" -eq 0 ] && grep -q "^usage: " "$DIR/stdout" && [ ! -s "$DIR/stderr" ]; then
        ok "$name"
    else
        not_ok "$name" "exit $status; stdout: $(head -c 200 "$DIR/stdout")" "stderr: $(head -c 200 "$DIR/stderr")"
    fi
}

# expect_exit NAME STATUS PATTERN CMD...: exit STATUS, one stderr line matching PATTERN.
expect_exit() {
    local name=$1 want=$2 pattern=$3
    shift 3
    "$@" >"$DIR/stdout" 2>"$DIR/stderr" </dev/null
    local status=$? lines
    lines=$(wc -l <"$DIR/stderr")
    if [ "$status" -eq "$want" ] && [ "$lines" -eq 1 ] && grep -q -- "$pattern" "$DIR/stderr"; then
        ok "$name"
    else
        not_ok "$name" "exit $status (want $want), $lines stderr lines: $(head -c 300 "$DIR/stderr")"
    fi
}

NOPE=$DIR/nope
UNWRITABLE=$DIR/no/such/dir/out

# One row per subcommand: its name as typed | a bad value (the last option and its
# value: without the value it is a missing value) | a run whose input file is
# missing (or whose output cannot be written, where it reads none; the demo's only
# file of its own is its temporary directory, under TMPDIR).
while IFS='|' read -r name bad missing; do
    read -r -a cmd <<<"$name"
    read -r -a bad <<<"$bad"
    expect_help "$name -h" "$W2V" "${cmd[@]}" -h
    expect_help "$name --help" "$W2V" "${cmd[@]}" --help
    expect_exit "$name: unknown option exits 2" 2 "^w2v: unknown option '--frobnicate'" "$W2V" "${cmd[@]}" --frobnicate
    expect_exit "$name: bad value exits 2" 2 "^w2v: invalid value for " "$W2V" "${cmd[@]}" "${bad[@]}"
    expect_exit "$name: option without its value exits 2" 2 "^w2v: option .* needs a value" "$W2V" "${cmd[@]}" "${bad[@]:0:${#bad[@]}-1}"
    if [ -n "$missing" ]; then
        read -r -a missing <<<"$missing"
        expect_exit "$name: missing input or unwritable output exits 1" 1 "^w2v: " \
            env TMPDIR="$UNWRITABLE" "$W2V" "${cmd[@]}" "${missing[@]}"
    fi
done <<ROWS
train|--train $NOPE --size 0|--train $NOPE --output $DIR/v.txt
demo|--words 5|--words 10000
gen-corpus|-o $DIR/c.txt --size 0|-o $UNWRITABLE --size 1000w -q
eval analogy|$NOPE.vec $NOPE.txt --method foo|$NOPE.vec $NOPE.txt
eval similarity|$NOPE.vec $NOPE.tsv --restrict x|$NOPE.vec $NOPE.tsv
neighbours|$NOPE.vec -k 0|$NOPE.vec word
analogy|$NOPE.vec --method foo|$NOPE.vec a b c
convert|$NOPE.vec $DIR/c.vec --binary 2|$NOPE.vec $DIR/c.vec
plot|$NOPE.vec a b -o $DIR/p.png --width 10|$NOPE.vec a b -o $DIR/p.png
gradcheck|--vocab 2|
ROWS

# The query commands with no option that takes a value.
for name in similarity odd-one-out; do
    expect_help "$name -h" "$W2V" "$name" -h
    expect_help "$name --help" "$W2V" "$name" --help
    expect_exit "$name: unknown option exits 2" 2 "^w2v: unknown option '--frobnicate'" "$W2V" "$name" --frobnicate
    expect_exit "$name: missing input exits 1" 1 "^w2v: " "$W2V" "$name" "$NOPE.vec" a b c d e f
done

# Missing and extra arguments are usage errors too.
expect_exit "train without --train exits 2" 2 "no training corpus" "$W2V" train --output "$DIR/v.txt"
expect_exit "train with a stray argument exits 2" 2 "unexpected argument 'stray'" "$W2V" train --train "$NOPE" stray
expect_exit "gen-corpus without -o exits 2" 2 "needs an output file" "$W2V" gen-corpus --size 1000w
expect_exit "eval analogy without QUESTIONS exits 2" 2 "needs VECTORS and QUESTIONS" "$W2V" eval analogy "$NOPE.vec"
expect_exit "eval similarity rejects --method (analogy's) with 2" 2 "unknown option '--method'" "$W2V" eval similarity "$NOPE.vec" "$NOPE.tsv" --method add
expect_exit "neighbours without VECTORS exits 2" 2 "no VECTORS file" "$W2V" neighbours
expect_exit "analogy with 2 words exits 2" 2 "expected 3 words" "$W2V" analogy "$NOPE.vec" a b
expect_exit "plot without -o exits 2" 2 "no output file" "$W2V" plot "$NOPE.vec" a b
expect_exit "gradcheck with a stray argument exits 2" 2 "unexpected argument" "$W2V" gradcheck stray
expect_exit "eval without an evaluation exits 2" 2 "which evaluation" "$W2V" eval
expect_exit "unknown command exits 2" 2 "unknown command" "$W2V" frobnicate

# Spellings that exist: word2vec.c's one dash, --name=value, aliases.
expect_exit "train -size=0 is read as --size" 2 "invalid value for --size: '0'" "$W2V" -train "$NOPE" -size=0
expect_exit "train --dim is --size" 2 "invalid value for --size: '0'" "$W2V" train --train "$NOPE" --dim 0
expect_exit "gen-corpus --output is -o" 1 "^w2v: " "$W2V" gen-corpus --output "$UNWRITABLE" --size 1000w -q

# The benchmark harness: the same codes with its own name.
expect_help "w2v-bench -h" "$BENCH" -h
expect_help "w2v-bench --help" "$BENCH" --help
expect_exit "w2v-bench: unknown option exits 2" 2 "^w2v-bench: unknown option '--frobnicate'" "$BENCH" --frobnicate
expect_exit "w2v-bench: bad thread range exits 2" 2 "^w2v-bench: " "$BENCH" --generate 1000w --threads 2-1
expect_exit "w2v-bench: bad size exits 2" 2 "^w2v-bench: invalid value for --generate" "$BENCH" --generate 1.5G
expect_exit "w2v-bench: missing corpus exits 1" 1 "^w2v-bench: cannot read the corpus" "$BENCH" --corpus "$NOPE"

tap_done
