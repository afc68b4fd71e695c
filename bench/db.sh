#!/bin/sh
# Database growth and pruning: real agent operations are recorded, then
# replicated (new ids, uuids and times spread over the past year) up to
# OPS operations; reports bytes per operation and how long fencectl prune
# takes on that database, for stale files and for old rows.
# Usage: sh bench/db.sh BUILD [OPS]
set -eu
BUILD=$(cd "${1:-build}" && pwd)
OPS=${2:-100000}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
bench_workspace db
DB=$FENCE_RECORDER_DB
SEED=100
machine
"$BUILD/bench/frbench" fence "$SEED" "$BUILD/fence_recorder" >/dev/null
copies=$(( (OPS + SEED - 1) / SEED - 1 ))
# Nodes unfenced since (their response files gone): prune keeps an
# operation whose request or response file is still there.
rm -f "$NNF_FENCE_RESPONSE_DIR"/*.json

# Each copy n gets ids shifted by n * 1e6 and times moved n * 365d / copies
# into the past, so prune --events-older-than has real work.
sqlite3 "$DB" >/dev/null <<EOF
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TEMP TABLE copies AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $copies)
  SELECT n, n * 1000000 AS shift, '-' || (n * 365 * 86400 / $copies) || ' seconds' AS back FROM c;
INSERT INTO operations (id, op_uuid, action, target_node, recorder_node, requested_by, agent_pid, started_at,
  finished_at, status, exit_code, message, filesystems, agent_end, response_success, duration_ms, recorder_pid)
  SELECT id + shift, op_uuid || '-' || n, action, target_node || '-' || (n % 97), recorder_node,
  requested_by, agent_pid, strftime('%Y-%m-%dT%H:%M:%fZ', started_at, back), strftime('%Y-%m-%dT%H:%M:%fZ', finished_at, back),
  status, exit_code, message, filesystems, agent_end, response_success, duration_ms, recorder_pid FROM operations, copies;
INSERT INTO requests SELECT operation_id + shift, request_id || '-' || n, file_name, body,
  strftime('%Y-%m-%dT%H:%M:%fZ', written_at, back) FROM requests, copies;
INSERT INTO responses SELECT id + shift, operation_id + shift, file_name, body, request_id || '-' || n, target_node, success,
  message, action_performed, source, strftime('%Y-%m-%dT%H:%M:%fZ', recorded_at, back) FROM responses, copies;
INSERT INTO log_lines SELECT id + shift, operation_id + shift, strftime('%Y-%m-%dT%H:%M:%fZ', logged_at, back), local_time, level,
  message FROM log_lines, copies;
INSERT INTO events SELECT id + shift, operation_id + shift, strftime('%Y-%m-%dT%H:%M:%fZ', logged_at, back), local_time,
  strftime('%Y-%m-%dT%H:%M:%SZ', utc_time, back),
  action, target_node, status, details, recorder_node, pacemaker_action, filesystems, request_id || '-' || n, origin,
  printf('%016x', abs(random())) FROM events, copies;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
EOF
ops=$(sqlite3 -cmd ".timeout 10000" "$DB" "select count(*) from operations")
bytes=$(stat -c %s "$DB")
echo "$ops operations ($SEED recorded by the agent, the rest copies of them): $((bytes / 1048576)) MiB, $((bytes / ops)) bytes per operation"
echo "  rows per operation: $(sqlite3 -cmd ".timeout 10000" "$DB" "select printf('%.1f events, %.1f log lines', (select count(*) from events) * 1.0 / $ops, (select count(*) from log_lines) * 1.0 / $ops)")"

# 1000 stale request files (a responder that was down for days).
i=0
while [ "$i" -lt 1000 ]; do
    i=$((i + 1))
    f="$NNF_FENCE_REQUEST_DIR/stale$i-$(cat /proc/sys/kernel/random/uuid).json"
    printf '{"request_id": "x", "target_node": "stale%s"}\n' "$i" > "$f"
done
touch -d '2 days ago' "$NNF_FENCE_REQUEST_DIR"/stale*
t0=$(date +%s%N)
"$BUILD/fencectl" prune > /dev/null
echo "fencectl prune, 1000 stale request files on this database: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
t0=$(date +%s%N)
"$BUILD/fencectl" prune --events-older-than 180d > "$W/prune.out" 2>&1 || cat "$W/prune.out"
left=$(sqlite3 -cmd ".timeout 10000" "$DB" "select count(*) from operations")
echo "fencectl prune --events-older-than 180d: $(( ($(date +%s%N) - t0) / 1000000 )) ms, $((ops - left)) operations removed, $left kept"
