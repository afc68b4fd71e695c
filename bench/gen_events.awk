# Prints N fence operations (2 jsonl lines each: requested, then a
# terminal status) in the agent's own format, over NODES nodes.
# usage: awk -v N=500000 -v NODES=1000 -f gen_events.awk
function uuid(i) { return sprintf("%08x-%04x-4%03x-8%03x-%012x", i, i % 65536, i % 4096, (i * 7) % 4096, i * 2654435761 % 281474976710656) }
function ts(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }
BEGIN {
    srand(42)
    start = 1735689600          # 2025-01-01
    for (i = 1; i <= N; i++) {
        t = start + i * 30
        node = sprintf("compute-node-%d", int(rand() * NODES))
        id = uuid(i)
        r = rand()
        status = r < 0.9 ? "completed" : (r < 0.97 ? "failed" : "timeout")
        fs = "[\"fs-home\", \"fs-scratch\"]"
        printf "{\"timestamp\": \"%s\", \"action\": \"off\", \"target_node\": \"%s\", \"status\": \"requested\", \"details\": \"Fence action off requested by pacemaker-fenced\", \"recorder_node\": \"mgmt-1\", \"pacemaker_action\": \"off\", \"filesystems\": %s, \"request_id\": \"%s\"}\n", ts(t), node, fs, id
        printf "{\"timestamp\": \"%s\", \"action\": \"off\", \"target_node\": \"%s\", \"status\": \"%s\", \"details\": \"Fence action off %s: Successfully fenced node by deleting 1 GFS2 storage groups\", \"recorder_node\": \"mgmt-1\", \"pacemaker_action\": \"off\", \"filesystems\": %s, \"request_id\": \"%s\"}\n", ts(t + 1 + int(rand() * 3)), node, status, status, fs, id
    }
}
