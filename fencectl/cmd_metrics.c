/* fencectl metrics: the record and the storage system's state in
 * Prometheus' text exposition format, for node_exporter's textfile
 * collector (--output: replaced atomically) or any scraper (stdout).
 * Counters come from the outcome_counts and duration_buckets tables the
 * database keeps up to date (schema 0004), so the cost does not grow with
 * the number of operations recorded. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic_output.h"
#include "cli.h"
#include "db.h"
#include "dirscan.h"
#include "files.h"
#include "joined_fenced.h"
#include "online_fenced.h"
#include "respdir.h"
#include "strbuf.h"

static const char usage_text[] =
    "Usage: fencectl metrics [--output FILE]\n"
    "  Prometheus text format on stdout, or FILE replaced atomically (for\n"
    "  node_exporter's --collector.textfile.directory; name it *.prom).\n"
    "  Exit 1 if the database or a directory could not be read (the file is\n"
    "  still written, saying so in fence_recorder_database_up and friends).\n";

#define P "fence_recorder_"

static const int bounds_ms[] = { 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
                                 60000, 120000 };
#define NBOUNDS (sizeof bounds_ms / sizeof bounds_ms[0])

static void header(struct strbuf *sb, const char *name, const char *type, const char *help)
{
    strbuf_addf(sb, "# HELP " P "%s %s\n# TYPE " P "%s %s\n", name, help, name, type);
}

/* Label values: backslash, double quote and newline escaped. */
static void label(struct strbuf *sb, const char *key, const char *value, bool first)
{
    strbuf_addf(sb, "%s%s=\"", first ? "" : ",", key);
    for (const char *c = value; *c; c++) {
        if (*c == '\\' || *c == '"')
            strbuf_addc(sb, '\\');
        if (*c == '\n')
            strbuf_adds(sb, "\\n");
        else
            strbuf_addc(sb, *c);
    }
    strbuf_addc(sb, '"');
}

#define TEXT(st, i) ((const char *)sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "")

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    return sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK ? 0 : -1;
}

static int outcomes(sqlite3 *db, struct strbuf *sb)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT target_node, action, status, sum(operations) FROM outcome_counts "
                    "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", &st) != 0)
        return -1;
    header(sb, "operations_total", "counter", "Operations recorded with an outcome, by target, "
           "action and outcome (pruning old rows keeps the counts).");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        strbuf_adds(sb, P "operations_total{");
        label(sb, "target", TEXT(st, 0), true);
        label(sb, "action", TEXT(st, 1), false);
        label(sb, "outcome", TEXT(st, 2), false);
        strbuf_addf(sb, "} %lld\n", (long long)sqlite3_column_int64(st, 3));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The last success and the last failure of a fence (off, reboot) per
 * target, in Unix seconds. */
static int last_outcomes(sqlite3 *db, struct strbuf *sb)
{
    static const char *const names[] = { "last_success_timestamp_seconds",
                                         "last_failure_timestamp_seconds" };
    static const char *const helps[] = {
        "When the target's last successful fence (off or reboot) ended.",
        "When the target's last failed fence (failed, timeout, terminated, error) ended." };
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st;
        if (prepare(db, i == 0
                    ? "SELECT target_node, (julianday(max(last_at)) - 2440587.5) * 86400.0 "
                      "FROM outcome_counts WHERE action IN ('off', 'reboot') AND status = 'completed' "
                      "GROUP BY 1 ORDER BY 1"
                    : "SELECT target_node, (julianday(max(last_at)) - 2440587.5) * 86400.0 "
                      "FROM outcome_counts WHERE action IN ('off', 'reboot') AND status <> 'completed' "
                      "GROUP BY 1 ORDER BY 1", &st) != 0)
            return -1;
        header(sb, names[i], "gauge", helps[i]);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            strbuf_addf(sb, P "%s{", names[i]);
            label(sb, "target", TEXT(st, 0), true);
            strbuf_addf(sb, "} %.3f\n", sqlite3_column_double(st, 1));
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

static void histogram_action(struct strbuf *sb, const char *action, const long long *counts,
                             long long sum_ms)
{
    long long cumulative = 0;
    for (size_t i = 0; i <= NBOUNDS; i++) {
        cumulative += counts[i];
        strbuf_adds(sb, P "operation_duration_seconds_bucket{");
        label(sb, "action", action, true);
        if (i < NBOUNDS)
            strbuf_addf(sb, ",le=\"%g\"} %lld\n", bounds_ms[i] / 1000.0, cumulative);
        else
            strbuf_addf(sb, ",le=\"+Inf\"} %lld\n", cumulative);
    }
    strbuf_adds(sb, P "operation_duration_seconds_sum{");
    label(sb, "action", action, true);
    strbuf_addf(sb, "} %.3f\n" P "operation_duration_seconds_count{", sum_ms / 1000.0);
    label(sb, "action", action, true);
    strbuf_addf(sb, "} %lld\n", cumulative);
}

static int durations(sqlite3 *db, struct strbuf *sb)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT action, le_ms, sum(operations), sum(sum_ms) FROM duration_buckets "
                    "GROUP BY 1, 2 ORDER BY 1", &st) != 0)
        return -1;
    header(sb, "operation_duration_seconds", "histogram", "How long operations took, from the "
           "request written to the answer or the timeout (monotonic), by action.");
    char action[64] = "";
    long long counts[NBOUNDS + 1] = { 0 }, sum_ms = 0;
    int rc;
    bool any = false;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (any && strcmp(action, TEXT(st, 0)) != 0) {
            histogram_action(sb, action, counts, sum_ms);
            memset(counts, 0, sizeof counts);
            sum_ms = 0;
        }
        any = true;
        snprintf(action, sizeof action, "%s", TEXT(st, 0));
        int le = sqlite3_column_int(st, 1);
        size_t i = 0;
        while (i < NBOUNDS && bounds_ms[i] != le)
            i++;
        counts[i] += sqlite3_column_int64(st, 2);   /* le -1 (or unknown): +Inf */
        sum_ms += sqlite3_column_int64(st, 3);
    }
    if (any)
        histogram_action(sb, action, counts, sum_ms);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int record_health(sqlite3 *db, struct strbuf *sb)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT (SELECT count(*) FROM operations WHERE status = 'running'), "
                    "(SELECT (julianday(max(started_at)) - 2440587.5) * 86400.0 FROM operations)",
                &st) != 0)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        header(sb, "unfinished_operations", "gauge", "Operations with no outcome yet: running now, "
               "or whose agent died unrecorded (fencectl audit tells which).");
        strbuf_addf(sb, P "unfinished_operations %lld\n", (long long)sqlite3_column_int64(st, 0));
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
            header(sb, "newest_operation_timestamp_seconds", "gauge",
                   "When the newest recorded operation started.");
            strbuf_addf(sb, P "newest_operation_timestamp_seconds %.3f\n",
                        sqlite3_column_double(st, 1));
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* One series per node: a node fenced by several responses is fenced
 * since the oldest of them. */
struct fenced_since {
    char node[NODE_NAME_MAX + 1];
    time_t since;
};

struct fenced_scan {
    struct fenced_since *v;
    size_t n, cap;
    int unreadable;
    bool out_of_memory;
};

static int fenced_one(const struct response_file *f, void *arg)
{
    struct fenced_scan *s = arg;
    if (f->read != READ_OK || f->verdict != RESPONSE_VALID) {
        s->unreadable++;
        return 0;
    }
    if (!response_file_fences(f))
        return 0;
    struct stat st;
    time_t since = lstat(f->path, &st) == 0 ? st.st_mtime : 0;
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->v[i].node, f->node) == 0) {
            if (since < s->v[i].since)
                s->v[i].since = since;
            return 0;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct fenced_since *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->out_of_memory = true;
            return 1;
        }
        s->v = v;
        s->cap = cap;
    }
    snprintf(s->v[s->n].node, sizeof s->v[s->n].node, "%s", f->node);
    s->v[s->n++].since = since;
    return 0;
}

struct request_scan {
    const char *response_dir;
    int count;
    time_t now, oldest;
};

static void request_one(const struct dir_entry *e, void *arg)
{
    struct request_scan *s = arg;
    char response[4096];
    if (path_join(response, sizeof response, s->response_dir, e->name, NULL) != 0 ||
        access(response, F_OK) == 0)
        return;
    s->count++;
    if (!s->oldest || e->mtime < s->oldest)
        s->oldest = e->mtime;
}

/* The storage system's state from the directories; -1 if one is unreadable. */
static int storage_state(const struct cli *cli, struct strbuf *sb)
{
    struct fenced_scan fs = { .v = NULL };
    struct request_scan rs = { .response_dir = cli->paths.response_dir, .now = time(NULL) };
    struct error err;
    int rc = 0;
    if (response_dir_scan(cli->paths.response_dir, NULL, fenced_one, &fs, &err) < 0) {
        fprintf(stderr, "fencectl metrics: %s\n", err.msg);
        rc = -1;
    }
    if (dir_scan(cli->paths.request_dir, false, request_one, &rs, &err) != 0) {
        fprintf(stderr, "fencectl metrics: %s\n", err.msg);
        rc = -1;
    }
    header(sb, "directories_readable", "gauge", "1 if the request and response directories "
           "could be read (the gauges below are incomplete otherwise).");
    strbuf_addf(sb, P "directories_readable %d\n", rc == 0);
    header(sb, "fenced_nodes", "gauge", "Nodes the storage system holds fenced now (a "
           "successful response file each).");
    strbuf_addf(sb, P "fenced_nodes %zu\n", fs.n);
    header(sb, "node_fenced_since_timestamp_seconds", "gauge", "Per fenced node, when its "
           "(oldest) successful response was written.");
    for (size_t i = 0; i < fs.n; i++) {
        strbuf_adds(sb, P "node_fenced_since_timestamp_seconds{");
        label(sb, "target", fs.v[i].node, true);
        strbuf_addf(sb, "} %lld\n", (long long)fs.v[i].since);
    }
    free(fs.v);
    if (fs.out_of_memory)
        rc = -1;
    header(sb, "unreadable_response_files", "gauge", "Response files that could not be read "
           "or parsed: whether they fence is unknown.");
    strbuf_addf(sb, P "unreadable_response_files %d\n", fs.unreadable);
    header(sb, "unanswered_requests", "gauge", "Request files with no response yet.");
    strbuf_addf(sb, P "unanswered_requests %d\n", rs.count);
    header(sb, "oldest_unanswered_request_age_seconds", "gauge", "Age of the oldest unanswered "
           "request (0 when there is none).");
    strbuf_addf(sb, P "oldest_unanswered_request_age_seconds %lld\n",
                rs.oldest ? (long long)(rs.now - rs.oldest) : 0LL);
    return rc;
}

struct online_fenced_metrics {
    struct strbuf *sb;
};

static void online_fenced_series(void *arg, const char *node, const char *response_file,
                                 time_t since)
{
    struct online_fenced_metrics *o = arg;
    (void)response_file;
    (void)since;
    strbuf_adds(o->sb, P "node_online_while_fenced{");
    label(o->sb, "node", node, true);
    strbuf_adds(o->sb, "} 1\n");
}

/* Nodes online in the cluster while a response fences them (a partition
 * healed without a restart): a series each, for an alert on any. Not a
 * failure when this is no cluster node: cluster_membership_known says so. */
static void online_fenced_state(const struct cli *cli, struct strbuf *sb)
{
    struct membership m;
    struct error err;
    bool known = audit_membership(3000, &m, &err) == 0;
    header(sb, "cluster_membership_known", "gauge", "1 if crm_mon answered on this node (the "
           "online-while-fenced series are only known then).");
    strbuf_addf(sb, P "cluster_membership_known %d\n", known);
    header(sb, "node_online_while_fenced", "gauge", "1 per node that is online in the cluster "
           "while a successful response file fences it: restart that node.");
    struct online_fenced_metrics o = { .sb = sb };
    if (known && online_fenced_scan(cli->paths.response_dir, &m, online_fenced_series, &o,
                                    &err) < 0)
        fprintf(stderr, "fencectl metrics: %s\n", err.msg);
    free(m.v);
}

static void joined_fenced_series(void *arg, const char *node, const char *joined_at,
                                 const char *response_file, int still)
{
    struct strbuf *sb = arg;
    (void)joined_at;
    (void)response_file;
    strbuf_adds(sb, P "node_joined_while_fenced{");
    label(sb, "node", node, true);
    strbuf_addf(sb, "} %d\n", still);
}

/* Members the alert agent saw join while a response fenced them: 1 while
 * that response still does, 0 once unfenced. */
static int joined_fenced_state(const struct cli *cli, sqlite3 *db, struct strbuf *sb)
{
    struct error err;
    header(sb, "node_joined_while_fenced", "gauge", "1 per node that joined the cluster while "
           "a successful response file fenced it, 0 once that file is gone: restart that node.");
    return joined_fenced_scan(db, cli->paths.response_dir, joined_fenced_series, sb, &err) < 0
           ? -1 : 0;
}

/* Everything from the database; database_up says whether it is there. */
static int record_metrics(const struct cli *cli, struct strbuf *sb)
{
    sqlite3 *db;
    bool up = cli_open_read_only(cli, &db) == EXIT_OK;
    struct strbuf body = STRBUF_INIT;
    if (up && (outcomes(db, &body) != 0 || last_outcomes(db, &body) != 0 ||
               durations(db, &body) != 0 || record_health(db, &body) != 0 ||
               joined_fenced_state(cli, db, &body) != 0)) {
        fprintf(stderr, "fencectl metrics: reading %s: %s\n", cli->paths.db_path, sqlite3_errmsg(db));
        up = false;
    }
    if (up)
        db_close(db);
    header(sb, "database_up", "gauge", "1 if the fence record could be read.");
    strbuf_addf(sb, P "database_up %d\n", up);
    if (up)
        strbuf_adds(sb, strbuf_str(&body));
    strbuf_release(&body);
    return up ? 0 : -1;
}

int cmd_metrics(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = { { "output", required_argument, NULL, 'o' },
                                              { "help", no_argument, NULL, 'h' }, { 0 } };
    const char *output = NULL;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        if (c != 'o') {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        output = optarg;
    }
    if (optind < argc) {
        fprintf(stderr, "fencectl metrics: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    struct strbuf sb = STRBUF_INIT;
    int failed = record_metrics(cli, &sb);
    failed |= storage_state(cli, &sb);
    online_fenced_state(cli, &sb);
    int rc = failed ? EXIT_FAILURE_RT : EXIT_OK;
    struct error err;
    if (strbuf_failed(&sb)) {
        fprintf(stderr, "fencectl metrics: out of memory\n");
        rc = EXIT_FAILURE_RT;
    } else if (output) {
        if (atomic_output(output, strbuf_str(&sb), sb.len, 0644, &err) != 0) {
            fprintf(stderr, "fencectl metrics: %s\n", err.msg);
            rc = EXIT_FAILURE_RT;
        }
    } else if (fwrite(strbuf_str(&sb), 1, sb.len, stdout) != sb.len || fflush(stdout) != 0) {
        fprintf(stderr, "fencectl metrics: cannot write to standard output\n");
        rc = EXIT_FAILURE_RT;
    }
    strbuf_release(&sb);
    return rc;
}
