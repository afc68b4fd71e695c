# A real three-node corosync 3 (knet) + Pacemaker cluster for the
# multi-node suite, inside the suite's private machine. Each node is a
# machine of its own (tests/e2e/machine.sh: mount, UTS, network and PID
# namespaces, its own /etc, /var, /usr and /run), plugged into a "switch":
# a bridge in a network namespace of its own, one veth port per node. The
# addresses (10.77.0.N) exist only inside these namespaces.
#
#   cl_up                      boot n1..n3, wait for 3 online, create the
#                              storage-fence device, switch stonith on
#   cl_down                    every node off (the suite's machine ends the rest)
#   cl_boot N / cl_kill N      power a node on / off (SIGKILL of its PID 1:
#                              nothing of it runs a moment later)
#   cl_isolate N / cl_heal N   its switch port down / up (a partition)
#   cl_in N CMD...             CMD inside node N (its cluster view, its files)
#   cl_responder [ARGS...]     (re)start the storage system's stand-in
#   cl_db N / cl_logdir N      node N's record, as the test reads it
#
# A node's disk (the overlays' writes, its record) lives in $MN/nodes/N
# and survives a power-off, as a real node's does. Every long-lived process
# is started by PID, killed by PID. Needs tests/e2e/lib.sh (wait_until).

CL_NODES="n1 n2 n3"
CL_SUBNET=10.77.0
CL_PACKAGES="corosync pacemaker pacemaker-cli-utils iproute2"
CL_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

cl_ip() { echo "$CL_SUBNET.${1#n}"; }
cl_db() { echo "$MN/nodes/$1/fr/db/fence-recorder.db"; }
cl_logdir() { echo "$MN/nodes/$1/fr/log"; }
cl_pcmk_log() { echo "$MN/nodes/$1/disk/var.upper/log/pacemaker/pacemaker.log"; }
cl_now() { date +%s.%N; }
# cl_secs FROM TO: TO - FROM in seconds, two decimals.
cl_secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# figure NAME VALUE: a measured figure, printed by the runner next to PASS
# (never an assertion: the machine is shared).
figure() { echo "FIGURE $*"; }

# ------------------------------------------------------------ the switch
cl_switch_pid() { cat "$MN/run/switch.pid" 2>/dev/null; }
cl_switch_up() {
    unshare --net sleep infinity </dev/null >/dev/null 2>&1 &
    echo $! > "$MN/run/switch.pid"
    wait_until 5 nsenter -t "$(cl_switch_pid)" -n true || return 1
    nsenter -t "$(cl_switch_pid)" -n sh -c \
        'ip link set lo up && ip link add mnbr0 type bridge && ip link set mnbr0 up'
}

# ------------------------------------------------------------ nodes
# The host-side PID of node N's PID 1 (ns-init): the only child of the
# unshare process started by cl_boot.
cl_init_pid() {
    local u
    u=$(cat "$MN/run/$1.unshare" 2>/dev/null) || return 1
    [ -n "$u" ] && cut -d' ' -f1 "/proc/$u/task/$u/children" 2>/dev/null | grep .
}
cl_alive() { local p; p=$(cl_init_pid "$1") && kill -0 "$p" 2>/dev/null; }
# cl_in N CMD...: CMD inside node N, as its administrator runs it: a clean
# environment (none of the test's paths), so fencectl finds the device's
# paths in that node's CIB.
cl_in() {
    local node=$1 p
    shift
    p=$(cl_init_pid "$node") || { echo "$node is not running" >&2; return 1; }
    nsenter -t "$p" -n -m -u -p --wd=/tmp -- env -i PATH="$CL_PATH" HOME=/root LANG=C.UTF-8 "$@"
}

cl_corosync_conf() {
    printf 'totem {\n    version: 2\n    cluster_name: fr-mn\n    transport: knet\n'
    printf '    crypto_cipher: none\n    crypto_hash: none\n}\nnodelist {\n'
    for m in $CL_NODES; do
        printf '    node {\n        ring0_addr: %s\n        name: %s\n        nodeid: %s\n    }\n' \
            "$(cl_ip "$m")" "$m" "${m#n}"
    done
    printf '}\nquorum {\n    provider: corosync_votequorum\n}\n'
    printf 'logging {\n    to_logfile: yes\n    logfile: /var/log/pacemaker/corosync.log\n'
    printf '    to_stderr: no\n    to_syslog: no\n    timestamp: hires\n}\n'
}

# The first CIB, built offline: a quick DC election, stonith off until the
# device exists (else startup fencing would use up its attempts).
cl_initial_cib() {
    cibadmin --empty > "$MN/cib.xml" || return 1
    for nv in stonith-enabled=false dc-deadtime=5s cluster-recheck-interval=1min; do
        CIB_file="$MN/cib.xml" crm_attribute --type crm_config --name "${nv%%=*}" \
            --update "${nv#*=}" >/dev/null || return 1
    done
}

# cl_boot N: power on. The node runs cluster_node.sh in its own machine on
# its own disk; the switch port is plugged in once its PID 1 exists.
cl_boot() {
    local n=$1 sw
    cl_alive "$n" && return 0
    mkdir -p "$MN/nodes/$n/disk" "$MN/nodes/$n/fr/log" "$MN/nodes/$n/fr/db"
    # A node's environment is its own: Pacemaker hands its environment on
    # to the agents it runs, and none of the test's paths may reach them.
    env -i PATH="$CL_PATH" LANG=C.UTF-8 MN="$MN" CL_IP="$(cl_ip "$n")" BUILD="$BUILD" TOP="$TOP" \
        sh "$TOP/tests/e2e/machine.sh" "$MN/nodes/$n/disk" "$n" \
        sh "$TOP/tests/e2e/cluster_node.sh" "$n" </dev/null >>"$MN/nodes/$n/boot.log" 2>&1 &
    echo $! > "$MN/run/$n.unshare"
    wait_until 10 cl_init_pid "$n" || { echo "$n: no PID 1"; cat "$MN/nodes/$n/boot.log"; return 1; }
    date +%s.%N > "$MN/run/$n.powered-on"
    sw=$(cl_switch_pid)
    nsenter -t "$sw" -n ip link del "sw-$n" 2>/dev/null
    nsenter -t "$sw" -n ip link add "sw-$n" type veth peer name eth0 netns "$(cl_init_pid "$n")" &&
        nsenter -t "$sw" -n ip link set "sw-$n" master mnbr0 up
}

# cl_kill N: power off: SIGKILL of its PID 1 ends every process of the node.
cl_kill() {
    local p
    p=$(cl_init_pid "$1") || return 0
    kill -KILL "$p"
    wait_until 10 sh -c "! kill -0 $p" || return 1
    wait "$(cat "$MN/run/$1.unshare")" 2>/dev/null
    rm -f "$MN/run/$1.unshare"
}

cl_isolate() { nsenter -t "$(cl_switch_pid)" -n ip link set "sw-$1" down; }
cl_heal() { nsenter -t "$(cl_switch_pid)" -n ip link set "sw-$1" up; }

# cl_online OBSERVER NODE...: OBSERVER's crm_mon shows exactly NODE... online.
cl_online() {
    local obs=$1
    shift
    cl_in "$obs" crm_mon -1 2>/dev/null | grep -q "Online: \[ $* \]"
}

# cl_dc OBSERVER: the DC's name as OBSERVER's crm_mon tells it.
cl_dc() {
    cl_in "$1" crm_mon -1 --output-as=xml 2>/dev/null |
        sed -n 's/.*<current_dc [^>]*name="\([^"]*\)".*/\1/p'
}

# ------------------------------------------------------------ storage system
cl_responder() {
    local rp
    if [ -s "$MN/run/responder.pid" ]; then
        rp=$(cat "$MN/run/responder.pid")
        kill "$rp" 2>/dev/null
        wait_until 5 sh -c "! kill -0 $rp"
        rm -f "$MN/run/responder.pid"
    fi
    [ "${1:-}" = off ] && return 0
    "$RESPONDER" --serve --request-dir "$MN/shared/req" --response-dir "$MN/shared/resp" \
        --poll-ms 100 --pid-file "$MN/run/responder.pid" -q "$@" >>"$MN/responder.log" 2>&1 &
    wait_until 5 test -s "$MN/run/responder.pid"
}

# The device every node uses: its paths are the same on every node, and the
# node's own record sits behind $MN/node (cluster_node.sh binds its disk there).
cl_device_xml() {
    cat <<XML
<primitive id="storage-fence" class="stonith" type="fence_recorder">
  <instance_attributes id="sf-ia">
    <nvpair id="sf-request_dir" name="request_dir" value="$MN/shared/req"/>
    <nvpair id="sf-response_dir" name="response_dir" value="$MN/shared/resp"/>
    <nvpair id="sf-log_dir" name="log_dir" value="$MN/node/log"/>
    <nvpair id="sf-db" name="db" value="$MN/node/db/fence-recorder.db"/>
    <nvpair id="sf-fence_timeout" name="fence_timeout" value="60"/>
    <nvpair id="sf-filesystem_discovery" name="filesystem_discovery" value="true"/>
    <nvpair id="sf-pcmk_host_list" name="pcmk_host_list" value="$CL_NODES"/>
    <nvpair id="sf-pcmk_reboot_action" name="pcmk_reboot_action" value="off"/>
    <nvpair id="sf-pcmk_off_timeout" name="pcmk_off_timeout" value="90"/>
    <nvpair id="sf-pcmk_reboot_timeout" name="pcmk_reboot_timeout" value="90"/>
    <nvpair id="sf-pcmk_off_retries" name="pcmk_off_retries" value="1"/>
    <nvpair id="sf-pcmk_reboot_retries" name="pcmk_reboot_retries" value="1"/>
  </instance_attributes>
  <meta_attributes id="sf-meta">
    <nvpair id="sf-provides" name="provides" value="unfencing"/>
  </meta_attributes>
  <operations>
    <op id="sf-monitor-60s" name="monitor" interval="60s"/>
  </operations>
</primitive>
XML
}

# cl_device_registered N: how many times node N's fencer has registered the
# device (it logs "Added" at start and on every change of its parameters;
# an unchanged device is "already in device list").
cl_device_registered() {
    local count
    count=$(grep -c "Added 'storage-fence' to device list" "$(cl_pcmk_log "$1")" 2>/dev/null)
    echo "${count:-0}"
}

# cl_device_registered_after N COUNT: node N's fencer has registered the
# device more than COUNT times; for wait_until.
cl_device_registered_after() { [ "$(cl_device_registered "$1")" -gt "$2" ]; }

# cl_set_device OBSERVER NAME=VALUE...: device parameters (each already in
# cl_device_xml), in one change of the CIB; returns once the fencer of every
# running node has registered the device again, so a fence that follows
# runs with them (crm_resource sets one at a time, and returns once the CIB
# has it, before the fencers do).
cl_set_device() {
    local observer=$1 n pair nvpairs=
    shift
    for pair in "$@"; do
        nvpairs="$nvpairs<nvpair id=\"sf-${pair%%=*}\" name=\"${pair%%=*}\" value=\"${pair#*=}\"/>"
    done
    for n in $CL_NODES; do
        cl_alive "$n" && eval "registered_$n=$(cl_device_registered "$n")"
    done
    cl_in "$observer" cibadmin --modify --scope resources \
        -X "<primitive id=\"storage-fence\"><instance_attributes id=\"sf-ia\">$nvpairs</instance_attributes></primitive>" \
        || return 1
    for n in $CL_NODES; do
        cl_alive "$n" || continue
        eval "before=\$registered_$n"
        wait_until 30 cl_device_registered_after "$n" "$before" \
            || { echo "$n's fencer did not register the device's new parameters ($*) within 30 s" >&2; return 1; }
    done
}

cl_up() {
    if [ "$(cat /proc/1/comm 2>/dev/null)" != ns-init ]; then
        echo "the multi-node suite runs only in a private machine: sh tests/run.sh (tests/e2e/machine.sh)"
        return 1
    fi
    sh "$TOP/tools/ensure-debs.sh" $CL_PACKAGES || return 1
    local n t0
    MN=$(mktemp -d /tmp/fr-mn.XXXXXX) || return 1
    export MN
    chmod 0711 "$MN"   # alerts run as hacluster: the way to each node's record
    mkdir -p "$MN/run" "$MN/node" "$MN/shared/req" "$MN/shared/resp" || return 1
    cl_corosync_conf > "$MN/corosync.conf" && cl_initial_cib || return 1
    cl_switch_up || { echo "cannot make the switch"; return 1; }
    t0=$(cl_now)
    for n in $CL_NODES; do cl_boot "$n" || return 1; done
    wait_until 180 cl_online n1 $CL_NODES || { cl_in n1 crm_mon -1; echo "3 nodes not online"; return 1; }
    echo "3 nodes online $(cl_secs "$t0" "$(cl_now)") s after power-on"
    cl_responder || { echo "responder did not start"; return 1; }
    cl_in n1 cibadmin --create -o resources --xml-text "$(cl_device_xml)" || return 1
    # The record's alert agent, as the README configures it: every node
    # records every fencing and node alert.
    cl_in n1 cibadmin --create -o configuration --xml-text \
        '<alerts><alert id="fence-recorder" path="/usr/lib/fence-recorder/fence-recorder-alert"/></alerts>' || return 1
    cl_in n1 crm_attribute --type crm_config --name stonith-enabled --update true || return 1
    wait_until 60 cl_device_started n1 ||
        { cl_in n1 crm_mon -1; echo "device not started"; return 1; }
}

cl_device_started() { cl_in "$1" crm_mon -1 | grep -q 'storage-fence.*Started'; }

cl_down() {
    local n
    [ -n "${MN:-}" ] || return 0
    for n in $CL_NODES; do cl_kill "$n"; done
    cl_responder off
    [ -s "$MN/run/switch.pid" ] && kill "$(cat "$MN/run/switch.pid")" 2>/dev/null
    rm -rf "$MN"
}

# ------------------------------------------------------------ Pacemaker's view
# cl_history OBSERVER TARGET: Pacemaker's fence events for TARGET, one per
# line: action status executor (stonith_admin needs --verbose, see
# shared/lab/multinode/README.md).
cl_history() {
    cl_in "$1" stonith_admin --history "$2" --verbose --output-as=xml 2>/dev/null |
        grep '<fence_event ' | while read -r ev; do
            local a s d
            a=$(echo "$ev" | sed -n 's/.* action="\([^"]*\)".*/\1/p')
            s=$(echo "$ev" | sed -n 's/.* status="\([^"]*\)".*/\1/p')
            d=$(echo "$ev" | sed -n 's/.* delegate="\([^"]*\)".*/\1/p')
            echo "$a $s $d"
        done
}

# cl_fenced_count OBSERVER TARGET: successful reboot/off events of TARGET.
cl_fenced_count() {
    cl_history "$1" "$2" | grep -cE '^(reboot|off) success'
}

# cl_node_state OBSERVER NODE: online / offline / unclean as crm_mon says.
cl_node_state() {
    local line
    line=$(cl_in "$1" crm_mon -1 --output-as=xml 2>/dev/null | grep "<node name=\"$2\"")
    case "$line" in
    *'unclean="true"'*) echo unclean ;;
    *'online="true"'*) echo online ;;
    *) echo offline ;;
    esac
}

# cl_sql N QUERY: node N's record, read-only (sqlite3 would create an
# empty file where a node has none yet); fails where there is none.
cl_sql() {
    [ -s "$(cl_db "$1")" ] || return 1
    sqlite3 -readonly -batch -noheader -cmd ".timeout 10000" "$(cl_db "$1")" "$2"
}

# cl_sql_is N OP VALUE QUERY: node N's QUERY gives a number OP (-ge, -eq)
# VALUE; for wait_until.
cl_sql_is() {
    local got
    got=$(cl_sql "$1" "$4" 2>/dev/null) && [ -n "$got" ] && [ "$got" "$2" "$3" ]
}

# cl_executor OBSERVER TARGET: the node that executed TARGET's newest
# successful fence, as Pacemaker's history says.
cl_executor() {
    cl_history "$1" "$2" | awk '$1 ~ /^(reboot|off)$/ && $2 == "success" { print $3; exit }'
}
