# Pacemaker itself fences through the installed fence_recorder: a real
# one-node corosync + Pacemaker cluster (pacemaker_lab.sh), devices
# created in the CIB, fences requested with stonith_admin. Each test uses
# its own node name, device and directories.

. "$TOP/tests/e2e/pacemaker_lab.sh"

suite_setup() { lab_up; }
suite_teardown() { lab_down; }

# fence_history NODE: the statuses Pacemaker remembers, newest first.
fence_history() {
    stonith_admin --history "$1" --output-as=xml 2>/dev/null | sed -n 's/.*<fence_event [^>]*status="\([a-z]*\)".*/\1/p'
}

test_pcmk_device_registers_from_metadata_and_monitor_passes() {
    stonith_admin --list-installed | grep -qx fence_recorder || fail "agent not listed as installed"
    # Pacemaker's view of the metadata (it adds its own timeouts, so the
    # schema check is on the agent's own output, in test_agent.sh).
    stonith_admin -M -a fence_recorder > meta.xml || fail "Pacemaker cannot read the metadata"
    for p in plug request_dir response_dir fence_timeout db; do
        grep -q "<parameter name=\"$p\"" meta.xml || fail "Pacemaker does not see parameter $p"
    done
    LAB_MONITOR_INTERVAL=2s lab_device fence-mon pm-mon
    sleep 5
    xml=$(crm_mon -1 --output-as=xml)
    echo "$xml" | grep 'id="fence-mon"' | grep -q 'role="Started"' || fail "device not started: $xml"
    echo "$xml" | grep 'id="fence-mon"' | grep -q 'failed="false"' || fail "device failed"
    echo "$xml" | grep -q '<failure ' && fail "monitor failures: $xml"
    lab_device_remove fence-mon
}

test_pcmk_fence_success_is_recorded_and_status_reports_off() {
    start_responder
    lab_device fence-ok pm-ok
    expect_exit 0 stonith_admin --fence pm-ok --timeout 30
    stop_responder
    expect_sql "off|pm-ok|pacemaker-fenced|completed|0" \
        "select action, target_node, requested_by, status, exit_code from operations"
    expect_sql "1" "select count(*) from responses where success = 1"
    [ "$(fence_history pm-ok | head -n 1)" = success ] || fail "Pacemaker history: $(fence_history pm-ok)"
    expect_exit 2 agent -o status -n pm-ok
    lab_device_remove fence-ok
}

test_pcmk_failure_response_fails_the_fence() {
    start_responder --mode failure --message "no storage group could be deleted"
    lab_device fence-fail pm-fail
    stonith_admin --fence pm-fail --timeout 30
    rc=$?
    stop_responder
    [ "$rc" -ne 0 ] || fail "stonith_admin reported success"
    expect_sql "0" "select count(*) from operations where status != 'failed'"
    expect_sql "1" "select count(*) > 0 from operations where message like '%no storage group could be deleted%'"
    # stonith_admin --history omits it in Pacemaker 2.1; crm_mon has it.
    fence_history pm-fail | grep -q success && fail "Pacemaker history shows success"
    crm_mon -1 --output-as=xml | grep '<fence_event ' | grep 'target="pm-fail"' | grep -q 'status="failed"' \
        || fail "crm_mon fence history lacks the failure"
    lab_device_remove fence-fail
}

test_pcmk_silent_responder_agent_times_out_first() {
    start_responder --mode silent
    lab_device fence-silent pm-silent fence_timeout=2
    stonith_admin --fence pm-silent --timeout 30
    rc=$?
    stop_responder
    [ "$rc" -ne 0 ] || fail "stonith_admin reported success"
    expect_sql "0" "select count(*) from operations where status != 'timeout'"
    expect_sql "1" "select count(*) > 0 from operations"
    lab_device_remove fence-silent
}

test_pcmk_shorter_pacemaker_timeout_terminates_the_agent() {
    start_responder --mode silent
    lab_device fence-kill pm-kill fence_timeout=60
    stonith_admin --fence pm-kill --timeout 4
    rc=$?
    stop_responder
    [ "$rc" -ne 0 ] || fail "stonith_admin reported success"
    # The agent records its end once Pacemaker's signal arrives.
    wait_until 10 sh -c "[ \"\$(sqlite3 '$DB' \"select count(*) from operations where status = 'running'\")\" = 0 ]" \
        || fail "operation still running: $(sql 'select status from operations')"
    expect_sql "terminated" "select distinct status from operations"
    lab_device_remove fence-kill
}

test_pcmk_reboot_and_unfence() {
    start_responder
    lab_device fence-rb pm-rb
    expect_exit 0 stonith_admin --reboot pm-rb --timeout 30
    expect_exit 2 agent -o status -n pm-rb
    expect_exit 0 stonith_admin --unfence pm-rb --timeout 30
    stop_responder
    expect_exit 0 agent -o status -n pm-rb
    expect_sql "reboot:completed,on:completed" \
        "select group_concat(action || ':' || status) from (select * from operations order by id)"
    expect_count 0 "$NNF_FENCE_RESPONSE_DIR"/pm-rb-*.json
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/*.json
    lab_device_remove fence-rb
}

test_pcmk_device_parameters_reach_the_agent() {
    start_responder
    lab_device fence-par pm-par
    mkdir -p "$S/log2"
    crm_resource --resource fence-par --set-parameter log_dir --parameter-value "$S/log2" >/dev/null \
        || fail "cannot change log_dir"
    crm_resource --resource fence-par --set-parameter fence_timeout --parameter-value 17 >/dev/null
    sleep 2
    expect_exit 0 stonith_admin --fence pm-par --timeout 30
    stop_responder
    expect_file_contains "$S/log2/fence-events.log" "waiting up to 17 s"
    [ ! -e "$LOG_DIR/fence-events.log" ] || fail "old log_dir still used"
    lab_device_remove fence-par
}

test_pcmk_discovery_reads_the_real_cib() {
    for x in '<clone id="dlm-clone"><primitive id="dlm" class="ocf" provider="pacemaker" type="controld"><meta_attributes id="dlm-meta"><nvpair id="dlm-tr" name="target-role" value="Stopped"/></meta_attributes></primitive></clone>' \
             '<clone id="fs-home-clone"><primitive id="fs-home" class="ocf" provider="heartbeat" type="Filesystem"><instance_attributes id="fs-home-ia"><nvpair id="fs-home-fstype" name="fstype" value="gfs2"/></instance_attributes><meta_attributes id="fs-home-meta"><nvpair id="fs-home-tr" name="target-role" value="Stopped"/></meta_attributes></primitive></clone>'; do
        cibadmin --create --scope resources -X "$x" || fail "cannot create $x"
    done
    start_responder --delay-ms 200
    lab_device fence-disc pm-disc filesystem_discovery=true
    expect_exit 0 stonith_admin --fence pm-disc --timeout 30
    stop_responder
    wait_until 15 sh -c "sqlite3 '$DB' \"select filesystems from operations\" | grep -q fs-home" \
        || fail "discovery result: $(sql 'select filesystems from operations')"
    # Nothing runs on pm-disc, so the live state is empty and the
    # configuration answers.
    expect_sql "1:empty,2:found" "select group_concat(method || ':' || outcome) from (select * from discoveries order by id)"
    expect_sql "1" "select count(*) from discoveries where command like 'crm_mon %' and method = 1"
    lab_device_remove fence-disc
    cibadmin --delete --scope resources -X '<clone id="dlm-clone"/>'
    cibadmin --delete --scope resources -X '<clone id="fs-home-clone"/>'
}

# The device as contrib/examples/cib-primitive.xml defines it (what the
# README tells administrators to load), with its paths moved into the
# test's scratch directories and its host list set to the lab's node.
test_pcmk_shipped_cib_example_registers_and_fences() {
    sed -e "s|/localdisk/fence-recorder/requests|$NNF_FENCE_REQUEST_DIR|" \
        -e "s|/localdisk/fence-recorder/responses|$NNF_FENCE_RESPONSE_DIR|" \
        -e "s|/var/log/fence-recorder|$LOG_DIR|" -e "s|/var/lib/fence-recorder/fence-recorder.db|$DB|" \
        -e 's|value="node1 node2 node3"|value="pm-example"|' \
        -e 's|name="filesystem_discovery" value="true"|name="filesystem_discovery" value="false"|' \
        "$TOP/contrib/examples/cib-primitive.xml" > example.xml
    grep -q "$NNF_FENCE_REQUEST_DIR" example.xml || fail "example paths not rewritten"
    cibadmin --create -o resources --xml-file example.xml || fail "cibadmin rejects the shipped example"
    wait_until 20 sh -c "stonith_admin --list-registered | grep -qx storage-fence" \
        || { lab_device_remove storage-fence; fail "example device not registered"; }
    start_responder
    stonith_admin --fence pm-example --timeout 30
    rc=$?
    stop_responder
    lab_device_remove storage-fence
    [ "$rc" -eq 0 ] || fail "fence through the example device failed ($rc)"
    expect_sql "completed" "select status from operations where target_node = 'pm-example'"
}
