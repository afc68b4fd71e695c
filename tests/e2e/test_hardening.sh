# Hardening: under concurrency, kills, storage faults and hostile input the
# agent reports the outcome the response dictates, and nothing recorded is
# lost. Sourced by runner.sh; each test_* runs in its own scratch dir $S.

integrity_ok() {
    expect_sql ok "pragma integrity_check"
}

# Every file under its final protocol name is complete JSON: interrupted
# writers may leave dot-temp files, never a half-written final file.
final_files_complete() {
    for f in "$NNF_FENCE_REQUEST_DIR"/*.json "$NNF_FENCE_RESPONSE_DIR"/*.json; do
        [ -f "$f" ] || continue
        jq -e 'type == "object"' "$f" >/dev/null 2>&1 || fail "half-written file under its final name: $f"
    done
}

# wait_settled NODE: waits until no operation for NODE is 'running' (the
# recorder records a killed agent a moment after its death).
wait_settled() {
    i=0
    while [ "$(sql "select count(*) from operations where target_node = '$1' and status = 'running'")" != 0 ]; do
        i=$((i + 1))
        [ "$i" -gt 1500 ] && fail "operation for $1 still running after 30 s"
        sleep 0.02
    done
}

# Lines whole in all three logs: the prefix every line starts with.
logs_untorn() {
    bad=$(grep -vc '^\[....-..-.. ..:..:..\] \[[A-Z]*\] ' "$LOG_DIR/fence-events.log")
    [ "$bad" -eq 0 ] || fail "$bad torn lines in fence-events.log"
    bad=$(grep -vc '^\[....-..-.. ..:..:..\] ACTION=' "$LOG_DIR/fence-events-readable.log")
    [ "$bad" -eq 0 ] || fail "$bad torn lines in fence-events-readable.log"
    lines=$(wc -l < "$LOG_DIR/fence-events-detailed.jsonl")
    parsed=$(jq -c . "$LOG_DIR/fence-events-detailed.jsonl" | wc -l)
    [ "$lines" -eq "$parsed" ] || fail "jsonl has $lines lines but $parsed parse"
}

# ---- concurrency -----------------------------------------------------------

test_two_hundred_fences_at_once_while_prune_and_export_run() {
    distinct=200; same=20
    # Under valgrind every agent costs ~100 MB and a second of CPU.
    [ -n "${FR_WRAP:-}" ] && { distinct=30; same=10; }
    # Abandoned temp files (the responder never touches dot files) give
    # prune real work while the agents run.
    for i in 1 2 3 4 5; do
        printf '{"target_node": "gone%s"}\n' "$i" > "$NNF_FENCE_REQUEST_DIR/.gone$i-00000000-0000-4000-8000-00000000000$i.json.tmp"
        touch -d '3 days ago' "$NNF_FENCE_REQUEST_DIR/.gone$i-00000000-0000-4000-8000-00000000000$i.json.tmp"
    done
    start_responder
    (
        while [ ! -f "$S/stop" ]; do
            "$FENCECTL" prune >/dev/null 2>>"$S/ctl.err" || echo "prune failed" >>"$S/ctl.err"
            "$FENCECTL" export --jsonl --output "$S/export.jsonl" 2>>"$S/ctl.err" \
                || echo "export failed" >>"$S/ctl.err"
        done
    ) &
    ctl_pid=$!
    pids=
    for i in $(seq 1 "$distinct"); do
        agent -q -o off -n "node$i" 2>>"$S/agents.err" &
        pids="$pids $!"
    done
    for i in $(seq 1 "$same"); do
        agent -q -o off -n shared 2>>"$S/agents.err" &
        pids="$pids $!"
    done
    bad=0
    for p in $pids; do wait "$p" || bad=$((bad + 1)); done
    touch "$S/stop"
    wait "$ctl_pid"
    stop_responder
    total=$((distinct + same))
    [ "$bad" -eq 0 ] || fail "$bad of $total fences failed: $(head -5 "$S/agents.err")"
    [ ! -s "$S/agents.err" ] || fail "agents complained: $(head -5 "$S/agents.err")"
    [ ! -s "$S/ctl.err" ] || fail "fencectl complained: $(head -5 "$S/ctl.err")"
    grep -qi 'locked' "$LOG_DIR/fence-events.log" && fail "database was locked for an agent"
    expect_sql "$total|$((distinct + 1))" "select count(*), count(distinct target_node) from operations where status = 'completed' and exit_code = 0"
    expect_sql "$total|$total" "select count(*), count(distinct request_id) from requests"
    expect_sql "$total" "select count(*) from responses where source = 'agent' and success = 1"
    [ "$(grep -c 'STATUS=completed' "$LOG_DIR/fence-events-readable.log")" -eq "$total" ] || fail "readable log lines lost"
    [ "$(jq -c 'select(.status == "completed")' "$LOG_DIR/fence-events-detailed.jsonl" | wc -l)" -eq "$total" ] \
        || fail "jsonl lines lost"
    [ "$(grep -c 'Fence action requested' "$LOG_DIR/fence-events.log")" -eq "$total" ] || fail "main log lines lost"
    logs_untorn
    # The record and the log agree line for line, and prune did its own job.
    "$FENCECTL" export --jsonl | cmp -s - "$LOG_DIR/fence-events-detailed.jsonl" \
        || fail "the database's jsonl differs from the log the agents wrote"
    expect_sql 5 "select count(*) from pruned_files"
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/.gone*
    integrity_ok
}

# ---- crashes and signals ---------------------------------------------------

# crash PHASE NODE: the agent SIGKILLs itself at PHASE (crash_point.h).
crash() {
    FENCE_RECORDER_TEST_CRASH_AT=$1 agent -q -o off -n "$2" --fence-timeout 10 2>/dev/null
    rc=$?
    [ "$rc" -eq 137 ] || fail "agent crashing at $1 exited $rc, expected 137 (SIGKILL)"
}

orphans_csv() {
    "$FENCECTL" --format csv orphans > "$S/orphans.csv" || fail "fencectl orphans failed"
}

test_sigkill_at_each_phase_is_accounted_for() {
    start_responder
    crash before-request k-before
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/k-before* "$NNF_FENCE_REQUEST_DIR"/.k-before*
    crash after-request k-written
    crash waiting k-waiting
    crash after-response k-answered
    wait_settled k-waiting
    wait_settled k-answered
    # The responder answers what it finds; give it a moment for k-written.
    i=0
    while [ "$(ls "$NNF_FENCE_RESPONSE_DIR" | grep -c '^k-written-')" -eq 0 ]; do
        i=$((i + 1)); [ "$i" -gt 200 ] && fail "no response for k-written"; sleep 0.02
    done
    stop_responder
    integrity_ok
    final_files_complete
    # Every kill is recorded as what Pacemaker saw (killed) beside what the
    # storage system did (the response, where there was one).
    expect_sql "terminated|killed||" "select status, agent_end, exit_code, response_success \
        from operations o where target_node = 'k-before' and not exists \
        (select 1 from requests r where r.operation_id = o.id)"
    # ...and, with no request out, says that nothing reached the storage system.
    expect_sql "the agent was killed before its request was published: no request reached the storage system" \
        "select message from operations where target_node = 'k-before'"
    expect_sql 1 "select count(*) from operations o join requests r on r.operation_id = o.id \
        where o.target_node = 'k-written' and o.status = 'terminated' and o.agent_end = 'killed'"
    expect_sql "terminated|killed|" "select status, agent_end, exit_code from operations where target_node = 'k-waiting'"
    expect_sql "terminated|killed||1" "select o.status, o.agent_end, o.exit_code, o.response_success \
        from operations o where o.target_node = 'k-answered'"
    expect_sql 1 "select count(*) from responses r join operations o on r.operation_id = o.id \
        where o.target_node = 'k-answered' and r.success = 1"
    expect_sql 1 "select count(*) from operations where target_node = 'k-answered' and \
        message like '%killed%the storage system had fenced the node%'"
    "$FENCECTL" show "$(sql "select op_uuid from operations where target_node = 'k-answered'")" \
        | grep -q 'agent: killed before it announced an exit; storage system: fenced' \
        || fail "show does not give both facts"
    orphans_csv
    for node in k-waiting k-answered; do
        uuid=$(sql "select op_uuid from operations where target_node = '$node'")
        grep -q "^operation-killed,$uuid,$node," "$S/orphans.csv" || fail "orphans does not list killed $node"
    done
    # Each killed operation is in all three logs too.
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "TARGET=k-answered .*STATUS=terminated"
}

test_sigkill_during_the_request_rename_leaves_only_a_temp_file() {
    command -v strace >/dev/null || fail "strace missing (make check installs it)"
    # strace kills the agent as it enters its first rename: the request
    # is written and synced under its dot-temp name, not yet renamed.
    strace -f -qq -o /dev/null -e trace=rename -e inject=rename:signal=KILL:when=1 \
        "$AGENT" -o off -n node5 --fence-timeout 2 2>/dev/null
    [ $? -eq 137 ] || fail "agent was not killed at its rename"
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/node5-*.json
    expect_count 1 "$NNF_FENCE_REQUEST_DIR"/.node5-*.json.tmp
    orphans_csv
    grep -q '^temp-abandoned,\.node5-' "$S/orphans.csv" || fail "orphans misses the temp file"
    touch -d '2 days ago' "$NNF_FENCE_REQUEST_DIR"/.node5-*
    expect_exit 0 "$FENCECTL" prune
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/.node5-*
    expect_sql 1 "select count(*) from pruned_files where file_name like '.node5-%' and body like '%\"target_node\": \"node5\"%'"
}

# ---- prune beside live agents (the live-request lock) ----------------------

# old_file NAME: a request-directory file three days old, with a body.
old_file() {
    printf '{"target_node": "%s"}\n' "$1" > "$NNF_FENCE_REQUEST_DIR/$1"
    touch -d '3 days ago' "$NNF_FENCE_REQUEST_DIR/$1"
}

test_prune_leaves_files_a_live_agent_holds() {
    command -v flock >/dev/null || fail "flock (util-linux) missing"
    held=held1-00000000-0000-4000-8000-000000000001.json
    heldtmp=.held2-00000000-0000-4000-8000-000000000002.json.tmp
    free=free1-00000000-0000-4000-8000-000000000003.json
    freetmp=.free2-00000000-0000-4000-8000-000000000004.json.tmp
    for f in $held $heldtmp $free $freetmp; do old_file "$f"; done
    create_db   # a dry run creates none
    # Stand-ins for live agents: a shared lock, as the agent holds on its
    # request from the dot-temp on. None of these is in the database.
    # -o: only flock(1) itself holds the lock, so killing it releases it.
    flock -s -o "$NNF_FENCE_REQUEST_DIR/$held" sleep 30 & h1=$!
    flock -s -o "$NNF_FENCE_REQUEST_DIR/$heldtmp" sleep 30 & h2=$!
    echo "$h1" > "$S/h1.pid"; echo "$h2" > "$S/h2.pid"
    sleep 0.3
    "$FENCECTL" prune --older-than 0s --dry-run > "$S/dry.out" || fail "dry run failed"
    grep -q "would remove .*$free" "$S/dry.out" || fail "dry run: $(cat "$S/dry.out")"
    grep -q "would remove .*$held" "$S/dry.out" && fail "dry run would remove a held request"
    "$FENCECTL" prune --older-than 0s > "$S/prune.out" || fail "prune failed: $(cat "$S/prune.out")"
    expect_count 1 "$NNF_FENCE_REQUEST_DIR/$held"
    expect_count 1 "$NNF_FENCE_REQUEST_DIR/$heldtmp"
    expect_count 0 "$NNF_FENCE_REQUEST_DIR/$free" "$NNF_FENCE_REQUEST_DIR/$freetmp"
    grep -q "kept .*$held: its agent is still running" "$S/prune.out" || fail "prune output: $(cat "$S/prune.out")"
    expect_sql 2 "select count(*) from pruned_files where file_name in ('$free', '$freetmp') and body like '%target_node%'"
    # Once the holders are gone, the files are abandoned and go too.
    pkill -P "$h1"; pkill -P "$h2"; kill "$h1" "$h2"; wait "$h1" "$h2" 2>/dev/null
    "$FENCECTL" prune --older-than 0s > /dev/null || fail "second prune failed"
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/* "$NNF_FENCE_REQUEST_DIR"/.??*
    expect_sql 4 "select count(*) from pruned_files"
}

test_prune_older_than_0s_beside_a_waiting_fence() {
    agent_bg -o off -n live1 --fence-timeout 30
    id=$(wait_for_request live1)
    "$FENCECTL" prune --older-than 0s > "$S/prune.out" 2>&1 || fail "prune failed: $(cat "$S/prune.out")"
    expect_count 1 "$NNF_FENCE_REQUEST_DIR/live1-$id.json"
    expect_sql 0 "select count(*) from pruned_files"
    answer_fenced live1 "$id"
    wait_agent || fail "the fence failed after prune ran beside it"
}

# ---- storage faults --------------------------------------------------------

# restored_by_import DB: the operation the broken database missed comes
# back from the jsonl the agent kept writing.
restored_by_import() {
    "$FENCECTL" --db "$1" import "$LOG_DIR/fence-events-detailed.jsonl" >/dev/null \
        || fail "import into $1 failed"
    DB=$1 expect_sql "completed" "select status from operations where target_node = 'node2' order by id desc limit 1"
}

fence_despite_database() {
    want=$1; shift
    agent -o off -n node2 "$@" 2>"$S/err"
    rc=$?
    [ "$rc" -eq "$want" ] || fail "fence exited $rc with a broken database, expected $want"
    # Reported by the recorder (the agent exits on the answer).
    expect_file_contains "$LOG_DIR/fence-events.log" "\[ERROR\] database"
}

test_database_not_creatable_then_restored_by_import() {
    start_responder
    touch "$S/file"
    fence_despite_database 0 --db "$S/file/fence.db"
    stop_responder
    restored_by_import "$S/restored.db"
}

test_database_read_only_then_restored_by_import() {
    start_responder
    expect_exit 0 agent -q -o off -n node1
    chown -R nobody "$S"
    chmod 0400 "$DB"
    # As root the mode would not stop a write: run the agent as its owner.
    before=$(recorders_so_far)
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$AGENT" -o off -n node2 2>"$S/err"
    rc=$?
    wait_recorded "$before"
    stop_responder
    [ "$rc" -eq 0 ] || fail "fence exited $rc with a read-only database"
    grep -q "readonly\|read-only\|for writing: Permission denied" "$LOG_DIR/fence-events.log" \
        || fail "no read-only error in fence-events.log: $(cat "$LOG_DIR/fence-events.log")"
    expect_file_contains "$LOG_DIR/fence-events.log" "\[ERROR\] database"
    expect_sql 0 "select count(*) from operations where target_node = 'node2'"
    chmod 0600 "$DB"
    restored_by_import "$DB"
}

# Another process holds the database's write lock (a long import, an
# admin's sqlite3 shell) for 20 s: the agent exits on the answer while the
# lock is still held, and its recorder records the fence once the lock is
# free, saying in fence-events.log meanwhile that it waits.
test_database_locked_exit_is_prompt_and_the_record_follows() {
    start_responder
    expect_exit 0 agent -q -o off -n node1
    hold_write_lock
    before=$(recorders_so_far)
    start=$(date +%s%N)
    "$AGENT" -q -o off -n node2 --db-timeout 5
    rc=$?
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$rc" -eq 0 ] || fail "fence exited $rc with the database locked"
    echo "fence with the database locked exited after $took ms"
    kill -0 "$LOCK_PID" 2>/dev/null || fail "the lock holder is gone"
    expect_sql 0 "select count(*) from operations where target_node = 'node2'"
    [ "$took" -lt 15000 ] || fail "the agent waited for the locked database ($took ms)"
    sleep 15
    release_write_lock
    wait_recorded "$before"
    stop_responder
    expect_sql "completed|exited|1|0" "select status, agent_end, response_success, exit_code \
        from operations where target_node = 'node2'"
    # The fence's own duration, not the wait for the lock.
    expect_sql 1 "select duration_ms < 5000 from operations where target_node = 'node2'"
    grep -q "waited [0-9]* s for the database" "$LOG_DIR/fence-events.log" \
        || fail "no waiting notice in fence-events.log"
    integrity_ok
}

# Past its patience the recorder records to the log files only, and
# fencectl import restores the operation from them.
test_database_locked_past_the_patience_then_restored() {
    start_responder
    expect_exit 0 agent -q -o off -n node1
    hold_write_lock
    FENCE_RECORDER_RECORD_PATIENCE=2 fence_despite_database 0 --db-timeout 1
    grep -q "locked" "$LOG_DIR/fence-events.log" || fail "the lock is not named in fence-events.log"
    release_write_lock
    stop_responder
    restored_by_import "$DB"
    integrity_ok
}

test_database_corrupt_is_left_alone_and_fence_runs() {
    start_responder
    mkdir -p "$(dirname "$DB")"
    head -c 65536 /dev/urandom > "$DB"
    cp "$DB" "$S/garbage"
    fence_despite_database 0
    stop_responder
    cmp -s "$DB" "$S/garbage" || fail "the agent modified a corrupt database"
    "$FENCECTL" check >"$S/check" 2>&1 && fail "fencectl check passed a corrupt database"
    grep -q "database" "$S/check" || fail "check does not name the database: $(cat "$S/check")"
    mv "$DB" "$DB.corrupt"
    restored_by_import "$DB"
}

test_database_on_a_full_file_system() {
    mkdir -p "$S/full"
    mount -t tmpfs -o size=256k tmpfs "$S/full" 2>/dev/null || skip_test "cannot mount a tmpfs here"
    trap 'umount "$S/full" 2>/dev/null' EXIT
    dd if=/dev/zero of="$S/full/filler" bs=4k 2>/dev/null
    start_responder
    fence_despite_database 0 --db "$S/full/db/fence.db"
    # The logs on the full volume too: the fence still follows the response.
    agent -q -o off -n node3 --db "$S/full/db/fence.db" --log-dir "$S/full/log" 2>"$S/err3"
    rc=$?
    stop_responder
    [ "$rc" -eq 0 ] || fail "fence with logs on a full disk exited $rc"
    restored_by_import "$S/restored.db"
}

test_file_size_limit_instead_of_a_full_disk() {
    start_responder
    # RLIMIT_FSIZE of 2 KiB on the recorder: the first log lines fit, a
    # database page (4 KiB) does not. SIGXFSZ must not kill it.
    printf '#!/bin/sh\nexec prlimit --fsize=2048 %s "$@"\n' "$FENCE_RECORDER_RECORDER" > "$S/limited"
    chmod 0755 "$S/limited"
    before=$(recorders_so_far)
    FENCE_RECORDER_RECORDER="$S/limited" "$AGENT" -o off -n node2 2>"$S/err"
    rc=$?
    wait_recorded "$before"
    [ "$rc" -eq 0 ] || fail "fence with the recorder under a file size limit exited $rc"
    grep -q "database" "$LOG_DIR/fence-events.log" || fail "no database error in fence-events.log"
    # The agent under the limit too: the request (~300 bytes) fits, the
    # hand-off's memory file (a memfd counts against the limit) does not.
    # The fence follows the answer and says it goes unrecorded.
    prlimit --fsize=2048 "$AGENT" -o off -n node3 2>"$S/err"
    rc=$?
    stop_responder
    [ "$rc" -eq 0 ] || fail "fence under a file size limit exited $rc"
    grep -q "cannot .*hand-off.*File too large.*the fence goes on unrecorded" "$S/err" \
        || fail "the agent did not say it goes unrecorded: $(cat "$S/err")"
    rm -rf "$(dirname "$DB")"
    restored_by_import "$DB"
    "$FENCECTL" import --from-files --older-than 0s > imp.out 2>&1 || fail "import: $(cat imp.out)"
    expect_sql "completed" "select status from operations where target_node = 'node3'"
}

test_request_dir_not_creatable_fails_clearly_and_is_recorded() {
    touch "$S/file"
    agent -o off -n node2 --request-dir "$S/file/requests" 2>"$S/err"
    [ $? -eq 1 ] || fail "fence without a request directory did not fail"
    grep -q "$S/file/requests" "$S/err" || fail "stderr does not name the directory: $(cat "$S/err")"
    expect_sql "failed|1" "select status, exit_code from operations where target_node = 'node2'"
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "TARGET=node2 .*STATUS=failed"
}

# ---- hostile and broken input ----------------------------------------------

# hostile KIND WANT_EXIT PATTERN: an agent fences node h-KIND, the response
# name gets KIND, the agent ends with WANT_EXIT and a message matching
# PATTERN in the record.
hostile() {
    kind=$1; want=$2; pattern=$3; node=h-$1
    agent_bg -q -o off -n "$node" --fence-timeout 2
    id=$(wait_for_request "$node")
    r="$NNF_FENCE_RESPONSE_DIR/$node-$id.json"
    ok="\"request_id\": \"$id\", \"target_node\": \"$node\""
    case "$kind" in
    symlink-shadow) ln -s /etc/shadow "$r" ;;
    symlink-fifo) mkfifo "$S/fifo"; ln -s "$S/fifo" "$r" ;;
    fifo) mkfifo "$r" ;;
    directory) mkdir "$r" ;;
    one-gib) truncate -s 1G "$r" ;;
    empty) : > "$r" ;;
    truncated) printf '{%s, "succ' "$ok" > "$r" ;;
    not-object) printf '["%s", true]\n' "$id" > "$r" ;;
    nested) head -c 200000 /dev/zero | tr '\0' '[' > "$r" ;;
    bad-utf8) printf '{%s, "success": true, "message": "caf\351 \377"}\n' "$ok" > "$r" ;;
    success-string) printf '{%s, "success": "true"}\n' "$ok" > "$r" ;;
    success-number) printf '{%s, "success": 1}\n' "$ok" > "$r" ;;
    other-id) printf '{"request_id": "00000000-0000-4000-8000-000000000000", "success": true}\n' > "$r" ;;
    other-node) printf '{"request_id": "%s", "target_node": "node9", "success": true}\n' "$id" > "$r" ;;
    duplicate-key) printf '{%s, "success": false, "success": true}\n' "$ok" > "$r" ;;
    esac
    wait_agent
    rc=$?
    [ "$rc" -eq "$want" ] || fail "$kind: agent exited $rc, expected $want"
    msg=$(sql "select message from operations where op_uuid = '$id'")
    printf '%s\n' "$msg" | grep -q -- "$pattern" || fail "$kind: message [$msg] lacks [$pattern]"
    rm -rf "$r"
}

test_hostile_responses_get_the_right_outcome() {
    sum=$(md5sum /etc/shadow)
    touch "$S/marker"
    hostile symlink-shadow 1 "symbolic link"
    hostile symlink-fifo 1 "symbolic link"
    hostile fifo 1 "not a regular file"
    hostile directory 1 "not a regular file"
    # truncate(1) creates the file, then extends it: the agent may see either.
    hostile one-gib 1 "more than the limit\|grew past the limit"
    hostile empty 1 "timeout\|no valid response.*empty"
    hostile truncated 1 "not valid JSON"
    hostile not-object 1 "not an object"
    hostile nested 1 "not valid JSON"
    hostile success-string 1 "not a JSON boolean"
    hostile success-number 1 "not a JSON boolean"
    hostile other-id 1 "carries request_id 00000000-0000-4000-8000-000000000000"
    hostile other-node 1 "for node node9"
    hostile duplicate-key 1 "more than once"
    hostile bad-utf8 0 "caf"
    [ "$(md5sum /etc/shadow)" = "$sum" ] || fail "/etc/shadow changed"
    [ -p "$S/fifo" ] || fail "the FIFO behind the symlink was replaced"
    logs_untorn
    # Nothing written outside the configured directories.
    outside=$(find "$S" -newer "$S/marker" -type f ! -path "$NNF_FENCE_REQUEST_DIR/*" \
              ! -path "$NNF_FENCE_RESPONSE_DIR/*" ! -path "$LOG_DIR/*" ! -path "$(dirname "$DB")/*" \
              ! -path "$FENCE_RECORDER_TEST_RECORDERS")
    [ -z "$outside" ] || fail "written outside the configured directories: $outside"
}

test_stale_response_of_an_earlier_request_does_not_answer() {
    old=00000000-0000-4000-8000-0000000000aa
    write_response node2 "$old" "{\"request_id\": \"$old\", \"target_node\": \"node2\", \"success\": true}"
    expect_exit 1 agent -q -o off -n node2 --fence-timeout 1
    expect_sql "timeout" "select status from operations where target_node = 'node2'"
    [ -f "$NNF_FENCE_RESPONSE_DIR/node2-$old.json" ] || fail "the stale response was removed by off"
}

test_non_ascii_node_name_is_fenced() {
    start_responder
    node=$(printf 'n\303\266de-7')
    expect_exit 0 agent -q -o off -n "$node"
    stop_responder
    expect_sql "completed" "select status from operations where target_node = '$node'"
    jq -e --arg n "$node" 'select(.target_node == $n)' "$LOG_DIR/fence-events-detailed.jsonl" >/dev/null \
        || fail "jsonl lost the UTF-8 node name"
}

test_hostile_stdin_is_handled() {
    big=$(head -c 1048576 /dev/zero | tr '\0' x)
    # A 1 MiB line is skipped with a warning; the fence still runs.
    start_responder
    printf 'action=off\njunk=%s\nrequest_dir=%s\nnodename=node2\n' "$big" "$big" | agent 2>"$S/err"
    [ $? -eq 0 ] || fail "1 MiB lines broke the fence: $(head -c 300 "$S/err")"
    grep -q "longer than" "$S/err" || fail "no warning for the 1 MiB value"
    stop_responder
    # NUL bytes, no final newline, a key twice (last wins, with a warning).
    printf 'action=list\nplug=a\0b\nport=node3\nport=node4' | agent >"$S/out" 2>"$S/err"
    [ $? -eq 0 ] || fail "NUL/no-newline stdin rejected"
    grep -q "NUL" "$S/err" || fail "NUL line not reported"
    grep -q "given again" "$S/err" || fail "duplicate key not reported"
    grep -q "^node4" "$S/out" || fail "last duplicate did not win: $(cat "$S/out")"
    # More than 4 MiB: refused as a whole, exit 1, nothing recorded.
    { printf 'action=off\nport=node5\n'; head -c 5000000 /dev/zero | tr '\0' 'y'; } | agent 2>"$S/err"
    [ $? -eq 1 ] || fail "5 MB of stdin accepted"
    grep -q "exceed" "$S/err" || fail "no message for oversized stdin"
    expect_sql 0 "select count(*) from operations where target_node = 'node5'"
}

test_out_of_range_environment_falls_back_loudly() {
    for v in -5 999999999999 abc 0; do
        FENCE_TIMEOUT=$v agent -o validate-all -n node2 2>"$S/err"
        [ $? -eq 0 ] || fail "FENCE_TIMEOUT=$v broke validate-all"
        grep -q "ignoring FENCE_TIMEOUT='$v'.*default" "$S/err" || fail "FENCE_TIMEOUT=$v not reported"
    done
    # A parameter (the device's own setting) out of range is an error.
    expect_exit 1 agent -o validate-all -n node2 --fence-timeout -5
    expect_exit 1 agent -o validate-all -n node2 --fence-timeout 999999999999
    printf 'action=validate-all\nport=node2\nfence_timeout=abc\n' | agent 2>/dev/null
    [ $? -eq 1 ] || fail "fence_timeout=abc on stdin accepted"
}

# The WAL and its -shm stay between processes (persisted), and a writer
# that finds the WAL with its header does not sync the directory again:
# a fence on an existing database neither deletes nor re-creates them and
# never opens the database directory to fsync it.
# The fence's own process syncs exactly its request and the request
# directory, and touches neither the database nor the logs: the record is
# its recorder's. The WAL and -shm persist between processes (no
# re-creation), emptied by the last writer so nobody re-reads them.
test_the_fence_path_syncs_only_its_request() {
    command -v strace >/dev/null || skip_test "strace is not installed"
    [ -z "${FR_WRAP:-}" ] || skip_test "strace would count the wrapper's own calls"
    start_responder
    agent -q -o off -n node1 || fail "first fence"
    before=$(recorders_so_far)
    # LeakSanitizer cannot run under ptrace; the rest of ASan can.
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -qq -o "$S/trace" -e trace=fsync,fdatasync,openat,unlink,unlinkat,execve \
        "$AGENT" -q -o off -n node2 || fail "second fence"
    wait_recorded "$before"
    stop_responder
    agent_pid=$(awk '/execve\(/ { print $1; exit }' "$S/trace")
    grep "^$agent_pid " "$S/trace" > "$S/agent.trace"
    syncs=$(grep -E 'fsync|fdatasync' "$S/agent.trace" | grep -vc 'resumed>')
    [ "$syncs" -eq 2 ] || fail "the agent synced $syncs times, expected 2 (request, directory): $(grep -E 'sync' "$S/agent.trace")"
    grep -E "openat\(.*(\.db|fence-events)" "$S/agent.trace" \
        && fail "the agent itself opened the database or a log"
    # Nor what the recorder looks up for the record: the time zone (the
    # logs' local time) and the user's name (NSS).
    grep -E 'openat\(.*"/etc/(localtime|passwd|nsswitch\.conf|group)"|/usr/share/zoneinfo' \
        "$S/agent.trace" && fail "the agent itself read a time zone or NSS file"
    grep -E 'unlink(at)?\(.*-(wal|shm)"' "$S/trace" && fail "the WAL or -shm was deleted"
    [ -e "$DB-wal" ] && [ -e "$DB-shm" ] || fail "no -wal/-shm beside the database: $(ls "$(dirname "$DB")")"
    [ "$(stat -c %s "$DB-wal")" -eq 0 ] || fail "the WAL keeps frames every later process would read and copy again"
    expect_sql "2|completed" "select count(*), group_concat(distinct status) from operations"
    integrity_ok
}

test_symlinked_database_is_not_followed() {
    start_responder
    mkdir -p "$(dirname "$DB")"
    printf 'precious\n' > "$S/precious"
    ln -s "$S/precious" "$DB"
    fence_despite_database 0
    stop_responder
    [ "$(cat "$S/precious")" = precious ] || fail "the symlink's target was written"
}

# ---- nothing answers a fence by accident -----------------------------------

# Cluster tools (pcs stonith list, stonith_admin -M, crm ra) run every
# program that looks like an agent with "action=metadata" on stdin. The
# example responder must neither look like one nor answer anything unless
# an administrator started it with --serve.
test_responder_answers_nothing_without_serve() {
    for f in "$BUILD"/fence_*; do
        [ "$(basename "$f")" = fence_recorder ] || fail "a build product is named like an agent: $f"
    done
    rm -rf "$NNF_FENCE_REQUEST_DIR" "$NNF_FENCE_RESPONSE_DIR"
    printf 'action=metadata\n' | timeout 5 "$RESPONDER" > "$S/out" 2> "$S/err"
    rc=$?
    [ "$rc" -eq 2 ] || fail "responder without --serve exited $rc, expected 2 (124: it kept running)"
    grep -q -- '--serve' "$S/err" || fail "the refusal does not name --serve: $(cat "$S/err")"
    [ ! -e "$NNF_FENCE_REQUEST_DIR" ] && [ ! -e "$NNF_FENCE_RESPONSE_DIR" ] \
        || fail "responder without --serve created the protocol directories"
    # With every answering option but --serve, a pending request stays unanswered.
    mkdir -p "$NNF_FENCE_REQUEST_DIR" "$NNF_FENCE_RESPONSE_DIR"
    id=11111111-2222-4333-8444-555555555555
    printf '{"request_id": "%s", "action": "off", "target_node": "node2"}\n' "$id" \
        > "$NNF_FENCE_REQUEST_DIR/node2-$id.json"
    expect_exit 2 timeout 5 "$RESPONDER" --once -q \
        --request-dir "$NNF_FENCE_REQUEST_DIR" --response-dir "$NNF_FENCE_RESPONSE_DIR"
    [ ! -e "$NNF_FENCE_RESPONSE_DIR/node2-$id.json" ] || fail "answered without --serve"
    # And so a fence with no storage system behind it fails, as it must.
    export FENCE_TIMEOUT=1
    printf 'action=off\nplug=node3\n' | agent 2>/dev/null
    rc=$?
    [ "$rc" -eq 1 ] || fail "a fence with no responder exited $rc, expected 1"
}

# A responder stopped while it waits out its delay answers nothing more:
# what it collected stays pending for whatever answers next.
test_responder_stopped_in_its_delay_answers_nothing() {
    id=11111111-2222-4333-8444-666666666666
    start_responder --delay-ms 3000
    printf '{"request_id": "%s", "action": "off", "target_node": "node2"}\n' "$id" \
        > "$NNF_FENCE_REQUEST_DIR/node2-$id.json"
    sleep 0.5   # seen and collected: in its delay now
    started=$(date +%s%N)
    stop_responder
    took=$(( ($(date +%s%N) - started) / 1000000 ))
    [ "$took" -lt 2000 ] || fail "the responder took $took ms to stop: it waited out its delay"
    [ ! -e "$NNF_FENCE_RESPONSE_DIR/node2-$id.json" ] || fail "answered after it was told to stop"
    [ -e "$NNF_FENCE_REQUEST_DIR/node2-$id.json" ] || fail "the request is gone"
}

# ---- health checks that fail when a fence would fail -----------------------

# check also judges the timeouts of devices in a live CIB; these tests are
# about the directories and the record, whatever cluster runs beside them.
no_cib() {
    export CIBADMIN_PATH=/nonexistent/cibadmin
}

check_fails_with() {
    "$FENCECTL" check > "$S/check.out" 2>&1
    rc=$?
    [ "$rc" -eq 1 ] || fail "fencectl check exited $rc, expected 1: $(cat "$S/check.out")"
    grep -q -- "$1" "$S/check.out" || fail "fencectl check does not say [$1]: $(cat "$S/check.out")"
}

test_check_fails_on_a_fence_recorded_to_logs_only() {
    no_cib
    start_responder
    expect_exit 0 agent -q -o off -n node1
    expect_exit 0 "$FENCECTL" check
    hold_write_lock
    FENCE_RECORDER_RECORD_PATIENCE=1 agent -o off -n node2 --db-timeout 1 2>/dev/null \
        || fail "fence failed with the database locked"
    release_write_lock
    stop_responder
    check_fails_with "2 line(s) of $LOG_DIR/fence-events-detailed.jsonl are not in the database"
    grep -q "fencectl import $LOG_DIR/fence-events-detailed.jsonl" "$S/check.out" || fail "no repair said: $(cat "$S/check.out")"
    grep -q "^    line 3: .* node2 requested" "$S/check.out" || fail "missing lines not shown: $(cat "$S/check.out")"
    "$FENCECTL" import "$LOG_DIR/fence-events-detailed.jsonl" > /dev/null || fail "import"
    expect_exit 0 "$FENCECTL" check
    # A deliberate age-based prune is not a gap: its lines are not asked back.
    # (An operation stays while its response file fences the node: unfenced
    # first, as the nodes would be once back.)
    "$FENCECTL" unfence --yes node1 > /dev/null 2>&1 || fail "unfence node1"
    "$FENCECTL" unfence --yes node2 > /dev/null 2>&1 || fail "unfence node2"
    sleep 1
    "$FENCECTL" prune --events-older-than 0s > /dev/null || fail "prune"
    expect_sql 0 "select count(*) from events"
    "$FENCECTL" check > "$S/check.out" || fail "check after a prune: $(cat "$S/check.out")"
}

test_check_fails_on_a_running_operation_whose_outcome_is_only_in_the_logs() {
    no_cib
    start_responder
    expect_exit 0 agent -q -o off -n node4
    stop_responder
    # The state a database unavailable at the outcome leaves: the start
    # recorded, the outcome in the logs only.
    sql "update operations set status = 'running', finished_at = null, exit_code = null, message = null;
         delete from events where status <> 'requested'"
    uuid=$(sql "select op_uuid from operations")
    check_fails_with "operation $uuid (off of node4) is still 'running' in the database, but .* has its outcome 'completed'"
    grep -q "fencectl import" "$S/check.out" || fail "no repair said"
}

test_check_fails_on_a_running_operation_whose_agent_is_gone() {
    no_cib
    create_db
    sleep 0 & dead=$!
    wait "$dead"
    sql "insert into operations (op_uuid, action, target_node, recorder_node, requested_by, agent_pid, started_at)
         values ('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'off', 'node5', '$(hostname)', 'test', $dead,
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-5 minutes'))"
    check_fails_with "operation aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee (off of node5, started 5m .*) .*agent (pid $dead) is gone"
    # A live agent's operation is not a problem, however long it waits.
    sql "update operations set agent_pid = $$"
    sleep 30 & live=$!
    sql "update operations set agent_pid = $live"
    "$FENCECTL" check > "$S/check.out" 2>&1
    rc=$?
    kill "$live"
    # $live is sleep, not fence_recorder: a reused pid is not the agent.
    [ "$rc" -eq 1 ] || fail "a pid reused by another program taken for the agent: $(cat "$S/check.out")"
}

test_check_and_monitor_fail_on_a_full_or_read_only_request_directory() {
    no_cib
    mkdir "$S/small"
    mount -t tmpfs -o size=64k tmpfs "$S/small" 2>/dev/null || skip_test "cannot mount a tmpfs here"
    trap 'umount "$S/small" 2>/dev/null' EXIT
    export NNF_FENCE_REQUEST_DIR="$S/small/requests"
    create_db
    expect_exit 0 agent -o monitor
    expect_exit 0 "$FENCECTL" check
    dd if=/dev/zero of="$S/small/fill" bs=4k 2>/dev/null   # until ENOSPC
    agent -o monitor 2>"$S/err"
    [ $? -eq 1 ] || fail "monitor passed on a full request directory"
    grep -q "monitor failed: request directory $S/small/requests is full" "$S/err" || fail "monitor: $(cat "$S/err")"
    check_fails_with "request directory $S/small/requests is full"
    # What the checks predict is what a fence meets.
    expect_exit 1 agent -o off -n node2 --fence-timeout 1 2>/dev/null
    rm "$S/small/fill"
    expect_exit 0 agent -o monitor
    expect_exit 0 "$FENCECTL" check
    mount -o remount,ro "$S/small" || fail "remount read-only"
    agent -o monitor 2>"$S/err"
    [ $? -eq 1 ] || fail "monitor passed on a read-only request directory"
    check_fails_with "request directory"
    mount -o remount,rw "$S/small"
    expect_count 0 "$S"/small/requests/.fence_recorder-probe-*
    umount "$S/small"
}

# ---- the record off the fence's critical path (bursts) ---------------------

# A rack fails and Pacemaker fences 200 nodes at once, discovery on, with
# the real Pacemaker tools: every fence succeeds, every operation is
# complete in the database (none running, none logs-only), and the burst
# shares its looks at the cluster instead of running crm_mon and cibadmin
# twice per fence.
test_burst_of_200_with_discovery_records_everything_and_shares_the_cluster() {
    command -v crm_mon >/dev/null && command -v cibadmin >/dev/null \
        || fail "crm_mon/cibadmin missing (make check installs pacemaker-cli-utils)"
    n=200
    [ -n "${FR_WRAP:-}" ] && n=30   # under valgrind every agent costs ~100 MB
    export FILESYSTEM_DISCOVERY_ENABLED=true
    unset CRM_MON_PATH CIBADMIN_PATH
    start_responder
    before=$(recorders_so_far)
    t0=$(date +%s%N)
    pids=
    for i in $(seq 1 "$n"); do
        ${FR_WRAP:-} "$AGENT" -q -o off -n "rack$i" 2>>"$S/agents.err" &
        pids="$pids $!"
    done
    bad=0
    for p in $pids; do wait "$p" || bad=$((bad + 1)); done
    exited=$(( ($(date +%s%N) - t0) / 1000000 ))
    wait_recorded "$before"
    recorded=$(( ($(date +%s%N) - t0) / 1000000 ))
    stop_responder
    echo "$n fences at once: every agent exited after $exited ms, every record written after $recorded ms"
    [ "$bad" -eq 0 ] || fail "$bad of $n fences failed: $(head -5 "$S/agents.err")"
    expect_sql "$n|$n|0" "select count(*), sum(status = 'completed' and agent_end = 'exited' and \
        response_success = 1 and duration_ms >= 0), sum(status = 'running') from operations"
    expect_sql "$n|$n" "select count(*), count(distinct operation_id) from requests"
    grep -q "database unavailable" "$LOG_DIR/fence-events.log" && fail "an operation went to the logs only"
    expect_sql "$n" "select count(distinct operation_id) from discoveries"
    runs=$(sql "select count(*) from discoveries where shared_from is null")
    shared=$(sql "select count(*) from discoveries where shared_from is not null")
    echo "Pacemaker tool runs: $runs for $n fences ($shared results shared)"
    # Shared for 5 s: under valgrind the burst itself spreads over a minute.
    most=$((n / 5)); [ -n "${FR_WRAP:-}" ] && most=$((n / 2))
    [ "$runs" -le "$most" ] || fail "$runs crm_mon/cibadmin runs for $n fences: the burst did not share"
    "$FENCECTL" export --jsonl | cmp -s - "$LOG_DIR/fence-events-detailed.jsonl" \
        || fail "the database's jsonl differs from the log the recorders wrote"
    integrity_ok
}

# More agents wait at once than a user has inotify instances
# (fs.inotify.max_user_instances, 128 by default): the ones without an
# instance watch with dnotify, so every answer still reaches its agent at
# once. The poll interval is a minute: an agent that fell back to polling
# would take that long.
test_more_agents_than_inotify_instances_all_answered_at_once() {
    limit=$(cat /proc/sys/fs/inotify/max_user_instances 2>/dev/null || echo 128)
    n=$((limit + 32))
    preload=
    if [ -n "${FR_WRAP:-}" ]; then
        # 160 agents under valgrind do not fit this machine: take inotify
        # away from a few instead, as the limit does.
        n=6
        preload="$BUILD/tests/shims/no_inotify.so"
    fi
    export POLL_INTERVAL=60
    before=$(recorders_so_far)
    pids=
    trap 'kill $pids 2>/dev/null' EXIT
    for i in $(seq 1 "$n"); do
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
            LD_PRELOAD=$preload ${FR_WRAP:-} "$AGENT" -q -o off -n "many$i" --fence-timeout 120 &
        pids="$pids $!"
    done
    i=0
    while [ "$(ls "$NNF_FENCE_REQUEST_DIR" | grep -c '^many')" -lt "$n" ]; do
        i=$((i + 1)); [ "$i" -gt 3000 ] && fail "not all $n requests appeared"; sleep 0.02
    done
    sleep 1
    # Answered here, as nnf-sos would (the example responder would need an
    # inotify instance of its own, and there are none left).
    start=$(date +%s%N)
    for f in "$NNF_FENCE_REQUEST_DIR"/many*.json; do
        name=$(basename "$f" .json)
        id=${name#many*-}
        write_response "${name%%-*}" "$id" "{\"request_id\": \"$id\", \"success\": true, \"message\": \"fenced\"}"
    done
    bad=0
    for p in $pids; do wait "$p" || bad=$((bad + 1)); done
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    trap - EXIT
    wait_recorded "$before"
    echo "$n waiting agents answered and exited within $took ms"
    [ "$bad" -eq 0 ] || fail "$bad of $n fences failed"
    [ "$took" -lt 45000 ] || fail "answers took $took ms: some agent polled instead of watching"
    expect_sql "$n" "select count(*) from operations where status = 'completed'"
}

# With neither inotify nor dnotify (NFS), the periodic re-check still finds
# the answer.
test_without_inotify_or_dnotify_the_answer_is_found_by_polling() {
    export POLL_INTERVAL=0.2
    start_responder
    # An ASan build checks that its runtime loads first; a preloaded shim
    # comes before it (harmlessly: the shims intercept no allocation).
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    LD_PRELOAD="$BUILD/tests/shims/no_inotify.so $BUILD/tests/shims/no_dnotify.so" \
        agent -o off -n nfsnode 2>"$S/err" || fail "fence failed without inotify and dnotify: $(cat "$S/err")"
    stop_responder
    expect_sql "completed" "select status from operations where target_node = 'nfsnode'"
    grep -q "neither inotify nor dnotify" "$LOG_DIR/fence-events.log" || fail "the fallback is not logged"
}

# A fence the agent refuses (a target that is no node's name) was still
# asked for by Pacemaker: the record and the logs say so, the name escaped,
# and the agent exits 1 as before.
test_refused_fence_is_recorded_with_the_name_escaped() {
    printf 'action=off\nport=../evil\n' | agent 2>"$S/err"
    [ $? -eq 1 ] || fail "a refused fence did not exit 1"
    grep -q "invalid target node name" "$S/err" || fail "stderr lacks the reason: $(cat "$S/err")"
    expect_sql "../evil|failed|1|exited" "select target_node, status, exit_code, agent_end from operations"
    expect_sql 1 "select count(*) from operations where message like 'refused: invalid target node name%'"
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "TARGET=\.\./evil .*STATUS=requested"
    expect_file_contains "$LOG_DIR/fence-events-readable.log" "TARGET=\.\./evil .*STATUS=failed"
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/*
    # Control characters never reach a log line raw.
    printf 'action=reboot\nplug=bad\033name\n' | agent 2>/dev/null
    [ $? -eq 1 ] || fail "a name with an escape character was not refused"
    expect_sql 'bad\x1bname|failed' "select target_node, status from operations where action = 'reboot'"
    logs_untorn
}

# The recorder killed with its record pending. Before it wrote anything:
# nothing is in the database or the logs, and fencectl orphans lists the
# response the storage system wrote. After it recorded the request: the
# operation is running until the next recorder finds both processes gone
# and closes it.
test_recorder_killed_with_the_record_pending() {
    start_responder
    expect_exit 0 agent -q -o off -n node1
    hold_write_lock
    before=$(recorders_so_far)
    "$AGENT" -q -o off -n lost || fail "the fence failed with its recorder about to die"
    recorder=$(tail -n 1 "$FENCE_RECORDER_TEST_RECORDERS")
    [ "$(recorders_so_far)" -gt "$before" ] || fail "no recorder noted"
    kill -KILL "$recorder"
    release_write_lock
    expect_sql 0 "select count(*) from operations where target_node = 'lost'"
    grep -q "TARGET=lost " "$LOG_DIR/fence-events-readable.log" && fail "lines of an unrecorded fence"
    "$FENCECTL" --format csv orphans > "$S/orphans.csv" || fail "orphans"
    grep -q "^response-without-request,lost-" "$S/orphans.csv" \
        || fail "orphans does not list the response: $(cat "$S/orphans.csv")"
    stop_responder
    # Recorded as requested, then the recorder dies while the storage
    # system takes its time. The test answers only once the request is
    # recorded: a timed answer raced the recorder's start (under valgrind
    # the answer came first and both were recorded in one step).
    agent_bg -q -o off -n slow --fence-timeout 120
    id=$(wait_for_request slow)
    eventually_sql 1 "select count(*) from operations where target_node = 'slow' and status = 'running'"
    kill -KILL "$(tail -n 1 "$FENCE_RECORDER_TEST_RECORDERS")"
    answer_fenced slow "$id"
    wait "$AGENT_PID" || fail "the fence failed with its recorder killed"
    expect_sql running "select status from operations where target_node = 'slow'"
    start_responder
    expect_exit 0 agent -q -o off -n node3
    stop_responder
    # Nobody saw how the agent ended (it exited 0 here): unknown, not
    # killed; the storage system's answer is on disk, and said.
    expect_sql "unknown|unknown|1" "select status, agent_end, response_success from operations where target_node = 'slow'"
    expect_sql 1 "select count(*) from operations where target_node = 'slow' and message like
        'abandoned: %how the agent ended (what Pacemaker saw) is unknown; the storage system answered success%'"
    uuid=$(sql "select op_uuid from operations where target_node = 'slow'")
    "$FENCECTL" show "$uuid" | grep -q 'agent: unknown (its recorder died first); storage system: fenced' \
        || fail "show: $("$FENCECTL" show "$uuid")"
    "$FENCECTL" --format json audit --no-cluster > audit.json
    jq -e --arg u "$uuid" 'all(.[]; .request_id != $u or (.kind != "killed-after-response" and .kind != "outcome-mismatch"))' \
        audit.json > /dev/null || fail "audit claims Pacemaker saw a failure: $(cat audit.json)"
    "$FENCECTL" --format csv orphans > orphans.csv
    grep -q "^operation-unfinished,$uuid,slow,.*unknown" orphans.csv || fail "orphans: $(cat orphans.csv)"
    grep -q "^operation-killed,$uuid" orphans.csv && fail "orphans says killed: $(cat orphans.csv)"
    return 0
}

# The two facts of a timeout: the agent exited 1 on its own timeout, and
# the storage system said nothing (not "refused").
test_timeout_records_no_answer_and_the_fences_own_duration() {
    agent -q -o off -n quiet --fence-timeout 1 2>/dev/null
    [ $? -eq 1 ] || fail "a fence nobody answered did not fail"
    expect_sql "timeout|exited|1|" "select status, agent_end, exit_code, response_success from operations"
    expect_sql 1 "select duration_ms between 1000 and 5000 from operations"
}

# The storage system's text is data: an action_performed full of printf
# directives is recorded as written and crashes nothing.
test_response_text_is_never_a_format() {
    agent_bg -q -o off -n fmt --fence-timeout 10
    id=$(wait_for_request fmt)
    write_response fmt "$id" "{\"request_id\": \"$id\", \"target_node\": \"fmt\", \"success\": true, \"message\": \"%n%s\", \"action_performed\": \"%s%s%s%n%n\"}"
    wait_agent || fail "a fence answered with printf directives failed"
    expect_sql 1 "select count(*) from events where status = 'completed' and details = 'Fence action %s%s%s%n%n completed successfully: %n%s'"
}

# A database appears complete or not at all. The agent that would create it
# (here monitor, as Pacemaker probes a device on every node) is killed
# while it builds it, the writers' queue being held so it stays in there:
# no database file without tables is left (fencectl would call it "an
# empty file: no fence recorded" and every reader would stop there), and
# the next run creates the complete database.
test_database_created_complete_or_not_at_all() {
    command -v flock >/dev/null || fail "flock (util-linux) missing"
    mkdir -p "$(dirname "$DB")"
    flock -x -o "$DB-queue" sleep 30 & q1=$!
    flock -x -o "$DB.new-queue" sleep 30 & q2=$!
    sleep 0.3
    FENCE_RECORDER_DB_TIMEOUT=20000 ${FR_WRAP:-} "$FENCECTL" import /dev/null > /dev/null 2>&1 & creator=$!
    sleep 2
    kill -KILL "$creator"
    wait "$creator" 2>/dev/null
    kill "$q1" "$q2"
    wait "$q1" "$q2" 2>/dev/null
    if [ -e "$DB" ]; then
        sqlite3 "$DB" .tables | grep -qw operations || fail "a database without tables was left: $(ls -la "$(dirname "$DB")")"
    fi
    create_db
    expect_exit 0 agent -o monitor   # and the directories a fence needs
    expect_sql "$(ls "$TOP"/schema/[0-9]*.sql | wc -l)" "PRAGMA user_version"
    "$FENCECTL" check > check.out 2>&1 || fail "check after the creation: $(cat check.out)"
    [ ! -e "$DB.new" ] || fail "the builder's file stayed: $(ls -la "$(dirname "$DB")")"
}

# A fence whose record was lost (its recorder killed while it waited for
# the database) is in neither the database nor the logs, but its request
# and response files are there: check names it, import --from-files
# rebuilds it from those files (once, however often it runs), orphans no
# longer calls its response unexplained, and an age-based prune keeps it
# while its response file fences the node.
test_a_lost_record_is_named_by_check_and_rebuilt_from_its_files() {
    start_responder
    expect_exit 0 agent -q -o off -n node1
    hold_write_lock
    "$AGENT" -q -o off -n lost || fail "the fence failed with its recorder about to die"
    kill -KILL "$(tail -n 1 "$FENCE_RECORDER_TEST_RECORDERS")"
    release_write_lock
    stop_responder
    expect_sql 0 "select count(*) from operations where target_node = 'lost'"
    id=$(basename "$(ls "$NNF_FENCE_RESPONSE_DIR"/lost-*.json)" .json); id=${id#lost-}
    "$FENCECTL" check --fence-timeout 0s > check.out 2>&1 && fail "check passes with a lost fence: $(cat check.out)"
    grep -q "^PROBLEM: 1 fence(s) of this node have request or response files but no operation" check.out \
        || fail "check: $(cat check.out)"
    grep -q "off of lost: .*lost-$id.json" check.out || fail "check does not name the files: $(cat check.out)"
    # Too young for the default (a recorder may still wait 10 minutes).
    "$FENCECTL" import --from-files > imp.out 2>&1 || fail "import --from-files: $(cat imp.out)"
    grep -q "^rebuilt 0 operation" imp.out || fail "rebuilt a fence a recorder may still write: $(cat imp.out)"
    "$FENCECTL" import --from-files --older-than 0s > imp.out 2>&1 || fail "import --from-files: $(cat imp.out)"
    grep -q "^rebuilt 1 operation" imp.out || fail "not rebuilt: $(cat imp.out)"
    expect_sql "off|lost|completed|0|1|import" \
        "select action, target_node, status, exit_code, response_success, requested_by from operations where op_uuid = '$id'"
    # The responder removes a request once it answered it (nnf-sos may keep it).
    req_files=$(ls "$NNF_FENCE_REQUEST_DIR"/lost-*.json 2>/dev/null | wc -l)
    expect_sql "$req_files|1" "select (select count(*) from requests where request_id = '$id'),
        (select count(*) from responses where request_id = '$id' and source = 'files' and success = 1)"
    expect_sql 1 "select count(*) from operations where op_uuid = '$id' and message like 'rebuilt from the request and response files%'"
    "$FENCECTL" import --from-files --older-than 0s > imp.out 2>&1 || fail "second import: $(cat imp.out)"
    grep -q "^rebuilt 0 operation" imp.out || fail "not idempotent: $(cat imp.out)"
    "$FENCECTL" check --fence-timeout 0s > check.out 2>&1 || fail "check after the repair: $(cat check.out)"
    "$FENCECTL" --format csv orphans > orphans.csv
    grep -q "lost-$id" orphans.csv && fail "orphans still lists the rebuilt fence: $(cat orphans.csv)"
    "$FENCECTL" prune --events-older-than 0s > prune.out 2>&1 || fail "prune: $(cat prune.out)"
    expect_sql 1 "select count(*) from operations where op_uuid = '$id'"
    "$FENCECTL" check --fence-timeout 0s > check.out 2>&1 || fail "check after the prune: $(cat check.out)"
    # Another node's fence in the shared directories is that node's to record.
    other=0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b
    printf '{"request_id": "%s", "timestamp": "2026-11-25T02:31:02.000Z", "action": "off", "target_node": "node7", "recorder_node": "n9"}\n' \
        "$other" > "$NNF_FENCE_REQUEST_DIR/node7-$other.json"
    "$FENCECTL" check --fence-timeout 0s > check.out 2>&1
    grep -q "node7" check.out && grep -q "no operation" check.out && fail "another recorder's fence named: $(cat check.out)"
    "$FENCECTL" import --from-files --older-than 0s > imp.out 2>&1 || fail "import: $(cat imp.out)"
    expect_sql 0 "select count(*) from operations where target_node = 'node7'"
    # This node's request that nobody answered: rebuilt without an outcome,
    # and check says the outcome is unknown.
    mine=1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b
    printf '{"request_id": "%s", "timestamp": "2026-11-25T02:31:02.000Z", "action": "reboot", "target_node": "node8", "recorder_node": "%s"}\n' \
        "$mine" "$(hostname)" > "$NNF_FENCE_REQUEST_DIR/node8-$mine.json"
    "$FENCECTL" import --from-files --older-than 0s > imp.out 2>&1 || fail "import: $(cat imp.out)"
    expect_sql "reboot|running||" "select action, status, exit_code, response_success from operations where op_uuid = '$mine'"
    "$FENCECTL" check > check.out 2>&1
    grep -q "operation $mine (reboot of node8) was imported from log lines or files that hold no outcome" check.out \
        || fail "check: $(cat check.out)"
}

# No recorder can be forked (a pids limit) while another process holds
# the database's write lock: the agent still exits on the answer at once,
# says so once, and records nothing itself (a locked database, a hung log
# disk would stand between the answer and the exit). check names the fence
# and import --from-files rebuilds it from its files.
test_failed_recorder_spawn_neither_blocks_nor_fails_the_fence() {
    start_responder
    create_db
    hold_write_lock
    t0=$(date +%s%N)
    FENCE_RECORDER_RECORD_PATIENCE=20 \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    LD_PRELOAD="$BUILD/tests/shims/no_fork.so" "$AGENT" -o off -n nofork > out.txt 2> err.txt
    rc=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    release_write_lock
    stop_responder
    [ "$rc" -eq 0 ] || fail "the fence failed without a recorder: $rc $(cat err.txt)"
    [ "$ms" -lt 5000 ] || fail "the agent took $ms ms with the database locked"
    [ "$(grep -c 'cannot start the recorder .*: Resource temporarily unavailable; the fence goes on unrecorded' err.txt)" -eq 1 ] || fail "said not once: $(cat err.txt)"
    expect_sql 0 "select count(*) from operations where target_node = 'nofork'"
    "$FENCECTL" check --fence-timeout 0s > check.out 2>&1 && fail "check passes: $(cat check.out)"
    grep -q "off of nofork" check.out || fail "check does not name it: $(cat check.out)"
    "$FENCECTL" import --from-files --older-than 0s > imp.out 2>&1 || fail "import: $(cat imp.out)"
    expect_sql "completed|1" "select status, response_success from operations where target_node = 'nofork'"
}

# check reads the logs while recorders write: a line must never be in a
# file before its rows are committed, or check reports it as logs-only
# (and pages someone) for the moment in between. The recorder's commit is
# held 3 s here (strace delays its fdatasync) while check runs: check
# passes, and once the recorder is done the line and its rows are there.
# agent_held_at SYSCALL MICROSECONDS NODE: fences NODE in the background
# under strace, each SYSCALL of the agent and its recorder delayed before
# it runs. strace waits for the recorder too: TRACER is its pid, and the
# agent's own end is awaited by its response (it exits on reading it).
agent_held_at() {
    command -v strace >/dev/null || fail "strace missing (make check-deps)"
    strace -f -qq -o /dev/null -e trace="$1" -e inject="$1:delay_enter=$2" \
        "$AGENT" -q -o off -n "$3" 2>/dev/null &
    TRACER=$!
}

test_check_does_not_report_lines_a_recorder_is_committing() {
    no_cib
    start_responder
    expect_exit 0 agent -q -o off -n node1
    before=$(recorders_so_far)
    agent_held_at fdatasync 3000000 slowcommit
    i=0
    until ls "$NNF_FENCE_RESPONSE_DIR"/slowcommit-*.json > /dev/null 2>&1; do
        i=$((i + 1)); [ "$i" -gt 3000 ] && fail "no answer within 30 s"; sleep 0.01
    done
    sleep 1.5
    [ "$(sql "select count(*) from operations where target_node = 'slowcommit' and status = 'completed'")" = 0 ] \
        || fail "the commit was not held: the test shows nothing"
    "$FENCECTL" check > check.out 2>&1 || fail "check flapped while a recorder committed: $(cat check.out)"
    wait "$TRACER" || fail "the fence failed"
    wait_recorded "$before"
    stop_responder
    expect_sql completed "select status from operations where target_node = 'slowcommit'"
    grep -q '"target_node": "slowcommit", "status": "completed"' "$LOG_DIR/fence-events-detailed.jsonl" \
        || fail "the line never came: $(tail -3 "$LOG_DIR/fence-events-detailed.jsonl")"
    "$FENCECTL" check > check.out 2>&1 || fail "check after the commit: $(cat check.out)"
}

# kill_after_commit NODE: fences NODE with its recorder held after its
# commit, at its first log append (a writev, delayed), and SIGKILLs it
# there.
kill_after_commit() {
    before=$(recorders_so_far)
    agent_held_at writev 3000000 "$1"
    eventually_sql completed "select status from operations where target_node = '$1'"
    recorder=$(tail -n +"$((before + 1))" "$FENCE_RECORDER_TEST_RECORDERS" | head -n 1)
    [ -n "$recorder" ] || fail "no recorder noted"
    kill -KILL "$recorder"
    wait "$TRACER" || fail "the fence of $1 failed"
    grep -q "\"target_node\": \"$1\", \"status\": \"completed\"" "$LOG_DIR/fence-events-detailed.jsonl" \
        && fail "the lines of $1 were written before the kill: the test shows nothing"
    return 0
}

# A recorder killed between its commit and its log write leaves rows no log
# has (a SIGKILL during the commit's fsync leaves the same). check names
# the gap; the next record writes the lines first, where they belong, and
# says so; a writer killed in the same window after taking them back loses
# neither its lines nor those it took.
test_lines_of_a_recorder_killed_after_its_commit_are_written_by_the_next() {
    no_cib
    start_responder
    expect_exit 0 agent -q -o off -n node1
    kill_after_commit cut
    check_fails_with "line(s) of a step committed at .* are in the database but missing from $LOG_DIR/fence-events-detailed.jsonl"
    grep -q "missing from $LOG_DIR/fence-events.log " "$S/check.out" || fail "main log not named: $(cat "$S/check.out")"
    kill_after_commit cut2
    expect_exit 0 agent -q -o off -n node3
    stop_responder
    for kind in jsonl readable; do
        file=$LOG_DIR/fence-events-detailed.jsonl
        [ "$kind" = readable ] && file=$LOG_DIR/fence-events-readable.log
        "$FENCECTL" export --$kind > "export.$kind" || fail "export --$kind"
        cmp -s "export.$kind" "$file" || fail "$kind differs from the database: $(diff "export.$kind" "$file")"
    done
    [ "$(grep -c '\[WARNING\] the log lines of a step committed at .* were missing from .*fence-events-detailed.jsonl' \
        "$LOG_DIR/fence-events.log")" -eq 2 ] || fail "not two warnings: $(tail -8 "$LOG_DIR/fence-events.log")"
    for node in cut cut2; do
        grep -q "Fence action off for $node succeeded" "$LOG_DIR/fence-events.log" \
            || fail "the main log's lines of $node not written"
    done
    expect_exit 0 "$FENCECTL" check
}

# A write cut short (a full disk) leaves part of a line with no newline.
# The next fence's lines start on lines of their own, never glued to it;
# check says where the fragment is without failing over it for ever; and
# import reads every whole line after it, rejecting the fragment alone,
# with its line and byte offset.
test_a_line_cut_short_never_glues_the_next_fence_to_it() {
    no_cib
    start_responder
    expect_exit 0 agent -q -o off -n node1
    jsonl=$LOG_DIR/fence-events-detailed.jsonl
    frag_at=$(stat -c %s "$jsonl")
    for f in fence-events-detailed.jsonl fence-events-readable.log fence-events.log; do
        printf '{"timestamp": "2026-11-25T0' >> "$LOG_DIR/$f"
    done
    expect_exit 0 agent -q -o off -n node2
    stop_responder
    grep -qx '{"timestamp": "2026-11-25T0' "$jsonl" || fail "the fragment is not alone on its line: $(cat "$jsonl")"
    [ "$(grep -c '^{"timestamp": "[^"]*", "action": "off", "target_node": "node2"' "$jsonl")" -eq 2 ] \
        || fail "node2's lines are not whole: $(cat "$jsonl")"
    grep -q '^\[[^]]*\] ACTION=off TARGET=node2 .*STATUS=completed' "$LOG_DIR/fence-events-readable.log" \
        || fail "readable log: $(cat "$LOG_DIR/fence-events-readable.log")"
    grep -q '^\[[^]]*\] \[INFO\] Fence action off for node2 succeeded' "$LOG_DIR/fence-events.log" \
        || fail "main log: $(cat "$LOG_DIR/fence-events.log")"
    "$FENCECTL" check > check.out 2>&1 || fail "check fails over a fragment: $(cat check.out)"
    grep -q "^INFO: 1 line(s) of $jsonl were cut short .*the first at line 3 (byte $frag_at)" check.out \
        || fail "check does not place the fragment: $(cat check.out)"
    "$FENCECTL" --db "$S/fresh.db" import "$jsonl" > imp.out 2> imp.err
    [ $? -eq 1 ] || fail "import: $(cat imp.out imp.err)"
    grep -q "imported 4 event(s), 0 already present, 1 rejected" imp.out || fail "import: $(cat imp.out imp.err)"
    grep -q ":3: rejected: not a JSON object (the line starts at byte $frag_at)" imp.err || fail "import: $(cat imp.err)"
}

# Another process holds the database so that it cannot even be opened (a
# recorder stopped in its checkpoint, an exclusive lock): the recorder
# waits for it as patiently as for a write lock, and records the fence in
# the database once it is free, not to the logs only.
test_database_that_cannot_be_opened_for_a_while_is_waited_for() {
    start_responder
    expect_exit 0 agent -q -o off -n node1
    mkfifo "$S/x.in"
    sqlite3 "$DB" < "$S/x.in" > "$S/x.out" 2>&1 &
    holder=$!
    exec 4>"$S/x.in"
    printf '.timeout 10000\nPRAGMA locking_mode = EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT count(*) FROM operations;\n' >&4
    i=0
    until grep -q '^1$' "$S/x.out"; do
        i=$((i + 1)); [ "$i" -gt 500 ] && fail "could not take the exclusive lock: $(cat "$S/x.out")"; sleep 0.02
    done
    before=$(recorders_so_far)
    FENCE_RECORDER_RECORD_PATIENCE=60 "$AGENT" -q -o off -n blocked --db-timeout 1 || fail "the fence failed"
    sleep 3
    printf 'COMMIT;\n' >&4
    exec 4>&-
    wait "$holder"
    wait_recorded "$before"
    stop_responder
    expect_sql completed "select status from operations where target_node = 'blocked'"
    "$FENCECTL" check > check.out 2>&1 || fail "check: $(cat check.out)"
    grep -q "database unavailable" "$LOG_DIR/fence-events.log" && fail "recorded to the logs only: $(cat "$LOG_DIR/fence-events.log")"
    return 0
}
