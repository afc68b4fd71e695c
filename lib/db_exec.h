/* One SQLite statement at a time, values bound instead of built into
 * SQL strings. Used by db.c and db_file.c (and, through db.h, by every
 * caller of the database layer). */
#ifndef FR_DB_EXEC_H
#define FR_DB_EXEC_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>

#include "error.h"

/* err = "what: SQLite's message for db" ("out of memory" without db);
 * returns -1. */
int db_error(struct error *err, sqlite3 *db, const char *what);

/* Runs one statement with bound arguments described by types, one char
 * per argument: 't' text (const char *, NULL binds NULL), 'i' int64,
 * 'o' optional int64 (negative binds NULL). For INSERTs, *rowid (if not NULL) receives the new row id. */
int db_execf(sqlite3 *db, struct error *err, int64_t *rowid, const char *sql,
             const char *types, ...);

/* db_execf's binding and step for a statement already prepared (the
 * statement is left for the caller to reset or finalize). */
int db_vexec_stmt(sqlite3 *db, sqlite3_stmt *st, struct error *err, int64_t *rowid,
                  const char *types, va_list ap);

/* Reads the single integer that sql returns (e.g. PRAGMA user_version). */
int db_query_int(sqlite3 *db, const char *sql, int64_t *value, struct error *err);

#endif
