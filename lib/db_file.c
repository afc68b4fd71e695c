#include "db_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_exec.h"
#include "schema.h"
#include "strbuf.h"

int db_file_identity(sqlite3 *db, struct db_identity *id, struct error *err)
{
    /* One snapshot: read apart, another agent's migration could commit in
     * between (application_id 0, then a version: "not ours"). */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return errorf(err, "cannot start a read transaction: %s", sqlite3_errmsg(db));
    int rc = db_query_int(db, "PRAGMA application_id", &id->app_id, err) == 0 &&
             db_query_int(db, "PRAGMA user_version", &id->version, err) == 0 &&
             db_query_int(db, "SELECT count(*) FROM sqlite_master", &id->schema_entries, err) == 0
             ? 0 : -1;
    /* Held by another process: said apart (before COMMIT resets the code). */
    int code = sqlite3_extended_errcode(db) & 0xff;
    if (rc != 0 && (code == SQLITE_BUSY || code == SQLITE_LOCKED))
        rc = -2;
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

/* Read-only opens and the WAL files.
 *
 * SQLite opens a WAL database read-only by creating its -wal and -shm if
 * they are missing, and a read-only connection cannot checkpoint, so it
 * never deletes them: `fencectl history` on a copied database left two
 * new files beside it. Deleting them afterwards ourselves would be wrong:
 * another process may have started using them meanwhile.
 *
 * What is safe instead: when none of -wal, -shm, -journal exists, nobody
 * has the database open in WAL mode (a WAL connection keeps its -shm and
 * a SHARED lock on the file as long as it is open) and every committed
 * byte is in the main file. We then take a write lock on SQLite's lock
 * bytes (PENDING, RESERVED and the SHARED range at 1 GiB, the file
 * format's locking protocol) with an open-file-description lock, so no
 * SQLite connection can start reading or writing until we are done, and
 * read with immutable=1, which creates nothing. A writer that comes
 * meanwhile waits in its busy handler for the few milliseconds a report
 * takes. In every other case (the files exist, the lock is taken, or the
 * file is not writable by us, so we cannot hold the lock) SQLite's normal
 * read-only open runs: its files are then SQLite's own business. */
#define SQLITE_LOCK_BYTES_START 0x40000000
#define SQLITE_LOCK_BYTES_LEN 512
#define MAX_HELD_LOCKS 32

static struct held_lock {
    sqlite3 *db;
    int fd;
} held_locks[MAX_HELD_LOCKS];

static bool sidecar_exists(const char *path, const char *suffix)
{
    char side[4200];
    struct stat st;
    if ((size_t)snprintf(side, sizeof side, "%s%s", path, suffix) >= sizeof side)
        return true;   /* cannot tell: assume it does */
    return lstat(side, &st) == 0 || errno != ENOENT;
}

/* An fd holding the lock, or -1 if the immutable read is not safe. */
static int lock_out_sqlite(const char *path)
{
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
                        .l_start = SQLITE_LOCK_BYTES_START, .l_len = SQLITE_LOCK_BYTES_LEN };
    /* Checked under the lock: a connection that opened before us holds
     * SHARED (the lock fails) or has created its files by now. */
    if (fcntl(fd, F_OFD_SETLK, &fl) != 0 || sidecar_exists(path, "-wal") ||
        sidecar_exists(path, "-shm") || sidecar_exists(path, "-journal")) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A URI for path: '%', '?' and '#' are escaped so any file name works;
 * "file://" before an absolute path leaves the authority empty. */
static void path_uri(struct strbuf *uri, const char *path, const char *query)
{
    strbuf_adds(uri, path[0] == '/' ? "file://" : "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            strbuf_addf(uri, "%%%02X", (unsigned char)*p);
        else
            strbuf_addc(uri, *p);
    }
    strbuf_addf(uri, "?%s", query);
}

static int remember_lock(sqlite3 *db, int fd)
{
    for (int i = 0; i < MAX_HELD_LOCKS; i++) {
        if (!held_locks[i].db) {
            held_locks[i] = (struct held_lock){ db, fd };
            return 0;
        }
    }
    return -1;
}

/* The URI to read path with, and the lock fd (or -1) that makes it safe. */
static int read_only_uri(const char *path, struct strbuf *uri)
{
    int fd = lock_out_sqlite(path);
    path_uri(uri, path, fd >= 0 ? "immutable=1" : "mode=ro");
    return fd;
}

int db_file_open_read_only(const char *path, sqlite3 **db, struct error *err)
{
    struct strbuf uri = STRBUF_INIT;
    int fd = read_only_uri(path, &uri);
    *db = NULL;
    int rc = strbuf_failed(&uri) ? SQLITE_NOMEM
           : sqlite3_open_v2(strbuf_str(&uri), db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                             SQLITE_OPEN_NOFOLLOW, NULL);
    strbuf_release(&uri);
    if (rc == SQLITE_OK && (fd < 0 || remember_lock(*db, fd) == 0))
        return 0;
    errorf(err, "cannot open database %s: %s", path, *db ? sqlite3_errmsg(*db) : "out of memory");
    sqlite3_close(*db);
    *db = NULL;
    if (fd >= 0)
        close(fd);
    return -1;
}

int db_file_attach_read_only(sqlite3 *db, const char *path, const char *schema,
                             struct error *err)
{
    struct strbuf uri = STRBUF_INIT, sql = STRBUF_INIT;
    int fd = read_only_uri(path, &uri);
    strbuf_addf(&sql, "ATTACH ? AS %s", schema);
    int rc = strbuf_failed(&uri) || strbuf_failed(&sql) ? errorf(err, "out of memory")
           : db_execf(db, err, NULL, strbuf_str(&sql), "t", strbuf_str(&uri));
    strbuf_release(&uri);
    strbuf_release(&sql);
    if (rc == 0 && (fd < 0 || remember_lock(db, fd) == 0))
        return 0;
    if (fd >= 0)
        close(fd);
    return rc == 0 ? errorf(err, "too many databases open at once") : -1;
}

void db_file_release(sqlite3 *db)
{
    for (int i = 0; db && i < MAX_HELD_LOCKS; i++) {
        if (held_locks[i].db == db) {
            close(held_locks[i].fd);
            held_locks[i] = (struct held_lock){ NULL, -1 };
        }
    }
}
