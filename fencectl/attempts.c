/* The linking rule of attempts.h in C, term for term as new_fence in
 * ATTEMPTS_LINKED_CTE, with SQL's NULL semantics where they matter. */
#include <stdlib.h>
#include <string.h>

#include "attempts.h"

enum { A_STATUS, A_ACTION, A_REQUESTED_BY, A_RECORDER, A_STARTED, A_FINISHED };

void attempt_op_clear(struct attempt_op *op)
{
    for (int i = 0; i < 6; i++) {
        free(op->text[i]);
        op->text[i] = NULL;
    }
    op->has_day[0] = op->has_day[1] = false;
}

int attempt_op_read(struct attempt_op *op, sqlite3_stmt *st, int col)
{
    attempt_op_clear(op);
    for (int i = 0; i < 6; i++) {
        const char *v = (const char *)sqlite3_column_text(st, col + i);
        if (v && !(op->text[i] = strdup(v)))
            return -1;
        if (!v && sqlite3_errcode(sqlite3_db_handle(st)) == SQLITE_NOMEM)
            return -1;
    }
    for (int i = 0; i < 2; i++) {
        op->has_day[i] = sqlite3_column_type(st, col + 6 + i) != SQLITE_NULL;
        op->day[i] = sqlite3_column_double(st, col + 6 + i);
    }
    return 0;
}

/* SQL's "a IS NOT b" over text (BINARY collation: strcmp order). */
static bool is_not(const char *a, const char *b)
{
    return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

bool attempt_starts_fence(const struct attempt_op *prev, const struct attempt_op *cur)
{
    if (!prev)
        return true;
    const char *status = prev->text[A_STATUS], *finished = prev->text[A_FINISHED];
    if (status && strcmp(status, "failed") != 0 && strcmp(status, "timeout") != 0 &&
        strcmp(status, "terminated") != 0)
        return true;
    for (int i = A_ACTION; i <= A_RECORDER; i++)
        if (is_not(prev->text[i], cur->text[i]))
            return true;
    if (!finished || (cur->text[A_STARTED] && strcmp(cur->text[A_STARTED], finished) < 0))
        return true;
    /* NULL in SQL (a time julianday cannot read) is not true: the CASE
     * then links, and so does this. */
    return cur->has_day[0] && prev->has_day[1] &&
           (cur->day[0] - prev->day[1]) * 86400 > ATTEMPT_GAP_S;
}
