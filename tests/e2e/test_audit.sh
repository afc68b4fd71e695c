# fencectl audit without a cluster: crm_mon and stonith_admin are stubs
# on PATH printing captured Pacemaker XML (tests/fixtures/audit), and the
# record is the real agent's, with crafted rows where a real one needs
# Pacemaker (test_pacemaker_audit.sh does those against the real cluster).

FIX="$TOP/tests/fixtures/audit"

ctl() {
    ${FR_WRAP:-} "$FENCECTL" "$@"
}

# stub_cluster NODES_XML [HISTORY_XML]: crm_mon and stonith_admin that
# print these files; "down" instead makes them fail as with no cluster,
# "hang" makes them never answer.
stub_cluster() {
    mkdir -p "$S/bin"
    for tool in crm_mon stonith_admin; do
        file=$1
        [ "$tool" = stonith_admin ] && file=${2:-$S/empty-history.xml}
        case "$file" in
        down) printf '#!/bin/sh\necho "Connection to cluster failed: Transport endpoint is not connected" >&2\nexit 102\n' ;;
        hang) printf '#!/bin/sh\nexec sleep 30\n' ;;
        *) printf '#!/bin/sh\ncat "%s"\n' "$file" ;;
        esac > "$S/bin/$tool"
        chmod +x "$S/bin/$tool"
    done
    sed -e '/<fence_event/d' -e 's/count="4"/count="0"/' "$FIX/stonith_admin-history.xml.in" > "$S/empty-history.xml"
    PATH="$S/bin:$PATH"
    export PATH
}

# ago SECONDS [FORMAT]: a UTC time that many seconds ago (ISO ms by default).
ago() {
    date -u -d "@$(( $(date +%s) - $1 ))" "+${2:-%Y-%m-%dT%H:%M:%S.000Z}"
}

# op UUID ACTION TARGET BY STARTED_AGO STATUS AGENT_END RESPONSE_SUCCESS: a crafted operation.
op() {
    sql "insert into operations (op_uuid, action, target_node, recorder_node, requested_by, agent_pid,
         started_at, finished_at, status, exit_code, agent_end, response_success)
         values ('$1', '$2', '$3', 'elsewhere', '$4', 1, '$(ago "$5")', '$(ago $(($5 - 1)))', '$6',
         case '$7' when 'exited' then 0 end, nullif('$7', ''), nullif('$8', ''))"
}

fenced_node2() {
    start_responder
    agent -o off -n node2 || fail "fence node2"
    stop_responder
}

test_audit_online_while_fenced_is_critical_and_the_first_line() {
    fenced_node2
    stub_cluster "$FIX/crm_mon-node2-online.xml"
    ctl audit > out.txt
    rc=$?
    [ "$rc" -eq 2 ] || fail "exit $rc, expected 2 (CRITICAL): $(cat out.txt)"
    sed -n 2p out.txt | grep -q '^CRITICAL .* online-while-fenced  *node2 ' || fail "first line: $(cat out.txt)"
    grep -q 'WARNING .* manual-run  *node2' out.txt || fail "the manual fence is not reported: $(cat out.txt)"
    ctl --format json audit > out.json
    jq -e '.[0].severity == "CRITICAL" and .[0].kind == "online-while-fenced" and .[0].node == "node2"' out.json \
        > /dev/null || fail "json: $(cat out.json)"
    # Offline in the cluster: fenced and down is what fencing is for.
    sed 's/name="node2" id="2" online="true"/name="node2" id="2" online="false"/' \
        "$FIX/crm_mon-node2-online.xml" > offline.xml
    stub_cluster "$S/offline.xml"
    ctl audit > out.txt
    [ $? -eq 1 ] || fail "offline node: $(cat out.txt)"
    grep -q online-while-fenced out.txt && fail "offline node reported online"
    return 0
}

test_audit_cluster_that_does_not_answer_is_one_line_and_the_rest_is_reported() {
    fenced_node2
    for how in down "$FIX/crm_mon-no-cib.xml"; do
        stub_cluster "$how"
        ctl audit > out.txt
        rc=$?
        [ "$rc" -eq 1 ] || fail "exit $rc with cluster $how: $(cat out.txt)"
        [ "$(grep -c cluster-unreachable out.txt)" -eq 1 ] || fail "not one line: $(cat out.txt)"
        grep -q 'manual-run  *node2' out.txt || fail "rest not reported: $(cat out.txt)"
    done
    grep -q 'Could not connect to the CIB' out.txt || fail "crm_mon's own error not shown: $(cat out.txt)"
    stub_cluster hang
    start=$(date +%s)
    ctl audit --timeout 1 > out.txt
    [ $(( $(date +%s) - start )) -le 5 ] || fail "the cluster commands were not bounded"
    grep -q 'cluster-unreachable.*did not finish within 1000 ms' out.txt || fail "timeout: $(cat out.txt)"
}

test_audit_pacemaker_history_against_the_record() {
    fenced_node2     # creates the database; a manual run
    op 11111111-1111-4111-8111-111111111111 off node2 pacemaker-fenced 300 completed exited 1
    op 33333333-3333-4333-8333-333333333333 off node3 pacemaker-fenced 240 terminated killed 1
    op 44444444-4444-4444-8444-444444444444 off node4 pacemaker-fenced 200 failed exited 0
    op 55555555-5555-4555-8555-555555555555 off node5 pacemaker-fenced 100 completed exited 1
    sed -e "s/@OK@/$(ago 299 '%Y-%m-%d %H:%M:%SZ')/" -e "s/@KILLED@/$(ago 230 '%Y-%m-%d %H:%M:%SZ')/" \
        -e "s/@UNFENCED@/$(ago 199 '%Y-%m-%d %H:%M:%SZ')/" -e "s/@ONLY@/$(ago 50 '%Y-%m-%d %H:%M:%SZ')/" \
        "$FIX/stonith_admin-history.xml.in" > history.xml
    sed 's/online="true"/online="false"/g' "$FIX/crm_mon-node2-online.xml" > offline.xml
    stub_cluster "$S/offline.xml" "$S/history.xml"
    ctl --format json audit > out.json
    rc=$?
    [ "$rc" -eq 2 ] || fail "exit $rc, expected 2: $(cat out.json)"
    # node4: Pacemaker says success, the storage system refused: critical, first.
    jq -e '.[0] | .kind == "pacemaker-success-unfenced" and .node == "node4" and .severity == "CRITICAL"' out.json \
        > /dev/null || fail "first: $(jq -c '.[0]' out.json)"
    kinds=$(jq -r '.[1:] | map(.kind + ":" + .node) | join(" ")' out.json)
    # Newest first: the manual fence (now), the event with no operation (50 s
    # ago), node5 unknown to Pacemaker (100 s), node3 storage detached but
    # Pacemaker's failure (240 s).
    [ "$kinds" = "manual-run:node2 pacemaker-only:node2 record-only:node5 outcome-mismatch:node3" ] \
        || fail "findings: $kinds"
    jq -e '.[] | select(.kind == "outcome-mismatch") | .detail | test("killed after the answer")' out.json \
        > /dev/null || fail "mismatch detail: $(cat out.json)"
    # The matched success (node2 at 300 s) is no disagreement.
    jq -e 'all(.[]; .request_id != "11111111-1111-4111-8111-111111111111")' out.json > /dev/null \
        || fail "agreement reported"
    # Without the cluster, the killed fence is still reported from the record.
    ctl --format json audit --no-cluster > out.json
    jq -e 'any(.[]; .kind == "killed-after-response" and .node == "node3")' out.json > /dev/null \
        || fail "--no-cluster: $(cat out.json)"
    jq -e 'all(.[]; .kind != "cluster-unreachable")' out.json > /dev/null || fail "--no-cluster asked the cluster"
}

test_audit_record_health_and_storage_state() {
    fenced_node2
    stop_responder
    agent -o off -n node6 --fence-timeout 1 2>/dev/null && fail "fence without a responder succeeded"
    sleep 1
    # An operation whose agent is gone, and one whose agent (this shell) runs.
    sleep 0 & dead=$!
    wait $dead
    sql "insert into operations (op_uuid, action, target_node, recorder_node, requested_by, agent_pid,
         started_at, status) values ('77777777-7777-4777-8777-777777777777', 'off', 'node7',
         '$(hostname)', 'pacemaker-fenced', $dead, '$(ago 90)', 'running'),
         ('99999999-9999-4999-8999-999999999999', 'off', 'node9', '$(hostname)', 'pacemaker-fenced',
         $$, '$(ago 90)', 'running')"
    # A fence the storage system holds that this record never asked for.
    write_response node8 88888888-8888-4888-8888-888888888888 \
        '{"request_id": "88888888-8888-4888-8888-888888888888", "target_node": "node8", "success": true, "message": "ok"}'
    touch -d '5 minutes ago' "$NNF_FENCE_REQUEST_DIR"/node6-*.json
    ctl --format json audit --no-cluster > out.json
    [ $? -eq 1 ] || fail "exit: $(cat out.json)"
    jq -e 'all(.[]; .node != "node9")' out.json > /dev/null || fail "a live agent's operation reported"
    for k in fence-unanswered:node6 request-unanswered:node6 operation-unfinished:node7 fenced-unrecorded:node8; do
        jq -e --arg k "${k%%:*}" --arg n "${k#*:}" 'any(.[]; .kind == $k and .node == $n)' out.json \
            > /dev/null || fail "no $k: $(cat out.json)"
    done
    # Only since --since: the window excludes the fences, not the current state.
    ctl --format json audit --no-cluster --since 2000-01-01 > all.json
    ctl --format json audit --no-cluster --since "$(ago -60 '%Y-%m-%dT%H:%M:%S')" > later.json
    jq -e 'all(.[]; .kind != "fence-unanswered" and .kind != "manual-run")' later.json > /dev/null \
        || fail "--since: $(cat later.json)"
    jq -e 'any(.[]; .kind == "request-unanswered") and any(.[]; .kind == "operation-unfinished")' later.json \
        > /dev/null || fail "state outside the window dropped: $(cat later.json)"
}

test_audit_ok_unknown_and_usage() {
    fenced_node2
    rm -f "$NNF_FENCE_RESPONSE_DIR"/*.json
    ctl audit --no-cluster --since "$(ago -60 '%Y-%m-%dT%H:%M:%S')" > out.txt
    [ $? -eq 0 ] || fail "nothing to report: $(cat out.txt)"
    grep -q '^OK: no disagreement' out.txt || fail "OK line: $(cat out.txt)"
    ctl audit --bogus 2>/dev/null
    [ $? -eq 3 ] || fail "usage error should be UNKNOWN (3)"
    ctl audit --since soon 2>/dev/null
    [ $? -eq 3 ] || fail "bad --since should be UNKNOWN (3)"
    ctl --db "$S/none.db" audit --no-cluster > out.txt 2>/dev/null
    [ $? -eq 3 ] || fail "missing database should be UNKNOWN (3): $(cat out.txt)"
    grep -q record-unreadable out.txt || fail "no line for the database: $(cat out.txt)"
}

# The lab's own history (tests/fixtures/audit/README.md) against the
# record those three fences left: the success and the refusal agree; the
# killed fence had no answer when it was recorded.
test_audit_real_lab_history_matches_its_record() {
    fenced_node2
    rm -f "$NNF_FENCE_RESPONSE_DIR"/*.json
    sql "delete from operations"
    for row in "5e6c204d-05ff-4349-84f6-7f6b7e4c28e4 cap-ok 35.914 35.931 completed 0 exited 1" \
               "ec6da509-1b96-4c04-83f6-ab8f5c59184b cap-fail 36.053 36.071 failed 1 exited 0" \
               "b390c9ea-eb8e-4287-83ae-de1eca77990f cap-kill 36.198 38.200 terminated NULL killed NULL"; do
        set -- $row
        sql "insert into operations (op_uuid, action, target_node, recorder_node, requested_by, agent_pid,
             started_at, finished_at, status, exit_code, agent_end, response_success) values ('$1', 'off',
             '$2', 'vm', 'pacemaker-fenced', 1, '2026-11-26T15:41:$3Z', '2026-11-26T15:41:$4Z', '$5', $6, '$7', $8)"
    done
    sed 's/online="true"/online="false"/g' "$FIX/crm_mon-node2-online.xml" > offline.xml
    stub_cluster "$S/offline.xml" "$FIX/stonith_admin-history-lab.xml"
    ctl --format json audit --since 2026-11-26T15:00:00 > out.json
    [ "$(jq -r 'map(.kind + ":" + .node) | join(" ")' out.json)" = "fence-unanswered:cap-kill" ] \
        || fail "findings: $(cat out.json)"
    # Had the storage system's answer been recorded, Pacemaker's failure
    # would be a disagreement.
    sql "update operations set response_success = 1 where target_node = 'cap-kill'"
    ctl --format json audit --since 2026-11-26T15:00:00 > out.json
    jq -e 'length == 1 and .[0].kind == "outcome-mismatch" and .[0].node == "cap-kill"
           and (.[0].detail | test("did not complete within 2s"))' out.json > /dev/null \
        || fail "mismatch: $(cat out.json)"
}

# The answer came after the agent was killed, so the record never saw it;
# the response file (the storage system's state) says the node is fenced.
test_audit_late_answer_in_the_response_directory_counts() {
    fenced_node2
    op b390c9ea-eb8e-4287-83ae-de1eca77990f off node3 pacemaker-fenced 60 terminated killed ""
    ctl --format json audit --no-cluster > out.json
    jq -e 'any(.[]; .kind == "fence-unanswered" and .node == "node3")' out.json > /dev/null \
        || fail "before the answer: $(cat out.json)"
    write_response node3 b390c9ea-eb8e-4287-83ae-de1eca77990f \
        '{"request_id": "b390c9ea-eb8e-4287-83ae-de1eca77990f", "target_node": "node3", "success": true, "message": "late"}'
    ctl --format json audit --no-cluster > out.json
    jq -e 'all(.[]; .kind != "fence-unanswered") and any(.[]; .kind == "killed-after-response" and .node == "node3")' \
        out.json > /dev/null || fail "after the answer: $(cat out.json)"
}

# Bash completion offers the commands and options of this issue (the
# bash-completion helpers are stubbed: only fencectl's own logic runs).
test_completion_knows_audit_metrics_and_follow() {
    command -v bash > /dev/null || skip_test "no bash"
    cat > complete.bash <<'STUB'
_init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
_filedir() { COMPREPLY=(); }
complete() { :; }
. "$1"
try() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _fencectl; echo "${COMPREPLY[*]}"; }
try fencectl a
try fencectl m
try fencectl audit --
try fencectl history --fo
try fencectl metrics --
STUB
    bash complete.bash "$TOP/contrib/bash-completion/fencectl" > got.txt || fail "completion script failed"
    cat > want.txt <<'WANT'
audit
metrics
--help --format --since --no-cluster --timeout --pending-grace
--format --follow
--help --output
WANT
    diff want.txt got.txt || fail "completion differs"
}

# An event the logs have and the database lacks (recorded while the
# database was unavailable): one line, until fencectl import adds it.
test_audit_reports_events_in_the_logs_only() {
    fenced_node2
    # Another fence (its own node and request id), in the logs only.
    tail -n 1 "$LOG_DIR/fence-events-detailed.jsonl" | sed -e 's/"node2"/"node9"/g' \
        -e 's/"request_id": "[0-9a-f-]*"/"request_id": "9d0c5a8e-1b2f-4c3d-8e4f-5a6b7c8d9e0f"/' > extra.jsonl
    cat extra.jsonl >> "$LOG_DIR/fence-events-detailed.jsonl"
    ctl --format json audit --no-cluster > out.json
    jq -e 'any(.[]; .kind == "logs-only" and .node == "node9" and (.detail | test("fencectl import")))' \
        out.json > /dev/null || fail "no logs-only line: $(cat out.json)"
    ctl import "$LOG_DIR/fence-events-detailed.jsonl" > /dev/null || fail "import failed"
    ctl --format json audit --no-cluster > out.json
    jq -e 'all(.[]; .kind != "logs-only")' out.json > /dev/null || fail "still reported: $(cat out.json)"
}

# The man page documents the commands and the option of this issue.
test_man_page_documents_audit_metrics_and_follow() {
    man=$TOP/contrib/man/fencectl.8
    for section in audit metrics; do
        grep -q "^\.SS $section\$" "$man" || fail "no section for $section"
    done
    grep -q 'B fencectl history \\-\\-follow' "$man" || fail "history --follow not in the synopsis"
    for kind in online-while-fenced outcome-mismatch manual-run logs-only; do
        grep -q "fB$(echo "$kind" | sed 's/-/\\\\-/g')" "$man" || fail "kind $kind not documented"
    done
    if command -v groff > /dev/null; then
        groff -man -Tutf8 -ww "$man" > /dev/null 2> groff.err
        [ ! -s groff.err ] || fail "groff warnings: $(cat groff.err)"
    fi
}

# Operations imported from the logs carry no response rows: a completed
# fence had its successful answer, a failed one its refusal; only a
# timeout (or a kill with no answer) went unanswered.
test_audit_imported_rows_without_responses() {
    fenced_node2
    op aaaaaaaa-1111-4111-8111-111111111111 off node11 import 300 completed exited ""
    op aaaaaaaa-2222-4222-8222-222222222222 off node12 import 250 failed exited ""
    op aaaaaaaa-3333-4333-8333-333333333333 off node13 import 200 timeout exited ""
    ctl --format json audit --no-cluster > out.json
    [ "$(jq -r '[.[] | select(.kind == "fence-unanswered") | .node] | join(" ")' out.json)" = node13 ] \
        || fail "unanswered: $(cat out.json)"
    # Who asked for an imported operation is unknown: not a manual run.
    [ "$(jq -r '[.[] | select(.kind == "manual-run") | .node] | join(" ")' out.json)" = node2 ] \
        || fail "manual runs: $(cat out.json)"
}

# A node online while a response fences it (a partition healed without a
# restart): check fails and metrics has a series for it, in the same words
# and with the same remedy as audit: restart it, never unfence it as is.
test_check_and_metrics_name_a_node_online_while_fenced() {
    fenced_node2
    stub_cluster "$FIX/crm_mon-node2-online.xml"
    ctl check > check.out 2>&1 && fail "check passes with node2 online while fenced: $(cat check.out)"
    grep -q '^PROBLEM: node2 is online while its storage is fenced (node2-.*\.json)' check.out \
        || fail "check: $(cat check.out)"
    grep -q 'Restart node2: .*Never unfence a node that did not restart' check.out || fail "remedy: $(cat check.out)"
    ctl metrics > metrics.out 2>&1 || fail "metrics: $(cat metrics.out)"
    grep -qx 'fence_recorder_node_online_while_fenced{node="node2"} 1' metrics.out || fail "metrics: $(cat metrics.out)"
    grep -qx 'fence_recorder_cluster_membership_known 1' metrics.out || fail "metrics: $(cat metrics.out)"
    ctl --format json audit > out.json
    jq -e '.[0].kind == "online-while-fenced" and (.[0].detail | test("Restart node2"))' out.json > /dev/null \
        || fail "audit: $(cat out.json)"
    # Down: nothing online, nothing said; no cluster at all: said, not failed.
    sed 's/name="node2" id="2" online="true"/name="node2" id="2" online="false"/' \
        "$FIX/crm_mon-node2-online.xml" > offline.xml
    stub_cluster "$S/offline.xml"
    ctl check > check.out 2>&1 || fail "check with node2 offline: $(cat check.out)"
    stub_cluster down
    ctl check > check.out 2>&1 || fail "check without a cluster: $(cat check.out)"
    grep -q '^INFO: cluster membership not read' check.out || fail "check: $(cat check.out)"
    ctl metrics > metrics.out 2>&1 || fail "metrics without a cluster: $(cat metrics.out)"
    grep -qx 'fence_recorder_cluster_membership_known 0' metrics.out || fail "metrics: $(cat metrics.out)"
    grep -q '^fence_recorder_node_online_while_fenced{' metrics.out && fail "a series without a cluster"
    return 0
}

# Two of three nodes lost at once: this partition has no quorum, so
# Pacemaker fences neither; audit says both, CRITICAL.
test_audit_no_quorum_and_lost_nodes_not_fenced() {
    stub_cluster "$FIX/crm_mon-no-quorum.xml"
    ctl --format json audit > out.json
    [ $? -eq 2 ] || fail "exit: $(cat out.json)"
    jq -e 'any(.[]; .kind == "no-quorum" and .severity == "CRITICAL" and .node == "n1")' out.json > /dev/null \
        || fail "no-quorum: $(cat out.json)"
    for n in n2 n3; do
        jq -e --arg n "$n" 'any(.[]; .kind == "lost-not-fenced" and .node == $n and .severity == "CRITICAL")' \
            out.json > /dev/null || fail "lost-not-fenced $n: $(cat out.json)"
    done
    # With quorum, a lost node not fenced yet is a warning (its fence is on the way).
    sed 's/with_quorum="false"/with_quorum="true"/' "$FIX/crm_mon-no-quorum.xml" > quorate.xml
    stub_cluster "$S/quorate.xml"
    ctl --format json audit > out.json
    jq -e 'all(.[]; .kind != "no-quorum") and any(.[]; .kind == "lost-not-fenced" and .severity == "WARNING")' \
        out.json > /dev/null || fail "quorate: $(cat out.json)"
}

# The agent gave up at its fence_timeout and reported the failure; the
# storage system's success came after. Not a kill, and not "the agent
# reported one": what happened, and the remedy for it.
test_audit_success_after_the_agents_timeout_is_named_as_such() {
    fenced_node2
    op c490c9ea-eb8e-4287-83ae-de1eca77990f off node3 pacemaker-fenced 60 timeout exited ""
    write_response node3 c490c9ea-eb8e-4287-83ae-de1eca77990f \
        '{"request_id": "c490c9ea-eb8e-4287-83ae-de1eca77990f", "target_node": "node3", "success": true, "message": "late"}'
    ctl --format json audit --no-cluster > out.json
    jq -e 'any(.[]; .kind == "answered-after-timeout" and .node == "node3"
           and (.detail | test("gave up at its fence_timeout and the success came after; raise fence_timeout")))' \
        out.json > /dev/null || fail "late success after a timeout: $(cat out.json)"
    jq -e 'all(.[]; (.detail | test("reported one|was killed")) | not)' out.json > /dev/null \
        || fail "worded as a kill: $(cat out.json)"
}
