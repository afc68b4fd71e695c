# fencectl over databases the real agent produced.

ctl() {
    ${FR_WRAP:-} "$FENCECTL" "$@"
}


test_fencectl_history_filters_and_formats() {
    three_fences
    [ "$(ctl --format csv history | wc -l)" -eq 4 ] || fail "csv: header and three rows expected"
    ctl --format json history --node node2 > h.json || fail "history json failed"
    jq -e 'length == 2 and all(.[]; .target == "node2") and .[0].status == "failed" and .[1].status == "completed"' h.json \
        > /dev/null || fail "history json: $(cat h.json)"
    [ "$(ctl --format json history --status completed | jq length)" -eq 2 ] || fail "--status"
    [ "$(ctl --format json history --action reboot | jq -r '.[0].target')" = node3 ] || fail "--action"
    [ "$(ctl --format json history --limit 1 | jq length)" -eq 1 ] || fail "--limit"
    [ "$(ctl --format json history --since 1h | jq length)" -eq 3 ] || fail "--since 1h"
    [ "$(ctl --format json history --until 2000-01-01 | jq length)" -eq 0 ] || fail "--until"
    ctl history | head -n 1 | grep -q '^started  *node  *action  *outcome  *duration  *executed_by  *message$' \
        || fail "table header: $(ctl history | head -n 1)"
    ctl history --wide | head -n 1 | grep -q '^request_id  *started  *action' || fail "--wide header"
}

test_fencectl_history_table_golden() {
    three_fences
    # The default table cuts the message to what the other columns leave of
    # 120: with the host's name there, the golden would depend on its length.
    sql "UPDATE operations SET recorder_node = 'mgmt-1'"
    ctl history --node node3 | sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/2026-12-06 12:04:15/; s/  [0-9.]+(ms|s) +mgmt-1  /  1.2s      mgmt-1  /' > got.txt
    cat > want.txt <<'WANT'
started              node   action  outcome    duration  executed_by  message
2026-12-06 12:04:15  node3  reboot  completed  1.2s      mgmt-1       Successfully fenced node by deleting 1 GFS2 stora…
WANT
    diff want.txt got.txt || fail "table output differs"
    ctl history --node node3 --wide | sed -E 's/[0-9a-f]{8}-[0-9a-f-]{27}/ID/g; s/[0-9T:.-]{23}Z/TIME/g; s/  +/  /g; s/user [a-z]+ \(uid [0-9]+\)/USER/; s/  [0-9]+  1  1  ID  \["/  MS  1  1  ID  ["/; s/\(pid [0-9]+\)$/(pid PID)/' > got.txt
    cat > want.txt <<'WANT'
request_id  started  action  target  status  exit  duration_ms  attempt  attempts  fence  filesystems  requested_by  recorder  message  target_state  quorum  dc  requested_by_process
ID  TIME  reboot  node3  completed  0  MS  1  1  ID  ["discovery-disabled"]  USER  mgmt-1  Successfully fenced node by deleting 1 GFS2 storage groups  sh (pid PID)
WANT
    diff want.txt got.txt || fail "--wide output differs"
}

# long_names_and_messages: two operations whose node names, recorder and
# messages are far longer than a table column, in several scripts.
long_names_and_messages() {
    create_db
    long_node="compute-rack42-chassis07-blade13-$(printf 'x%.0s' $(seq 40))-nœud-très-long"
    long_msg="Échec du fencing : le système de stockage ne répond pas — $(printf 'é漢字%.0s' $(seq 60)) fin"
    sql "INSERT INTO operations (op_uuid, action, target_node, recorder_node, requested_by, agent_pid,
            started_at, finished_at, status, exit_code, message, filesystems) VALUES
         ('11111111-2222-4333-8444-555555555555', 'reboot', '$long_node', 'management-node-with-a-long-name-ñ',
          'pacemaker-fenced', 1, '2026-12-06T12:04:15.123Z', '2026-12-06T12:04:18.523Z', 'failed', 1,
          '$long_msg', '[\"fs-home\"]'),
         ('11111111-2222-4333-8444-666666666666', 'off', 'n1', 'm1', 'pacemaker-fenced', 2,
          '2026-12-06T12:05:00.000Z', '2026-12-06T12:05:00.850Z', 'completed', 0, 'short', '[]')"
}

# Display columns: characters, not bytes (a UTF-8 sequence is one).
widest_line() {
    LC_ALL=C.UTF-8 awk '{ print }' "$1" | while IFS= read -r line; do
        printf '%s' "$line" | LC_ALL=C.UTF-8 wc -m
    done | sort -n | tail -n 1
}

test_fencectl_history_table_fits_120_columns() {
    long_names_and_messages
    for args in "" "--attempts" "--node n1" "--node $long_node"; do
        # shellcheck disable=SC2086
        ctl history $args > t.txt || fail "history $args"
        iconv -f UTF-8 -t UTF-8 t.txt > /dev/null || fail "history $args cut a UTF-8 sequence: $(od -c t.txt | tail -n 5)"
        w=$(widest_line t.txt)
        [ "$w" -le 120 ] || fail "history $args: a line of $w columns: $(cat t.txt)"
    done
    ctl history > t.txt
    [ "$(wc -l < t.txt)" -eq 3 ] || fail "header and two rows expected: $(cat t.txt)"
    grep -q '^2026-12-06 12:04:15  compute-rack42-chassis0…  reboot  failed     3.4s      management-node…  Échec du fencing' t.txt \
        || fail "long row: $(cat t.txt)"
    grep -q '…$' t.txt || fail "the message is not cut with an ellipsis: $(cat t.txt)"
    grep -q '^2026-12-06 12:05:00  n1  *off  *completed  850ms  *m1  *short$' t.txt || fail "short row: $(cat t.txt)"
}

test_fencectl_history_wide_shows_every_column() {
    long_names_and_messages
    ctl history --wide > w.txt || fail "history --wide"
    for col in request_id exit duration_ms attempt attempts fence filesystems requested_by recorder target_state quorum dc requested_by_process; do
        head -n 1 w.txt | grep -qw -- "$col" || fail "--wide lacks $col: $(head -n 1 w.txt)"
        ctl history | head -n 1 | grep -qw -- "$col" && fail "the default table shows $col"
    done
    grep -qF "$long_node" w.txt || fail "--wide cut the node name"
    grep -qF "$long_msg" w.txt || fail "--wide cut the message"
    grep -q '11111111-2222-4333-8444-555555555555' w.txt || fail "--wide lacks the request id"
    [ "$(widest_line w.txt)" -gt 120 ] || fail "--wide kept to 120 columns"
    # --attempts combines with it: attempt and attempts of every run.
    ctl history --wide --attempts --node n1 | sed -n 2p | grep -q '  1  *1  *11111111-2222-4333-8444-666666666666  ' \
        || fail "--wide --attempts: $(ctl history --wide --attempts --node n1)"
    # json and csv carry every column, the whole text, unchanged.
    [ "$(ctl --format json history | jq -r '.[1].target')" = "$long_node" ] || fail "json cut the node"
    [ "$(ctl --format json history | jq -r '.[1].message')" = "$long_msg" ] || fail "json cut the message"
    [ "$(ctl --format csv history | head -n 1)" = "request_id,started,action,target,status,exit,duration_ms,attempt,attempts,fence,filesystems,requested_by,recorder,message,target_state,quorum,dc,requested_by_process" ] \
        || fail "csv header: $(ctl --format csv history | head -n 1)"
    ctl history --follow --wide 2>/dev/null
    [ $? -eq 2 ] || fail "--follow --wide not a usage error"
}

test_fencectl_show_timeline_and_prefixes() {
    three_fences
    id=$(ctl --format json history --action reboot | jq -r '.[0].request_id')
    ctl show "${id%%-*}" > show.txt || fail "show by prefix failed"
    for what in "operation" "request node3-$id.json" "event requested" "event completed" "response (agent)" "outcome"; do
        grep -qF "$what" show.txt || fail "show lacks [$what]"
    done
    grep -q 'outcome .*completed, exit 0' show.txt || fail "no outcome line"
    ctl show ffffffff > /dev/null 2>&1
    [ $? -eq 1 ] || fail "unknown id not an error"
    ctl show "x' OR 1=1 --" > /dev/null 2>&1
    [ $? -eq 2 ] || fail "malformed id not a usage error"
    # A one-character prefix matching several operations is ambiguous.
    for c in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do
        n=$(ctl --format json history | jq "[.[] | select(.request_id | startswith(\"$c\"))] | length")
        if [ "$n" -gt 1 ]; then
            ctl show "$c" 2>err.txt && fail "ambiguous prefix accepted"
            grep -q ambiguous err.txt || fail "no ambiguity message"
            break
        fi
    done
}

test_fencectl_errors_and_exit_codes() {
    ctl --db "$S/none.db" history 2>/dev/null
    [ $? -eq 3 ] || fail "missing database should exit 3"
    [ ! -e "$S/none.db" ] || fail "read-only command created the database"
    ctl bogus 2>/dev/null
    [ $? -eq 2 ] || fail "unknown command should exit 2"
    ctl --format xml history 2>/dev/null
    [ $? -eq 2 ] || fail "unknown format should exit 2"
    ctl history --since yesterday-ish 2>/dev/null
    [ $? -eq 2 ] || fail "bad time should exit 2"
    echo garbage > "$S/garbage.db"
    ctl --db "$S/garbage.db" history 2>/dev/null
    rc=$?
    [ "$rc" -eq 1 ] || [ "$rc" -eq 3 ] || fail "garbage database exit $rc"
    ctl --help | grep -q "Exit codes" || fail "help"
}

test_fencectl_commands_refuse_extra_arguments() {
    for c in stats fenced prune export check orphans history; do
        ctl "$c" surplus > "$S/out" 2> "$S/err"
        rc=$?
        [ "$rc" -eq 2 ] || fail "fencectl $c surplus exited $rc, expected 2"
        grep -q "unexpected argument 'surplus'" "$S/err" || fail "$c: $(cat "$S/err")"
    done
    ctl unfence node1 node2 --yes 2>/dev/null
    [ $? -eq 2 ] || fail "unfence with two nodes"
    expect_count 0 "$S"/db/*
}

test_fencectl_db_naming_a_directory_says_so() {
    for c in history stats; do
        ctl --db "$S" "$c" > /dev/null 2> "$S/err"
        [ $? -ne 0 ] || fail "$c with a directory as --db succeeded"
        grep -q "disk I/O error" "$S/err" && fail "$c: $(cat "$S/err")"
        grep -q "$S is a directory" "$S/err" || fail "$c: $(cat "$S/err")"
    done
}

# Another application's SQLite file: refused by every command and by the
# agent's monitor, and not changed by a byte (no tables, no WAL switch,
# no application_id, no files of ours beside it).
test_fencectl_refuses_another_applications_database() {
    app="$S/app/app.db"
    mkdir -p "$S/app"
    sqlite3 "$app" "create table customers(name text); insert into customers values ('acme');" || fail "sqlite3"
    before=$(sha256sum < "$app")
    for cmd in "prune --dry-run" "prune" "history" "stats" "export" "check"; do
        # shellcheck disable=SC2086
        ctl --db "$app" $cmd > out.txt 2> err.txt
        rc=$?
        # check reports it as a PROBLEM (exit 1), the others exit 3.
        [ "$rc" -eq 3 ] || { [ "$cmd" = check ] && [ "$rc" -eq 1 ]; } \
            || fail "$cmd on another application's database exited $rc: $(cat err.txt)"
        grep -q "not a fence_recorder database" err.txt out.txt || fail "$cmd: no clear error: $(cat err.txt)"
    done
    ctl --db "$app" import "$TOP/tests/fixtures/fencectl/python-agent.jsonl" 2> err.txt
    [ $? -eq 3 ] || fail "import into another application's database: $(cat err.txt)"
    agent -o monitor --db "$app" 2> err.txt && fail "monitor accepted another application's database"
    grep -q "not a fence_recorder database" err.txt || fail "monitor: no clear error: $(cat err.txt)"
    [ "$(sha256sum < "$app")" = "$before" ] || fail "the file was changed"
    [ "$(ls "$S/app")" = app.db ] || fail "files created beside it: $(ls "$S/app")"
    [ "$(sqlite3 "$app" 'pragma journal_mode')" = delete ] || fail "switched to WAL"
}

# Read-only commands and dry runs create nothing: a mistyped path is an
# error naming it, not a new database in new directories.
test_fencectl_read_only_commands_and_dry_runs_create_nothing() {
    typo="$S/typo/sub/fence.db"
    for cmd in history stats orphans fenced export check "show 0" "prune --dry-run" \
               "prune --dry-run --events-older-than 1d"; do
        # shellcheck disable=SC2086
        ctl --db "$typo" $cmd > out.txt 2> err.txt
        rc=$?
        # orphans still lists the directories' files (exit 0), check
        # reports a PROBLEM (exit 1), the others exit 3.
        # fenced reads only the response files.
        case "$cmd" in orphans|fenced) want=0 ;; check) want=1 ;; *) want=3 ;; esac
        [ "$rc" -eq "$want" ] || fail "$cmd on a missing database exited $rc: $(cat err.txt)"
        [ "$cmd" = fenced ] || grep -q "no such database: $typo" err.txt out.txt \
            || fail "$cmd: unclear error: $(cat err.txt)"
        [ ! -e "$S/typo" ] || fail "$cmd created $(find "$S/typo")"
    done
}

# A copied database (no -wal/-shm beside it) read by every read-only
# command, alone and as one of several: nothing appears beside it.
test_fencectl_read_only_commands_leave_nothing_beside_a_copy() {
    three_fences
    mkdir "$S/copy"
    sqlite3 "$DB" "pragma wal_checkpoint(truncate)" > /dev/null
    cp "$DB" "$S/copy/a.db"
    cp "$DB" "$S/copy/b.db"
    id=$(ctl --format json history --limit 1 | jq -r '.[0].request_id')
    for cmd in history stats orphans fenced export "export --log" "show $id" check "prune --dry-run"; do
        # shellcheck disable=SC2086
        ctl --db "$S/copy/a.db" $cmd > out.txt 2> err.txt
        rc=$?
        [ "$rc" -le 1 ] || fail "$cmd on the copy exited $rc: $(cat err.txt)"
        [ "$(ls "$S/copy" | tr '\n' ' ')" = "a.db b.db " ] || fail "$cmd left $(ls "$S/copy")"
    done
    [ "$(ctl --db "$S/copy/a.db" --db "$S/copy/b.db" --format json history | jq length)" -eq 6 ] \
        || fail "two copies read as one"
    [ "$(ls "$S/copy" | tr '\n' ' ')" = "a.db b.db " ] || fail "reading several left $(ls "$S/copy")"
}

test_fencectl_write_commands_wait_as_long_as_the_environment_says() {
    start_responder
    agent -q -o off -n node2 || fail "fence node2"
    stop_responder
    for bad in abc 0.5 3601; do
        FENCE_RECORDER_DB_TIMEOUT=$bad ctl history >/dev/null 2>"$S/err" || fail "history with timeout $bad"
        grep -q "ignoring FENCE_RECORDER_DB_TIMEOUT='$bad'" "$S/err" || fail "bad timeout $bad not reported: $(cat "$S/err")"
    done
    # Another writer holds the lock: prune gives up after the 1 s it was given
    # (whole seconds, read as the agent reads the variable: 0.5 is refused).
    hold_write_lock
    stale="$NNF_FENCE_REQUEST_DIR/.gone-00000000-0000-4000-8000-000000000001.json.tmp"
    echo '{"target_node": "gone"}' > "$stale"
    touch -d '3 days ago' "$stale"
    start=$(date +%s%N)
    FENCE_RECORDER_DB_TIMEOUT=1 ctl prune 2>"$S/err"
    rc=$?
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    release_write_lock
    [ "$rc" -ne 0 ] || fail "prune succeeded while the database was locked"
    grep -q "locked" "$S/err" || fail "the lock is not named: $(cat "$S/err")"
    [ "$took" -lt 5000 ] || fail "prune waited $took ms with a 1 s timeout"
    [ -e "$stale" ] || fail "prune removed a file it could not record"
    ctl prune >/dev/null || fail "prune once the lock is free"
    [ ! -e "$stale" ] || fail "prune left the stale file"
}

test_fencectl_stats_counts_and_latency() {
    three_fences
    agent -o off -n node4 --fence-timeout 1 2>/dev/null
    ctl --format json stats > s.json || fail "stats failed"
    jq -e '(.[] | select(.node == "(all)")) as $a | $a.operations == 4 and $a.completed == 2
        and $a.failed == 1 and $a.timeout == 1 and $a.success_rate == 50.0
        and $a.max_ms >= 1000' s.json > /dev/null || fail "stats: $(cat s.json)"
    jq -e '.[] | select(.node == "node2") | .operations == 2 and .completed == 1' s.json > /dev/null \
        || fail "per-node stats"
    [ "$(ctl --format json stats --since 2000-01-01 | jq length)" -eq 4 ] || fail "--since"
}

test_fencectl_fenced_and_unfence_like_the_agent() {
    three_fences
    ctl --format json fenced > f.json || fail "fenced failed"
    [ "$(jq -r '[.[].node] | sort | join(",")' f.json)" = "node2,node3" ] || fail "fenced: $(cat f.json)"
    ctl unfence node2 < /dev/null 2>/dev/null
    [ $? -eq 2 ] || fail "unfence without --yes and without a terminal must refuse"
    expect_count 2 "$NNF_FENCE_RESPONSE_DIR"/node2-*.json
    ctl unfence node2 --yes > /dev/null || fail "unfence failed"
    # The failed fence's response never marked the node fenced: it stays.
    expect_count 1 "$NNF_FENCE_RESPONSE_DIR"/node2-*.json
    jq -e '.success == false' "$NNF_FENCE_RESPONSE_DIR"/node2-*.json > /dev/null || fail "wrong file removed"
    expect_exit 0 agent -o status -n node2
    expect_sql "1" "select count(*) from responses where source = 'unfence'"
    expect_sql "on|completed" "select action, status from operations where requested_by like 'fencectl%'"
    [ "$(ctl --format json fenced | jq -r '.[].node')" = node3 ] || fail "node3 no longer listed"
}

test_fencectl_respond_by_hand_answers_a_waiting_agent() {
    agent_bg -o off -n node7 --fence-timeout 20
    id=$(wait_for_request node7)
    ctl respond "${id%%-*}" --success --message "detached by hand" > /dev/null || fail "respond failed"
    wait_agent || fail "agent did not accept the manual response"
    expect_sql "completed" "select status from operations"
    expect_sql "1" "select count(*) from responses where source = 'manual' and success = 1"
    jq -e --arg id "$id" '.request_id == $id and .success == true and .target_node == "node7"' \
        "$NNF_FENCE_RESPONSE_DIR/node7-$id.json" > /dev/null || fail "response format"
    ctl respond "$id" --failure 2>/dev/null && fail "answered twice"
    ctl respond "$id" 2>/dev/null
    [ $? -eq 2 ] || fail "respond without a verdict must be a usage error"
}

test_fencectl_orphans_and_check() {
    agent -o off -n node8 --fence-timeout 1 2>/dev/null
    id=11111111-2222-4333-8444-555555555555
    write_response stray $id "{\"request_id\": \"$id\", \"success\": true}"
    ctl --format json orphans > o.json || fail "orphans failed"
    jq -e 'any(.[]; .kind == "request-unanswered" and .node == "node8")' o.json > /dev/null || fail "no unanswered request"
    jq -e 'any(.[]; .kind == "response-without-request" and .node == "stray")' o.json > /dev/null || fail "no stray response"
    ctl check --fence-timeout 1h > c.txt || fail "check should pass: $(cat c.txt)"
    sleep 2
    ctl check --fence-timeout 1s > c.txt
    [ $? -eq 1 ] || fail "stale request not reported"
    grep -q "PROBLEM: request node8-" c.txt || fail "check output: $(cat c.txt)"
}

test_fencectl_prune_records_before_removing() {
    agent -o off -n node9 --fence-timeout 1 2>/dev/null
    touch "$NNF_FENCE_REQUEST_DIR/.abandoned.json.tmp"
    body=$(cat "$NNF_FENCE_REQUEST_DIR"/node9-*.json)
    ctl prune --older-than 0 --dry-run > /dev/null || fail "dry run failed"
    expect_count 1 "$NNF_FENCE_REQUEST_DIR"/node9-*.json
    ctl prune --older-than 1d > /dev/null || fail "prune failed"
    expect_count 1 "$NNF_FENCE_REQUEST_DIR"/node9-*.json
    ctl prune --older-than 0 > /dev/null || fail "prune failed"
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/*
    [ "$(sql "select body from pruned_files where file_name like 'node9-%'")" = "$body" ] || fail "content not recorded"
    expect_sql "1" "select count(*) from pruned_files where reason like 'abandoned temp file%'"
    ctl prune --events-older-than 2000-01-01 > /dev/null || fail "row prune"
    expect_sql "1" "select count(*) from operations"
    sleep 1   # ages count whole seconds
    ctl prune --events-older-than 0s > /dev/null || fail "row prune"
    expect_sql "0" "select count(*) from operations"
    expect_sql "0" "select count(*) from events"
}

# add_op UUID STARTED FINISHED STATUS DURATION_MS: an operation row as a
# stepped clock or a dead agent leaves it (NULL where the text is NULL).
add_op() {
    sql "insert into operations (op_uuid, action, target_node, recorder_node, requested_by,
         agent_pid, started_at, finished_at, status, duration_ms)
         values ('$1', 'off', 'n-$1', 'h', 'test', 1, '$2', $3, '$4', $5)"
}

# Age-based deletion never removes what ended after now minus the age by
# any clock the record holds, nor a running operation, and a huge age is
# an error, not a cut-off in the year 2094066879.
test_fencectl_prune_by_age_keeps_everything_recent_by_any_clock() {
    start_responder
    agent -o off -n node1 || fail "fence"
    stop_responder
    old=2000-01-01T00:00:00.000Z
    recent=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
    add_op gone "$old" "'$old'" completed NULL
    add_op event-now "$old" "'$old'" completed NULL
    sql "insert into events (operation_id, logged_at, local_time, utc_time, action, target_node, status,
         details, recorder_node, pacemaker_action, filesystems)
         select id, '$recent', 'x', '$old', 'off', 'n', 'completed', '', 'h', 'off', '[]'
         from operations where op_uuid = 'event-now'"
    add_op log-now "$old" "'$old'" completed NULL
    sql "insert into log_lines (operation_id, logged_at, local_time, level, message)
         select id, '$recent', 'x', 'INFO', 'm' from operations where op_uuid = 'log-now'"
    add_op response-now "$old" "'$old'" failed NULL
    sql "insert into responses (operation_id, file_name, body, source, recorded_at)
         select id, 'f', '{}', 'agent', '$recent' from operations where op_uuid = 'response-now'"
    # Started long ago by the wall clock, but the monotonic duration says
    # it ended moments ago (the clock was stepped back during the fence).
    add_op long-duration "$old" "'$old'" completed "$(( ($(date +%s) - 946684800) * 1000 ))"
    add_op running "$old" "'$old'" running NULL
    add_op finished-now "$old" "'$recent'" completed NULL
    ctl prune --events-older-than 4000000000000000000s > out.txt 2> err.txt
    [ $? -eq 2 ] || fail "a huge age was accepted: $(cat out.txt err.txt)"
    grep -q "out of range" err.txt || fail "no range error: $(cat err.txt)"
    # Every time option checks its range (under valgrind: no uninitialised
    # struct tm either, which would exit 99).
    for cmd in "history --since 4000000000000000000s" "stats --since 4000000000000000000s" \
               "history --until 2026-02-31" "history --since 1969-12-31" \
               "orphans --older-than 99999999w" "check --fence-timeout 4000000000000000000s" \
               "prune --older-than 36501d"; do
        # shellcheck disable=SC2086
        ctl $cmd > /dev/null 2>&1
        rc=$?
        [ "$rc" -eq 2 ] || fail "$cmd exited $rc, expected a usage error"
    done
    expect_sql 8 "select count(*) from operations"
    ctl prune --dry-run --events-older-than 1h | grep -q "would delete 1 operation" || fail "dry run count"
    expect_sql 8 "select count(*) from operations"
    ctl prune --events-older-than 1h | grep -q "deleted 1 operation" || fail "prune count"
    expect_sql "event-now,finished-now,log-now,long-duration,response-now,running" \
        "select group_concat(op_uuid) from (select op_uuid from operations where op_uuid not like '%-%-%-%' order by op_uuid)"
    expect_sql 1 "select count(*) from operations where target_node = 'node1'"
}

# Durations: the monotonic duration_ms when recorded; a wall-clock
# difference that comes out negative is never shown.
test_fencectl_durations_are_monotonic_and_never_negative() {
    start_responder
    agent -o off -n node1 || fail "fence"
    stop_responder
    mono=aaaaaaaa-0000-4000-8000-000000000001
    back=bbbbbbbb-0000-4000-8000-000000000002
    wall=cccccccc-0000-4000-8000-000000000003
    add_op $mono 2026-01-01T00:00:00.000Z "'2026-01-01T00:00:05.000Z'" completed 42
    add_op $back 2026-01-01T00:00:10.000Z "'2026-01-01T00:00:05.000Z'" completed NULL
    add_op $wall 2026-01-01T00:00:00.000Z "'2026-01-01T00:00:01.500Z'" completed NULL
    ctl --format json history > h.json || fail "history"
    [ "$(jq -r ".[] | select(.request_id == \"$mono\") | .duration_ms" h.json)" = 42 ] || fail "duration_ms not preferred: $(cat h.json)"
    [ "$(jq -r ".[] | select(.request_id == \"$back\") | .duration_ms" h.json)" = null ] || fail "negative duration shown: $(cat h.json)"
    [ "$(jq -r ".[] | select(.request_id == \"$wall\") | .duration_ms" h.json)" = 1500 ] || fail "wall-clock duration: $(cat h.json)"
    ctl show $mono | grep -q "outcome .*completed, exit .*42 ms\|outcome .*completed, 42 ms" || fail "show: $(ctl show $mono)"
    ctl show $back | grep outcome | grep -q -- " -[0-9]" && fail "show gives a negative duration: $(ctl show $back)"
    ctl --format json stats > s.json || fail "stats"
    jq -e 'all(.[]; ((.p50_ms // "0") | tonumber) >= 0 and ((.max_ms // "0") | tonumber) >= 0)' s.json \
        > /dev/null || fail "negative latency in stats: $(cat s.json)"
}

test_fencectl_export_is_byte_identical_and_import_idempotent() {
    three_fences
    ctl export > x.jsonl && cmp x.jsonl "$LOG_DIR/fence-events-detailed.jsonl" || fail "jsonl differs"
    ctl export --readable --output "$S/r.log" && cmp "$S/r.log" "$LOG_DIR/fence-events-readable.log" || fail "readable differs"
    ctl export --log | cmp - "$LOG_DIR/fence-events.log" || fail "main log differs"
    before=$(sql "select count(*) from events")
    ctl import "$LOG_DIR/fence-events-detailed.jsonl" | grep -q "imported 0 event" || fail "own lines re-imported"
    [ "$(sql "select count(*) from events")" = "$before" ] || fail "import changed the events"
    # Into a fresh database (the recovery path): everything, once.
    ctl --db "$S/restored.db" import "$LOG_DIR/fence-events-detailed.jsonl" > /dev/null || fail "restore import"
    ctl --db "$S/restored.db" import "$LOG_DIR/fence-events-detailed.jsonl" > /dev/null || fail "second import"
    [ "$(sqlite3 -cmd ".timeout 10000" "$S/restored.db" 'select count(*) from events')" = "$before" ] || fail "import not idempotent"
    ctl --db "$S/restored.db" export | cmp - "$LOG_DIR/fence-events-detailed.jsonl" || fail "restored export differs"
}

# export_matches FLAG FILE: the export equals the file byte for byte. The
# recorder records after the agent exits, so allow it a moment to finish.
export_matches() {
    i=0
    until ctl export "$1" > "$S/export.out" 2> "$S/export.err" && cmp -s "$S/export.out" "$2"; do
        i=$((i + 1))
        if [ "$i" -gt 100 ]; then
            diff "$2" "$S/export.out" | head -20
            fail "fencectl export $1 differs from $2 ($(cat "$S/export.err"))"
        fi
        sleep 0.1
    done
}

# Several fences of every kind, some at once: each of the three log files
# is reproduced by export, the same lines in the same order, byte for byte.
test_fencectl_export_reproduces_each_log_file() {
    start_responder
    agent -o off -n node1 || fail "off"
    agent -o reboot -n node2 || fail "reboot"
    pids=
    for i in 1 2 3 4 5 6; do
        agent -q -o off -n "burst$i" & pids="$pids $!"
    done
    for p in $pids; do wait "$p" || fail "a fence of the burst failed"; done
    agent -o on -n node1 || fail "on"
    stop_responder
    start_responder --mode failure
    agent -o off -n node3 2>/dev/null && fail "failure response accepted"
    stop_responder
    agent -o off -n node4 --fence-timeout 1 2>/dev/null && fail "no response accepted"
    start_responder
    agent -v -o off -n node5 2>/dev/null || fail "verbose off"
    stop_responder
    ctl unfence node2 --yes > /dev/null || fail "unfence"
    export_matches --jsonl "$LOG_DIR/fence-events-detailed.jsonl"
    export_matches --readable "$LOG_DIR/fence-events-readable.log"
    export_matches --log "$LOG_DIR/fence-events.log"
    export_matches --file=fence-events-detailed.jsonl "$LOG_DIR/fence-events-detailed.jsonl"
    export_matches --file=fence-events-readable.log "$LOG_DIR/fence-events-readable.log"
    export_matches --file=fence-events.log "$LOG_DIR/fence-events.log"
    [ "$(wc -l < "$LOG_DIR/fence-events-detailed.jsonl")" -eq 24 ] || fail "expected 24 events, got $(wc -l < "$LOG_DIR/fence-events-detailed.jsonl")"
    ctl export --file=fence-events.txt 2> err.txt
    [ $? -eq 2 ] || fail "an unknown file name must be a usage error"
    grep -q "fence-events.log" err.txt || fail "the error does not list the files: $(cat err.txt)"
}

test_fencectl_imports_the_python_agents_jsonl() {
    f="$TOP/tests/fixtures/fencectl/python-agent.jsonl"
    # Its junk line is rejected by number and makes the exit status 1; the
    # valid lines are imported all the same.
    ctl import "$f" > out.txt 2> err.txt
    [ $? -eq 1 ] || fail "a rejected line must make import exit 1"
    grep -q "python-agent.jsonl:5: rejected: not a JSON object" err.txt || fail "no line number: $(cat err.txt)"
    grep -q "imported 4 event(s), 0 already present, 1 rejected" out.txt || fail "$(cat out.txt)"
    ctl import "$f" 2>/dev/null | grep -q "imported 0 event(s), 4 already present" || fail "second import not idempotent"
    # Our export of the imported lines is the same events: nothing doubles.
    ops=$(sql "select count(*) from operations")
    ctl export > x.jsonl || fail "export"
    ctl import x.jsonl | grep -q "imported 0 event(s), 4 already present" || fail "export -> import doubled: $(ctl import x.jsonl)"
    expect_sql "$ops" "select count(*) from operations"
    expect_sql '["nnf-storage-1", "nnf-storage-4"]' "select filesystems from events where status = 'initiated'"
    expect_sql "4" "select count(*) from events where origin = 'import'"
    # Operations are reconstructed, so the old agent's fences show in history.
    ctl --format json history --node compute-node-3 > h.json
    jq -e 'length == 2 and any(.[]; .status == "completed" and .requested_by == "import")' h.json \
        > /dev/null || fail "imported history: $(cat h.json)"
    expect_sql "failed" "select status from operations where target_node = 'compute-node-4'"
}

# Identical lines are distinct events: three unfences of a node in one
# second (request_id null) and two fences of a node in one second by the
# Python agent (whole-second stamps) all come back, once, whatever is
# imported again, and nothing stays running.
test_fencectl_import_keeps_identical_lines_and_is_idempotent() {
    u='{"timestamp": "2026-11-25T02:31:02Z", "action": "on", "target_node": "node2", "status": "unfenced", "details": "Unfence completed: nothing to remove", "recorder_node": "mgmt1", "pacemaker_action": "on", "filesystems": [], "request_id": null}'
    printf '%s\n%s\n%s\n' "$u" "$u" "$u" > unfences.jsonl
    ctl import unfences.jsonl | grep -q "imported 3 event(s), 0 already present" || fail "three identical lines: $(ctl import unfences.jsonl)"
    expect_sql 3 "select count(*) from events"
    expect_sql "3|completed" "select count(*), group_concat(distinct status) from operations"
    ctl import unfences.jsonl | grep -q "imported 0 event(s), 3 already present" || fail "re-import added lines"
    ctl export | cmp - unfences.jsonl || fail "export differs from the imported file"
    # Two more in a later file that repeats the first three: only those two.
    printf '%s\n%s\n%s\n%s\n%s\n' "$u" "$u" "$u" "$u" "$u" > five.jsonl
    ctl import five.jsonl | grep -q "imported 2 event(s), 3 already present" || fail "five after three: $(ctl import five.jsonl)"
    expect_sql 5 "select count(*) from events"
    r='{"timestamp": "2025-01-10T14:23:15Z", "action": "reboot", "target_node": "compute-node-3", "status": "requested", "details": "Fence action reboot requested by Pacemaker", "recorder_node": "mgmt-node-1"}'
    c='{"timestamp": "2025-01-10T14:23:15Z", "action": "reboot", "target_node": "compute-node-3", "status": "completed", "details": "Fence action off completed successfully", "recorder_node": "mgmt-node-1"}'
    printf '%s\n%s\n%s\n%s\n' "$r" "$r" "$c" "$c" > python.jsonl
    ctl import python.jsonl | grep -q "imported 4 event(s), 0 already present, 0 rejected; 2 operation" \
        || fail "two Python fences in one second: $(ctl import python.jsonl)"
    expect_sql "2|completed" "select count(*), group_concat(distinct status) from operations where target_node = 'compute-node-3'"
    expect_sql 0 "select count(*) from operations where status = 'running'"
    ctl export > all.jsonl || fail "export"
    ctl import all.jsonl | grep -q "imported 0 event(s), 9 already present" || fail "export -> import: $(ctl import all.jsonl)"
    ctl import python.jsonl | grep -q "imported 0 event(s), 4 already present" || fail "Python re-import"
    expect_sql 9 "select count(*) from events"
    expect_sql 7 "select count(*) from operations"
    # Restored into a fresh database from our export: the same again.
    ctl --db "$S/restored.db" import all.jsonl > /dev/null || fail "restore"
    ctl --db "$S/restored.db" export | cmp - all.jsonl || fail "restored export differs"
    [ "$(sqlite3 "$S/restored.db" 'select count(*) from operations where status = "running"')" = 0 ] || fail "running after restore"
}

# Junk is rejected line by line with its number; the rest is imported; an
# oversize line does not stop the file; a directory is an error.
test_fencectl_import_rejects_junk_line_by_line() {
    ok1='{"timestamp": "2026-11-25T02:31:02Z", "action": "off", "target_node": "node1", "status": "failed", "details": "d", "recorder_node": "m"}'
    ok2='{"timestamp": "2026-11-25T02:31:09Z", "action": "off", "target_node": "node3", "status": "completed", "details": "d", "recorder_node": "m"}'
    {
        echo "$ok1"
        echo '{"timestamp": "2026-11-25T02:31:03Z", "action": "off", "target_node": "node1", "status": "exploded", "details": "d", "recorder_node": "m"}'
        echo '{"timestamp": "not a time", "action": "off", "target_node": "node1", "status": "completed", "details": "d", "recorder_node": "m"}'
        echo '{"timestamp": "2026-11-25T02:31:04Z", "action": "off", "target_node": "../../etc", "status": "completed", "details": "d", "recorder_node": "m"}'
        printf '{"timestamp": "2026-11-25T02:31:05Z", "action": "off", "target_node": "node1", "status": "completed", "recorder_node": "m", "details": "'
        head -c 5000000 /dev/zero | tr '\0' x
        echo '"}'
        echo "$ok2"
        echo '{"timestamp": "2026-02-30T00:00:00Z", "action": "off", "target_node": "node1", "status": "completed", "details": "d", "recorder_node": "m"}'
        echo '{"timestamp": "2026-11-25T02:31:06Z", "action": "off", "target_node": "node1", "status": "completed", "details": "d", "recorder_node": "m", "request_id": "x"}'
    } > junk.jsonl
    ctl import junk.jsonl > out.txt 2> err.txt
    [ $? -eq 1 ] || fail "rejected lines must make import exit 1"
    grep -q "imported 2 event(s), 0 already present, 6 rejected" out.txt || fail "counts: $(cat out.txt)"
    for n in 2 3 4 5 7 8; do
        grep -q "junk.jsonl:$n: rejected" err.txt || fail "line $n not reported: $(cut -c1-200 err.txt)"
    done
    grep -q "junk.jsonl:[16]: rejected" err.txt && fail "a valid line was rejected"
    expect_sql "node1|failed node3|completed" "select group_concat(target_node || '|' || status, ' ') from (select * from events order by id)"
    ctl import "$S" > out.txt 2> err.txt
    [ $? -eq 1 ] || fail "a directory must be an error"
    grep -q "is a directory" err.txt || fail "directory: $(cat err.txt)"
    expect_sql 2 "select count(*) from events"
}

# What cJSON would read differently from other readers, or merge, is
# refused line by line with its number: an escaped NUL (it cut "n\u0000x"
# to "n"), a key given twice, a request id of another node's fence. A fence
# whose log holds only its request stays open, and check names it as
# imported with an unknown outcome, not as a fence Pacemaker saw fail.
test_fencectl_import_refuses_what_readers_disagree_on() {
    id=5b1e0a3c-7d2f-4e8a-9c6b-1f2e3d4c5b6a
    {
        printf '%s\n' '{"timestamp": "2026-11-25T02:31:02Z", "action": "off", "target_node": "n\u0000x", "status": "failed", "details": "d", "recorder_node": "m"}'
        printf '%s\n' '{"timestamp": "2026-11-25T02:31:02Z", "action": "off", "target_node": "node1", "target_node": "node9", "status": "failed", "details": "d", "recorder_node": "m"}'
        printf '%s\n' "{\"timestamp\": \"2026-11-25T02:31:03Z\", \"action\": \"off\", \"target_node\": \"node2\", \"status\": \"requested\", \"details\": \"d\", \"recorder_node\": \"m\", \"request_id\": \"$id\"}"
        printf '%s\n' "{\"timestamp\": \"2026-11-25T02:31:04Z\", \"action\": \"off\", \"target_node\": \"node3\", \"status\": \"completed\", \"details\": \"d\", \"recorder_node\": \"m\", \"request_id\": \"$id\"}"
        printf '%s\n' '{"timestamp": "2026-11-25T02:31:05Z", "action": "off", "target_node": "node4", "status": "failed", "details": "a \\u0000 literal", "recorder_node": "m"}'
    } > hostile.jsonl
    ctl import hostile.jsonl > out.txt 2> err.txt
    [ $? -eq 1 ] || fail "rejected lines must make import exit 1: $(cat out.txt err.txt)"
    grep -q "hostile.jsonl:1: rejected: contains an escaped NUL" err.txt || fail "NUL: $(cat err.txt)"
    grep -q 'hostile.jsonl:2: rejected: has the key "target_node" twice' err.txt || fail "duplicate: $(cat err.txt)"
    grep -q "hostile.jsonl:4: rejected: request_id $id already belongs to a fence of another node" err.txt \
        || fail "merge: $(cat err.txt)"
    grep -q "hostile.jsonl:[35]: rejected" err.txt && fail "a valid line was rejected: $(cat err.txt)"
    expect_sql "node2|running node4|failed" "select group_concat(target_node || '|' || status, ' ') from (select * from operations order by id)"
    expect_sql 0 "select count(*) from operations where target_node in ('n', 'node3', 'node9')"
    ctl check > check.out 2>&1 && fail "check passes with an operation of unknown outcome"
    grep -q "operation $id (off of node2) was imported from log lines or files that hold no outcome for it" check.out \
        || fail "check: $(cat check.out)"
    grep -q "Pacemaker saw that fence fail" check.out && fail "check claims what nobody saw: $(cat check.out)"
    return 0
}

test_fencectl_several_databases_read_as_one() {
    start_responder
    agent -o off -n node1 --db "$S/mgmt1.db" || fail "fence 1"
    agent -o off -n node2 --db "$S/mgmt2.db" || fail "fence 2"
    stop_responder
    ctl --db "$S/mgmt1.db" --db "$S/mgmt2.db" --format json history > h.json || fail "history"
    [ "$(jq -r '[.[].target] | sort | join(",")' h.json)" = "node1,node2" ] || fail "merged history: $(cat h.json)"
    id=$(jq -r '.[] | select(.target == "node2") | .request_id' h.json)
    ctl --db "$S/mgmt1.db" --db "$S/mgmt2.db" show "$id" | grep -q "request node2-$id.json" || fail "show across databases"
    [ "$(ctl --db "$S/mgmt1.db" --db "$S/mgmt2.db" --format json stats | jq -r '.[] | select(.node == "(all)") | .operations')" = 2 ] \
        || fail "merged stats"
    # A node that never recorded a fence has no database: named, the others read.
    ctl --db "$S/mgmt1.db" --db "$S/missing.db" --format json history > h.json 2> err.txt \
        || fail "a missing database among several stopped the others: $(cat err.txt)"
    [ "$(jq -r '[.[].target] | join(",")' h.json)" = node1 ] || fail "history without the missing one: $(cat h.json)"
    grep -q "no such database: $S/missing.db; reading the other databases without it" err.txt \
        || fail "the missing database is not named: $(cat err.txt)"
    ctl --db "$S/missing.db" --db "$S/missing2.db" history 2> err.txt
    [ $? -eq 3 ] || fail "no database at all must exit 3"
    grep -q "none of the 2 databases exists" err.txt || fail "$(cat err.txt)"
}

# many_files N: N unanswered requests of N nodes, the i-th i + 1 minutes
# old (past check's default fence timeout of 60 s), and N responses to
# other requests (every other one a success).
many_files() {
    i=1
    while [ "$i" -le "$1" ]; do
        id=$(printf '%08x-0000-4000-8000-%012x' "$i" "$i")
        rid=$(printf '%08x-1111-4000-8000-%012x' "$i" "$i")
        node=$(printf 'n%04d' "$i")
        printf '{"request_id": "%s", "target_node": "%s"}\n' "$id" "$node" > "$NNF_FENCE_REQUEST_DIR/$node-$id.json"
        touch -d "$((i + 1)) minutes ago" "$NNF_FENCE_REQUEST_DIR/$node-$id.json"
        ok=$([ $((i % 2)) -eq 0 ] && echo true || echo false)
        printf '{"request_id": "%s", "target_node": "%s", "success": %s, "message": "m%s"}\n' \
            "$rid" "$node" "$ok" "$i" > "$NNF_FENCE_RESPONSE_DIR/$node-$rid.json"
        i=$((i + 1))
    done
}

test_fencectl_orphans_and_check_summarise_long_lists() {
    export CIBADMIN_PATH=/nonexistent/cibadmin   # no live cluster's devices judged
    create_db
    many_files 25
    ctl orphans > o.txt || fail "orphans failed"
    [ "$(grep -c '^request-unanswered ' o.txt)" -eq 20 ] || fail "table: not 20 unanswered requests: $(cat o.txt)"
    # The oldest 20 (requests 6..25), oldest first.
    [ "$(grep '^request-unanswered ' o.txt | head -n 1 | awk '{print $3}')" = n0025 ] || fail "oldest first: $(cat o.txt)"
    grep -q '^request-unanswered .* n0005 ' o.txt && fail "a younger request shown instead of an older one"
    grep -q "shown: the oldest 20 of each kind, of 25 request-unanswered 25 response-without-request" o.txt \
        || fail "no summary: $(tail -n 3 o.txt)"
    [ "$(ctl orphans --all | grep -c '^request-unanswered ')" -eq 25 ] || fail "--all"
    [ "$(ctl --format csv orphans | grep -c '^request-unanswered,')" -eq 25 ] || fail "csv is complete"
    ctl check > c.txt
    [ $? -eq 1 ] || fail "check passed with stale requests"
    grep -q "PROBLEM: 25 requests unanswered for over 60s .*the oldest 20:" c.txt || fail "check summary: $(cat c.txt)"
    [ "$(grep -c '^PROBLEM: request n' c.txt)" -eq 20 ] || fail "check lists not 20: $(cat c.txt)"
    grep -q "and 5 more: 'fencectl check --all'" c.txt || fail "check count: $(cat c.txt)"
    [ "$(ctl check --all | grep -c '^PROBLEM: request n')" -eq 25 ] || fail "check --all"
}

test_fencectl_fenced_reads_hundreds_of_responses_in_name_order() {
    # More than one batch of the pipelined reader (256), with a bad file in it.
    many_files 600
    printf 'not json\n' > "$NNF_FENCE_RESPONSE_DIR/n0300-$(printf '%08x-2222-4000-8000-%012x' 1 1).json"
    ctl --format csv fenced > f.csv 2> f.err
    [ $? -eq 1 ] || fail "an unreadable response must make fenced exit 1"
    grep -q "cannot tell from .*/n0300-00000001-2222-" f.err || fail "unreadable not named: $(cat f.err)"
    want=$(ls "$NNF_FENCE_RESPONSE_DIR" | grep -- '-1111-' | sort | awk -F- '{ n = substr($1, 2) + 0; if (n % 2 == 0) print }')
    got=$(tail -n +2 f.csv | cut -d, -f5)
    [ "$got" = "$want" ] || fail "fenced lists other files, or in another order: $(echo "$got" | head -3)"
    [ "$(tail -n +2 f.csv | wc -l)" -eq 300 ] || fail "not 300 fenced"
    grep -q '^n0600,.*,m600,n0600-' f.csv || fail "message column: $(grep n0600 f.csv)"
    ctl --format csv fenced --node N0042 | grep -q '^n0042,' || fail "fenced --node ignores case"
}
