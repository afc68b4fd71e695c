# fence-recorder-alert, Pacemaker's alert agent for the record: as
# Pacemaker runs it (the alert in CRM_alert_* variables, as hacluster, once
# per recipient), it records fencing and node alerts once each, never
# holds Pacemaker, and raises a CRITICAL for a member whose storage is
# still fenced. Sourced by runner.sh; each test_* runs in its own scratch
# dir $S. The multi-node suite runs it inside real clusters.

ALERT="$BUILD/fence-recorder-alert"
REF=6f1c0b3e-aaaa-4bbb-8ccc-123456789abc
DESC="Operation reboot of node3 by node1 for pacemaker-controld.52@node1: OK (ref=$REF)"

# fencing_alert [DESC]: a fencing alert as Pacemaker 2.1 sends it.
fencing_alert() {
    env CRM_alert_kind=fencing CRM_alert_version=2.1.5 CRM_alert_recipient=/var/log/x \
        CRM_alert_node=node3 CRM_alert_task=reboot CRM_alert_rc=0 CRM_alert_desc="${1:-$DESC}" \
        CRM_alert_timestamp_epoch=1796000000 CRM_alert_timestamp_usec=123456 \
        ${FR_WRAP:-} "$ALERT"
}

# node_alert NODE member|lost; run under $ALERT_IN (a command prefix) if set.
node_alert() {
    ${ALERT_IN:-} env CRM_alert_kind=node CRM_alert_node="$1" CRM_alert_nodeid=3 CRM_alert_desc="$2" \
        CRM_alert_timestamp_epoch=1796000100 CRM_alert_timestamp_usec=0 ${FR_WRAP:-} "$ALERT"
}

# No copy of this test's alert agents still recording (by its command
# line and its environment: another suite may run beside this one).
alerts_done() {
    for pid in $(pgrep -f "fence-recorder-alert --record"); do
        tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qxF "LOG_DIR=$LOG_DIR" && return 1
    done
    return 0
}

setup_alerts() {
    export CIBADMIN_PATH=/nonexistent/cibadmin CRM_MON_PATH=/nonexistent/crm_mon
    create_db
}

test_alert_records_a_fencing_alert_once_per_event() {
    setup_alerts
    fencing_alert || fail "the alert agent failed"
    fencing_alert || fail "the second recipient's run failed"   # the same alert again
    eventually_sql 1 "select count(*) from cluster_events"
    # Both copies done (each appends its line after its commit).
    wait_until 10 grep -q "Cluster fence event" "$LOG_DIR/fence-events.log" || fail "no line in fence-events.log"
    wait_until 10 alerts_done || fail "the alert agent's copies still run"
    expect_sql "fencing|node3|reboot|node1|pacemaker-controld.52|node1|OK|0|$REF|2026-11-30T00:53:20.123Z|alert" \
        "select kind, node, action, executor, client, origin, result, rc, ref, happened_at, source from cluster_events"
    [ "$(grep -c "Cluster fence event: $DESC" "$LOG_DIR/fence-events.log")" -eq 1 ] \
        || fail "not one line in fence-events.log: $(cat "$LOG_DIR/fence-events.log")"
    "$FENCECTL" check > check.out 2>&1 || fail "check after an alert: $(cat check.out)"
}

test_alert_keeps_a_description_it_cannot_parse_as_given() {
    setup_alerts
    fencing_alert "Operation reboot of node3 by <no-one>: something new" || fail "alert failed"
    eventually_sql "node3|reboot||Operation reboot of node3 by <no-one>: something new" \
        "select node, action, executor, description from cluster_events"
}

test_alert_ignores_resource_and_attribute_alerts() {
    setup_alerts
    env CRM_alert_kind=resource CRM_alert_node=node3 CRM_alert_rsc=fs CRM_alert_desc=ok \
        ${FR_WRAP:-} "$ALERT" || fail "a resource alert failed"
    env CRM_alert_kind=attribute ${FR_WRAP:-} "$ALERT" || fail "an attribute alert failed"
    sleep 0.3
    expect_sql 0 "select count(*) from cluster_events"
}

# A member alert's copy reads the fencers' history (10 s after its own
# record); that read may come between a fence's end and the fence's own
# alert. The alert then adds no second row: the history's row takes the
# alert's fields, Pacemaker's id among them. A later read adds nothing.
test_alert_after_the_history_read_leaves_one_row_per_fence() {
    setup_alerts
    mkdir -p "$S/bin"
    cat > "$S/history.xml" <<XML
<pacemaker-result api-version="2.25" request="stonith_admin --history * --verbose --output-as=xml">
  <list name="fencing history" count="1">
    <fence_event action="reboot" target="node3" client="pacemaker-controld.52" origin="node1" status="success" delegate="node1" completed="2026-11-30 00:53:20Z"/>
  </list>
  <status code="0" message="OK"/>
</pacemaker-result>
XML
    printf '#!/bin/sh\ncat "%s"\n' "$S/history.xml" > "$S/bin/stonith_admin"
    chmod +x "$S/bin/stonith_admin"
    PATH="$S/bin:$PATH"
    export PATH
    node_alert node2 member || fail "the member alert failed"
    eventually_sql "history|" "select source, coalesce(ref, '') from cluster_events where kind = 'fencing'"
    wait_until 30 alerts_done || fail "the member alert's copy still runs"
    fencing_alert || fail "the fence's alert failed"
    wait_until 30 alerts_done || fail "the fence alert's copy still runs"
    expect_sql "1|$REF|alert|OK|2026-11-30T00:53:20.123Z|$DESC" \
        "select count(*), ref, source, result, happened_at, description from cluster_events where kind = 'fencing'"
    node_alert node1 member || fail "the second member alert failed"
    eventually_sql 2 "select count(*) from cluster_events where kind = 'node'"
    wait_until 40 alerts_done || fail "the second member alert's copy still runs"
    expect_sql 1 "select count(*) from cluster_events where kind = 'fencing'"
    [ "$(grep -c "Cluster fence event" "$LOG_DIR/fence-events.log")" -eq 1 ] \
        || fail "not one fence line: $(grep "Cluster fence event" "$LOG_DIR/fence-events.log")"
    "$FENCECTL" --format csv history --node node3 > h.csv || fail "history"
    [ "$(tail -n +2 h.csv | wc -l)" -eq 1 ] || fail "history shows the fence $(tail -n +2 h.csv | wc -l) times: $(cat h.csv)"
}

# Pacemaker waits for its alert agents (up to the alert's timeout): a
# locked database never holds it. The record follows the lock.
test_alert_exits_at_once_with_the_database_locked() {
    setup_alerts
    hold_write_lock
    t0=$(date +%s%N)
    fencing_alert || fail "the alert agent failed"
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    sleep 0.3
    count=$(sqlite3 -readonly "$DB" "select count(*) from cluster_events" 2>/dev/null)
    release_write_lock
    echo "FIGURE alert agent with the database locked: exited after $ms ms (date(1) included)"
    [ "$ms" -lt 1000 ] || fail "the alert agent took $ms ms with the database locked"
    [ "$count" = 0 ] || fail "recorded through a held lock?"
    eventually_sql 1 "select count(*) from cluster_events"
}

# A member whose storage a successful response still fences: CRITICAL in
# the record and fence-events.log (syslog too), and check fails.
test_alert_member_still_fenced_is_critical() {
    setup_alerts
    id=11111111-2222-4333-8444-555555555555
    write_response node3 $id "{\"request_id\": \"$id\", \"target_node\": \"node3\", \"success\": true}"
    node_alert node2 member || fail "alert failed"
    syslog_receiver_start
    ALERT_IN=with_test_syslog
    node_alert node3 member || fail "alert failed"
    ALERT_IN=
    eventually_sql 2 "select count(*) from cluster_events"
    # daemon facility, LOG_CRIT: <26>.
    wait_until 10 grep -q '^<26>.*fence_recorder\[[0-9]*\]: .*node3 joined the cluster while its storage is fenced' \
        "$S/syslog" || fail "the CRITICAL not in syslog at LOG_CRIT: $(cat "$S/syslog")"
    syslog_receiver_stop
    expect_sql "node2|info|" "select node, severity, detail from cluster_events where node = 'node2'"
    expect_sql "node3-$id.json" "select detail from cluster_events where node = 'node3' and severity = 'critical'"
    grep -q "\[CRITICAL\] node node3 joined the cluster while its storage is fenced" "$LOG_DIR/fence-events.log" \
        || fail "no CRITICAL line: $(cat "$LOG_DIR/fence-events.log")"
    "$FENCECTL" check > check.out 2>&1 && fail "check passes with a member fenced: $(cat check.out)"
    grep -q "PROBLEM: node3 joined the cluster at .* while its storage is fenced" check.out \
        || fail "check does not name it: $(cat check.out)"
    "$FENCECTL" metrics > m.prom || fail "metrics"
    grep -q '^fence_recorder_node_joined_while_fenced{node="node3"} 1$' m.prom || fail "no gauge: $(grep joined m.prom)"
    # Unfenced (the node restarted, Pacemaker's on): the problem is gone.
    expect_exit 0 agent -o on -n node3
    "$FENCECTL" check > check.out 2>&1 || fail "check still fails after the unfence: $(cat check.out)"
    "$FENCECTL" metrics | grep -q '^fence_recorder_node_joined_while_fenced{node="node3"} 0$' \
        || fail "gauge not back to 0"
}

# Alerts run as hacluster: the record is shared with the group haclient
# (database 2770/0660), the logs keep their mode and readers and grant the
# group appending by an ACL entry. Nobody else may write.
test_alert_as_hacluster_writes_the_record_and_nobody_else_can() {
    getent group haclient > /dev/null || fail "no group haclient (pacemaker not installed: make check-deps)"
    command -v getfacl > /dev/null || fail "getfacl missing (make check-deps installs acl)"
    setup_alerts
    chmod 0711 "$S"
    expect_exit 0 agent -o monitor   # the log directory, as a fence creates it
    node_alert node2 member || fail "root's alert failed"
    eventually_sql 1 "select count(*) from cluster_events"
    [ "$(stat -c '%a %U %G' "$(dirname "$DB")")" = "2770 root haclient" ] \
        || fail "database directory: $(stat -c '%a %U %G' "$(dirname "$DB")")"
    [ "$(stat -c '%a %G' "$DB")" = "660 haclient" ] || fail "database: $(stat -c '%a %G' "$DB")"
    getfacl -n "$LOG_DIR/fence-events.log" 2>/dev/null | grep -q "^group:$(getent group haclient | cut -d: -f3):rw-$" \
        || fail "no ACL entry for haclient: $(getfacl -n "$LOG_DIR/fence-events.log" 2>&1)"
    getfacl -n "$LOG_DIR/fence-events.log" 2>/dev/null | grep -q '^group::r--$' || fail "the owning group gained write"
    setpriv --reuid=hacluster --regid=haclient --init-groups env CRM_alert_kind=node CRM_alert_node=node3 \
        CRM_alert_nodeid=3 CRM_alert_desc=lost "$ALERT" || fail "hacluster's alert failed"
    eventually_sql "lost" "select result from cluster_events where node = 'node3'"
    grep -q "Cluster node event: node3 is lost" "$LOG_DIR/fence-events.log" || fail "hacluster's line not in the log"
    setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c "echo x >> '$DB'" 2>/dev/null \
        && fail "nobody could write the database"
    setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c "echo x >> '$LOG_DIR/fence-events.log'" 2>/dev/null \
        && fail "nobody could write the log"
    "$FENCECTL" check > check.out 2>&1 || fail "check: $(cat check.out)"
}

# history tells one story per fence: this node's operation and its alert
# are one row; a fence another node executed, or another device of this
# node, is a row from the alert alone, saying who executed it.
test_history_merges_the_alerts_with_this_records_operations() {
    setup_alerts
    env CRM_alert_kind=node CRM_alert_node=node2 CRM_alert_nodeid=2 CRM_alert_desc=lost \
        CRM_alert_timestamp_epoch="$(( $(date +%s) - 5 ))" ${FR_WRAP:-} "$ALERT" || fail "alert"
    eventually_sql 1 "select count(*) from cluster_events"
    start_responder
    expect_exit 0 agent -o off -n node2
    stop_responder
    now=$(date +%s)
    me=$(hostname)
    alert_at() {   # alert_at EPOCH TARGET EXECUTOR REF
        env CRM_alert_kind=fencing CRM_alert_node="$2" CRM_alert_task=reboot CRM_alert_rc=0 \
            CRM_alert_desc="Operation reboot of $2 by $3 for pacemaker-controld.52@$3: OK (ref=$4)" \
            CRM_alert_timestamp_epoch="$1" CRM_alert_timestamp_usec=0 ${FR_WRAP:-} "$ALERT"
    }
    alert_at "$now" node2 "$me" aaaa0001                 # this node's own fence, from its alert
    alert_at "$((now + 1))" node3 node1 aaaa0002         # executed by another node
    alert_at "$((now - 3600))" node2 "$me" aaaa0003      # this node, another device, an hour ago
    env CRM_alert_kind=node CRM_alert_node=node2 CRM_alert_nodeid=2 CRM_alert_desc=member \
        CRM_alert_timestamp_epoch="$((now + 30))" ${FR_WRAP:-} "$ALERT" || fail "alert"
    # A fencing alert of another task (a notice, as after a cluster
    # restart) is recorded, and is no fence in the history.
    env CRM_alert_kind=fencing CRM_alert_node=node3 CRM_alert_task=st_notify_fence CRM_alert_rc=0 \
        CRM_alert_desc="Operation st_notify_fence of node3 by node1 for x@node1: OK (ref=aaaa0009)" \
        CRM_alert_timestamp_epoch="$((now + 40))" ${FR_WRAP:-} "$ALERT" || fail "alert"
    eventually_sql 6 "select count(*) from cluster_events"
    "$FENCECTL" --format csv history > h.csv || fail "history failed"
    [ "$(grep -c ',node2,' h.csv)" -eq 2 ] || fail "node2's fence and its alert not one row: $(cat h.csv)"
    grep -q "^aaaa0002,.*,reboot,node3,completed,.*,node1,\"executed by node1 (its record there has the storage system's answer)" h.csv \
        || fail "node3's fence by node1 missing: $(cat h.csv)"
    grep -q "^aaaa0003,.*,node2,completed,.*,$me,\"executed by $me (this node, another device" h.csv \
        || fail "the other device's fence missing: $(cat h.csv)"
    [ "$(tail -n +2 h.csv | head -n 1 | cut -d, -f1)" = aaaa0002 ] || fail "not newest first, or a notice shown: $(cat h.csv)"
    "$FENCECTL" history --node node3 > t.txt || fail "history --node"
    grep -q "node3 .*reboot .*completed .*node1 " t.txt || fail "table: $(cat t.txt)"
    [ "$("$FENCECTL" --format csv history --limit 2 | tail -n +2 | wc -l)" -eq 2 ] || fail "--limit not kept"
    # show: this node's fence with the cluster's story; the other node's
    # fence from its alert alone.
    id=$(sql "select op_uuid from operations where target_node = 'node2'")
    "$FENCECTL" show "$id" > s.txt || fail "show: $(cat s.txt)"
    grep -q "node lost .*node2 lost, as Pacemaker told" s.txt || fail "show has no loss: $(cat s.txt)"
    grep -q "Pacemaker's result .*ref=aaaa0001.*(executed by $me" s.txt || fail "show has no result: $(cat s.txt)"
    grep -q "node back .*node2 a member again" s.txt || fail "show has no return: $(cat s.txt)"
    "$FENCECTL" show aaaa0002 > s2.txt || fail "show of an alert's fence: $(cat s2.txt)"
    grep -q "fence .*executed by node1; the storage system's answer is in the record of node1" s2.txt \
        || fail "show aaaa0002: $(cat s2.txt)"
    "$FENCECTL" show ffff > /dev/null 2> s3.txt && fail "show of nothing passed"
    grep -q "no operation with request id 'ffff', and no fence of Pacemaker's" s3.txt || fail "$(cat s3.txt)"
}

# The figures: how long the alert agent keeps Pacemaker waiting, and what
# one recorded alert costs in the database.
test_alert_figures_run_time_and_bytes_per_alert() {
    setup_alerts
    n=100
    [ -n "${FR_WRAP:-}" ] && n=10   # a valgrind start per alert
    db_bytes() {
        sql "pragma wal_checkpoint(truncate)" > /dev/null
        echo $(( $(sql "pragma page_count") * $(sql "pragma page_size") ))
    }
    before=$(db_bytes)
    t0=$(date +%s%N)
    i=0
    while [ "$i" -lt "$n" ]; do
        i=$((i + 1))
        fencing_alert "Operation reboot of node$i by node1 for pacemaker-controld.52@node1: OK (ref=ref-$i)" \
            || fail "alert $i failed"
    done
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    eventually_sql "$n" "select count(*) from cluster_events"
    wait_until 30 alerts_done || fail "copies still recording"
    after=$(db_bytes)
    echo "FIGURE alert agent: $n alerts in $ms ms, $((ms * 1000 / n)) us each until Pacemaker gets its exit (two process starts of the shell's env and the agent included)"
    # The database grows by whole pages: a few alerts may fit in pages it
    # has already, so the growth is printed with the count it is over.
    echo "FIGURE alert record: the database grew by $((after - before)) bytes for $n recorded fencing alerts, $(( (after - before) / n )) per alert (whole $(sql "pragma page_size")-byte pages, WAL checkpointed)"
    [ "$after" -ge "$before" ] || fail "the database shrank"
}
