/* The record's side of the audit: the operations since the window's
 * start against Pacemaker's fence history and the storage system's
 * state, then the record's own health. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audit.h"

struct op {
    char uuid[64];
    char action[16];
    char target[NODE_NAME_MAX + 1];
    char requested_by[128];
    char started[32], finished[32];
    char status[16];
    char agent_end[16];
    int fenced;                 /* the storage system's answer: 1, 0, -1 none */
    char message[256];
    bool by_pacemaker;
    bool imported;              /* from the logs: who asked is unknown */
};

#define COL(st, i) ((const char *)sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "")

/* The storage system's answer: the operation's own fact (schema 3), else
 * what its recorded responses said (rows older than that fact). */
static const char window_sql[] =
    "SELECT op_uuid, action, target_node, requested_by, started_at, coalesce(finished_at, ''), "
    "  status, coalesce(agent_end, ''), "
    "  coalesce(response_success, (SELECT max(success) FROM responses r WHERE r.operation_id = o.id "
    "                              AND r.source <> 'unfence'), -1), "
    "  coalesce(message, '') "
    "FROM operations o WHERE started_at >= ?1 AND action IN ('off', 'reboot', 'on') "
    "ORDER BY started_at, id";

static bool is_fence(const struct op *o)
{
    return strcmp(o->action, "off") == 0 || strcmp(o->action, "reboot") == 0;
}

static int load_window(sqlite3 *db, const char *since, struct op **out, size_t *n)
{
    sqlite3_stmt *st;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, window_sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            struct op *v = realloc(*out, cap * sizeof *v);
            if (!v) {
                rc = SQLITE_NOMEM;
                break;
            }
            *out = v;
        }
        struct op *o = &(*out)[(*n)++];
        snprintf(o->uuid, sizeof o->uuid, "%s", COL(st, 0));
        snprintf(o->action, sizeof o->action, "%s", COL(st, 1));
        snprintf(o->target, sizeof o->target, "%s", COL(st, 2));
        snprintf(o->requested_by, sizeof o->requested_by, "%s", COL(st, 3));
        snprintf(o->started, sizeof o->started, "%s", COL(st, 4));
        snprintf(o->finished, sizeof o->finished, "%s", COL(st, 5));
        snprintf(o->status, sizeof o->status, "%s", COL(st, 6));
        snprintf(o->agent_end, sizeof o->agent_end, "%s", COL(st, 7));
        o->fenced = sqlite3_column_int(st, 8);
        snprintf(o->message, sizeof o->message, "%s", COL(st, 9));
        o->by_pacemaker = strcmp(o->requested_by, "pacemaker-fenced") == 0;
        o->imported = strcmp(o->requested_by, "import") == 0;
        /* The agent completes a fence only on a successful answer: rows
         * with no answer recorded (imported from the logs) still had one. */
        if (o->fenced < 0 && strcmp(o->status, "completed") == 0 && is_fence(o))
            o->fenced = 1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Pacemaker asks the agent for off when a reboot is mapped to off
 * (pcmk_reboot_action=off): both are its reboot. */
static bool action_matches(const char *pcmk_action, const char *ours)
{
    if (strcmp(pcmk_action, "reboot") == 0)
        return strcmp(ours, "reboot") == 0 || strcmp(ours, "off") == 0;
    return strcmp(pcmk_action, ours) == 0;
}

static time_t iso_time(const char *iso)
{
    struct tm tm = { 0 };
    if (!strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm))
        return 0;
    return timegm(&tm);
}

/* The fencer completes an event after the agent runs it, retries
 * included; an operation belongs to the first matching event completed
 * after it started (2 s of slack for clocks read by two processes),
 * within half an hour. */
#define MATCH_SLACK_S 2
#define MATCH_SPAN_S 1800

static struct pcmk_event *match(struct pcmk_history *h, const struct op *o)
{
    time_t started = iso_time(o->started);
    struct pcmk_event *best = NULL;
    time_t best_t = 0;
    for (size_t i = 0; i < h->n; i++) {
        struct pcmk_event *e = &h->v[i];
        if (strcasecmp(e->target, o->target) != 0 || !action_matches(e->action, o->action))
            continue;
        time_t t = e->completed[0] ? iso_time(e->completed) : 0;
        if (e->completed[0] && (t < started - MATCH_SLACK_S || t > started + MATCH_SPAN_S))
            continue;
        if (!e->completed[0])        /* pending: the operation may be its current attempt */
            t = started + MATCH_SPAN_S;
        if (!best || t < best_t) {
            best = e;
            best_t = t;
        }
    }
    return best;
}

static void record_only_findings(const struct op *o, struct findings *out)
{
    if (!o->by_pacemaker && !o->imported) {
        findings_add(out, AUDIT_WARNING, o->started, "manual-run", o->target, o->uuid,
                     "%s requested by %s, not by Pacemaker, which does not know of it (%s%s)",
                     o->action, o->requested_by, o->status,
                     o->fenced == 1 ? ", storage detached" : "");
    }
    /* A timeout had no valid answer, whatever response_success says; an
     * agent killed or in error with no answer recorded had none either.
     * A plain failure with none recorded was an imported refusal. */
    if (is_fence(o) && o->fenced != 1 &&
        (strcmp(o->status, "timeout") == 0 ||
         (o->fenced < 0 && (strcmp(o->status, "terminated") == 0 || strcmp(o->status, "error") == 0 ||
                            strcmp(o->status, "unknown") == 0))))
        findings_add(out, AUDIT_WARNING, o->started, "fence-unanswered", o->target, o->uuid,
                     "%s ended '%s' with no answer from the storage system: whether the "
                     "node's storage is detached is unknown (see fencectl orphans)",
                     o->action, o->status);
}

/* Storage detached, yet the agent failed or was killed (Pacemaker's
 * timeout): Pacemaker counted a failure for a fence that happened. */
static bool fenced_but_failed(const struct op *o)
{
    return is_fence(o) && o->fenced == 1 && strcmp(o->status, "completed") != 0 &&
           strcmp(o->status, "running") != 0 && strcmp(o->status, "unknown") != 0;
}

/* Why the agent of a fence whose storage was detached did not report the
 * success, and what to change: "the agent ...; remedy". */
static void failure_cause(const struct op *o, char *out, size_t size)
{
    if (strcmp(o->agent_end, "killed") == 0)
        snprintf(out, size, "the agent was killed after the answer; make pcmk_%s_timeout "
                 "longer than fence_timeout", o->action);
    else if (strcmp(o->status, "timeout") == 0)
        snprintf(out, size, "the agent gave up at its fence_timeout and the success came "
                 "after; raise fence_timeout, keeping pcmk_%s_timeout above it", o->action);
    else
        snprintf(out, size, "the agent ended '%s' (fencectl show %s tells why)", o->status,
                 o->uuid);
}

/* Without Pacemaker's event to compare with, from the record alone. */
static void killed_after_response(const struct op *o, struct findings *out)
{
    char cause[256];
    if (!fenced_but_failed(o))
        return;
    failure_cause(o, cause, sizeof cause);
    findings_add(out, AUDIT_WARNING, o->started, strcmp(o->status, "timeout") == 0
                 ? "answered-after-timeout" : "killed-after-response", o->target, o->uuid,
                 "storage detached (the storage system answered success), but Pacemaker "
                 "counted a failure: %s", cause);
}

static bool op_succeeded(const struct op *o)
{
    return is_fence(o) ? o->fenced == 1 : strcmp(o->status, "completed") == 0;
}

/* One Pacemaker event against the operations it covers (its attempts). */
static void compare_event(const struct pcmk_event *e, const struct op *ops, const int *owner,
                          size_t n, int index, struct findings *out)
{
    const struct op *last = NULL, *succeeded = NULL;
    for (size_t i = 0; i < n; i++) {
        if (owner[i] != index)
            continue;
        last = &ops[i];
        if (op_succeeded(&ops[i]))
            succeeded = &ops[i];
    }
    bool fence = strcmp(e->action, "on") != 0;
    if (strcmp(e->status, "success") == 0 && !succeeded) {
        findings_add(out, fence ? AUDIT_CRITICAL : AUDIT_WARNING, e->completed,
                     fence ? "pacemaker-success-unfenced" : "outcome-mismatch", e->target,
                     last->uuid, fence
                     ? "Pacemaker reports %s %s succeeded, but no answer here says the storage "
                       "is detached (last attempt: %s%s%.200s): unless another device of a "
                       "fencing topology fenced it, the node may still write to shared storage"
                     : "Pacemaker reports %s of %s succeeded; the record says %s%s%.200s",
                     e->action, e->target, last->status, last->message[0] ? ": " : "",
                     last->message);
    } else if (strcmp(e->status, "failed") == 0 && succeeded) {
        char cause[256];
        failure_cause(succeeded, cause, sizeof cause);
        findings_add(out, AUDIT_WARNING, succeeded->started, "outcome-mismatch", e->target,
                     succeeded->uuid, fence
                     ? "storage detached (the storage system answered success) but Pacemaker "
                       "saw %s fail%s%.200s: %s"
                     : "%s: Pacemaker saw it fail%s%.200s, but the record says the node was "
                       "unfenced%.0s",
                     e->action, e->reason[0] ? ": " : "", e->reason, cause);
    }
}

static bool target_known(sqlite3 *db, const char *target)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM operations WHERE target_node = ? LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return true;
    sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
    bool known = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return known;
}

/* The fence another node executed, as this node's alert agent recorded
 * it (cluster_events, schema 8): told, not lost. Same target, action and
 * executor within 10 s of Pacemaker's completion (the alert's time is
 * when the fencer reported it). */
static bool alert_recorded(sqlite3 *db, const struct pcmk_event *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM cluster_events WHERE kind = 'fencing' AND node = ?1 "
                           "COLLATE NOCASE AND action = ?2 AND executor IS ?3 AND "
                           "abs(julianday(happened_at) - julianday(?4)) * 86400 <= 10 LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return false;   /* a record from before the alert agent */
    sqlite3_bind_text(st, 1, e->target, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, e->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->delegate, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->completed, -1, SQLITE_STATIC);
    bool known = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return known;
}

static void compare_history(const struct record_audit *ra, const struct op *ops, size_t n,
                            struct findings *out)
{
    struct pcmk_history *h = ra->history;
    int *owner = calloc(n ? n : 1, sizeof *owner);
    if (!owner) {
        out->out_of_memory = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        /* An imported operation may have been Pacemaker's: matched if it
         * can be, never reported as unknown to it. */
        struct pcmk_event *e = ops[i].by_pacemaker || ops[i].imported ? match(h, &ops[i]) : NULL;
        owner[i] = e ? (int)(e - h->v) : -1;
        if (e)
            e->matched++;
        else if (ops[i].by_pacemaker)
            findings_add(out, AUDIT_WARNING, ops[i].started, "record-only", ops[i].target,
                         ops[i].uuid, "Pacemaker's fence history has no %s of %s for this %s "
                         "(its history is lost when the cluster restarts), or another cluster "
                         "asked for it", ops[i].action, ops[i].target, ops[i].status);
    }
    for (size_t j = 0; j < h->n; j++) {
        struct pcmk_event *e = &h->v[j];
        if (e->matched) {
            compare_event(e, ops, owner, n, (int)j, out);
        } else if (e->completed[0] && strcmp(e->completed, ra->since) >= 0 &&
                   strcmp(e->status, "pending") != 0 && target_known(ra->db, e->target) &&
                   !alert_recorded(ra->db, e)) {
            /* Targets this record never saw belong to other devices. */
            findings_add(out, AUDIT_WARNING, e->completed, "pacemaker-only", e->target, "",
                         "Pacemaker reports %s of %s %s (by %s for %s) but this record has "
                         "neither its operation nor its alert: the alert agent not configured "
                         "(fence-recorder-alert), another device (fencing topology), another "
                         "recorder's database (--db), or a lost record", e->action, e->target,
                         e->status, e->delegate[0] ? e->delegate : "?",
                         e->client[0] ? e->client : "?");
        }
    }
    for (size_t i = 0; i < n; i++)
        if (owner[i] < 0)
            killed_after_response(&ops[i], out);
    free(owner);
}

static bool pid_alive(long long pid)
{
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* Still 'running': in progress while its agent lives (on this host), or
 * for a minute after (its recorder writes the outcome once the agent
 * has exited); elsewhere, for ten minutes. */
static int unfinished(const struct record_audit *ra, time_t now, struct findings *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ra->db, "SELECT op_uuid, action, target_node, started_at, agent_pid, "
                           "recorder_node FROM operations WHERE status = 'running'", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        bool here = strcmp(COL(st, 5), ra->hostname) == 0;
        time_t age = now - iso_time(COL(st, 3));
        if (here ? pid_alive(sqlite3_column_int64(st, 4)) || age < 60 : age < 600)
            continue;
        findings_add(out, AUDIT_WARNING, COL(st, 3), "operation-unfinished", COL(st, 2), COL(st, 0),
                     "%s by pid %lld on %s never recorded an outcome%s", COL(st, 1),
                     (long long)sqlite3_column_int64(st, 4), COL(st, 5),
                     here ? " and its agent no longer runs" : " (started over 10 minutes ago)");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Successful responses (the storage system's state) that this record
 * has no request for. */
static void unrecorded_fences(const struct record_audit *ra, struct findings *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ra->db, "SELECT 1 FROM requests WHERE request_id = ?", -1, &st, NULL)
        != SQLITE_OK)
        return;
    for (size_t i = 0; i < ra->storage->n; i++) {
        const struct fenced_node *f = &ra->storage->fenced[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, f->request_id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            findings_add(out, AUDIT_WARNING, f->since, "fenced-unrecorded", f->node, f->request_id,
                         "the storage system holds %s fenced by a request this record does not "
                         "have (another recorder's, or written by hand)", f->node);
    }
    sqlite3_finalize(st);
}

/* The storage system's state outranks the record: a successful response
 * file named for the operation's request means it fenced, even if the
 * record never saw that answer (it came after the agent was killed). */
static void fenced_from_storage(const struct storage_view *sv, struct op *ops, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; is_fence(&ops[i]) && ops[i].fenced != 1 && j < sv->n; j++)
            if (strcmp(sv->fenced[j].request_id, ops[i].uuid) == 0)
                ops[i].fenced = 1;
}

int audit_record(const struct record_audit *ra, struct findings *out)
{
    struct op *ops;
    size_t n;
    if (load_window(ra->db, ra->since, &ops, &n) != 0)
        return -1;
    fenced_from_storage(ra->storage, ops, n);
    for (size_t i = 0; i < n; i++)
        record_only_findings(&ops[i], out);
    if (ra->history) {
        compare_history(ra, ops, n, out);
    } else {
        for (size_t i = 0; i < n; i++)
            killed_after_response(&ops[i], out);
    }
    free(ops);
    unrecorded_fences(ra, out);
    return unfinished(ra, time(NULL), out);
}
