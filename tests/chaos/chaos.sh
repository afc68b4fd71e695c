#!/bin/sh
# A bounded randomized fault run against the record: fences in bursts while
# agents, recorders and whole process groups are killed at random moments,
# the database's write lock is held, recorders are stopped and resumed,
# and the log volume fills up. Then, once everything has settled, the
# invariants an administrator relies on a year later:
#   1. an agent that was not killed exited as the response said (0 success,
#      1 refusal);
#   2. every request and response file of this node is accounted for by an
#      operation, after 'fencectl import --from-files' where check named it;
#   3. no operation is left running;
#   4. no log line is torn or glued: each is a whole JSON object, or a
#      fragment of a write cut short standing alone on its line;
#   5. PRAGMA integrity_check says ok;
#   6. where no write was cut short, export reproduces the jsonl byte for byte.
# Counts go to stdout; the last line is "chaos: N rounds, seed S: ok" or the
# first broken invariant (exit 1).
#
#   sh tests/chaos/chaos.sh BUILD [ROUNDS] [SEED] [FENCES_PER_ROUND]
#
# Needs root (a small tmpfs for the full log volume, in a private mount
# namespace of its own) and strace-free standard tools; runs in a scratch
# directory it removes.
set -u
BUILD=$(cd "${1:-build}" && pwd)
ROUNDS=${2:-20}
SEED=${3:-1}
PER_ROUND=${4:-8}
AGENT=$BUILD/fence_recorder
FENCECTL=$BUILD/fencectl
RESPONDER=$BUILD/fence-recorder-responder

# In namespaces of its own: the tmpfs is nobody else's, and ns-init reaps
# the recorders (orphans by design) so that a finished one is gone.
if [ "${CHAOS_INSIDE:-}" != 1 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "chaos: needs root (a tmpfs for the full log volume)" >&2; exit 2; }
    CHAOS_INSIDE=1 exec unshare --mount --pid --fork --propagation private --mount-proc \
        "$BUILD/tests/ns-init" sh "$0" "$BUILD" "$ROUNDS" "$SEED" "$PER_ROUND"
fi

W=$(mktemp -d /tmp/fr-chaos.XXXXXX)
trap 'kill $(cat "$W"/*.pid 2>/dev/null) 2>/dev/null; umount "$W/log" 2>/dev/null; rm -rf "$W"' EXIT
export NNF_FENCE_REQUEST_DIR=$W/requests NNF_FENCE_RESPONSE_DIR=$W/responses LOG_DIR=$W/log \
       FENCE_RECORDER_DB=$W/db/fence-recorder.db FILESYSTEM_DISCOVERY_ENABLED=false \
       FENCE_RECORDER_TEST_RECORDERS=$W/recorders FENCE_RECORDER_RECORD_PATIENCE=20 \
       CIBADMIN_PATH=/nonexistent/cibadmin CRM_MON_PATH=/nonexistent/crm_mon
# This build's recorder, not an installed one (the e2e suite's, with its
# wrapper under valgrind, when it runs this).
export FENCE_RECORDER_RECORDER=${FENCE_RECORDER_RECORDER:-$BUILD/fr-recorder}
unset PCMK_service
mkdir -p "$W/requests" "$W/responses" "$W/log" "$W/db" "$W/out"
DB=$FENCE_RECORDER_DB
JSONL=$LOG_DIR/fence-events-detailed.jsonl

# A deterministic stream of numbers from the seed: rnd N sets R to 0..N-1
# (a variable, not output: a command substitution's subshell would lose
# the state).
RND_STATE=$SEED
rnd() {
    RND_STATE=$(( (RND_STATE * 1103515245 + 12345) % 2147483648 ))
    R=$(( RND_STATE / 65536 % $1 ))
}

broken() { echo "chaos: round $round, seed $SEED: $*"; exit 1; }
sql() { sqlite3 -batch -noheader -cmd ".timeout 20000" "$DB" "$1"; }

# The responder gone, not only told to go: the next one's mode rules from
# then on.
stop_responder() {
    [ -s "$W/responder.pid" ] || return 0
    old=$(cat "$W/responder.pid")
    kill "$old" 2>/dev/null
    wait "$old" 2>/dev/null
    rm -f "$W/responder.pid"
}

responder() {   # responder MODE DELAY_MS
    stop_responder
    "$RESPONDER" --serve --request-dir "$W/requests" --response-dir "$W/responses" --poll-ms 50 -q \
        --mode "$1" --delay-ms "${2:-0}" --pid-file "$W/responder.pid" >/dev/null 2>&1 &
    i=0; while [ ! -s "$W/responder.pid" ] && [ "$i" -lt 100 ]; do i=$((i + 1)); sleep 0.02; done
}

# A writer holding the database's write lock for SECONDS (an admin's shell).
hold_lock() {
    ( printf '.timeout 20000\nBEGIN IMMEDIATE;\nSELECT 1;\n'; sleep "$1"; printf 'COMMIT;\n' ) |
        sqlite3 "$DB" >/dev/null 2>&1 &
}

# The log volume nearly full: a 64 KiB tmpfs with a few KiB left.
fill_logs() {
    mountpoint -q "$LOG_DIR" && return 0
    mkdir -p "$W/logs-saved"
    cp -p "$LOG_DIR"/* "$W/logs-saved/" 2>/dev/null
    mount -t tmpfs -o size=64k tmpfs "$LOG_DIR" || return 1
    cp -p "$W/logs-saved"/* "$LOG_DIR/" 2>/dev/null
    head -c $(( 60 * 1024 - $(du -sb "$LOG_DIR" | cut -f1) )) /dev/zero > "$LOG_DIR/.filler" 2>/dev/null
    CUT_SHORT=1
}
free_logs() {
    mountpoint -q "$LOG_DIR" || return 0
    rm -f "$LOG_DIR/.filler"
    cp -p "$LOG_DIR"/fence-events* "$W/logs-saved/" 2>/dev/null
    umount "$LOG_DIR"
    cp -p "$W/logs-saved"/fence-events* "$LOG_DIR/" 2>/dev/null
}

CUT_SHORT=0
fences=0; killed=0; group_killed=0; recorders_killed=0; stopped=0; locked=0; full=0
round=0
responder success
while [ "$round" -lt "$ROUNDS" ]; do
    round=$((round + 1))
    mode=success; rnd 4; [ "$R" -eq 0 ] && mode=failure
    # The storage system takes 0-400 ms: the faults below land while
    # agents wait, while they publish, and after they exit.
    rnd 400; responder "$mode" "$R"
    rnd 4; if [ "$R" -eq 0 ]; then rnd 3; hold_lock $((R + 1)); locked=$((locked + 1)); fi
    rnd 8; if [ "$R" -eq 0 ]; then fill_logs && full=$((full + 1)); fi
    before=0
    [ -f "$W/recorders" ] && before=$(wc -l < "$W/recorders")
    i=0
    while [ "$i" -lt "$PER_ROUND" ]; do
        i=$((i + 1)); fences=$((fences + 1))
        node=r${round}n$i
        # Each agent in a process group of its own, as Pacemaker runs it.
        setsid "$AGENT" -q -o off -n "$node" --fence-timeout 10 > /dev/null 2>&1 &
        echo "$! $node $mode" >> "$W/agents"
    done
    # Faults at random moments while the burst runs.
    f=0
    while [ "$f" -lt 4 ]; do
        f=$((f + 1))
        rnd 100; sleep "$(printf '0.%03d' "$R")"
        rnd "$PER_ROUND"; victim=$(tail -n "$((R + 1))" "$W/agents" | head -n 1)
        pid=${victim%% *}
        rnd 5; which=$R
        rnd "$PER_ROUND"; nth=$R
        c=$(tail -n +"$((before + 1))" "$W/recorders" 2>/dev/null | awk -v n="$nth" 'NR == n + 1')
        case $which in
        0|1) kill -KILL "$pid" 2>/dev/null && { echo "$pid" >> "$W/killed"; killed=$((killed + 1)); } ;;
        2) kill -KILL "-$pid" 2>/dev/null && { echo "$pid" >> "$W/killed"; group_killed=$((group_killed + 1)); } ;;
        3) [ -n "$c" ] && kill -KILL "$c" 2>/dev/null && recorders_killed=$((recorders_killed + 1)) ;;
        4) if [ -n "$c" ] && kill -STOP "$c" 2>/dev/null; then
               rnd 9; stopped=$((stopped + 1)); sleep "0.$R"; kill -CONT "$c" 2>/dev/null
           fi ;;
        esac
    done
    # The agents' exit codes (a killed one has none worth judging).
    tail -n "$PER_ROUND" "$W/agents" > "$W/round"
    while read -r pid node m; do
        wait "$pid" 2>/dev/null
        echo "$pid $node $m $?" >> "$W/exits"
    done < "$W/round"
    free_logs
done
responder success
# Settle: every recorder done, then one more fence (its recorder closes
# what dead recorders left running), then the repairs check asks for.
recorders_alive() {
    for c in $(cat "$W/recorders" 2>/dev/null); do
        kill -0 "$c" 2>/dev/null && return 0
    done
    return 1
}
settle() {
    i=0
    while recorders_alive; do
        i=$((i + 1)); [ "$i" -gt 900 ] && broken "recorders still recording after 90 s"
        sleep 0.1
    done
}
settle
"$AGENT" -q -o off -n settle > /dev/null 2>&1 || broken "the settling fence failed"
settle
stop_responder
"$FENCECTL" check --fence-timeout 0s > "$W/out/check" 2>&1
rebuilt=0
if grep -q "import --from-files" "$W/out/check"; then
    "$FENCECTL" import --from-files --older-than 0s > "$W/out/rebuild" 2>&1 || broken "import --from-files: $(cat "$W/out/rebuild")"
    rebuilt=$(sed -n 's/^rebuilt \([0-9]*\) .*/\1/p' "$W/out/rebuild")
fi
logs_only=0
if grep -q "not in the database" "$W/out/check"; then
    "$FENCECTL" import "$JSONL" > "$W/out/import" 2>&1
    logs_only=$(sed -n 's/^imported \([0-9]*\) event.*/\1/p' "$W/out/import")
fi

# 1. Exit codes follow the response.
while read -r pid node m code; do
    grep -qx "$pid" "$W/killed" 2>/dev/null && continue
    want=0; [ "$m" = failure ] && want=1
    [ "$code" -eq "$want" ] || broken "agent of $node exited $code, its response said $m"
done < "$W/exits"
# 2. Every file of this node has its operation.
for f in "$W"/requests/*.json "$W"/responses/*.json; do
    [ -f "$f" ] || continue
    uuid=$(basename "$f" .json | grep -o '[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}$')
    [ "$(sql "select count(*) from operations where op_uuid = '$uuid'")" = 1 ] \
        || broken "$(basename "$f") has no operation"
done
# 3. Nothing left running.
running=$(sql "select count(*) from operations where status = 'running'")
[ "$running" = 0 ] || broken "$running operation(s) left running: $(sql "select target_node, message from operations where status = 'running'")"
# 4. No torn or glued line.
awk -v cut="$CUT_SHORT" '
    /^\{.*\}$/ { if (gsub(/"timestamp": /, "&") > 1) { print "glued line " NR; bad = 1 } next }
    { if (!cut) { print "torn line " NR; bad = 1 } }
    END { exit bad }' "$JSONL" > "$W/out/lines" || broken "$(cat "$W/out/lines")"
# 5. Integrity.
[ "$(sql "PRAGMA integrity_check")" = ok ] || broken "integrity_check: $(sql "PRAGMA integrity_check")"
# 6. Export equals the jsonl where no write was cut short.
if [ "$CUT_SHORT" = 0 ]; then
    "$FENCECTL" export > "$W/out/export.jsonl" || broken "export failed"
    cmp -s "$W/out/export.jsonl" "$JSONL" || broken "export differs from the jsonl: $(diff "$W/out/export.jsonl" "$JSONL" | head -5)"
fi
ops=$(sql "select count(*) from operations")
echo "chaos: $ROUNDS rounds, seed $SEED: $fences fences ($ops operations), agents killed $killed, process groups killed $group_killed, recorders killed $recorders_killed, recorders stopped $stopped, write lock held $locked times, log volume full $full times; rebuilt from files $rebuilt, restored from the logs $logs_only events"
echo "chaos: $ROUNDS rounds, seed $SEED: ok"
