/* fencectl history: operations, newest first, filtered. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attempts.h"
#include "cli.h"
#include "identity.h"
#include "db.h"
#include "history_cluster.h"
#include "history_follow.h"
#include "history_merge.h"
#include "history_rows.h"
#include "timeparse.h"

static const char usage_text[] =
    "Usage: fencectl history [--node N] [--action A] [--status S] [--since T] [--until T] [--limit N]\n"
    "                        [--attempts] [--wide] [--format table|json|csv]\n"
    "       fencectl history --follow [--node N] [--action A] [--status S] [--since T] [--limit N]\n"
    "  One row per fence: its last attempt (whose status is the fence's outcome) and the\n"
    "  number of attempts; --attempts lists every agent run, each with its attempt number.\n"
    "  The table fits 120 columns: started (UTC), node, action, outcome, duration,\n"
    "  executed_by (the node that ran the agent), message; a longer node name or message is\n"
    "  cut, an ellipsis marking the cut. --wide: every column (request id, exit, attempts,\n"
    "  fence, filesystems, requester, the target's cluster state), lines as long as needed;\n"
    "  json and csv always carry every column.\n"
    "  T is a time (2026-11-25, 2026-11-25T02:31:00, UTC) or an age (30m, 24h, 7d).\n"
    "  Statuses: running, completed, failed, timeout, terminated.\n"
    "  --follow: the newest --limit (default 10) operations oldest first, then each new agent\n"
    "  run as it starts and again with its outcome, until interrupted (exit 0); one JSON\n"
    "  object per line with --format json. --status filters the lines shown.\n";

/* Without --node: every operation linked at once (ATTEMPTS_CTE), then the
 * newest shown. With --node: history_node.c walks the node's operations
 * newest first and stops at the limit. Without --attempts only each
 * fence's last attempt is shown (its status is the fence's outcome), with
 * the number of attempts. --since also bounds the linking: a fence whose
 * first attempts are older starts counting at the boundary. */
static const char history_sql[] =
    ATTEMPTS_CTE("(?4 IS NULL OR started_at >= ?4)")
    "SELECT op_uuid, started_at, action, target_node, status, exit_code, "
    "  " SQL_OPERATION_MS ", "
    "  attempt, attempts, fence, filesystems, requested_by, recorder_node, message, "
    CLUSTER_STATE_COLUMNS("attempts") " FROM attempts "
    "WHERE (?7 OR attempt = attempts) "
    "  AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR status = ?3) "
    "  AND (?5 IS NULL OR started_at < ?5) "
    "ORDER BY started_at DESC, id DESC LIMIT ?6";

static const char *const history_columns[HISTORY_NCOLS] = { "request_id", "started", "action",
    "target", "status", "exit", "duration_ms", "attempt", "attempts", "fence", "filesystems",
    "requested_by", "recorder", "message", "target_state", "quorum", "dc", "requested_by_process" };

/* The default table: what a terminal of 120 columns shows of a fence.
 * The node and the recorder are cut past these widths (fencectl.8 says
 * so), the message to what is left of the line. */
#define TABLE_WIDTH 120
static const char *const table_columns[] = { "started", "node", "action", "outcome", "duration",
                                              "executed_by", "message" };
static const size_t table_max[] = { 19, 24, 8, 10, 8, 16, 0 };

struct filters {
    const char *node, *action, *status;
    char since[32], until[32];
    long long limit;
    bool all_attempts;
    bool follow;
    bool wide;
};

static int parse_filters(struct cli *cli, int argc, char **argv, struct filters *f)
{
    static const struct option longopts[] = {
        { "node", required_argument, NULL, 'n' }, { "action", required_argument, NULL, 'a' },
        { "status", required_argument, NULL, 's' }, { "since", required_argument, NULL, 'S' },
        { "until", required_argument, NULL, 'U' }, { "limit", required_argument, NULL, 'l' },
        { "attempts", no_argument, NULL, 'A' }, { "follow", no_argument, NULL, 'F' },
        { "wide", no_argument, NULL, 'W' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' }, { 0 },
    };
    struct error err;
    time_t now = time(NULL);
    char *end;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "n:a:s:S:U:l:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (cli_set_format(cli, optarg) != 0)
                return -1;
            break;
        case 'n': f->node = optarg; break;
        case 'A': f->all_attempts = true; break;
        case 'F': f->follow = true; break;
        case 'W': f->wide = true; break;
        case 'a': f->action = optarg; break;
        case 's': f->status = optarg; break;
        case 'S': case 'U':
            if (parse_time_bound(optarg, now, c == 'S' ? f->since : f->until, 32, &err) != 0) {
                fprintf(stderr, "fencectl history: %s\n", err.msg);
                return -1;
            }
            break;
        case 'l':
            f->limit = strtoll(optarg, &end, 10);
            if (*end || f->limit < 1) {
                fprintf(stderr, "fencectl history: --limit takes a positive number\n");
                return -1;
            }
            break;
        case 'h': fputs(usage_text, stdout); exit(EXIT_OK);
        default: fputs(usage_text, stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "fencectl history: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}

/* started_at to the second, as "2026-12-06 12:04:15" (still UTC). */
static const char *short_time(const char *iso, char *buf, size_t size)
{
    if (strlen(iso) < 19 || iso[10] != 'T' || size < 20)
        return iso;
    memcpy(buf, iso, 19);
    buf[10] = ' ';
    buf[19] = '\0';
    return buf;
}

/* A duration as people read it: 850ms, 3.2s, 4m05s, 2h10m. */
static const char *short_duration(const char *ms_text, char *buf, size_t size)
{
    char *end;
    long long ms = strtoll(ms_text, &end, 10);
    if (!ms_text[0] || *end || ms < 0)
        return ms_text;
    if (ms < 1000)
        snprintf(buf, size, "%lldms", ms);
    else if (ms < 60000)
        snprintf(buf, size, "%.1fs", (double)ms / 1000);
    else if (ms < 3600000)
        snprintf(buf, size, "%lldm%02llds", ms / 60000, ms / 1000 % 60);
    else
        snprintf(buf, size, "%lldh%02lldm", ms / 3600000, ms / 60000 % 60);
    return buf;
}

struct emitter {
    struct output *o;
    bool compact;   /* the default table, not --wide, json or csv */
};

static void emit_row(void *ctx, const char *const *v)
{
    struct emitter *e = ctx;
    if (!e->compact) {
        output_row(e->o, v);
        return;
    }
    char when[20], took[24];
    const char *row[] = { short_time(v[H_STARTED] ? v[H_STARTED] : "", when, sizeof when),
                          v[H_TARGET], v[H_ACTION], v[H_STATUS],
                          short_duration(v[H_MS] ? v[H_MS] : "", took, sizeof took),
                          v[H_RECORDER], v[H_MESSAGE] };
    output_row(e->o, row);
}

static struct output *begin_output(struct cli *cli, bool wide, struct emitter *e)
{
    e->compact = cli->format == FORMAT_TABLE && !wide;
    if (!e->compact) {
        e->o = output_begin(cli, stdout, history_columns, HISTORY_NCOLS);
        output_kinds(e->o, "sssssnnnnsassssnss");
        return e->o;
    }
    int n = (int)(sizeof table_columns / sizeof table_columns[0]);
    e->o = output_begin(cli, stdout, table_columns, n);
    for (int c = 0; c < n; c++)
        output_column_max(e->o, c, table_max[c]);
    output_fit_width(e->o, TABLE_WIDTH);
    return e->o;
}

/* Without --node: every row from history_sql. */
static int all_nodes_rows(sqlite3 *db, const struct history_query *q, history_row_fn row,
                          void *ctx, struct error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, history_sql, -1, &st, NULL) != SQLITE_OK)
        return errorf(err, "%s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 2, q->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, q->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, q->since, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, q->until, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, q->limit);
    sqlite3_bind_int(st, 7, q->all_attempts);
    return history_rows_emit(db, st, row, ctx, err);
}

int cmd_history(struct cli *cli, int argc, char **argv)
{
    struct filters f = { .limit = -1 };
    if (parse_filters(cli, argc, argv, &f) != 0)
        return EXIT_USAGE;
    if (f.follow) {
        if (f.until[0] || f.all_attempts || f.wide) {
            fprintf(stderr, "fencectl history: --follow shows every attempt as it happens; "
                    "--until, --attempts and --wide do not apply\n");
            return EXIT_USAGE;
        }
        struct follow_filters ff = { .node = f.node, .action = f.action, .status = f.status,
                                     .since = f.since[0] ? f.since : NULL,
                                     .initial = f.limit > 0 ? f.limit : 10,
                                     .fallback_poll_ms = 5000 };
        return history_follow(cli, &ff);
    }
    sqlite3 *db;
    int rc = cli_open_read_only(cli, &db);
    if (rc != EXIT_OK)
        return rc;
    struct history_query q = { .node = f.node, .action = f.action, .status = f.status,
                               .since = f.since[0] ? f.since : NULL,
                               .until = f.until[0] ? f.until : NULL,
                               .limit = f.limit, .all_attempts = f.all_attempts };
    struct emitter e;
    struct output *o = begin_output(cli, f.wide, &e);
    struct error err;
    int result = EXIT_OK;
    /* This record's operations and the fences it knows only from
     * Pacemaker's alerts, one row per fence, newest first. */
    static struct history_merge merged;
    char host[256];
    identity_host_name(host, sizeof host);
    if ((f.node ? history_node_rows(db, &q, history_merge_keep0, &merged, &err)
                : all_nodes_rows(db, &q, history_merge_keep0, &merged, &err)) != 0 ||
        history_cluster_rows(db, &q, host, history_merge_keep1, &merged, &err) != 0) {
        fprintf(stderr, "fencectl history: reading %s: %s\n", cli->paths.db_path, err.msg);
        result = EXIT_FAILURE_RT;
    }
    if (history_merge_emit(&merged, q.limit, emit_row, &e) != 0) {
        fprintf(stderr, "fencectl history: out of memory\n");
        result = EXIT_FAILURE_RT;
    }
    if (output_end(o) != 0) {
        fprintf(stderr, "fencectl history: cannot write the output\n");
        result = EXIT_FAILURE_RT;
    }
    db_close(db);
    return result;
}
