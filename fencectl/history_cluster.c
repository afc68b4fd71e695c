/* The fences this node knows from Pacemaker's alerts (cluster_events,
 * schema 8) and not from an operation of its own record: fences executed
 * by another node, by another device (a topology level), or while this
 * node was down (read from the fencers' history when it joined).
 *
 * The merge rule, for one row per fence: an alert's fence is an operation
 * of this record when the operation's target is the alert's, its recorder
 * node is the alert's executor, its action is the alert's (off and reboot
 * alike: storage fencing runs reboot as off), and it ended within 10 s of
 * the alert's time (the fencer alerts once the agent has exited) or is
 * still running. Such a fence is shown once, as the operation. Fencing
 * alerts of other tasks (Pacemaker's notices, st_notify_fence after a
 * cluster restart) are in the record but are no fence of a node. */
#include "history_cluster.h"

#include <string.h>

static const char cluster_sql[] =
    "SELECT coalesce(e.ref, ''), e.happened_at, e.action, e.node, "
    "  CASE WHEN e.result IN ('OK', 'success') THEN 'completed' ELSE 'failed' END, "
    "  NULL, NULL, 1, 1, coalesce(e.ref, ''), NULL, "
    "  e.client || '@' || e.origin, e.executor, "
    "  'executed by ' || coalesce(e.executor, '?') || "
    "  CASE WHEN e.executor = ?8 COLLATE NOCASE "
    "       THEN ' (this node, another device: this record has no operation of it)' "
    "       ELSE ' (its record there has the storage system''s answer)' END || "
    "  ', Pacemaker said: ' || e.description || "
    "  CASE e.source WHEN 'history' THEN ' [from the fencers'' history]' ELSE '' END, "
    "  NULL, NULL, NULL, NULL "
    "FROM cluster_events e "
    "WHERE e.kind = 'fencing' AND e.action IN ('off', 'reboot', 'on') "
    "  AND (?1 IS NULL OR e.node = ?1 COLLATE NOCASE) "
    "  AND (?2 IS NULL OR e.action = ?2 OR (?2 IN ('off', 'reboot') AND e.action IN ('off', 'reboot'))) "
    "  AND (?3 IS NULL OR ?3 = CASE WHEN e.result IN ('OK', 'success') THEN 'completed' ELSE 'failed' END) "
    "  AND (?4 IS NULL OR e.happened_at >= ?4) AND (?5 IS NULL OR e.happened_at < ?5) "
    "  AND NOT EXISTS (SELECT 1 FROM operations o "
    "    WHERE o.target_node = e.node COLLATE NOCASE "
    "      AND o.recorder_node = e.executor COLLATE NOCASE "
    "      AND (o.action = e.action OR (o.action IN ('off', 'reboot') AND e.action IN ('off', 'reboot'))) "
    "      AND (o.finished_at IS NULL OR "
    "           abs(julianday(o.finished_at) - julianday(e.happened_at)) * 86400 <= 10)"
    "      AND julianday(o.started_at) <= julianday(e.happened_at) + 10.0 / 86400) "
    "ORDER BY e.happened_at DESC, e.id DESC LIMIT ?6";

int history_cluster_rows(sqlite3 *db, const struct history_query *q, const char *this_node,
                         history_row_fn row, void *ctx, struct error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, cluster_sql, -1, &st, NULL) != SQLITE_OK) {
        /* A record from before the alert agent (schema 7): nothing to add. */
        if (strstr(sqlite3_errmsg(db), "no such table"))
            return 0;
        return errorf(err, "%s", sqlite3_errmsg(db));
    }
    sqlite3_bind_text(st, 1, q->node, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, q->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, q->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, q->since, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, q->until, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, q->limit);
    sqlite3_bind_text(st, 8, this_node, -1, SQLITE_STATIC);
    return history_rows_emit(db, st, row, ctx, err);
}
