#!/bin/sh
# Create the fence_recorder device with pcs. README.md prints the same
# command, character for character (tests/e2e/test_conventions.sh compares
# them). Parameter names are the agent's own (fence_recorder -o metadata);
# pcmk_host_list names the nodes this device may fence. Run on one node.
#
# Timeouts: Pacemaker times "off" with pcmk_off_timeout and "reboot" with
# pcmk_reboot_timeout, even though pcmk_reboot_action=off makes the agent
# run off for both; each falls back to stonith-timeout (60 s by default).
# Both must be at least delay + fence_timeout + 5 s, so the agent records
# its own timeout instead of being killed ("terminated"). Retries=1: a
# failed attempt is final for this device (the controller still retries
# the whole fence up to stonith-max-attempts), and a retry would only get
# what is left of the same timeout.
set -eu
pcs stonith create storage-fence fence_recorder \
    request_dir=/localdisk/fence-recorder/requests \
    response_dir=/localdisk/fence-recorder/responses \
    log_dir=/var/log/fence-recorder \
    db=/var/lib/fence-recorder/fence-recorder.db \
    fence_timeout=60 \
    pcmk_host_list="node1 node2 node3" \
    pcmk_reboot_action=off \
    pcmk_off_timeout=90 pcmk_reboot_timeout=90 \
    pcmk_off_retries=1 pcmk_reboot_retries=1 \
    op monitor interval=60s
pcs stonith config storage-fence
