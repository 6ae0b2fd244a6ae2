#!/usr/bin/env bash
# cli_race.sh — bench/race.sh end to end on a small generated corpus, with two
# stand-in peers that are w2v under other names: the order of the runs (seed by
# seed, every program in turn), the seed each one is given, the analogy
# questions common to every run's vocabulary, the warning about word2vec.c's
# one-thread epochs, and one-line refusals. Nothing here is timed.
# Prints TAP. Usage: cli_race.sh PATH/TO/race.sh PATH/TO/w2v
set -u
RACE=${1:?usage: cli_race.sh RACE_SH W2V}
W2V=${2:?usage: cli_race.sh RACE_SH W2V}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

"$W2V" gen-corpus -o "$DIR/corpus.txt" --size 120000w --vocab 1500 --analogies \
    --questions-out "$DIR/questions.txt" --seed 4 --quiet
awk 'NR % 7 == 1 && !/^:/ { print $1 "\t" $2 "\t" 5; print $1 "\t" $3 "\t" 1 }' \
    "$DIR/questions.txt" | head -40 > "$DIR/pairs.tsv"

# A peer that is w2v in word2vec.c's spelling, which logs its name and
# PEER_SEED, and keeps only the first KEEP words of its vectors (KEEP unset:
# all), so that its vocabulary is smaller than the others'.
stub() { # NAME KEEP
    cat > "$DIR/$1" <<STUB
#!/usr/bin/env bash
echo "$1 \$PEER_SEED" >> "$DIR/order"
out=""; args=("\$@")
for ((i = 0; i < \${#args[@]}; i++)); do [[ "\${args[i]}" != -output ]] || out=\${args[i + 1]}; done
"$W2V" "\$@" -seed "\${PEER_SEED:-1}" || exit 1
if [[ -n "$2" ]]; then
    "$W2V" convert "\$out" "\$out.top" --binary 1 --restrict "$2" > /dev/null && mv "\$out.top" "\$out"
    "$W2V" convert "\$out" "$DIR/$1.txt" > /dev/null && awk 'NR > 1 { print \$1 }' "$DIR/$1.txt" > "$DIR/$1.words"
fi
STUB
    chmod +x "$DIR/$1"
}
stub word2vec-stub 600
stub w2v-wrap ""

"$RACE" --corpus "$DIR/corpus.txt" --w2v "$W2V" --peer word2vec-stub="$DIR/word2vec-stub" \
    --peer w2v-wrap="$DIR/w2v-wrap" --configs sg1 --seeds 1,2 --threads 1 \
    --questions "$DIR/questions.txt" --wordsim "$DIR/pairs.tsv" --tsv "$DIR/r.tsv" \
    --keep "$DIR/work" > "$DIR/out.txt" 2> "$DIR/err.txt"
check "race.sh runs three programs over two seeds" test $? -eq 0

printf 'word2vec-stub 1\nw2v-wrap 1\nword2vec-stub 2\nw2v-wrap 2\n' > "$DIR/want-order"
check "runs go seed by seed, every program in turn, each given PEER_SEED" \
    cmp -s "$DIR/order" "$DIR/want-order"

# The common questions: all four words among the stub's 600 words (the other
# runs keep all 1,500, so the stub's list is the intersection).
want=$(awk 'NR == FNR { known[$1] = 1; next } !/^:/ && NF >= 4 && ($1 in known) &&
            ($2 in known) && ($3 in known) && ($4 in known) { n++ } END { print n + 0 }' \
        "$DIR/word2vec-stub.words" "$DIR/questions.txt")
total=$(grep -vc '^:' "$DIR/questions.txt")
got=$(sed -n 's/^sg1: analogy over the \([0-9]*\) questions.*/\1/p' "$DIR/out.txt")
check "every run is scored on the questions common to all ($want of $total)" \
    test -n "$got" -a "$got" = "$want" -a "$want" -gt 0 -a "$want" -lt "$total"

# The last run scored is w2v-wrap's, which knows all 1,500 words: on its own
# it would attempt every question, on the common set exactly $want.
attempted=$(grep -o '"total": {[^}]*}' "$DIR/work/analogy.json" | sed -n 's/.*"attempted": *\([0-9]*\).*/\1/p')
check "a run that knows every word is scored on the common set only" test "$attempted" = "$want"
rows=$(awk -F'\t' 'NR > 1 && $7 ~ /^[0-9]+\.[0-9][0-9]$/ && $8 ~ /^-?[0-9]\.[0-9][0-9][0-9][0-9]$/' "$DIR/r.tsv" | wc -l)
check "six rows, each with an analogy % and a WordSim rho" test "$rows" -eq 6
check "the summary names every program" \
    bash -c "grep -A4 '^summary' '$DIR/out.txt' | grep -c '^sg1 ' | grep -qx 3"
check "no warning at 1 epoch" test ! -s "$DIR/err.txt"

"$RACE" --corpus "$DIR/corpus.txt" --w2v "$W2V" --peer word2vec-stub="$DIR/word2vec-stub" \
    --configs sg3 --seeds 1 --threads 1 > "$DIR/out3.txt" 2> "$DIR/err3.txt"
check "3 epochs without eval files: runs, quality columns '-'" \
    bash -c "[ $? -eq 0 ] && grep -q '^sg3 .*w2v .* -  *-  *-\$' '$DIR/out3.txt'"
check "word2vec.c on 1 thread over 3 epochs is warned about in one line" \
    bash -c "[ \$(wc -l < '$DIR/err3.txt') -eq 1 ] && grep -q 'trains only the first of 3 epochs' '$DIR/err3.txt'"

# A peer that exits 0 but writes no vectors: the common questions cannot be
# made, and race.sh says so in one line instead of scoring on an empty set.
printf '#!/bin/sh\nwhile [ "$1" != -output ]; do shift; done\necho garbage > "$2"\n' > "$DIR/word2vec-broken"
chmod +x "$DIR/word2vec-broken"
expect_exit "unreadable peer vectors stop the race in one line" 1 "a sg1 run's vectors: " \
    "$RACE" --corpus "$DIR/corpus.txt" --w2v "$W2V" --peer word2vec-broken="$DIR/word2vec-broken" \
    --configs sg1 --seeds 1 --threads 1 --questions "$DIR/questions.txt"

expect_exit "unknown configuration refused" 2 "unknown configuration 'sg9'" \
    "$RACE" --corpus "$DIR/corpus.txt" --w2v "$W2V" --configs sg9
expect_exit "--peer without NAME=PATH refused" 2 "--peer wants NAME=PATH" \
    "$RACE" --corpus "$DIR/corpus.txt" --w2v "$W2V" --peer word2vec
expect_exit "a peer whose kind cannot be told refused" 2 "cannot tell what kind" \
    "$RACE" --corpus "$DIR/corpus.txt" --w2v "$W2V" --peer fast="$DIR/w2v-wrap"
expect_exit "missing corpus refused" 2 "--corpus FILE is required" \
    "$RACE" --corpus "$DIR/none.txt" --w2v "$W2V"

tap_done
