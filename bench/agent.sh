#!/bin/sh
# The agent's figures, each next to a reference measured in the same run:
# monitor next to /bin/true, one off against the example responder, and
# many fences at once with every record checked. Usage: sh bench/agent.sh BUILD
set -eu
BUILD=$(cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
W=$(mktemp -d /tmp/fr-bench-agent.XXXXXX)
RESPONDER_PID=
cleanup() { [ -n "$RESPONDER_PID" ] && kill "$RESPONDER_PID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
export NNF_FENCE_REQUEST_DIR="$W/rq" NNF_FENCE_RESPONSE_DIR="$W/rs" LOG_DIR="$W/log"
export FENCE_RECORDER_DB="$W/db/fr.db" FILESYSTEM_DISCOVERY_ENABLED=false
AGENT="$BUILD/fence_recorder"
"$AGENT" -o monitor   # creates the directories and the database once

peak_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

machine
printf '%-34s %13s   %-26s %13s   %9s\n' "measure (median)" "fence_recorder" "reference" "time" "ratio"
row "monitor (21 runs)" "$(median_ms 21 "$AGENT" -o monitor)" "/bin/true" "$(median_ms 21 /bin/true)"
echo "monitor peak RSS: $(peak_kib "$AGENT" -o monitor) KiB (/bin/true: $(peak_kib /bin/true) KiB)"

"$BUILD/fence_responder" -q --pid-file "$W/responder.pid" &
RESPONDER_PID=$!
while [ ! -s "$W/responder.pid" ]; do sleep 0.01; done
n=0
fence_once() { n=$((n + 1)); "$AGENT" -q -o off -n "bench-$n"; }
row "off, instant responder (21 runs)" "$(median_ms 21 fence_once)" "monitor" "$(median_ms 21 "$AGENT" -o monitor)"

for count in 100 200; do
    before=$(sqlite3 "$FENCE_RECORDER_DB" "select count(*) from operations where status = 'completed'")
    t0=$(date +%s%N)
    i=0
    pids=
    while [ "$i" -lt "$count" ]; do
        i=$((i + 1))
        "$AGENT" -q -o off -n "burst$count-$i" &
        pids="$pids $!"
    done
    wait_ok=0
    for pid in $pids; do wait "$pid" || wait_ok=1; done
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    after=$(sqlite3 "$FENCE_RECORDER_DB" "select count(*) from operations where status = 'completed'")
    lines=$(grep -c "TARGET=burst$count-" "$LOG_DIR/fence-events-readable.log")
    echo "$count fences at once: $ms ms in total; $((after - before)) of $count completed in the database, $lines readable log lines (want $((2 * count)))$( [ "$wait_ok" = 0 ] || echo '; SOME FAILED')"
done
