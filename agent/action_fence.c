/* off and reboot: request -> wait -> answer -> exit. The response alone
 * decides the outcome. The record is the recorder's (recorder_spawn.h): each
 * step is handed over as it happens, by a memory copy and a one-byte
 * message, so no database, log disk or discovery stands between the
 * storage system's answer and the agent's exit. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "crash_point.h"
#include "files.h"
#include "names.h"
#include "response_wait.h"
#include "signals.h"

/* The outcome, decided: what the record says and what Pacemaker is told
 * on stderr (it copies an agent's stderr into its log). */
static enum agent_result conclude(struct recorder_link *c, const char *status, bool ok,
                                  int64_t duration_ms, const char *details_prefix,
                                  const char *message)
{
    const struct agent_config *cfg = c->cfg;
    struct handoff_outcome o = { .exit_code = ok ? 0 : 1, .duration_ms = duration_ms,
                                 .response_success = -1 };
    stamp_now_utc(&o.at);
    snprintf(o.status, sizeof o.status, "%s", status);
    snprintf(o.message, sizeof o.message, "%s", message);
    snprintf(o.event_details, sizeof o.event_details, "%s%s", details_prefix, message);
    char line[sizeof o.message + 256];
    snprintf(line, sizeof line, "Fence action %s for %s %s after %lld ms: %s", cfg->action_name,
             cfg->target, ok ? "succeeded" : status, (long long)(duration_ms < 0 ? 0 : duration_ms),
             o.message);
    record_to_stderr(cfg->verbosity, ok ? LOG_INFO : LOG_ERROR, line);
    if (c->h) {
        /* What the storage system answered, if anything was handed over;
         * none (-1) otherwise. */
        if (c->h->outcome.has_response_body) {
            o.has_response_body = true;
            o.response_len = c->h->outcome.response_len;
            o.response_success = c->h->outcome.response_success;
        }
        c->h->outcome = o;
    }
    return ok ? RESULT_OK : RESULT_FAILED;
}

/* A fence that ends before any request exists (bad directory, signal
 * during --delay). */
static enum agent_result fail_early(struct recorder_link *c, const char *status, const char *message)
{
    char details[64];
    snprintf(details, sizeof details, "Fence action %s failed: ", c->cfg->action_name);
    enum agent_result r = conclude(c, status, false, -1, details, message);
    recorder_post(c, HANDOFF_FAILED);
    return r;
}

static int write_request(struct agent_context *ctx, struct handoff *h, int *held_fd,
                         struct error *err)
{
    const struct agent_config *cfg = ctx->cfg;
    struct request req = {
        .action = cfg->action_name, .target_node = cfg->target,
        .recorder_node = ctx->identity.host,
    };
    strcpy(req.request_id, ctx->op.request_id);
    stamp_now_utc(&h->written);
    strcpy(req.timestamp, h->written.iso_ms);
    struct strbuf body = STRBUF_INIT;
    request_render(&body, &req);
    int rc = -1;
    if (strbuf_failed(&body) || body.len >= sizeof h->request_body) {
        errorf(err, "out of memory rendering the request");
    } else {
        /* Handed over before it is written: if we are killed while
         * writing, the recorder still knows what went out. */
        memcpy(h->request_body, body.data, body.len + 1);
        h->request_len = body.len;
        rc = file_write_atomic_held(cfg->paths.request_dir, h->file_name, body.data, body.len,
                                    MODE_REQUEST, held_fd, err);
    }
    strbuf_release(&body);
    return rc;
}

/* Hands the response over as read: the record keeps what decided. */
static void hand_over_response(struct handoff *h, const struct wait_result *w)
{
    if (!w->body || w->body_len > RESPONSE_MAX_BYTES)
        return;
    memcpy(h->response_body, w->body, w->body_len);
    h->response_body[w->body_len] = '\0';
    h->outcome.has_response_body = true;
    h->outcome.response_len = w->body_len;
    h->outcome.response_success = w->outcome == WAIT_ANSWERED ? w->response.success : -1;
}

static enum agent_result decide(struct recorder_link *c, const struct wait_result *w,
                                int64_t waited_ms)
{
    const struct agent_config *cfg = c->cfg;
    const struct response *r = &w->response;
    char message[4096];
    char details[128];
    snprintf(details, sizeof details, "Fence action %s failed: ", cfg->action_name);
    switch (w->outcome) {
    case WAIT_ANSWERED:
        snprintf(message, sizeof message, "%.2048s", r->message ? r->message : "(no message)");
        if (!r->success)
            return conclude(c, "failed", false, waited_ms, details, message);
        /* action_performed is the storage system's text: data, never a format. */
        snprintf(details, sizeof details, "Fence action %.32s completed successfully: ",
                 r->action_performed ? r->action_performed : cfg->action_name);
        return conclude(c, "completed", true, waited_ms, details, message);
    case WAIT_INVALID:
        snprintf(message, sizeof message, "invalid response %s: %.1024s", c->h ? c->h->file_name
                 : "", w->problem.msg);
        return conclude(c, "failed", false, waited_ms, details, message);
    case WAIT_NO_FDS:
        snprintf(message, sizeof message, "cannot read the response: out of file descriptors "
                 "(%.1024s); the request stays in %.1024s", w->problem.msg, cfg->paths.request_dir);
        return conclude(c, "failed", false, waited_ms, details, message);
    case WAIT_TIMEOUT:
        snprintf(message, sizeof message, "no valid response after %lld ms%s%.1024s; the request "
                 "stays in %.1024s", (long long)waited_ms, w->problem.msg[0] ? "; last problem: "
                 : "", w->problem.msg, cfg->paths.request_dir);
        return conclude(c, "timeout", false, waited_ms, details, message);
    default:
        snprintf(message, sizeof message, "terminated by signal %d after %lld ms while waiting "
                 "for the response (Pacemaker's timeout?)", w->signal, (long long)waited_ms);
        return conclude(c, "terminated", false, waited_ms, details, message);
    }
}

static enum agent_result wait_for_answer(struct agent_context *ctx, struct response_watch *watch,
                                         int64_t started)
{
    struct recorder_link *c = &ctx->recorder;
    const struct agent_config *cfg = ctx->cfg;
    struct wait_params params = {
        .request_id = ctx->op.request_id, .target_node = cfg->target,
        .deadline_ms = started + cfg->fence_timeout_ms, .poll_interval_ms = cfg->poll_interval_ms,
        .signal_fd = ctx->signal_fd,
    };
    struct wait_result w;
    crash_point("waiting");
    response_wait(watch, &params, &w);
    int64_t waited = monotonic_ms() - started;
    response_watch_stop(watch);
    crash_point("after-response");
    if (c->h)
        hand_over_response(c->h, &w);
    enum agent_result result = decide(c, &w, waited);
    c->answered = true;   /* handed over with the exit, in one write */
    wait_result_free(&w);
    return result;
}

int fence_prepare(struct agent_context *ctx, struct error *err)
{
    const struct agent_config *cfg = ctx->cfg;
    if (protocol_file_name(ctx->file_name, sizeof ctx->file_name, cfg->target,
                           ctx->op.request_id, err) != 0 ||
        dir_ensure(cfg->paths.request_dir, MODE_REQUEST_DIR, err) != 0 ||
        dir_ensure(cfg->paths.response_dir, MODE_REQUEST_DIR, err) != 0)
        return -1;
    return response_watch_start(&ctx->watch, cfg->paths.response_dir, ctx->file_name, err);
}

enum agent_result action_fence(struct agent_context *ctx, const struct error *unprepared)
{
    const struct agent_config *cfg = ctx->cfg;
    struct recorder_link *c = &ctx->recorder;
    struct handoff scratch;   /* only if no shared memory could be had */
    struct handoff *h = c->h ? c->h : &scratch;
    struct error err;
    snprintf(h->file_name, sizeof h->file_name, "%s", ctx->file_name);
    if (unprepared)
        return fail_early(c, "failed", unprepared->msg);
    if (cfg->delay_ms > 0) {
        int sig = sleep_or_signal(ctx->signal_fd, cfg->delay_ms);
        if (sig) {
            char msg[96];
            snprintf(msg, sizeof msg, "terminated by signal %d during the start delay", sig);
            response_watch_stop(&ctx->watch);
            return fail_early(c, "terminated", msg);
        }
    }
    /* Before the request goes out: the target as Pacemaker sees it now. */
    recorder_await_snapshot(c, ctx->signal_fd);
    crash_point("before-request");
    int64_t started = monotonic_ms();
    if (write_request(ctx, h, &ctx->request_fd, &err) != 0) {
        response_watch_stop(&ctx->watch);
        return fail_early(c, "failed", err.msg);
    }
    crash_point("after-request");
    recorder_post(c, HANDOFF_REQUEST);
    if (ctx->watch.inotify_fd < 0 && ctx->watch.dnotify_fd < 0)
        recorder_note(c, LOG_WARNING, "neither inotify nor dnotify works on %s; re-checking "
                       "every %lld ms", cfg->paths.response_dir, (long long)cfg->poll_interval_ms);
    else if (ctx->watch.inotify_fd < 0)
        recorder_note(c, LOG_DEBUG, "no inotify instance left (fs.inotify.max_user_instances); "
                       "watching %s with dnotify", cfg->paths.response_dir);
    return wait_for_answer(ctx, &ctx->watch, started);
}
