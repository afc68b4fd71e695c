#!/bin/sh
# fencectl and the agent beside crowded directories: FILES request and
# FILES response files of other nodes (default 100,000 each), then the
# commands that read those directories, for one node and for all. Figures
# next to the machine line, never assertions; the same commands on the
# empty directories are the reference. Usage: sh bench/dirs.sh BUILD [FILES]
set -eu
BUILD=$(cd "${1:-build}" && pwd)
FILES=${2:-100000}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v gawk > /dev/null || { echo "needs gawk" >&2; exit 1; }
bench_workspace dirs
POPULATED=
bench_cleanup() { [ -z "$POPULATED" ] || echo "(removing the $FILES + $FILES files)"; }
AGENT="$BUILD/fence_recorder"
CTL="$BUILD/fencectl"
NODE=target-node

# Names and bodies as the agent and nnf-sos write them; responses say
# success (each marks its node fenced), so `fenced` has every one to show.
populate() {
    gawk -v n="$1" -v rq="$NNF_FENCE_REQUEST_DIR" -v rs="$NNF_FENCE_RESPONSE_DIR" 'BEGIN {
        for (i = 0; i < n; i++) {
            node = sprintf("compute-%06d", i)
            id = sprintf("%08x-0000-4000-8000-%012x", i, i)
            req = sprintf("{\"request_id\": \"%s\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"action\": \"off\", \"target_node\": \"%s\", \"recorder_node\": \"mgmt\"}\n", id, node)
            f = rq "/" node "-" id ".json"; printf "%s", req > f; close(f)
            resp = sprintf("{\n  \"request_id\": \"%s\",\n  \"timestamp\": \"2026-01-01T00:00:00Z\",\n  \"action\": \"off\",\n  \"target_node\": \"%s\",\n  \"recorder_node\": \"mgmt\",\n  \"success\": true,\n  \"message\": \"Successfully fenced node\",\n  \"action_performed\": \"off\"\n}\n", id, node)
            # responses to other requests than those pending
            rid = sprintf("%08x-1111-4000-8000-%012x", i, i)
            gsub(id, rid, resp)
            f = rs "/" node "-" rid ".json"; printf "%s", resp > f; close(f)
        }
    }'
    find "$NNF_FENCE_REQUEST_DIR" "$NNF_FENCE_RESPONSE_DIR" -type f -exec touch -d "2 days ago" {} +
}

# Each command: median of RUNS whole runs, output to /dev/null (frbench).
measure() {
    printf '%-44s %10s ms\n' "$1" "$(median_ms "$2" sh -c "$3 > /dev/null 2>&1")"
}

commands() {
    measure "fencectl fenced" 3 "$CTL fenced"
    measure "fencectl fenced --node $NODE" 5 "$CTL fenced --node $NODE"
    measure "fencectl orphans" 3 "$CTL orphans"
    measure "fencectl check" 3 "$CTL check"
    measure "fence_recorder -o status -n $NODE" 5 "$AGENT -o status -n $NODE"
    measure "fence_recorder -o on -n $NODE" 5 "$AGENT -o on -n $NODE"
}

machine
echo "empty directories (reference):"
commands
populate "$FILES"
POPULATED=1
echo "with $(ls -f "$NNF_FENCE_REQUEST_DIR" | wc -l) entries in the request and" \
     "$(ls -f "$NNF_FENCE_RESPONSE_DIR" | wc -l) in the response directory ($FILES files of other nodes each):"
commands
echo "output of 'fencectl check' there: $("$CTL" check | wc -l) lines; 'fencectl orphans': $("$CTL" orphans | wc -l) lines"
