/* The SQLite layer: opening with the settings every connection needs
 * (WAL, busy timeout, defensive mode, foreign keys), schema migration
 * and transactions. The statement wrapper (callers bind values instead
 * of building SQL strings) is db_exec.h, included here for them. */
#ifndef FR_DB_H
#define FR_DB_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "db_exec.h"
#include "error.h"

#define DB_DEFAULT_BUSY_TIMEOUT_MS 10000

enum db_mode {
    DB_READ_WRITE,     /* create the file (mode 0600) and its directory if missing, migrate */
    DB_READ_ONLY,      /* never create or change anything */
};

enum db_open_status {
    DB_OPEN_OK,
    DB_OPEN_MISSING,       /* read-only open of a database that does not exist */
    DB_OPEN_INCOMPATIBLE,  /* not ours, or a newer schema than we know */
    DB_OPEN_FAILED,        /* any other failure */
    DB_OPEN_BUSY,          /* another process held it past the busy timeout: try again */
};

enum db_open_status db_open(const char *path, enum db_mode mode, int busy_timeout_ms,
                            sqlite3 **out, struct error *err);
void db_close(sqlite3 *db);

/* BEGIN IMMEDIATE: takes the write lock at once, so a transaction never
 * fails half-way on a lock upgrade. Writers first queue (write_queue.h)
 * until COMMIT or ROLLBACK; timeout_ms bounds the whole wait. */
int db_begin_write(sqlite3 *db, int timeout_ms, struct error *err);
/* db_begin_write's result when the lock stayed taken for all of timeout_ms
 * (any other failure is -1): worth waiting again for. */
#define DB_BUSY (-2)
int db_commit(sqlite3 *db, struct error *err);
/* COMMIT (ROLLBACK if it fails) with this writer's turn in the queue kept,
 * so what it does next (append the step's log lines) comes before any
 * other writer's next commit; db_end_turn gives the turn up. */
int db_commit_keeping_turn(sqlite3 *db, struct error *err);
void db_end_turn(sqlite3 *db);
void db_rollback(sqlite3 *db);

/* Closing this connection will not checkpoint the WAL (a database that
 * was refused is left as it is). */
void db_defer_checkpoint(sqlite3 *db);

#endif
