# One node of the multi-node suite's cluster (cluster_lab.sh), run as the
# child of the node's PID 1 inside its own machine (machine.sh has made its
# /etc, /var, /usr, /run). Brings up the network port, the node's files and
# corosync + pacemakerd, then waits: the node runs until its PID 1 is
# killed (a power-off) or the suite's machine ends.
#
#   MN=... CL_IP=... sh cluster_node.sh NODE
set -eu
n=$1
d=$MN/nodes/$n

# The device's log_dir and db are $MN/node/...: this node's own disk.
mount --bind "$d/fr" "$MN/node"

# The switch plugs eth0 in once this PID namespace exists.
i=0
until ip link show eth0 >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -gt 100 ] && { echo "$n: no eth0 after 10 s"; exit 1; }
    sleep 0.1
done
ip addr add "$CL_IP/24" dev eth0
ip link set eth0 up

cp "$MN/corosync.conf" /etc/corosync/corosync.conf
# First power-on only: the offline-built CIB (later boots keep the cluster's).
if [ ! -e /var/lib/pacemaker/cib/cib.xml ]; then
    install -o hacluster -g haclient -m 0600 "$MN/cib.xml" /var/lib/pacemaker/cib/cib.xml
fi
# The build's agent where Pacemaker looks for agents, and its recorder where
# the agent looks for it (make install's places), in this node's /usr only.
install -m 0755 "$BUILD/fence_recorder" /usr/sbin/fence_recorder
install -D -m 0755 "$BUILD/fr-recorder" /usr/lib/fence-recorder/fr-recorder
install -D -m 0755 "$BUILD/fr-recorder-write" /usr/lib/fence-recorder/fr-recorder-write
install -D -m 0755 "$BUILD/fence-recorder-alert" /usr/lib/fence-recorder/fence-recorder-alert
# The record's directories as the package's tmpfiles.d entry makes them
# (here on this node's disk): the database's shared with haclient, the
# logs 0640 root:adm with an ACL entry letting haclient append (alerts
# run as hacluster).
chmod 0755 "$d" "$d/fr"
chgrp haclient "$d/fr/db" && chmod 2770 "$d/fr/db"
for f in fence-events.log fence-events-readable.log fence-events-detailed.jsonl; do
    [ -e "$d/fr/log/$f" ] && continue
    install -m 0640 -g adm /dev/null "$d/fr/log/$f"
    setfacl -m g:haclient:rw "$d/fr/log/$f"
done

echo "$(date +%s.%N) boot $n"
corosync -f &
i=0
until corosync-cmapctl -g totem.cluster_name >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -gt 100 ] && { echo "$n: corosync did not start"; exit 1; }
    sleep 0.1
done
PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none PCMK_debug=no pacemakerd &
wait
