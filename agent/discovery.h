/* Filesystem discovery: which shared filesystems the fence target uses,
 * learned from Pacemaker's own view of the cluster.
 *
 *   method 1, live state:    `crm_mon --output-as=xml` — Filesystem
 *                             resources (and DLM controld) active on the node
 *   method 2, configuration: `cibadmin --query --scope resources` — the
 *                             shared Filesystem resources configured at all
 *
 * Each method runs with its own timeout; its command, duration, outcome and
 * result are recorded as a `discoveries` row. The first method that finds
 * something wins; if neither does, the result is ["none-detected"].
 *
 * discovery_run() is called in a child process of the agent while the agent
 * waits for the fence response, so it never delays the fence. */
#ifndef FR_DISCOVERY_H
#define FR_DISCOVERY_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"
#include "strbuf.h"

#define DISCOVERY_NONE     "none-detected"
#define DISCOVERY_DISABLED "discovery-disabled"
#define DISCOVERY_PENDING  "discovery-pending"

struct discovery_config {
    bool enabled;
    const char *crm_mon;      /* program for method 1, "crm_mon" by default */
    const char *cibadmin;     /* program for method 2, "cibadmin" by default */
    int64_t timeout_ms;       /* per method */
};

/* Runs both methods for node, records a discoveries row per method run in
 * rec (rec->operation_id must be set), and leaves the JSON array text of
 * the result in result_json (e.g. ["gfs2-home", "gfs2-scratch"] rendered
 * with ", " separators, or ["none-detected"]). */
void discovery_run(const struct discovery_config *cfg, const char *node,
                   struct recorder *rec, struct strbuf *result_json);

#endif
