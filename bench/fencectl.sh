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

# audit and metrics (issue 14): goal, each under 100 ms on this database.
# Empty request, response and log directories: the record is what is
# measured (the jsonl gap check reads the whole log file: see README).
mkdir -p "$W/rq" "$W/rs" "$W/log"
AUD="$CTL --request-dir $W/rq --response-dir $W/rs --log-dir $W/log"
week=$(sqlite3 "$W/fr.db" "select strftime('%Y-%m-%dT%H:%M:%S', max(started_at), '-7 days') from operations")
ops_week=$(sqlite3 "$W/fr.db" "select count(*) from operations where started_at >= '$week'")
printf '%-34s %13s\n' "fencectl (median of 7)" "time"
printf '%-34s %10.2f ms\n' "audit --no-cluster (24h)" "$(median_ms 7 $AUD audit --no-cluster)"
printf '%-34s %10.2f ms   (%s operations)\n' "audit --no-cluster, data's last 7d" \
    "$(median_ms 7 $AUD audit --no-cluster --since "$week")" "$ops_week"
printf '%-34s %10.2f ms   (crm_mon and stonith_admin run%s)\n' "audit (asks the cluster, 24h)" \
    "$(median_ms 7 $AUD audit --timeout 5)" "$(crm_mon -1 >/dev/null 2>&1 && echo ', cluster up' || echo ', no cluster here')"
printf '%-34s %10.2f ms   (%s operations)\n' "stats --since the data's last 7d" \
    "$(median_ms 7 $CTL stats --since "$week" --format csv)" "$ops_week"
printf '%-34s %10.2f ms\n' "metrics" "$(median_ms 7 $AUD metrics)"
printf '%-34s %10.2f ms\n' "metrics --output FILE" "$(median_ms 7 $AUD metrics --output "$W/fr.prom")"
