/* Why was it fenced: the recorder's look at the fence target as Pacemaker
 * saw it, and at what asked for the fence. It reads the crm_mon output
 * discovery already fetched (shared by the fences of a burst) with
 * libxml2 (cluster_state.h). The recorder takes it before the request is
 * published, while the agent waits for it (bounded, only with discovery
 * on): read after the answer, the state may already show the fence. */
#ifndef FR_CLUSTER_STATE_CAPTURE_H
#define FR_CLUSTER_STATE_CAPTURE_H

#include <stdbool.h>

#include "discovery.h"
#include "requester.h"
#include "record.h"

struct cluster_capture {
    bool done;
    struct stamp captured;
    const char *source;               /* "crm_mon" or "none" */
    char shared_from[128];
    char *state_json;                 /* NULL: unknown (error says why) */
    char error[1024];
    const char *read_when;            /* relative to the fence (cluster_states.read_when) */
};

/* Reads target's state from report's crm_mon output. */
void cluster_state_capture(const struct discovery_config *cfg,
                           const struct discovery_report *report, const char *target,
                           struct cluster_capture *out);
/* The cluster_states row, inside a step. */
void cluster_state_record(struct recorder *rec, const struct cluster_capture *c,
                          const struct requester *who);
void cluster_capture_release(struct cluster_capture *c);

#endif
