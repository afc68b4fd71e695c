#include "history_rows.h"

int history_rows_emit(sqlite3 *db, sqlite3_stmt *st, history_row_fn row, void *ctx,
                      struct error *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v[HISTORY_NCOLS];
        for (int i = 0; i < HISTORY_NCOLS; i++)
            v[i] = (const char *)sqlite3_column_text(st, i);
        row(ctx, v);
    }
    rc = rc == SQLITE_DONE ? 0 : errorf(err, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}
