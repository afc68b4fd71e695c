/* Recording one fence: one writer's loop. It reads what the agent hands
 * over (handoff.h), runs discovery and reads the cluster's state before
 * the request goes out (the agent waits for that, bounded), and records
 * whatever is complete in one step (one transaction and its log lines), so
 * a fence answered at once costs one transaction. When the agent's pipe
 * closes it records how the agent ended. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster_state_capture.h"
#include "record_fence.h"
#include "discovery.h"
#include "files.h"
#include "identity.h"
#include "stale_operations.h"

struct progress {
    int notes_posted, notes_recorded;
    bool requested, request_recorded;
    bool failed_early, answered, outcome_recorded;
    bool exited, eof;
    bool unpublished;              /* killed before its request went out */
    bool discovered;
    struct discovery_report report;
    struct requester who;          /* what asked for the fence */
    struct cluster_capture state;  /* the target as Pacemaker saw it */
};

static void take_message(struct progress *p, char m)
{
    switch (m) {
    case HANDOFF_NOTE: p->notes_posted++; break;
    case HANDOFF_REQUEST: p->requested = true; break;
    case HANDOFF_FAILED: p->failed_early = p->answered = true; break;
    case HANDOFF_ANSWER: p->answered = true; break;
    case HANDOFF_EXIT: p->exited = true; break;
    default: break;
    }
}

/* Reads what has arrived, first waiting up to wait_ms (-1: until
 * something arrives, 0: not at all). */
static void read_messages(int fd, struct progress *p, int wait_ms)
{
    if (wait_ms != 0) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        while (poll(&pfd, 1, wait_ms) < 0 && errno == EINTR)
            ;
    }
    char buf[64];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            for (ssize_t i = 0; i < n; i++)
                take_message(p, buf[i]);
            continue;
        }
        if (n == 0 || (errno != EINTR && errno != EAGAIN))
            p->eof = true;   /* the agent is gone (or its pipe is unusable) */
        if (n < 0 && errno == EINTR)
            continue;
        return;
    }
}

/* The fence comes first: a recorder that wakes up must not take the CPU
 * from its agent (or from the other agents of a burst), so it runs as a
 * batch job at a lower priority. It records patiently either way. */
static void yield_to_agents(void)
{
    struct sched_param none = { 0 };
    sched_setscheduler(0, SCHED_BATCH, &none);
    if (setpriority(PRIO_PROCESS, 0, RECORDER_NICE) != 0) {
        /* the default priority still works */
    }
}

/* The agent stamps in UTC only (no time zone file on its path); the local
 * rendering of the logs is added here. */
static void localize(struct stamp *s)
{
    stamp_from_timespec(s, s->ts);
}

static void record_notes(struct recorder *rec, struct handoff *h, struct progress *p)
{
    int limit = p->notes_posted < h->note_count ? p->notes_posted : h->note_count;
    for (; p->notes_recorded < limit; p->notes_recorded++) {
        struct handoff_note *n = &h->notes[p->notes_recorded];
        localize(&n->at);
        recorder_at(rec, &n->at);
        rec_log(rec, n->level, "%s", n->text);
    }
    recorder_at(rec, NULL);
}

static void record_request(struct recorder *rec, const struct job *job,
                           struct handoff *h, struct progress *p)
{
    localize(&h->written);
    recorder_at(rec, &h->written);
    rec_operation_start(rec, &h->written);
    rec_request(rec, h->file_name, h->request_body, &h->written);
    rec_log(rec, LOG_INFO, "Fence action requested: %s for target: %s (by %s)",
            job->action, job->target, rec->op.requested_by);
    rec_log(rec, LOG_INFO, "Wrote fence request %s/%s; waiting up to %lld s for the response",
            job->paths.request_dir, h->file_name, (long long)(job->fence_timeout_ms / 1000));
    rec_event(rec, "requested", "Fence action %s requested by %s", job->action,
              rec->op.requested_by);
    recorder_at(rec, NULL);
    p->request_recorded = true;
}

static void record_discovery(struct recorder *rec, const struct job *job,
                             struct progress *p)
{
    if (!job->discovery.enabled)
        return;
    recorder_at(rec, &p->report.finished);
    discovery_record(rec, &p->report);
    rec_operation_filesystems(rec, rec->op.filesystems);
    rec_event(rec, "discovered", "Shared filesystems for %s: %s", job->target,
              rec->op.filesystems);
    recorder_at(rec, NULL);
}

/* The agent was killed before it said whether its request went out (the
 * request is rendered into the hand-off before it is written): the files
 * say whether it reached the storage system. */
static bool request_published(const struct job *job, const struct handoff *h)
{
    char path[4096];
    struct stat st;
    struct error err;
    if (!h->request_len)
        return false;
    return (path_join(path, sizeof path, job->paths.request_dir, h->file_name, &err) == 0 &&
            lstat(path, &st) == 0) ||
           (path_join(path, sizeof path, job->paths.response_dir, h->file_name, &err) == 0 &&
            lstat(path, &st) == 0);
}

/* Killed before any request reached the storage system: Pacemaker asked
 * for a fence, and the record says it never went out. */
static void conclude_unpublished(const struct job *job, struct handoff *h,
                                 struct progress *p)
{
    struct handoff_outcome *o = &h->outcome;
    memset(o, 0, sizeof *o);
    stamp_now(&o->at);
    o->response_success = -1;
    o->duration_ms = -1;
    snprintf(o->status, sizeof o->status, "terminated");
    snprintf(o->message, sizeof o->message, "the agent was killed before its request was "
             "published: no request reached the storage system%s",
             h->request_len ? " (a dot-temp file may remain; fencectl prune removes it)" : "");
    snprintf(o->event_details, sizeof o->event_details, "Fence action %s failed: %s",
             job->action, o->message);
    p->failed_early = p->answered = p->unpublished = true;
}

/* The late response of an agent that was killed while it waited: it
 * belongs in the record, next to what Pacemaker saw. */
static bool find_late_response(const struct job *job, const char *request_id,
                               struct handoff *h, struct handoff_outcome *o)
{
    char path[4096];
    char *body;
    size_t len;
    struct error err;
    struct response parsed = { 0 };
    if (path_join(path, sizeof path, job->paths.response_dir, h->file_name, &err) != 0 ||
        file_read_limited(path, RESPONSE_MAX_BYTES, &body, &len, &err) != READ_OK)
        return false;
    memcpy(h->response_body, body, len);
    h->response_body[len] = '\0';
    o->has_response_body = true;
    o->response_len = len;
    bool valid = response_parse(body, len, request_id, job->target, &parsed,
                                &err) == RESPONSE_VALID;
    o->response_success = valid ? parsed.success : -1;
    response_free(&parsed);
    free(body);
    return true;
}

/* The agent ended without saying it exits: Pacemaker SIGKILLed it (its
 * timeout) or something else killed it. Pacemaker saw a failure, whatever
 * the storage system did; the record keeps both. */
static void conclude_killed(const struct job *job, const char *request_id,
                            struct handoff *h, struct progress *p, struct outcome_facts *f)
{
    struct handoff_outcome *o = &h->outcome;
    if (!p->answered) {
        memset(o, 0, sizeof *o);
        o->response_success = -1;
        o->duration_ms = -1;
        find_late_response(job, request_id, h, o);
    }
    stamp_now(&o->at);
    const char *storage = o->response_success == 1 ? "the storage system had fenced the node"
                        : o->response_success == 0 ? "the storage system had refused the fence"
                        : o->has_response_body ? "its response was unreadable"
                        : "no response had arrived";
    snprintf(o->message, sizeof o->message, "the agent was killed %s its outcome was handed "
             "over (Pacemaker kills an agent with SIGKILL when the device's timeout expires, "
             "and sees a failure); %s%s%s", p->answered ? "after" : "before", storage,
             o->has_response_body ? " in " : "", o->has_response_body ? h->file_name : "");
    snprintf(o->event_details, sizeof o->event_details, "Fence action %s failed: %s",
             job->action, o->message);
    snprintf(o->status, sizeof o->status, "terminated");
    f->status = o->status;
    f->agent_end = "killed";
}

static void record_outcome(struct recorder *rec, const struct job *job,
                           struct handoff *h, struct progress *p)
{
    struct outcome_facts f = { .agent_end = "exited", .exit_code = h->exit_code };
    if (!p->exited && p->unpublished)
        f.agent_end = "killed";   /* conclude_unpublished said what happened */
    else if (!p->exited)
        conclude_killed(job, rec->op.request_id, h, p, &f);
    const struct handoff_outcome *o = &h->outcome;
    f.status = o->status;
    f.response_success = o->response_success;
    f.duration_ms = o->duration_ms;
    f.message = o->message;
    recorder_at(rec, &o->at);
    if (o->has_response_body) {
        struct response parsed = { 0 };
        struct error err;
        bool valid = response_parse(h->response_body, o->response_len, rec->op.request_id,
                                    job->target, &parsed, &err) == RESPONSE_VALID;
        rec_response(rec, h->file_name, h->response_body, valid ? &parsed : NULL,
                     p->exited || p->answered ? "agent" : "recorder");
        response_free(&parsed);
    }
    bool ok = strcmp(f.status, "completed") == 0 && strcmp(f.agent_end, "exited") == 0;
    rec_log(rec, ok ? LOG_INFO : LOG_ERROR, "Fence action %s for %s %s after %lld ms: %s",
            job->action, job->target, ok ? "succeeded" : f.status,
            (long long)(o->duration_ms < 0 ? 0 : o->duration_ms), o->message);
    rec_event(rec, f.status, "%s", o->event_details);
    rec_operation_outcome(rec, &f);
    recorder_at(rec, NULL);
    p->outcome_recorded = true;
}

static bool stamp_before(const struct stamp *a, const struct stamp *b)
{
    return a->ts.tv_sec < b->ts.tv_sec ||
           (a->ts.tv_sec == b->ts.tv_sec && a->ts.tv_nsec < b->ts.tv_nsec);
}

/* When the cluster's state was read, relative to the fence (schema 7).
 * captured is stamped when crm_mon's output had been read, so a state
 * stamped before the request was published, or before the answer, was
 * read before it; one stamped after the answer may show the fence as
 * Pacemaker recorded it, and is never presented as the state at fence
 * time. */
static const char *snapshot_timing(const struct cluster_capture *c, const struct handoff *h,
                                   const struct progress *p)
{
    if (!c->done || strcmp(c->source, "none") == 0)
        return NULL;
    if (stamp_before(&c->captured, &h->written))
        return "before-request";
    if (!p->answered || stamp_before(&c->captured, &h->outcome.at))
        return "before-answer";
    return "after-answer";
}

/* Discovery, and the target's state as Pacemaker sees it, read once. */
static void take_snapshot(struct discovery_config *discovery, const struct job *job,
                          struct recorder *rec, struct progress *p)
{
    discovery_run(discovery, job->target, &p->report);
    snprintf(rec->op.filesystems, sizeof rec->op.filesystems, "%s",
             strbuf_str(&p->report.result_json));
    cluster_state_capture(&job->discovery, &p->report, job->target, &p->state);
    p->discovered = true;
}

/* Tells the agent its snapshot is taken: it publishes its request then
 * (see recorder_await_snapshot in the agent). Closing the pipe says it as well, also
 * when this process dies first. */
static void snapshot_taken(int *ready_fd)
{
    if (*ready_fd < 0)
        return;
    char byte = 'S';
    if (write(*ready_fd, &byte, 1) < 0) {
        /* the agent is gone or no longer waits: nothing to tell */
    }
    close(*ready_fd);
    *ready_fd = -1;
}

/* Everything complete and not yet recorded, in one step. An answer waits
 * for the agent's exit (or its death), which follows within microseconds,
 * so the record says both facts at once. */
static void record_step(struct recorder *rec, const struct job *job,
                        struct handoff *h, struct progress *p)
{
    bool request = p->requested && !p->request_recorded;
    bool early = p->failed_early && !p->outcome_recorded && (p->exited || p->eof);
    bool outcome = p->request_recorded || request;
    outcome = outcome && !p->outcome_recorded && (p->exited || p->eof);
    bool notes = p->notes_recorded < p->notes_posted;
    if (!request && !early && !outcome && !notes)
        return;
    recorder_step_begin(rec);
    localize(&h->outcome.at);
    if (early) {
        /* Pacemaker asked for a fence: the record says so, then why none
         * went out. */
        recorder_at(rec, &h->outcome.at);
        rec_operation_start(rec, &h->outcome.at);
        rec_event(rec, "requested", "Fence action %s requested by %s", job->action,
                  rec->op.requested_by);
        recorder_at(rec, NULL);
    }
    if (request)
        record_request(rec, job, h, p);
    record_notes(rec, h, p);
    if (request) {
        record_discovery(rec, job, p);
        p->state.read_when = snapshot_timing(&p->state, h, p);
        cluster_state_record(rec, &p->state, &p->who);
    }
    if (early || outcome)
        record_outcome(rec, job, h, p);
    recorder_step_end(rec);
}

/* FENCE_RECORDER_RECORD_PATIENCE (seconds) shortens or lengthens the wait
 * for a database another process holds. */
static int64_t recorder_patience_ms(void)
{
    const char *v = getenv("FENCE_RECORDER_RECORD_PATIENCE");
    long long s = v ? atoll(v) : 0;
    return s > 0 && s <= 86400 ? s * 1000 : RECORDER_PATIENCE_MS;
}

void record_fence(const struct job *job, struct handoff *h, int fd, int release_at_eof,
                  int ready_fd)
{
    struct recorder rec;
    recorder_open(&rec, &job->paths, job->db_timeout_ms, VERBOSITY_QUIET);
    recorder_set_patience(&rec, recorder_patience_ms());
    if (job->syslog)
        recorder_enable_syslog(&rec);
    rec.op = job->op;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    /* The fences of a burst share their looks at the cluster beside the
     * database (ours, mode 0700). */
    char share_dir[4096];
    snprintf(share_dir, sizeof share_dir, "%s", job->paths.db_path);
    struct discovery_config discovery = job->discovery;
    discovery.share_dir = dirname(share_dir);
    struct progress p = { 0 };
    p.report.result_json = (struct strbuf)STRBUF_INIT;
    /* Read by the first stage as it started (a shell that ran the agent
     * by hand may be gone by now); else here, at once, before yielding. */
    if (h->requester.pid == h->requester_pid && h->requester.pid > 0)
        p.who = h->requester;
    else
        requester_read(h->requester_pid, &p.who);
    yield_to_agents();
    /* Looked up here, off the fence's path: NSS may ask a directory service. */
    char who[sizeof ((struct identity *)0)->who];
    if (!rec.op.requested_by || !rec.op.requested_by[0]) {
        identity_describe_requester(who, sizeof who, NULL);
        rec.op.requested_by = who;
    }
    /* The target as Pacemaker sees it before the request goes out: once
     * the storage system has answered, Pacemaker may have recorded the
     * fence, and a lost member no longer reads as unclean. */
    if (job->discovery.enabled)
        take_snapshot(&discovery, job, &rec, &p);
    snapshot_taken(&ready_fd);
    do {
        read_messages(fd, &p, -1);
        /* Most fences are answered within moments: the record waits that
         * long for the answer, so it costs one transaction, and the
         * recorder's work never competes with the fence for the CPU or
         * the disk. A fence that takes longer is recorded as requested. */
        for (int64_t until = monotonic_ms() + RECORDER_GRACE_MS;
             p.requested && !p.exited && !p.eof && monotonic_ms() < until;)
            read_messages(fd, &p, (int)(until - monotonic_ms()));
        if (p.eof && !p.requested && !p.failed_early) {
            if (request_published(job, h))
                p.requested = true;
            else
                conclude_unpublished(job, h, &p);
        }
        if (p.requested && !p.discovered) {
            take_snapshot(&discovery, job, &rec, &p);
            read_messages(fd, &p, 0);
        }
        if (p.eof && release_at_eof >= 0) {
            close(release_at_eof);
            release_at_eof = -1;
        }
        record_step(&rec, job, h, &p);
    } while (!p.eof);
    stale_operations_close(&rec);
    discovery_report_release(&p.report);
    cluster_capture_release(&p.state);
    recorder_close(&rec);
}
