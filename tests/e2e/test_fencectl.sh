# fencectl over databases the real agent produced.

ctl() {
    ${FR_WRAP:-} "$FENCECTL" "$@"
}

three_fences() {
    start_responder
    agent -o off -n node2 || fail "fence node2"
    agent -o reboot -n node3 || fail "fence node3"
    stop_responder
    start_responder --mode failure
    agent -o off -n node2 2>/dev/null && fail "failure response accepted"
    stop_responder
}

test_fencectl_history_filters_and_formats() {
    three_fences
    [ "$(ctl --format csv history | wc -l)" -eq 4 ] || fail "csv: header and three rows expected"
    ctl --format json history --node node2 > h.json || fail "history json failed"
    jq -e 'length == 2 and all(.[]; .target == "node2") and .[0].status == "failed" and .[1].status == "completed"' h.json \
        > /dev/null || fail "history json: $(cat h.json)"
    [ "$(ctl --format json history --status completed | jq length)" -eq 2 ] || fail "--status"
    [ "$(ctl --format json history --action reboot | jq -r '.[0].target')" = node3 ] || fail "--action"
    [ "$(ctl --format json history --limit 1 | jq length)" -eq 1 ] || fail "--limit"
    [ "$(ctl --format json history --since 1h | jq length)" -eq 3 ] || fail "--since 1h"
    [ "$(ctl --format json history --until 2000-01-01 | jq length)" -eq 0 ] || fail "--until"
    ctl history | head -n 1 | grep -q '^request_id  *started  *action' || fail "table header"
}

test_fencectl_history_table_golden() {
    three_fences
    ctl history --node node3 | sed -E 's/[0-9a-f]{8}-[0-9a-f-]{27}/ID/g; s/[0-9T:.-]{23}Z/TIME/g; s/  +/  /g; s/user [a-z]+ \(uid [0-9]+\)/USER/; s/  [0-9]+  \["/  MS  ["/' \
        | sed "s/  $(hostname)  /  HOST  /" > got.txt
    cat > want.txt <<'WANT'
request_id  started  action  target  status  exit  duration_ms  filesystems  requested_by  recorder  message
ID  TIME  reboot  node3  completed  0  MS  ["discovery-disabled"]  USER  HOST  Successfully fenced node by deleting 1 GFS2 storage groups
WANT
    diff want.txt got.txt || fail "table output differs"
}

test_fencectl_show_timeline_and_prefixes() {
    three_fences
    id=$(ctl --format json history --action reboot | jq -r '.[0].request_id')
    ctl show "${id%%-*}" > show.txt || fail "show by prefix failed"
    for what in "operation" "request node3-$id.json" "event requested" "event completed" "response (agent)" "outcome"; do
        grep -qF "$what" show.txt || fail "show lacks [$what]"
    done
    grep -q 'outcome .*completed, exit 0' show.txt || fail "no outcome line"
    ctl show ffffffff > /dev/null 2>&1
    [ $? -eq 1 ] || fail "unknown id not an error"
    ctl show "x' OR 1=1 --" > /dev/null 2>&1
    [ $? -eq 2 ] || fail "malformed id not a usage error"
    # A one-character prefix matching several operations is ambiguous.
    for c in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do
        n=$(ctl --format json history | jq "[.[] | select(.request_id | startswith(\"$c\"))] | length")
        if [ "$n" -gt 1 ]; then
            ctl show "$c" 2>err.txt && fail "ambiguous prefix accepted"
            grep -q ambiguous err.txt || fail "no ambiguity message"
            break
        fi
    done
}

test_fencectl_errors_and_exit_codes() {
    ctl --db "$S/none.db" history 2>/dev/null
    [ $? -eq 3 ] || fail "missing database should exit 3"
    [ ! -e "$S/none.db" ] || fail "read-only command created the database"
    ctl bogus 2>/dev/null
    [ $? -eq 2 ] || fail "unknown command should exit 2"
    ctl --format xml history 2>/dev/null
    [ $? -eq 2 ] || fail "unknown format should exit 2"
    ctl history --since yesterday-ish 2>/dev/null
    [ $? -eq 2 ] || fail "bad time should exit 2"
    echo garbage > "$S/garbage.db"
    ctl --db "$S/garbage.db" history 2>/dev/null
    rc=$?
    [ "$rc" -eq 1 ] || [ "$rc" -eq 3 ] || fail "garbage database exit $rc"
    ctl --help | grep -q "Exit codes" || fail "help"
}
