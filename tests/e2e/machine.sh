# A private machine on this one: the namespaces a suite that runs a real
# cluster (or dpkg) lives in, and each node of a multi-node cluster, so
# that no test touches the host's cluster files.
#
#   sh machine.sh DIR HOSTNAME COMMAND...   run COMMAND in a new machine
#
# A machine is a mount, UTS, network and PID namespace whose PID 1 is
# ns-init (tests/sandbox/ns_init.c), which reaps orphans and takes every
# process of the machine with it when COMMAND ends. Its /etc, /var and /usr
# are overlays of the host's with their writes in DIR (corosync.conf, the
# CIB, /var/lib/dpkg, an agent in /usr/sbin: all private), /run and
# /dev/shm are tmpfs (libqb's IPC files), and its network has only its own
# loopback (Pacemaker's abstract IPC sockets are per network namespace).
# Everything else, /tmp with the tests' scratch directories among it, is
# the host's.

# machine_mounts DIR HOST: run inside the new namespaces, before anything
# else. DIR keeps the overlays' writes: a node that boots again on the same
# DIR finds its disk as it left it.
machine_mounts() {
    hostname "$2" || return 1
    for top in etc var usr; do
        mkdir -p "$1/$top.upper" "$1/$top.work" || return 1
        mount -t overlay overlay \
            -o "lowerdir=/$top,upperdir=$1/$top.upper,workdir=$1/$top.work" "/$top" || return 1
    done
    mount -t tmpfs -o mode=755 tmpfs /run || return 1
    mkdir -p /run/crm /run/lock || return 1
    if id hacluster >/dev/null 2>&1; then
        chown hacluster:haclient /run/crm && chmod 750 /run/crm || return 1
    fi
    ln -s /dev/shm /run/shm || return 1
    mount -t tmpfs -o mode=1777 tmpfs /dev/shm || return 1
    ip link set lo up
}

# machine_enter DIR HOST COMMAND...: becomes unshare, whose only child is
# the machine's PID 1; exits with COMMAND's status.
machine_enter() {
    dir=$1; host=$2; shift 2
    [ "$(id -u)" -eq 0 ] || { echo "a test machine needs root (namespaces, mounts)" >&2; return 1; }
    [ -x "$BUILD/tests/ns-init" ] || { echo "no $BUILD/tests/ns-init: make unit" >&2; return 1; }
    for tool in unshare ip; do
        command -v "$tool" >/dev/null || { echo "$tool is missing (util-linux, iproute2)" >&2; return 1; }
    done
    mkdir -p "$dir" || return 1
    exec unshare --mount --uts --net --pid --fork --propagation private --mount-proc \
        "$BUILD/tests/ns-init" sh "$TOP/tests/e2e/machine.sh" _inside "$dir" "$host" "$@"
}

case "${1:-}" in
_inside)
    shift
    dir=$1; host=$2; shift 2
    machine_mounts "$dir" "$host" || { echo "cannot build the test machine's file system in $dir" >&2; exit 1; }
    exec "$@" ;;
""|-h|--help)
    sed -n '5,6p' "$0" >&2; exit 2 ;;
*)
    machine_enter "$@" ;;
esac
