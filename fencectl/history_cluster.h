/* history's rows for fences this node knows only from Pacemaker's alerts
 * (history_cluster.c says the merge rule). */
#ifndef FR_HISTORY_CLUSTER_H
#define FR_HISTORY_CLUSTER_H

#include "history_rows.h"

/* Calls row for each such fence matching q, newest first, at most
 * q->limit. this_node names the executor whose fences without an
 * operation came from another device. 0, or -1 with err. */
int history_cluster_rows(sqlite3 *db, const struct history_query *q, const char *this_node,
                         history_row_fn row, void *ctx, struct error *err);

#endif
