/* Why was it fenced: the companion's look at the fence target as
 * Pacemaker saw it, and at what asked for the fence. It feeds the crm_mon
 * output discovery already fetched (shared by the fences of a burst) to
 * fence-recorder-cluster-state, a helper that parses it (lib/pcmk_xml.h)
 * in a process of its own. Bounded in time like a discovery
 * method and in size. The companion runs it before the request is
 * published, while the agent waits for it (bounded, only with discovery
 * on): read after the answer, the state may already show the fence. */
#ifndef FR_CLUSTER_STATE_CAPTURE_H
#define FR_CLUSTER_STATE_CAPTURE_H

#include <stdbool.h>

#include "discovery.h"
#include "record.h"

#define CLUSTER_STATE_HELPER "fence-recorder-cluster-state"
#define CLUSTER_STATE_HELPER_MAX_OUTPUT (64 * 1024 + 16)

/* What asked for the fence, read while the agent's parent still runs. */
struct requester {
    char service[128];        /* PCMK_service, empty when unset */
    long pid;                 /* the agent's parent; 0 unknown */
    char comm[64];
    char cmdline[1024];
};

struct cluster_capture {
    bool done;
    struct stamp captured;
    const char *source;               /* "crm_mon" or "none" */
    char shared_from[128];
    char *state_json;                 /* NULL: unknown (error says why) */
    char error[1024];
    const char *read_when;            /* relative to the fence (cluster_states.read_when) */
};

/* Reads PCMK_service and /proc/<pid>/{comm,cmdline} (bounded). */
void requester_read(long pid, struct requester *out);
/* Runs the helper on report's crm_mon output for target. */
void cluster_state_capture(const struct discovery_config *cfg,
                           const struct discovery_report *report, const char *target,
                           struct cluster_capture *out);
/* The cluster_states row, inside a step. */
void cluster_state_record(struct recorder *rec, const struct cluster_capture *c,
                          const struct requester *who);
void cluster_capture_release(struct cluster_capture *c);

#endif
