/* fencectl audit: what the storage system, the cluster and the record
 * each believe, reconciled; every disagreement one line, the dangerous
 * ones first, then newest first. Exit codes follow the Nagios plugin
 * conventions (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) so a monitoring
 * system can run it as it is. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "audit.h"
#include "identity.h"
#include "online_fenced.h"
#include "db.h"
#include "files.h"
#include "logcheck.h"
#include "timeparse.h"

static const char usage_text[] =
    "Usage: fencectl audit [--since T] [--no-cluster] [--timeout SECONDS] [--pending-grace DUR]\n"
    "                      [--format table|json|csv]\n"
    "  Compares the storage system's state (response and request files), the cluster's\n"
    "  membership and fence history (crm_mon, stonith_admin) and the record since T\n"
    "  (default 24h; a time or an age). One line per disagreement, the dangerous first.\n"
    "  --no-cluster      do not ask the cluster (a copy of the record elsewhere)\n"
    "  --timeout S       bound for each cluster command (default 10)\n"
    "  --pending-grace D a request unanswered for longer is reported (default 60s)\n"
    "Exit codes (Nagios): 0 OK, 1 WARNING (disagreements), 2 CRITICAL (a node online\n"
    "while its storage is fenced, or Pacemaker counting a fence the storage system did\n"
    "not confirm), 3 UNKNOWN (bad usage, or a view that could not be read at all).\n";

/* The dangerous first (they must be the first line), then newest first. */
static int by_danger_then_newest(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    bool cx = x->severity == AUDIT_CRITICAL, cy = y->severity == AUDIT_CRITICAL;
    if (cx != cy)
        return cx ? -1 : 1;
    int t = strcmp(y->at, x->at);
    return t ? t : strcmp(x->kind, y->kind);
}

static const char *severity_name(enum audit_severity s)
{
    static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
    return names[s];
}

/* Nagios: CRITICAL over UNKNOWN over WARNING. */
static int exit_code(const struct findings *f)
{
    int code = AUDIT_OK;
    for (size_t i = 0; i < f->n; i++) {
        enum audit_severity s = f->v[i].severity;
        if (s == AUDIT_CRITICAL)
            return AUDIT_CRITICAL;
        if (s == AUDIT_UNKNOWN || (s == AUDIT_WARNING && code == AUDIT_OK))
            code = (int)s;
    }
    return code;
}

struct audit_options {
    char since[32];
    bool no_cluster;
    int timeout_ms;
    int64_t pending_grace;
};

static int parse_options(struct cli *cli, int argc, char **argv, struct audit_options *o)
{
    static const struct option longopts[] = {
        { "since", required_argument, NULL, 'S' }, { "no-cluster", no_argument, NULL, 'N' },
        { "timeout", required_argument, NULL, 't' },
        { "pending-grace", required_argument, NULL, 'g' }, CLI_COMMON_LONGOPTS, { 0 },
    };
    struct error err;
    time_t now = time(NULL);
    if (parse_time_bound("24h", now, o->since, sizeof o->since, &err) != 0)
        return -1;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "S:Nt:g:f:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, c, optarg, usage_text);
        if (common < 0)
            return -1;
        if (common)
            continue;
        char *end;
        long v;
        switch (c) {
        case 'S':
            if (parse_time_bound(optarg, now, o->since, sizeof o->since, &err) != 0) {
                fprintf(stderr, "fencectl audit: %s\n", err.msg);
                return -1;
            }
            break;
        case 'N': o->no_cluster = true; break;
        case 't':
            v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 600) {
                fprintf(stderr, "fencectl audit: --timeout takes whole seconds from 1 to 600\n");
                return -1;
            }
            o->timeout_ms = (int)v * 1000;
            break;
        case 'g':
            if (parse_duration(optarg, &o->pending_grace, &err) != 0) {
                fprintf(stderr, "fencectl audit: %s\n", err.msg);
                return -1;
            }
            break;
        default: fputs(usage_text, stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "fencectl audit: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}

/* The dangerous case: resources may run on a node without its storage. */
static void online_while_fenced(const struct membership *m, const struct storage_view *sv,
                                struct findings *out)
{
    for (size_t i = 0; i < sv->n; i++) {
        char file[NODE_NAME_MAX + UUID_STR_LEN + 16], text[768];
        if (!member_online(m, sv->fenced[i].node))
            continue;
        snprintf(file, sizeof file, "response %s-%s.json", sv->fenced[i].node,
                 sv->fenced[i].request_id);
        online_fenced_text(text, sizeof text, sv->fenced[i].node, file);
        findings_add(out, AUDIT_CRITICAL, sv->fenced[i].since, "online-while-fenced",
                     sv->fenced[i].node, sv->fenced[i].request_id, "%s", text);
    }
}

/* A partition without quorum fences nothing: its lost nodes stay lost and
 * unfenced until quorum returns (or an administrator confirms them down). */
static void lost_without_fence(const struct membership *m, const char *now,
                               struct findings *out)
{
    if (m->quorum == 0)
        findings_add(out, AUDIT_CRITICAL, now, "no-quorum", m->dc, "", "this partition (DC %s) "
                     "has no quorum: Pacemaker fences no node from here and stops resources "
                     "(no-quorum-policy); the nodes it lost are not fenced", m->dc);
    for (size_t i = 0; i < m->n; i++)
        if (!m->v[i].online && m->v[i].unclean)
            findings_add(out, m->quorum == 0 ? AUDIT_CRITICAL : AUDIT_WARNING, now,
                         "lost-not-fenced", m->v[i].name, "",
                         "%s is lost (offline, unclean) and not fenced%s: its resources "
                         "cannot be recovered elsewhere until it is", m->v[i].name,
                         m->quorum == 0 ? " (no quorum here)" : " yet");
}

/* Membership then fence history; a cluster that does not answer is one
 * line, and *history stays NULL so the record is audited alone. */
static void cluster_views(const struct audit_options *o, const struct storage_view *sv,
                          struct pcmk_history *h, struct pcmk_history **history,
                          struct findings *out)
{
    struct membership m;
    struct error err;
    char now[32];
    audit_iso(time(NULL), now);
    *history = NULL;
    if (audit_membership(o->timeout_ms, &m, &err) != 0) {
        findings_add(out, AUDIT_WARNING, now, "cluster-unreachable", "", "",
                     "the cluster did not answer (%s): membership and Pacemaker's fence "
                     "history not compared", err.msg);
        free(m.v);
        return;
    }
    online_while_fenced(&m, sv, out);
    lost_without_fence(&m, now, out);
    free(m.v);
    if (audit_pacemaker_history(o->timeout_ms, h, &err) != 0) {
        findings_add(out, AUDIT_WARNING, now, "cluster-unreachable", "", "",
                     "Pacemaker's fence history could not be read (%s): not compared", err.msg);
        free(h->v);
        h->v = NULL;
        return;
    }
    *history = h;
}

/* Events in the jsonl log that the database lacks (written to the logs
 * only while it was unavailable): one line each, as far as logcheck
 * shows them, and the count. */
static void logs_only(const struct cli *cli, sqlite3 *db, const char *now, struct findings *out)
{
    char path[4096], why[768];
    struct logcheck lc;
    struct error err;
    if (!cli_logs_are_the_databases(cli, db, why, sizeof why)) {
        fprintf(stderr, "fencectl audit: the logs in %s are not compared with %s: %s\n",
                cli->paths.log_dir, cli->paths.db_path, why);
        return;
    }
    if (path_join(path, sizeof path, cli->paths.log_dir, LOG_FILE_JSONL, &err) != 0 ||
        logcheck_jsonl(db, path, NULL, 0, &lc, &err) != 0) {
        findings_add(out, AUDIT_WARNING, now, "logs-unreadable", "", "", "%s: events recorded "
                     "to the logs only are not compared", err.msg);
        return;
    }
    for (int i = 0; i < lc.shown; i++) {
        /* "line N: <time> <node> <status> ..." */
        char at[40] = "", node[NODE_NAME_MAX + 1] = "";
        sscanf(lc.first[i], "line %*d: %39s %208s", at, node);
        findings_add(out, AUDIT_WARNING, at, "logs-only", node, "", "%s is in %s but not in the "
                     "database: 'fencectl import %s' adds it", lc.first[i], LOG_FILE_JSONL, path);
    }
    if (lc.missing > lc.shown)
        findings_add(out, AUDIT_WARNING, now, "logs-only", "", "", "%ld more events of %s are not "
                     "in the database: 'fencectl import %s' adds them", lc.missing - lc.shown,
                     LOG_FILE_JSONL, path);
}

static int print_findings(const struct cli *cli, const struct findings *f, const char *since)
{
    if (cli->format == FORMAT_TABLE && f->n == 0) {
        printf("OK: no disagreement since %.19sZ\n", since);
        return ferror(stdout) ? -1 : 0;
    }
    static const char *const columns[] = { "severity", "time", "kind", "node", "request_id",
                                           "detail" };
    struct output *o = output_begin(cli, stdout, columns, 6);
    for (size_t i = 0; i < f->n; i++) {
        const struct finding *x = &f->v[i];
        const char *v[] = { severity_name(x->severity), x->at, x->kind, x->node,
                            x->request_id, x->detail };
        output_row(o, v);
    }
    return output_end(o);
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
    struct audit_options o = { .timeout_ms = 10000, .pending_grace = 60 };
    if (parse_options(cli, argc, argv, &o) != 0)
        return AUDIT_UNKNOWN;
    struct findings f = { 0 };
    struct storage_view sv;
    char now[32];
    audit_iso(time(NULL), now);
    audit_storage(cli, time(NULL), (long)o.pending_grace, &sv, &f);
    struct pcmk_history h = { 0 }, *history = NULL;
    if (!o.no_cluster)
        cluster_views(&o, &sv, &h, &history, &f);
    sqlite3 *db = NULL;
    if (cli_open_read_only(cli, &db) != EXIT_OK) {
        findings_add(&f, AUDIT_UNKNOWN, now, "record-unreadable", "", "",
                     "the database %s cannot be read (see above): the record not compared",
                     cli->paths.db_path);
    } else {
        char host[256];
        identity_host_name(host, sizeof host);
        struct record_audit ra = { .db = db, .since = o.since, .hostname = host,
                                   .storage = &sv, .history = history };
        if (audit_record(&ra, &f) != 0)
            findings_add(&f, AUDIT_UNKNOWN, now, "record-unreadable", "", "",
                         "reading %s: %s", cli->paths.db_path, sqlite3_errmsg(db));
        logs_only(cli, db, now, &f);
        db_close(db);
    }
    if (f.n)
        qsort(f.v, f.n, sizeof *f.v, by_danger_then_newest);
    int rc = f.out_of_memory ? AUDIT_UNKNOWN : exit_code(&f);
    if (f.out_of_memory)
        fprintf(stderr, "fencectl audit: out of memory; the list is incomplete\n");
    if (print_findings(cli, &f, o.since) != 0) {
        fprintf(stderr, "fencectl audit: cannot write the output\n");
        rc = AUDIT_UNKNOWN;
    }
    findings_free(&f);
    free(h.v);
    storage_view_free(&sv);
    return rc;
}
