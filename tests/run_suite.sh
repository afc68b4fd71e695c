#!/bin/sh
# Runs one e2e script for tests/run.sh, which may run several at once:
# its output, ending with its wall time, goes to RESULTS/NAME.out, and is
# printed whole once the suite has finished (under a lock, so two suites
# finishing together never interleave their lines).
#
#   sh tests/run_suite.sh RESULTS PATTERN SCRIPT     (PATTERN may be empty)
set -u
results=$1
pattern=$2
script=$3
name=$(basename "$script" .sh)
out="$results/$name.out"
started=$(date +%s)
# A suite marked "#machine: HOSTNAME" (a real cluster, dpkg) runs in a
# private machine of its own (tests/e2e/machine.sh): it never touches the
# host's cluster files, and no cluster on the host disturbs it.
host=$(sed -n 's/^#machine: *//p' "$script" | head -n 1)
if [ -n "$host" ]; then
    machine_dir=$(mktemp -d /tmp/fr-machine.XXXXXX)
    sh "$TOP/tests/e2e/machine.sh" "$machine_dir" "$host" \
        sh "$TOP/tests/e2e/runner.sh" "$script" "$pattern" >"$out" 2>&1
    rm -rf "$machine_dir"
else
    sh "$TOP/tests/e2e/runner.sh" "$script" "$pattern" >"$out" 2>&1
fi
echo "time $name.sh: $(( $(date +%s) - started )) s" >>"$out"
flock "$results/.print" cat "$out"
