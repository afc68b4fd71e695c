/* The rows of fencectl history: HISTORY_NCOLS values each, in the order
 * of history_columns (cmd_history.c), whatever reads them. */
#ifndef FR_HISTORY_ROWS_H
#define FR_HISTORY_ROWS_H

#include <sqlite3.h>
#include <stdbool.h>

#include "error.h"

#define HISTORY_NCOLS 18
enum { H_UUID, H_STARTED, H_ACTION, H_TARGET, H_STATUS, H_EXIT, H_MS, H_ATTEMPT, H_ATTEMPTS,
       H_FENCE, H_FILESYSTEMS, H_REQUESTED_BY, H_RECORDER, H_MESSAGE };

/* The target's state at fence time (cluster_states, schema 8) of the
 * operation in `table`: NULL for operations recorded before it or
 * without a state row. */
#define CLUSTER_STATE_OF(table, expr)                                                \
    "(SELECT " expr " FROM cluster_states c WHERE c.operation_id = " table ".id "    \
    " ORDER BY c.id DESC LIMIT 1)"
#define CLUSTER_STATE_COLUMNS(table)                                                 \
    CLUSTER_STATE_OF(table, "membership") ", " CLUSTER_STATE_OF(table, "quorum") ", " \
    CLUSTER_STATE_OF(table, "dc") ", "                                               \
    CLUSTER_STATE_OF(table, "coalesce(parent_process || ' (pid ' || parent_pid || ')', parent_process)")

struct history_query {
    const char *node, *action, *status;
    const char *since, *until;   /* ISO 8601 UTC, or NULL */
    long long limit;             /* -1: all */
    bool all_attempts;
};

typedef void (*history_row_fn)(void *ctx, const char *const *values);

/* Steps st (bound, HISTORY_NCOLS columns), calls row for each row and
 * finalizes st. Returns 0, or -1 with err set. */
int history_rows_emit(sqlite3 *db, sqlite3_stmt *st, history_row_fn row, void *ctx,
                      struct error *err);

/* history --node: calls row for each row to show, newest first, exactly
 * as ATTEMPTS_CTE would number them. Returns 0, or -1 with err set. */
int history_node_rows(sqlite3 *db, const struct history_query *q, history_row_fn row, void *ctx,
                      struct error *err);

#endif
