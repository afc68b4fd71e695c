/* fencectl export: regenerate a log file from the database with the
 * agent's own renderers, so agent-written data comes out byte-identical.
 * With --output the file is replaced atomically. */
#include <getopt.h>
#include <string.h>

#include "atomic_output.h"
#include "cli.h"
#include "db.h"
#include "eventlog.h"
#include "files.h"
#include "strbuf.h"

static const char usage_text[] =
    "Usage: fencectl export [--jsonl|--readable|--log|--file NAME] [--output FILE]\n"
    "  --jsonl      fence-events-detailed.jsonl (default)\n"
    "  --readable   fence-events-readable.log\n"
    "  --log        fence-events.log (or FENCE_LOG's file)\n"
    "  --file NAME  the file by its name, or its path in the log directory\n"
    "  Each reproduces the agent's file: the same lines in the same order.\n";

enum kind { KIND_JSONL, KIND_READABLE, KIND_LOG, KIND_UNKNOWN };

/* --file: one of the three names, a path ending in one, or the main
 * log's own path when FENCE_LOG renamed it. */
static enum kind kind_of_file(const struct cli *cli, const char *name)
{
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    if (strcmp(base, LOG_FILE_JSONL) == 0)
        return KIND_JSONL;
    if (strcmp(base, LOG_FILE_READABLE) == 0)
        return KIND_READABLE;
    if (strcmp(base, LOG_FILE_MAIN) == 0 ||
        (cli->paths.main_log && strcmp(name, cli->paths.main_log) == 0))
        return KIND_LOG;
    return KIND_UNKNOWN;
}

static const char events_sql[] =
    "SELECT local_time, utc_time, action, target_node, status, details, recorder_node, "
    "pacemaker_action, filesystems, request_id FROM events ORDER BY id";
static const char log_sql[] = "SELECT local_time, level, message FROM log_lines ORDER BY id";

static const char *col(sqlite3_stmt *st, int i)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v ? v : "";
}

static int render_all(sqlite3 *db, enum kind kind, struct strbuf *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, kind == KIND_LOG ? log_sql : events_sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (kind == KIND_LOG) {
            render_log_line(out, col(st, 0), col(st, 1), col(st, 2));
            continue;
        }
        struct fence_event ev = {
            col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5), col(st, 6),
            col(st, 7), col(st, 8), (const char *)sqlite3_column_text(st, 9),
        };
        if (kind == KIND_JSONL)
            render_jsonl(out, &ev);
        else
            render_readable(out, &ev);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE && !strbuf_failed(out) ? 0 : -1;
}

static int write_output(const char *output, const struct strbuf *data, struct error *err)
{
    if (!output) {
        if (fwrite(data->data ? data->data : "", 1, data->len, stdout) != data->len || fflush(stdout))
            return errorf(err, "cannot write to standard output");
        return 0;
    }
    return atomic_output(output, data->data ? data->data : "", data->len, 0640, err);
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "jsonl", no_argument, NULL, 'j' }, { "readable", no_argument, NULL, 'r' },
        { "log", no_argument, NULL, 'l' }, { "output", required_argument, NULL, 'o' },
        { "file", required_argument, NULL, 'F' },
        CLI_COMMON_LONGOPTS, { 0 } };
    enum kind kind = KIND_JSONL;
    const char *output = NULL;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "jrlo:f:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, c, optarg, usage_text);
        if (common < 0 || (!common && !strchr("jrloF", c))) {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        if (c == 'F' && (kind = kind_of_file(cli, optarg)) == KIND_UNKNOWN) {
            fprintf(stderr, "fencectl export: '%s' is not one of the agent's files: "
                    LOG_FILE_MAIN ", " LOG_FILE_READABLE " or " LOG_FILE_JSONL "\n", optarg);
            return EXIT_USAGE;
        }
        if (c == 'j') kind = KIND_JSONL;
        if (c == 'r') kind = KIND_READABLE;
        if (c == 'l') kind = KIND_LOG;
        if (c == 'o') output = optarg;
    }
    if (cli_no_operands(argc, argv, "export", usage_text) != 0)
        return EXIT_USAGE;
    sqlite3 *db;
    int rc = cli_open_read_only(cli, &db);
    if (rc != EXIT_OK)
        return rc;
    struct strbuf data = STRBUF_INIT;
    struct error err;
    if (render_all(db, kind, &data) != 0) {
        fprintf(stderr, "fencectl export: reading %s: %s\n", cli->paths.db_path, sqlite3_errmsg(db));
        rc = EXIT_FAILURE_RT;
    } else if (write_output(output, &data, &err) != 0) {
        fprintf(stderr, "fencectl export: %s\n", err.msg);
        rc = EXIT_FAILURE_RT;
    }
    strbuf_release(&data);
    db_close(db);
    return rc;
}
