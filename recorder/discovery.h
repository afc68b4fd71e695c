/* Filesystem discovery: which shared filesystems the fence target uses,
 * learned from Pacemaker's own view of the cluster.
 *
 *   method 1, live state:    `crm_mon --output-as=xml` — Filesystem
 *                             resources (and DLM controld) active on the node
 *   method 2, configuration: `cibadmin --query --scope resources` — the
 *                             shared Filesystem resources configured at all
 *
 * Each method runs with its own timeout, its run shared with the fences of
 * the same moment (discovery_cache.h); its command, duration, outcome and
 * result become a `discoveries` row. The first method that finds something
 * wins; if neither does, the result is ["none-detected"].
 *
 * The recorder runs discovery (never the agent: it must not delay the
 * fence) and records the report with the rest of the operation. */
#ifndef FR_DISCOVERY_H
#define FR_DISCOVERY_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "command.h"
#include "discovery_cache.h"
#include "discovery_config.h"
#include "record.h"
#include "strbuf.h"



/* One method as it ran (or as another fence's run was reused). */
struct discovery_run {
    int method;
    char command[512];
    struct stamp started;
    int64_t duration_ms;
    const char *outcome;          /* found, empty, failed, timeout */
    char result[1024];            /* JSON array */
    char error[1024];             /* empty unless failed or timed out */
    struct cache_use use;
};

struct discovery_report {
    int runs;
    struct discovery_run run[2];
    struct strbuf result_json;    /* e.g. ["gfs2-home", "gfs2-scratch"] or ["none-detected"] */
    char summary[1024];           /* the log line saying what was found */
    struct stamp finished;
    /* crm_mon's run (method 1) as it ended, output kept for the cluster
     * state (cluster_state_capture.h); out is NULL when it never ran. */
    struct command_result live;
};

/* Runs the methods for node and fills report (release it with
 * discovery_report_release). Records nothing. */
void discovery_run(const struct discovery_config *cfg, const char *node,
                   struct discovery_report *report);
/* Records the report in rec's current operation: one row per method, a
 * warning per failed method and the summary line. Call inside a step. */
void discovery_record(struct recorder *rec, const struct discovery_report *report);
void discovery_report_release(struct discovery_report *report);

#endif
