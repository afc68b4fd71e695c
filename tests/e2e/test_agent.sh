# End-to-end tests of fence_recorder run as Pacemaker and administrators
# run it: options on stdin or argv, against the example responder, with
# real directories and a real database.

PCMK_OFF='nodename=node2
action=off
port=node2
plug=node2
pcmk_host_list=node2
unknown_attribute=whatever'

test_metadata_validates_against_clusterlabs_schema() {
    agent -o metadata > meta.xml || fail "metadata exited non-zero"
    xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng meta.xml || fail "metadata invalid"
    for p in action plug port nodename request_dir response_dir log_dir db fence_timeout \
             poll_interval db_timeout delay filesystem_discovery discovery_timeout verbose quiet; do
        grep -q "<parameter name=\"$p\"" meta.xml || fail "metadata lacks parameter $p"
    done
    # Unfencing on rejoin (README): automatic, run where off runs (not on_target).
    grep -q '<action name="on" automatic="1"/>' meta.xml || fail "on action not declared automatic"
}

# pcs is not packaged for Debian 12: the shipped pcs example and the
# README's are checked by their parameter names against the metadata.
test_pcs_examples_name_only_real_parameters() {
    agent -o metadata > meta.xml || fail "metadata exited non-zero"
    for src in "$TOP/contrib/examples/pcs-stonith-create.sh" "$TOP/README.md"; do
        names=$(sed -n '/pcs stonith create/,/op monitor/p' "$src" \
            | grep -o '[a-z_]*=' | tr -d '=' | grep -v '^pcmk_\|^interval$' | sort -u)
        [ -n "$names" ] || fail "no pcs parameters found in $src"
        for n in $names; do
            grep -q "<parameter name=\"$n\"" meta.xml || fail "$src: pcs names '$n', not a parameter"
        done
    done
}

test_metadata_as_unprivileged_user_touches_nothing() {
    chmod 755 "$S"
    # As Pacemaker's controller runs it: user hacluster-like, paths unwritable.
    out=$(cd / && printf 'action=metadata\n' | env LOG_DIR=/nonexistent/log \
          FENCE_RECORDER_DB=/nonexistent/db NNF_FENCE_REQUEST_DIR=/nonexistent/rq \
          setpriv --reuid=nobody --regid=nogroup --clear-groups ${FR_WRAP:-} "$AGENT") \
        || fail "metadata failed as nobody"
    echo "$out" | grep -q '<resource-agent name="fence_recorder"' || fail "no metadata printed"
    [ ! -e /nonexistent ] || fail "metadata created files"
}

test_off_via_stdin_success_records_everything() {
    start_responder --mode success
    expect_exit 0 agent_stdin "$PCMK_OFF"
    stop_responder
    expect_sql "1|off|node2|completed|0" "select count(*), action, target_node, status, exit_code from operations"
    expect_sql "1" "select count(*) from requests r join operations o on o.id = r.operation_id where r.request_id = o.op_uuid"
    expect_sql "1|1|agent" "select count(*), success, source from responses"
    expect_sql "requested,completed" "select group_concat(status) from (select status from events order by id)"
    expect_file_contains "$LOG_DIR/fence-events.log" "\[INFO\] Fence action requested: off for target: node2"
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "ACTION=off TARGET=node2 FILESYSTEMS=\[\"discovery-disabled\"\] STATUS=completed"
    jq -e 'select(.status == "completed") | .target_node == "node2" and .pacemaker_action == "off" and (.request_id | length) == 36' \
        "$LOG_DIR/fence-events-detailed.jsonl" > /dev/null || fail "jsonl lacks completed event"
    # The response stays: it is the node's fenced state for nnf-sos.
    expect_count 1 "$NNF_FENCE_RESPONSE_DIR"/node2-*.json
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/*.json
}

test_request_file_is_exactly_the_protocol() {
    FENCE_TIMEOUT=5 agent -o off -n node2 2>/dev/null &
    pid=$!
    id=$(wait_for_request node2)
    f="$NNF_FENCE_REQUEST_DIR/node2-$id.json"
    [ "$(stat -c %a "$f")" = 644 ] || fail "request mode is $(stat -c %a "$f")"
    jq -e --arg id "$id" '.request_id == $id and .action == "off" and .target_node == "node2"
        and (.recorder_node | length) > 0 and (.timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T"))
        and (keys | length) == 5' "$f" > /dev/null || fail "request body wrong: $(cat "$f")"
    ls -a "$NNF_FENCE_REQUEST_DIR" | grep -q '\.tmp$' && fail "temp file left behind"
    write_response node2 "$id" "{\"request_id\": \"$id\", \"success\": true, \"message\": \"done\"}"
    wait $pid || fail "agent failed"
    expect_sql "$(cat "$f")" "select body from requests"
}

test_short_and_long_options() {
    start_responder
    expect_exit 0 agent -o off -n node2
    expect_exit 0 agent --action=reboot --plug node3
    expect_exit 0 agent --action off --port node4
    expect_exit 0 agent --action off --hostname node5
    stop_responder
    expect_sql "off:node2,reboot:node3,off:node4,off:node5" \
        "select group_concat(action || ':' || target_node) from (select * from operations order by id)"
}

test_parameters_beat_environment() {
    start_responder
    mkdir -p "$S/other-log"
    expect_exit 0 agent -o off -n node2 --log-dir "$S/other-log" --db "$S/other.db"
    stop_responder
    expect_file_contains "$S/other-log/fence-events.log" "Fence action requested"
    [ ! -e "$LOG_DIR/fence-events.log" ] || fail "LOG_DIR used despite --log-dir"
    [ "$(sqlite3 -cmd ".timeout 10000" "$S/other.db" 'select count(*) from operations')" = 1 ] || fail "--db not used"
    [ ! -e "$DB" ] || fail "env database used despite --db"
}

test_failure_response_fails_the_fence() {
    start_responder --mode failure --message "storage group busy"
    expect_exit 1 agent_stdin "$PCMK_OFF"
    stop_responder
    expect_sql "failed|1" "select status, exit_code from operations"
    expect_sql "1" "select count(*) from operations where message like '%storage group busy%'"
    expect_sql "0" "select success from responses"
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "STATUS=failed"
}

test_timeout_fails_and_keeps_the_request() {
    start_responder --mode silent
    before=$(recorders_so_far)
    start=$(date +%s)
    ${FR_WRAP:-} "$AGENT" -o off -n node2 --fence-timeout 1 2>/dev/null
    rc=$?
    took=$(( $(date +%s) - start ))
    wait_recorded "$before"
    stop_responder
    [ "$rc" -eq 1 ] || fail "a timeout exited $rc"
    # Bounded by the timeout, not by anything else (valgrind adds ~2 s of start-up).
    [ "$took" -le 5 ] || fail "timeout of 1 s took ${took} s"
    expect_sql "timeout|1" "select status, exit_code from operations"
    expect_count 1 "$NNF_FENCE_REQUEST_DIR"/node2-*.json
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "STATUS=timeout"
}

test_sigterm_is_recorded_as_terminated() {
    agent_bg -o off -n node2 --fence-timeout 30 2>/dev/null
    wait_for_request node2 > /dev/null
    sleep 0.2
    kill -TERM $AGENT_PID
    wait_agent
    rc=$?
    [ "$rc" -eq 1 ] || fail "terminated agent exited $rc"
    expect_sql "terminated|1" "select status, exit_code from operations"
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "STATUS=terminated"
}

# Starts an agent for node2 and answers its request with BODY (@ID@ is
# replaced by the request id); prints the agent's exit code and seconds.
answer_with() {
    start=$(date +%s%N)
    agent_bg -o off -n node2 --fence-timeout "${2:-3}" 2>"$S/agent.err"
    id=$(wait_for_request node2)
    body=$(printf '%s' "$1" | sed "s/@ID@/$id/g")
    write_response node2 "$id" "$body"
    wait "$AGENT_PID"
    rc=$?
    took=$(( ($(date +%s%N) - start) / 1000000 ))   # the agent's time, not its record's
    wait_recorded "$AGENT_BEFORE"
    echo "$rc $took"
}

test_response_with_other_request_id_is_rejected_at_once() {
    set -- $(answer_with '{"request_id": "00000000-0000-4000-8000-000000000000", "success": true}' 10)
    [ "$1" -eq 1 ] || fail "mismatched id accepted (exit $1)"
    [ "$2" -lt 5000 ] || fail "mismatched id took $2 ms (should fail at once)"
    expect_sql "failed" "select status from operations"
    grep -q "expected" "$S/agent.err" || fail "no explanation on stderr"
}

test_success_as_string_is_rejected() {
    set -- $(answer_with '{"request_id": "@ID@", "success": "true"}')
    [ "$1" -eq 1 ] || fail "string success accepted"
    expect_sql "1" "select count(*) from operations where message like '%not a JSON boolean%'"
}

test_response_for_another_node_is_rejected() {
    set -- $(answer_with '{"request_id": "@ID@", "target_node": "node9", "success": true}')
    [ "$1" -eq 1 ] || fail "response for node9 accepted for node2"
}

test_unparseable_response_fails_at_timeout_with_reason() {
    set -- $(answer_with '{"request_id": "@ID@", "succ' 2)
    [ "$1" -eq 1 ] || fail "garbage accepted"
    expect_sql "timeout" "select status from operations"
    expect_sql "1" "select count(*) from operations where message like '%not valid JSON%'"
}

test_oversized_response_is_refused() {
    start=$(date +%s)
    agent -o off -n node2 --fence-timeout 10 2>/dev/null &
    pid=$!
    id=$(wait_for_request node2)
    head -c 2000000 /dev/zero | tr '\0' ' ' > "$NNF_FENCE_RESPONSE_DIR/.x"
    mv "$NNF_FENCE_RESPONSE_DIR/.x" "$NNF_FENCE_RESPONSE_DIR/node2-$id.json"
    wait $pid
    rc=$?
    [ "$rc" -eq 1 ] || fail "oversized response exit $rc"
    [ $(( $(date +%s) - start )) -lt 5 ] || fail "oversized response not refused at once"
    expect_sql "1" "select count(*) from operations where message like '%limit%'"
}

test_symlinked_response_is_refused_and_target_untouched() {
    echo '{"request_id": "x", "success": true}' > "$S/secret"
    agent -o off -n node2 --fence-timeout 10 2>/dev/null &
    pid=$!
    id=$(wait_for_request node2)
    ln -s "$S/secret" "$NNF_FENCE_RESPONSE_DIR/node2-$id.json"
    wait $pid
    rc=$?
    [ "$rc" -eq 1 ] || fail "symlink response exit $rc"
    expect_sql "1" "select count(*) from operations where message like '%symbolic link%'"
    expect_sql "0" "select count(*) from responses where body like '%request_id%'"
}

test_in_place_responder_is_read_once_complete() {
    start_responder --in-place --in-place-pause-ms 300
    expect_exit 0 agent -o off -n node2 --poll-interval 0.05
    stop_responder
    expect_sql "completed" "select status from operations"
}

test_reboot_is_fenced_like_off() {
    start_responder
    expect_exit 0 agent_stdin "nodename=node2
action=reboot
plug=node2"
    stop_responder
    expect_sql "reboot|completed" "select action, status from operations"
}

# Who asked: Pacemaker's fencer by its service name, a person by user name
# and uid (looked up by the recorder, off the fence's path); an unfence
# records it too.
test_requester_is_recorded_for_fences_and_unfences() {
    start_responder
    expect_exit 0 agent -o off -n node2
    export PCMK_service=pacemaker-fenced
    expect_exit 0 agent -o reboot -n node3
    unset PCMK_service
    expect_exit 0 agent -o on -n node2
    stop_responder
    me="user $(id -un) (uid $(id -u))"
    expect_sql "off|$me,reboot|pacemaker-fenced,on|$me" \
        "select group_concat(action || '|' || requested_by) from (select * from operations order by id)"
}

test_on_status_off_status_sequence() {
    start_responder
    expect_exit 0 agent -o on -n node2
    expect_exit 0 agent -o status -n node2
    expect_exit 0 agent -o off -n node2
    expect_exit 2 agent -o status -n node2
    [ "$(agent -o status -n node2)" = "Status: OFF" ] || fail "status text"
    expect_exit 0 agent -o status -n node3
    expect_exit 0 agent -o on -n node2
    expect_exit 0 agent -o status -n node2
    stop_responder
    expect_count 0 "$NNF_FENCE_RESPONSE_DIR"/node2-*.json
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/*.json
    # The cleared response is in the database before the file went away.
    expect_sql "1" "select count(*) from responses where source = 'unfence' and success = 1"
    expect_sql "on:completed,off:completed,on:completed" \
        "select group_concat(action || ':' || status) from (select * from operations order by id)"
}

test_on_never_writes_a_request() {
    expect_exit 0 agent -o on -n node2
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/*
}

test_on_keeps_response_when_database_is_unusable() {
    id=11111111-2222-4333-8444-555555555555
    write_response node2 $id "{\"request_id\": \"$id\", \"success\": true, \"message\": \"fenced\"}"
    touch "$S/not-a-dir"
    expect_exit 1 agent -o on -n node2 --db "$S/not-a-dir/db"
    expect_count 1 "$NNF_FENCE_RESPONSE_DIR"/node2-$id.json
    expect_exit 2 agent -o status -n node2
}

test_status_ignores_failed_and_other_nodes_responses() {
    a=11111111-2222-4333-8444-555555555555
    b=21111111-2222-4333-8444-555555555555
    write_response node2 $a "{\"request_id\": \"$a\", \"success\": false}"
    write_response node2-x $b "{\"request_id\": \"$b\", \"success\": true}"
    expect_exit 0 agent -o status -n node2
    expect_exit 2 agent -o status -n node2-x
}

test_node_names_match_ignoring_case_as_pacemaker_does() {
    a=11111111-2222-4333-8444-555555555555
    write_response NODE1 $a "{\"request_id\": \"$a\", \"target_node\": \"NODE1\", \"success\": true}"
    expect_exit 2 agent -o status -n node1
    expect_exit 2 agent -o status -n Node1
    "$FENCECTL" --format csv fenced --node node1 > "$S/fenced.csv" || fail "fencectl fenced"
    grep -q "^NODE1,.*,$a," "$S/fenced.csv" || fail "fenced --node node1: $(cat "$S/fenced.csv")"
    expect_exit 0 agent -o on -n node1
    expect_count 0 "$NNF_FENCE_RESPONSE_DIR"/*
    expect_exit 0 agent -o status -n NODE1
    expect_sql 1 "select count(*) from responses where source = 'unfence' and success = 1"
}

test_status_unknown_when_response_unreadable() {
    a=11111111-2222-4333-8444-555555555555
    write_response node2 $a "not json"
    expect_exit 1 agent -o status -n node2
}

test_monitor_list_validate() {
    expect_exit 0 agent -o monitor
    # No database yet: monitor makes sure its directory is there and
    # writable, and creates nothing else (the first fence's recorder does).
    [ -d "$(dirname "$DB")" ] || fail "monitor did not check the database's directory"
    [ ! -e "$DB" ] || fail "monitor created the database"
    printf 'not a database, 100 bytes at least: %064d\n' 0 > "$DB"
    agent -o monitor 2>&1 | grep -q "is not an SQLite database" || fail "monitor did not read the header"
    rm "$DB"
    [ "$(agent -o list -n node2)" = "node2" ] || fail "list output"
    expect_exit 0 agent -o validate-all -n node2
    expect_exit 1 agent -o validate-all -n node2 --fence-timeout=-5
    expect_exit 1 agent -o validate-all -n node2 --request-dir relative/path
    touch "$S/file"
    expect_exit 1 agent -o monitor --db "$S/file/db"
    agent -o monitor --db "$S/file/db" 2>&1 | grep -q "monitor failed" || fail "no reason given"
}

test_what_validate_all_accepts_off_can_do() {
    # The longest node name whose dot-temp request name fits in 255 bytes.
    long=$(head -c 208 /dev/zero | tr '\0' n)
    expect_exit 0 agent -o validate-all -n "$long"
    agent_bg -o off -n "$long" --fence-timeout 20
    id=$(wait_for_request "$long")
    write_response "$long" "$id" "{\"request_id\": \"$id\", \"target_node\": \"$long\", \"success\": true, \"message\": \"fenced\"}"
    wait_agent || fail "off of a 208-byte node name failed after validate-all accepted it"
    expect_exit 2 agent -o status -n "$long"
    for action in validate-all monitor off status; do
        agent -o "$action" -n "${long}x" --fence-timeout 1 2>"$S/err"
        [ $? -eq 1 ] || fail "$action accepted a 209-byte node name"
        grep -q "longer than 208 bytes" "$S/err" || fail "$action: $(cat "$S/err")"
    done
    expect_count 0 "$NNF_FENCE_REQUEST_DIR/${long}x"-*
    # One directory spelled two ways (or through a symlink) is refused by
    # validate-all, monitor and off alike.
    ln -s "$NNF_FENCE_RESPONSE_DIR" "$S/link"
    for rq in "$NNF_FENCE_RESPONSE_DIR/" "$NNF_FENCE_RESPONSE_DIR//." "$S/link" "$S/new/../responses"; do
        for action in validate-all monitor off; do
            agent -o "$action" -n node2 --request-dir "$rq" --fence-timeout 1 2>"$S/err"
            [ $? -eq 1 ] || fail "$action accepted request_dir=$rq with response_dir=$NNF_FENCE_RESPONSE_DIR"
            grep -q "must be different directories" "$S/err" || fail "$action $rq: $(cat "$S/err")"
        done
    done
    # Not created yet, spelled differently: still one directory.
    expect_exit 1 agent -o validate-all -n node2 --request-dir "$S/later/x/" --response-dir "$S/later/x"
    expect_exit 0 agent -o validate-all -n node2 --request-dir "$S/later/x" --response-dir "$S/later/y"
    expect_count 0 "$NNF_FENCE_RESPONSE_DIR"/node2-*
}

# Refused names never reach a path: no request is written. Pacemaker
# asked for each fence all the same, so each is recorded as refused, the
# name escaped (control characters never reach the record raw).
test_bad_target_names_write_no_request_and_are_recorded_as_refused() {
    for name in '../etc' 'a/b' '.hidden' '-dash' 'sp ace' "$(printf 'new\nline')" \
                "$(printf 'tab\tx')" "$(head -c 300 /dev/zero | tr '\0' a)" \
                "$(head -c 10000 /dev/zero | tr '\0' a)" "$(printf 'latin1-n\366de')"; do
        expect_exit 1 agent -o off -n "$name" --fence-timeout 1 2>/dev/null
    done
    # On stdin a newline ends the line, so only single-line names apply.
    for name in '../etc' 'a/b' '.hidden' 'sp ace'; do
        printf 'action=off\nplug=%s\nfence_timeout=1\n' "$name" | agent 2>/dev/null
        [ $? -eq 1 ] || fail "name [$name] on stdin not rejected"
    done
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/*
    expect_sql "14|14" "select count(*), sum(status = 'failed' and message like 'refused: %') from operations"
    expect_sql 0 "select count(*) from operations where instr(target_node, char(9)) or instr(target_node, char(10))"
    expect_sql 1 "select count(*) from operations where target_node = 'new\x0aline'"
}

test_unknown_action_and_option() {
    expect_exit 1 agent -o explode -n node2
    expect_exit 1 agent --no-such-option
    printf 'action=off\n' | agent 2>/dev/null
    [ $? -eq 1 ] || fail "off without a target accepted"
}

test_database_unavailable_fence_still_succeeds() {
    start_responder
    touch "$S/file"
    agent -o off -n node2 --db "$S/file/db" 2>"$S/err"
    rc=$?
    stop_responder
    [ "$rc" -eq 0 ] || fail "fence failed because of the database (exit $rc)"
    # The agent exits on the answer; its recorder reports the database in
    # fence-events.log (and syslog), and monitor fails on it.
    expect_file_contains "$LOG_DIR/fence-events.log" "\[ERROR\] database unavailable"
    expect_exit 1 agent -o monitor --db "$S/file/db" 2>/dev/null
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "STATUS=completed"
}

test_database_unavailable_failure_still_fails() {
    start_responder --mode failure
    touch "$S/file"
    expect_exit 1 agent -o off -n node2 --db "$S/file/db"
    stop_responder
}

test_log_dir_unwritable_fence_still_succeeds() {
    start_responder
    touch "$S/file"
    agent -o off -n node2 --log-dir "$S/file/log" 2>"$S/err"
    rc=$?
    stop_responder
    [ "$rc" -eq 0 ] || fail "fence failed because of the logs (exit $rc)"
    expect_sql "completed" "select status from operations"
    # Reported where it can be: monitor fails on it (and syslog has it).
    agent -o monitor --log-dir "$S/file/log" 2>"$S/err"
    [ $? -eq 1 ] || fail "monitor passed with an unusable log directory"
    grep -q "log" "$S/err" || fail "monitor does not name the log directory: $(cat "$S/err")"
}

test_fifty_concurrent_fences_all_recorded() {
    start_responder
    pids=
    for i in $(seq 1 50); do
        agent -q -o off -n "node$i" &
        pids="$pids $!"
    done
    bad=0
    for p in $pids; do wait "$p" || bad=$((bad + 1)); done
    stop_responder
    [ "$bad" -eq 0 ] || fail "$bad of 50 fences failed"
    expect_sql "50|50" "select count(*), count(distinct target_node) from operations where status = 'completed' and exit_code = 0"
    expect_sql "50" "select count(*) from responses"
    [ "$(grep -c 'STATUS=completed' "$LOG_DIR/fence-events-readable.log")" -eq 50 ] || fail "readable log lines lost"
    [ "$(jq -c 'select(.status == "completed")' "$LOG_DIR/fence-events-detailed.jsonl" | wc -l)" -eq 50 ] \
        || fail "jsonl lines lost or corrupt"
    [ "$(grep -c 'Fence action requested' "$LOG_DIR/fence-events.log")" -eq 50 ] || fail "main log lines lost"
    # Every line of every log is whole: no interleaving.
    grep -vc '^\[....-..-.. ..:..:..\] \[[A-Z]*\] ' "$LOG_DIR/fence-events.log" | grep -qx 0 || fail "torn main log line"
    expect_sql "$(wc -l < "$LOG_DIR/fence-events-detailed.jsonl")" "select count(*) from events"
}

test_verbose_shows_ignored_parameters() {
    printf 'action=monitor\nverbose=1\nsome_unknown=1\n' | agent 2>"$S/err"
    grep -q "ignoring unknown parameter 'some_unknown'" "$S/err" || fail "unknown key not mentioned in verbose mode"
    printf 'action=monitor\nsome_unknown=1\n' | agent 2>"$S/err"
    grep -q "some_unknown" "$S/err" && fail "unknown key reported without verbose"
    return 0
}

test_database_and_log_modes() {
    start_responder
    expect_exit 0 agent -o off -n node2
    stop_responder
    # Shared with the group haclient where it exists (this machine has
    # Pacemaker's packages: make check-deps), root's alone otherwise.
    if getent group haclient > /dev/null; then
        [ "$(stat -c %a:%G "$DB")" = 660:haclient ] || fail "database mode $(stat -c %a:%G "$DB")"
        [ "$(stat -c %a:%G "$(dirname "$DB")")" = 2770:haclient ] || fail "database dir mode"
        getfacl -n "$LOG_DIR/fence-events.log" 2>/dev/null | grep -q '^group::r--$' \
            || fail "log: the owning group may write"
    else
        [ "$(stat -c %a "$DB")" = 600 ] || fail "database mode $(stat -c %a "$DB")"
        [ "$(stat -c %a "$(dirname "$DB")")" = 700 ] || fail "database dir mode"
        [ "$(stat -c %a "$LOG_DIR/fence-events.log")" = 640 ] || fail "log mode"
    fi
    expect_sql "1179796803|$(ls "$TOP"/schema/[0-9]*.sql | wc -l)" "select * from pragma_application_id, pragma_user_version"
    expect_sql "wal" "pragma journal_mode"
}

test_symlinked_log_file_is_not_followed() {
    mkdir -p "$LOG_DIR"
    echo original > "$S/victim"
    ln -s "$S/victim" "$LOG_DIR/fence-events-readable.log"
    start_responder
    expect_exit 0 agent -o off -n node2 2>/dev/null
    stop_responder
    [ "$(cat "$S/victim")" = original ] || fail "wrote through a symlink"
}

test_hard_linked_log_file_is_not_appended_to() {
    mkdir -p "$LOG_DIR"
    echo original > "$S/victim"
    ln "$S/victim" "$LOG_DIR/fence-events-readable.log"
    start_responder
    expect_exit 0 agent -o off -n node2 2>"$S/err"
    stop_responder
    [ "$(cat "$S/victim")" = original ] || fail "appended to a hard-linked log"
    grep -q "hard link" "$LOG_DIR/fence-events.log" || fail "refusal not reported in fence-events.log"
}

test_symlinked_log_directory_is_refused_and_not_written_through() {
    mkdir "$S/elsewhere"
    ln -s "$S/elsewhere" "$LOG_DIR"
    start_responder
    expect_exit 0 agent -o off -n node2 2>"$S/err"
    stop_responder
    [ -z "$(ls -A "$S/elsewhere")" ] || fail "wrote through the symlinked log directory: $(ls -A "$S/elsewhere")"
    # Reported where it can be: monitor fails on it (and syslog has it).
    agent -o monitor 2>"$S/err" && fail "monitor passed a symlinked log directory"
    grep -q "symbolic link" "$S/err" || fail "refusal not reported: $(cat "$S/err")"
    expect_sql "completed" "select status from operations"
}

test_out_of_descriptors_reading_the_response_is_not_a_timeout() {
    command -v prlimit >/dev/null || fail "prlimit (util-linux) missing"
    agent_bg -o off -n fdnode --fence-timeout 20 2>"$S/err"
    id=$(wait_for_request fdnode)
    # Into its wait: the request is synced and handed over once the
    # recorder records it.
    eventually_sql 1 "select count(*) from requests"
    # From now on the agent can open nothing: its limit is its lowest free
    # descriptor, so the open of the response fails with EMFILE.
    lowest=0
    while [ -e "/proc/$AGENT_PID/fd/$lowest" ]; do lowest=$((lowest + 1)); done
    prlimit --pid "$AGENT_PID" --nofile="$lowest:$lowest" || fail "prlimit failed"
    start=$(date +%s)
    answer_fenced fdnode "$id"
    wait_agent
    rc=$?
    took=$(( $(date +%s) - start ))
    [ "$rc" -eq 1 ] || fail "exit $rc: an unreadable response cannot confirm a fence"
    cat "$S/err" "$LOG_DIR/fence-events.log" 2>/dev/null > "$S/said"
    grep -q "out of file descriptors" "$S/said" || fail "not said: $(cat "$S/said")"
    grep -q "timeout" "$S/said" && fail "reported as a timeout: $(cat "$S/said")"
    [ "$took" -lt 15 ] || fail "waited ${took} s for a read that cannot succeed"
}

# Fake crm_mon/cibadmin that replay real captures (tests/fixtures/discovery).
fake_cluster_tools() {
    fx="$TOP/tests/fixtures/discovery"
    printf '#!/bin/sh\ncat %s\n' "$fx/crm_mon-active-node2.xml" > "$S/crm_mon"
    printf '#!/bin/sh\ncat %s\n' "$fx/cib-resources-gfs2.xml" > "$S/cibadmin"
    printf '#!/bin/sh\nsleep 30\n' > "$S/hang"
    chmod +x "$S/crm_mon" "$S/cibadmin" "$S/hang"
    export FILESYSTEM_DISCOVERY_ENABLED=true CRM_MON_PATH="$S/crm_mon" CIBADMIN_PATH="$S/cibadmin"
}

# wait_discovered N: until N operations carry a discovery result.
wait_discovered() {
    i=0
    while [ "$(sql "select count(*) from operations where filesystems not like '%pending%'")" -lt "$1" ]; do
        i=$((i + 1)); [ "$i" -gt 150 ] && fail "discovery did not finish: $(sql 'select filesystems from operations')"
        sleep 0.1
    done
}

test_discovery_live_state_first() {
    fake_cluster_tools
    # The answer comes once discovery is recorded (a timed answer raced
    # the recorder's start under valgrind), so the outcome's own lines
    # carry the filesystems.
    agent_bg -o off -n node2 --fence-timeout 120
    id=$(wait_for_request node2)
    eventually_sql 1 "select count(*) from discoveries where outcome = 'found'"
    answer_fenced node2 "$id"
    wait_agent || fail "the fence failed"
    wait_discovered 1
    expect_sql '["fs-home"]' "select filesystems from operations"
    expect_sql "1|found|[\"fs-home\"]" "select method, outcome, result from discoveries"
    expect_file_contains "$LOG_DIR/fence-events.log" 'shared filesystems for node2: \["fs-home"\] (method 1'
    expect_file_contains "$LOG_DIR/fence-events.log" "DLM is active on the node"
    expect_file_contains "$LOG_DIR/fence-events-readable.log" 'FILESYSTEMS=\["fs-home"\] STATUS=completed'
}

test_discovery_falls_back_to_configuration() {
    fake_cluster_tools
    start_responder
    expect_exit 0 agent -o off -n node3
    stop_responder
    wait_discovered 1
    expect_sql '["fs-home", "fs-scratch"]' "select filesystems from operations"
    expect_sql "1:empty,2:found" "select group_concat(method || ':' || outcome) from (select * from discoveries order by id)"
    expect_file_contains "$LOG_DIR/fence-events-readable.log" 'FILESYSTEMS=\["fs-home","fs-scratch"\] STATUS=discovered'
}

test_discovery_failures_never_delay_or_fail_the_fence() {
    fake_cluster_tools
    # A plain off takes ~1.7 s under valgrind on a slow VM: the hang must
    # outlast that by far for the timing to tell waiting from not waiting.
    export CRM_MON_PATH="$S/no-such-crm_mon" CIBADMIN_PATH="$S/hang" DISCOVERY_TIMEOUT=5
    start_responder
    before=$(recorders_so_far)
    start=$(date +%s%N)
    ${FR_WRAP:-} "$AGENT" -o off -n node2 || fail "fence failed with discovery failing"
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    stop_responder
    [ "$took" -lt 4000 ] || fail "fence took $took ms with discovery hanging for 5 s"
    wait_recorded "$before"
    wait_discovered 1
    expect_sql '["none-detected"]' "select filesystems from operations"
    expect_sql "1:failed,2:timeout" "select group_concat(method || ':' || outcome) from (select * from discoveries order by id)"
    expect_sql "1" "select count(*) from discoveries where error like '%not found%'"
}

test_discovery_disabled() {
    start_responder
    expect_exit 0 agent -o off -n node2 --filesystem-discovery=false
    stop_responder
    expect_sql '["discovery-disabled"]' "select filesystems from operations"
    expect_sql "0" "select count(*) from discoveries"
}

# crm_mon replays a real crm_mon capture (tests/fixtures/cluster_state).
fake_crm_mon() {
    fake_cluster_tools
    printf '#!/bin/sh\ncat %s\n' "$TOP/tests/fixtures/cluster_state/crm_mon-$1.xml" > "$S/crm_mon"
}

# A caller with a name of its own, as pacemaker-fenced is the agent's
# parent in a cluster: /proc/<ppid>/comm of a script is the script's name.
fake_fenced() {
    printf '#!/bin/sh\n%s "%s" "$@"\n' "${FR_WRAP:-}" "$AGENT" > "$S/pcmk-fenced"
    chmod +x "$S/pcmk-fenced"
}

test_cluster_state_recorded_at_fence_time() {
    fake_crm_mon failed
    fake_fenced
    start_responder
    before=$(recorders_so_far)
    PCMK_service=pacemaker-fenced "$S/pcmk-fenced" -o off -n node2 || fail "fence failed"
    stop_responder
    wait_recorded "$before"
    wait_discovered 1
    expect_sql "crm_mon|1|online|1|0|1|member|1|vm|corosync" \
        "select source, known, membership, online, unclean, expected_up, node_type, quorum, dc, stack from cluster_states"
    expect_sql "fs-home_monitor_10000|Filesystem /shared/home is not mounted|fs-home|3" \
        "select json_extract(failed_actions, '\$[0].op_key'), json_extract(failed_actions, '\$[0].exitreason'),
                json_extract(fail_counts, '\$[0].resource'), json_extract(fail_counts, '\$[0].fail_count') from cluster_states"
    expect_sql "Wed Nov 25 03:06:30 2026" "select last_seen from cluster_states"
    # What asked for the fence: Pacemaker's service and the parent process.
    expect_sql "pacemaker-fenced|pcmk-fenced|1" \
        "select requester_service, parent_process, parent_cmdline like '%pcmk-fenced -o off -n node2' from cluster_states"
    id=$(sql "select op_uuid from operations")
    out=$("$FENCECTL" show "$id") || fail "fencectl show failed"
    echo "$out" | grep -q "cluster state at fence time.*online member (online yes, unclean no.*quorum yes; DC vm" \
        || fail "show lacks the cluster state: $out"
    echo "$out" | grep -q "cluster state: failed actions.*fs-home_monitor_10000 not running (Filesystem /shared/home is not mounted)" \
        || fail "show lacks the failed action: $out"
    echo "$out" | grep -q "cluster state: fail counts.*fs-home 3" || fail "show lacks the fail count: $out"
    echo "$out" | grep -q "requested by.*PCMK_service pacemaker-fenced; parent process pcmk-fenced (pid [0-9]*)" \
        || fail "show lacks the requester: $out"
    json=$("$FENCECTL" history --format json) || fail "history failed"
    [ "$(echo "$json" | jq -r '.[0] | "\(.target_state) \(.quorum) \(.dc)"')" = "online 1 vm" ] \
        || fail "history JSON lacks the cluster state: $json"
    echo "$json" | jq -e '.[0].requested_by_process | test("^pcmk-fenced \\(pid [0-9]+\\)$")' > /dev/null \
        || fail "history JSON lacks the requesting process: $json"
}

# The kernel cuts a process's comm to 15 characters: Pacemaker's fencer is
# "pacemaker-fence" there. The record completes it from the executable's
# name (a copy of the shell under Pacemaker's name runs the agent here).
test_requesting_process_name_is_not_cut_at_15_characters() {
    cp "$(command -v dash)" "$S/pacemaker-fenced" || fail "cannot copy dash"
    start_responder
    before=$(recorders_so_far)
    "$S/pacemaker-fenced" -c '"$1" -o off -n node2' sh "$AGENT" || fail "fence failed"
    stop_responder
    wait_recorded "$before"
    expect_sql "pacemaker-fenced" "select parent_process from cluster_states"
}

test_cluster_state_of_an_unclean_target_and_a_lost_quorum() {
    fake_crm_mon unclean
    start_responder
    expect_exit 0 agent -o off -n node2
    fake_crm_mon no-quorum
    # Past the 5 s a crm_mon run is shared for.
    rm -f "$S"/db/.discovery-*
    expect_exit 0 agent -o off -n node3
    stop_responder
    wait_discovered 2
    expect_sql "node2|unclean|0|1|1|vm
node3|absent|||0|vm" "select o.target_node, membership, online, unclean, quorum, dc
        from cluster_states c join operations o on o.id = c.operation_id order by o.id"
}

test_cluster_state_unknown_without_a_cluster() {
    fake_cluster_tools
    export CRM_MON_PATH="$S/no-such-crm_mon"
    start_responder
    expect_exit 0 agent -o off -n node2
    stop_responder
    wait_discovered 1
    expect_sql "crm_mon|0|" "select source, known, membership from cluster_states"
    expect_sql "1" "select count(*) from cluster_states where error like 'crm_mon failed: %no-such-crm_mon not found%'"
    expect_file_contains "$LOG_DIR/fence-events.log" "as Pacemaker saw it is unknown: crm_mon failed"
    # crm_mon answering that it cannot reach the cluster.
    fake_crm_mon no-cluster
    rm -f "$S"/db/.discovery-*
    start_responder
    expect_exit 0 agent -o off -n node3
    stop_responder
    wait_discovered 2
    expect_sql "1|0|unknown|crm_mon: Could not connect to the CIB: No such device or address" \
        "select count(*), known, membership, error from cluster_states where operation_id = (select max(id) from operations)"
    id=$(sql "select op_uuid from operations order by id desc limit 1")
    "$FENCECTL" show "$id" | grep -q "cluster state at fence time.*unknown: crm_mon: Could not connect" \
        || fail "show does not say the state is unknown: $("$FENCECTL" show "$id")"
}

# Without its recorder the fence still follows the storage system's answer,
# and says loudly that it goes unrecorded; its files remain to rebuild it.
test_fence_answered_without_a_recorder() {
    export FENCE_RECORDER_RECORDER="$S/no-such-recorder"
    start_responder
    agent -o off -n node2 2> err.txt || fail "the fence failed without a recorder: $(cat err.txt)"
    stop_responder
    # Under valgrind the spawn's vfork runs as a fork, whose failed exec
    # the agent cannot see: there only the outcome and the files are
    # asserted; the message natively and under ASan.
    if [ -z "${FR_WRAP:-}" ]; then
        grep -q "cannot start the recorder $S/no-such-recorder: No such file or directory (make install puts it in /usr/lib/fence-recorder); the fence goes on unrecorded" err.txt \
            || fail "no clear error: $(cat err.txt)"
    fi
    [ ! -e "$DB" ] || fail "something recorded without a recorder"
    ls "$NNF_FENCE_RESPONSE_DIR"/node2-*.json > /dev/null || fail "no response file left to rebuild from"
    expect_exit 1 agent -o on -n node2
}

test_cluster_state_not_asked_when_discovery_is_off() {
    start_responder
    expect_exit 0 agent -o off -n node2
    stop_responder
    expect_sql "none|0" "select source, known from cluster_states"
    expect_sql "0" "select count(*) from log_lines where message like '%as Pacemaker saw it%'"
}

# A burst shares one crm_mon run: the state of the second fence says whose.
test_cluster_state_shares_the_crm_mon_run_of_a_burst() {
    fake_crm_mon online
    # The run is shared beside the database: its directory must exist
    # before the first recorder runs crm_mon (the first record creates it).
    mkdir -m 700 -p "$(dirname "$DB")"
    start_responder
    # Natively: under FR_WRAP on a loaded machine two runs can start more
    # than the 5 s a run is shared for apart (the attempts' test was seen
    # 25 s apart). The second starts once the first is recorded, so the
    # first is the one that ran crm_mon.
    before=$(recorders_so_far)
    "$AGENT" -o off -n node2 || fail "first fence"
    wait_recorded "$before"
    "$AGENT" -o off -n node2 || fail "second fence"
    wait_recorded "$before"
    stop_responder
    wait_discovered 2
    expect_sql "0|1" "select count(shared_from) filter (where operation_id = (select min(id) from operations)),
        count(shared_from) filter (where operation_id = (select max(id) from operations)) from cluster_states"
    expect_sql "2" "select count(*) from cluster_states where membership = 'online'"
}

test_agent_killed_is_recorded_by_recorder() {
    agent_bg -o off -n node2 --fence-timeout 30
    wait_for_request node2 > /dev/null
    # Killed while waiting: once the operation is recorded as running.
    eventually_sql 1 "select count(*) from operations where status = 'running'"
    sleep 0.3
    kill -KILL $AGENT_PID
    wait $AGENT_PID 2>/dev/null
    eventually_sql terminated "select status from operations"
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "STATUS=terminated"
}

# The recorder starts recording once the agent's parent has reaped it (so
# its loading never competes with the fencer taking the result), but a
# parent that never reaps holds nothing up: here the agent stays a zombie
# until its fence is recorded.
test_a_parent_that_does_not_reap_the_agent_holds_no_record_up() {
    start_responder
    python3 -c 'import os, subprocess, sys, time
p = subprocess.Popen(sys.argv[3:], stdin=subprocess.DEVNULL)
os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)   # exited, not reaped
open(sys.argv[1], "w").close()
for _ in range(1200):
    if os.path.exists(sys.argv[2]): break
    time.sleep(0.05)
sys.exit(p.wait())' "$S/exited" "$S/reap" ${FR_WRAP:-} "$AGENT" -o off -n node2 &
    parent=$!
    wait_until 30 test -f "$S/exited" || fail "the agent never exited"
    i=0
    until [ "$(sql "select status from operations" 2>/dev/null)" = completed ]; do
        i=$((i + 1))
        [ "$i" -gt 100 ] && { : > "$S/reap"; fail "not recorded 5 s after the agent's exit, its parent not having reaped it: [$(sql "select status from operations" 2>&1)]"; }
        sleep 0.05
    done
    : > "$S/reap"
    wait "$parent" || fail "the fence failed"
    stop_responder
}

test_older_schema_is_migrated_in_place() {
    mkdir -p "$(dirname "$DB")"
    sqlite3 "$DB" < "$TOP/schema/0001-initial.sql"
    sqlite3 "$DB" "PRAGMA application_id = 1179796803; PRAGMA user_version = 1;
        INSERT INTO operations (op_uuid, action, target_node, recorder_node, requested_by, agent_pid,
        started_at, status) VALUES ('00000000-0000-4000-8000-000000000001', 'off', 'old', 'h', 'x', 1,
        '2025-01-01T00:00:00.000Z', 'completed');"
    start_responder
    expect_exit 0 agent -o off -n node2
    stop_responder
    expect_sql "$(ls "$TOP"/schema/[0-9]*.sql | wc -l)" "pragma user_version"
    expect_sql "2" "select count(*) from operations"
    expect_sql "2" "select count(*) from events where line_hash is not null"
}

test_newer_schema_is_refused_but_the_fence_runs() {
    mkdir -p "$(dirname "$DB")"
    sqlite3 "$DB" "PRAGMA application_id = 1179796803; PRAGMA user_version = 99;"
    start_responder
    agent -o off -n node2 2>"$S/err"
    rc=$?
    stop_responder
    [ "$rc" -eq 0 ] || fail "fence failed on a newer schema (exit $rc)"
    grep -q "newer than this program" "$LOG_DIR/fence-events.log" \
        || fail "no explanation in fence-events.log: $(cat "$LOG_DIR/fence-events.log")"
    expect_sql "99" "pragma user_version"
}

# syslog_capture ARGS...: the agent (stdin passes through) with the test's
# syslog receiver (lib.sh); what reached it is in $S/syslog once the
# recorder has finished.
syslog_capture() {
    syslog_receiver_start
    FR_WRAP="with_test_syslog ${FR_WRAP:-}" agent "$@"
    rc=$?
    syslog_receiver_stop
    return $rc
}

test_fence_events_go_to_syslog_unless_disabled() {
    start_responder
    syslog_capture -o off -n node2 || fail "fence failed"
    # daemon facility: <29> notice (requested, completed), <27> err.
    grep -q '^<29>.*fence_recorder\[[0-9]*\]: ACTION=off TARGET=node2 .*STATUS=requested' "$S/syslog" \
        || fail "no 'requested' event in syslog: $(cat "$S/syslog")"
    grep -q '^<29>.*ACTION=off TARGET=node2 .*STATUS=completed' "$S/syslog" || fail "no 'completed' event in syslog"
    stop_responder
    syslog_capture -o off -n node3 --fence-timeout 1
    grep -q '^<27>.*ACTION=off TARGET=node3 .*STATUS=timeout' "$S/syslog" || fail "timeout not sent as err"
    FENCE_RECORDER_SYSLOG=false syslog_capture -o off -n node4 --fence-timeout 1
    [ ! -s "$S/syslog" ] || fail "syslog used although disabled: $(cat "$S/syslog")"
    printf 'action=off\nport=node5\nfence_timeout=1\nsyslog=0\n' > "$S/stdin"
    syslog_capture < "$S/stdin"
    [ ! -s "$S/syslog" ] || fail "syslog=0 on stdin ignored"
}
