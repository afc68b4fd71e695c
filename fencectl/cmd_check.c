/* fencectl check: health for a monitoring system. Exit 1 with one
 * "PROBLEM:" line per problem (and indented details) whenever a fence
 * would fail or the record is incomplete, each saying how to repair it;
 * "OK" and exit 0 otherwise. Long lists are summarised: the oldest
 * CHECK_SHOWN, a count, and --all for everything. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "cib_devices.h"
#include "cli.h"
#include "identity.h"
#include "config.h"
#include "db.h"
#include "dirscan.h"
#include "files.h"
#include "held_lines.h"
#include "logcheck.h"
#include "joined_fenced.h"
#include "online_fenced.h"
#include "oldest.h"
#include "probe.h"
#include "schema.h"
#include "timeparse.h"
#include "unrecorded.h"
#include "write_queue.h"

#define CHECK_SHOWN 20

static const char usage_text[] = "Usage: fencectl check [--fence-timeout DUR] [--all]\n"
    "  Reports what would make a fence fail or the record incomplete: the\n"
    "  directories (the request directory is probed with a small file), the\n"
    "  database, jsonl log lines missing from it, operations left 'running',\n"
    "  and requests pending longer than the fence timeout (default 60s).\n"
    "  Lists show the oldest 20; --all shows every entry.\n";

struct checker {
    const struct cli *cli;
    int problems;
    time_t now;
    int64_t fence_timeout;
    bool all;
    sqlite3 *db;                 /* NULL when it cannot be read */
};

static void problem(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct checker *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("PROBLEM: ");
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    c->problems++;
}

static void check_dir(struct checker *c, const char *what, const char *dir, int mode)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        problem(c, "%s %s is missing or not a directory", what, dir);
    else if (access(dir, mode) != 0)
        problem(c, "%s %s is not accessible (permissions)", what, dir);
}

/* What a fence does first: create, write and sync a file there. */
static void check_request_dir_writable(struct checker *c)
{
    struct stat st;
    struct error err;
    const char *dir = c->cli->paths.request_dir;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && dir_write_probe(dir, true, &err) != 0)
        problem(c, "request directory %s; free space there or fix the mount, then run "
                "'fencectl check' again", err.msg);
}

static void check_db(struct checker *c)
{
    struct error err;
    if (db_open(c->cli->paths.db_path, DB_READ_ONLY, 5000, &c->db, &err) != DB_OPEN_OK) {
        problem(c, "database: %s", err.msg);
        c->db = NULL;
        return;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
        problem(c, "database %s: %s", c->cli->paths.db_path, sqlite3_errmsg(c->db));
        return;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (r && strcmp(r, "ok") != 0)
            problem(c, "database %s integrity: %s", c->cli->paths.db_path, r);
    }
    sqlite3_finalize(st);
}

/* ---- requests nobody answered -------------------------------------------- */

struct stale_scan {
    struct checker *c;
    struct name_set answered;    /* response file names */
    struct oldest stale;
    bool oom;
};

static void collect_answered(const struct dir_entry *e, void *arg)
{
    struct stale_scan *s = arg;
    if (!s->oom && name_set_add(&s->answered, e->name) != 0)
        s->oom = true;
}

static void collect_stale(const struct dir_entry *e, void *arg)
{
    struct stale_scan *s = arg;
    time_t age = s->c->now - e->mtime;
    if (s->oom || age <= s->c->fence_timeout || name_set_has(&s->answered, e->name))
        return;
    if (oldest_add(&s->stale, age, e->name, "", "") != 0)
        s->oom = true;
}

static void report_stale(struct checker *c, struct stale_scan *s)
{
    oldest_sort(&s->stale);
    if (s->stale.n < s->stale.count)
        problem(c, "%zu requests unanswered for over %llds (is the storage reconciler running?); "
                "the oldest %zu:", s->stale.count, (long long)c->fence_timeout, s->stale.n);
    for (size_t i = 0; i < s->stale.n; i++) {
        char age[32];
        format_age(s->stale.v[i].age, age, sizeof age);
        problem(c, "request %s unanswered for %s (is the storage reconciler running?)",
                s->stale.v[i].name, age);
    }
    if (s->stale.n < s->stale.count)
        printf("    ... and %zu more: 'fencectl check --all' lists them, 'fencectl orphans' "
               "describes them\n", s->stale.count - s->stale.n);
}

static void check_stale_requests(struct checker *c)
{
    struct stale_scan s = { .c = c, .stale.k = c->all ? 0 : CHECK_SHOWN };
    struct error err;
    /* One listing of the responses instead of a stat per request: a
     * directory of 100,000 files is read in one go. */
    if (dir_scan_names(c->cli->paths.response_dir, collect_answered, &s, &err) == 0 && !s.oom) {
        if (dir_scan(c->cli->paths.request_dir, false, collect_stale, &s, &err) != 0 && c->problems == 0)
            problem(c, "%s", err.msg);
    } else if (!s.oom && c->problems == 0) {
        problem(c, "%s", err.msg);
    }
    if (s.oom)
        problem(c, "out of memory listing the request and response directories");
    else
        report_stale(c, &s);
    name_set_free(&s.answered);
    oldest_free(&s.stale);
}

/* ---- the record: logs-only lines, operations left running ---------------- */

struct running_op {
    struct logcheck_running log;   /* first: sorted and searched by op_uuid */
    char action[16], target[NODE_NAME_MAX + 1], host[256];
    bool imported;                 /* rebuilt by fencectl import (log lines or files) */
    long long pid;
    time_t age;
};

static int by_uuid(const void *a, const void *b)
{
    return strcmp(((const struct running_op *)a)->log.op_uuid, ((const struct running_op *)b)->log.op_uuid);
}

static size_t running_ops(sqlite3 *db, struct running_op **out)
{
    sqlite3_stmt *st;
    size_t n = 0, cap = 0;
    *out = NULL;
    if (sqlite3_prepare_v2(db, "SELECT op_uuid, action, target_node, agent_pid, recorder_node, "
                           "CAST(strftime('%s', 'now') - strftime('%s', started_at) AS INTEGER), "
                           "requested_by = 'import' "
                           "FROM operations WHERE status = 'running'", -1, &st, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            struct running_op *more = realloc(*out, cap * sizeof *more);
            if (!more)
                break;
            *out = more;
        }
        struct running_op *r = &(*out)[n++];
        memset(r, 0, sizeof *r);
        snprintf(r->log.op_uuid, sizeof r->log.op_uuid, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(r->action, sizeof r->action, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(r->target, sizeof r->target, "%s", (const char *)sqlite3_column_text(st, 2));
        r->pid = sqlite3_column_int64(st, 3);
        snprintf(r->host, sizeof r->host, "%s", (const char *)sqlite3_column_text(st, 4));
        r->age = (time_t)sqlite3_column_int64(st, 5);
        r->imported = sqlite3_column_int(st, 6) != 0;
    }
    sqlite3_finalize(st);
    if (n > 1)   /* qsort of NULL, even of 0 items, is undefined */
        qsort(*out, n, sizeof **out, by_uuid);
    return n;
}

/* Is pid a live fence_recorder here? A reused pid of another program is
 * not; where /proc cannot tell, alive is assumed (no false alarm). */
static bool agent_alive(long long pid)
{
    if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH))
        return false;
    char path[64], comm[64] = "";
    snprintf(path, sizeof path, "/proc/%lld/comm", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return true;
    bool ours = fgets(comm, sizeof comm, f) == NULL || strncmp(comm, "fence_recorder", 14) == 0;
    fclose(f);
    return ours;
}

static bool is_outcome(const char *status)
{
    return status[0] && strcmp(status, "requested") != 0 && strcmp(status, "initiated") != 0;
}

static void report_running(struct checker *c, const struct running_op *r, size_t n, const char *jsonl)
{
    char host[256];
    identity_host_name(host, sizeof host);
    for (size_t i = 0; i < n; i++) {
        char age[32];
        format_age(r[i].age, age, sizeof age);
        if (is_outcome(r[i].log.outcome))
            problem(c, "operation %s (%s of %s) is still 'running' in the database, but %s has "
                    "its outcome '%s': record it with 'fencectl import %s'", r[i].log.op_uuid,
                    r[i].action, r[i].target, jsonl, r[i].log.outcome, jsonl);
        else if (r[i].imported)
            problem(c, "operation %s (%s of %s) was imported from log lines or files that hold "
                    "no outcome for it: what the storage system answered and what Pacemaker saw "
                    "are unknown here; import the log that holds the rest of it, or see whether "
                    "a response still fences the node ('fencectl fenced --node %s')", r[i].log.op_uuid,
                    r[i].action, r[i].target, r[i].target);
        else if (r[i].age > c->fence_timeout && strcmp(r[i].host, host) == 0 && !agent_alive(r[i].pid))
            problem(c, "operation %s (%s of %s, started %s ago) is still 'running' in the database "
                    "but its agent (pid %lld) is gone and no outcome was recorded anywhere: what "
                    "the storage system answered and what Pacemaker saw are unknown here "
                    "('fencectl orphans' lists it; 'fencectl fenced --node %s' shows whether a "
                    "response fences the node)", r[i].log.op_uuid, r[i].action, r[i].target, age,
                    r[i].pid, r[i].target);
    }
}

static void check_record(struct checker *c)
{
    if (!c->db)
        return;
    char jsonl[4096], why[768];
    struct error err;
    bool compare_logs = cli_logs_are_the_databases(c->cli, c->db, why, sizeof why);
    if (!compare_logs)
        printf("INFO: the logs in %s are not compared with %s: %s\n", c->cli->paths.log_dir,
               c->cli->paths.db_path, why);
    if (path_join(jsonl, sizeof jsonl, c->cli->paths.log_dir, LOG_FILE_JSONL, &err) != 0) {
        problem(c, "%s", err.msg);
        return;
    }
    struct running_op *running;
    size_t n = running_ops(c->db, &running);
    struct logcheck_running *logs = malloc((n ? n : 1) * sizeof *logs);
    struct logcheck lc;
    for (size_t i = 0; logs && i < n; i++)
        logs[i] = running[i].log;
    if (!logs) {
        problem(c, "out of memory comparing the logs with the database");
    } else if (!compare_logs) {
        report_running(c, running, n, jsonl);
    } else if (logcheck_jsonl(c->db, jsonl, logs, n, &lc, &err) != 0) {
        problem(c, "cannot compare the logs with the database: %s", err.msg);
    } else {
        for (size_t i = 0; i < n; i++)
            running[i].log = logs[i];
        if (lc.fragments)
            printf("INFO: %ld line(s) of %s were cut short by a write that failed (a full disk?), "
                   "the first at line %ld (byte %lld): not events, left as they are; the "
                   "next line starts on a line of its own\n", lc.fragments, jsonl,
                   lc.first_fragment_line, lc.first_fragment_offset);
        if (lc.missing > 0) {
            problem(c, "%ld line(s) of %s are not in the database (recorded to the logs only, "
                    "while the database was unavailable): restore them with 'fencectl import %s'",
                    lc.missing, jsonl, jsonl);
            for (int i = 0; i < lc.shown; i++)
                printf("    %s\n", lc.first[i]);
            if (lc.missing > lc.shown)
                printf("    ... and %ld more\n", lc.missing - lc.shown);
        }
        report_running(c, running, n, jsonl);
    }
    free(logs);
    free(running);
}

/* ---- lines of a writer that died between its commit and its log write ---- */

static void held_problem(void *ctx, const struct held_missing *m)
{
    struct checker *c = ctx;
    long lines = 0;
    for (size_t i = 0; i < m->len; i++)
        lines += m->lines[i] == '\n';
    problem(c, "%ld line(s) of a step committed at %s are in the database but missing from %s "
            "(its writer ended between its commit and its log write): the next record writes "
            "them; 'fencectl export' shows them now", lines, m->step_at ? m->step_at : "?",
            m->path);
}

/* Read in the writers' turn: a writer between its commit and its appends
 * is not a gap. Without a queue file no writer has written here (check
 * creates none: it leaves nothing beside a copy it reads); a reader that
 * cannot queue (cannot read the file) reads without it. */
static void check_held_lines(struct checker *c)
{
    if (!c->db)
        return;
    struct write_queue turn = WRITE_QUEUE_INIT(c->cli->paths.db_path);
    turn.existing_only = true;
    if (write_queue_enter(&turn, monotonic_ms() + c->cli->db_timeout_ms) == QUEUE_TIMED_OUT) {
        write_queue_leave(&turn);
        printf("INFO: the writers kept the database for %d ms: the last step's log lines not "
               "checked\n", c->cli->db_timeout_ms);
        return;
    }
    struct error err;
    if (held_lines_missing(c->db, held_problem, c, &err) < 0)
        problem(c, "%s", err.msg);
    write_queue_leave(&turn);
}

static void cib_problem(void *ctx, const char *text)
{
    problem(ctx, "%s", text);
}

/* The devices in the CIB, when this is a cluster node: their timeouts
 * against Pacemaker's. A CIB that cannot be read is not a problem here. */
static void check_cib(struct checker *c)
{
    static struct cib_devices devs;
    struct error err;
    if (cib_devices_read(3000, &devs, &err) == 0)
        cib_timeout_problems(&devs, cib_problem, c);
}

/* Fences whose files are here but whose operation is not: the record lost
 * them (or a recorder still waits for a locked database: it gives up after
 * 10 minutes). Older than the fence timeout, they are named. */
static void check_unrecorded(struct checker *c)
{
    if (!c->db)
        return;
    char host[256];
    struct unrecorded u;
    struct error err;
    if (!identity_host_name(host, sizeof host))
        return;
    if (unrecorded_find(c->db, &c->cli->paths, host, c->now, (time_t)c->fence_timeout, &u,
                        &err) != 0) {
        problem(c, "%s: fences missing from the record not checked", err.msg);
        return;
    }
    if (u.n)
        problem(c, "%zu fence(s) of this node have request or response files but no operation "
                "in the database (the record lost them, or a recorder still waits for the "
                "database, for 10 minutes at most): rebuild them from the files with "
                "'fencectl import --from-files'", u.n);
    for (size_t i = 0; i < u.n && (c->all || i < CHECK_SHOWN); i++)
        printf("    %s of %s: %s%s%s\n", u.v[i].action, u.v[i].node,
               u.v[i].request.name[0] ? u.v[i].request.name : "",
               u.v[i].request.name[0] && u.v[i].response.name[0] ? " answered " : "",
               u.v[i].response.name[0] ? u.v[i].response.name : " (no answer)");
    if (!c->all && u.n > CHECK_SHOWN)
        printf("    ... and %zu more: 'fencectl check --all' lists them\n", u.n - CHECK_SHOWN);
    unrecorded_free(&u);
}

static void online_fenced_problem(void *arg, const char *node, const char *response_file,
                                  time_t since)
{
    char text[768], at[32];
    struct checker *c = arg;
    audit_iso(since, at);
    online_fenced_text(text, sizeof text, node, response_file);
    problem(c, "%s (fenced since %s)", text, at);
}

/* On a cluster node: a node online while the storage system holds it
 * fenced (a partition healed without a restart). Elsewhere, or with the
 * cluster down, there is no membership to compare: said, not a problem. */
static void check_online_fenced(struct checker *c)
{
    struct membership m;
    struct error err;
    if (audit_membership(3000, &m, &err) != 0) {
        printf("INFO: cluster membership not read (%s): nodes online while fenced not "
               "checked\n", err.msg);
    } else if (online_fenced_scan(c->cli->paths.response_dir, &m, online_fenced_problem, c,
                                  &err) < 0) {
        problem(c, "%s: nodes online while fenced not checked", err.msg);
    }
    free(m.v);
}

static void joined_fenced_problem(void *arg, const char *node, const char *joined_at,
                                  const char *response_file, int still)
{
    struct checker *c = arg;
    if (still)
        problem(c, "%s joined the cluster at %s while its storage is fenced (%s still fences "
                "it): restart the node (Pacemaker unfences it when it rejoins), never unfence "
                "a node that did not restart", node, joined_at, response_file);
}

/* Recorded by the alert agent on every node that got the member alert:
 * the CRITICAL stays a problem until the response file is gone. */
static void check_joined_fenced(struct checker *c)
{
    struct error err;
    if (c->db && joined_fenced_scan(c->db, c->cli->paths.response_dir, joined_fenced_problem, c,
                                    &err) < 0)
        printf("INFO: %s: members that joined while fenced not checked\n", err.msg);
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = { { "fence-timeout", required_argument, NULL, 't' },
                                              { "all", no_argument, NULL, 'a' },
                                              CLI_COMMON_LONGOPTS, { 0 } };
    struct checker c = { .cli = cli, .now = time(NULL), .fence_timeout = 60 };
    struct error err;
    int opt;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((opt = getopt_long(argc, argv, "t:af:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, opt, optarg, usage_text);
        if (common < 0 || (!common && opt != 't' && opt != 'a') ||
            (opt == 't' && parse_duration(optarg, &c.fence_timeout, &err) != 0)) {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        c.all |= opt == 'a';
    }
    if (cli_no_operands(argc, argv, "check", usage_text) != 0)
        return EXIT_USAGE;
    check_dir(&c, "request directory", cli->paths.request_dir, W_OK | X_OK);
    check_request_dir_writable(&c);
    check_dir(&c, "response directory", cli->paths.response_dir, R_OK | X_OK);
    check_dir(&c, "log directory", cli->paths.log_dir, W_OK | X_OK);
    check_db(&c);
    check_record(&c);
    check_held_lines(&c);
    check_stale_requests(&c);
    check_unrecorded(&c);
    check_cib(&c);
    check_online_fenced(&c);
    check_joined_fenced(&c);
    db_close(c.db);
    printf("INFO: %s\n", cli->cib.source);
    if (c.problems == 0)
        printf("OK: directories usable, request directory writable, database intact (schema %d), "
               "every jsonl line recorded, no request pending over %llds\n",
               schema_migration_count, (long long)c.fence_timeout);
    return c.problems ? EXIT_FAILURE_RT : EXIT_OK;
}
