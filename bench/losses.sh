#!/usr/bin/env bash
# bench/losses.sh — speed and quality of the three losses on one corpus.
#
#   bench/losses.sh [CORPUS]            (default /tmp/real-en.txt)
#
# Trains skip-gram (MODEL=cbow for CBOW) for 1 epoch with 2 threads, --size 100
# --window 5 --sample 1e-4 --min-count 5, with negative sampling (negative 5),
# hierarchical softmax and the exact softmax, and prints words/sec (the
# trainer's --json "words_per_sec") with analogy accuracy (questions-words.txt,
# top 30,000 words, 3CosAdd) and Spearman rho on WordSim-353 and SimLex-999
# from `w2v eval`.
#
# The exact softmax costs O(V) per prediction (V ≈ 59k words on real-en.txt),
# so it trains on the first SOFTMAX_BYTES bytes of the corpus (default 400000)
# with the FULL corpus's vocabulary (--read-vocab), so its words/sec is
# measured at the real V and extrapolates to the whole corpus; its quality
# figures come from that prefix only and are not comparable with the others.
#
# Environment: W2V (the binary, default build/src/w2v), OUT (work folder,
# default /tmp/w2v-bench-losses), EVAL_DIR (default /work/shared/data/eval),
# MODEL (sg|cbow), THREADS (2), SOFTMAX_BYTES.
set -euo pipefail

corpus=${1:-/tmp/real-en.txt}
w2v=${W2V:-build/src/w2v}
out=${OUT:-/tmp/w2v-bench-losses}
eval_dir=${EVAL_DIR:-/work/shared/data/eval}
model=${MODEL:-sg}
threads=${THREADS:-2}
softmax_bytes=${SOFTMAX_BYTES:-400000}
mkdir -p "$out"
[ -r "$corpus" ] || { echo "losses.sh: cannot read corpus $corpus" >&2; exit 1; }

common=(--model "$model" --iter 1 --threads "$threads" --size 100 --window 5 --sample 1e-4
        --min-count 5 --quiet --json)

json_field() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# run NAME CORPUS [train flags...]: trains, evaluates, appends one table row.
run() {
    local name=$1 text=$2; shift 2
    local vectors="$out/$name.txt"
    local json
    json=$("$w2v" train --train "$text" --output "$vectors" "${common[@]}" "$@")
    echo "$json" > "$out/$name.json"
    local wps words vocab loss seconds
    wps=$(echo "$json" | json_field 'd["words_per_sec"]')
    words=$(echo "$json" | json_field 'd["corpus_words"]')
    vocab=$(echo "$json" | json_field 'd["vocab_size"]')
    loss=$(echo "$json" | json_field 'd["final_loss"]')
    seconds=$(echo "$json" | json_field 'd["train_seconds"]')
    local analogy ws sl
    analogy=$("$w2v" eval analogy "$vectors" "$eval_dir/questions-words.txt" --restrict 30000 \
        --json | json_field '"%.4f (%d/%d)" % (d["total"]["accuracy"], d["total"]["correct"], d["total"]["attempted"])')
    read -r ws sl < <("$w2v" eval similarity "$vectors" "$eval_dir/wordsim353.tsv" \
        "$eval_dir/simlex999.txt" --json |
        json_field '"%.4f %.4f" % (d["results"][0]["spearman"], d["results"][1]["spearman"])')
    printf '| %-8s | %9s | %6s | %9.1f | %8.2f | %9.4f | %-20s | %7s | %7s |\n' \
        "$name" "$words" "$vocab" "$wps" "$seconds" "$loss" "$analogy" "$ws" "$sl"
}

echo "corpus $corpus, $model, 1 epoch, $threads threads, dim 100, window 5, sample 1e-4, min-count 5"
echo "$("$w2v" --version)"
echo
echo "| loss     |     words |  vocab | words/sec | train s  | mean loss | analogy (top 30k)    | WS353 ρ | SL999 ρ |"
echo "|----------|-----------|--------|-----------|----------|-----------|----------------------|---------|---------|"
run ns "$corpus" --loss ns --negative 5 --save-vocab "$out/vocab.txt"
run hs "$corpus" --loss hs
head -c "$softmax_bytes" "$corpus" > "$out/prefix.txt"
run softmax "$out/prefix.txt" --loss softmax --read-vocab "$out/vocab.txt"
full_words=$(json_field 'd["corpus_words"]' < "$out/ns.json")
softmax_wps=$(json_field 'd["words_per_sec"]' < "$out/softmax.json")
echo
echo "softmax: trained on the first $softmax_bytes bytes with the full vocabulary; at" \
     "$softmax_wps words/sec one epoch of all $full_words words would take about" \
     "$(/usr/bin/python3 -c "print(round($full_words / $softmax_wps / 3600, 1))") hours" \
     "(extrapolated, not measured). Its quality columns are from the prefix only."
