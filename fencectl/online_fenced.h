/* The dangerous state after a partition heals without a restart: a node
 * that is online in the cluster while a successful response file still
 * fences it (Pacemaker does not unfence a node that rejoins without a
 * restart: its attrd re-publishes the old unfence stamp). Resources placed
 * on it then run without shared storage. audit, check and metrics each
 * report it, in the same words and with the same remedy. */
#ifndef FR_ONLINE_FENCED_H
#define FR_ONLINE_FENCED_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "audit.h"
#include "error.h"

/* true when crm_mon's membership shows node online (names compared
 * ignoring ASCII case, as Pacemaker compares them). */
bool member_online(const struct membership *m, const char *node);

/* The finding's text, remedy included. */
void online_fenced_text(char *out, size_t len, const char *node, const char *response_file);

typedef void (*online_fenced_visit)(void *arg, const char *node, const char *response_file,
                                    time_t since);
/* Calls visit for every successful response file in response_dir whose
 * node m shows online. Returns how many, or -1 with err when the
 * directory cannot be read. */
long online_fenced_scan(const char *response_dir, const struct membership *m,
                        online_fenced_visit visit, void *arg, struct error *err);

#endif
