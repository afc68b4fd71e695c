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

e2e_out=$(mktemp)
for script in "$TOP"/tests/e2e/test_*.sh; do
    # FR_SKIP_SUITES: suites that run in one pass only (tests/all.sh): the
    # real-cluster and package suites, whose binaries Pacemaker and dpkg
    # start, out of FR_WRAP's reach.
    case " ${FR_SKIP_SUITES:-} " in
    *" $(basename "$script" .sh) "*)
        echo "NOT RUN $(basename "$script") in this pass: it runs once, natively (tests/all.sh)"
        continue ;;
    esac
    # A suite marked "#machine: HOSTNAME" (a real cluster, dpkg) runs in a
    # private machine of its own (tests/e2e/machine.sh): it never touches
    # the host's cluster files, and no cluster on the host disturbs it.
    suite_started=$(date +%s)
    host=$(sed -n 's/^#machine: *//p' "$script" | head -n 1)
    if [ -n "$host" ]; then
        machine_dir=$(mktemp -d /tmp/fr-machine.XXXXXX)
        sh "$TOP/tests/e2e/machine.sh" "$machine_dir" "$host" \
            sh "$TOP/tests/e2e/runner.sh" "$script" "$PATTERN" >"$e2e_out" 2>&1
        rm -rf "$machine_dir"
    else
        sh "$TOP/tests/e2e/runner.sh" "$script" "$PATTERN" >"$e2e_out" 2>&1
    fi
    cat "$e2e_out"
    echo "time $(basename "$script"): $(( $(date +%s) - suite_started )) s"
    ok=$(grep -c '^PASS ' "$e2e_out")
    bad=$(grep -c '^FAIL ' "$e2e_out")
    skipped=$((skipped + $(grep -c '^SKIP ' "$e2e_out")))
    if ! grep -q '^DONE ' "$e2e_out"; then
        bad=$((bad + 1))   # the script died before finishing
        echo "FAIL $(basename "$script"): runner did not finish"
    fi
    passed=$((passed + ok))
    failed=$((failed + bad))
    [ "$bad" -ne 0 ] && failures="$failures $(basename "$script")"
done
rm -f "$e2e_out"

[ -n "$failures" ] && echo "failing:$failures"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
