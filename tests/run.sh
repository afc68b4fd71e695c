#!/bin/sh
# Runs every test: the cmocka unit binaries, then the end-to-end scripts.
# Ends with one line "N passed, N failed" (", N skipped" when a suite
# could not run here) for CI; exits non-zero on any failure. FR_WRAP (e.g. valgrind) is put in front of every binary run.
#
#   sh tests/run.sh BUILD_DIR [PATTERN]     PATTERN filters e2e test names
set -u
BUILD=${1:-build}
PATTERN=${2:-}
BUILD=$(cd "$BUILD" && pwd) || { echo "no build directory $1" >&2; exit 1; }
TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD TOP
passed=0
failed=0
skipped=0
failures=

for bin in "$BUILD"/tests/test_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    out=$(CMOCKA_MESSAGE_OUTPUT=TAP ${FR_WRAP:-} "$bin" 2>&1)
    rc=$?
    ok=$(printf '%s\n' "$out" | grep -c '^ok ')
    bad=$(printf '%s\n' "$out" | grep -c '^not ok ')
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
        bad=1   # crashed, or valgrind found errors after the tests passed
    fi
    passed=$((passed + ok))
    failed=$((failed + bad))
    if [ "$bad" -ne 0 ]; then
        failures="$failures $name"
        printf '%s\n' "$out" | grep -v '^ok ' | sed "s/^/  $name: /"
    fi
    echo "unit $name: $ok passed, $bad failed"
done

# The e2e suites, FR_JOBS of them at a time (1 unless set): the valgrind
# pass sets 2, as each valgrind process keeps one core busy and leaves the
# other idle. The largest scripts start first (the slowest, roughly), so
# no long suite starts last. Every suite has its own scratch directories.
results=$(mktemp -d /tmp/fr-results.XXXXXX)
: > "$results/.suites"
ls -S "$TOP"/tests/e2e/test_*.sh | while IFS= read -r script; do
    # FR_SKIP_SUITES: suites that run in one pass only (tests/all.sh): the
    # real-cluster and package suites, whose binaries Pacemaker and dpkg
    # start, out of FR_WRAP's reach.
    case " ${FR_SKIP_SUITES:-} " in
    *" $(basename "$script" .sh) "*)
        echo "NOT RUN $(basename "$script") in this pass: it runs once, natively (tests/all.sh)" ;;
    *) printf '%s\n' "$script" >> "$results/.suites" ;;
    esac
done
xargs -r -d '\n' -n 1 -P "${FR_JOBS:-1}" sh "$TOP/tests/run_suite.sh" "$results" "$PATTERN" \
    < "$results/.suites"
while IFS= read -r script; do
    name=$(basename "$script" .sh)
    out="$results/$name.out"
    ok=$(grep -c '^PASS ' "$out" 2>/dev/null)
    bad=$(grep -c '^FAIL ' "$out" 2>/dev/null)
    skip=$(grep -c '^SKIP ' "$out" 2>/dev/null)
    if ! grep -q '^DONE ' "$out" 2>/dev/null; then
        bad=$((${bad:-0} + 1))   # the script died before finishing
        echo "FAIL $name.sh: runner did not finish"
    fi
    passed=$((passed + ${ok:-0}))
    failed=$((failed + bad))
    skipped=$((skipped + ${skip:-0}))
    [ "$bad" -ne 0 ] && failures="$failures $name.sh"
done < "$results/.suites"
rm -rf "$results"

[ -n "$failures" ] && echo "failing:$failures"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
