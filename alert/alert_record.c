#include "alert_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "event_syslog.h"
#include "identity.h"
#include "pcmk_history.h"
#include "record.h"
#include "respdir.h"

/* The first successful response file for node, if any: while it is there
 * nnf-sos keeps the node's storage detached. */
struct still_fenced {
    char file[PROTOCOL_NAME_MAX + 1];
    char request_id[UUID_STR_LEN + 1];
};

static int first_fencing(const struct response_file *f, void *ctx)
{
    struct still_fenced *sf = ctx;
    if (!response_file_fences(f))
        return 0;
    snprintf(sf->file, sizeof sf->file, "%s", f->file_name);
    snprintf(sf->request_id, sizeof sf->request_id, "%s", f->request_id);
    return 1;
}

static void this_node(char *out, size_t size)
{
    if (!identity_host_name(out, size))
        snprintf(out, size, "(unknown)");
}

/* stonith_admin answers from memory; a busy fencer may take a while. */
#define HISTORY_TIMEOUT_MS 10000

static void fencing_row(const struct alert_event *ev, struct cluster_event_row *row)
{
    row->kind = "fencing";
    row->action = ev->action[0] ? ev->action : NULL;
    row->executor = ev->executor[0] ? ev->executor : NULL;
    row->client = ev->client[0] ? ev->client : NULL;
    row->origin = ev->origin[0] ? ev->origin : NULL;
    row->result = ev->result[0] ? ev->result : NULL;
    row->ref = ev->ref[0] ? ev->ref : NULL;
    row->rc = ev->rc;
}

/* "2026-11-26T15:20:16.000Z" (pcmk_time_to_iso's) as a stamp. */
static bool stamp_from_iso_utc(struct stamp *st, const char *iso)
{
    struct tm tm = { 0 };
    const char *rest = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest)
        return false;
    struct timespec ts = { .tv_sec = timegm(&tm), .tv_nsec = 0 };
    stamp_from_timespec(st, ts);
    return true;
}

/* This node's name as Pacemaker knows it (crm_node -n), else its host name. */
static void local_node(char *out, size_t size)
{
    char *argv[] = { "crm_node", "-n", NULL };
    struct command_result r;
    struct error err;
    out[0] = '\0';
    if (command_run(argv, 3000, 4096, &r, &err) == 0 && r.exit_status == 0 && r.out)
        snprintf(out, size, "%.*s", (int)strcspn(r.out, "\n"), r.out);
    command_result_free(&r);
    if (!out[0])
        this_node(out, size);
}

/* This node joined: the fences it missed while it was down, as the
 * fencers keep them (in memory, synchronised when a node joins), read
 * before the step (stonith_admin may take seconds; the database is not
 * held meanwhile). What the record has already (by Pacemaker's id, or the
 * same target, action and executor within seconds) is not added again. */
static void record_missed_fences(struct recorder *rec, const struct pcmk_history *h,
                                 const char *host)
{
    int added = 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct pcmk_event *e = &h->v[i];
        if (!e->completed[0])
            continue;   /* still pending: its alert will come */
        char desc[2 * ALERT_TEXT_MAX];   /* room for every field at its longest */
        struct stamp at;
        snprintf(desc, sizeof desc, "Operation %s of %s by %s for %s@%s: %s%s%s", e->action,
                 e->target, e->delegate, e->client, e->origin, e->status,
                 e->reason[0] ? ": " : "", e->reason);
        if (!stamp_from_iso_utc(&at, e->completed))
            continue;
        struct cluster_event_row row = {
            .kind = "fencing", .node = e->target, .action = e->action,
            .executor = e->delegate[0] ? e->delegate : NULL,
            .client = e->client[0] ? e->client : NULL, .origin = e->origin[0] ? e->origin : NULL,
            .result = e->status, .rc = strcmp(e->status, "success") == 0 ? 0 : -1,
            .description = desc, .happened = &at, .recorded_on = host, .source = "history",
        };
        if (rec_cluster_event(rec, &row) == 1) {
            added++;
            rec_log(rec, LOG_INFO, "Cluster fence event (from the fencers' history, missed "
                    "while this node was down): %s", desc);
        }
    }
    if (added)
        rec_log(rec, LOG_INFO, "%d fence(s) of the fencers' history were not recorded here "
                "(this node was down): recorded now", added);
}

/* What an alert needs from outside the database, read before the step.
 * For a member alert: whether the member, and this node itself (its peers
 * came back to it: the partition healed from this side), are still
 * fenced. For a member alert, and a fencing alert about this node (its own
 * unfencing after it joined): the fencers' history, since a node that
 * joins gets member alerts for the others, not for itself. */
struct member_facts {
    char local[256];
    bool is_local;
    struct still_fenced member, self;
    bool history_wanted, history_read;
    struct pcmk_history history;
    char history_error[sizeof ((struct error *)0)->msg];
};

/* A member whose storage is still fenced: Pacemaker lets it run
 * resources that need the storage it cannot reach (a partition healed
 * without a restart, a failed unfence). The remedy is the restart that
 * Pacemaker's unfencing needs. Recorded as a node event of its own
 * (severity critical, detail: the response file), logged CRITICAL and
 * sent to syslog at LOG_CRIT. */
static void say_critical(struct recorder *rec, const char *node, const struct still_fenced *sf)
{
    char text[1024];
    snprintf(text, sizeof text, "node %s joined the cluster while its storage is fenced: the "
             "successful response %s still fences it; restart the node (Pacemaker unfences it "
             "when it rejoins), never unfence a node that did not restart", node, sf->file);
    rec_log(rec, LOG_CRITICAL, "%s", text);
    event_syslog_critical(text);
}

/* This node itself, fenced, saw its peers come back (the partition healed
 * from its side: it never left its own membership, so no member alert
 * names it here): an event of its own. */
static void record_self_critical(struct recorder *rec, const struct alert_event *ev,
                                 const struct member_facts *m, const char *host)
{
    struct cluster_event_row row = {
        .kind = "node", .node = m->local, .rc = -1, .result = "member",
        .description = "member: its peers rejoined it", .happened = &ev->at,
        .recorded_on = host, .source = "alert", .severity = "critical",
        .detail = m->self.file,
    };
    if (rec_cluster_event(rec, &row) != 0)
        say_critical(rec, m->local, &m->self);
}

static void still_fenced_by(const char *dir, const char *node, struct still_fenced *sf)
{
    struct error err;
    sf->file[0] = '\0';
    if (response_dir_scan(dir, node, first_fencing, sf, &err) < 0)
        sf->file[0] = '\0';   /* unreadable here: nothing this node can confirm */
}

/* A node that restarted joins with its old response file, which
 * Pacemaker's unfencing removes a second later: only a file still there
 * after JOIN_GRACE_S is a member joining while fenced (a partition healed
 * without a restart). The copy waits; Pacemaker does not. The fencers'
 * history is also complete by then on a node that just joined. */
#define JOIN_GRACE_S 15

static void wait_for_unfencing(const struct alert_event *ev, const struct paths *paths,
                               struct member_facts *m)
{
    for (int waited = 0;; waited++) {
        still_fenced_by(paths->response_dir, ev->node, &m->member);
        if (!m->is_local)
            still_fenced_by(paths->response_dir, m->local, &m->self);
        if ((!m->member.file[0] && !m->self.file[0]) || waited >= JOIN_GRACE_S)
            return;
        sleep(1);
    }
}

static void member_facts_read(const struct alert_event *ev, const struct paths *paths,
                              bool member, struct member_facts *m)
{
    memset(m, 0, sizeof *m);
    local_node(m->local, sizeof m->local);
    m->is_local = strcasecmp(m->local, ev->node) == 0;   /* ASCII case, as Pacemaker compares */
    if (member)
        wait_for_unfencing(ev, paths, m);
    m->history_wanted = member || m->is_local;
}

/* The fencers share their history with a node that joins some seconds
 * after the membership alerts (seen: not yet there 0.3 s after them, there
 * 5 s later): read once the event's own row is recorded, after this wait. */
#define HISTORY_SETTLE_S 10

static void read_history_settled(struct member_facts *m)
{
    struct error err;
    sleep(HISTORY_SETTLE_S);
    m->history_read = pcmk_history_read(HISTORY_TIMEOUT_MS, &m->history, &err) == 0;
    if (!m->history_read)
        snprintf(m->history_error, sizeof m->history_error, "%s", err.msg);
}

static void record_member(struct recorder *rec, const struct alert_event *ev,
                          const struct member_facts *m, const char *host, int added)
{
    if (m->member.file[0] && added != 0)
        say_critical(rec, ev->node, &m->member);
    if (m->self.file[0])
        record_self_critical(rec, ev, m, host);
}

/* A step of its own, after the event's: the fences this node misses. */
static void record_history(struct recorder *rec, struct member_facts *m, const char *host)
{
    read_history_settled(m);
    recorder_step_begin(rec);
    if (m->history_read)
        record_missed_fences(rec, &m->history, host);
    else
        rec_log(rec, LOG_WARNING, "the fences this node missed while it was down are not "
                "recorded: %s", m->history_error);
    recorder_step_end(rec);
}

int alert_record(const struct alert_event *ev, const struct paths *paths, int db_timeout_ms)
{
    struct recorder rec;
    recorder_open(&rec, paths, db_timeout_ms, VERBOSITY_QUIET);
    recorder_enable_syslog(&rec);
    char host[256];
    this_node(host, sizeof host);
    struct cluster_event_row row = { .node = ev->node, .rc = -1, .description = ev->description,
                                     .happened = &ev->at, .recorded_on = host,
                                     .source = "alert" };
    bool member = ev->kind == ALERT_NODE && strcmp(ev->description, "member") == 0;
    bool facts_needed = member || ev->kind == ALERT_FENCING;
    static struct member_facts facts;
    if (facts_needed)
        member_facts_read(ev, paths, member, &facts);
    if (ev->kind == ALERT_NODE) {
        row.kind = "node";
        row.node_id = ev->node_id[0] ? ev->node_id : NULL;
        row.result = ev->description;
        if (member && facts.member.file[0]) {
            row.severity = "critical";
            row.detail = facts.member.file;
        }
    } else {
        fencing_row(ev, &row);
    }
    recorder_step_begin(&rec);
    /* Said once: a duplicate (another recipient, a repeated alert) adds
     * nothing; without a database the log line still says it. */
    int added = rec_cluster_event(&rec, &row);
    if (added != 0 && ev->kind == ALERT_FENCING)
        rec_log(&rec, ev->rc == 0 ? LOG_INFO : LOG_WARNING, "Cluster fence event: %s",
                ev->description);
    else if (added != 0)
        rec_log(&rec, LOG_INFO, "Cluster node event: %s is %s", ev->node, ev->description);
    if (facts_needed)
        record_member(&rec, ev, &facts, host, added);
    recorder_step_end(&rec);
    if (facts_needed && facts.history_wanted)
        record_history(&rec, &facts, host);
    recorder_close(&rec);
    if (facts_needed)
        free(facts.history.v);
    return added < 0 ? -1 : 0;
}
