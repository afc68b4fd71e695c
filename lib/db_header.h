/* The database file judged from its header with plain read(2), without
 * SQLite: nothing is created, locked or changed. The agent's monitor uses
 * it (the agent does not link SQLite); db.c uses it before it opens a
 * file. */
#ifndef FR_DB_HEADER_H
#define FR_DB_HEADER_H

#include "error.h"

enum db_file_kind {
    DB_FILE_EMPTY,       /* 0 bytes: ours to take */
    DB_FILE_UNCLAIMED,   /* SQLite, application_id 0, user_version 0, no table in
                          * the main file (its WAL may still add some) */
    DB_FILE_OURS,        /* SQLite with our application_id */
    DB_FILE_FOREIGN,     /* SQLite belonging to something else: never touch it */
    DB_FILE_NOT_SQLITE,  /* not a database at all */
};

/* Reads the header and page 1 of path with plain read(2): nothing is
 * created, locked or changed. On DB_FILE_FOREIGN and DB_FILE_NOT_SQLITE,
 * err says why. Returns -1 (err set) if the file cannot be read. */
int db_file_classify(const char *path, enum db_file_kind *kind, struct error *err);

/* Without SQLite, for a check that runs every few seconds (the agent's
 * monitor): the file is ours and it, its -wal and its -shm can be opened
 * for writing. A missing, empty or unclaimed file needs db_open to become
 * ours; a file that is not ours fails with err saying whose it is. */
enum db_probe { DB_PROBE_OK, DB_PROBE_NEEDS_OPEN, DB_PROBE_FAILED };
enum db_probe db_probe_writable(const char *path, struct error *err);

#endif
