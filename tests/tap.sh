# tap.sh — sourced by the CLI test scripts: TAP output (each case counts on its
# own in meson's summary) and a temporary directory removed on exit.
#   ok NAME; not_ok NAME [DETAIL...]; tap_done (the plan line; fails if any case did)
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
