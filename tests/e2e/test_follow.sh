# fencectl history --follow: existing rows, then new operations and their
# outcomes as they happen, until SIGINT/SIGTERM (exit 0).

# follow_bg ARGS...: fencectl history --follow in the background, output
# in follow.out; FOLLOW_PID is its pid.
follow_bg() {
    ${FR_WRAP:-} "$FENCECTL" "$@" history --follow > follow.out 2> follow.err &
    FOLLOW_PID=$!
    echo "$FOLLOW_PID" > "$S/follow.pid"   # stopped by the runner if the test fails
}

# wait_line PATTERN: until follow.out has a line matching it, at most 30 s
# (a valgrind'd follower on a loaded machine can take many seconds).
wait_line() {
    i=0
    limit=600
    until grep -q -- "$1" follow.out 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -gt "$limit" ] && fail "no line [$1] after 30 s: $(cat follow.out follow.err)"
        sleep 0.05
    done
}

# stop_follow SIGNAL: it ends promptly with exit 0.
stop_follow() {
    kill -"$1" "$FOLLOW_PID"
    i=0
    while kill -0 "$FOLLOW_PID" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -gt 200 ] && fail "follow did not stop within 10 s of SIG$1"
        sleep 0.05
    done
    wait "$FOLLOW_PID"
    rc=$?
    [ "$rc" -eq 0 ] || fail "follow exited $rc on SIG$1: $(cat follow.err)"
}

test_follow_prints_existing_rows_then_new_operations_and_their_outcomes() {
    start_responder
    agent -o off -n node1 || fail "fence node1"
    expect_sql 1 "select count(*) from operations where status = 'completed'"
    follow_bg
    wait_line ' node1 .* completed '
    head -n 1 follow.out | grep -q '^started  *request_id  *action  *target  *status' || fail "header: $(cat follow.out)"
    agent -o off -n node2 || fail "fence node2"
    agent -o reboot -n node3 || fail "fence node3"
    wait_line ' reboot  *node3 .* completed '
    wait_line ' off  *node2 .* completed '
    stop_responder
    # A fence that waits: its start, then its outcome. Answered once the
    # follower has shown it running: a deadline of a few seconds could pass
    # before a valgrind'd follower on a loaded machine looked.
    agent -o off -n node4 --fence-timeout 60 2>/dev/null &
    agent_pid=$!
    wait_line ' node4 .* running '
    id=$(wait_for_request node4)
    write_response node4 "$id" "{\"request_id\": \"$id\", \"success\": false, \"message\": \"storage group busy\"}"
    wait_line ' node4 .* failed '
    wait "$agent_pid"
    # Oldest first; each outcome once (a start may also show as running).
    [ "$(sed 1d follow.out | awk '$5 != "running" { print $4 }' | tr '\n' ' ')" = "node1 node2 node3 node4 " ] \
        || fail "order: $(cat follow.out)"
    [ "$(grep -n ' node4 ' follow.out | cut -d: -f1 | tr '\n' ' ')" = "$(grep -n ' node4 .* running ' follow.out | cut -d: -f1) $(grep -n ' node4 .* failed ' follow.out | cut -d: -f1) " ] \
        || fail "node4: running, then its outcome: $(cat follow.out)"
    stop_follow INT
}

test_follow_json_lines_filters_and_sigterm() {
    start_responder
    agent -o off -n node1 || fail "fence node1"
    agent -o off -n node2 || fail "fence node2"
    expect_sql 2 "select count(*) from operations where status = 'completed'"
    follow_bg --format json
    wait_line '"target": "node2"'
    ${FR_WRAP:-} "$FENCECTL" history --follow --node node2 --limit 1 > node2.out 2>&1 &
    node2_pid=$!
    echo "$node2_pid" > "$S/follow2.pid"
    # Its existing row first: started after the next fence (a slow start under
    # valgrind), --limit 1 would show that fence as the existing row instead.
    i=0
    until grep -q ' node2 .* completed ' node2.out 2>/dev/null; do
        i=$((i + 1)); [ "$i" -gt 400 ] && fail "--node: no existing row: $(cat node2.out)"
        sleep 0.05
    done
    agent -o reboot -n node2 || fail "fence node2 again"
    agent -o reboot -n node3 || fail "fence node3"
    stop_responder
    wait_line '"target": "node3"'
    stop_follow TERM
    while read -r line; do
        echo "$line" | jq -e '.request_id and .status and ((.exit | type) == "number" or .status == "running")' > /dev/null \
            || fail "not a JSON object per line: $line"
    done < follow.out
    [ "$(jq -r 'select(.status != "running") | .target' follow.out | tr '\n' ' ')" = "node1 node2 node2 node3 " ] \
        || fail "lines: $(cat follow.out)"
    i=0
    until [ "$(grep ' node2 ' node2.out | grep -vc ' running ')" -eq 2 ]; do
        i=$((i + 1)); [ "$i" -gt 200 ] && fail "--node: $(cat node2.out)"
        sleep 0.05
    done
    kill -INT "$node2_pid"
    wait "$node2_pid" || fail "--node follow did not exit 0"
    grep -q node1 node2.out && fail "--limit 1 showed more: $(cat node2.out)"
    grep -q node3 node2.out && fail "--node showed another node: $(cat node2.out)"
    return 0
}

# Nothing recorded yet: it waits for the first fence, like journalctl -f
# on a fresh system; and while idle it does not spin on the database.
test_follow_waits_for_the_first_fence_and_sleeps_while_idle() {
    follow_bg
    i=0
    until grep -q 'waiting for the first fence' follow.err; do
        i=$((i + 1)); [ "$i" -gt 200 ] && fail "no waiting note: $(cat follow.err)"
        sleep 0.05
    done
    start_responder
    agent -o off -n node1 || fail "fence node1"
    stop_responder
    wait_line ' node1 .* completed '
    [ -z "${FR_WRAP:-}" ] || { stop_follow INT; return 0; }
    # 2 s idle: CPU ticks (utime + stime, 100 per second) stay near zero.
    t0=$(awk '{ print $14 + $15 }' /proc/$FOLLOW_PID/stat)
    sleep 2
    t1=$(awk '{ print $14 + $15 }' /proc/$FOLLOW_PID/stat)
    [ $((t1 - t0)) -le 2 ] || fail "busy while idle: $((t1 - t0)) ticks in 2 s"
    stop_follow TERM
}

test_follow_usage_errors() {
    "$FENCECTL" history --follow --until 1h 2>/dev/null
    [ $? -eq 2 ] || fail "--until with --follow should exit 2"
    "$FENCECTL" --db a.db --db b.db history --follow 2>/dev/null
    [ $? -eq 2 ] || fail "--follow with several --db should exit 2"
}

# The documented repair (move the database aside, import the logs) replaces
# the file under a follower: like tail -F it says so on stderr and follows
# the file now at the path; the same when it is removed and made again by
# the next fence.
test_follow_keeps_following_a_replaced_or_recreated_database() {
    start_responder
    agent -o off -n node1 || fail "fence node1"
    follow_bg
    wait_line ' node1 .* completed '
    # Replaced: moved aside, restored by import into a new file.
    mv "$DB" "$S/aside.db"
    rm -f "$DB-wal" "$DB-shm"
    "$FENCECTL" import "$LOG_DIR/fence-events-detailed.jsonl" > /dev/null || fail "import"
    agent -o off -n node2 || fail "fence node2"
    wait_line ' node2 .* completed '
    grep -q "$DB was replaced; following the file at that path" follow.err || fail "not said: $(cat follow.err)"
    # Removed, then made again by the next fence.
    rm -f "$DB" "$DB-wal" "$DB-shm"
    sleep 1.5
    agent -o off -n node3 || fail "fence node3"
    wait_line ' node3 .* completed '
    # "removed" when it looked in between, else "replaced": said either way.
    [ "$(grep -c "$DB was re[a-z]*d; following the file at that path" follow.err)" -ge 2 ] \
        || fail "not said: $(cat follow.err)"
    stop_responder
    stop_follow TERM
}
