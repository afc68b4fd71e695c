/* fencectl prune: remove stale request files (and the agent's abandoned
 * dot-temp files), each recorded in pruned_files with its content before
 * it is removed, and optionally database rows older than a cutoff. Safe
 * from cron while agents run: a request whose agent is alive (it holds a
 * flock on the file, lib/files.h) or whose operation still runs is never
 * touched. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "db.h"
#include "dirscan.h"
#include "files.h"
#include "timeparse.h"

static const char usage_text[] =
    "Usage: fencectl prune [--older-than DUR] [--events-older-than DUR] [--dry-run]\n"
    "  Removes request files older than DUR (default 1d), recording each first.\n"
    "  --events-older-than also deletes database rows of operations that ended\n"
    "  before then: that part of the record is gone afterwards.\n";

struct prune_run {
    const struct cli *cli;
    sqlite3 *db;
    time_t now;
    int64_t older_than;
    bool dry_run;
    int removed, kept;
};

static bool operation_running(sqlite3 *db, const char *request_id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM operations WHERE op_uuid = ? AND status = 'running'",
                           -1, &st, NULL) != SQLITE_OK)
        return true;   /* when unsure, keep the file */
    sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
    bool running = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return running;
}

static int record_file(struct prune_run *r, const struct dir_entry *e, const char *body,
                       const char *reason, struct error *err)
{
    char mtime[48], now[48];
    /* A file's mtime can be anything (touch -d); kept as a number then. */
    if (utc_format(e->mtime, "%Y-%m-%dT%H:%M:%SZ", mtime, sizeof mtime) != 0)
        snprintf(mtime, sizeof mtime, "%lld s since 1970", (long long)e->mtime);
    if (utc_format(r->now, "%Y-%m-%dT%H:%M:%SZ", now, sizeof now) != 0)
        snprintf(now, sizeof now, "%lld s since 1970", (long long)r->now);
    if (db_begin_write(r->db, r->cli->db_timeout_ms, err) != 0)
        return -1;
    if (db_execf(r->db, err, NULL, "INSERT INTO pruned_files (directory, file_name, body, "
                 "modified_at, pruned_at, reason) VALUES (?, ?, ?, ?, ?, ?)", "tttttt",
                 r->cli->paths.request_dir, e->name, body, mtime, now, reason) != 0) {
        db_rollback(r->db);
        return -1;
    }
    return db_commit(r->db, err);
}

static void prune_one(const struct dir_entry *e, void *arg)
{
    struct prune_run *r = arg;
    if (r->now - e->mtime < r->older_than || (!e->temp && operation_running(r->db, e->request_id)))
        return;
    char path[4096], age[32], reason[96];
    struct error err;
    struct locked_file lf;
    if (path_join(path, sizeof path, r->cli->paths.request_dir, e->name, &err) != 0) {
        fprintf(stderr, "fencectl prune: keeping %s: %s\n", e->name, err.msg);
        r->kept++;
        return;
    }
    /* Whatever its age, a file a live agent holds is its fence in
     * progress (the agent may wait on a lock, or for a slow reconciler). */
    switch (file_lock_for_removal(path, &lf, &err)) {
    case LOCK_TAKEN:
        break;
    case LOCK_IN_USE:
        printf("kept %s: its agent is still running\n", path);
        return;
    case LOCK_GONE:
        return;   /* renamed or answered meanwhile */
    default:
        fprintf(stderr, "fencectl prune: keeping %s: %s\n", e->name, err.msg);
        r->kept++;
        return;
    }
    format_age(r->now - e->mtime, age, sizeof age);
    snprintf(reason, sizeof reason, "%s, %s old", e->temp ? "abandoned temp file" : "unanswered request", age);
    if (r->dry_run) {
        locked_file_release(&lf);
        printf("would remove %s (%s)\n", path, reason);
        return;
    }
    char *body = NULL;
    size_t len;
    /* The lock is held from before the read until after the unlink. */
    if (locked_file_read(&lf, RESPONSE_MAX_BYTES, &body, &len, &err) != READ_OK ||
        record_file(r, e, body, reason, &err) != 0) {
        locked_file_release(&lf);
        fprintf(stderr, "fencectl prune: keeping %s: %s\n", e->name, err.msg);
        r->kept++;
    } else if (locked_file_remove(&lf, &err) != 0) {
        fprintf(stderr, "fencectl prune: recorded but kept %s: %s\n", e->name, err.msg);
        r->kept++;
    } else {
        printf("removed %s (%s; content recorded)\n", path, reason);
        r->removed++;
    }
    free(body);
}

/* The operations an age-based prune may delete: ended, and nothing in
 * them on or after the cutoff by any clock the record holds. The wall
 * clock can be stepped during a fence (finished_at before started_at, or
 * both long ago for a fence that just ended), so every stamp counts, and
 * so does started_at plus the monotonic duration. A stamp that is not a
 * time makes julianday() NULL and the operation is kept. Never one that
 * runs, whatever its stamps say. */
#define OLD_OPS_SQL \
    "SELECT o.id FROM operations o WHERE o.status <> 'running' AND o.finished_at IS NOT NULL " \
    "AND o.finished_at < ?1 AND o.started_at < ?1 AND julianday(o.started_at) IS NOT NULL " \
    "AND (o.duration_ms IS NULL OR julianday(o.started_at) * 86400000.0 + o.duration_ms " \
    "     < julianday(?1) * 86400000.0) " \
    "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.operation_id = o.id " \
    "                AND (e.logged_at >= ?1 OR e.utc_time >= ?1)) " \
    "AND NOT EXISTS (SELECT 1 FROM log_lines l WHERE l.operation_id = o.id AND l.logged_at >= ?1) " \
    "AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.operation_id = o.id AND r.recorded_at >= ?1) " \
    "AND NOT EXISTS (SELECT 1 FROM requests q WHERE q.operation_id = o.id AND q.written_at >= ?1) " \
    "AND NOT EXISTS (SELECT 1 FROM discoveries d WHERE d.operation_id = o.id AND d.started_at >= ?1) " \
    "AND NOT EXISTS (SELECT 1 FROM cluster_states c WHERE c.operation_id = o.id AND c.captured_at >= ?1) " \
    "AND o.op_uuid NOT IN (SELECT request_id FROM temp.live_files)"

/* The request ids whose request or response file is still there: their
 * operations stay, whatever their age (a successful response still fences
 * its node, and check would name a file no operation accounts for). */
struct live_files {
    sqlite3 *db;
    sqlite3_stmt *add;
    int failed;
};

static void live_file(const struct dir_entry *e, void *arg)
{
    struct live_files *l = arg;
    sqlite3_reset(l->add);
    sqlite3_bind_text(l->add, 1, e->request_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(l->add);
    l->failed |= rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT;
}

static int note_live_files(sqlite3 *db, const struct paths *paths, struct error *err)
{
    struct live_files l = { .db = db };
    if (sqlite3_exec(db, "CREATE TEMP TABLE IF NOT EXISTS live_files (request_id TEXT PRIMARY KEY)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.live_files VALUES (?)", -1, &l.add,
                           NULL) != SQLITE_OK)
        return errorf(err, "cannot note the files still there: %s", sqlite3_errmsg(db));
    int rc = 0;
    const char *dirs[] = { paths->response_dir, paths->request_dir };
    for (int i = 0; rc == 0 && i < 2; i++)   /* a directory not made yet holds no file */
        if (access(dirs[i], F_OK) == 0 || errno != ENOENT)
            rc = dir_scan_names(dirs[i], live_file, &l, err);
    sqlite3_finalize(l.add);
    if (rc == 0 && l.failed)
        rc = errorf(err, "cannot note the files still there: %s", sqlite3_errmsg(db));
    return rc;
}

/* A dry run only counts, on its read-only connection. */
static int count_old_ops(sqlite3 *db, const char *cutoff, int64_t *n, struct error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM (" OLD_OPS_SQL ")", -1, &st, NULL) != SQLITE_OK)
        return errorf(err, "cannot prepare query: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : errorf(err, "cannot read from database: %s", sqlite3_errmsg(db));
}

/* Rows of those operations, children first, in one transaction; log
 * lines and events without an operation by their time. */
static int prune_rows(sqlite3 *db, const char *cutoff, bool dry_run, int timeout_ms,
                      struct error *err)
{
    static const char *const deletes[] = {
        "DELETE FROM requests WHERE operation_id IN (SELECT id FROM old_ops)",
        "DELETE FROM responses WHERE operation_id IN (SELECT id FROM old_ops)",
        "DELETE FROM discoveries WHERE operation_id IN (SELECT id FROM old_ops)",
        "DELETE FROM cluster_states WHERE operation_id IN (SELECT id FROM old_ops)",
        "DELETE FROM log_lines WHERE operation_id IN (SELECT id FROM old_ops)",
        "DELETE FROM events WHERE operation_id IN (SELECT id FROM old_ops)",
        "DELETE FROM operations WHERE id IN (SELECT id FROM old_ops)",
    };
    int64_t n = 0;
    if (dry_run) {
        if (count_old_ops(db, cutoff, &n, err) != 0)
            return -1;
        printf("would delete %lld operation(s) that ended before %s\n", (long long)n, cutoff);
        return 0;
    }
    if (db_begin_write(db, timeout_ms, err) != 0)
        return -1;
    if (db_execf(db, err, NULL, "CREATE TEMP TABLE old_ops AS " OLD_OPS_SQL, "t", cutoff) != 0 ||
        db_query_int(db, "SELECT count(*) FROM old_ops", &n, err) != 0)
        goto failed;
    for (size_t i = 0; i < sizeof deletes / sizeof deletes[0]; i++)
        if (db_execf(db, err, NULL, deletes[i], "") != 0)
            goto failed;
    if (db_execf(db, err, NULL, "DELETE FROM log_lines WHERE operation_id IS NULL "
                 "AND logged_at < ?", "t", cutoff) != 0 ||
        db_execf(db, err, NULL, "DELETE FROM events WHERE operation_id IS NULL "
                 "AND logged_at < ? AND utc_time < ?", "tt", cutoff, cutoff) != 0 ||
        /* So that check knows the log lines before it are gone on purpose. */
        db_execf(db, err, NULL, "INSERT INTO prune_cutoffs (cutoff, pruned_at, operations) "
                 "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)", "ti", cutoff, n) != 0)
        goto failed;
    db_execf(db, err, NULL, "DROP TABLE old_ops", "");
    printf("deleted %lld operation(s) that ended before %s\n", (long long)n, cutoff);
    return db_commit(db, err);
failed:
    db_rollback(db);
    return -1;
}

int cmd_prune(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "older-than", required_argument, NULL, 'o' }, { "events-older-than", required_argument, NULL, 'e' },
        { "dry-run", no_argument, NULL, 'n' }, CLI_COMMON_LONGOPTS, { 0 } };
    struct prune_run r = { .cli = cli, .now = time(NULL), .older_than = 86400 };
    const char *events_age = NULL;
    struct error err;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "o:e:nf:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, c, optarg, usage_text);
        if (common < 0 || (!common && !strchr("oen", c)) ||
            (c == 'o' && parse_duration(optarg, &r.older_than, &err) != 0)) {
            fputs(c == 'o' ? err.msg : usage_text, stderr);
            fputc('\n', stderr);
            return EXIT_USAGE;
        }
        r.dry_run |= c == 'n';
        if (c == 'e')
            events_age = optarg;
    }
    if (cli_no_operands(argc, argv, "prune", usage_text) != 0)
        return EXIT_USAGE;
    char cutoff[32];
    if (events_age && parse_time_bound(events_age, r.now, cutoff, sizeof cutoff, &err) != 0) {
        fprintf(stderr, "fencectl prune: %s\n", err.msg);
        return EXIT_USAGE;
    }
    /* A dry run changes and creates nothing, so it reads only; a real run
     * opens read-write: nothing is removed without a record. */
    enum db_open_status st = db_open(cli->paths.db_path, r.dry_run ? DB_READ_ONLY : DB_READ_WRITE,
                                     cli->db_timeout_ms, &r.db, &err);
    if (st != DB_OPEN_OK) {
        fprintf(stderr, "fencectl prune: %s; nothing removed\n", err.msg);
        return st == DB_OPEN_FAILED || st == DB_OPEN_BUSY ? EXIT_FAILURE_RT : EXIT_NO_DATABASE;
    }
    int rc = EXIT_OK;
    if (dir_scan(cli->paths.request_dir, true, prune_one, &r, &err) != 0) {
        fprintf(stderr, "fencectl prune: %s\n", err.msg);
        rc = EXIT_FAILURE_RT;
    }
    if (events_age && (note_live_files(r.db, &cli->paths, &err) != 0 ||
                       prune_rows(r.db, cutoff, r.dry_run, cli->db_timeout_ms, &err) != 0)) {
        fprintf(stderr, "fencectl prune: %s\n", err.msg);
        rc = EXIT_FAILURE_RT;
    }
    db_close(r.db);
    return r.kept ? EXIT_FAILURE_RT : rc;
}
