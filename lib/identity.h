/* Who records an operation, from where: a new operation uuid, this host's
 * name, and the requester (Pacemaker's service, or the user and tool). */
#ifndef FR_IDENTITY_H
#define FR_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"

struct identity {
    char host[256];
    char who[160];
};

/* This node's name as operations record it (recorder_node): gethostname,
 * always terminated; false (out empty) when it cannot be told. */
bool identity_host_name(char *out, size_t size);

/* Fills op for a new operation. via names the tool when a person runs it
 * (e.g. "fencectl"); NULL for the agent, whose requester is left empty
 * for identity_describe_requester off the fence's path. op's strings
 * point into id, which must outlive it. */
void identity_new_operation(struct operation *op, struct identity *id, const char *action,
                            const char *target, const char *via);

/* Who asked, as recorded: Pacemaker's fencer (PCMK_service) or "user NAME
 * (uid N)", after "VIA by " when via is given. The user's name comes from
 * NSS (files, perhaps a directory service): never before a fence's answer. */
void identity_describe_requester(char *out, size_t size, const char *via);

#endif
