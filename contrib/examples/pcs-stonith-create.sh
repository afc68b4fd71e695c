#!/bin/sh
# Create the fence_recorder device with pcs. Parameter names are the
# agent's own (fence_recorder -o metadata); pcmk_host_list names the nodes
# this device may fence. Run on one cluster node.
set -eu
pcs stonith create storage-fence fence_recorder \
    request_dir=/localdisk/fence-recorder/requests \
    response_dir=/localdisk/fence-recorder/responses \
    log_dir=/var/log/fence-recorder \
    db=/var/lib/fence-recorder/fence-recorder.db \
    fence_timeout=60 \
    filesystem_discovery=true \
    pcmk_host_list="node1 node2 node3" \
    pcmk_reboot_action=off \
    pcmk_reboot_timeout=90 pcmk_off_timeout=90 \
    op monitor interval=60s
# The agent's own timeout (fence_timeout) must be shorter than Pacemaker's
# (pcmk_off_timeout), so the agent records a timeout itself instead of
# being killed.
pcs stonith config storage-fence
