#!/usr/bin/env bash
# run.sh — runs every libFuzzer target of a -Dfuzz=true build for a bounded
# time, each from a copy of its seed corpus (tests/fuzz/corpus/<target>/, left
# untouched), two at a time. Prints one TAP line per target with its
# executions, and keeps any crash input under WORK/<target>/.
#   tests/fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET (60)] [WORK_DIR] [TARGET...]
# Exit status 0 if no target found a crash, a leak or a timeout.
set -u
BUILD=${1:?usage: run.sh BUILD_DIR [SECONDS] [WORK_DIR] [TARGET...]}
SECONDS_EACH=${2:-60}
WORK=${3:-$(mktemp -d /tmp/w2v-fuzz-XXXXXX)}
shift $(($# < 3 ? $# : 3))
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for dir in "$HERE"/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

run_one() { # TARGET: fuzz it; the log in $WORK/TARGET.log
    local t=$1 exe="$BUILD/tests/fuzz/fuzz_$1"
    mkdir -p "$WORK/$t/corpus"
    cp -n "$HERE/corpus/$t/"* "$WORK/$t/corpus/" 2>/dev/null
    "$exe" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$WORK/$t/" "$WORK/$t/corpus" >"$WORK/$t.log" 2>&1
    echo $? >"$WORK/$t.status"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
i=0
while [ $i -lt ${#targets[@]} ]; do
    pids=()
    for t in "${targets[@]:$i:2}"; do
        if [ -x "$BUILD/tests/fuzz/fuzz_$t" ]; then run_one "$t" & pids+=($!); fi
    done
    wait "${pids[@]}" 2>/dev/null
    i=$((i + 2))
done

n=0 failed=0
for t in "${targets[@]}"; do
    n=$((n + 1))
    if [ ! -f "$WORK/$t.status" ]; then
        echo "not ok $n - fuzz $t: no target $BUILD/tests/fuzz/fuzz_$t"; failed=$((failed + 1)); continue
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t.log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$WORK/$t.log" | tail -1)
    units=$(ls "$WORK/$t/corpus" | wc -l)
    if [ "$(cat "$WORK/$t.status")" -eq 0 ]; then
        echo "ok $n - fuzz $t: ${runs:-?} executions in ${SECONDS_EACH} s (${rate:-?}/s), corpus $units inputs"
    else
        failed=$((failed + 1))
        echo "not ok $n - fuzz $t: exit $(cat "$WORK/$t.status") after ${runs:-?} executions; log $WORK/$t.log"
        grep -E "ERROR|SUMMARY|#[0-9] " "$WORK/$t.log" | head -15 | sed 's/^/# /'
        ls "$WORK/$t/" | grep -E "crash|leak|timeout|oom" | sed "s|^|# input: $WORK/$t/|"
    fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
