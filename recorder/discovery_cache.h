/* One look at the cluster shared by the fences of one moment. When a rack
 * fails, Pacemaker fences dozens of nodes within a second; each recorder
 * asking crm_mon and cibadmin itself meant hundreds of Pacemaker tool runs
 * on a management node that is busy enough already. The first recorder
 * runs the tool under a lock beside the database and keeps its output for
 * DISCOVERY_SHARE_MS; the others wait for that lock and read the output.
 * Failures and timeouts are shared too, so a hung cluster costs one
 * timeout per burst, not one per fence. */
#ifndef FR_DISCOVERY_CACHE_H
#define FR_DISCOVERY_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "command.h"
#include "error.h"

#define DISCOVERY_SHARE_MS 5000

/* Who ran the command whose result was used. */
struct cache_use {
    bool shared;             /* true: another fence's run was reused */
    char from[128];          /* "pid 1234 at 2026-11-26T15:13:23.123Z" */
};

/* Runs argv like command_run, or reuses a result of the same command that
 * is less than DISCOVERY_SHARE_MS old from cache_dir (the database's
 * directory; NULL: never shared). name is the cache's file name stem. */
int discovery_cached_run(const char *cache_dir, const char *name, char *const argv[],
                         int64_t timeout_ms, size_t max_out, struct command_result *r,
                         struct cache_use *use, struct error *err);

#endif
