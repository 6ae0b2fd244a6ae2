#!/usr/bin/env bash
# cli_mpi.sh — `mpirun -np N w2v train` end to end (issue 12), when this build has
# MPI and mpirun is installed: a planted-structure corpus is recovered as well as
# by one process, the vocabulary is the single process's, rank 0 alone writes
# the output (once, no temporaries left), and a rank that meets a bad input or a
# different corpus makes the whole job fail with one message naming it; and
# checkpoints: --stop-after and SIGTERM stop every rank at one checkpoint that
# rank 0 writes, a resume under -np 2 trains to the end as well as one process,
# and damaged, other-rank-count and unwritable checkpoints fail with one line.
# Usage: cli_mpi.sh W2V
W2V=$1
source "$(dirname "$0")/tap.sh"

if ! command -v mpirun >/dev/null || ! "$W2V" --version | grep -q "mpi: yes"; then
    echo "1..0 # SKIP w2v is built without MPI or mpirun is missing"
    exit 0
fi
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)
export OMPI_MCA_btl=self,vader,tcp # loopback only; no InfiniBand probing in CI

"$W2V" gen-corpus -o "$DIR/c.txt" --size 3M --vocab 2000 --analogies \
    --questions-out "$DIR/q.txt" --quiet
"$W2V" gen-corpus -o "$DIR/other.txt" --size 1M --vocab 2000 --seed 7 --quiet
TRAIN=(train --threads 1 --iter 3 --quiet --sync-every 5000) # a tiny corpus: sync often

accuracy() { # VECTORS -> the total analogy accuracy in percent (integer part)
    "$W2V" eval analogy "$1" "$DIR/q.txt" 2>/dev/null | awk '/total/ {sub("%", "", $5); print int($5)}'
}

"$W2V" train --train "$DIR/c.txt" --output "$DIR/one.vec" --threads 2 --iter 3 --quiet \
    --save-vocab "$DIR/one.vocab"
ONE=$(accuracy "$DIR/one.vec")
VOCAB_LINES=$(wc -l <"$DIR/one.vocab")

for NP in 2 3; do
    OUT="$DIR/np$NP"
    mkdir -p "$OUT"
    "${MPIRUN[@]}" -np $NP "$W2V" "${TRAIN[@]}" --train "$DIR/c.txt" --output "$OUT/v.vec" \
        --save-vocab "$OUT/v.vocab" --json >"$OUT/stdout" 2>"$OUT/stderr"
    ST=$?
    if [ $ST -eq 0 ]; then ok "-np $NP trains (exit 0)"; else not_ok "-np $NP trains" "exit $ST" "$(head -c 400 "$OUT/stderr")"; fi
    if cmp -s "$DIR/one.vocab" "$OUT/v.vocab"; then ok "-np $NP: the vocabulary is the single process's"
    else not_ok "-np $NP: the vocabulary is the single process's"; fi
    LINES=$(wc -l <"$OUT/v.vec" 2>/dev/null || echo 0)
    LEFT=$(ls "$OUT" | grep -c '\.tmp\.')
    if [ "$LINES" -eq $((VOCAB_LINES + 1)) ] && [ "$LEFT" -eq 0 ]; then
        ok "-np $NP: one complete output file, no temporaries"
    else not_ok "-np $NP: one complete output file" "lines $LINES (want $((VOCAB_LINES + 1))), temporaries $LEFT"; fi
    JSON=$(grep -c '"ranks":'$NP "$OUT/stdout")
    if [ "$JSON" -eq 1 ]; then ok "-np $NP: rank 0 alone reports (--json once, ranks $NP)"
    else not_ok "-np $NP: --json once" "$JSON lines with ranks $NP"; fi
    ACC=$(accuracy "$OUT/v.vec")
    if [ -n "$ACC" ] && [ "$ACC" -ge 80 ] && [ "$ACC" -ge $((ONE - 10)) ]; then
        ok "-np $NP recovers the planted analogies as one process does ($ACC% vs $ONE%)"
    else not_ok "-np $NP recovers the planted analogies" "accuracy '$ACC'% against one process's $ONE%"; fi
done

# One rank's input is missing: the job fails, one message names rank 1, no output.
"${MPIRUN[@]}" -np 1 "$W2V" "${TRAIN[@]}" --train "$DIR/c.txt" --output "$DIR/bad.vec" : \
    -np 1 "$W2V" "${TRAIN[@]}" --train "$DIR/missing.txt" --output "$DIR/bad.vec" \
    >"$DIR/out" 2>"$DIR/err"
ST=$?
MESSAGES=$(grep -c '^w2v:' "$DIR/err")
if [ $ST -ne 0 ] && [ "$MESSAGES" -eq 1 ] && grep -q '^w2v: rank 1: .*missing.txt' "$DIR/err" &&
    [ ! -e "$DIR/bad.vec" ] && [ "$(ls "$DIR" | grep -c '\.tmp\.')" -eq 0 ]; then
    ok "a rank with a missing corpus fails the job: one message naming rank 1, no output"
else not_ok "a rank with a missing corpus fails the job cleanly" "exit $ST, $MESSAGES messages" "$(head -c 400 "$DIR/err")"; fi

# The ranks read different corpora: refused before training.
"${MPIRUN[@]}" -np 1 "$W2V" "${TRAIN[@]}" --train "$DIR/c.txt" --output "$DIR/diff.vec" : \
    -np 1 "$W2V" "${TRAIN[@]}" --train "$DIR/other.txt" --output "$DIR/diff.vec" \
    >"$DIR/out" 2>"$DIR/err"
ST=$?
if [ $ST -ne 0 ] && grep -q "different vocabularies, corpora" "$DIR/err" && [ ! -e "$DIR/diff.vec" ]; then
    ok "ranks reading different corpora are refused, no output"
else not_ok "ranks reading different corpora are refused" "exit $ST" "$(head -c 400 "$DIR/err")"; fi

# Checkpoints (issue 12 with issue 10): every 200000 words of the job, stopped
# by --stop-after (the same decision on every rank), resumed under -np 2.
CK=(--checkpoint "$DIR/ck" --checkpoint-every 200000w)
"${MPIRUN[@]}" -np 2 "$W2V" "${TRAIN[@]}" --train "$DIR/c.txt" --output "$DIR/stopped.vec" \
    "${CK[@]}" --stop-after 1000000w >"$DIR/out" 2>"$DIR/err"
ST=$?
if [ $ST -ne 0 ] && [ "$(grep -c '^w2v:' "$DIR/err")" -eq 1 ] &&
    grep -q "resume with 'mpirun -np 2 w2v train --resume $DIR/ck'" "$DIR/err" && [ -s "$DIR/ck" ] &&
    [ ! -e "$DIR/stopped.vec" ] && [ "$(ls "$DIR" | grep -c '\.tmp\.')" -eq 0 ]; then
    ok "-np 2 --stop-after: one line from rank 0 naming mpirun -np 2, only the checkpoint written"
else not_ok "-np 2 --stop-after" "exit $ST" "$(head -c 600 "$DIR/err")"; fi
cp "$DIR/ck" "$DIR/ck.np2"
"${MPIRUN[@]}" -np 2 "$W2V" train --resume "$DIR/ck" "${CK[@]}" --output "$DIR/resumed.vec" \
    --json --quiet >"$DIR/out" 2>"$DIR/err"
ST=$?
ACC=$(accuracy "$DIR/resumed.vec")
LINES=$(wc -l <"$DIR/resumed.vec" 2>/dev/null || echo 0)
if [ $ST -eq 0 ] && [ "$LINES" -eq $((VOCAB_LINES + 1)) ] && grep -q '"sync_every":5000' "$DIR/out" &&
    [ -n "$ACC" ] && [ "$ACC" -ge 80 ] && [ "$ACC" -ge $((ONE - 10)) ]; then
    ok "resumed under -np 2 (the checkpoint's --sync-every): trains to the end, analogies as one process ($ACC% vs $ONE%)"
else not_ok "resumed under -np 2" "exit $ST, $LINES lines, accuracy '$ACC'% vs $ONE%" "$(head -c 600 "$DIR/err")"; fi

# SIGTERM to every rank, as a batch system delivers it (SLURM's slurmstepd signals each
# task): a checkpoint of the job, exit non-zero, one line. The ranks are signalled
# directly, not through mpirun: whether and when Open MPI's mpirun forwards a SIGTERM
# depends on how it was started (from a non-interactive shell it did not, in 25 s).
rm -f "$DIR/ckt"
"${MPIRUN[@]}" -np 2 "$W2V" train --threads 1 --iter 40 --sync-every 5000 --train "$DIR/c.txt" \
    --output "$DIR/t.vec" --checkpoint "$DIR/ckt" --checkpoint-every 1h >"$DIR/out" 2>"$DIR/err" &
PID=$!
for _ in $(seq 300); do # until rank 0 says it trains (graceful stops are on), at most 30 s
    grep -q '^training:' "$DIR/err" && break
    sleep 0.1
done
sleep 0.5
RANKS=$(cat /proc/$PID/task/*/children 2>/dev/null) # mpirun forks the ranks on one node
if [ -n "$RANKS" ]; then kill -TERM $RANKS; else kill -TERM $PID; fi
wait $PID
ST=$?
if [ $ST -ne 0 ] && [ "$(grep -c '^w2v:' "$DIR/err")" -eq 1 ] &&
    grep -q "stopped by .*resume with 'mpirun -np 2 w2v train --resume" "$DIR/err" && [ -s "$DIR/ckt" ] &&
    [ ! -e "$DIR/t.vec" ]; then
    ok "SIGTERM to the ranks: every rank stops at one checkpoint, one line from rank 0"
else not_ok "SIGTERM to the ranks" "exit $ST" "$(head -c 600 "$DIR/err")"; fi

# expect_job_refusal NAME PATTERN NP ARGS...: non-zero exit, one "w2v:" line matching PATTERN, no output.
expect_job_refusal() {
    local name=$1 pattern=$2 np=$3
    shift 3
    rm -f "$DIR/no.vec"
    if [ "$np" -gt 0 ]; then
        "${MPIRUN[@]}" -np "$np" "$W2V" "$@" --output "$DIR/no.vec" >"$DIR/out" 2>"$DIR/err"
    else
        "$W2V" "$@" --output "$DIR/no.vec" >"$DIR/out" 2>"$DIR/err"
    fi
    local st=$? lines
    lines=$(grep -c '^w2v:' "$DIR/err")
    if [ $st -ne 0 ] && [ "$lines" -eq 1 ] && grep -q "^w2v: .*$pattern" "$DIR/err" &&
        [ ! -e "$DIR/no.vec" ] && [ "$(ls "$DIR" | grep -c '\.tmp\.')" -eq 0 ]; then
        ok "$name"
    else not_ok "$name" "exit $st, $lines lines" "$(head -c 600 "$DIR/err")"; fi
}
cp "$DIR/ck.np2" "$DIR/damaged"
printf '\377' | dd of="$DIR/damaged" bs=1 seek=5000 conv=notrunc 2>/dev/null
expect_job_refusal "a damaged checkpoint is refused under mpirun: one line" "damaged" 2 \
    train --resume "$DIR/damaged"
expect_job_refusal "a -np 2 checkpoint under -np 3 is refused naming both counts" \
    "written by 2 ranks; this job has 3: resume it with mpirun -np 2" 3 train --resume "$DIR/ck.np2"
expect_job_refusal "a -np 2 checkpoint without mpirun is refused" \
    "written by 2 ranks; this job has 1" 0 train --resume "$DIR/ck.np2"
"$W2V" "${TRAIN[@]}" --train "$DIR/c.txt" --checkpoint "$DIR/ck.one" --stop-after 100000w 2>/dev/null
expect_job_refusal "a one-process checkpoint under mpirun is refused" \
    "written by one process; this job has 2 ranks" 2 train --resume "$DIR/ck.one"
expect_job_refusal "an unwritable --checkpoint fails the job before training: one line" \
    "rank 0: .*no-such-dir" 2 "${TRAIN[@]}" --train "$DIR/c.txt" --checkpoint "$DIR/no-such-dir/ck"

tap_done
