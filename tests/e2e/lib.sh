# Helpers for the end-to-end tests. Each test runs in a fresh scratch
# directory S with its own request, response, log and database paths,
# passed to the agent through the same environment variables Pacemaker
# users set. Assertions print what they expected and exit non-zero.

AGENT="$BUILD/fence_recorder"
FENCECTL="$BUILD/fencectl"
RESPONDER="$BUILD/fence-recorder-responder"

setup_env() {
    S=$1
    export S
    export NNF_FENCE_REQUEST_DIR="$S/requests"
    export NNF_FENCE_RESPONSE_DIR="$S/responses"
    export LOG_DIR="$S/log"
    export FENCE_RECORDER_DB="$S/db/fence-recorder.db"
    export FILESYSTEM_DISCOVERY_ENABLED=false
    # The recorder of this build, not an installed one; under FR_WRAP
    # (valgrind) its full stage runs under it too (the first stage is a
    # static program that only waits and execs).
    export FENCE_RECORDER_RECORDER="$BUILD/fr-recorder"
    unset FENCE_RECORDER_RECORDER_WRITE
    if [ -n "${FR_WRAP:-}" ]; then
        printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$FR_WRAP" "$BUILD/fr-recorder-write" > "$S/.fr-recorder-write"
        chmod 0755 "$S/.fr-recorder-write"
        export FENCE_RECORDER_RECORDER_WRITE="$S/.fr-recorder-write"
    fi
    export POLL_INTERVAL=0.2
    export FENCE_RECORDER_TEST_RECORDERS="$S/.recorders"
    unset FENCE_TIMEOUT FENCE_LOG PCMK_service
    DB=$FENCE_RECORDER_DB
    # Under valgrind an agent is ~50x slower: 50 of them queue for the
    # database longer than the default 10 s busy timeout. Under ASan 220
    # agents at once cost about twice the CPU of the native run, whose
    # longest queue wait is 6-7 s on a 2-core VM. Those runs look for
    # memory errors; the native run holds the default timeout.
    [ -n "${FR_WRAP:-}" ] && export FENCE_RECORDER_DB_TIMEOUT=300
    [ -n "${FR_SANITIZED:-}" ] && export FENCE_RECORDER_DB_TIMEOUT=60
    mkdir -p "$S/requests" "$S/responses"
}

# create_db: the test's database, empty, created as fencectl creates one
# (the agent's monitor reads an existing database and creates none).
create_db() {
    mkdir -m 700 -p "$(dirname "$DB")"
    ${FR_WRAP:-} "$FENCECTL" import /dev/null > /dev/null || fail "cannot create the database $DB"
}

cleanup_env() {
    # Stop any responder a test left running (by its pid file, never by name).
    for pidfile in "$1"/*.pid; do
        [ -f "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null
    done
    return 0
}

# wait_until SECONDS COMMAND...: polls COMMAND (a function too) every 0.2 s
# until it succeeds; 1 if it never did. Its counters are local: the caller's
# variables (a loop's n) stay as they were.
wait_until() {
    local limit=$1 tries=0
    shift
    while ! "$@" >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -gt $((limit * 5)) ] && return 1
        sleep 0.2
    done
    return 0
}

# skip_test REASON: this machine cannot run the test; reported SKIP.
skip_test() {
    echo "SKIP: $*"
    exit 77
}

fail() {
    echo "ASSERTION FAILED: $*" >&2
    exit 1
}

# wait_recorded [SKIP]: until the recorders the agent started (after the
# first SKIP of those listed in $FENCE_RECORDER_TEST_RECORDERS) have
# written their record and exited. The recorder outlives the agent by
# design: the agent exits on the answer, the record follows.
wait_recorded() {
    [ -s "$FENCE_RECORDER_TEST_RECORDERS" ] || return 0
    for pid in $(tail -n +"$((${1:-0} + 1))" "$FENCE_RECORDER_TEST_RECORDERS"); do
        i=0
        # A zombie has finished too (whoever reaps orphans may be slow).
        while kill -0 "$pid" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
            i=$((i + 1))
            [ "$i" -gt 15000 ] && fail "recorder $pid still recording after 300 s"
            sleep 0.02
        done
    done
    return 0
}

recorders_so_far() {
    if [ -f "$FENCE_RECORDER_TEST_RECORDERS" ]; then
        wc -l < "$FENCE_RECORDER_TEST_RECORDERS"
    else
        echo 0
    fi
}

# agent ARGS...: runs the agent (under FR_WRAP when set); stdin passes
# through. Returns the agent's exit code once its record is complete.
agent() {
    agent_before=$(recorders_so_far)
    ${FR_WRAP:-} "$AGENT" "$@"
    agent_rc=$?
    wait_recorded "$agent_before"
    return $agent_rc
}

# agent_bg ARGS...: the agent in the background; AGENT_PID is its own pid
# (not a subshell's), so signals sent to it reach the agent.
agent_bg() {
    AGENT_BEFORE=$(recorders_so_far)
    ${FR_WRAP:-} "$AGENT" "$@" &
    AGENT_PID=$!
}

# wait_agent: waits for the agent_bg agent; its exit code, once its
# recorder has written the record.
wait_agent() {
    wait "$AGENT_PID"
    agent_rc=$?
    wait_recorded "$AGENT_BEFORE"
    return $agent_rc
}

# agent_stdin 'key=value lines': the agent as Pacemaker runs it.
agent_stdin() {
    agent_before=$(recorders_so_far)
    printf '%s\n' "$1" | ${FR_WRAP:-} "$AGENT"
    agent_rc=$?
    wait_recorded "$agent_before"
    return $agent_rc
}

expect_exit() {
    want=$1; shift
    "$@"
    got=$?
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want"
}

# start_responder ARGS...: the example responder in the background, ready
# when its pid file exists.
start_responder() {
    "$RESPONDER" --serve --request-dir "$NNF_FENCE_REQUEST_DIR" --response-dir "$NNF_FENCE_RESPONSE_DIR" \
        --poll-ms 100 --pid-file "$S/responder.pid" -q "$@" &
    i=0
    while [ ! -s "$S/responder.pid" ]; do
        i=$((i + 1))
        [ "$i" -gt 200 ] && fail "responder did not start"
        sleep 0.02
    done
}

# Waits for the responder alone: a bare `wait` would also wait for every
# other child of this shell, such as a cluster started by lab_up.
stop_responder() {
    [ -f "$S/responder.pid" ] || return 0
    responder_pid=$(cat "$S/responder.pid")
    kill "$responder_pid" 2>/dev/null
    rm -f "$S/responder.pid"
    wait "$responder_pid" 2>/dev/null
    return 0
}

# Like every reader should, with a busy timeout: an agent's recorder may
# be checkpointing the WAL just after the agent exited.
sql() {
    sqlite3 -batch -noheader -cmd ".timeout 10000" "$DB" "$@"
}

expect_sql() {
    want=$1; query=$2
    got=$(sql "$query")
    [ "$got" = "$want" ] || fail "query [$query] gave [$got], expected [$want]"
}

# eventually_sql WANT QUERY: the query gives WANT within 30 s. For agents
# this test did not start itself (Pacemaker's, an installed one): their
# recorder writes the record just after they exit.
eventually_sql() {
    i=0
    until [ "$(sql "$2" 2>/dev/null)" = "$1" ]; do
        i=$((i + 1))
        [ "$i" -gt 600 ] && fail "query [$2] gave [$(sql "$2" 2>&1)] for 30 s, expected [$1]"
        sleep 0.05
    done
}

expect_file_contains() {
    grep -q -- "$2" "$1" 2>/dev/null || fail "$1 does not contain [$2]"
}

# eventually_file_contains FILE PATTERN: as expect_file_contains, within
# 30 s (the recorder of an agent the test did not start writes it).
eventually_file_contains() {
    i=0
    until grep -q -- "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -gt 600 ] && fail "$1 does not contain [$2] after 30 s"
        sleep 0.05
    done
}

expect_count() {
    want=$1; shift
    got=$(ls "$@" 2>/dev/null | wc -l)
    [ "$got" -eq "$want" ] || fail "expected $want files matching $*, found $got"
}

# write_response NODE ID BODY: an atomic response, as nnf-sos writes it.
write_response() {
    printf '%s\n' "$3" > "$NNF_FENCE_RESPONSE_DIR/.$1-$2.json.tmp"
    mv "$NNF_FENCE_RESPONSE_DIR/.$1-$2.json.tmp" "$NNF_FENCE_RESPONSE_DIR/$1-$2.json"
}

# answer_fenced NODE ID: the storage system's success for that request.
answer_fenced() {
    write_response "$1" "$2" "{\"request_id\": \"$2\", \"target_node\": \"$1\", \"success\": true, \"message\": \"fenced\", \"action_performed\": \"off\"}"
}

# wait_for_request NODE: prints the request id once the agent wrote it.
wait_for_request() {
    i=0
    while :; do
        for f in "$NNF_FENCE_REQUEST_DIR/$1"-*.json; do
            if [ -f "$f" ]; then
                b=$(basename "$f" .json)
                echo "${b#"$1"-}"
                return 0
            fi
        done
        i=$((i + 1))
        [ "$i" -gt 3000 ] && fail "no request for $1 appeared within 30 s"
        sleep 0.01
    done
}

# hold_write_lock / release_write_lock: another writer (the sqlite3 shell)
# holds the database's write lock in between, as a stuck tool would.
# It waits until the lock is really held: the sqlite3 shell has no busy
# timeout of its own, and an agent's recorder may still be closing (and
# checkpointing) the database, so a bare BEGIN could fail and hold nothing.
hold_write_lock() {
    mkfifo "$S/lock.in"
    sqlite3 "$DB" < "$S/lock.in" > "$S/lock.out" 2>&1 &
    LOCK_PID=$!
    exec 3>"$S/lock.in"
    printf '.timeout 10000\nBEGIN IMMEDIATE;\nSELECT %s;\n' "'locked'" >&3
    i=0
    until grep -q '^locked$' "$S/lock.out"; do
        i=$((i + 1)); [ "$i" -gt 500 ] && fail "could not take the write lock: $(cat "$S/lock.out")"
        sleep 0.02
    done
}

release_write_lock() {
    echo "COMMIT;" >&3
    exec 3>&-
    wait "$LOCK_PID"
    rm -f "$S/lock.in" "$S/lock.out"
}

# three_fences: off node2 and reboot node3 succeed, then off node2 fails
# (the responder refuses): a small record for the fencectl suites.
three_fences() {
    start_responder
    agent -o off -n node2 || fail "fence node2"
    agent -o reboot -n node3 || fail "fence node3"
    stop_responder
    start_responder --mode failure
    agent -o off -n node2 2>/dev/null && fail "failure response accepted"
    stop_responder
}

# The test's own syslog. syslog_receiver_start binds a datagram receiver
# to $S/log.sock; with_test_syslog CMD... runs CMD in a mount namespace of
# its own where that socket is bound over /dev/log, so CMD and everything
# it starts log there: the host's syslog (or a stale socket nobody listens
# on, which makes glibc drop every message) is neither used nor touched.
# Without any /dev/log an empty file is made there for the binding and
# removed by syslog_receiver_stop, which leaves what was received, one
# message per line, in $S/syslog.
syslog_receiver_start() {
    rm -f "$S/log.sock" "$S/syslog" "$S/receiver.ready"
    python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
out = open(sys.argv[2], "w"); open(sys.argv[3], "w").close()
while True:
    m = s.recv(65536).decode("utf-8", "replace")
    if m == "END": break
    out.write(m.replace("\n", " ") + "\n"); out.flush()' \
        "$S/log.sock" "$S/syslog" "$S/receiver.ready" &
    SYSLOG_RECEIVER=$!
    wait_until 10 test -f "$S/receiver.ready" || fail "the test's syslog receiver did not start"
    # One test at a time between here and syslog_receiver_stop: suites may
    # run side by side, and one removing the /dev/log it made would undo
    # another's binding.
    exec 8>/tmp/fr-test-dev-log.lock
    flock 8 || fail "cannot lock /tmp/fr-test-dev-log.lock"
    CREATED_DEV_LOG=
    if [ ! -e /dev/log ] && [ ! -L /dev/log ]; then
        : > /dev/log || fail "cannot create /dev/log to bind the test's receiver on"
        CREATED_DEV_LOG=yes
    fi
}

with_test_syslog() {
    unshare -m --propagation private sh -c 'mount --bind "$1" /dev/log || exit 125; shift; exec "$@"' \
        sh "$S/log.sock" "$@" 8>&-
    with_rc=$?
    [ "$with_rc" -ne 125 ] || fail "cannot bind the test's syslog receiver over /dev/log"
    return $with_rc
}

# Call once whatever logs has finished: datagrams are read in order, so
# END comes after everything sent before it.
syslog_receiver_stop() {
    python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"END", sys.argv[1])' "$S/log.sock"
    wait "$SYSLOG_RECEIVER"
    [ -z "$CREATED_DEV_LOG" ] || rm -f /dev/log
    exec 8>&-
}
