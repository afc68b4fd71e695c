/* The fence target's state as Pacemaker saw it, read from the output of
 * `crm_mon --output-as=xml` with the XML reader (lib/pcmk_xml.h). The
 * recorder reads it from the crm_mon output discovery fetched; the agent
 * never loads libxml2.
 *
 * The result is one JSON object (cJSON) with fixed keys; see
 * cluster_state_parse. Everything is bounded: the input size, the number
 * of failed actions and fail counts kept, and every string's length. */
#ifndef FR_CLUSTER_STATE_H
#define FR_CLUSTER_STATE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "error.h"

#define CLUSTER_STATE_MAX_INPUT   (8 * 1024 * 1024)   /* as discovery keeps of crm_mon */
#define CLUSTER_STATE_MAX_OUTPUT  (64 * 1024)
#define CLUSTER_STATE_MAX_ITEMS   32                  /* failed actions, fail counts */
#define CLUSTER_STATE_MAX_STRING  512

/* Parses xml (len bytes) for target and sets *out to a new object:
 *   target, found (the node is in crm_mon's node list), membership
 *   (online, offline, unclean, pending, standby, maintenance,
 *   shutting-down, absent), online, standby, standby_onfail, maintenance,
 *   pending, unclean, shutdown, expected_up, is_dc (booleans or null),
 *   type (member, remote, guest), resources_running, last_seen (the
 *   newest resource operation result Pacemaker recorded on the node:
 *   crm_mon has no last-seen time of its own), quorum, dc, dc_present,
 *   stack, cluster_name, last_update, last_change, failed_actions[],
 *   fail_counts[], truncated, errors[] (what crm_mon said went wrong).
 * Returns 0, or -1 with err when the text is not crm_mon's XML. */
int cluster_state_parse(const char *xml, size_t len, const char *target, cJSON **out,
                        struct error *err);

/* Renders obj into a malloc'd string of at most CLUSTER_STATE_MAX_OUTPUT
 * bytes; -1 with err if it would be longer or memory runs out. */
int cluster_state_render(const cJSON *obj, char **text, struct error *err);

#endif
