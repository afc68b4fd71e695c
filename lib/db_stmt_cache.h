/* Statements a long loop runs again and again (fencectl import: eight per
 * line of a million-line file), each prepared once and reset after every
 * use instead of being compiled per run. Keyed by the SQL text's address:
 * pass string literals only. */
#ifndef FR_DB_STMT_CACHE_H
#define FR_DB_STMT_CACHE_H

#include <sqlite3.h>
#include <stdint.h>

#include "error.h"

#define DB_STMT_CACHE_SIZE 16

struct db_stmt_cache {
    sqlite3 *db;
    int count;
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } entries[DB_STMT_CACHE_SIZE];
};

void db_stmt_cache_init(struct db_stmt_cache *c, sqlite3 *db);
/* Finalizes every statement; before the connection is closed. */
void db_stmt_cache_release(struct db_stmt_cache *c);

/* The statement for sql, ready to bind; reset it after use (the cache
 * resets it again before handing it out). NULL, err set, if it cannot be
 * prepared or the cache is full. */
sqlite3_stmt *db_stmt_cached(struct db_stmt_cache *c, const char *sql, struct error *err);

/* db_execf through the cache. */
int db_cached_execf(struct db_stmt_cache *c, struct error *err, int64_t *rowid, const char *sql,
                    const char *types, ...);

#endif
