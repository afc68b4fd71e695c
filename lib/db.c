#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "db_exec.h"
#include "db_file.h"
#include "db_vfs.h"
#include "files.h"
#include "record_group.h"
#include "schema.h"
#include "write_queue.h"

/* This process's open write transaction and its place in the writers'
 * queue (write_queue.h), held from BEGIN to COMMIT or ROLLBACK. Our
 * programs are single-threaded and write through one connection at a
 * time, so one per process is enough. begin_deadline bounds the whole
 * wait, queue and SQLite's lock together. */
static struct write_queue held = { .fd = -1 };
static sqlite3 *held_by;
static int64_t begin_deadline;

static void leave_queue(sqlite3 *db)
{
    if (!db || held_by != db)   /* db_close(NULL) must not match "none held" */
        return;
    write_queue_leave(&held);
    held_by = NULL;
}

int db_begin_write(sqlite3 *db, int timeout_ms, struct error *err)
{
    begin_deadline = monotonic_ms() + timeout_ms;
    if (!held_by) {
        held = (struct write_queue)WRITE_QUEUE_INIT(sqlite3_db_filename(db, "main"));
        if (write_queue_enter(&held, begin_deadline) == QUEUE_TIMED_OUT) {
            write_queue_leave(&held);
            begin_deadline = 0;
            errorf(err, "cannot start a write transaction: database is locked "
                   "(other writers were queued ahead for %d ms)", timeout_ms);
            return DB_BUSY;
        }
        held_by = db;
    }
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    begin_deadline = 0;
    if (rc != SQLITE_OK) {
        db_error(err, db, "cannot start a write transaction");
        leave_queue(db);
        return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ? DB_BUSY : -1;
    }
    return 0;
}

int db_commit_keeping_turn(sqlite3 *db, struct error *err)
{
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        db_error(err, db, "cannot commit");
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

void db_end_turn(sqlite3 *db)
{
    leave_queue(db);
}

int db_commit(sqlite3 *db, struct error *err)
{
    int rc = db_commit_keeping_turn(db, err);
    leave_queue(db);
    return rc;
}

void db_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    leave_queue(db);
}

/* Applies the migrations the file lacks, under one write lock, re-reading
 * the identity inside it: another agent may have migrated meanwhile, or
 * another application created its tables since we looked. */
static enum db_open_status migrate(sqlite3 *db, const char *path, int timeout_ms,
                                   struct error *err)
{
    int begun = db_begin_write(db, timeout_ms, err);
    if (begun != 0)
        return begun == DB_BUSY ? DB_OPEN_BUSY : DB_OPEN_FAILED;
    enum db_open_status status = DB_OPEN_FAILED;
    int64_t app_id = 0, version = 0, entries = 0;
    if (db_query_int(db, "PRAGMA application_id", &app_id, err) != 0 ||
        db_query_int(db, "PRAGMA user_version", &version, err) != 0 ||
        db_query_int(db, "SELECT count(*) FROM sqlite_master", &entries, err) != 0)
        goto failed;
    if (app_id != SCHEMA_APPLICATION_ID && (app_id != 0 || version != 0 || entries != 0)) {
        errorf(err, "%s is not a fence_recorder database (it has tables of another "
               "application); refusing to touch it", path);
        status = DB_OPEN_INCOMPATIBLE;
        goto failed;
    }
    /* PRAGMAs take no bound parameters; the values are our own integers. */
    char sql[64];
    if (app_id == 0) {
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", SCHEMA_APPLICATION_ID);
        if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            db_error(err, db, "cannot set application_id");
            goto failed;
        }
    }
    for (int64_t v = version; v < schema_migration_count; v++) {
        if (sqlite3_exec(db, schema_migrations[v].sql, NULL, NULL, NULL) != SQLITE_OK) {
            errorf(err, "%s: migration %s failed: %s", path,
                   schema_migrations[v].name, sqlite3_errmsg(db));
            goto failed;
        }
    }
    if (version < schema_migration_count) {
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", schema_migration_count);
        if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            db_error(err, db, "cannot set user_version");
            goto failed;
        }
    }
    return db_commit(db, err) == 0 ? DB_OPEN_OK : DB_OPEN_FAILED;
failed:
    db_rollback(db);
    return status;
}

/* DB_OPEN_OK: ours and current; DB_OPEN_MISSING: ours to migrate (or, read
 * only, empty); otherwise why not. Nothing is changed here. */
static enum db_open_status check_identity(sqlite3 *db, const char *path, enum db_mode mode,
                                          struct error *err)
{
    struct db_identity id;
    int rc = db_file_identity(db, &id, err);
    if (rc == -2) {
        char inner[sizeof err->msg];
        snprintf(inner, sizeof inner, "%s", err->msg);
        errorf(err, "%s: %s (another process holds it)", path, inner);
        return DB_OPEN_BUSY;
    }
    if (rc != 0) {
        char inner[sizeof err->msg];
        snprintf(inner, sizeof inner, "%s", err->msg);
        errorf(err, "%s: %s (is it a database?)", path, inner);
        return DB_OPEN_FAILED;
    }
    if (id.app_id != 0 && id.app_id != SCHEMA_APPLICATION_ID) {
        errorf(err, "%s is not a fence_recorder database (application_id %lld); "
               "refusing to touch it", path, (long long)id.app_id);
        return DB_OPEN_INCOMPATIBLE;
    }
    if (id.app_id == 0 && (id.version != 0 || id.schema_entries != 0)) {
        errorf(err, "%s is not a fence_recorder database (it has tables of another "
               "application); refusing to touch it", path);
        return DB_OPEN_INCOMPATIBLE;
    }
    if (id.version > schema_migration_count) {
        errorf(err, "%s has schema version %lld, newer than this program's %d; "
               "upgrade fence_recorder", path, (long long)id.version, schema_migration_count);
        return DB_OPEN_INCOMPATIBLE;
    }
    if (id.version == schema_migration_count)
        return DB_OPEN_OK;
    if (mode == DB_READ_WRITE)
        return DB_OPEN_MISSING;
    if (id.app_id == 0) {
        errorf(err, "%s is an empty database: no fence has been recorded there", path);
        return DB_OPEN_MISSING;
    }
    errorf(err, "%s has an older schema; run the agent or fencectl with write access "
           "once to migrate it", path);
    return DB_OPEN_INCOMPATIBLE;
}

/* SQLite's own busy timeout sleeps in growing steps up to 100 ms, so with
 * many agents at once the lock is often free while every waiter sleeps;
 * sleeping too little instead burns the CPU the lock holder needs. A
 * writer at the front of the queue is the only one asking (the others
 * sleep in flock), so it asks every 0.25-2 ms; any other wait doubles from
 * 0.25 ms to 8 ms, jittered so waiters spread out. */
static int busy_wait(void *timeout_ms, int count)
{
    static int64_t started;
    static unsigned jitter;
    int64_t now = monotonic_ms();
    if (count == 0) {
        started = now;
        jitter = (unsigned)getpid();
    }
    int64_t deadline = begin_deadline ? begin_deadline : started + (int64_t)(intptr_t)timeout_ms;
    if (now >= deadline)
        return 0;
    unsigned step = held.at_front ? 250u << (count < 3 ? count : 3)
                                  : 250u << (count < 5 ? count : 5);
    jitter = jitter * 1103515245u + 12345u;
    usleep(step / 2 + jitter % step);
    return 1;
}

/* Switching to WAL needs an exclusive lock, and SQLite may report BUSY for
 * it without calling the busy handler (seen with 50 agents opening a new
 * database at once), so retry until the busy timeout. The mode is
 * persistent: once any connection switched, asking again takes no lock. */
static int enable_wal(sqlite3 *db, int busy_timeout_ms, struct error *err)
{
    int64_t deadline = monotonic_ms() + busy_timeout_ms;
    for (;;) {
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(st);
            const unsigned char *mode = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
            bool wal = mode && strcmp((const char *)mode, "wal") == 0;
            sqlite3_finalize(st);
            if (wal)
                return 0;
            if (rc == SQLITE_ROW)
                return errorf(err, "the database refuses WAL mode (journal mode stays %s)", mode);
        }
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            return db_error(err, db, "cannot set WAL journal mode");
        if (monotonic_ms() >= deadline)
            return db_error(err, db, "cannot set WAL journal mode within the busy timeout");
        usleep(5000 + (useconds_t)(getpid() % 5000));   /* agents start together: spread them */
    }
}

static int configure(sqlite3 *db, int busy_timeout_ms, struct error *err)
{
    sqlite3_busy_handler(db, busy_wait, (void *)(intptr_t)busy_timeout_ms);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_extended_result_codes(db, 1);
    if (sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(err, db, "cannot enable foreign keys");
    return 0;
}

/* Only once the file is known to be ours or empty: the WAL switch and
 * these settings are the first changes we make to it. */
static int configure_writer(sqlite3 *db, int busy_timeout_ms, struct error *err)
{
    /* WAL lets readers (fencectl) and many writers (agents) coexist;
     * synchronous=FULL makes every committed record survive power loss. */
    if (enable_wal(db, busy_timeout_ms, err) != 0)
        return -1;
    /* Many writers at once starve checkpoints and the WAL grows (16 MiB
     * with 200 agents); once checkpointed it is cut back to 4 MiB. */
    if (sqlite3_exec(db, "PRAGMA synchronous = FULL; PRAGMA journal_size_limit = 4194304",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_error(err, db, "cannot set synchronous mode");
    return 0;
}

/* The last connection to close checkpoints the WAL (unless deferred) and
 * would then delete the -wal and -shm, so every process that writes
 * (each fence, each monitor) paid for creating them again, directory
 * fsync included. Persisted, they stay: the checkpoint still runs and
 * truncates the WAL (journal_size_limit), the -shm is reused. Set before
 * any statement, so it also holds for a connection that is refused. */
static void persist_wal(sqlite3 *db)
{
    int on = 1;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
}

static sqlite3 *open_writer(const char *path, struct error *err)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
                        db_vfs_name()) != SQLITE_OK) {
        errorf(err, "cannot open database %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    persist_wal(db);
    return db;
}

/* The builder's name beside path: "<path>.new", its side files after it. */
static int builder_name(char *out, size_t size, const char *path, const char *suffix)
{
    int n = snprintf(out, size, "%s.new%s", path, suffix);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Takes the builder's lock (flock on "<path>.new", created with our mode)
 * before deadline; its descriptor, or -1 with err. */
static int lock_builder(const char *builder, int64_t deadline, struct error *err)
{
    int fd = open(builder, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, record_file_mode());
    if (fd < 0)
        return errorf_errno(err, "cannot create %s", builder), -1;
    record_file_share(fd);   /* the database is this file, linked into place */
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            errorf_errno(err, "cannot lock %s", builder);
            close(fd);
            return -1;
        }
        if (monotonic_ms() >= deadline) {
            errorf(err, "another process is creating the database %s (%s is locked)",
                   builder, builder);
            close(fd);
            return -1;
        }
        usleep(2000);
    }
    return fd;
}

/* The builder's file made a complete database: WAL mode and every
 * migration committed, merged back into the file and synced. */
static int build_database(const char *builder, int fd, int busy_timeout_ms, struct error *err)
{
    char side[PATH_MAX];
    static const char *const sides[] = { "-wal", "-shm", "-journal" };
    /* What a builder killed half-way left: never applied to this one. */
    if (ftruncate(fd, 0) != 0)
        return errorf_errno(err, "cannot truncate %s", builder);
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++)
        if (builder_name(side, sizeof side, builder, sides[i]) == 0)
            unlink(side);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(builder, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
                        db_vfs_name()) != SQLITE_OK) {
        errorf(err, "cannot open %s: %s", builder, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    int rc = configure(db, busy_timeout_ms, err) == 0 &&
             configure_writer(db, busy_timeout_ms, err) == 0 &&
             migrate(db, builder, busy_timeout_ms, err) == DB_OPEN_OK ? 0 : -1;
    /* Not persisted: closing merges the WAL into the file and removes it. */
    db_close(db);
    if (builder_name(side, sizeof side, builder, WRITE_QUEUE_SUFFIX) == 0)
        unlink(side);
    if (rc == 0 && fsync(fd) != 0)
        rc = errorf_errno(err, "cannot sync %s", builder);
    return rc;
}

/* A new database appears complete or not at all: it is built as
 * "<path>.new" (our mode, every migration applied) and linked into place,
 * so a process killed while creating it (Pacemaker's SIGKILL, a node's
 * power) leaves no database without tables, only the builder's file,
 * which the next creator reuses. Creators take turns on the builder's
 * flock; whoever finds the database there once it has the lock is done. */
static int create_db_file(const char *path, int busy_timeout_ms, struct error *err)
{
    char dir_copy[PATH_MAX], builder[PATH_MAX];
    if (strlen(path) >= sizeof dir_copy || builder_name(builder, sizeof builder, path, "") != 0)
        return errorf(err, "database path too long");
    strcpy(dir_copy, path);
    if (record_dir_ensure(dirname(dir_copy), err) != 0)
        return -1;
    int fd = lock_builder(builder, monotonic_ms() + busy_timeout_ms, err);
    if (fd < 0)
        return -1;
    struct stat st;
    int rc = 0;
    if (lstat(path, &st) != 0) {
        rc = build_database(builder, fd, busy_timeout_ms, err);
        /* A file someone else put there meanwhile (an empty one made by
         * a sqlite3 shell, say) is judged as any file found there is. */
        if (rc == 0 && link(builder, path) != 0 && errno != EEXIST)
            rc = errorf_errno(err, "cannot create database %s", path);
        if (rc == 0)
            rc = fsync_dir(dir_copy, err);
    }
    unlink(builder);
    close(fd);
    return rc;
}

/* The file before SQLite sees it: a missing one is created (read-write)
 * or reported; one that is not ours is refused before anything opens it. */
static enum db_open_status check_file(const char *path, enum db_mode mode, int busy_timeout_ms,
                                      struct error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT) {
            errorf_errno(err, "cannot open database %s", path);
            return DB_OPEN_FAILED;
        }
        if (mode == DB_READ_ONLY) {
            errorf(err, "no such database: %s", path);
            return DB_OPEN_MISSING;
        }
        if (create_db_file(path, busy_timeout_ms, err) != 0)
            return DB_OPEN_FAILED;
    }
    enum db_file_kind kind;
    if (db_file_classify(path, &kind, err) != 0)
        return DB_OPEN_FAILED;
    if (kind == DB_FILE_FOREIGN || kind == DB_FILE_NOT_SQLITE)
        return DB_OPEN_INCOMPATIBLE;
    if (kind == DB_FILE_EMPTY && mode == DB_READ_ONLY) {
        errorf(err, "%s is an empty file: no fence has been recorded there", path);
        return DB_OPEN_MISSING;
    }
    return DB_OPEN_OK;
}

enum db_open_status db_open(const char *path, enum db_mode mode, int busy_timeout_ms,
                            sqlite3 **out, struct error *err)
{
    *out = NULL;
    enum db_open_status status = check_file(path, mode, busy_timeout_ms, err);
    if (status != DB_OPEN_OK)
        return status;
    sqlite3 *db = NULL;
    if (mode == DB_READ_ONLY ? db_file_open_read_only(path, &db, err) != 0
                             : !(db = open_writer(path, err)))
        return DB_OPEN_FAILED;
    status = DB_OPEN_FAILED;
    if (configure(db, busy_timeout_ms, err) == 0) {
        status = check_identity(db, path, mode, err);
        if (mode == DB_READ_WRITE && (status == DB_OPEN_OK || status == DB_OPEN_MISSING) &&
            configure_writer(db, busy_timeout_ms, err) != 0)
            status = DB_OPEN_FAILED;
        if (mode == DB_READ_WRITE && status == DB_OPEN_MISSING)
            status = migrate(db, path, busy_timeout_ms, err);
    }
    if (status != DB_OPEN_OK) {
        /* Another process holding the file (a writer stopped in its
         * checkpoint, an exclusive lock) is worth waiting for again. */
        int code = sqlite3_extended_errcode(db) & 0xff;
        if (status == DB_OPEN_FAILED && (code == SQLITE_BUSY || code == SQLITE_LOCKED))
            status = DB_OPEN_BUSY;
        /* Refused or failed: leave a WAL that is not ours as it is. */
        db_defer_checkpoint(db);
        db_close(db);
        return status;
    }
    *out = db;
    return DB_OPEN_OK;
}

void db_close(sqlite3 *db)
{
    leave_queue(db);
    /* The last writer to close checkpoints and cuts the persisted WAL to
     * 0 bytes. Left at its size, its frames (all copied already) would
     * look new to the next process, which starts without a wal-index:
     * every process, monitor included, read and copied them all again
     * (measured: 26 pages and two fdatasyncs per monitor, up to the 4 MiB
     * limit). The price is one directory fsync at the next writer's first
     * commit (db_vfs.c): in the recorder, off the fence's path. */
    sqlite3_close(db);
    db_file_release(db);   /* only the pointer's value: the lock it keyed */
}

void db_defer_checkpoint(sqlite3 *db)
{
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
}
