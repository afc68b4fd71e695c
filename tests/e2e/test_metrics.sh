# fencectl metrics: Prometheus text format, validated with promtool
# (Debian's prometheus package), written atomically for node_exporter.

ctl() {
    ${FR_WRAP:-} "$FENCECTL" "$@"
}

need_promtool() {
    command -v promtool > /dev/null || skip_test "promtool not installed (Debian package prometheus)"
}

# valid FILE: promtool accepts it and no series appears twice (promtool
# does not check that).
valid() {
    promtool check metrics < "$1" || fail "promtool rejects $1: $(cat "$1")"
    dup=$(grep -v '^#' "$1" | sed 's/ [^ ]*$//' | sort | uniq -d)
    [ -z "$dup" ] || fail "series twice: $dup"
}

# value FILE SERIES: the value of one series.
value() {
    grep -F "$2 " "$1" | grep -v '^#' | awk '{ print $NF }'
}

# three_fences (lib.sh), then one nobody answers.
fences() {
    three_fences
    agent -o off -n node4 --fence-timeout 1 2>/dev/null && fail "fence without a responder succeeded"
}

test_metrics_promtool_accepts_them_and_they_count_what_happened() {
    need_promtool
    fences
    ctl metrics > m.prom || fail "metrics failed"
    valid m.prom
    [ "$(value m.prom 'fence_recorder_operations_total{target="node2",action="off",outcome="completed"}')" = 1 ] \
        || fail "node2 completed: $(grep operations_total m.prom)"
    [ "$(value m.prom 'fence_recorder_operations_total{target="node2",action="off",outcome="failed"}')" = 1 ] \
        || fail "node2 failed"
    [ "$(value m.prom 'fence_recorder_operations_total{target="node4",action="off",outcome="timeout"}')" = 1 ] \
        || fail "node4 timeout"
    [ "$(value m.prom 'fence_recorder_operation_duration_seconds_count{action="off"}')" = 3 ] \
        || fail "histogram count: $(grep duration m.prom)"
    [ "$(value m.prom 'fence_recorder_operation_duration_seconds_bucket{action="off",le="0.5"}')" = 2 ] \
        || fail "two offs answered within 0.5 s: $(grep duration m.prom)"
    [ "$(value m.prom 'fence_recorder_fenced_nodes')" = 2 ] || fail "fenced nodes: $(grep fenced m.prom)"
    [ "$(value m.prom 'fence_recorder_unanswered_requests')" = 1 ] || fail "unanswered"
    [ "$(value m.prom 'fence_recorder_database_up')" = 1 ] || fail "database_up"
    [ "$(value m.prom 'fence_recorder_unfinished_operations')" = 0 ] || fail "unfinished"
    grep -q '^fence_recorder_last_failure_timestamp_seconds{target="node2"} 1[0-9]*\.[0-9]*$' m.prom \
        || fail "last failure: $(grep last_ m.prom)"
    grep -q '^fence_recorder_last_success_timestamp_seconds{target="node3"}' m.prom || fail "last success"
    grep -q 'last_failure_timestamp_seconds{target="node3"}' m.prom && fail "node3 never failed"
    return 0
}

test_metrics_output_replaces_the_file_atomically() {
    need_promtool
    fences
    mkdir out
    # A temp file a killed run left behind never blocks the next one.
    echo partial > out/.fence-recorder.prom.tmp
    ctl metrics --output out/fence-recorder.prom || fail "metrics --output failed"
    valid out/fence-recorder.prom
    [ "$(stat -c %a out/fence-recorder.prom)" = 644 ] || fail "mode $(stat -c %a out/fence-recorder.prom)"
    before=$(stat -c %i out/fence-recorder.prom)
    ctl metrics --output out/fence-recorder.prom || fail "second run failed"
    # Renamed into place (a new inode), never rewritten where a reader reads.
    [ "$(stat -c %i out/fence-recorder.prom)" != "$before" ] || fail "file rewritten in place"
    [ "$(ls -A out | grep -vc '^\.fence-recorder\.prom\.tmp$')" -eq 1 ] || fail "temp files left: $(ls -A out)"
    ctl metrics --output "$S/missing-dir/x.prom" 2>err.txt
    [ $? -eq 1 ] || fail "unwritable output should exit 1"
    grep -q "cannot create a temporary file in $S/missing-dir" err.txt || fail "error: $(cat err.txt)"
    ctl metrics extra 2>/dev/null
    [ $? -eq 2 ] || fail "extra argument should exit 2"
}

test_metrics_counters_never_decrease_when_rows_are_pruned() {
    need_promtool
    fences
    ctl metrics > before.prom
    old="'2020-01-01T00:00:00.000Z'"
    sql "update operations set started_at = $old, finished_at = $old; update events set logged_at = $old, utc_time = $old;
         update log_lines set logged_at = $old; update responses set recorded_at = $old;
         update requests set written_at = $old; update discoveries set started_at = $old"
    # Schema versions with the cluster state at fence time have its stamp too.
    sql "update cluster_states set captured_at = $old" 2>/dev/null || true
    # Their files gone (the nodes unfenced): prune keeps an operation while
    # its request or response file is there.
    rm -f "$NNF_FENCE_REQUEST_DIR"/*.json "$NNF_FENCE_RESPONSE_DIR"/*.json
    ctl prune --events-older-than 1d > /dev/null || fail "prune failed"
    expect_sql 0 "select count(*) from operations"
    ctl metrics > after.prom
    valid after.prom
    grep '_total{' before.prom > a.txt
    grep '_total{' after.prom > b.txt
    diff a.txt b.txt || fail "counters changed by prune"
}

test_metrics_without_a_database_still_write_the_storage_state() {
    need_promtool
    write_response node5 55555555-5555-4555-8555-555555555555 \
        '{"request_id": "55555555-5555-4555-8555-555555555555", "target_node": "node5", "success": true, "message": "ok"}'
    ctl --db "$S/none.db" metrics --output m.prom 2>/dev/null
    [ $? -eq 1 ] || fail "a missing database should exit 1"
    valid m.prom
    [ "$(value m.prom 'fence_recorder_database_up')" = 0 ] || fail "database_up: $(cat m.prom)"
    [ "$(value m.prom 'fence_recorder_fenced_nodes')" = 1 ] || fail "fenced nodes: $(cat m.prom)"
}

# A database recorded before the counters existed is counted when it is
# migrated (the migration fills them from the operations).
test_metrics_count_operations_recorded_before_the_migration() {
    need_promtool
    mkdir -p "$S/db"
    cat "$TOP"/schema/0001-*.sql "$TOP"/schema/0002-*.sql "$TOP"/schema/0003-*.sql > old.sql
    printf 'PRAGMA application_id = %d;\nPRAGMA user_version = 3;\n' 1179796803 >> old.sql
    sqlite3 "$DB" < old.sql || fail "cannot build a version-3 database"
    sql "insert into operations (op_uuid, action, target_node, recorder_node, requested_by, agent_pid,
         started_at, finished_at, status, duration_ms) values
         ('a', 'off', 'old1', 'r', 'pacemaker-fenced', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.040Z', 'completed', NULL),
         ('b', 'off', 'old1', 'r', 'pacemaker-fenced', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:03.000Z', 'timeout', 3000),
         ('c', 'off', 'old2', 'r', 'pacemaker-fenced', 1, '2026-01-01T00:00:00.000Z', NULL, 'running', NULL)"
    # A write of the record migrates it: an unfence of a fenced node.
    write_response old9 99999999-9999-4999-8999-999999999999 \
        '{"request_id": "99999999-9999-4999-8999-999999999999", "target_node": "old9", "success": true, "message": "ok"}'
    ctl unfence --yes old9 > /dev/null || fail "unfence (which migrates the database) failed"
    ctl metrics > m.prom || fail "metrics failed"
    valid m.prom
    [ "$(value m.prom 'fence_recorder_operations_total{target="old1",action="off",outcome="completed"}')" = 1 ] \
        || fail "old completed: $(grep _total m.prom)"
    [ "$(value m.prom 'fence_recorder_operation_duration_seconds_bucket{action="off",le="0.05"}')" = 1 ] \
        || fail "old duration from finished_at: $(grep duration m.prom)"
    [ "$(value m.prom 'fence_recorder_operation_duration_seconds_sum{action="off"}')" = 3.040 ] \
        || fail "duration sum: $(grep duration m.prom)"
    grep -q 'target="old2"' m.prom && fail "a running operation was counted"
    # Its outcome, when it comes, is counted once.
    sql "update operations set status = 'completed', finished_at = '2026-01-01T00:00:00.100Z' where op_uuid = 'c'"
    sql "update operations set message = 'x' where op_uuid = 'c'"
    ctl metrics > m2.prom
    [ "$(value m2.prom 'fence_recorder_operations_total{target="old2",action="off",outcome="completed"}')" = 1 ] \
        || fail "late outcome: $(grep _total m2.prom)"
}

# The contrib timer's service and the cron line run this very command.
test_metrics_contrib_service_and_cron_line_write_a_valid_file() {
    need_promtool
    fences
    mkdir -p ne
    exec_start=$(sed -n 's/^ExecStart=//p' "$TOP/contrib/systemd/fencectl-metrics.service")
    [ -n "$exec_start" ] || fail "no ExecStart"
    sh -c "$(echo "$exec_start" | sed -e "s|/usr/sbin/fencectl|$FENCECTL|" -e "s|/var/lib/prometheus/node-exporter|$S/ne|")" \
        || fail "the service's command failed: $exec_start"
    valid ne/fence-recorder.prom
    grep -q '^OnUnitActiveSec=1min' "$TOP/contrib/systemd/fencectl-metrics.timer" || fail "timer period"
    rm ne/fence-recorder.prom
    cron=$(sed -n 's/^#\(\* \* \* \* \* root .*fencectl metrics.*\)/\1/p' "$TOP/contrib/cron/fence-recorder")
    [ -n "$cron" ] || fail "no (commented) metrics cron line"
    cmd=${cron#* root }
    PATH="$(dirname "$FENCECTL"):$PATH" sh -c "$(echo "$cmd" | sed "s|/var/lib/prometheus/node-exporter|$S/ne|g")" \
        || fail "the cron command failed: $cmd"
    valid ne/fence-recorder.prom
}

# --output (metrics and export) replaces only a regular file: a symlink, a
# device, a FIFO, a socket or a directory at the path is refused, untouched
# (as root, --output /dev/null would otherwise have replaced the device).
test_output_refuses_what_is_not_a_regular_file() {
    three_fences
    echo keep > target.txt
    ln -s target.txt link.prom
    mknod null.prom c 1 3 || fail "cannot make a device node"
    mkfifo fifo.prom
    mkdir dir.prom
    python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' sock.prom \
        || fail "cannot make a socket"
    for p in link.prom null.prom fifo.prom dir.prom sock.prom; do
        before=$(stat -c '%F %i' "$p")
        for cmd in metrics export; do
            ctl "$cmd" --output "$S/$p" > out.txt 2> err.txt && fail "$cmd --output $p: exit 0"
            grep -q "$S/$p is .*refusing to replace it" err.txt || fail "$cmd --output $p: $(cat err.txt)"
            [ "$(stat -c '%F %i' "$p")" = "$before" ] || fail "$cmd replaced $p"
        done
    done
    [ "$(cat target.txt)" = keep ] || fail "the symlink's target was written"
    [ -z "$(ls -A . | grep '^\..*\.prom\.')" ] || fail "temporary files left: $(ls -A)"
    # A regular file, and a path that does not exist yet: written.
    ctl metrics --output "$S/new.prom" || fail "metrics to a new path"
    ctl metrics --output "$S/new.prom" || fail "metrics over its own file"
    ctl export --output "$S/new.jsonl" || fail "export to a new path"
}
