# Conformance with the fence-agent ecosystem outside Pacemaker: the same
# action sequence three ways (options on stdin, short options, long
# options) as the ClusterLabs fence-agents test harness runs it, and the
# example responder behaving like nnf-sos.

# run_action STYLE ACTION [NODE]: the agent with options in STYLE.
run_action() {
    style=$1 action=$2 node=${3:-}
    case "$style" in
        stdin)
            if [ -n "$node" ]; then
                printf 'action=%s\nplug=%s\nfence_timeout=10\n' "$action" "$node" | agent
            else
                printf 'action=%s\n' "$action" | agent
            fi ;;
        short) agent -o "$action" ${node:+-n "$node"} --fence-timeout 10 ;;
        long) agent --action="$action" ${node:+--plug="$node"} --fence-timeout=10 ;;
    esac
}

sequence() {
    style=$1
    start_responder
    expect_exit 0 run_action "$style" on node2
    expect_exit 0 run_action "$style" status node2
    expect_exit 0 run_action "$style" off node2
    expect_exit 2 run_action "$style" status node2
    expect_exit 0 run_action "$style" monitor
    [ "$(run_action "$style" list node2)" = node2 ] || fail "$style: list"
    run_action "$style" metadata > meta.xml || fail "$style: metadata"
    xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng meta.xml || fail "$style: metadata invalid"
    expect_exit 0 run_action "$style" validate-all node2
    expect_exit 0 run_action "$style" on node2
    expect_exit 0 run_action "$style" status node2
    stop_responder
    expect_sql "on:completed,off:completed,on:completed" \
        "select group_concat(action || ':' || status) from (select * from operations order by id)"
}

test_conformance_sequence_stdin() { sequence stdin; }
test_conformance_sequence_short_options() { sequence short; }
test_conformance_sequence_long_options() { sequence long; }

test_conformance_responder_fences_all_pending_requests_of_a_node_at_once() {
    agent_bg -o off -n node2 --fence-timeout 20
    a=$AGENT_PID
    agent_bg -o reboot -n node2 --fence-timeout 20
    b=$AGENT_PID
    agent_bg -o off -n node3 --fence-timeout 20
    c=$AGENT_PID
    i=0
    while [ "$(ls "$NNF_FENCE_REQUEST_DIR" | wc -l)" -lt 3 ]; do
        i=$((i + 1)); [ "$i" -gt 3000 ] && fail "requests did not appear within 30 s"; sleep 0.01
    done
    start_responder --nodes node2
    wait $a || fail "first node2 fence failed"
    wait $b || fail "second node2 fence failed"
    wait_recorded
    # nnf-sos answers only its own nodes: node3's request stays pending.
    expect_count 1 "$NNF_FENCE_REQUEST_DIR"/node3-*.json
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/node2-*.json
    kill $c 2>/dev/null; wait $c 2>/dev/null
    stop_responder
    # Responses echo the request's fields and its own timestamp.
    for f in "$NNF_FENCE_RESPONSE_DIR"/node2-*.json; do
        id=$(jq -r .request_id "$f")
        body=$(sql "select body from requests where request_id = '$id'")
        [ "$(printf '%s' "$body" | jq -r .timestamp)" = "$(jq -r .timestamp "$f")" ] || fail "timestamp not echoed"
        jq -e '.success == true and .action_performed == "off" and (.message | test("^Successfully fenced"))' "$f" \
            > /dev/null || fail "response body: $(cat "$f")"
    done
}

test_conformance_responder_never_acts_twice() {
    id=11111111-2222-4333-8444-555555555555
    body="{\"request_id\": \"$id\", \"action\": \"off\", \"target_node\": \"node2\"}"
    printf '%s\n' "$body" > "$NNF_FENCE_REQUEST_DIR/node2-$id.json"
    write_response node2 $id "{\"request_id\": \"$id\", \"success\": true, \"message\": \"earlier\"}"
    "$RESPONDER" --serve --request-dir "$NNF_FENCE_REQUEST_DIR" --response-dir "$NNF_FENCE_RESPONSE_DIR" --once -q \
        || fail "responder --once failed"
    expect_count 0 "$NNF_FENCE_REQUEST_DIR"/*.json
    jq -e '.message == "earlier"' "$NNF_FENCE_RESPONSE_DIR/node2-$id.json" > /dev/null || fail "response rewritten"
}
