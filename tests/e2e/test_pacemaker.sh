# Pacemaker itself fences through the installed fence_recorder: a real
# one-node corosync + Pacemaker cluster (pacemaker_lab.sh), devices
# created in the CIB, fences requested with stonith_admin. Each test uses
# its own node name, device and directories.

#machine: fr-lab

. "$TOP/tests/e2e/pacemaker_lab.sh"

# node2: in the nodelist, never started, fenced by Pacemaker's own
# decision in the first test. The README's device uses the real paths it
# prints: those under /var are the machine's own; /localdisk, on the
# host's root, is moved aside and put back by lab_down.
suite_setup() {
    lab_up_with_absent_node node2 || return $?
    lab_protect_path /localdisk/fence-recorder
    rm -rf /var/lib/fence-recorder /var/log/fence-recorder
}
suite_teardown() { lab_down; }

# fence_history NODE: the statuses Pacemaker remembers, newest first.
fence_history() {
    stonith_admin --history "$1" --output-as=xml 2>/dev/null | sed -n 's/.*<fence_event [^>]*status="\([a-z]*\)".*/\1/p'
}

# readme_pcs_command: the README's `pcs stonith create` exactly as printed
# (the 4-space block indentation removed), so this fails if they differ.
readme_pcs_command() {
    sed -n '/^    pcs stonith create/,/op monitor/p' "$TOP/README.md" | sed 's/^    //'
}

# in_readme_paths: this test's environment pointed at the README's paths.
in_readme_paths() {
    export NNF_FENCE_REQUEST_DIR=/localdisk/fence-recorder/requests
    export NNF_FENCE_RESPONSE_DIR=/localdisk/fence-recorder/responses
    export LOG_DIR=/var/log/fence-recorder DB=/var/lib/fence-recorder/fence-recorder.db
    export FENCE_RECORDER_DB=$DB
    mkdir -p "$NNF_FENCE_REQUEST_DIR" "$NNF_FENCE_RESPONSE_DIR"
}

# fenced_ok NODE: Pacemaker's history has a successful fence of NODE.
fenced_ok() {
    stonith_admin --history "$1" --output-as=xml 2>/dev/null | grep -q 'status="success"'
}

# The README's device, created with pcs as printed, is what Pacemaker uses
# when it decides on its own to fence node2 (a nodelist node that never
# joined); pcs describe, update (validated by the agent), fence and
# history, and crmsh, against the same cluster; fencectl finds the
# device's paths in the CIB; the record outlives a cluster restart that
# Pacemaker's history does not.
test_pcmk_readme_device_pcs_crmsh_startup_fencing_and_durability() {
    command -v pcs >/dev/null && command -v crm >/dev/null || fail "pcs and crmsh are not installed (make check-deps)"
    in_readme_paths
    start_responder
    readme_pcs_command > create.sh
    grep -q 'pcs stonith create storage-fence fence_recorder' create.sh || fail "no pcs command in README"
    sh -e create.sh > create.out 2>&1 || fail "README's pcs command failed: $(cat create.out)"
    wait_until 20 sh -c "stonith_admin --list-registered | grep -qx storage-fence" || fail "README device not registered"
    pcs stonith describe fence_recorder > describe.txt 2>&1 || fail "pcs stonith describe: $(cat describe.txt)"
    grep -q 'fence_timeout' describe.txt || fail "describe lacks fence_timeout"
    grep -q '^Warning:' describe.txt && fail "pcs warns about the metadata: $(cat describe.txt)"

    # Pacemaker's own decision: node2 never joined.
    lab_startup_fencing true
    wait_until 30 fenced_ok node2 || fail "Pacemaker did not fence node2: $(stonith_admin --history node2 --verbose)"
    wait_until 10 sh -c "[ \"\$(sqlite3 '$DB' \"select count(*) from operations where target_node = 'node2' and status = 'completed' and requested_by = 'pacemaker-fenced'\")\" -ge 1 ]" \
        || fail "startup fence not recorded: $(sqlite3 "$DB" 'select action, target_node, status, requested_by from operations')"

    # fencectl with no flags and no environment: the device's paths from the CIB.
    env -u NNF_FENCE_REQUEST_DIR -u NNF_FENCE_RESPONSE_DIR -u LOG_DIR -u FENCE_RECORDER_DB \
        "$FENCECTL" -v --format json history --node node2 > h.json 2> err.txt || fail "fencectl: $(cat err.txt)"
    grep -q "paths from the CIB (1 fence_recorder device, first storage-fence): request_dir=/localdisk/fence-recorder/requests" err.txt \
        || fail "fencectl did not use the CIB: $(cat err.txt)"
    jq -e '.[0].status == "completed" and .[0].exit == 0 and (.[0].filesystems | type) == "array"' h.json > /dev/null \
        || fail "history from the CIB's database: $(cat h.json)"

    # pcs update with the agent's validation: a bad value is refused by validate-all.
    pcs stonith update storage-fence fence_timeout=abc --agent-validation > upd.txt 2>&1 \
        && fail "pcs accepted fence_timeout=abc"
    grep -q "fence_timeout must be" upd.txt || fail "refusal not from validate-all: $(cat upd.txt)"
    [ "$(crm_resource --resource storage-fence --get-parameter fence_timeout 2>/dev/null)" = 60 ] \
        || fail "the refused value reached the CIB"
    pcs stonith update storage-fence fence_timeout=50 --agent-validation > upd.txt 2>&1 || fail "valid update refused: $(cat upd.txt)"

    # pcs fence and history.
    n=$(sqlite3 "$DB" "select count(*) from operations")
    pcs stonith fence node2 > fence.txt 2>&1 || fail "pcs stonith fence: $(cat fence.txt)"
    [ "$(sqlite3 "$DB" "select count(*) from operations")" -gt "$n" ] || fail "pcs fence not recorded"
    pcs stonith history show node2 > hist.txt 2>&1 || pcs stonith history > hist.txt 2>&1 || fail "pcs stonith history: $(cat hist.txt)"
    grep -q 'node2 successful' hist.txt || fail "pcs history lacks node2: $(cat hist.txt)"

    # crmsh reads the metadata and configures a device that verifies.
    crm ra info stonith:fence_recorder > info.txt 2>&1 || fail "crm ra info: $(cat info.txt)"
    grep -q 'fence_timeout' info.txt || fail "crm ra info lacks fence_timeout"
    crm configure primitive crm-fence stonith:fence_recorder params request_dir="$S/rq" \
        response_dir="$S/rs" db="$S/crm.db" log_dir="$S/log" fence_timeout=5 pcmk_host_list=pm-crm \
        op monitor interval=60s > crm.txt 2>&1 || fail "crm configure primitive: $(cat crm.txt)"
    crm configure verify > verify.txt 2>&1 || fail "crm configure verify: $(cat verify.txt)"
    grep -qi 'not known\|error' verify.txt crm.txt && fail "crmsh complains: $(cat crm.txt verify.txt)"
    crm configure delete crm-fence > /dev/null 2>&1 || cibadmin --delete --scope resources -X '<primitive id="crm-fence"/>'

    # Durability: Pacemaker forgets its history on restart, the record does not.
    before=$(sqlite3 "$DB" "select count(*) from operations where target_node = 'node2' and status = 'completed'")
    [ "$before" -ge 2 ] || fail "expected two fences of node2 before the restart, got $before"
    lab_startup_fencing false
    stop_responder
    lab_restart || fail "cluster restart failed"
    stonith_admin --history node2 --output-as=xml 2>/dev/null | grep -q '<fence_event' \
        && fail "Pacemaker still remembers: $(stonith_admin --history node2 --verbose)"
    [ "$(env -u FENCE_RECORDER_DB "$FENCECTL" --format json history --node node2 --attempts | jq '[.[] | select(.status == "completed")] | length')" -eq "$before" ] \
        || fail "fencectl lost fences across the restart"
    lab_device_remove storage-fence
}

# One stonith_admin --fence, two agent runs (pcmk_off_retries=2, a failing
# reconciler): fencectl shows one fence with two attempts.
test_pcmk_retries_are_one_fence_with_attempts() {
    start_responder --mode failure
    lab_device fence-retry pm-retry pcmk_off_retries=2
    stonith_admin --fence pm-retry --timeout 30 > /dev/null 2>&1 && fail "fence succeeded"
    stop_responder
    lab_device_remove fence-retry
    expect_sql 2 "select count(*) from operations where target_node = 'pm-retry'"
    "$FENCECTL" --format json history --node pm-retry > h.json
    jq -e 'length == 1 and .[0].attempts == 2 and .[0].status == "failed"' h.json > /dev/null \
        || fail "not one fence with two attempts: $(cat h.json)"
}

# Without pcmk_host_list or plug Pacemaker asks list: the agent answers the
# cluster's nodes (crm_node -l), so the device can fence node2.
test_pcmk_device_without_host_list_lists_the_cluster_nodes() {
    cibadmin --create --scope resources -X "<primitive id=\"fence-dyn\" class=\"stonith\" type=\"fence_recorder\"><instance_attributes id=\"fence-dyn-ia\"><nvpair id=\"fence-dyn-rq\" name=\"request_dir\" value=\"$NNF_FENCE_REQUEST_DIR\"/><nvpair id=\"fence-dyn-rs\" name=\"response_dir\" value=\"$NNF_FENCE_RESPONSE_DIR\"/><nvpair id=\"fence-dyn-db\" name=\"db\" value=\"$DB\"/><nvpair id=\"fence-dyn-log\" name=\"log_dir\" value=\"$LOG_DIR\"/><nvpair id=\"fence-dyn-ft\" name=\"fence_timeout\" value=\"5\"/></instance_attributes></primitive>" \
        || fail "cannot create the device"
    wait_until 20 sh -c "stonith_admin --list-registered | grep -qx fence-dyn" || fail "not registered"
    wait_until 20 sh -c "stonith_admin --list node2 2>/dev/null | grep -q fence-dyn"
    rc=$?
    out=$(stonith_admin --list node2 2>&1)
    lab_device_remove fence-dyn
    [ "$rc" -eq 0 ] || fail "Pacemaker finds no device for node2 without pcmk_host_list: $out"
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
        "select group_concat(action || ':' || status) from (select * from operations order by started_at, id)"
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

# A fence through Pacemaker records the cluster as Pacemaker saw it at
# that moment (the installed recorder reading its own
# crm_mon run): this partition's quorum and DC as crm_mon reports them now,
# a target that is no cluster member, and pacemaker-fenced as requester.
test_pcmk_fence_records_the_cluster_state() {
    start_responder
    lab_device fence-state pm-state filesystem_discovery=true
    expect_exit 0 stonith_admin --fence pm-state --timeout 30
    stop_responder
    wait_until 15 sh -c "[ \"\$(sqlite3 '$DB' 'select count(*) from cluster_states')\" = 1 ]" \
        || fail "no cluster state recorded: $(sql 'select * from cluster_states')"
    now=$(crm_mon --output-as=xml)
    dc=$(echo "$now" | sed -n 's/.*<current_dc [^>]*name="\([^"]*\)".*/\1/p')
    quorum=$(echo "$now" | sed -n 's/.*<current_dc [^>]*with_quorum="\([a-z]*\)".*/\1/p')
    [ -n "$dc" ] && [ "$quorum" = true ] || fail "crm_mon shows no quorate DC: $now"
    expect_sql "crm_mon|1|absent|1|$dc|corosync|pacemaker-fenced" \
        "select source, known, membership, quorum, dc, stack, requester_service from cluster_states"
    # The executable's name, not the kernel's comm (cut to pacemaker-fence).
    expect_sql "1" "select count(*) from cluster_states where parent_process = 'pacemaker-fenced'
        and parent_pid > 1 and parent_cmdline like '%pacemaker-fenced%'"
    id=$(sql "select op_uuid from operations")
    "$FENCECTL" show "$id" | grep -q "cluster state at fence time.*absent.*quorum yes; DC $dc.*before the request was published" \
        || fail "show: $("$FENCECTL" show "$id")"
    lab_device_remove fence-state
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
