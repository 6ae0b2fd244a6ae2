# tap.sh — sourced by the CLI test scripts: TAP output (each case counts on its
# own in meson's summary) and a temporary directory removed on exit.
#   ok NAME; not_ok NAME [DETAIL...]; tap_done (the plan line; fails if any case did)
#   check NAME CMD...: ok if CMD succeeds; expect_exit NAME STATUS PATTERN CMD...: CMD
#   exits STATUS with exactly one stderr line, matching PATTERN
DIR=$(mktemp -d /tmp/w2v-cli-XXXXXX)
trap 'rm -rf "$DIR"' EXIT
CASES=0
FAILED=0
ok() { CASES=$((CASES + 1)); echo "ok $CASES - $1"; }
not_ok() { CASES=$((CASES + 1)); FAILED=$((FAILED + 1)); echo "not ok $CASES - $1"; shift; for l in "$@"; do echo "# $l"; done; }
tap_done() {
    echo "1..$CASES"
    [ "$FAILED" -eq 0 ]
}
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}
one_line_error() { [ "$1" -eq "$2" ] && [ "$(wc -l <"$DIR/stderr")" -eq 1 ] && grep -q -- "$3" "$DIR/stderr"; }
expect_exit() {
    local name=$1 want=$2 pattern=$3
    shift 3
    "$@" >/dev/null 2>"$DIR/stderr" </dev/null
    check "$name" one_line_error $? "$want" "$pattern" "$(head -c 300 "$DIR/stderr")"
}
