/* What asked for a fence: Pacemaker's service name and the agent's
 * parent as /proc shows it. The recorder's first stage reads it as it
 * starts, while the agent and its parent still run (a script that ran the
 * agent by hand may be gone by the time the full recorder starts). */
#ifndef FR_REQUESTER_H
#define FR_REQUESTER_H

/* What asked for the fence, read while the agent's parent still runs. */
struct requester {
    char service[128];        /* PCMK_service, empty when unset */
    long pid;                 /* the agent's parent; 0 unknown */
    char comm[64];
    char cmdline[1024];
};

/* Reads PCMK_service and /proc/<pid>/{comm,cmdline} (bounded). */
void requester_read(long pid, struct requester *out);

#endif
