/* Pacemaker's fence history as the fencers keep it (in memory, the
 * latest events, shared by every node's fencer when a node joins):
 * `stonith_admin --history '*' --verbose --output-as=xml`. fencectl audit
 * compares the record with it; the alert agent fills a joining node's
 * gaps from it. */
#ifndef FR_PCMK_HISTORY_H
#define FR_PCMK_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "names.h"

#define PCMK_HISTORY_MAX_XML (8 * 1024 * 1024)

/* Pacemaker's fence history (stonith_admin --history). */
struct pcmk_event {
    char target[NODE_NAME_MAX + 1];
    char action[16];
    char status[16];                  /* success, failed, pending */
    char completed[32];               /* ISO 8601 UTC; empty while pending */
    char client[128], origin[NODE_NAME_MAX + 1], delegate[NODE_NAME_MAX + 1];
    char reason[256];                 /* exit-reason, when Pacemaker gives one */
    int matched;                      /* record operations matched to it */
};
struct pcmk_history {
    struct pcmk_event *v;
    size_t n;
};

/* The XML of stonith_admin's history; -1 with err when it is not that. */
int pcmk_history_parse(const char *xml, size_t len, struct pcmk_history *h, struct error *err);
/* Runs stonith_admin (from PATH) bounded by timeout_ms and parses it. */
int pcmk_history_read(int timeout_ms, struct pcmk_history *h, struct error *err);
/* Pacemaker's "2026-11-26 15:20:16Z" (or with +hh:mm, or local) as ISO UTC. */
bool pcmk_time_to_iso(const char *text, char out[32]);

#endif
