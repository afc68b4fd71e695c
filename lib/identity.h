/* Who records an operation, from where: a new operation uuid, this host's
 * name, and the requester (Pacemaker's service, or the user and tool). */
#ifndef FR_IDENTITY_H
#define FR_IDENTITY_H

#include <stddef.h>

#include "record.h"

struct identity {
    char host[256];
    char who[160];
};

/* Fills op for a new operation. via names the tool when a person runs it
 * (e.g. "fencectl"); NULL for the agent, where PCMK_service names
 * Pacemaker's fencer. op's strings point into id, which must outlive it. */
void identity_new_operation(struct operation *op, struct identity *id, const char *action,
                            const char *target, const char *via);

#endif
