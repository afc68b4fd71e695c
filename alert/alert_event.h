/* A Pacemaker alert, as the environment of an alert agent carries it
 * (CRM_alert_*): a fencing alert or a node alert, checked and bounded.
 * Fencing alerts say, in one description, what no variable does:
 *   Operation <action> of <target> by <executor> for <client>@<origin>:
 *   <result> (ref=<id>)
 * (Pacemaker 2.1; one alert per operation, not per attempt). */
#ifndef FR_ALERT_EVENT_H
#define FR_ALERT_EVENT_H

#include <stdbool.h>

#include "clock.h"
#include "error.h"
#include "names.h"

enum alert_kind { ALERT_OTHER, ALERT_FENCING, ALERT_NODE };

#define ALERT_TEXT_MAX 1024

struct alert_event {
    enum alert_kind kind;
    char node[NODE_NAME_MAX + 1];       /* fencing: the target; node: the member */
    char node_id[64];
    char action[32];                    /* fencing: from the description, else CRM_alert_task */
    int rc;                             /* fencing: CRM_alert_rc */
    char description[ALERT_TEXT_MAX];
    /* Parsed from a fencing alert's description; empty when it does not
     * have Pacemaker's form (the description is kept as given). */
    char executor[NODE_NAME_MAX + 1];
    char client[256];
    char origin[NODE_NAME_MAX + 1];
    char result[256];
    char ref[128];
    struct stamp at;                    /* Pacemaker's time of the event */
    bool at_from_pacemaker;             /* false: the time it was read here */
};

/* Reads the alert from the environment. ALERT_OTHER (resource and
 * attribute alerts) is no error: nothing to record. -1 with err when a
 * fencing or node alert lacks what it must carry. */
int alert_event_from_env(struct alert_event *ev, struct error *err);
/* The description's parts; false when it is not in Pacemaker's form. */
bool alert_parse_fencing_desc(const char *desc, struct alert_event *ev);

#endif
