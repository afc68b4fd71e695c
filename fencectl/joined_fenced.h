/* Members that joined the cluster while their storage was fenced, as the
 * alert agent recorded them (cluster_events, severity critical), while the
 * response file that fenced them then still does. check fails on each and
 * metrics gives each a series, in the same words as the alert's line. */
#ifndef FR_JOINED_FENCED_H
#define FR_JOINED_FENCED_H

#include <sqlite3.h>

#include "error.h"

typedef void (*joined_fenced_visit)(void *arg, const char *node, const char *joined_at,
                                    const char *response_file, int still);
/* Calls visit once per node with a recorded critical join, still = 1
 * while its response file fences it, 0 once it is gone (unfenced).
 * Returns the number still fenced, or -1 with err. */
long joined_fenced_scan(sqlite3 *db, const char *response_dir, joined_fenced_visit visit,
                        void *arg, struct error *err);

#endif
