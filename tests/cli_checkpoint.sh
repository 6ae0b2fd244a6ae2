#!/usr/bin/env bash
# cli_checkpoint.sh — long runs: checkpoints, --resume after --stop-after,
# SIGTERM, SIGKILL and SIGUSR1 (one thread: byte-identical to the
# uninterrupted run, for sg and cbow, ns and hs); damaged, truncated,
# other-version and foreign checkpoints refused; conflicting settings refused
# by name; a changed corpus refused; warm starts (--init-vectors,
# --init-output), --save-output, --save-every-epoch, --update-vocab; and
# --save-vocab left alone when training fails (issue 11, item 9).
# Prints TAP. Usage: cli_checkpoint.sh PATH/TO/w2v
set -u
W2V=${1:?usage: cli_checkpoint.sh W2V_BINARY}
W2V=$(cd "$(dirname "$W2V")" && pwd)/$(basename "$W2V") # the cases run in $DIR
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
cd "$DIR" || exit 1

# expect_refusal NAME STATUS PATTERN ARGS...: exit STATUS, one stderr line
# "w2v: ..." matching PATTERN, no out.vec written.
expect_refusal() {
    local name=$1 want=$2 pattern=$3
    shift 3
    rm -f out.vec
    "$W2V" "$@" >stdout 2>stderr
    local status=$? lines
    lines=$(wc -l <stderr)
    if [ "$status" -eq "$want" ] && [ "$lines" -eq 1 ] && grep -q "^w2v: .*$pattern" stderr &&
        [ ! -e out.vec ] && ! ls out.vec.tmp.* >/dev/null 2>&1; then
        ok "$name"
    else
        not_ok "$name" "exit $status (want $want), $lines lines: $(head -c 300 stderr)"
    fi
}

"$W2V" gen-corpus -o corpus.txt --size 40000w --vocab 400 --groups 4 --group-size 5 --seed 3 -q
BASE=(--train corpus.txt --threads 1 --iter 3 --size 16 --window 3 --negative 3 --min-count 2 --seed 5 --quiet)
TOKENS=$("$W2V" train "${BASE[@]}" --iter 1 --json | sed 's/.*"corpus_words":\([0-9]*\).*/\1/')

# Byte-identical resume: stops right after the start, mid-epoch, and between epochs.
for model in sg cbow; do
    for loss in ns hs; do
        "$W2V" train "${BASE[@]}" --model $model --loss $loss --output full.vec
        for stop in 1w $((TOKENS * 3 / 2))w ${TOKENS}w; do
            rm -f ck res.vec
            "$W2V" train "${BASE[@]}" --model $model --loss $loss --checkpoint ck --stop-after $stop 2>stderr
            status=$?
            "$W2V" train --resume ck --output res.vec --quiet
            if [ $status -eq 3 ] && cmp -s full.vec res.vec; then
                ok "$model/$loss stopped at $stop and resumed: byte-identical"
            else
                not_ok "$model/$loss stopped at $stop and resumed" "first exit $status" "$(cat stderr)"
            fi
        done
    done
done

# A resumed run stopped again and resumed again, checkpointing every 5000 words.
"$W2V" train "${BASE[@]}" --output full.vec
rm -f ck
"$W2V" train "${BASE[@]}" --checkpoint ck --checkpoint-every 5000w --stop-after $((TOKENS / 2))w 2>/dev/null
"$W2V" train --resume ck --checkpoint ck --stop-after $((TOKENS * 2))w 2>/dev/null
"$W2V" train --resume ck --output res.vec --quiet
cmp -s full.vec res.vec && ok "stopped twice, resumed twice: byte-identical" ||
    not_ok "stopped twice, resumed twice"

# The stop's one line says how to resume; nothing but the checkpoint is written.
"$W2V" train "${BASE[@]}" --checkpoint ck2 --stop-after 1000w --output out.vec --save-vocab v.txt 2>stderr
status=$?
if [ $status -eq 3 ] && [ "$(wc -l <stderr)" -eq 1 ] && grep -q "resume with 'w2v train --resume ck2'" stderr &&
    [ -s ck2 ] && [ ! -e out.vec ] && [ ! -e v.txt ]; then
    ok "--stop-after: exit 3, one line naming --resume, only the checkpoint written"
else
    not_ok "--stop-after message" "exit $status: $(cat stderr)"
fi

# SIGTERM at an arbitrary moment: checkpoint, exit 3, and the resumed run is byte-identical.
"$W2V" gen-corpus -o big.txt --size 150000w --vocab 2000 --seed 4 -q
# Long enough (4.5M words) that a signal 0.3 s in still finds it training on a fast, quiet machine.
BIG=(--train big.txt --threads 1 --iter 30 --size 32 --seed 9 --min-count 2)
"$W2V" train "${BIG[@]}" --quiet --output big-full.vec
rm -f ckt
"$W2V" train "${BIG[@]}" --checkpoint ckt --checkpoint-every 1h --output out.vec 2>stderr &
pid=$!
for _ in $(seq 100); do grep -q "^training:" stderr 2>/dev/null && break; sleep 0.05; done
sleep 0.3
kill -TERM $pid
wait $pid
status=$?
if [ $status -eq 3 ] && [ -s ckt ] && [ ! -e out.vec ] && grep -q "stopped by Terminated.*--resume ckt" stderr; then
    ok "SIGTERM: checkpoint written, exit 3, the line says how to resume"
else
    not_ok "SIGTERM" "exit $status: $(tail -3 stderr)"
fi
"$W2V" train --resume ckt --output big-res.vec --quiet
cmp -s big-full.vec big-res.vec && ok "resumed after SIGTERM: byte-identical" ||
    not_ok "resumed after SIGTERM: byte-identical"

# SIGKILL after some checkpoints: resume from the last one, byte-identical.
rm -f ckk
"$W2V" train "${BIG[@]}" --quiet --checkpoint ckk --checkpoint-every 50000w --output killed.vec &
pid=$!
for _ in $(seq 200); do [ -s ckk ] && break; sleep 0.02; done
sleep 0.2
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
"$W2V" train --resume ckk --output big-res2.vec --quiet 2>stderr
if cmp -s big-full.vec big-res2.vec; then
    ok "resumed after SIGKILL: byte-identical"
elif grep -q "nothing to resume" stderr; then
    ok "resumed after SIGKILL: the run had finished (its last checkpoint says so)"
else
    not_ok "resumed after SIGKILL" "$(cat stderr)"
fi

# SIGUSR1: a checkpoint, and training goes on to the end.
rm -f cku
"$W2V" train "${BIG[@]}" --checkpoint cku --checkpoint-every 1h --output usr.vec --json >json 2>stderr &
pid=$!
for _ in $(seq 100); do grep -q "^training:" stderr 2>/dev/null && break; sleep 0.05; done
sleep 0.3
kill -USR1 $pid
wait $pid
status=$?
if [ $status -eq 0 ] && [ -s usr.vec ] && grep -q '"checkpoints":[2-9]' json &&
    grep -q "checkpoint 1: cku at epoch" stderr; then
    ok "SIGUSR1: checkpoint written, training carried on (--json counts it)"
else
    not_ok "SIGUSR1" "exit $status: $(cat json) $(grep checkpoint stderr)"
fi

# Refused checkpoints: one line, exit 1, nothing written.
"$W2V" train "${BASE[@]}" --checkpoint ck --stop-after 10000w 2>/dev/null
size=$(stat -c %s ck)
cp ck damaged && printf 'X' | dd of=damaged bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
expect_refusal "damaged checkpoint refused" 1 "is damaged" train --resume damaged --output out.vec
head -c $((size - 100)) ck >truncated
expect_refusal "truncated checkpoint refused" 1 "truncated" train --resume truncated --output out.vec
cp ck version5 && printf "\005" | dd of=version5 bs=1 seek=8 conv=notrunc 2>/dev/null
expect_refusal "other-version checkpoint refused" 1 "format version 5" train --resume version5 --output out.vec
expect_refusal "a text file is not a checkpoint" 1 "not a w2v checkpoint" train --resume corpus.txt --output out.vec

# Conflicting settings refused by name (usage error); agreeing ones accepted.
expect_refusal "--window differing from the checkpoint refused by name" 2 "--window 4 differs from the checkpoint's 3" \
    train --resume ck --window 4 --output out.vec
expect_refusal "--model differing refused" 2 "--model cbow differs from the checkpoint's sg" \
    train --resume ck --cbow 1 --output out.vec
"$W2V" train --resume ck --window 3 --size 16 --output agree.vec --quiet && [ -s agree.vec ] &&
    ok "settings given again that agree are accepted" || not_ok "agreeing settings accepted"

# Usage errors of the long-run flags (exit 2).
expect_refusal "a malformed --checkpoint-every refused" 2 "is not a duration" \
    train "${BASE[@]}" --checkpoint c3 --checkpoint-every 5x --output out.vec
expect_refusal "--stop-after without --checkpoint refused" 2 "needs --checkpoint" \
    train "${BASE[@]}" --stop-after 10m --output out.vec
expect_refusal "--update-vocab alone refused" 2 "extends the vocabulary of --resume" \
    train "${BASE[@]}" --update-vocab --output out.vec
expect_refusal "--resume with --init-vectors refused" 2 "leave out --init-vectors" \
    train --resume ck --init-vectors corpus.txt --output out.vec

# A changed corpus is refused.
cp corpus.txt moved.txt && echo "one more line of words" >>moved.txt
expect_refusal "changed corpus refused" 1 "has changed since the checkpoint" \
    train --resume ck --train moved.txt --output out.vec
cp corpus.txt same.txt
"$W2V" train --resume ck --train same.txt --output moved.vec --quiet && [ -s moved.vec ] &&
    ok "the same corpus under another path is accepted" || not_ok "the same corpus under another path"

# A prepared corpus (w2v prepare) resumes too: it brings its vocabulary, checked against the checkpoint's.
"$W2V" prepare -q --train corpus.txt --min-count 2 -o corpus.prep
"$W2V" train "${BASE[@]/corpus.txt/corpus.prep}" --output prep-full.vec
rm -f ckp
"$W2V" train "${BASE[@]/corpus.txt/corpus.prep}" --checkpoint ckp --stop-after 50000w 2>/dev/null
"$W2V" train --resume ckp --output prep-res.vec --quiet && cmp -s prep-full.vec prep-res.vec &&
    ok "a prepared corpus stopped and resumed: byte-identical" || not_ok "prepared corpus resumed"

# Other thread counts resume (not byte-identical, but complete).
"$W2V" train --resume ck --threads 2 --output two.vec --quiet && [ "$(head -1 two.vec)" = "$(head -1 full.vec)" ] &&
    ok "a one-thread checkpoint resumes on two threads" || not_ok "resume on two threads"

# --save-vocab is not written when training fails (issue 11, item 9).
expect_refusal "--save-vocab untouched when training fails" 1 "more than the" \
    train "${BASE[@]}" --save-vocab failed-vocab.txt -classes 100000 --output out.vec
[ ! -e failed-vocab.txt ] && ok "no vocabulary file after a failed run" || not_ok "vocabulary file left after a failed run"

# Warm starts.
"$W2V" train "${BASE[@]}" --size 8 --output small.vec
expect_refusal "--init-vectors of another dimension refused" 1 "dimension 8; this training uses --size 16" \
    train "${BASE[@]}" --init-vectors small.vec --output out.vec
"$W2V" train "${BASE[@]}" --output a.vec --save-output a-out.vec
if [ "$(head -1 a-out.vec)" = "$(head -1 a.vec)" ] && ! cmp -s a.vec a-out.vec; then
    ok "--save-output writes the output vectors of every word"
else
    not_ok "--save-output"
fi
"$W2V" train "${BASE[@]}" --init-vectors a.vec --init-output a-out.vec --alpha 1e-9 --iter 1 --output warm.vec
# With a learning rate of 1e-9 nothing moves: the warm start is the start.
if [ "$(sed -n 2p warm.vec)" = "$(sed -n 2p a.vec)" ]; then
    ok "--init-vectors: the words' vectors start from the file"
else
    not_ok "--init-vectors" "$(sed -n 2p warm.vec | head -c 80)" "$(sed -n 2p a.vec | head -c 80)"
fi

# --save-every-epoch: OUTPUT.epoch-N, the last one the final vectors.
"$W2V" train "${BASE[@]}" --output ep.vec --save-every-epoch
if [ -s ep.vec.epoch-1 ] && [ -s ep.vec.epoch-2 ] && cmp -s ep.vec.epoch-3 ep.vec && ! cmp -s ep.vec.epoch-1 ep.vec; then
    ok "--save-every-epoch writes OUTPUT.epoch-N"
else
    not_ok "--save-every-epoch" "$(ls ep.vec*)"
fi

# --update-vocab: continue a finished run's checkpoint on a new corpus with new words.
"$W2V" train "${BASE[@]}" --checkpoint fin --output old.vec
sed 's/^/zzneuword zzneuword /' corpus.txt | head -100 >new.txt
"$W2V" train --resume fin --train new.txt --update-vocab --output upd.vec --iter 1 --quiet
old_words=$(head -1 old.vec | cut -d' ' -f1)
new_words=$(head -1 upd.vec | cut -d' ' -f1)
# A word of the old corpus that the new one lacks keeps its vector exactly.
missing=$(cut -d' ' -f1 old.vec | tail -n +2 | while read -r w; do grep -q -w -- "$w" new.txt || { echo "$w"; break; }; done)
if [ "$new_words" -eq $((old_words + 1)) ] && grep -q "^zzneuword " upd.vec &&
    [ -n "$missing" ] && [ "$(grep "^$missing " upd.vec)" = "$(grep "^$missing " old.vec)" ]; then
    ok "--update-vocab adds the new words and keeps the old words' vectors"
else
    not_ok "--update-vocab" "words $old_words -> $new_words, untouched word '$missing'"
fi
# --init-vectors FILE --update-vocab: FILE's words and the new corpus's.
"$W2V" train --train new.txt --init-vectors old.vec --update-vocab --size 16 --min-count 2 --iter 1 \
    --threads 1 --output vupd.vec --quiet
if [ "$(head -1 vupd.vec | cut -d' ' -f1)" -eq $((old_words + 1)) ] && grep -q "^zzneuword " vupd.vec &&
    [ "$(grep "^$missing " vupd.vec)" = "$(grep "^$missing " old.vec)" ]; then
    ok "--init-vectors --update-vocab: the file's words, the new ones, untouched vectors kept"
else
    not_ok "--init-vectors --update-vocab" "$(head -1 vupd.vec)"
fi
expect_refusal "a finished run has nothing to resume" 1 "nothing to resume" train --resume fin --output out.vec

tap_done
