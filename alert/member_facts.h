/* What an alert about a member, or about this node, needs from outside
 * the database, read before its step: whether the member (and this node
 * itself) is still fenced by a successful response file, after the grace
 * in which a restarted node's unfencing removes it; and, once the event is
 * recorded, the fencers' history. */
#ifndef FR_MEMBER_FACTS_H
#define FR_MEMBER_FACTS_H

#include <stdbool.h>

#include "alert_event.h"
#include "config.h"
#include "names.h"
#include "pcmk_history.h"

/* The first successful response file for node, if any: while it is there
 * nnf-sos keeps the node's storage detached. */
struct still_fenced {
    char file[PROTOCOL_NAME_MAX + 1];
    char request_id[UUID_STR_LEN + 1];
};

/* For a member alert: whether the member, and this node itself (its
 * peers came back to it: the partition healed from this side), are still
 * fenced. For a member alert, and a fencing alert about this node (its own
 * unfencing after it joined): the fencers' history, since a node that
 * joins gets member alerts for the others, not for itself. */
struct member_facts {
    char local[256];
    bool is_local;
    struct still_fenced member, self;
    bool history_wanted, history_read;
    struct pcmk_history history;
    char history_error[sizeof ((struct error *)0)->msg];
};

/* Fills m for ev (member: a member alert); host is this node's host name,
 * its name where Pacemaker does not tell it. Waits up to the grace while
 * a fencing response file is there. */
void member_facts_read(const struct alert_event *ev, const struct paths *paths,
                       const char *host, bool member, struct member_facts *m);

/* Reads the fencers' history into m once it has settled (seconds). */
void member_facts_read_history(struct member_facts *m);

#endif
