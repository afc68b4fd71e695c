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
 * (the first attempt's request id), over the operations matching where. */
#ifndef FR_ATTEMPTS_H
#define FR_ATTEMPTS_H

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

#endif
