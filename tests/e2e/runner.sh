#!/bin/sh
# Runs the test_* functions of one e2e script, each in a subshell with its
# own scratch directory. Prints PASS/FAIL/SKIP per test and DONE at the end.
#
# A script may define suite_setup and suite_teardown, run once around all
# its tests (the Pacemaker suite brings a cluster up there). If
# suite_setup fails, every test fails; if it prints "SKIP: reason" and
# returns 2, every test is reported SKIP with that reason, never PASS.
# A single test that cannot run here calls skip_test (exit 77).
set -u
script=$1
pattern=${2:-}
. "$TOP/tests/e2e/lib.sh"
. "$script"
tests=$(grep -o '^test_[a-z0-9_]*' "$script")
selected=
# PATTERN may list several substrings separated by '|'.
for t in $tests; do
    for p in $(printf '%s' "$pattern" | tr '|' ' '); do
        case "$t" in *"$p"*) selected="$selected $t"; break ;; esac
    done
    [ -z "$pattern" ] && selected="$selected $t"
done
[ -n "$selected" ] || { echo "DONE $(basename "$script")"; exit 0; }

suite_state=ok
suite_reason=
if command -v suite_setup >/dev/null 2>&1; then
    trap 'suite_teardown >/dev/null 2>&1' EXIT INT TERM
    suite_log=$(mktemp /tmp/fr-suite.XXXXXX)
    suite_setup >"$suite_log" 2>&1     # not in a subshell: it sets variables
    rc=$?
    suite_out=$(cat "$suite_log")
    rm -f "$suite_log"
    if [ "$rc" -eq 2 ]; then
        suite_state=skip
        suite_reason=$(printf '%s\n' "$suite_out" | sed -n 's/^SKIP: //p' | head -n 1)
    elif [ "$rc" -ne 0 ]; then
        suite_state=broken
        printf '%s\n' "$suite_out" | tail -30 | sed 's/^/    setup: /'
    fi
fi

for t in $selected; do
    if [ "$suite_state" = skip ]; then
        echo "SKIP $t ($suite_reason)"
        continue
    fi
    if [ "$suite_state" = broken ]; then
        echo "FAIL $t (suite setup failed)"
        continue
    fi
    scratch=$(mktemp -d /tmp/fr-e2e.XXXXXX)
    log="$scratch.log"
    ( cd "$scratch" && setup_env "$scratch" && "$t" ) >"$log" 2>&1
    rc=$?
    cleanup_env "$scratch"
    if [ "$rc" -eq 0 ]; then
        echo "PASS $t"
        # Measured figures (cluster_lab.sh's figure): shown, never asserted.
        grep '^FIGURE ' "$log" | sed 's/^FIGURE /    figure: /'
    elif [ "$rc" -eq 77 ]; then
        # skip_test: could not run here (never counted as a pass)
        echo "SKIP $t ($(sed -n 's/^SKIP: //p' "$log" | head -n 1))"
    else
        echo "FAIL $t (exit $rc)"
        sed 's/^/    /' "$log" | tail -40
    fi
    rm -rf "$scratch" "$log"
done
echo "DONE $(basename "$script")"
