#include "db_stmt_cache.h"

#include <stdarg.h>
#include <stddef.h>

#include "db_exec.h"

void db_stmt_cache_init(struct db_stmt_cache *c, sqlite3 *db)
{
    c->db = db;
    c->count = 0;
}

void db_stmt_cache_release(struct db_stmt_cache *c)
{
    for (int i = 0; i < c->count; i++)
        sqlite3_finalize(c->entries[i].st);
    c->count = 0;
}

sqlite3_stmt *db_stmt_cached(struct db_stmt_cache *c, const char *sql, struct error *err)
{
    for (int i = 0; i < c->count; i++)
        if (c->entries[i].sql == sql) {
            sqlite3_reset(c->entries[i].st);
            return c->entries[i].st;
        }
    if (c->count == DB_STMT_CACHE_SIZE) {
        errorf(err, "more than %d cached statements (a programming error)", DB_STMT_CACHE_SIZE);
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        errorf(err, "cannot prepare statement: %s", sqlite3_errmsg(c->db));
        sqlite3_finalize(st);
        return NULL;
    }
    c->entries[c->count].sql = sql;
    c->entries[c->count].st = st;
    c->count++;
    return st;
}

int db_cached_execf(struct db_stmt_cache *c, struct error *err, int64_t *rowid, const char *sql,
                    const char *types, ...)
{
    sqlite3_stmt *st = db_stmt_cached(c, sql, err);
    if (!st)
        return -1;
    va_list ap;
    va_start(ap, types);
    int rc = db_vexec_stmt(c->db, st, err, rowid, types, ap);
    va_end(ap);
    sqlite3_reset(st);
    return rc;
}
