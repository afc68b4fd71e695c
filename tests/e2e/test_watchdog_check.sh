# The watchdog daemon's storage-fence check, fence-recorder-check (check/):
# exits 1 only when a successful response fences this node from a fence
# made after this boot; 0 for everything it cannot confirm. The
# hard-reboot variant runs ONLY inside a new PID namespace, where reboot(2)
# ends the namespace's init and never the machine (see in_pid_namespace).
# Sourced by runner.sh; each test_* runs in its own scratch dir $S.

CHECK="$BUILD/fence-recorder-check"
CHECK_HR="$BUILD/fence-recorder-check-hardreboot"

# The configuration every test starts from: this node is node1 (crm_node
# is not asked), nothing goes to the host's syslog.
check_env() {
    export FENCE_RECORDER_CHECK_CONF="$S/check.conf"
    export FENCE_RECORDER_SYSLOG=false
    printf 'node = node1\n' > "$S/check.conf"
}

btime() {
    awk '/^btime/ { print $2 }' /proc/stat
}

iso() {
    date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000Z
}

new_id() {
    cat /proc/sys/kernel/random/uuid
}

# respond NODE SUCCESS [TIMESTAMP]: a response as nnf-sos writes it, the
# request's timestamp echoed (none when TIMESTAMP is "-"). Prints its path.
respond() {
    id=$(new_id)
    ts=${3:-$(iso "$(date +%s)")}
    if [ "$ts" = - ]; then
        body=$(printf '{"request_id": "%s", "action": "off", "target_node": "%s", "success": %s, "message": "m", "action_performed": "off"}' "$id" "$1" "$2")
    else
        body=$(printf '{"request_id": "%s", "timestamp": "%s", "action": "off", "target_node": "%s", "success": %s, "message": "m", "action_performed": "off"}' "$id" "$ts" "$1" "$2")
    fi
    write_response "$1" "$id" "$body"
    echo "$NNF_FENCE_RESPONSE_DIR/$1-$id.json"
}

# run_check ARGS...: the check's exit status in rc, its stderr in $S/err.
run_check() {
    ${FR_WRAP:-} "$CHECK" "$@" > "$S/out" 2> "$S/err"
    rc=$?
}

expect_rc() {
    [ "$rc" -eq "$1" ] || fail "expected exit $1, got $rc ($2); stderr: $(cat "$S/err")"
}

test_watchdog_check_healthy_without_response() {
    check_env
    run_check test
    expect_rc 0 "no response"
    [ ! -s "$S/err" ] || fail "a healthy check said: $(cat "$S/err")"
    run_check
    expect_rc 0 "no argument is test"
}

test_watchdog_check_fenced_by_a_response_made_after_boot() {
    check_env
    f=$(respond node1 true)
    run_check test
    expect_rc 1 "fenced after boot"
    grep -q "node node1 is storage-fenced: .*$(basename "$f") says success" "$S/err" \
        || fail "no clear message: $(cat "$S/err")"
    grep -q "(its timestamp), after this boot at" "$S/err" || fail "no times: $(cat "$S/err")"
    # Node names match ignoring case, as Pacemaker's.
    rm -f "$f"
    respond NODE1 true > /dev/null
    run_check test
    expect_rc 1 "NODE1 is node1"
}

# A node that was fenced and rebooted keeps its response until Pacemaker
# unfences it after it joins: no reboot loop.
test_watchdog_check_old_response_from_before_boot_is_not_a_fence() {
    check_env
    respond node1 true "$(iso $(($(btime) - 3600)))" > /dev/null
    respond node1 true "$(iso "$(btime)")" > /dev/null   # a tie is before
    run_check test
    expect_rc 0 "fenced before this boot"
}

# Without a usable timestamp (none, or naive local time) the file's
# modification time says when.
test_watchdog_check_uses_mtime_without_a_timestamp() {
    check_env
    f=$(respond node1 true -)
    touch -d "@$(($(btime) - 60))" "$f"
    g=$(respond node1 true "2099-01-01T00:00:00")   # no offset: not a point in time
    touch -d "@$(($(btime) - 60))" "$g"
    run_check test
    expect_rc 0 "old mtimes"
    touch "$g"
    run_check test
    expect_rc 1 "new mtime, naive timestamp"
    grep -q "(its modification time)" "$S/err" || fail "not said: $(cat "$S/err")"
}

test_watchdog_check_failed_response_is_not_a_fence() {
    check_env
    respond node1 false > /dev/null
    run_check test
    expect_rc 0 "success false"
}

test_watchdog_check_other_nodes_responses_are_not_this_nodes() {
    check_env
    respond node2 true > /dev/null
    respond node10 true > /dev/null
    respond node true > /dev/null
    run_check test
    expect_rc 0 "other nodes"
}

# A response time more than clock_skew ahead of this clock: a clock is
# wrong (as after a boot on a bad hardware clock, before NTP): no reboot.
test_watchdog_check_fence_in_the_future_is_a_doubt() {
    check_env
    respond node1 true "$(iso $(($(date +%s) + 3600)))" > /dev/null
    run_check test
    expect_rc 0 "a fence an hour ahead"
    grep -q "ahead of this clock" "$S/err" || fail "not said: $(cat "$S/err")"
    printf 'node = node1\nclock_skew = 7200\n' > "$S/check.conf"
    run_check test
    expect_rc 1 "within clock_skew"
}

test_watchdog_check_unreadable_directory_exits_0_and_says_so() {
    check_env
    export NNF_FENCE_RESPONSE_DIR="$S/absent"
    run_check test
    expect_rc 0 "missing directory"
    grep -q "cannot read directory $S/absent.*not rebooting on a doubt" "$S/err" \
        || fail "not said: $(cat "$S/err")"
    : > "$S/file"
    export NNF_FENCE_RESPONSE_DIR="$S/file"
    run_check test
    expect_rc 0 "not a directory"
    grep -q "cannot be read" "$S/err" || fail "not said: $(cat "$S/err")"
    # A directory this user may not read (root reads anything: as nobody).
    if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
        mkdir -m 0700 "$S/closed"
        export NNF_FENCE_RESPONSE_DIR="$S/closed"
        chmod 0755 "$S"
        chmod 0644 "$S/check.conf"
        cp "$CHECK" "$S/check-copy"   # wherever the build is, nobody may run this copy
        setpriv --reuid=65534 --regid=65534 --clear-groups "$S/check-copy" test > "$S/out" 2> "$S/err"
        rc=$?
        expect_rc 0 "directory not readable"
        grep -q "Permission denied" "$S/err" || fail "not said: $(cat "$S/err")"
    fi
}

# retry as fence_scsi_check's: retry + 1 looks, retry_sleep apart; a
# single look without the fence is healthy.
test_watchdog_check_retry_a_fence_that_disappears_is_no_fence() {
    check_env
    printf 'node = node1\nretry = 3\nretry_sleep = 1\nverbose = yes\n' > "$S/check.conf"
    f=$(respond node1 true)
    ${FR_WRAP:-} "$CHECK" test > "$S/out" 2> "$S/err" &
    pid=$!
    wait_until 10 grep -q "looking again in 1 s" "$S/err" || fail "no first look: $(cat "$S/err")"
    rm -f "$f"
    wait "$pid"
    rc=$?
    expect_rc 0 "the fence went away between the looks"
    grep -q "healthy on a re-check" "$S/err" || fail "not said: $(cat "$S/err")"
    # The fence stays: every look sees it, then exit 1.
    printf 'node = node1\nretry = 2\nretry_sleep = 0.3\n' > "$S/check.conf"
    respond node1 true > /dev/null
    start=$(date +%s%N)
    run_check test
    took=$((($(date +%s%N) - start) / 1000000))
    expect_rc 1 "fenced on every look"
    [ "$took" -ge 600 ] || fail "3 looks 0.3 s apart took $took ms"
    grep -q "seen on every re-check" "$S/err" || fail "not said: $(cat "$S/err")"
}

# watchdog(8), TEST DIRECTORY: "test", then after a failure "repair CODE";
# a repair that cannot repair exits non-zero (the code) so watchdog reboots.
test_watchdog_check_test_and_repair_arguments_as_watchdog_passes_them() {
    check_env
    respond node1 true > /dev/null
    run_check test
    expect_rc 1 "test"
    code=$rc
    run_check repair "$code"
    expect_rc "$code" "repair $code"
    run_check repair 42
    expect_rc 42 "repair 42"
    run_check repair 0
    expect_rc 0 "repair 0"
    for bad in "repair" "repair x" "repair 256" "repair -1" "repair 1 2"; do
        # shellcheck disable=SC2086
        run_check $bad
        expect_rc 1 "$bad keeps watchdog's reboot"
        grep -q "repair wants one exit code" "$S/err" || fail "$bad: not said: $(cat "$S/err")"
    done
    # A repair does no I/O: it answers even with a configuration in error.
    printf 'retry = many\n' > "$S/check.conf"
    run_check repair 1
    expect_rc 1 "repair without a valid configuration"
    # Arguments watchdog never passes: not checked, exit 0, said.
    run_check --frobnicate
    expect_rc 0 "unknown argument"
    grep -q "unknown arguments" "$S/err" || fail "not said: $(cat "$S/err")"
    run_check test extra
    expect_rc 0 "test with an extra argument"
    run_check --help
    expect_rc 0 "--help"
    grep -q "repair CODE" "$S/out" || fail "help: $(cat "$S/out")"
}

# A configuration in error never reboots a node (a typo copied to every
# node would reboot the cluster), but it says so on every run; --validate
# exits 1 on it, for people and deployment tools.
test_watchdog_check_bad_config_exits_0_loudly_and_validate_fails() {
    check_env
    respond node1 true > /dev/null
    for conf in 'retry = many' 'retry = -1' 'retry = 1.5' 'retry_sleep = 61' 'timeout = 0' \
                'colour = blue' 'node = ../x' 'response_dir = relative' 'verbose = perhaps' \
                'just words' 'clock_skew = 1e9' 'node = a
node = b' 'retry = 10
retry_sleep = 5
timeout = 30'; do
        printf '%s\n' "$conf" > "$S/check.conf"
        run_check test
        expect_rc 0 "bad config: $conf"
        grep -q "THE STORAGE-FENCE CHECK IS NOT RUNNING: $S/check.conf:" "$S/err" \
            || fail "$conf: not said loudly: $(cat "$S/err")"
        run_check --validate
        expect_rc 1 "--validate of: $conf"
    done
    # A good one: comments, blanks, spaces, the fence_scsi spelling of retry-sleep.
    printf '# storage-fence check\n\n  node=node1 \nretry = 1\nretry-sleep = 0.1\ntimeout = 5\nresponse_dir = %s\n' \
        "$NNF_FENCE_RESPONSE_DIR" > "$S/check.conf"
    run_check --validate
    expect_rc 0 "--validate of a good file"
    grep -q '^node: node1 (from the configuration)$' "$S/out" || fail "validate: $(cat "$S/out")"
    grep -q '^retry_sleep: 0.1$' "$S/out" || fail "validate: $(cat "$S/out")"
    run_check test
    expect_rc 1 "good config, fenced"
    # No file: the defaults (the agent's response directory, from the environment here).
    rm -f "$S/check.conf"
    run_check --validate
    expect_rc 0 "no file"
    grep -q "^response_dir: $NNF_FENCE_RESPONSE_DIR$" "$S/out" || fail "validate: $(cat "$S/out")"
}

# Response files are read as the agent reads them: no symlink followed,
# nothing over 1 MiB, only protocol names.
test_watchdog_check_symlinks_large_files_and_other_names_are_no_fence() {
    check_env
    mkdir "$S/elsewhere"
    f=$(respond node1 true)
    mv "$f" "$S/elsewhere/"
    ln -s "$S/elsewhere/$(basename "$f")" "$f"
    cp "$S/elsewhere/$(basename "$f")" "$NNF_FENCE_RESPONSE_DIR/node1-not-a-uuid.json"
    cp "$S/elsewhere/$(basename "$f")" "$NNF_FENCE_RESPONSE_DIR/.node1-$(new_id).json.tmp"
    run_check test
    expect_rc 0 "symlink and other names"
    id=$(new_id)
    { printf '{"request_id": "%s", "timestamp": "%s", "target_node": "node1", "success": true, "pad": "' \
          "$id" "$(iso "$(date +%s)")"
      head -c 1100000 /dev/zero | tr '\0' x
      printf '"}\n'; } > "$NNF_FENCE_RESPONSE_DIR/node1-$id.json"
    run_check test
    expect_rc 0 "a response over 1 MiB"
}

# The node's name: the configuration's, else `crm_node -n` (bounded in
# time), else the kernel's nodename.
test_watchdog_check_node_name_from_crm_node_then_uname() {
    check_env
    : > "$S/check.conf"
    mkdir "$S/bin"
    printf '#!/bin/sh\necho NodeX\n' > "$S/bin/crm_node"
    chmod 0755 "$S/bin/crm_node"
    respond nodex true > /dev/null
    PATH="$S/bin:$PATH" run_check test
    expect_rc 1 "crm_node -n says NodeX"
    # crm_node fails (Pacemaker down): the kernel's nodename.
    printf '#!/bin/sh\necho "error: Could not connect to controller" >&2\nexit 102\n' > "$S/bin/crm_node"
    PATH="$S/bin:$PATH" run_check test
    expect_rc 0 "not nodex"
    respond "$(uname -n)" true > /dev/null
    PATH="$S/bin:$PATH" run_check test
    expect_rc 1 "uname -n"
    # crm_node hangs: given up after 5 s, then uname.
    printf '#!/bin/sh\necho $$ > %s/crm_node.pid\nexec sleep 60\n' "$S" > "$S/bin/crm_node"
    start=$(date +%s)
    PATH="$S/bin:$PATH" run_check test
    expect_rc 1 "uname -n after crm_node hung"
    [ $(($(date +%s) - start)) -le 15 ] || fail "crm_node not bounded in time"
}

# A check that hangs past its timeout is a doubt: exit 0 in time.
test_watchdog_check_timeout_is_a_doubt() {
    check_env
    : > "$S/check.conf"
    printf 'timeout = 2\n' > "$S/check.conf"
    mkdir "$S/bin"
    printf '#!/bin/sh\necho $$ > %s/crm_node.pid\nexec sleep 60\n' "$S" > "$S/bin/crm_node"
    chmod 0755 "$S/bin/crm_node"
    respond "$(uname -n)" true > /dev/null
    start=$(date +%s)
    PATH="$S/bin:$PATH" run_check test
    expect_rc 0 "timed out"
    [ $(($(date +%s) - start)) -le 4 ] || fail "timeout = 2 not kept"
    grep -q "did not finish within timeout (2 s)" "$S/err" || fail "not said: $(cat "$S/err")"
}

# in_pid_namespace SCRIPT ARGS...: runs SCRIPT with sh as PID 1 of a new
# PID namespace (its own /proc). The script starts only after it has
# proved it is there: its PID is 1 and its PID namespace is not this
# one's; else it exits 90 before running anything. reboot(2) from inside
# ends that namespace's init, which its parent sees killed by SIGHUP
# (a restart), and touches nothing else.
in_pid_namespace() {
    script=$1
    shift
    outer=$(readlink /proc/self/ns/pid)
    [ -n "$outer" ] || fail "cannot read this PID namespace"
    unshare --pid --fork --mount-proc sh -c '
        outer=$1; shift
        [ "$$" -eq 1 ] || { echo "REFUSED: not PID 1 of a new PID namespace" >&2; exit 90; }
        inner=$(readlink /proc/self/ns/pid)
        [ -n "$inner" ] && [ "$inner" != "$outer" ] \
            || { echo "REFUSED: still in the outer PID namespace" >&2; exit 90; }
        '"$script" sh "$outer" "$@"
}

# The hard-reboot variant, only ever inside a new PID namespace: fenced,
# it calls reboot(2) itself (the namespace's init dies by SIGHUP and the
# line after it never runs); healthy, it exits 0; repair exits the code.
test_watchdog_check_hardreboot_only_inside_a_pid_namespace() {
    check_env
    [ "$(id -u)" -eq 0 ] || skip_test "unshare --pid needs root"
    command -v unshare > /dev/null || skip_test "no unshare"
    unshare --pid --fork --mount-proc true 2> /dev/null || skip_test "cannot create a PID namespace here"
    # The guard itself: a script run outside a new namespace is refused.
    sh -c '[ "$$" -eq 1 ] || exit 90' && fail "the guard would not refuse outside a namespace"
    in_pid_namespace '"$1" test; echo "exit $?" > "$2/after"' "$CHECK_HR" "$S" 2> "$S/err"
    rc=$?
    expect_rc 0 "healthy: the namespace's init went on"
    [ "$(cat "$S/after")" = "exit 0" ] || fail "healthy hardreboot check: $(cat "$S/after")"
    in_pid_namespace '"$1" repair 7; echo "exit $?" > "$2/after"' "$CHECK_HR" "$S" 2> "$S/err"
    rc=$?
    expect_rc 0 "repair"
    [ "$(cat "$S/after")" = "exit 7" ] || fail "repair 7: $(cat "$S/after")"
    rm -f "$S/after"
    respond node1 true > /dev/null
    in_pid_namespace '"$1" test; echo "exit $?" > "$2/after"' "$CHECK_HR" "$S" 2> "$S/err"
    rc=$?
    # unshare dies by the signal its child (the namespace's init) died by.
    expect_rc 129 "fenced: reboot(2) ended the namespace's init by SIGHUP"
    [ ! -e "$S/after" ] || fail "the namespace's init ran on after reboot(2): $(cat "$S/after")"
    grep -q "node node1 is storage-fenced" "$S/err" || fail "no verdict: $(cat "$S/err")"
    grep -q "rebooting this node now with reboot(2), without sync" "$S/err" \
        || fail "no reboot message: $(cat "$S/err")"
}
