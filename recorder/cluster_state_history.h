/* The target's failed actions, fail counts and newest operation result. */
#ifndef FR_CLUSTER_STATE_HISTORY_H
#define FR_CLUSTER_STATE_HISTORY_H

#include <stdbool.h>

#include <cjson/cJSON.h>
#include <libxml/tree.h>

/* Adds failed_actions[] (the <failure>s on target). *truncated is set
 * when more than CLUSTER_STATE_MAX_ITEMS were there. False: no memory. */
bool state_add_failures(cJSON *state, const xmlNode *root, const char *target, bool *truncated);
/* Adds fail_counts[] and last_seen from target's <node_history>. */
bool state_add_history(cJSON *state, const xmlNode *root, const char *target, bool *truncated);

#endif
