/* One SQLite statement at a time: bound, stepped, its error in err. The
 * layer under db.c (opening, migration, transactions) and db_file.c (the
 * file before and beside SQLite), so neither needs the other for it. */
#include "db_exec.h"

#include <stddef.h>

int db_error(struct error *err, sqlite3 *db, const char *what)
{
    return errorf(err, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

int db_query_int(sqlite3 *db, const char *sql, int64_t *value, struct error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(err, db, "cannot prepare query");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return db_error(err, db, "cannot read from database");
    return 0;
}


static int bind_args(sqlite3_stmt *st, const char *types, va_list ap)
{
    for (int i = 0; types[i]; i++) {
        int rc;
        switch (types[i]) {
        case 't': {
            const char *s = va_arg(ap, const char *);
            rc = s ? sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(st, i + 1);
            break;
        }
        case 'i':
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
            break;
        case 'o': {
            int64_t v = va_arg(ap, int64_t);
            rc = v < 0 ? sqlite3_bind_null(st, i + 1) : sqlite3_bind_int64(st, i + 1, v);
            break;
        }
        default:
            return SQLITE_MISUSE;
        }
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

int db_vexec_stmt(sqlite3 *db, sqlite3_stmt *st, struct error *err, int64_t *rowid,
                  const char *types, va_list ap)
{
    int rc = bind_args(st, types, ap);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE || rc == SQLITE_ROW)
            rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK)
        return db_error(err, db, "cannot write to database");
    if (rowid)
        *rowid = sqlite3_last_insert_rowid(db);
    return 0;
}

int db_execf(sqlite3 *db, struct error *err, int64_t *rowid, const char *sql,
             const char *types, ...)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(err, db, "cannot prepare statement");
    va_list ap;
    va_start(ap, types);
    int rc = db_vexec_stmt(db, st, err, rowid, types, ap);
    va_end(ap);
    sqlite3_finalize(st);
    return rc;
}
