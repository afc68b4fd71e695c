/* fencectl stats: per node and overall, how fences went and how long
 * they took. Latency percentiles are over finished fences (off, reboot). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attempts.h"
#include "cli.h"
#include "db.h"
#include "timeparse.h"

static const char usage_text[] = "Usage: fencectl stats [--since T] [--format table|json|csv]\n";

struct tally {
    char node[256];
    long ops, completed, failed, timeout, terminated, running;
    long fences, fences_completed;   /* attempts linked into fences (attempts.h) */
    bool in_fence, fence_completed;  /* the fence being read: its last attempt so far */
    long long *ms;
    size_t nms, cap;
};

static long long percentile(const struct tally *t, int p)
{
    if (t->nms == 0)
        return -1;
    size_t i = (t->nms * (size_t)p + 99) / 100;   /* nearest rank */
    return t->ms[i ? i - 1 : 0];
}

/* A fence's outcome is its last attempt's. */
static void close_fence(struct tally *t)
{
    t->fences_completed += t->in_fence && t->fence_completed;
    t->in_fence = false;
}

/* Attempts arrive in ATTEMPTS_ORDER: a fence ends where the next begins. */
static int add(struct tally *t, const char *status, sqlite3_int64 ms, bool has_ms,
               bool starts_fence)
{
    if (starts_fence || !t->in_fence) {
        close_fence(t);
        t->fences++;
        t->in_fence = true;
    }
    t->fence_completed = strcmp(status, "completed") == 0;
    t->ops++;
    if (strcmp(status, "completed") == 0) t->completed++;
    else if (strcmp(status, "failed") == 0) t->failed++;
    else if (strcmp(status, "timeout") == 0) t->timeout++;
    else if (strcmp(status, "terminated") == 0) t->terminated++;
    else t->running++;
    if (!has_ms)
        return 0;
    if (t->nms == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        long long *m = realloc(t->ms, cap * sizeof *m);
        if (!m)
            return -1;
        t->ms = m;
        t->cap = cap;
    }
    t->ms[t->nms++] = ms;
    return 0;
}

static int compare_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static void emit(struct output *o, struct tally *t)
{
    close_fence(t);
    qsort(t->ms, t->nms, sizeof *t->ms, compare_ll);
    char num[11][24];
    long done = t->completed + t->failed + t->timeout + t->terminated;
    snprintf(num[0], 24, "%ld", t->ops);
    snprintf(num[1], 24, "%ld", t->completed);
    snprintf(num[2], 24, "%ld", t->failed);
    snprintf(num[3], 24, "%ld", t->timeout);
    snprintf(num[4], 24, "%ld", t->terminated);
    snprintf(num[5], 24, "%.1f", done ? 100.0 * (double)t->completed / (double)done : 0.0);
    long long p50 = percentile(t, 50), p95 = percentile(t, 95), max = t->nms ? t->ms[t->nms - 1] : -1;
    snprintf(num[6], 24, "%lld", p50);
    snprintf(num[7], 24, "%lld", p95);
    snprintf(num[8], 24, "%lld", max);
    snprintf(num[9], 24, "%ld", t->fences);
    snprintf(num[10], 24, "%ld", t->fences_completed);
    const char *v[] = { t->node, num[0], num[1], num[2], num[3], num[4], num[5],
                        p50 < 0 ? NULL : num[6], p95 < 0 ? NULL : num[7], max < 0 ? NULL : num[8],
                        num[9], num[10] };
    output_row(o, v);
}

/* Each node's attempts arrive whole and in order, so one pass counts its
 * fences (attempt_starts_fence, attempts.h) and durations are sorted per
 * node for the percentiles. No window: lag() over the operations sorted
 * them once more (stats on 500,000 operations: 3.2 s -> 1.3 s).
 * With --since, the range is read through operations_started and sorted
 * (the unary + keeps SQLite from walking operations_target instead: that
 * gives the order without a sort, but reads all 500,000 index entries for
 * a week that has none, 35-40 ms; the range and a sort of what is in it
 * take what the range holds). */
#define STATS_SELECT                                                                          \
    "SELECT target_node, " SQL_OPERATION_MS ", " ATTEMPT_OP_COLUMNS                            \
    " FROM operations WHERE action IN ('off', 'reboot')"
static const char stats_sql[] = STATS_SELECT " ORDER BY " ATTEMPTS_ORDER;
static const char stats_since_sql[] =
    STATS_SELECT " AND started_at >= ?1 ORDER BY +target_node, +started_at, +id";

/* Reads the rows: one tally per node (emitted when the next node starts)
 * and the total. prev is the node's operation before this one. */
static int read_rows(sqlite3_stmt *st, struct output *o, struct tally *node, struct tally *all)
{
    struct attempt_op ops[2] = { 0 };
    int step, failed = 0, cur = 0;
    bool has_prev = false;
    while (!failed && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(st, 0);
        if (!n || attempt_op_read(&ops[cur], st, 2) != 0) {
            failed = 1;
            break;
        }
        if (node->ops && strcmp(node->node, n) != 0) {
            emit(o, node);
            node->ops = node->completed = node->failed = node->timeout = node->terminated = 0;
            node->running = node->fences = node->fences_completed = 0;
            node->nms = 0;
            has_prev = false;
        }
        snprintf(node->node, sizeof node->node, "%s", n);
        bool has_ms = sqlite3_column_type(st, 1) != SQLITE_NULL;
        sqlite3_int64 ms = sqlite3_column_int64(st, 1);
        bool first = attempt_starts_fence(has_prev ? &ops[!cur] : NULL, &ops[cur]);
        const char *status = ops[cur].text[0] ? ops[cur].text[0] : "";
        failed |= add(node, status, ms, has_ms, first) | add(all, status, ms, has_ms, first);
        has_prev = true;
        cur = !cur;
    }
    attempt_op_clear(&ops[0]);
    attempt_op_clear(&ops[1]);
    if (failed)
        return -1;
    return step == SQLITE_DONE ? 0 : -2;
}

int cmd_stats(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = { { "since", required_argument, NULL, 'S' },
                                              CLI_COMMON_LONGOPTS, { 0 } };
    char since[32] = "";
    struct error err;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "S:f:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, c, optarg, usage_text);
        if (common < 0 || (!common && c != 'S')) {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        if (c == 'S' && parse_time_bound(optarg, time(NULL), since, sizeof since, &err) != 0) {
            fprintf(stderr, "fencectl stats: %s\n", err.msg);
            return EXIT_USAGE;
        }
    }
    if (cli_no_operands(argc, argv, "stats", usage_text) != 0)
        return EXIT_USAGE;
    sqlite3 *db;
    int rc = cli_open_read_only(cli, &db);
    if (rc != EXIT_OK)
        return rc;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, since[0] ? stats_since_sql : stats_sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "fencectl stats: %s\n", sqlite3_errmsg(db));
        db_close(db);
        return EXIT_FAILURE_RT;
    }
    if (since[0])
        sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    static const char *const columns[] = { "node", "operations", "completed", "failed", "timeout",
        "terminated", "success_rate", "p50_ms", "p95_ms", "max_ms", "fences", "fences_completed" };
    struct output *o = output_begin(cli, stdout, columns, 12);
    output_kinds(o, "snnnnnnnnnnn");
    struct tally node = { .node = "" }, all = { .node = "(all)" };
    int read = read_rows(st, o, &node, &all);
    if (read == 0 && node.ops)
        emit(o, &node);
    if (read == 0)
        emit(o, &all);
    if (read != 0 || output_end(o) != 0) {
        fprintf(stderr, "fencectl stats: %s\n", read == -1 ? "out of memory"
                : read == -2 ? sqlite3_errmsg(db) : "cannot write the output");
        rc = EXIT_FAILURE_RT;
    }
    free(node.ms);
    free(all.ms);
    sqlite3_finalize(st);
    db_close(db);
    return rc;
}
