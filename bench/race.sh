#!/usr/bin/env bash
# race.sh — races w2v against peer word2vec binaries that you built yourself,
# over issue 14's configurations and several seeds, one process at a time on
# one machine, and prints one row per run and a summary table per
# configuration (median wall seconds, words/s, mean analogy %, WordSim-353 ρ,
# SimLex-999 ρ).
#
# usage: bench/race.sh --corpus FILE [--w2v PATH] [--peer NAME=PATH]... [--args NAME='FLAGS']...
#            [--configs sg3,sg1,sg1-300,hs1,cbow3] [--seeds 1,2,3] [--threads N]
#            [--questions FILE] [--wordsim FILE] [--simlex FILE] [--tsv FILE] [--keep DIR]
#
# Configurations (all: -window 5 -sample 1e-4 -min-count 5 -threads N, default N = 2):
#   sg3      skip-gram, negative 5, dim 100, 3 epochs
#   sg1      skip-gram, negative 5, dim 100, 1 epoch
#   sg1-300  skip-gram, negative 5, dim 300, 1 epoch
#   hs1      skip-gram, hierarchical softmax (-hs 1 -negative 0), dim 100, 1 epoch
#   cbow3    CBOW, negative 5, dim 100, 3 epochs
# Every program gets the same word2vec.c command line (-train ... -cbow C -hs H
# -negative K -size D -iter E ...); w2v is run in that spelling too, so it uses
# word2vec.c's defaults for everything not listed (alpha 0.025 sg, 0.05 CBOW).
# A peer's kind comes from its NAME: word2vec* (word2vec.c: every
# configuration), pword2vec* (Intel's pWord2Vec) and psgnscc* (pSGNScc; gets
# its authors' "-batch-size 11 -C 8 -T 500000" unless --args NAME=... says
# otherwise) run only the skip-gram negative-sampling ones; w2v* names another
# w2v binary (a variant to compare). --args NAME='FLAGS' appends FLAGS to that
# program's command line (for w2v itself: --args w2v='--pin-threads 1').
#
# Seeds: w2v gets -seed S. Stock peers have no seed option (each run of one
# thread repeats the same numbers); the environment variable PEER_SEED=S is set
# for them, for peer builds patched to read it.
#
# words/s = in-vocabulary corpus words (from w2v's --json line) × epochs ÷ wall
# seconds of the whole process (vocabulary, training, writing vectors). Within
# a configuration the runs go seed by seed, every program in turn, so a drift
# in the machine's speed falls on all programs alike. Quality is measured by
# w2v eval: 3CosAdd analogy over the top 30,000 words, and Spearman ρ. Every
# run of a configuration is scored on the same analogy questions: those whose
# four words are in every run's top 30,000 (programs order words of equal count
# differently, so their top 30,000 differ at the edge); the count is printed.
# word2vec.c on 1 thread trains only its first epoch (it never resets its
# end-of-file flag), so race.sh warns when asked for that. This script neither
# fetches nor builds peers. The machine should be otherwise idle for the times
# to mean much.
set -euo pipefail

die() { echo "race.sh: $*" >&2; exit 2; }
usage() { sed -n '8,10p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

corpus="" questions="" wordsim="" simlex="" tsv="" keep=""
w2v="$(cd "$(dirname "$0")/.." && pwd)/build/src/w2v"
configs="sg3,sg1,sg1-300,hs1,cbow3" seeds="1,2,3" threads=2
names=() paths=()
declare -A extra=()
while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 || "$1" == -h || "$1" == --help ]] || die "option '$1' needs a value"
    case "$1" in
        --corpus) corpus=$2 ;;
        --w2v) w2v=$2 ;;
        --peer)
            [[ "$2" == ?*=?* ]] || die "--peer wants NAME=PATH, got '$2'"
            names+=("${2%%=*}") paths+=("${2#*=}") ;;
        --args)
            [[ "$2" == ?*=* ]] || die "--args wants NAME='FLAGS', got '$2'"
            extra[${2%%=*}]=${2#*=} ;;
        --configs) configs=$2 ;;
        --seeds) seeds=$2 ;;
        --threads) threads=$2 ;;
        --questions) questions=$2 ;;
        --wordsim) wordsim=$2 ;;
        --simlex) simlex=$2 ;;
        --tsv) tsv=$2 ;;
        --keep) keep=$2 ;;
        -h | --help) usage 0 ;;
        *) die "unknown option '$1'" ;;
    esac
    shift 2
done
[[ -n "$corpus" && -r "$corpus" ]] || die "--corpus FILE is required and must be readable"
[[ -x "$w2v" ]] || die "no w2v at $w2v (give --w2v PATH)"
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "--threads wants a positive integer, got '$threads'"
[[ "$seeds" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--seeds wants a list like 1,2,3, got '$seeds'"
for f in "$questions" "$wordsim" "$simlex"; do [[ -z "$f" || -r "$f" ]] || die "cannot read '$f'"; done
for i in "${!paths[@]}"; do
    [[ -x "${paths[$i]}" ]] || die "--peer ${names[$i]}: '${paths[$i]}' is not an executable"
done
names=(w2v "${names[@]}") paths=("$w2v" "${paths[@]}")

# kind NAME -> w2v | word2vec | pword2vec | psgnscc (from the name's prefix)
kind() {
    local lower=${1,,}
    case "$lower" in
        w2v*) echo w2v ;; word2vec*) echo word2vec ;; pword2vec*) echo pword2vec ;;
        psgnscc*) echo psgnscc ;; *) die "cannot tell what kind of program '$1' is (name it word2vec*, pword2vec*, psgnscc* or w2v*)" ;;
    esac
}
for n in "${names[@]}"; do kind "$n" > /dev/null; done

# config NAME -> "cbow hs negative size iter"
config_flags() {
    case "$1" in
        sg3) echo "0 0 5 100 3" ;; sg1) echo "0 0 5 100 1" ;; sg1-300) echo "0 0 5 300 1" ;;
        hs1) echo "0 1 0 100 1" ;; cbow3) echo "1 0 5 100 3" ;;
        *) die "unknown configuration '$1' (sg3, sg1, sg1-300, hs1, cbow3)" ;;
    esac
}
IFS=, read -r -a config_list <<< "$configs"
IFS=, read -r -a seed_list <<< "$seeds"
for c in "${config_list[@]}"; do config_flags "$c" > /dev/null; done

work="${keep:-$(mktemp -d "${TMPDIR:-/tmp}/race.XXXXXX")}"
mkdir -p "$work"
[[ -n "$keep" ]] || trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
printf 'config\tprogram\tseed\tthreads\twall_s\twords_per_s\tanalogy\twordsim\tsimlex\n' > "$results"

now() { date +%s.%N; }

# In-vocabulary words per epoch, from one short w2v run's JSON (min-count 5).
words=$("$w2v" train --train "$corpus" --output "$work/count.bin" --binary 1 --iter 1 --size 4 \
        --threads "$threads" --min-count 5 --json --quiet | sed -n 's/.*"corpus_words":\([0-9]*\).*/\1/p')
[[ -n "$words" ]] || { echo "race.sh: w2v gave no corpus_words for $corpus" >&2; exit 1; }

# json_number KEY FILE: the first number after "KEY": in FILE ("-" if none or null).
json_number() {
    local v
    v=$(grep -o "\"$1\": *[-0-9.eE+]*" "$2" | head -1 | sed 's/.*: *//') || true
    echo "${v:--}"
}

# common_questions OUT VECTORS... : writes to OUT the analogy questions (and the
# ': section' lines) whose four words are among the first 30,000 words of every
# VECTORS file, ASCII case ignored as w2v eval does; prints how many there are.
# Programs break ties in word counts differently, so their top 30,000 differ
# at the edge and each would otherwise be scored on its own set of questions.
common_questions() {
    local out=$1 f
    shift
    : > "$work/common.words"
    for f in "$@"; do
        "$w2v" convert "$f" "$work/top.txt" --restrict 30000 > /dev/null 2> "$work/convert.err" || return 1
        awk 'NR > 1 { print tolower($1) }' "$work/top.txt" | sort -u > "$work/top.words"
        if [[ "$f" == "$1" ]]; then mv "$work/top.words" "$work/common.words"
        else comm -12 "$work/common.words" "$work/top.words" > "$work/both.words"
             mv "$work/both.words" "$work/common.words"; fi
    done
    rm -f "$work/top.txt"
    awk -v out="$out" 'NR == FNR { known[$1] = 1; next }
        /^:/ { print > out; next }
        NF >= 4 && (tolower($1) in known) && (tolower($2) in known) && (tolower($3) in known) &&
            (tolower($4) in known) { print > out; kept++ }
        END { print kept + 0 }' "$work/common.words" "$questions"
}

quality() { # vectors questions -> "analogy wordsim simlex"
    local acc="-" ws="-" sl="-"
    if [[ -n "$questions" ]]; then
        "$w2v" eval analogy "$1" "$2" --restrict 30000 --json > "$work/analogy.json"
        grep -o '"total": {[^}]*}' "$work/analogy.json" > "$work/total.json" || true
        acc=$(json_number accuracy "$work/total.json")
        [[ "$acc" == - ]] || acc=$(awk -v a="$acc" 'BEGIN { printf "%.2f", a * 100 }')
    fi
    if [[ -n "$wordsim" ]]; then
        "$w2v" eval similarity "$1" "$wordsim" --json > "$work/ws.json"
        ws=$(json_number spearman "$work/ws.json")
        [[ "$ws" == - ]] || ws=$(awk -v r="$ws" 'BEGIN { printf "%.4f", r }')
    fi
    if [[ -n "$simlex" ]]; then
        "$w2v" eval similarity "$1" "$simlex" --json > "$work/sl.json"
        sl=$(json_number spearman "$work/sl.json")
        [[ "$sl" == - ]] || sl=$(awk -v r="$sl" 'BEGIN { printf "%.4f", r }')
    fi
    echo "$acc $ws $sl"
}

echo "corpus: $corpus ($words in-vocabulary words); threads $threads; seeds $seeds;$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
printf '%-8s %-14s %4s %3s %9s %11s %8s %8s %8s\n' config program seed thr wall_s words/s analogy wordsim simlex
declare -A wall_of=()
for c in "${config_list[@]}"; do
    read -r cbow hs negative size iter <<< "$(config_flags "$c")"
    wall_of=()
    # Seed by seed, every program in turn, so that a drift in the machine's
    # speed falls on all of them alike; the vectors are kept until all are done.
    runs=()
    for seed in "${seed_list[@]}"; do
        for i in "${!names[@]}"; do
            name=${names[$i]} path=${paths[$i]} k=$(kind "${names[$i]}")
            if [[ "$k" == pword2vec || "$k" == psgnscc ]] && [[ "$cbow" == 1 || "$hs" == 1 ]]; then continue; fi
            if [[ "$k" == word2vec && "$threads" == 1 && "$iter" -gt 1 && "$seed" == "${seed_list[0]}" ]]; then
                echo "race.sh: warning: $name on 1 thread trains only the first of $iter epochs (word2vec.c never resets its end-of-file flag between epochs on one thread)" >&2
            fi
            flags=${extra[$name]-}
            [[ "$k" != psgnscc || -v "extra[$name]" ]] || flags="-batch-size 11 -C 8 -T 500000"
            out="$work/$c.$name.$seed.bin"
            cmd=("$path" -train "$corpus" -output "$out" -binary 1 -cbow "$cbow" -hs "$hs"
                 -negative "$negative" -size "$size" -window 5 -sample 1e-4 -iter "$iter"
                 -min-count 5 -threads "$threads")
            [[ "$k" != w2v ]] || cmd+=(-seed "$seed")
            # shellcheck disable=SC2206 # FLAGS are words on purpose
            [[ -z "$flags" ]] || cmd+=($flags)
            start=$(now)
            if ! PEER_SEED=$seed "${cmd[@]}" > "$work/stdout.txt" 2> "$work/stderr.txt"; then
                echo "race.sh: failed: ${cmd[*]}" >&2
                tail -3 "$work/stderr.txt" >&2
                exit 1
            fi
            wall_of[$name.$seed]=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
            runs+=("$name $seed")
        done
    done
    questions_used=""
    if [[ -n "$questions" ]]; then
        questions_used="$work/questions.$c.txt"
        files=()
        for run in "${runs[@]}"; do read -r name seed <<< "$run"; files+=("$work/$c.$name.$seed.bin"); done
        count=$(common_questions "$questions_used" "${files[@]}") ||
            { echo "race.sh: a $c run's vectors: $(head -1 "$work/convert.err")" >&2; exit 1; }
        echo "$c: analogy over the $count questions whose words are in every run's top 30,000"
    fi
    for name in "${names[@]}"; do
        for seed in "${seed_list[@]}"; do
            [[ -v "wall_of[$name.$seed]" ]] || continue
            out="$work/$c.$name.$seed.bin"
            wall=${wall_of[$name.$seed]}
            rate=$(awk -v w="$words" -v i="$iter" -v s="$wall" 'BEGIN { printf "%.0f", w * i / s }')
            read -r acc ws sl <<< "$(quality "$out" "$questions_used")"
            rm -f "$out"
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$name" "$seed" "$threads" "$wall" \
                "$rate" "$acc" "$ws" "$sl" >> "$results"
            printf '%-8s %-14s %4s %3s %9s %11s %8s %8s %8s\n' "$c" "$name" "$seed" "$threads" \
                "$wall" "$rate" "$acc" "$ws" "$sl"
        done
    done
done

# Summary: per configuration and program, the median wall time and the mean quality.
echo
echo "summary (median wall s and words/s; mean quality over seeds):"
awk -F'\t' '
NR == 1 { next }
{
    key = $1 SUBSEP $2
    if (!(key in n)) order[++keys] = key
    n[key]++; wall[key, n[key]] = $5; rate[key, n[key]] = $6
    if ($7 != "-") { acc[key] += $7; na[key]++ }
    if ($8 != "-") { ws[key] += $8; nw[key]++ }
    if ($9 != "-") { sl[key] += $9; ns[key]++ }
}
function median(arr, key, count,   i, j, t, v) {
    for (i = 1; i <= count; i++) v[i] = arr[key, i] + 0
    for (i = 2; i <= count; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2
}
function mean(sum, key, count, fmt) { return count[key] ? sprintf(fmt, sum[key] / count[key]) : "-" }
BEGIN { printf "%-8s %-14s %5s %9s %11s %8s %8s %8s\n", "config", "program", "runs", "wall_s", "words/s", "analogy", "wordsim", "simlex" }
END {
    for (k = 1; k <= keys; k++) {
        key = order[k]; split(key, part, SUBSEP)
        printf "%-8s %-14s %5d %9.2f %11.0f %8s %8s %8s\n", part[1], part[2], n[key],
               median(wall, key, n[key]), median(rate, key, n[key]),
               mean(acc, key, na, "%.2f"), mean(ws, key, nw, "%.4f"), mean(sl, key, ns, "%.4f")
    }
}' "$results"
[[ -z "$tsv" ]] || cp "$results" "$tsv"
