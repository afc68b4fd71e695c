#!/bin/sh
# What `make check` (and so CI) runs: the whole suite natively, again built
# with ASan+UBSan, and again with every binary under valgrind (the
# real-cluster and package suites natively only, see NATIVE_ONLY). Ends
# with the totals of all three.
#
#   sh tests/all.sh BUILD ASAN_BUILD
set -u
BUILD=$1
ASAN_BUILD=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
VALGRIND=${VALGRIND:-valgrind -q --error-exitcode=99 --leak-check=full}   # the Makefile passes its own
total_pass=0
total_fail=0
summaries=
run() {
    label=$1; shift
    echo "=== $label"
    out=$(mktemp)
    "$@" 2>&1 | tee "$out"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    rm -f "$out"
    [ -n "$line" ] || line="0 passed, 1 failed"   # the run died before its summary
    summaries="$summaries
  $label: $line"
    total_pass=$((total_pass + ${line%% passed*}))
    f=${line#*passed, }
    total_fail=$((total_fail + ${f%% failed*}))
}
run "native" sh "$TOP/tests/run.sh" "$BUILD"
# The real-cluster, package, chaos and group-kill suites run once, natively:
# Pacemaker and dpkg start their binaries (out of valgrind's reach), the
# chaos and group-kill runs time their kills against native speed (the
# group kill aims into the first milliseconds of a fence), and a second run
# under ASan would cost minutes of the CI budget for paths the other suites
# cover there.
NATIVE_ONLY="test_pacemaker test_pacemaker_audit test_multinode test_package test_chaos test_group_kill"
run "asan+ubsan" env FR_SANITIZED=1 FR_SKIP_SUITES="$NATIVE_ONLY" sh "$TOP/tests/run.sh" "$ASAN_BUILD"
# Two suites at a time under valgrind (tests/run.sh): a valgrind process
# keeps one core busy, and this pass is half of the budget.
run "valgrind" env FR_WRAP="$VALGRIND" FR_JOBS=2 FR_SKIP_SUITES="$NATIVE_ONLY" sh "$TOP/tests/run.sh" "$BUILD"
echo "=== summary$summaries"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
