# fencectl audit and unfencing against the real one-node cluster
# (pacemaker_lab.sh, one bring-up for the suite), in a private machine.
#machine: fr-lab

. "$TOP/tests/e2e/pacemaker_lab.sh"

suite_setup() { lab_up; }
suite_teardown() { lab_down; }

ctl() {
    "$FENCECTL" "$@"
}

# Pacemaker kills the agent at pcmk_off_timeout (2 s) while the storage
# system answers at 4 s, inside the agent's own fence_timeout (30 s):
# storage detached, Pacemaker saw a failure.
test_pcmk_audit_fence_killed_after_the_storage_system_answered() {
    start_responder --delay-ms 4000
    lab_device fence-late pm-late pcmk_off_timeout=2 pcmk_off_retries=1 fence_timeout=30
    stonith_admin --fence pm-late --timeout 30 >/dev/null 2>&1 && fail "Pacemaker reported success"
    wait_until 15 sh -c "ls '$NNF_FENCE_RESPONSE_DIR'/pm-late-*.json" || fail "the responder never answered"
    stop_responder
    ctl --format json audit --since 10m > out.json
    rc=$?
    lab_device_remove fence-late
    [ "$rc" -eq 1 ] || fail "exit $rc, expected 1: $(cat out.json)"
    jq -e 'any(.[]; .kind == "outcome-mismatch" and .node == "pm-late"
           and (.detail | test("storage detached.*Pacemaker saw off fail")))' out.json > /dev/null \
        || fail "no outcome mismatch: $(cat out.json)"
    jq -e 'all(.[]; .kind != "cluster-unreachable" and .kind != "record-only" and .kind != "pacemaker-only")' \
        out.json > /dev/null || fail "the fence was not matched with Pacemaker's event: $(cat out.json)"
}

# A manual agent run: the cluster never heard of it.
test_pcmk_audit_manual_agent_run() {
    start_responder
    agent -o off -n pm-manual || fail "manual fence failed"
    stop_responder
    ctl --format json audit --since 10m > out.json
    [ $? -eq 1 ] || fail "exit: $(cat out.json)"
    jq -e 'any(.[]; .kind == "manual-run" and .node == "pm-manual")' out.json > /dev/null \
        || fail "manual run not reported: $(cat out.json)"
    jq -e 'all(.[]; .kind != "cluster-unreachable")' out.json > /dev/null || fail "cluster: $(cat out.json)"
}

# The storage system still holds this node fenced (its response file from
# before its reboot) while the node is online in the cluster: it joined
# at the lab's bring-up, the one node a one-machine lab can really join.
test_pcmk_audit_node_online_while_fenced_is_critical() {
    me=$(hostname)
    write_response "$me" 11111111-2222-4333-8444-555555555555 \
        "{\"request_id\": \"11111111-2222-4333-8444-555555555555\", \"target_node\": \"$me\", \"success\": true, \"message\": \"fenced before the reboot\"}"
    ctl audit --since 10m > out.txt
    rc=$?
    [ "$rc" -eq 2 ] || fail "exit $rc, expected 2: $(cat out.txt)"
    sed -n 2p out.txt | grep -q "^CRITICAL .* online-while-fenced  *$me " || fail "first line: $(cat out.txt)"
}

# Unfencing on (re)join: a device that can unfence this node, with
# provides=unfencing, makes Pacemaker run the agent's on (automatic="1"
# in the metadata) before the node runs resources: the response file is
# recorded and removed. Then the node leaves and joins again (pacemakerd
# restarted) while fenced anew, and is unfenced again.
test_pcmk_unfence_when_the_node_joins() {
    me=$(hostname)
    write_response "$me" 22222222-2222-4333-8444-555555555555 \
        "{\"request_id\": \"22222222-2222-4333-8444-555555555555\", \"target_node\": \"$me\", \"success\": true, \"message\": \"fenced\"}"
    lab_device fence-self "$me" pcmk_off_retries=1
    crm_resource --resource fence-self --meta --set-parameter provides --parameter-value unfencing >/dev/null \
        || { lab_device_remove fence-self; fail "cannot set provides=unfencing"; }
    if ! wait_until 40 sh -c "! ls '$NNF_FENCE_RESPONSE_DIR'/$me-*.json"; then
        crm_mon -1 > mon.txt 2>&1
        lab_device_remove fence-self
        fail "Pacemaker did not unfence $me: $(cat mon.txt; stonith_admin --history '*' --verbose)"
    fi
    expect_sql "on|pacemaker-fenced|completed" \
        "select action, requested_by, status from operations where target_node = '$me' and action = 'on'"
    expect_sql 1 "select count(*) from responses where source = 'unfence' and request_id = '22222222-2222-4333-8444-555555555555'"
    # Leave and join again, fenced meanwhile.
    write_response "$me" 33333333-2222-4333-8444-555555555555 \
        "{\"request_id\": \"33333333-2222-4333-8444-555555555555\", \"target_node\": \"$me\", \"success\": true, \"message\": \"fenced again\"}"
    stop_pid "$LAB/pacemakerd.pid" 30
    pacemakerd -f > "$LAB/pacemakerd.out" 2>&1 &
    echo $! > "$LAB/pacemakerd.pid"
    wait_until 60 cluster_online || { lab_device_remove fence-self; fail "pacemaker not back online"; }
    if ! wait_until 40 sh -c "! ls '$NNF_FENCE_RESPONSE_DIR'/$me-*.json"; then
        lab_device_remove fence-self
        fail "not unfenced on rejoin: $(stonith_admin --history '*' --verbose)"
    fi
    lab_device_remove fence-self
    expect_sql 2 "select count(*) from operations where target_node = '$me' and action = 'on' and status = 'completed'"
    ctl --format json audit --since 10m > out.json
    jq -e "all(.[]; .kind != \"online-while-fenced\")" out.json > /dev/null || fail "still fenced: $(cat out.json)"
}
