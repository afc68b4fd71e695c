/* fencectl orphans: what was left half-way. Requests nobody answered,
 * responses the database has no request for, dot-temp files of writes
 * never completed, and operations whose agent never recorded an outcome
 * (killed, or still waiting). Each directory is read once, answered
 * requests are told by name, and the database is asked through one
 * prepared statement: 100,000 files take well under a second. A table is
 * for a person: per kind the oldest ORPHANS_SHOWN and a count (--all for
 * every row); JSON and CSV are for programs and always complete. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "dirscan.h"
#include "files.h"
#include "oldest.h"
#include "timeparse.h"

#define ORPHANS_SHOWN 20

static const char usage_text[] = "Usage: fencectl orphans [--older-than DUR] [--all] [--format table|json|csv]\n"
    "  DUR like 90s, 30m, 24h, 7d (default 0: everything). A table shows the\n"
    "  oldest 20 of each kind and their count; --all (or JSON/CSV) every one.\n";

enum kind { K_REQUEST, K_RESPONSE, K_TEMP, K_UNFINISHED, K_KILLED, K_COUNT };
static const char *const kind_names[K_COUNT] = {
    "request-unanswered", "response-without-request", "temp-abandoned",
    "operation-unfinished", "operation-killed",
};

struct orphan_scan {
    const struct cli *cli;
    sqlite3 *db;                 /* NULL: no database to compare with */
    sqlite3_stmt *known;         /* the request id's operation or request row */
    time_t now;
    int64_t older_than;
    struct oldest kinds[K_COUNT];
    struct name_set answered;    /* response file names */
    bool oom;
};

static void add(struct orphan_scan *s, enum kind k, const char *name, const char *node,
                time_t age, const char *detail)
{
    if (oldest_add(&s->kinds[k], age, name, node, detail) != 0)
        s->oom = true;
}

static bool request_known(struct orphan_scan *s, const char *request_id)
{
    if (!s->known)
        return false;
    sqlite3_reset(s->known);
    sqlite3_bind_text(s->known, 1, request_id, -1, SQLITE_STATIC);
    return sqlite3_step(s->known) == SQLITE_ROW;
}

/* Pass 1 over the responses: their names (what answers a request) and
 * those no recorded request explains. */
static void response_entry(const struct dir_entry *e, void *arg)
{
    struct orphan_scan *s = arg;
    time_t age = s->now - e->mtime;
    if (s->oom)
        return;
    if (e->temp) {
        if (age >= s->older_than)
            add(s, K_TEMP, e->name, "", age, "a write that never completed; "
                "'fencectl prune' records and removes it");
        return;
    }
    if (name_set_add(&s->answered, e->name) != 0) {
        s->oom = true;
        return;
    }
    if (s->db && age >= s->older_than && !request_known(s, e->request_id))
        add(s, K_RESPONSE, e->name, e->node, age, "no request recorded for it in this database");
}

static void request_entry(const struct dir_entry *e, void *arg)
{
    struct orphan_scan *s = arg;
    time_t age = s->now - e->mtime;
    if (s->oom || age < s->older_than)
        return;
    if (e->temp) {
        add(s, K_TEMP, e->name, "", age, "a write that never completed; "
            "'fencectl prune' records and removes it");
        return;
    }
    if (name_set_has(&s->answered, e->name))
        return;
    /* The detail (a database lookup) is worked out for the rows shown. */
    add(s, K_REQUEST, e->name, e->node, age, e->request_id);
}

/* Operations whose agent never recorded an outcome: still 'running' (the
 * agent waits, or died with no recorder), or 'terminated' by the
 * recorder after a kill (no exit code: the agent never exited itself). */
static int unfinished_operations(struct orphan_scan *s)
{
    if (!s->db)
        return 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT op_uuid, target_node, action, agent_pid, recorder_node, "
            "CAST(strftime('%s', 'now') - strftime('%s', started_at) AS INTEGER), status "
            "FROM operations WHERE status IN ('running', 'unknown') OR (status = 'terminated' AND "
            "exit_code IS NULL) ORDER BY started_at", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 age = sqlite3_column_int64(st, 5);
        if (age < s->older_than)
            continue;
        const char *status = (const char *)sqlite3_column_text(st, 6);
        bool running = strcmp(status, "running") == 0, unknown = strcmp(status, "unknown") == 0;
        char detail[200];
        snprintf(detail, sizeof detail, "%s by pid %lld on %s %s", sqlite3_column_text(st, 2),
                 (long long)sqlite3_column_int64(st, 3), sqlite3_column_text(st, 4),
                 running ? "never recorded an outcome"
                 : unknown ? "ended with its recorder before its outcome was recorded: unknown"
                 : "was killed before it exited");
        add(s, running || unknown ? K_UNFINISHED : K_KILLED, (const char *)sqlite3_column_text(st, 0),
            (const char *)sqlite3_column_text(st, 1), (time_t)age, detail);
    }
    sqlite3_finalize(st);
    return 0;
}

/* Rows, oldest first within each kind; returns how many a table left out. */
static size_t print_rows(struct orphan_scan *s, struct output *o)
{
    size_t left_out = 0;
    for (int k = 0; k < K_COUNT; k++) {
        struct oldest *l = &s->kinds[k];
        oldest_sort(l);
        for (size_t i = 0; i < l->n; i++) {
            char age[32];
            format_age(l->v[i].age, age, sizeof age);
            const char *detail = k != K_REQUEST ? l->v[i].detail : !s->db ? "no database to compare"
                : request_known(s, l->v[i].detail) ? "recorded; no response yet"
                : "not in this database (another recorder, or written by hand)";
            const char *v[] = { kind_names[k], l->v[i].name, l->v[i].node, age, detail };
            output_row(o, v);
        }
        left_out += l->count - l->n;
    }
    return left_out;
}

static void print_summary(const struct orphan_scan *s)
{
    printf("\nshown: the oldest %d of each kind, of", ORPHANS_SHOWN);
    for (int k = 0; k < K_COUNT; k++)
        if (s->kinds[k].count)
            printf(" %zu %s", s->kinds[k].count, kind_names[k]);
    printf("; 'fencectl orphans --all' (or --format csv) lists every one\n");
}

static void release(struct orphan_scan *s)
{
    for (int k = 0; k < K_COUNT; k++)
        oldest_free(&s->kinds[k]);
    name_set_free(&s->answered);
    sqlite3_finalize(s->known);
    db_close(s->db);
}

int cmd_orphans(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = { { "older-than", required_argument, NULL, 'o' },
                                              { "all", no_argument, NULL, 'a' },
                                              CLI_COMMON_LONGOPTS, { 0 } };
    struct orphan_scan s = { .cli = cli, .now = time(NULL) };
    struct error err;
    bool all = false;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "o:af:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, c, optarg, usage_text);
        if (common < 0 || (!common && c != 'o' && c != 'a')) {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        if (c == 'o' && parse_duration(optarg, &s.older_than, &err) != 0) {
            fprintf(stderr, "fencectl orphans: %s\n", err.msg);
            return EXIT_USAGE;
        }
        all |= c == 'a';
    }
    if (cli_no_operands(argc, argv, "orphans", usage_text) != 0)
        return EXIT_USAGE;
    /* A table is read by a person: the oldest of each kind and a count. */
    for (int k = 0; k < K_COUNT; k++)
        s.kinds[k].k = all || cli->format != FORMAT_TABLE ? 0 : ORPHANS_SHOWN;
    if (db_open(cli->paths.db_path, DB_READ_ONLY, 5000, &s.db, &err) != DB_OPEN_OK) {
        fprintf(stderr, "fencectl orphans: %s; listing files only\n", err.msg);
        s.db = NULL;
    } else if (sqlite3_prepare_v2(s.db, "SELECT 1 FROM operations WHERE op_uuid = ?1 UNION ALL "
                                  "SELECT 1 FROM requests WHERE request_id = ?1 LIMIT 1", -1,
                                  &s.known, NULL) != SQLITE_OK) {
        fprintf(stderr, "fencectl orphans: %s; listing files only\n", sqlite3_errmsg(s.db));
        db_close(s.db);
        s.db = NULL;
    }
    /* One read transaction for every lookup: outside one, each statement
     * takes and drops SQLite's shared lock (two fcntl calls) by itself. */
    if (s.db && sqlite3_exec(s.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        fprintf(stderr, "fencectl orphans: %s\n", sqlite3_errmsg(s.db));
    int rc = EXIT_OK;
    if (dir_scan(cli->paths.response_dir, true, response_entry, &s, &err) != 0) {
        fprintf(stderr, "fencectl orphans: %s\n", err.msg);
        rc = EXIT_FAILURE_RT;
    }
    if (dir_scan(cli->paths.request_dir, true, request_entry, &s, &err) != 0) {
        fprintf(stderr, "fencectl orphans: %s\n", err.msg);
        rc = EXIT_FAILURE_RT;
    }
    if (unfinished_operations(&s) != 0) {
        fprintf(stderr, "fencectl orphans: %s\n", sqlite3_errmsg(s.db));
        rc = EXIT_FAILURE_RT;
    }
    if (s.oom) {
        fprintf(stderr, "fencectl orphans: out of memory\n");
        release(&s);
        return EXIT_FAILURE_RT;
    }
    static const char *const columns[] = { "kind", "name", "node", "age", "detail" };
    struct output *o = output_begin(cli, stdout, columns, 5);
    size_t hidden = print_rows(&s, o);
    if (s.db && sqlite3_get_autocommit(s.db) == 0) {
        sqlite3_reset(s.known);
        sqlite3_exec(s.db, "COMMIT", NULL, NULL, NULL);   /* read only: nothing to lose */
    }
    if (output_end(o) != 0)
        rc = EXIT_FAILURE_RT;
    else if (hidden)
        print_summary(&s);
    release(&s);
    return rc;
}
