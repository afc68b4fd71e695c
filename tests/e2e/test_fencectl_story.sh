# fencectl as an administrator on a cluster node uses it: JSON that jq
# reads without conversions, the attempts of one Pacemaker fence as one
# story, the README's reading recipes, and the paths found in the CIB.
# (Against a real cluster: test_pacemaker.sh.)

ctl() {
    ${FR_WRAP:-} "$FENCECTL" "$@"
}

# failing_then_succeeding N: N failed runs for node2 in quick succession,
# as Pacemaker's retries make them, then one that succeeds; then an
# unrelated fence of node3. Like Pacemaker's, each run starts as the one
# before exits, not when its recorder is done, and runs natively: under
# FR_WRAP on a loaded machine the runs were seen 25 s apart, past the
# attempts' 5 s gap, which made them separate fences. fencectl, what these
# tests read the runs with, still runs under FR_WRAP.
failing_then_succeeding() {
    runs_before=$(recorders_so_far)
    start_responder --mode failure
    runs_left=$1   # not i: the helpers in lib.sh count with i
    while [ "$runs_left" -gt 0 ]; do
        "$AGENT" -o off -n node2 2>/dev/null && fail "failure accepted"
        runs_left=$((runs_left - 1))
    done
    stop_responder
    start_responder
    "$AGENT" -o off -n node2 || fail "fence node2"
    "$AGENT" -o off -n node3 || fail "fence node3"
    stop_responder
    wait_recorded "$runs_before"
}

test_json_gives_numbers_and_arrays() {
    failing_then_succeeding 1
    ctl --format json history --attempts > h.json || fail "history"
    jq -e 'all(.[]; (.exit | type) == "number" and (.duration_ms | type) == "number"
                    and (.attempt | type) == "number" and (.attempts | type) == "number"
                    and (.filesystems | type) == "array")' h.json > /dev/null \
        || fail "history types: $(cat h.json)"
    [ "$(jq -r '[.[] | .filesystems[]] | unique | join(",")' h.json)" = discovery-disabled ] \
        || fail "filesystems array content: $(cat h.json)"
    ctl --format json stats > s.json || fail "stats"
    jq -e 'all(.[]; (.operations | type) == "number" and (.success_rate | type) == "number"
                    and (.fences | type) == "number")' s.json > /dev/null || fail "stats types: $(cat s.json)"
    # Table and CSV keep their text.
    ctl --format csv history | head -n 1 | grep -q '^request_id,started,action,target,status,exit,duration_ms,attempt,attempts,fence,filesystems,' \
        || fail "csv header"
    ctl --format csv history | grep -q ',"\[""discovery-disabled""\]",' || fail "csv keeps filesystems as text"
}

test_attempts_of_one_fence_are_one_story() {
    failing_then_succeeding 3
    # Default: one row per fence, its outcome, the number of attempts.
    ctl --format json history > h.json || fail "history"
    [ "$(jq length h.json)" -eq 2 ] || fail "expected 2 fences: $(cat h.json)"
    jq -e '.[] | select(.target == "node2") | .status == "completed" and .attempts == 4 and .attempt == 4' h.json \
        > /dev/null || fail "node2's fence: $(cat h.json)"
    jq -e '.[] | select(.target == "node3") | .attempts == 1' h.json > /dev/null || fail "node3: $(cat h.json)"
    # --attempts: every run, numbered, one fence id.
    ctl --format json history --attempts --node node2 > a.json || fail "history --attempts"
    [ "$(jq -r '[.[].attempt] | join(",")' a.json)" = "4,3,2,1" ] || fail "attempt numbers: $(cat a.json)"
    [ "$(jq -r '[.[].fence] | unique | length' a.json)" -eq 1 ] || fail "one fence id: $(cat a.json)"
    first=$(jq -r '.[3].request_id' a.json)
    [ "$(jq -r '.[0].fence' a.json)" = "$first" ] || fail "the fence id is the first attempt's request id"
    # show lists every attempt of the operation's fence.
    ctl show "$(jq -r '.[1].request_id' a.json)" > show.txt || fail "show"
    [ "$(grep -c 'attempt [1-4]/4' show.txt)" -eq 4 ] || fail "show lacks the attempts: $(cat show.txt)"
    grep -q 'attempt 3/4 .*this operation' show.txt || fail "show does not mark this operation"
    # stats: 5 agent runs, 2 fences, both completed in the end.
    ctl --format json stats > s.json
    jq -e '.[] | select(.node == "(all)") | .operations == 5 and .fences == 2 and .fences_completed == 2' s.json \
        > /dev/null || fail "stats: $(cat s.json)"
}

# A failure, then a new fence long after it: two fences, not attempts.
test_attempts_need_a_failure_and_a_short_gap() {
    start_responder --mode failure
    agent -o off -n node2 2>/dev/null
    stop_responder
    sql "update operations set finished_at = '2020-01-01T00:00:00.000Z', started_at = '2020-01-01T00:00:00.000Z'"
    start_responder
    agent -o off -n node2 || fail "fence"
    agent -o off -n node2 || fail "fence again"
    stop_responder
    [ "$(ctl --format json history | jq length)" -eq 3 ] || fail "linked across a long gap or after a success: $(ctl history)"
    # stats: three fences, the failed one not among the completed.
    ctl --format json stats > s.json || fail "stats"
    jq -e '.[] | select(.node == "node2") | .operations == 3 and .fences == 3 and .fences_completed == 2
           and .failed == 1' s.json > /dev/null || fail "stats: $(cat s.json)"
}

# The README's recipes, run as printed, return real filesystems.
test_readme_reading_recipes_return_real_filesystems() {
    fx="$TOP/tests/fixtures/discovery"
    printf '#!/bin/sh\ncat %s\n' "$fx/crm_mon-active-node2.xml" > "$S/crm_mon"
    printf '#!/bin/sh\ncat %s\n' "$fx/cib-resources-gfs2.xml" > "$S/cibadmin"
    chmod +x "$S/crm_mon" "$S/cibadmin"
    start_responder --delay-ms 300
    FILESYSTEM_DISCOVERY_ENABLED=true CRM_MON_PATH="$S/crm_mon" CIBADMIN_PATH="$S/cibadmin" \
        agent -o off -n node2 || fail "fence"
    stop_responder
    tries=0
    while ! grep -q fs-home "$LOG_DIR/fence-events-detailed.jsonl" 2>/dev/null; do
        tries=$((tries + 1)); [ "$tries" -gt 300 ] && fail "discovery not logged within 30 s"; sleep 0.1
    done
    # Recipes are the README lines between "Recipes that return real
    # filesystems" and the next heading, each "fencectl ..." or "jq ..." line.
    sed -n '/Recipes that return real filesystems/,/^## /p' "$TOP/README.md" \
        | sed -n 's/^    \(fencectl .*\|jq .*\)$/\1/p' > recipes.txt
    [ "$(wc -l < recipes.txt)" -eq 3 ] || fail "recipes not found: $(cat recipes.txt)"
    while IFS= read -r recipe; do
        out=$(cd "$LOG_DIR" && PATH="$BUILD:$PATH" sh -c "$recipe" 2>&1) || fail "recipe failed: $recipe: $out"
        echo "$out" | grep -q 'fs-home' || fail "recipe [$recipe] gave no real filesystem: $out"
        echo "$out" | grep -q 'discovery-pending' && fail "recipe [$recipe] gave a placeholder: $out"
    done < recipes.txt
    grep -q 'placeholder, not a filesystem' "$TOP/README.md" || fail "README does not explain discovery-pending"
}

# fake_cib RESOURCES_XML [STONITH_TIMEOUT]: a cibadmin answering queries.
fake_cib() {
    printf '%s\n' "$1" > "$S/resources.xml"
    printf '<crm_config><cluster_property_set id="o">%s</cluster_property_set></crm_config>\n' \
        "${2:+<nvpair id=\"st\" name=\"stonith-timeout\" value=\"$2\"/>}" > "$S/crm_config.xml"
    printf '#!/bin/sh\n[ "$1 $2" = "--query --scope" ] || exit 9\ncat "%s/$3.xml"\n' "$S" > "$S/cibadmin"
    chmod +x "$S/cibadmin"
    export CIBADMIN_PATH="$S/cibadmin"
}

device_xml() {   # device_xml ID NAME=VALUE...
    id=$1; shift
    printf '<primitive id="%s" class="stonith" type="fence_recorder"><instance_attributes id="%s-ia">' "$id" "$id"
    for kv in "$@"; do
        printf '<nvpair id="%s-%s" name="%s" value="%s"/>' "$id" "${kv%%=*}" "${kv%%=*}" "${kv#*=}"
    done
    printf '</instance_attributes></primitive>'
}

test_paths_come_from_the_cib_when_not_given() {
    start_responder
    agent -o off -n node2 || fail "fence"
    stop_responder
    fake_cib "<resources>$(device_xml storage-fence request_dir="$NNF_FENCE_REQUEST_DIR" \
        response_dir="$NNF_FENCE_RESPONSE_DIR" db="$DB" log_dir="$LOG_DIR" fence_timeout=60 \
        pcmk_off_timeout=90 pcmk_reboot_timeout=90)<primitive id=\"d\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></resources>"
    out=$(env -u NNF_FENCE_REQUEST_DIR -u NNF_FENCE_RESPONSE_DIR -u LOG_DIR -u FENCE_RECORDER_DB \
          "$FENCECTL" -v --format json history 2>err.txt) || fail "history from CIB paths: $(cat err.txt)"
    [ "$(echo "$out" | jq length)" -eq 1 ] || fail "not the device's database: $out"
    grep -q "paths from the CIB (1 fence_recorder device, first storage-fence): request_dir=$NNF_FENCE_REQUEST_DIR" err.txt \
        || fail "source not said: $(cat err.txt)"
    [ "$(wc -l < err.txt)" -eq 1 ] || fail "more than one line on stderr: $(cat err.txt)"
    env -u NNF_FENCE_REQUEST_DIR -u NNF_FENCE_RESPONSE_DIR -u LOG_DIR -u FENCE_RECORDER_DB \
        "$FENCECTL" check > check.txt 2>&1 || fail "check: $(cat check.txt)"
    grep -q "^INFO: paths from the CIB" check.txt || fail "check does not say the source: $(cat check.txt)"
    # Flags and environment still win, and say so.
    "$FENCECTL" -v history > /dev/null 2> err.txt
    grep -q "paths from options and environment" err.txt || fail "env source: $(cat err.txt)"
    # Two devices that disagree: said, and the CIB is not used for that path.
    fake_cib "<resources>$(device_xml a db="$DB")$(device_xml b db=/elsewhere/x.db)</resources>"
    env -u FENCE_RECORDER_DB "$FENCECTL" -v history > /dev/null 2> err.txt
    grep -q "devices disagree on db (a: $DB, b: /elsewhere/x.db).*give --db" err.txt \
        || fail "disagreement not said: $(cat err.txt)"
}

test_check_reports_devices_whose_timeouts_lose_the_race() {
    start_responder
    agent -o off -n node2 || fail "fence"
    stop_responder
    fake_cib "<resources>$(device_xml ok fence_timeout=60 pcmk_off_timeout=90 pcmk_reboot_timeout=90)$(device_xml old fence_timeout=60 pcmk_off_timeout=90)</resources>"
    "$FENCECTL" check > c.txt 2>&1
    [ $? -eq 1 ] || fail "check passed a device Pacemaker would kill: $(cat c.txt)"
    grep -q "PROBLEM: device old: Pacemaker times reboot with stonith-timeout=60s.*set pcmk_reboot_timeout to at least 65s" c.txt \
        || fail "no reboot problem for the old device: $(cat c.txt)"
    grep -q "device ok" c.txt && fail "the documented device reported: $(cat c.txt)"
    # A raised stonith-timeout covers it.
    fake_cib "<resources>$(device_xml old fence_timeout=60 pcmk_off_timeout=90)</resources>" 2min
    "$FENCECTL" check > c.txt 2>&1 || fail "stonith-timeout=2min not honoured: $(cat c.txt)"
}

# Another node's database read here (copied, or over a shared mount): the
# CIB's log_dir is this node's logs, not that database's, so check and
# audit do not compare them (that made up logs-only lines) and say why;
# --log-dir (or LOG_DIR) names that node's logs, and then they do.
test_another_nodes_database_is_compared_with_its_logs_only_when_given() {
    start_responder
    agent -o off -n node2 || fail "fence on this node"
    agent -o off -n node3 --db "$S/n9.db" --log-dir "$S/n9log" || fail "fence as n9"
    stop_responder
    sqlite3 "$S/n9.db" "update operations set recorder_node = 'n9'" || fail "cannot make n9's database"
    fake_cib "<resources>$(device_xml storage-fence request_dir="$NNF_FENCE_REQUEST_DIR" \
        response_dir="$NNF_FENCE_RESPONSE_DIR" db="$DB" log_dir="$LOG_DIR" fence_timeout=60 \
        pcmk_off_timeout=90 pcmk_reboot_timeout=90)</resources>"
    env -u LOG_DIR "$FENCECTL" --db "$S/n9.db" check > c.txt 2>&1 || fail "check of n9's database: $(cat c.txt)"
    grep -q "^INFO: the logs in $LOG_DIR are not compared with $S/n9.db: its operations were recorded on n9" c.txt \
        || fail "check does not say why the logs were not compared: $(cat c.txt)"
    grep -q 'not in the database' c.txt && fail "this node's log lines reported missing from n9's database: $(cat c.txt)"
    env -u LOG_DIR "$FENCECTL" --db "$S/n9.db" --format json audit --no-cluster > a.json 2> a.err
    grep -q "not compared with $S/n9.db: its operations were recorded on n9" a.err || fail "audit: $(cat a.err)"
    jq -e 'all(.[]; .kind != "logs-only")' a.json > /dev/null || fail "audit made up logs-only lines: $(cat a.json)"
    # n9's own logs, named: compared, and they match.
    env -u LOG_DIR "$FENCECTL" --db "$S/n9.db" --log-dir "$S/n9log" check > c.txt 2>&1 || fail "check: $(cat c.txt)"
    grep -q 'not compared' c.txt && fail "--log-dir given but not compared: $(cat c.txt)"
    # This node's own database: compared as ever.
    env -u LOG_DIR "$FENCECTL" check > c.txt 2>&1 || fail "check of this node's database: $(cat c.txt)"
    grep -q 'not compared' c.txt && fail "this node's logs not compared: $(cat c.txt)"
    return 0
}

# retries_on_the_edges: 900 operations, node0's in runs, with gaps between
# one's end and the next start on both sides of the 5 s rule (4.999,
# 4.9995, 5.000, 5.0004, 5.001 s), overlaps, no finish time, other
# requesters, recorders and actions, so fences of 1 to 6 attempts.
retries_on_the_edges() {
    create_db
    sql "WITH RECURSIVE s(i, t) AS (
           SELECT 1, julianday('2026-01-01T00:00:00')
           UNION ALL
           SELECT i + 1, t + (CASE (i * 7919) % 11
                 WHEN 0 THEN 4.999 WHEN 1 THEN 5.0 WHEN 2 THEN 5.001 WHEN 3 THEN 0 WHEN 4 THEN -0.5
                 WHEN 5 THEN 60 WHEN 6 THEN 1 WHEN 7 THEN 4.9995 WHEN 8 THEN 5.0004 ELSE 2 END
                 + 1.5) / 86400.0
           FROM s WHERE i < 900)
         INSERT INTO operations (id, op_uuid, action, target_node, recorder_node, requested_by, agent_pid,
                                 started_at, finished_at, status, exit_code, message, filesystems)
         SELECT i, printf('00000000-0000-4000-8000-%012d', i),
                CASE WHEN (i * 31) % 17 = 0 THEN 'reboot' ELSE 'off' END,
                CASE WHEN (i / 40) % 2 = 0 THEN 'node0' ELSE 'node' || (i % 3) END,
                CASE WHEN (i * 13) % 23 = 0 THEN 'mgmt-2' ELSE 'mgmt-1' END,
                CASE WHEN (i * 17) % 29 = 0 THEN 'user x (uid 1000)' ELSE 'pacemaker-fenced' END,
                1000 + i, strftime('%Y-%m-%dT%H:%M:%fZ', t),
                CASE WHEN (i * 3) % 41 = 0 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', t + 1.5 / 86400.0) END,
                CASE (i * 5) % 9 WHEN 0 THEN 'completed' WHEN 1 THEN 'timeout' WHEN 2 THEN 'terminated'
                     WHEN 3 THEN 'completed' ELSE 'failed' END,
                1, 'message ' || i, '[\"fs-home\"]'
         FROM s" || fail "cannot generate the operations"
}

# history --node links a node's newest operations as it reads them and
# stops at --limit (history_node.c); without --node every operation is
# linked at once by the windows of ATTEMPTS_CTE. Same rows, same numbers,
# for every filter, at the edges of the 5 s window and of the limit.
test_history_node_walk_matches_the_whole_linking() {
    retries_on_the_edges
    [ "$(ctl --format json history --attempts | jq '[.[] | select(.attempts >= 4)] | length')" -ge 20 ] \
        || fail "the generated record has too few long fences"
    compared=0
    for args in "" "--attempts" "--status failed" "--status completed --attempts" "--action reboot" \
                "--since 2026-01-01T00:10:00" "--since 2026-01-01T00:10:00 --attempts" \
                "--until 2026-01-01T00:20:00 --attempts" \
                "--since 2026-01-01T00:05:00 --until 2026-01-01T00:30:00 --attempts"; do
        # shellcheck disable=SC2086
        ctl --format json history $args > all.json || fail "history $args"
        for node in node0 node1 node2 nosuch; do
            for limit in 1 2 3 7 20 all; do
                lim=; [ "$limit" = all ] || lim="--limit $limit"
                # shellcheck disable=SC2086
                ctl --format json history --node "$node" $args $lim > walk.json || fail "history --node $node $args $lim"
                jq --arg n "$node" --arg l "$limit" \
                    '[.[] | select(.target == $n)] | if $l == "all" then . else .[:($l | tonumber)] end' all.json > want.json
                jq . walk.json | diff want.json - > /dev/null \
                    || fail "history --node $node $args $lim differs: $(jq . walk.json | diff want.json - | head -n 20)"
                compared=$((compared + 1))
            done
        done
    done
    [ "$compared" -eq 216 ] || fail "compared $compared"
    # The same rows as CSV and in the --wide table.
    ctl --format csv history --attempts | awk -F, 'NR == 1 || $4 == "node0"' > all.csv
    ctl --format csv history --attempts --node node0 | diff all.csv - > /dev/null || fail "csv differs"
    ctl history --wide --attempts | awk 'NR == 1 || $4 == "node0"' > all.txt
    ctl history --wide --attempts --node node0 | diff all.txt - > /dev/null || fail "--wide table differs"
}

# stats links in C in one ordered pass (attempts.c): its fences are the
# first attempts history numbers with the windows of ATTEMPTS_CTE.
test_stats_fences_match_the_whole_linking() {
    retries_on_the_edges
    for since in "" "2026-01-01T00:10:00"; do
        ctl --format json stats ${since:+--since "$since"} > s.json || fail "stats $since"
        ctl --format json history --attempts ${since:+--since "$since"} > h.json || fail "history $since"
        jq -c '[.[] | {node, fences, fences_completed}] | sort_by(.node)' s.json > got.json
        jq -c 'def counts: {fences: ([.[] | select(.attempt == 1)] | length),
                            fences_completed: ([.[] | select(.attempt == .attempts and .status == "completed")] | length)};
               ([group_by(.target)[] | {node: .[0].target} + counts] + [{node: "(all)"} + counts]) | sort_by(.node)' \
            h.json > want.json
        diff want.json got.json > /dev/null || fail "stats --since '$since': $(cat got.json) against $(cat want.json)"
    done
}
