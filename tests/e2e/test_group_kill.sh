# Pacemaker SIGKILLs the agent's whole process group when the device's
# timeout expires: whatever the moment of that kill, a fence whose request
# reached the storage system is in the record, and one recorded as killed
# before publication published nothing. Sourced by runner.sh; each test_*
# runs in its own scratch dir $S.
#
# GK_RUNS, GK_SEED and GK_HOGS change the run (sh tests/run.sh build
# group_kill); the defaults are what make check runs.

GK_RUNS=${GK_RUNS:-200}
GK_SEED=${GK_SEED:-1}
GK_DELAY_MS=60   # the responder's: most of an uninterrupted fence's time

# spin N: N turns of a loop, a delay without a fork: sleep(1) takes 1-3 ms
# to start, longer than the window the kills must reach into.
spin() {
    i=$1
    while [ "$i" -gt 0 ]; do i=$((i - 1)); done
}

# gk_pause US: about US microseconds, spun below 10 ms (at GK_NS_PER_SPIN,
# measured by gk_calibrate), slept above.
gk_pause() {
    if [ "$1" -lt 10000 ]; then
        spin $(( $1 * 1000 / GK_NS_PER_SPIN ))
    else
        sleep "$(printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)))"
    fi
}

now_us() {
    t=$(date +%s%N)
    echo $((t / 1000))
}

# gk_spawn NODE [CRASH_AT]: the agent as Pacemaker starts it, options on
# stdin, in a session (so a process group) of its own, held at a gate
# until gk_go. Opening the gate for writing returns once the child has
# opened it to read: by then its group exists, and a kill of the group
# cannot miss it. The offsets count from gk_go, when it execs the agent.
gk_spawn() {
    printf 'action=off\nplug=%s\nfence_timeout=20\n' "$1" > "$S/stdin"
    setsid sh -c 'read -r _ < "$1"; exec ${4:+env FENCE_RECORDER_TEST_CRASH_AT=$4} $3 "$2"' \
        gk "$S/gate" "$AGENT" "${FR_WRAP:-}" "${2:-}" < "$S/stdin" > /dev/null 2>&1 &
    GK_PID=$!
    exec 3> "$S/gate"
    # setsid(1) forks when its caller leads a group: then $! is not the group.
    [ "$(cut -d' ' -f5 "/proc/$GK_PID/stat")" = "$GK_PID" ] \
        || fail "the agent's wrapper $GK_PID does not lead a process group of its own"
}

gk_go() {
    echo go >&3
    exec 3>&-
}

# gk_time NODE [CRASH_AT]: prints how long the agent ran, start to exit, in
# microseconds (a little more: date(1) takes about a millisecond).
gk_time() {
    gk_spawn "$@"
    t0=$(now_us)
    gk_go
    wait "$GK_PID"
    rc=$?
    echo $(( $(now_us) - t0 ))
    return $rc
}

# The spin rate, then, with the same load as the kills will have: how long
# a fence takes uninterrupted (GK_FULL_US, the longest of three), and how
# long until its request is published (GK_PUB_US, the shortest of three:
# the agent kills itself just after the rename), less what date(1) costs.
gk_calibrate() {
    t0=$(now_us)
    spin 100000
    GK_NS_PER_SPIN=$(( ($(now_us) - t0) / 100 ))
    [ "$GK_NS_PER_SPIN" -gt 0 ] || GK_NS_PER_SPIN=1
    GK_FULL_US=0 GK_PUB_US=999999999 date_us=999999999
    for i in 1 2 3; do
        t0=$(now_us)
        t=$(( $(now_us) - t0 ))
        [ "$t" -lt "$date_us" ] && date_us=$t
        t=$(gk_time "node-full$i") || fail "the uninterrupted fence of node-full$i failed"
        [ "$t" -gt "$GK_FULL_US" ] && GK_FULL_US=$t
        t=$(gk_time "node-pub$i" after-request)
        [ $? -eq 137 ] || fail "the agent of node-pub$i did not kill itself after its request"
        [ "$t" -lt "$GK_PUB_US" ] && GK_PUB_US=$t
    done
    GK_PUB_US=$((GK_PUB_US - date_us))
    [ "$GK_PUB_US" -ge 1000 ] || GK_PUB_US=1000
}

# The offsets, in microseconds, from a fixed seed: odd runs uniform over
# the whole fence and a little beyond (an agent that exits before its kill
# is a run too), even runs over its first moments, to twice the time its
# request takes to be published: there the agent forks its recorder, and
# a group kill could take both.
gk_offsets() {
    awk -v seed="$GK_SEED" -v n="$GK_RUNS" -v full="$GK_FULL_US" -v pub="$GK_PUB_US" 'BEGIN {
        srand(seed)
        for (i = 1; i <= n; i++)
            printf "%d\n", (i % 2 ? rand() * full * 1.2 : rand() * pub * 2)
    }'
}

# gk_load N: N loops that keep the CPUs busy, as on a node whose fences
# time out; a forked process then waits for a CPU, as it would there.
# They stop at gk_unload, when the scratch directory goes, at a TERM
# (cleanup_env sends one to every pid file's process), or after 5*10^8
# turns (minutes) if all of those were missed.
gk_load() {
    : > "$S/load.on"
    for h in $(seq 1 "$1"); do
        ( trap 'exit 0' TERM; n=500000000
          while [ -e "$S/load.on" ] && [ "$n" -gt 0 ]; do n=$((n - 1)); done ) &
        echo $! > "$S/load$h.pid"
    done
}

gk_unload() {
    rm -f "$S/load.on"
    for f in "$S"/load*.pid; do
        [ -f "$f" ] || continue
        wait "$(cat "$f")"
        rm -f "$f"
    done
}

recorders_alive() {
    for pid in $(cat "$FENCE_RECORDER_TEST_RECORDERS" 2>/dev/null); do
        # A zombie has finished too (whoever reaps orphans may be slow).
        kill -0 "$pid" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ] \
            && return 0
    done
    return 1
}

settled() {
    ! recorders_alive && [ "$(sql "select count(*) from operations where status = 'running'")" = 0 ]
}

# file_of DIR NODE: the final-named protocol file of NODE's fence in DIR.
file_of() {
    for f in "$1/$2"-*.json; do
        [ -f "$f" ] && { echo "$f"; return 0; }
    done
    return 1
}

test_group_kill_at_any_moment_loses_no_request() {
    export CIBADMIN_PATH=/nonexistent/cibadmin CRM_MON_PATH=/nonexistent/crm_mon
    mkfifo "$S/gate"
    start_responder --delay-ms "$GK_DELAY_MS"
    started=$(date +%s)
    gk_load "${GK_HOGS:-$(( 2 * $(nproc) ))}"
    gk_calibrate
    gk_offsets > "$S/offsets"
    n=0
    while read -r us; do
        n=$((n + 1))
        node=$(printf 'node-k%03d' "$n")
        gk_spawn "$node"
        gk_go
        gk_pause "$us"
        kill -KILL "-$GK_PID" 2>/dev/null
        wait "$GK_PID"
        echo "$node $us $?" >> "$S/runs"
    done < "$S/offsets"
    gk_unload
    # Settled: every recorder gone, nothing left running.
    wait_until 60 settled || fail "not settled after 60 s: $(sql "select target_node, status \
        from operations where status = 'running'")"
    # The responder answers every request that went out (killed agents' too).
    for f in "$NNF_FENCE_REQUEST_DIR"/*.json; do
        [ -f "$f" ] || continue
        wait_until 30 test -f "$NNF_FENCE_RESPONSE_DIR/${f##*/}" || fail "${f##*/} never answered"
    done
    stop_responder
    took=$(( $(date +%s) - started ))

    # Each run in one class:
    #   before      no request, no record: killed before the recorder started
    #   unpublished no request, recorded as killed before publication
    #   recorded    its request reached the directory and it is recorded
    #   lost        its request reached the directory and nothing recorded it
    #   other       no request, recorded in any other way (listed)
    : > "$S/classes"
    while read -r node us rc; do
        req=$(file_of "$NNF_FENCE_REQUEST_DIR" "$node") || req=
        resp=$(file_of "$NNF_FENCE_RESPONSE_DIR" "$node") || resp=
        ops=$(sql "select count(*) from operations where target_node = '$node'")
        [ "$ops" -le 1 ] || fail "$node: $ops operations for one fence"
        if [ -n "$req" ] || [ -n "$resp" ]; then
            # a. It reached the storage system: its operation is recorded,
            # under the request id of its files.
            id=$(basename "${req:-$resp}" .json)
            id=${id#"$node"-}
            if [ "$(sql "select count(*) from operations where op_uuid = '$id'")" = 1 ]; then
                class=recorded
            else
                class=lost
                echo "LOST: $node (killed $us us after its start, exit $rc): $(basename "${req:-$resp}")" \
                     "has no operation; $ops operation(s) for $node," \
                     "$(grep -c "$node" "$LOG_DIR/fence-events.log") line(s) in fence-events.log"
            fi
        elif [ "$ops" = 0 ]; then
            class=before
            # Its dot-temp file: the agent had started its recorder (which
            # comes first), so a kill could not take the recorder too.
            for f in "$NNF_FENCE_REQUEST_DIR/.$node"-*.json.tmp; do
                [ -f "$f" ] && class=before-temp
            done
        else
            row=$(sql "select status || ': ' || coalesce(message, '') from operations where target_node = '$node'")
            case $row in
            "terminated: the agent was killed before its request was published"*) class=unpublished ;;
            *) class=other
               echo "$row" | sed 's/ (Pacemaker kills[^)]*)//' | cut -c1-200 >> "$S/other" ;;
            esac
        fi
        echo "$node $us $rc $class" >> "$S/classes"
    done < "$S/runs"
    count() { grep -c " $1\$" "$S/classes"; }
    temp=$(count before-temp)
    before=$(( $(count before) + temp )) unpublished=$(count unpublished) recorded=$(count recorded)
    lost=$(count lost) other=$(count other)
    exited=$(grep -c ' 0 recorded$' "$S/classes")

    # b. Nothing recorded as killed before publication was published.
    sql "select target_node, op_uuid from operations where status = 'terminated' and
         message like '%before its request was published%'" | tr '|' ' ' > "$S/unpublished"
    while read -r node id; do
        for f in "$NNF_FENCE_REQUEST_DIR/$node-$id.json" "$NNF_FENCE_RESPONSE_DIR/$node-$id.json"; do
            [ -e "$f" ] && fail "$node is recorded as killed before publication, but $f exists"
        done
    done < "$S/unpublished"

    echo "FIGURE group kill: $GK_RUNS runs in $took s (seed $GK_SEED; a fence takes $((GK_FULL_US / 1000)) ms, its request is out after $((GK_PUB_US / 1000)) ms): $before killed before the recorder's spawn returned (no request, no record; $temp of them leaving a dot-temp request), $unpublished recorded unpublished, $recorded requested and recorded ($exited exited before the kill), $other recorded otherwise, $lost lost"
    if [ "$other" -gt 0 ]; then
        sort "$S/other" | uniq -c | sort -rn | while read -r k text; do
            echo "FIGURE group kill: $k without a request recorded as [$text...]"
        done
    fi
    # check names every fence whose files have no operation, at any age
    # (--fence-timeout 0s): the lost ones, and nothing else. The dot-temp
    # files of agents killed while writing are not fences (nothing reached
    # the storage system), and every request is answered by now.
    "$FENCECTL" check --fence-timeout 0s > "$S/check.out" 2>&1
    check_rc=$?
    named=$(sed -n 's/^PROBLEM: \([0-9]*\) fence(s) of this node have request or response files but no operation.*/\1/p' \
        "$S/check.out")
    [ "$lost" -eq 0 ] || fail "$lost fence(s) whose request reached the storage system have no operation" \
        "(fencectl check names ${named:-none} of them)"
    # A dot-temp request is written after the recorder's spawn returned:
    # the kill could not take the recorder, which records it unpublished.
    [ "$temp" -eq 0 ] || fail "$temp run(s) left a dot-temp request and no record"
    [ "$other" -eq 0 ] || fail "$other run(s) without a request recorded otherwise than as unpublished: $(sort -u "$S/other")"
    [ -z "$named" ] || fail "fencectl check names $named lost fence(s) the files do not show: $(cat "$S/check.out")"
    [ "$check_rc" -eq 0 ] || fail "fencectl check exited $check_rc: $(cat "$S/check.out")"
    [ $((before + unpublished + recorded + other)) -eq "$GK_RUNS" ] || fail "runs unaccounted for"
    expect_sql 0 "select count(*) from operations where status = 'running'"
    expect_sql ok "pragma integrity_check"
}
