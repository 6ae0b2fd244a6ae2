#!/usr/bin/env bash
# cli_mpi.sh — `mpirun -np N w2v train` end to end (issue 12), when this build has
# MPI and mpirun is installed: a planted-structure corpus is recovered as well as
# by one process, the vocabulary is the single process's, rank 0 alone writes
# the output (once, no temporaries left), and a rank that meets a bad input or a
# different corpus makes the whole job fail with one message naming it.
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
if [ $ST -ne 0 ] && grep -q 'different vocabularies or corpora' "$DIR/err" && [ ! -e "$DIR/diff.vec" ]; then
    ok "ranks reading different corpora are refused, no output"
else not_ok "ranks reading different corpora are refused" "exit $ST" "$(head -c 400 "$DIR/err")"; fi

# What a distributed run cannot do yet is a usage error, not a hang.
"${MPIRUN[@]}" -np 2 "$W2V" "${TRAIN[@]}" --train "$DIR/c.txt" --checkpoint "$DIR/ck" \
    >"$DIR/out" 2>"$DIR/err"
ST=$?
if [ $ST -ne 0 ] && grep -q -- '--checkpoint and --resume do not work under mpirun' "$DIR/err"; then
    ok "--checkpoint under mpirun is refused"
else not_ok "--checkpoint under mpirun is refused" "exit $ST" "$(head -c 400 "$DIR/err")"; fi

tap_done
