/* fencectl orphans: what was left half-way. Requests nobody answered,
 * responses the database has no request for, and operations whose agent
 * never recorded an outcome (killed, or still waiting). */
#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "dirscan.h"
#include "files.h"
#include "timeparse.h"

static const char usage_text[] = "Usage: fencectl orphans [--older-than DUR] [--format table|json|csv]\n"
    "  DUR like 90s, 30m, 24h, 7d (default 0: everything).\n";

struct orphan_scan {
    const struct cli *cli;
    sqlite3 *db;                 /* NULL: no database to compare with */
    struct output *o;
    time_t now;
    int64_t older_than;
    const char *kind;
};

static bool request_known(sqlite3 *db, const char *request_id)
{
    if (!db)
        return false;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM requests WHERE request_id = ?", -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
    bool known = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return known;
}

static void emit(struct orphan_scan *s, const char *name, const char *node, time_t age, const char *detail)
{
    char age_text[32];
    format_age(age, age_text, sizeof age_text);
    const char *v[] = { s->kind, name, node, age_text, detail };
    output_row(s->o, v);
}

static void unanswered_request(const struct dir_entry *e, void *arg)
{
    struct orphan_scan *s = arg;
    char response[4096];
    if (s->now - e->mtime < s->older_than ||
        path_join(response, sizeof response, s->cli->paths.response_dir, e->name, NULL) != 0 ||
        access(response, F_OK) == 0)
        return;
    emit(s, e->name, e->node, s->now - e->mtime,
         !s->db ? "no database to compare" : request_known(s->db, e->request_id)
         ? "recorded; no response yet" : "not in this database (another recorder, or written by hand)");
}

static void response_without_request(const struct dir_entry *e, void *arg)
{
    struct orphan_scan *s = arg;
    if (!s->db || s->now - e->mtime < s->older_than || request_known(s->db, e->request_id))
        return;
    emit(s, e->name, e->node, s->now - e->mtime, "no request recorded for it in this database");
}

/* A dot-temp file: a write cut short (writer killed before its rename). */
static void abandoned_temp(const struct dir_entry *e, void *arg)
{
    struct orphan_scan *s = arg;
    if (e->temp && s->now - e->mtime >= s->older_than)
        emit(s, e->name, "", s->now - e->mtime, "a write that never completed; "
             "'fencectl prune' records and removes it");
}

/* Operations whose agent never recorded an outcome: still 'running' (the
 * agent waits, or died with no companion), or 'terminated' by the
 * companion after a kill (no exit code: the agent never exited itself). */
static int unfinished_operations(struct orphan_scan *s)
{
    if (!s->db)
        return 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT op_uuid, target_node, action, agent_pid, recorder_node, "
            "CAST(strftime('%s', 'now') - strftime('%s', started_at) AS INTEGER), status "
            "FROM operations WHERE status = 'running' OR (status = 'terminated' AND "
            "exit_code IS NULL) ORDER BY started_at", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 age = sqlite3_column_int64(st, 5);
        if (age < s->older_than)
            continue;
        bool running = strcmp((const char *)sqlite3_column_text(st, 6), "running") == 0;
        s->kind = running ? "operation-unfinished" : "operation-killed";
        char detail[200];
        snprintf(detail, sizeof detail, "%s by pid %lld on %s %s", sqlite3_column_text(st, 2),
                 (long long)sqlite3_column_int64(st, 3), sqlite3_column_text(st, 4),
                 running ? "never recorded an outcome" : "was killed before it exited");
        emit(s, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
             (time_t)age, detail);
    }
    sqlite3_finalize(st);
    return 0;
}

int cmd_orphans(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = { { "older-than", required_argument, NULL, 'o' },
                                              CLI_COMMON_LONGOPTS, { 0 } };
    struct orphan_scan s = { .cli = cli, .now = time(NULL) };
    struct error err;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "o:f:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, c, optarg, usage_text);
        if (common < 0 || (!common && c != 'o')) {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        if (c == 'o' && parse_duration(optarg, &s.older_than, &err) != 0) {
            fprintf(stderr, "fencectl orphans: %s\n", err.msg);
            return EXIT_USAGE;
        }
    }
    if (cli_no_operands(argc, argv, "orphans", usage_text) != 0)
        return EXIT_USAGE;
    if (db_open(cli->paths.db_path, DB_READ_ONLY, 5000, &s.db, &err) != DB_OPEN_OK) {
        fprintf(stderr, "fencectl orphans: %s; listing files only\n", err.msg);
        s.db = NULL;
    }
    static const char *const columns[] = { "kind", "name", "node", "age", "detail" };
    s.o = output_begin(cli, stdout, columns, 5);
    int rc = EXIT_OK;
    s.kind = "request-unanswered";
    if (dir_scan(cli->paths.request_dir, false, unanswered_request, &s, &err) != 0) {
        fprintf(stderr, "fencectl orphans: %s\n", err.msg);
        rc = EXIT_FAILURE_RT;
    }
    s.kind = "response-without-request";
    if (dir_scan(cli->paths.response_dir, false, response_without_request, &s, &err) != 0) {
        fprintf(stderr, "fencectl orphans: %s\n", err.msg);
        rc = EXIT_FAILURE_RT;
    }
    s.kind = "temp-abandoned";
    if (dir_scan(cli->paths.request_dir, true, abandoned_temp, &s, &err) != 0 ||
        dir_scan(cli->paths.response_dir, true, abandoned_temp, &s, &err) != 0) {
        fprintf(stderr, "fencectl orphans: %s\n", err.msg);
        rc = EXIT_FAILURE_RT;
    }
    if (unfinished_operations(&s) != 0) {
        fprintf(stderr, "fencectl orphans: %s\n", sqlite3_errmsg(s.db));
        rc = EXIT_FAILURE_RT;
    }
    if (output_end(s.o) != 0)
        rc = EXIT_FAILURE_RT;
    db_close(s.db);
    return rc;
}
