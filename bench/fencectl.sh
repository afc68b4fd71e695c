#!/bin/sh
# fencectl on 1,000,000 imported events (500,000 fences), next to jq doing
# the same work on the jsonl, in one run. Usage: sh bench/fencectl.sh BUILD [OPERATIONS]
set -eu
BUILD=$(cd "${1:-build}" && pwd)
OPS=${2:-500000}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v gawk > /dev/null && command -v jq > /dev/null || { echo "needs gawk and jq" >&2; exit 1; }
W=$(mktemp -d /tmp/fr-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
CTL="$BUILD/fencectl --db $W/fr.db"
NODE=compute-node-17

gawk -v N="$OPS" -v NODES=1000 -f "$HERE/gen_events.awk" > "$W/events.jsonl"
lines=$(wc -l < "$W/events.jsonl")
mb=$(du -m "$W/events.jsonl" | cut -f1)
t0=$(date +%s%N)
$CTL import "$W/events.jsonl" > "$W/import.out"
import_s=$(( ($(date +%s%N) - t0) / 1000000 ))

machine
echo "data: $lines events ($mb MB jsonl), 1000 nodes; import took $import_s ms: $(cat "$W/import.out")"
echo "database: $(du -m "$W/fr.db" | cut -f1) MB"
printf '%-34s %13s   %-26s %13s   %9s\n' "fencectl (median of 7)" "time" "jq on the jsonl" "time" "jq / ours"
row "history --node X --limit 20" "$(median_ms 7 $CTL history --node $NODE --limit 20 --format csv)" \
    "jq select node | tail -40" "$(median_ms 3 sh -c "jq -c 'select(.target_node == \"$NODE\")' $W/events.jsonl | tail -n 40")"
row "stats" "$(median_ms 3 $CTL stats --format csv)" \
    "jq reduce per node/status" "$(median_ms 3 jq -n 'reduce inputs as $e ({}; .[$e.target_node][$e.status] += 1)' "$W/events.jsonl")"
row "stats --since 7d" "$(median_ms 7 $CTL stats --since 7d --format csv)" \
    "jq select last 7 days" "$(median_ms 3 jq -c --arg t "$(date -u -d '7 days ago' +%Y-%m-%dT%H:%M:%SZ)" 'select(.timestamp >= $t)' "$W/events.jsonl")"
row "export --jsonl" "$(median_ms 3 $CTL export --jsonl)" \
    "jq -c . (re-serialise)" "$(median_ms 3 jq -c . "$W/events.jsonl")"
$CTL export --jsonl | cmp -s - "$W/events.jsonl" && echo "export reproduces the imported file byte for byte" \
    || echo "export differs from the imported file"
