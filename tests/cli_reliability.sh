#!/usr/bin/env bash
# cli_reliability.sh — what a hostile or unlucky user does to w2v's files, end
# to end: outputs through symlinks, onto devices and FIFOs, onto a full disk;
# stale temporaries of killed runs; signals in the middle of a run; vector
# files that are devices; words with control bytes reaching a terminal;
# --restrict 0 named as "all words". Prints TAP. Usage: cli_reliability.sh W2V
set -u
W2V=${1:?usage: cli_reliability.sh W2V}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

run() {
    "$W2V" "$@" >"$DIR/out" 2>"$DIR/err"
    ST=$?
}
check() {
    if eval "$2"; then ok "$1"; else not_ok "$1" "exit $ST; stdout: $(head -c 300 "$DIR/out")" "stderr: $(head -c 300 "$DIR/err")"; fi
}
err_is() { [ "$(wc -l <"$DIR/err")" -eq 1 ] && grep -q -- "$1" "$DIR/err"; }
no_temporaries() { ! ls -a "$1" | grep -q '\.tmp\.'; }

V=$DIR/v.txt # as w2v convert writes it, so a copy compares equal
printf '3 2\nman 2.000000 0.000000\nking 3.000000 3.000000\nwoman 0.000000 5.000000\n' >"$V"

# ---- outputs that must not be replaced ----
mkdir "$DIR/links"
cp "$V" "$DIR/links/target.txt"
ln -s target.txt "$DIR/links/link.txt"
run convert "$V" "$DIR/links/link.txt" --binary 1
check "an output symlink is written through and stays a link" \
    '[ $ST -eq 0 ] && [ -L "$DIR/links/link.txt" ] && ! cmp -s "$V" "$DIR/links/target.txt" && no_temporaries "$DIR/links"'
ln -s nowhere.txt "$DIR/links/dangling.txt"
run convert "$V" "$DIR/links/dangling.txt"
check "a dangling output symlink: its target is created" \
    '[ $ST -eq 0 ] && [ -L "$DIR/links/dangling.txt" ] && cmp -s "$V" "$DIR/links/nowhere.txt"'

mkfifo "$DIR/fifo"
cat "$DIR/fifo" >"$DIR/from-fifo" &
reader=$!
run convert "$V" "$DIR/fifo"
wait "$reader"
check "a FIFO output is written into, not replaced" \
    '[ $ST -eq 0 ] && [ -p "$DIR/fifo" ] && cmp -s "$V" "$DIR/from-fifo" && no_temporaries "$DIR"'

if [ -c /dev/full ]; then
    run convert "$V" /dev/full
    check "/dev/full: 'No space left on device', exit 1, still a device" \
        '[ $ST -eq 1 ] && err_is "No space left on device" && [ -c /dev/full ]'
else
    ok "/dev/full # SKIP no /dev/full"
fi
run convert "$V" /dev/null
check "/dev/null as the output: written, still a device" '[ $ST -eq 0 ] && [ -c /dev/null ]'
run convert "$V" "$DIR"
check "a directory as the output is refused, exit 1" '[ $ST -eq 1 ] && err_is "Is a directory"'

# ---- temporaries ----
mkdir "$DIR/stale"
bash -c 'exit 0' &
dead=$!
wait "$dead"
touch "$DIR/stale/out.txt.tmp.$dead.AbC123" "$DIR/stale/out.txt.tmp.$$.XyZ789"
run convert "$V" "$DIR/stale/out.txt"
check "a stale temporary of a dead run is removed, a live one's kept" \
    '[ $ST -eq 0 ] && [ ! -e "$DIR/stale/out.txt.tmp.$dead.AbC123" ] && [ -e "$DIR/stale/out.txt.tmp.$$.XyZ789" ]'

# A run killed by each catchable signal while its outputs are open leaves no
# temporary (and no output). The corpus is large enough to still be training.
# (A shell starts background jobs with SIGINT and SIGQUIT ignored, and w2v
# keeps a signal ignored that it inherited so: env restores the defaults, also
# of signals a nohup or a CI runner may have set to ignored.)
"$W2V" gen-corpus -o "$DIR/c.txt" --size 3M >/dev/null 2>&1
for sig in INT TERM HUP QUIT PIPE; do
    mkdir "$DIR/sig-$sig"
    env --default-signal=INT,QUIT,HUP,TERM,PIPE "$W2V" train --train "$DIR/c.txt" --output "$DIR/sig-$sig/v.txt" --save-vocab "$DIR/sig-$sig/vocab.txt" \
        --iter 50 --threads 1 --dim 16 >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 50); do ls "$DIR/sig-$sig" | grep -q 'v.txt.tmp' && break; sleep 0.1; done
    sleep 0.3
    kill -s "$sig" "$pid"
    { wait "$pid"; } 2>/dev/null
    ST=$?
    check "SIG$sig during training: no temporary, no output" \
        '[ $ST -ne 0 ] && no_temporaries "$DIR/sig-$sig" && [ ! -e "$DIR/sig-$sig/v.txt" ]'
done

# ---- inputs that are not files ----
run neighbours /dev/zero king
check "/dev/zero as a vector file: a malformed header, exit 1" '[ $ST -eq 1 ] && err_is "malformed header"'
run neighbours <(printf '1 2\n'; head -c 50000000 /dev/zero) king
check "an endless-looking pipe is read only as far as its header allows" '[ $ST -eq 1 ] && err_is "row 1"'
run eval similarity "$V" /dev/zero
check "/dev/zero as a word-pair file: a bounded line, exit 1" '[ $ST -eq 1 ] && err_is "line 1 is longer than 65536 bytes"'
run eval analogy "$V" /dev/zero
check "/dev/zero as a questions file: a bounded line, exit 1" '[ $ST -eq 1 ] && err_is "line 1 is longer than 65536 bytes"'

# ---- control bytes of words never reach the terminal raw ----
printf '3 2\nman 2 0\nk\033[31mng 3 3\nw\302\233man 0 5\n' >"$DIR/ctl.txt"
run neighbours "$DIR/ctl.txt" man
check "neighbours escapes ESC and C1 bytes in words" \
    '[ $ST -eq 0 ] && grep -qF "k\\x1B[31mng" "$DIR/out" && grep -qF "w\\xC2\\x9Bman" "$DIR/out" && ! grep -q "$(printf "\033")" "$DIR/out"'
run neighbours "$DIR/ctl.txt" "$(printf 'x\033]0;pwned\007')"
check "an error naming a word escapes it" \
    '[ $ST -eq 1 ] && err_is "x\\\\x1B\]0;pwned\\\\x07" && ! grep -q "$(printf "\033")" "$DIR/err"'
run similarity "$DIR/ctl.txt" man "$(printf 'k\033[31mng')"
check "similarity escapes the words it prints" '[ $ST -eq 0 ] && grep -qF "man k\\x1B[31mng " "$DIR/out"'

# ---- --restrict 0 means all words ----
printf 'man\tking\t5\nman\twoman\t3\nking\twoman\t1\n' >"$DIR/pairs.tsv"
run eval similarity "$V" "$DIR/pairs.tsv" --restrict 0
check "eval --restrict 0 says 'all words', not 'first 0 words'" \
    '[ $ST -eq 0 ] && grep -q "vocabulary: all words" "$DIR/out" && ! grep -q "first 0" "$DIR/out"'

# ---- an output may never be an input (issue 11, item 1) ----
"$W2V" gen-corpus -o "$DIR/corpus.txt" --size 100K --quiet
cp "$DIR/corpus.txt" "$DIR/corpus.orig"
ln -s corpus.txt "$DIR/corpus-link.txt"
for target in "--output $DIR/corpus.txt" "--save-vocab $DIR/corpus.txt" "--output $DIR/corpus-link.txt"; do
    run train --train "$DIR/corpus.txt" $target --iter 1 --threads 1 --quiet
    check "train $target (the corpus) is refused and the corpus kept" \
        '[ $ST -eq 1 ] && err_is "same file as the input" && cmp -s "$DIR/corpus.txt" "$DIR/corpus.orig" && no_temporaries "$DIR"'
done
run phrases --train "$DIR/corpus.txt" --output "$DIR/corpus.txt"
check "phrases --output equal to --train is refused and the corpus kept" \
    '[ $ST -eq 1 ] && err_is "same file as the input" && cmp -s "$DIR/corpus.txt" "$DIR/corpus.orig"'

tap_done
