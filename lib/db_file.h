/* The database file as it is on disk, judged before SQLite opens it, and
 * the way a read-only command opens it without leaving anything beside it.
 * Used by db.c only. */
#ifndef FR_DB_FILE_H
#define FR_DB_FILE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "db_header.h"
#include "error.h"

/* SQLite's facts in one read snapshot: application_id, user_version and
 * the number of entries in sqlite_schema. -1 with err on failure, -2 when
 * another process holds the file (worth trying again). */
struct db_identity {
    int64_t app_id, version, schema_entries;
};
int db_file_identity(sqlite3 *db, struct db_identity *id, struct error *err);

/* Opens path read-only. Where that is safe the connection is immutable
 * and the file locked against SQLite writers until db_file_release, so
 * no -wal/-shm is created beside it (see db_file.c). */
int db_file_open_read_only(const char *path, sqlite3 **db, struct error *err);
/* ATTACHes path read-only to db as schema (our own name, never user
 * input), by the same rule. */
int db_file_attach_read_only(sqlite3 *db, const char *path, const char *schema,
                             struct error *err);
/* Drops the locks taken for db's immutable reads; call after closing it. */
void db_file_release(sqlite3 *db);

#endif
