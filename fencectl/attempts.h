/* Attempts of one fence, linked at query time. Pacemaker gives the agent
 * no operation id: one fence decision with a failing reconciler runs the
 * agent pcmk_<action>_retries x stonith-max-attempts times, each an
 * operation of its own. The rule that links them (README, "Attempts of
 * one fence"): an operation continues the fence of the operation before
 * it on the same node when that one has the same action, requester and
 * recorder, ended failed, timeout or terminated, and ended at most
 * ATTEMPT_GAP_S seconds before this one started (not after: overlapping
 * runs are separate fences, or one record read twice through two --db). Anything else starts a
 * new fence. Computed when read, so a late-written outcome (the recorder
 * records after the agent exits) is never missed.
 *
 * ATTEMPTS_LINKED_CTE(columns, where) defines the table `linked`: the
 * given columns of the operations matching where plus new_fence (1: this
 * operation starts a fence, 0: it continues the one before it on its
 * node). A reader that walks them in ATTEMPTS_ORDER needs nothing more
 * (stats counts fences so, without numbering the attempts).
 *
 * ATTEMPTS_CTE(where) defines the table `attempts`: every column of
 * operations plus attempt (1-based), attempts (of its fence) and fence
 * (the first attempt's request id), over the operations matching where.
 *
 * attempt_starts_fence() is the same rule in C, for readers that walk a
 * node's operations in order and stop early (history --node reads its
 * newest fences only) or want no window sort (stats): the windows above
 * read and sort every operation of a node, or of the record, first.
 * Both must agree: tests/e2e/test_fencectl_story.sh compares them. */
#ifndef FR_ATTEMPTS_H
#define FR_ATTEMPTS_H

#include <sqlite3.h>
#include <stdbool.h>

#define ATTEMPT_GAP_S 5

#define ATTEMPTS_STR2(x) #x
#define ATTEMPTS_STR(x) ATTEMPTS_STR2(x)

/* The order attempts follow each other in, per node. */
#define ATTEMPTS_ORDER "target_node, started_at, id"

#define ATTEMPTS_LINKED_CTE(columns, where)                                                   \
    "WITH linked AS (SELECT " columns ", CASE WHEN lag(id) OVER w IS NULL"                     \
    "   OR lag(status) OVER w NOT IN ('failed', 'timeout', 'terminated')"                     \
    "   OR lag(action) OVER w IS NOT action OR lag(requested_by) OVER w IS NOT requested_by"  \
    "   OR lag(recorder_node) OVER w IS NOT recorder_node OR lag(finished_at) OVER w IS NULL" \
    "   OR started_at < lag(finished_at) OVER w"                                              \
    "   OR (julianday(started_at) - julianday(lag(finished_at) OVER w)) * 86400 > "           \
    ATTEMPTS_STR(ATTEMPT_GAP_S) " THEN 1 ELSE 0 END AS new_fence"                             \
    "  FROM operations WHERE " where                                                          \
    "  WINDOW w AS (PARTITION BY target_node ORDER BY started_at, id))"

#define ATTEMPTS_CTE(where)                                                                   \
    ATTEMPTS_LINKED_CTE("*", where) ","                                                       \
    " grouped AS (SELECT *, sum(new_fence) OVER (PARTITION BY target_node"                    \
    "  ORDER BY started_at, id ROWS UNBOUNDED PRECEDING) AS grp FROM linked),"                 \
    " attempts AS (SELECT *, row_number() OVER f AS attempt,"                                 \
    "  count(*) OVER (PARTITION BY target_node, grp) AS attempts,"                            \
    "  first_value(op_uuid) OVER f AS fence FROM grouped"                                     \
    "  WINDOW f AS (PARTITION BY target_node, grp ORDER BY started_at, id)) "

/* What the rule reads of one operation: ATTEMPT_OP_COLUMNS selected in
 * this order. julianday() is SQLite's own, so the 5 s gap is computed
 * with the same doubles as in the windows above. */
#define ATTEMPT_OP_COLUMNS                                                                    \
    "status, action, requested_by, recorder_node, started_at, finished_at, "                 \
    "julianday(started_at), julianday(finished_at)"

struct attempt_op {
    char *text[6];        /* status, action, requested_by, recorder_node, started_at, finished_at */
    double day[2];        /* julianday(started_at), julianday(finished_at) */
    bool has_day[2];      /* false where julianday() is NULL (not a time) */
};

/* Reads ATTEMPT_OP_COLUMNS at column col of st's current row into op
 * (cleared first). Returns 0, or -1 out of memory. */
int attempt_op_read(struct attempt_op *op, sqlite3_stmt *st, int col);
void attempt_op_clear(struct attempt_op *op);
/* Whether cur starts a fence given prev, the operation before it on its
 * node in ATTEMPTS_ORDER (NULL if none): ATTEMPTS_LINKED_CTE's new_fence. */
bool attempt_starts_fence(const struct attempt_op *prev, const struct attempt_op *cur);

#endif
