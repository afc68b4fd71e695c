#!/bin/sh
# make demo: one real fence through the agent, exactly as Pacemaker runs it
# (key=value lines on stdin), against the example responder playing
# nnf-sos, in a temporary directory that is removed afterwards.
set -eu
BUILD=${1:-build}
BUILD=$(cd "$BUILD" && pwd)
DEMO=$(mktemp -d /tmp/fence-recorder-demo.XXXXXX)
RESPONDER_PID=
cleanup() {
    [ -n "$RESPONDER_PID" ] && kill "$RESPONDER_PID" 2>/dev/null && wait "$RESPONDER_PID" 2>/dev/null
    rm -rf "$DEMO"
}
trap cleanup EXIT INT TERM

export NNF_FENCE_REQUEST_DIR="$DEMO/requests"
export NNF_FENCE_RESPONSE_DIR="$DEMO/responses"
export LOG_DIR="$DEMO/log"
export FENCE_RECORDER_DB="$DEMO/fence-recorder.db"
export FILESYSTEM_DISCOVERY_ENABLED=false
# The recorder of this build (make install puts it in /usr/lib/fence-recorder).
export FENCE_RECORDER_RECORDER="$BUILD/fr-recorder"
unset FENCE_RECORDER_RECORDER_WRITE

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting the example responder (plays nnf-sos) on $DEMO"
"$BUILD/fence-recorder-responder" --serve --pid-file "$DEMO/responder.pid" &
RESPONDER_PID=$!
while [ ! -s "$DEMO/responder.pid" ]; do sleep 0.05; done

step "Pacemaker fences compute-node-2: the agent reads key=value lines on stdin"
printf 'nodename=compute-node-2\naction=off\nport=compute-node-2\nplug=compute-node-2\n' | tee "$DEMO/stdin"
set +e
"$BUILD/fence_recorder" < "$DEMO/stdin"
rc=$?
set -e
echo "fence_recorder exited $rc (0 tells Pacemaker the node is fenced)"

step "The response file nnf-sos would write (it stays: it marks the node fenced)"
cat "$NNF_FENCE_RESPONSE_DIR"/compute-node-2-*.json

step "Its recorder writes the record once the agent has exited"
i=0
until "$BUILD/fencectl" history --format csv 2>/dev/null | grep -q ',completed,'; do
    i=$((i + 1)); [ "$i" -gt 200 ] && { echo "no record after 10 s" >&2; exit 1; }
    sleep 0.05
done
echo "recorded (the agent did not wait for it: the fence's exit never waits for the database)"

step "The three log files"
for f in fence-events.log fence-events-readable.log fence-events-detailed.jsonl; do
    echo "--- $LOG_DIR/$f"
    cat "$LOG_DIR/$f"
done

step "The record, through fencectl"
"$BUILD/fencectl" history
id=$("$BUILD/fencectl" history --format json | sed -n 's/.*"request_id": *"\([0-9a-f-]*\)".*/\1/p' | head -n 1)
"$BUILD/fencectl" show "$id"

step "status now reports the node off (exit 2), until it is unfenced with 'on'"
set +e
"$BUILD/fence_recorder" -o status -n compute-node-2; echo "status exit $?"
"$BUILD/fence_recorder" -o on -n compute-node-2; echo "on exit $?"
"$BUILD/fence_recorder" -o status -n compute-node-2; echo "status exit $?"
set -e
step "Done; $DEMO is removed"
