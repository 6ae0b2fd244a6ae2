#!/usr/bin/env bash
# cli_queries.sh — the query commands as gensim and word2vec.c users write them
# (neighbours --positive/--negative, odd-one-out, similarity, EXIT, missing
# words named), `w2v convert`, and "did you mean" for a misspelt option; on
# small hand-written vector files whose answers are known.
# Prints TAP. Usage: cli_queries.sh PATH/TO/w2v
set -u
W2V=${1:?usage: cli_queries.sh W2V}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# run ARGS...: w2v's stdout in $DIR/out, stderr in $DIR/err, exit status in $ST.
run() {
    "$W2V" "$@" >"$DIR/out" 2>"$DIR/err"
    ST=$?
}
# check NAME CONDITION: ok if the shell condition holds, else the output so far.
check() {
    if eval "$2"; then ok "$1"; else not_ok "$1" "exit $ST; stdout: $(head -c 300 "$DIR/out")" "stderr: $(head -c 300 "$DIR/err")"; fi
}
# Helpers for conditions: the first column of lines 2.., the error line.
words() { awk 'NR > 1 { print $1 }' "$1" | tr '\n' ' '; }
err_is() { [ "$(wc -l <"$DIR/err")" -eq 1 ] && grep -q -- "$1" "$DIR/err"; }

# 2-d: king - man + woman points at queen; apple and car are elsewhere.
V=$DIR/v.txt
cat >"$V" <<'VEC'
6 2
man 2 0
king 3 3
woman 0 5
queen 0.1 1
apple -1 -0.2
car 1 -1
VEC

# gensim's rule computed here: the mean of +u(king) +u(woman) -u(man), cosine to each other unit row.
expected=$(awk 'NR > 1 { n = sqrt($2 * $2 + $3 * $3); x[$1] = $2 / n; y[$1] = $3 / n; w[NR] = $1 }
    END { qx = (x["king"] + x["woman"] - x["man"]) / 3; qy = (y["king"] + y["woman"] - y["man"]) / 3
          q = sqrt(qx * qx + qy * qy)
          for (i = 2; i <= NR; i++) { v = w[i]; if (v != "king" && v != "woman" && v != "man")
              printf "%s %.4f\n", v, (x[v] * qx + y[v] * qy) / q } }' "$V" | sort -k2,2gr)
ranking() { awk 'NR > 1 { print $1, $2 }' "$DIR/out"; }
run neighbours "$V" --positive king woman --negative man -k 3
check "--positive/--negative ranks as gensim's most_similar" '[ "$(ranking)" = "$expected" ]'
check "--positive/--negative: queen first, the query words excluded" \
    '[ "$(words "$DIR/out")" = "queen apple car " ] && grep -qx "king + woman - man:" "$DIR/out"'
run neighbours "$V" --positive=king --positive woman --negative=man -k 3
check "--positive=WORD and repeated flags: the same answer" '[ "$(ranking)" = "$expected" ]'
run neighbours "$V" king -k 1
check "plain 'neighbours VECTORS WORD' still works" '[ $ST -eq 0 ] && grep -q "^  queen " "$DIR/out"'
run neighbours "$V" king --positive man
check "WORDs with --positive: usage error 2" '[ $ST -eq 2 ] && err_is "not both"'

run odd-one-out "$V" man king queen apple woman
check "odd-one-out picks the planted outlier" '[ $ST -eq 0 ] && [ "$(cat "$DIR/out")" = apple ]'
run odd-one-out "$V" man king
check "odd-one-out with 2 words: usage error 2" '[ $ST -eq 2 ] && err_is "at least 3 words"'

run similarity "$V" man king woman queen
check "similarity prints the known cosines" \
    '[ "$(cat "$DIR/out")" = "$(printf "man king 0.707107\nwoman queen 0.995037")" ]'
run similarity "$V" man
check "similarity with 1 word: usage error 2" '[ $ST -eq 2 ] && err_is "expected 2 words"'

run similarity "$V" < <(printf 'man king\nEXIT\nwoman queen\n')
check "EXIT ends an interactive session" '[ $ST -eq 0 ] && [ "$(cat "$DIR/out")" = "man king 0.707107" ]'
run analogy "$V" -k 1 < <(printf 'man king woman\nEXIT\nman king apple\n')
check "analogy: EXIT ends the session" '[ "$(grep -c " : " "$DIR/out")" -eq 1 ]'
run similarity "$V" < <(printf 'qwzx man\nwoman queen\n')
check "interactive: a missing word is named and the session goes on" \
    '[ $ST -eq 0 ] && err_is "^w2v: '"'qwzx'"' is not in the vocabulary" && grep -q "^woman queen" "$DIR/out"'
for cmd in "neighbours $V qwzx" "analogy $V man qwzx woman" "similarity $V man qwzx" \
    "odd-one-out $V man king qwzx" "neighbours $V --positive king --negative qwzx"; do
    read -r -a args <<<"$cmd"
    run "${args[@]}"
    check "${args[0]}: a missing word is named, exit 1" '[ $ST -eq 1 ] && err_is "^w2v: '"'qwzx'"' is not in the vocabulary"'
done

# convert: text -> binary -> text keeps the words and values (to printed precision).
same_values() {
    awk 'NR == FNR { a[FNR] = $0; next }
         { n = split(a[FNR], x); if (NF != n || $1 != x[1]) exit 1
           for (i = 2; i <= NF; i++) if ($i - x[i] > 5e-7 || x[i] - $i > 5e-7) exit 1 }
         END { if (FNR != 7) exit 1 }' "$1" "$2"
}
run convert "$V" "$DIR/v.bin" --binary 1
check "convert to binary" '[ $ST -eq 0 ] && [ "$(head -1 "$DIR/v.bin")" = "6 2" ] && ! same_values "$V" "$DIR/v.bin"'
run convert "$DIR/v.bin" "$DIR/back.txt"
check "convert text -> binary -> text round-trips" '[ $ST -eq 0 ] && same_values "$V" "$DIR/back.txt"'
run convert "$DIR/v.bin" "$DIR/r.txt" --restrict 3
check "--restrict 3 keeps the first 3 rows" '[ "$(head -1 "$DIR/r.txt")" = "3 2" ] && [ "$(words "$DIR/r.txt")" = "man king woman " ]'
run convert "$V" "$DIR/n.txt" --normalize
check "--normalize gives unit rows" \
    'awk "NR > 1 { n = sqrt(\$2 * \$2 + \$3 * \$3); if (n < 0.999999 || n > 1.000001) exit 1 } END { if (NR != 7) exit 1 }" "$DIR/n.txt"'
cp "$V" "$DIR/same.txt"
ln -s "$DIR/same.txt" "$DIR/link.txt"
run convert "$DIR/same.txt" "$DIR/./same.txt"
check "convert to the same file is refused (exit 2)" '[ $ST -eq 2 ] && err_is "same file" && cmp -s "$V" "$DIR/same.txt"'
run convert "$DIR/same.txt" "$DIR/link.txt" --binary 1
check "convert to a link to the input is refused" '[ $ST -eq 2 ] && err_is "same file" && cmp -s "$V" "$DIR/same.txt"'
run convert "$DIR/nope.txt" "$DIR/x.txt"
check "convert of a missing file: exit 1, no output" '[ $ST -eq 1 ] && err_is "^w2v: " && [ ! -e "$DIR/x.txt" ]'

# "did you mean": the nearest spelling of that command's options; none when nothing is close.
run train --trian c.txt
check "a misspelt flag gets a suggestion" '[ $ST -eq 2 ] && err_is "^w2v: unknown option '"'--trian'"' (did you mean --train?)$"'
run -trian c.txt
check "word2vec.c's spelling gets a one-dash suggestion" 'err_is "(did you mean -train?)$"'
run neighbours "$V" --postive king
check "neighbours: --postive suggests --positive" '[ $ST -eq 2 ] && err_is "did you mean --positive?"'
run convert "$V" "$DIR/o.txt" --normalise
check "convert: --normalise suggests --normalize" '[ $ST -eq 2 ] && err_is "did you mean --normalize?"'
run similarity "$V" a b --frobnicate
check "no suggestion when nothing is close" '[ $ST -eq 2 ] && err_is "unknown option" && ! grep -q "did you mean" "$DIR/err"'

tap_done
