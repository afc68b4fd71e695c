/* history --follow. The database is read only when it changed: inotify
 * on its directory reports writes to the database file and its -wal
 * (where every commit lands first in WAL mode), with a slow poll as the
 * fallback where inotify sees nothing (NFS) or is unavailable. Reads are
 * at most one per FOLLOW_MIN_GAP_MS however fast the writes come. The
 * watch is set before the first read, so nothing written in between is
 * missed. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "db.h"
#include "history_follow.h"
#include "jsonw.h"
#include "strbuf.h"

#define FOLLOW_MIN_GAP_MS 100
#define FOLLOW_TRACKED_MAX 4096

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

#define ROW_COLUMNS "id, op_uuid, started_at, action, target_node, status, exit_code, " \
    SQL_OPERATION_MS ", requested_by, recorder_node, message FROM operations "

enum { C_ID, C_UUID, C_STARTED, C_ACTION, C_TARGET, C_STATUS, C_EXIT, C_MS, C_BY, C_RECORDER,
       C_MESSAGE, C_COUNT };

struct follower {
    const struct cli *cli;
    const struct follow_filters *f;
    sqlite3 *db;
    dev_t dev;                  /* the file open now: a new one at the path is followed */
    ino_t ino;
    sqlite3_stmt *newer, *one;
    sqlite3_int64 last_id;
    char newest_seen[40];       /* started_at of the newest row read so far */
    sqlite3_int64 *running;     /* printed as running, outcome not yet */
    size_t nrunning;
    bool failed;
};

static const char *text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static bool wanted(const struct follower *fw, sqlite3_stmt *st)
{
    const struct follow_filters *f = fw->f;
    return (!f->node || strcasecmp(f->node, text(st, C_TARGET)) == 0) &&
           (!f->action || strcmp(f->action, text(st, C_ACTION)) == 0);
}

static void print_header(const struct follower *fw)
{
    if (fw->cli->format == FORMAT_TABLE)
        printf("%-24s  %-36s  %-7s  %-16s  %-10s  %4s  %8s  %s\n", "started", "request_id",
               "action", "target", "status", "exit", "ms", "message");
    else if (fw->cli->format == FORMAT_CSV)
        puts("request_id,started,action,target,status,exit,duration_ms,requested_by,recorder,message");
}

static void csv_field(struct strbuf *sb, const char *v, bool last)
{
    if (strpbrk(v, ",\"\n\r")) {
        strbuf_addc(sb, '"');
        for (; *v; v++) {
            if (*v == '"')
                strbuf_addc(sb, '"');
            strbuf_addc(sb, *v);
        }
        strbuf_addc(sb, '"');
    } else {
        strbuf_adds(sb, v);
    }
    strbuf_addc(sb, last ? '\n' : ',');
}

/* One line per event, flushed at once: a pipe reader sees it now. */
static void print_row(struct follower *fw, sqlite3_stmt *st)
{
    if (fw->f->status && strcmp(fw->f->status, text(st, C_STATUS)) != 0)
        return;
    const char *v[C_COUNT];
    for (int i = 0; i < C_COUNT; i++)
        v[i] = text(st, i) ? text(st, i) : "";
    struct strbuf sb = STRBUF_INIT;
    if (fw->cli->format == FORMAT_JSON) {
        static const char *const keys[] = { NULL, "request_id", "started", "action", "target",
            "status", "exit", "duration_ms", "requested_by", "recorder", "message" };
        strbuf_addc(&sb, '{');
        for (int i = C_UUID; i < C_COUNT; i++) {
            strbuf_adds(&sb, i > C_UUID ? ", " : "");
            json_add_string(&sb, keys[i]);
            strbuf_adds(&sb, ": ");
            if (sqlite3_column_type(st, i) == SQLITE_NULL)
                strbuf_adds(&sb, "null");
            else if (i == C_EXIT || i == C_MS)
                strbuf_addf(&sb, "%lld", (long long)sqlite3_column_int64(st, i));
            else
                json_add_string(&sb, v[i]);
        }
        strbuf_adds(&sb, "}\n");
    } else if (fw->cli->format == FORMAT_CSV) {
        int order[] = { C_UUID, C_STARTED, C_ACTION, C_TARGET, C_STATUS, C_EXIT, C_MS, C_BY,
                        C_RECORDER, C_MESSAGE };
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
            csv_field(&sb, v[order[i]], i + 1 == sizeof order / sizeof order[0]);
    } else {
        strbuf_addf(&sb, "%-24s  %-36s  %-7s  %-16s  %-10s  %4s  %8s  ", v[C_STARTED], v[C_UUID],
                    v[C_ACTION], v[C_TARGET], v[C_STATUS], v[C_EXIT], v[C_MS]);
        for (const char *m = v[C_MESSAGE]; *m; m++)   /* one line per event */
            strbuf_addc(&sb, (unsigned char)*m < 0x20 ? ' ' : *m);
        strbuf_addc(&sb, '\n');
    }
    if (fputs(strbuf_str(&sb), stdout) == EOF || fflush(stdout) != 0 || strbuf_failed(&sb))
        fw->failed = true;
    strbuf_release(&sb);
}

static void track(struct follower *fw, sqlite3_stmt *st)
{
    if (strcmp(text(st, C_STATUS), "running") != 0 || fw->nrunning == FOLLOW_TRACKED_MAX)
        return;
    fw->running[fw->nrunning++] = sqlite3_column_int64(st, C_ID);
}

/* New operations since the last read, then the outcomes of those shown
 * as running. Returns -1 on a database error. */
static int catch_up(struct follower *fw)
{
    sqlite3_reset(fw->newer);
    sqlite3_bind_int64(fw->newer, 1, fw->last_id);
    int rc;
    while ((rc = sqlite3_step(fw->newer)) == SQLITE_ROW) {
        fw->last_id = sqlite3_column_int64(fw->newer, C_ID);
        if (strcmp(text(fw->newer, C_STARTED), fw->newest_seen) > 0)
            snprintf(fw->newest_seen, sizeof fw->newest_seen, "%s", text(fw->newer, C_STARTED));
        if (!wanted(fw, fw->newer))
            continue;
        print_row(fw, fw->newer);
        track(fw, fw->newer);
    }
    if (rc != SQLITE_DONE)
        return -1;
    for (size_t i = 0; i < fw->nrunning;) {
        sqlite3_reset(fw->one);
        sqlite3_bind_int64(fw->one, 1, fw->running[i]);
        rc = sqlite3_step(fw->one);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return -1;
        if (rc == SQLITE_ROW && strcmp(text(fw->one, C_STATUS), "running") == 0) {
            i++;
            continue;
        }
        if (rc == SQLITE_ROW)
            print_row(fw, fw->one);
        fw->running[i] = fw->running[--fw->nrunning];   /* done (or pruned) */
    }
    /* A statement left on a row keeps its read transaction, and so the
     * snapshot: every later read would see the database as it was. */
    sqlite3_reset(fw->one);
    return 0;
}

/* The newest `initial` matching rows, printed oldest first. */
static int first_rows(struct follower *fw)
{
    sqlite3_stmt *st;
    struct error err;
    int64_t last = 0;
    sqlite3_stmt *newest;
    if (sqlite3_prepare_v2(fw->db, "SELECT coalesce(max(started_at), '') FROM operations", -1,
                           &newest, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(newest) == SQLITE_ROW)
        snprintf(fw->newest_seen, sizeof fw->newest_seen, "%s", sqlite3_column_text(newest, 0));
    sqlite3_finalize(newest);
    if (db_query_int(fw->db, "SELECT coalesce(max(id), 0) FROM operations", &last, &err) != 0 ||
        sqlite3_prepare_v2(fw->db, "SELECT " ROW_COLUMNS "WHERE (?1 IS NULL OR target_node = ?1 "
            "COLLATE NOCASE) AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR started_at >= ?3) "
            "ORDER BY started_at DESC, id DESC LIMIT ?4", -1, &st, NULL) != SQLITE_OK)
        return -1;
    fw->last_id = last;
    sqlite3_bind_text(st, 1, fw->f->node, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, fw->f->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, fw->f->since, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, fw->f->initial);
    sqlite3_int64 *ids = calloc((size_t)fw->f->initial + 1, sizeof *ids);
    size_t n = 0;
    while (ids && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, C_ID);
    sqlite3_finalize(st);
    if (!ids)
        return -1;
    for (size_t i = n; i-- > 0;) {
        sqlite3_reset(fw->one);
        sqlite3_bind_int64(fw->one, 1, ids[i]);
        if (sqlite3_step(fw->one) == SQLITE_ROW) {
            print_row(fw, fw->one);
            track(fw, fw->one);
        }
    }
    sqlite3_reset(fw->one);
    free(ids);
    return 0;
}

/* inotify on the database's directory; -1 if unavailable (then polling). */
static int watch_directory(const char *db_path)
{
    char dir_buf[PATH_MAX];
    if (strlen(db_path) >= sizeof dir_buf)
        return -1;
    strcpy(dir_buf, db_path);
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return -1;
    if (inotify_add_watch(fd, dirname(dir_buf), IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE |
                          IN_MOVED_TO | IN_DELETE) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Did the events name the database or its -wal? Drains them all. */
static bool relevant_events(int fd, const char *base)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    size_t blen = strlen(base);
    bool hit = false;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *)p;
            if (e->len && strncmp(e->name, base, blen) == 0 &&
                (e->name[blen] == '\0' || strcmp(e->name + blen, "-wal") == 0))
                hit = true;
            if (e->mask & IN_Q_OVERFLOW)
                hit = true;
            p += sizeof *e + e->len;
        }
    }
    return hit;
}

static bool prepare_statements(struct follower *fw)
{
    return sqlite3_prepare_v2(fw->db, "SELECT " ROW_COLUMNS "WHERE id > ?1 ORDER BY id", -1,
                              &fw->newer, NULL) == SQLITE_OK &&
           sqlite3_prepare_v2(fw->db, "SELECT " ROW_COLUMNS "WHERE id = ?1", -1, &fw->one,
                              NULL) == SQLITE_OK;
}

static void close_database(struct follower *fw)
{
    sqlite3_finalize(fw->newer);
    sqlite3_finalize(fw->one);
    fw->newer = fw->one = NULL;
    sqlite3_close(fw->db);
    fw->db = NULL;
}

static int open_when_there(const struct cli *cli, sqlite3 **db);

/* Which file the follower reads, to notice another one at its path. */
static void note_file(struct follower *fw)
{
    struct stat st;
    if (stat(fw->cli->paths.db_path, &st) == 0) {
        fw->dev = st.st_dev;
        fw->ino = st.st_ino;
    }
}

/* Like tail -F: the database deleted, replaced (moved aside and restored
 * by import, the documented repair) or recreated is said on stderr and the
 * file now at the path is followed: its rows that started after the newest
 * one read before (what import restored is older and was shown). Returns
 * -1 if it cannot be read. */
static int follow_the_path(struct follower *fw)
{
    struct stat st;
    bool there = stat(fw->cli->paths.db_path, &st) == 0;
    if (there && st.st_dev == fw->dev && st.st_ino == fw->ino)
        return 0;
    fprintf(stderr, "fencectl history: %s was %s; following the file at that path\n",
            fw->cli->paths.db_path, there ? "replaced" : "removed");
    close_database(fw);
    int64_t last = 0;
    if (open_when_there(fw->cli, &fw->db) != EXIT_OK || !fw->db)
        return fw->db || stop_requested ? 0 : -1;
    note_file(fw);
    sqlite3_stmt *older;
    if (!prepare_statements(fw) ||
        sqlite3_prepare_v2(fw->db, "SELECT coalesce(max(id), 0) FROM operations "
                           "WHERE started_at <= ?", -1, &older, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(older, 1, fw->newest_seen, -1, SQLITE_STATIC);
    int rc = sqlite3_step(older);
    last = rc == SQLITE_ROW ? sqlite3_column_int64(older, 0) : 0;
    sqlite3_finalize(older);
    if (rc != SQLITE_ROW)
        return -1;
    fw->last_id = last;
    fw->nrunning = 0;   /* their ids mean nothing in another file */
    return 0;
}

static int loop(struct follower *fw, int ifd, const char *base)
{
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &none);
    sigdelset(&none, SIGINT);
    sigdelset(&none, SIGTERM);
    int64_t last_read = monotonic_ms();
    bool pending = false;
    while (!stop_requested && !fw->failed) {
        int64_t now = monotonic_ms();
        int64_t wait = pending ? last_read + FOLLOW_MIN_GAP_MS - now
                               : last_read + fw->f->fallback_poll_ms - now;
        if (wait < 0)
            wait = 0;
        struct timespec ts = { wait / 1000, (wait % 1000) * 1000000 };
        struct pollfd p = { .fd = ifd, .events = POLLIN };
        int rc = ppoll(&p, ifd >= 0 ? 1 : 0, &ts, &none);
        if (rc < 0 && errno != EINTR)
            return -1;
        if (rc > 0 && relevant_events(ifd, base))
            pending = true;
        now = monotonic_ms();
        bool due = pending ? now - last_read >= FOLLOW_MIN_GAP_MS
                           : now - last_read >= fw->f->fallback_poll_ms;
        if (stop_requested || !due)
            continue;
        if (follow_the_path(fw) != 0 || (fw->db && catch_up(fw) != 0))
            return -1;
        last_read = monotonic_ms();
        pending = false;
    }
    return 0;
}

/* Like journalctl -f on a fresh system: a database not created yet (no
 * fence so far) is waited for, once a second, not an error. */
static int open_when_there(const struct cli *cli, sqlite3 **db)
{
    struct error err;
    bool said = false;
    for (;;) {
        enum db_open_status st = db_open(cli->paths.db_path, DB_READ_ONLY, 5000, db, &err);
        if (st == DB_OPEN_OK) {
            /* Checked as ours and current. A one-shot read may lock writers
             * out for its few milliseconds (lib/db_file.c, when the WAL is
             * gone); a follower never must, nor read an immutable snapshot:
             * it reads through SQLite's ordinary read-only open, whose
             * -wal/-shm are SQLite's own business. */
            db_close(*db);
            *db = NULL;
            if (sqlite3_open_v2(cli->paths.db_path, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW,
                                NULL) != SQLITE_OK) {
                fprintf(stderr, "fencectl history: cannot open %s: %s\n", cli->paths.db_path,
                        *db ? sqlite3_errmsg(*db) : "out of memory");
                sqlite3_close(*db);
                *db = NULL;
                return EXIT_FAILURE_RT;
            }
            sqlite3_busy_timeout(*db, 5000);
            return EXIT_OK;
        }
        if (st != DB_OPEN_MISSING) {
            fprintf(stderr, "fencectl history: %s\n", err.msg);
            return st == DB_OPEN_FAILED || st == DB_OPEN_BUSY ? EXIT_FAILURE_RT : EXIT_NO_DATABASE;
        }
        if (!said)
            fprintf(stderr, "fencectl history: %s; waiting for the first fence\n", err.msg);
        said = true;
        if (stop_requested) {
            *db = NULL;
            return EXIT_OK;
        }
        sleep(1);
    }
}

int history_follow(struct cli *cli, const struct follow_filters *f)
{
    if (cli->db_count > 1) {
        fprintf(stderr, "fencectl history: --follow reads one database (one --db)\n");
        return EXIT_USAGE;
    }
    struct sigaction sa = { .sa_handler = on_stop };   /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    struct follower fw = { .cli = cli, .f = f };
    int rc = open_when_there(cli, &fw.db);
    if (rc != EXIT_OK || !fw.db)   /* no database, or interrupted while waiting for it */
        return rc;
    char base_buf[PATH_MAX];
    snprintf(base_buf, sizeof base_buf, "%s", cli->paths.db_path);
    const char *base = basename(base_buf);
    int ifd = watch_directory(cli->paths.db_path);
    fw.running = calloc(FOLLOW_TRACKED_MAX, sizeof *fw.running);
    rc = EXIT_OK;
    note_file(&fw);
    if (!fw.running || !prepare_statements(&fw)) {
        rc = EXIT_FAILURE_RT;
    } else {
        print_header(&fw);
        if (first_rows(&fw) != 0 || loop(&fw, ifd, base) != 0)
            rc = EXIT_FAILURE_RT;
    }
    if (rc != EXIT_OK)
        fprintf(stderr, "fencectl history: following %s: %s\n", cli->paths.db_path,
                !fw.running ? "out of memory" : fw.db ? sqlite3_errmsg(fw.db) : "cannot open it");
    if (fw.failed) {
        fprintf(stderr, "fencectl history: cannot write the output\n");
        rc = EXIT_FAILURE_RT;
    }
    if (ifd >= 0)
        close(ifd);
    close_database(&fw);
    free(fw.running);
    return rc;
}
