#include "alert_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_syslog.h"
#include "identity.h"
#include "member_facts.h"
#include "missed_fences.h"
#include "record.h"

static void this_node(char *out, size_t size)
{
    if (!identity_host_name(out, size))
        snprintf(out, size, "(unknown)");
}

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
    member_facts_read_history(m);
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
        member_facts_read(ev, paths, host, member, &facts);
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
