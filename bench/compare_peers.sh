#!/usr/bin/env bash
# compare_peers.sh — runs w2v and peer word2vec binaries that you built yourself
# (word2vec.c, optionally pWord2Vec) side by side on one corpus with the same
# settings, and prints wall time, words/s and vector quality for each.
#
# This script neither fetches nor builds the peers: pass the paths of binaries
# you already have. words/s for every program is
#   (in-vocabulary corpus words, from w2v's --json line) × iter ÷ wall seconds,
# with wall seconds measured around the whole process (vocabulary build included).
#
# usage: bench/compare_peers.sh --corpus FILE --word2vec PATH [--pword2vec PATH]
#            [--w2v PATH] [--threads N] [--size N] [--window N] [--negative N]
#            [--sample X] [--iter N] [--min-count N]
#            [--analogy QUESTIONS] [--similarity PAIRS] [--keep DIR]
set -euo pipefail

usage() { sed -n '11,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

corpus="" word2vec="" pword2vec="" keep=""
w2v="$(cd "$(dirname "$0")/.." && pwd)/build/src/w2v"
threads=2 size=100 window=5 negative=5 sample=1e-4 iter=3 min_count=5
analogy="" similarity=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --corpus) corpus=$2; shift 2 ;;
        --word2vec) word2vec=$2; shift 2 ;;
        --pword2vec) pword2vec=$2; shift 2 ;;
        --w2v) w2v=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --size) size=$2; shift 2 ;;
        --window) window=$2; shift 2 ;;
        --negative) negative=$2; shift 2 ;;
        --sample) sample=$2; shift 2 ;;
        --iter) iter=$2; shift 2 ;;
        --min-count) min_count=$2; shift 2 ;;
        --analogy) analogy=$2; shift 2 ;;
        --similarity) similarity=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "compare_peers.sh: unknown option '$1'" >&2; usage ;;
    esac
done
[[ -n "$corpus" && -r "$corpus" ]] || { echo "compare_peers.sh: --corpus FILE is required and must be readable" >&2; exit 2; }
[[ -n "$word2vec" && -x "$word2vec" ]] || { echo "compare_peers.sh: --word2vec PATH must be an executable you built" >&2; exit 2; }
[[ -z "$pword2vec" || -x "$pword2vec" ]] || { echo "compare_peers.sh: --pword2vec $pword2vec is not executable" >&2; exit 2; }
[[ -x "$w2v" ]] || { echo "compare_peers.sh: no w2v at $w2v (give --w2v PATH)" >&2; exit 2; }

work="${keep:-$(mktemp -d "${TMPDIR:-/tmp}/compare-peers.XXXXXX")}"
mkdir -p "$work"
[[ -n "$keep" ]] || trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

# Runs "$@" quietly; prints the wall seconds it took.
timed() {
    local start end
    start=$(now)
    "$@" > "$work/stdout.txt" 2> "$work/stderr.txt" || {
        echo "compare_peers.sh: failed: $*" >&2
        tail -5 "$work/stderr.txt" >&2
        exit 1
    }
    end=$(now)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

# Quality of one vectors file: "analogy% rho", "-" where not measured.
quality() {
    local vectors=$1 acc="-" rho="-"
    if "$w2v" eval --help > /dev/null 2>&1; then
        if [[ -n "$analogy" ]]; then
            acc=$("$w2v" eval analogy "$vectors" "$analogy" --restrict 30000 --json |
                  sed -n 's/.*"total": {[^}]*"accuracy": \([-0-9.eE+]*\).*/\1/p')
            [[ -z "$acc" ]] || acc=$(awk -v a="$acc" 'BEGIN { printf "%.2f", a * 100 }')
        fi
        if [[ -n "$similarity" ]]; then
            rho=$("$w2v" eval similarity "$vectors" "$similarity" --json |
                  sed -n 's/.*"spearman": \([-0-9.eE+]*\).*/\1/p' | head -1)
            [[ -z "$rho" ]] || rho=$(awk -v r="$rho" 'BEGIN { printf "%.3f", r }')
        fi
    fi
    echo "${acc:--} ${rho:--}"
}

common=(-size "$size" -window "$window" -negative "$negative" -sample "$sample"
        -iter "$iter" -min-count "$min_count" -threads "$threads")
echo "corpus: $corpus; settings: ${common[*]}; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)" >&2

# w2v first: its JSON line gives the in-vocabulary word count for everyone.
w2v_wall=$(timed "$w2v" train --train "$corpus" --output "$work/w2v.bin" --binary 1 \
           --model sg --loss ns "${common[@]/#-/--}" --json --quiet)
json=$(tail -1 "$work/stdout.txt")
words=$(sed -n 's/.*"corpus_words":\([0-9]*\).*/\1/p' <<< "$json")
w2v_train_rate=$(sed -n 's/.*"words_per_sec":\([0-9.]*\).*/\1/p' <<< "$json")
[[ -n "$words" ]] || { echo "compare_peers.sh: no corpus_words in w2v's JSON: $json" >&2; exit 1; }

rows=()
add_row() { # name wall vectors
    local rate acc rho
    read -r acc rho < <(quality "$3")
    rate=$(awk -v w="$words" -v i="$iter" -v s="$2" 'BEGIN { printf "%.0f", w * i / s }')
    rows+=("$(printf '%-12s %9.2f %12s %9s %8s' "$1" "$2" "$rate" "$acc" "$rho")")
}
add_row "w2v" "$w2v_wall" "$work/w2v.bin"

wc_wall=$(timed "$word2vec" -train "$corpus" -output "$work/word2vec.bin" -binary 1 \
          -cbow 0 -hs 0 "${common[@]}")
add_row "word2vec.c" "$wc_wall" "$work/word2vec.bin"

if [[ -n "$pword2vec" ]]; then
    pw_wall=$(timed "$pword2vec" -train "$corpus" -output "$work/pword2vec.bin" -binary 1 \
              "${common[@]}")
    add_row "pWord2Vec" "$pw_wall" "$work/pword2vec.bin"
fi

echo
echo "in-vocabulary words per epoch: $words; w2v's own training-only rate: $w2v_train_rate words/s"
printf '%-12s %9s %12s %9s %8s\n' program wall_s words/s analogy% rho
printf '%s\n' "${rows[@]}"
