/* fencectl history --follow: like journalctl -f, the newest operations
 * then each new one and its outcome as they happen, until SIGINT or
 * SIGTERM (exit 0). Every agent run is its own line (attempts are not
 * linked: a retry is a new operation as it starts). */
#ifndef FR_HISTORY_FOLLOW_H
#define FR_HISTORY_FOLLOW_H

#include "cli.h"

struct follow_filters {
    const char *node, *action, *status;
    const char *since;          /* NULL: no bound on the first rows */
    long long initial;          /* how many existing rows first (--limit, default 10) */
    int fallback_poll_ms;       /* without a usable inotify (NFS): how often to look */
};

int history_follow(struct cli *cli, const struct follow_filters *f);

#endif
