# A real one-node corosync + Pacemaker cluster for the end-to-end tests,
# following shared/reference/pacemaker-lab.md. lab_up and lab_down are the
# suite_setup and suite_teardown of test_pacemaker.sh. It runs in the
# suite's private machine (tests/e2e/machine.sh): corosync.conf, the CIB
# files and the installed agent it writes are that machine's, never the
# host's. Daemons are stopped by their PIDs, never by name.
#
# Reusable pieces (other suites may call them):
#   lab_up_with_absent_node NODE   the cluster with a second nodelist entry
#                                  NODE that never joins (two_node, no
#                                  wait_for_all): Pacemaker fences it by its
#                                  own decision once startup-fencing is on
#   lab_startup_fencing true|false the cluster property (off at bring-up)
#   lab_restart                    pacemakerd and corosync stopped and started
#                                  again, the CIB kept (history is lost)
#   lab_protect_path PATH          PATH moved aside now, put back by lab_down
#                                  (for paths outside /etc, /var and /usr,
#                                  which the machine does not overlay)
#   lab_device / lab_device_remove a fence_recorder device for a test

# In the machine's /var: private to the suite.
LAB=/var/tmp/fence-recorder-lab
LAB_PACKAGES="corosync pacemaker pacemaker-cli-utils"
AGENT_PATH=/usr/sbin/fence_recorder
# Where the agent finds its recorder (make install's LIBEXECDIR).
RECORDER_PATH=/usr/lib/fence-recorder/fr-recorder
CIB_DIR=/var/lib/pacemaker/cib

# stop_pid PIDFILE SECONDS: TERM, wait, then KILL.
stop_pid() {
    [ -s "$1" ] || return 0
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null || { rm -f "$1"; return 0; }
    if ! wait_until "$2" sh -c "! kill -0 $pid"; then
        echo "pid $pid did not stop in $2 s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$1"
}

cluster_online() {
    crm_mon -1 2>/dev/null | grep -q "Online: \[ $(hostname) \]"
}

# LAB_ABSENT_NODE: a second node that never starts (lab_up_with_absent_node).
absent_node_conf() {
    [ -n "${LAB_ABSENT_NODE:-}" ] || return 0
    printf '\n    node {\n        ring0_addr: 127.0.0.2\n        name: %s\n        nodeid: 2\n    }' "$LAB_ABSENT_NODE"
}
absent_quorum_conf() {
    [ -n "${LAB_ABSENT_NODE:-}" ] || return 0
    printf '\n    two_node: 1\n    wait_for_all: 0'
}

# The first CIB, built offline (pacemaker-lab.md, "Faster bring-up"):
# stonith enabled, a 2 s DC election, and startup fencing off so a node
# that never joins is fenced only when a test turns it on (before that,
# failed attempts without a device would use up stonith-max-attempts).
write_initial_cib() {
    cib="$LAB/cib.xml"
    cibadmin --empty > "$cib" || return 1
    for nv in stonith-enabled=true dc-deadtime=2s startup-fencing=false; do
        CIB_file="$cib" crm_attribute --type crm_config --name "${nv%%=*}" --update "${nv#*=}" \
            >/dev/null || return 1
    done
    install -o hacluster -g haclient -m 0600 "$cib" "$CIB_DIR/cib.xml"
}

write_corosync_conf() {
    cat > /etc/corosync/corosync.conf <<CONF
totem {
    version: 2
    cluster_name: fence-recorder-lab
    transport: knet
    crypto_cipher: none
    crypto_hash: none
}
nodelist {
    node {
        ring0_addr: 127.0.0.1
        name: $(hostname)
        nodeid: 1
    }$(absent_node_conf)
}
quorum {
    provider: corosync_votequorum$(absent_quorum_conf)
}
logging {
    to_logfile: yes
    logfile: $LAB/corosync.log
    to_stderr: no
    to_syslog: no
}
CONF
}

lab_up() {
    # The suite runs in a private machine (run.sh, "#machine:"): corosync.conf,
    # the CIB, /usr/sbin/fence_recorder and /run are that machine's own, and
    # a cluster on the host cannot disturb it. Anywhere else it refuses: a
    # real-cluster test that cannot run fails, it never skips.
    if [ "$(cat /proc/1/comm 2>/dev/null)" != ns-init ]; then
        echo "the Pacemaker suites run only in a private machine: sh tests/run.sh (tests/e2e/machine.sh)"
        return 1
    fi
    sh "$TOP/tools/ensure-debs.sh" $LAB_PACKAGES || return 1
    rm -rf "$LAB"
    mkdir -p "$LAB"
    write_corosync_conf
    rm -f /var/lib/pacemaker/cib/cib* /var/lib/pacemaker/pengine/* /var/lib/corosync/ringid_* 2>/dev/null
    write_initial_cib || { echo "cannot build the initial CIB"; return 1; }
    install -m 0755 "$BUILD/fence_recorder" "$AGENT_PATH" || return 1
    install -D -m 0755 "$BUILD/fr-recorder" "$RECORDER_PATH" || return 1
    install -D -m 0755 "$BUILD/fr-recorder-write" "$RECORDER_PATH-write" || return 1
    started=$(date +%s)
    lab_start || return 1
    echo "cluster up in $(( $(date +%s) - started )) s"
}

lab_up_with_absent_node() {
    LAB_ABSENT_NODE=$1
    lab_up
}

lab_start() {
    corosync -f > "$LAB/corosync.out" 2>&1 &
    echo $! > "$LAB/corosync.pid"
    wait_until 15 corosync-quorumtool -s || { echo "corosync not quorate"; tail "$LAB/corosync.log"; return 1; }
    pacemakerd -f > "$LAB/pacemakerd.out" 2>&1 &
    echo $! > "$LAB/pacemakerd.pid"
    wait_until 60 cluster_online || { echo "pacemaker not online after 60 s"; crm_mon -1; return 1; }
}

lab_restart() {
    stop_pid "$LAB/pacemakerd.pid" 30
    stop_pid "$LAB/corosync.pid" 15
    lab_start
}

lab_startup_fencing() {
    crm_attribute --type crm_config --name startup-fencing --update "$1" >/dev/null
}

# lab_protect_path PATH: moves PATH aside (if it exists) until lab_down, so
# a test may use the README's real paths without touching what was there.
lab_protect_path() {
    mkdir -p "$LAB/backup/paths"
    key=$(printf '%s' "$1" | tr / _)
    echo "$1" >> "$LAB/backup/paths/list"
    [ -e "$1" ] && mv "$1" "$LAB/backup/paths/$key"
    return 0
}

restore_paths() {
    [ -f "$LAB/backup/paths/list" ] || return 0
    while IFS= read -r p; do
        key=$(printf '%s' "$p" | tr / _)
        rm -rf "$p"
        [ -e "$LAB/backup/paths/$key" ] && mv "$LAB/backup/paths/$key" "$p"
    done < "$LAB/backup/paths/list"
    rm -rf "$LAB/backup/paths"
}

lab_down() {
    stop_pid "$LAB/pacemakerd.pid" 30
    stop_pid "$LAB/corosync.pid" 15
    restore_paths
}

# lab_device ID NODE [NAME=VALUE ...]: a fence_recorder device for NODE
# with this test's directories, registered before it returns.
lab_device() {
    id=$1; node=$2; shift 2
    nv="<nvpair id=\"$id-plug\" name=\"plug\" value=\"$node\"/>"
    nv="$nv<nvpair id=\"$id-hl\" name=\"pcmk_host_list\" value=\"$node\"/>"
    n=0
    given=" "
    # The caller's parameters first; a default only where none was given.
    for kv in "$@" "request_dir=$NNF_FENCE_REQUEST_DIR" "response_dir=$NNF_FENCE_RESPONSE_DIR" \
              "log_dir=$LOG_DIR" "db=$DB" "filesystem_discovery=false"; do
        case "$given" in *" ${kv%%=*} "*) continue ;; esac
        given="$given${kv%%=*} "
        n=$((n + 1))
        nv="$nv<nvpair id=\"$id-p$n\" name=\"${kv%%=*}\" value=\"${kv#*=}\"/>"
    done
    cibadmin --create --scope resources -X "<primitive id=\"$id\" class=\"stonith\" type=\"fence_recorder\"><instance_attributes id=\"$id-ia\">$nv</instance_attributes><operations><op id=\"$id-mon\" name=\"monitor\" interval=\"${LAB_MONITOR_INTERVAL:-60s}\"/></operations></primitive>" \
        || fail "cannot create device $id"
    wait_until 20 sh -c "stonith_admin --list-registered | grep -qx '$id'" || fail "device $id not registered"
}

lab_device_remove() {
    cibadmin --delete --scope resources -X "<primitive id=\"$1\"/>" >/dev/null 2>&1
    return 0
}

# Pacemaker runs the agent, so a test cannot wait for that agent's
# recorder by pid; the record follows the agent's exit by milliseconds.
# In the Pacemaker suites an expected record or log line is therefore
# awaited (up to 30 s) rather than read once.
expect_sql() {
    eventually_sql "$@"
}

expect_file_contains() {
    eventually_file_contains "$@"
}
