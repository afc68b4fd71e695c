/* off and reboot: write the request, wait for the matching response, and
 * let the response alone decide the outcome. Recording happens around the
 * fence, never in its way: the request is on disk before the first
 * database write, and discovery runs in a child while we wait. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "crash_point.h"
#include "files.h"
#include "names.h"
#include "response_wait.h"
#include "signals.h"

struct fence_run {
    struct agent_context *ctx;
    char file_name[PROTOCOL_NAME_MAX + 1];
    struct companion companion;
    struct strbuf discovery_out;
    struct wait_result wait;
};

/* Collects the discovery child's JSON array; adopts it at end of file. */
static bool discovery_ready(int fd, void *arg)
{
    struct fence_run *run = arg;
    char buf[1024];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            if (run->discovery_out.len + (size_t)n < sizeof run->ctx->rec.op.filesystems)
                strbuf_add(&run->discovery_out, buf, (size_t)n);
            continue;
        }
        if (n < 0)
            return true;   /* EAGAIN: more to come */
        const char *json = strbuf_str(&run->discovery_out);
        if (json[0] == '[')
            snprintf(run->ctx->rec.op.filesystems, sizeof run->ctx->rec.op.filesystems, "%s", json);
        close(fd);
        run->companion.result_fd = -1;
        return false;
    }
}

/* A fence that ends before any request exists (bad directory, signal
 * during --delay): one step records it whole. */
static enum agent_result fail_early(struct agent_context *ctx, const char *status,
                                    const char *message)
{
    struct recorder *rec = &ctx->rec;
    struct stamp now;
    stamp_now(&now);
    recorder_step_begin(rec);
    rec_operation_start(rec, &now);
    rec_log(rec, LOG_ERROR, "Fence action %s for %s failed: %s", ctx->cfg->action_name,
            ctx->cfg->target, message);
    rec_event(rec, status, "Fence action %s failed: %s", ctx->cfg->action_name, message);
    rec_operation_finish(rec, status, 1, message);
    recorder_step_end(rec);
    return RESULT_FAILED;
}

static int write_request(struct fence_run *run, struct stamp *written, struct strbuf *body,
                         struct error *err)
{
    struct agent_context *ctx = run->ctx;
    struct request req = {
        .action = ctx->cfg->action_name, .target_node = ctx->cfg->target,
        .recorder_node = ctx->identity.host,
    };
    strcpy(req.request_id, ctx->rec.op.request_id);
    stamp_now(written);
    strcpy(req.timestamp, written->iso_ms);
    request_render(body, &req);
    if (strbuf_failed(body))
        return errorf(err, "out of memory rendering the request");
    return file_write_atomic(ctx->cfg->paths.request_dir, run->file_name, body->data,
                             body->len, MODE_REQUEST, err);
}

static void record_request_written(struct fence_run *run, const struct stamp *written,
                                   const char *body)
{
    struct agent_context *ctx = run->ctx;
    struct recorder *rec = &ctx->rec;
    const struct agent_config *cfg = ctx->cfg;
    recorder_step_begin(rec);
    rec_operation_start(rec, written);
    rec_request(rec, run->file_name, body, written);
    rec_log(rec, LOG_INFO, "Fence action requested: %s for target: %s (by %s)",
            cfg->action_name, cfg->target, ctx->identity.who);
    rec_log(rec, LOG_INFO, "Wrote fence request %s/%s; waiting up to %lld s for the response",
            cfg->paths.request_dir, run->file_name, (long long)(cfg->fence_timeout_ms / 1000));
    rec_event(rec, "requested", "Fence action %s requested by %s", cfg->action_name,
              ctx->identity.who);
    recorder_step_end(rec);
}

static void start_companion(struct fence_run *run)
{
    struct agent_context *ctx = run->ctx;
    struct error err;
    recorder_release_db(&ctx->rec);   /* reopened by the next step */
    if (companion_spawn(ctx->cfg, &ctx->rec, &run->companion, &err) != 0)
        rec_log(&ctx->rec, LOG_WARNING, "companion process not started (no filesystem "
                "discovery, and a kill would go unrecorded): %s", err.msg);
}

/* Maps the wait's end to the record's status and the fence's result. */
static enum agent_result conclude(struct fence_run *run, int64_t waited_ms)
{
    struct agent_context *ctx = run->ctx;
    struct recorder *rec = &ctx->rec;
    const struct agent_config *cfg = ctx->cfg;
    const struct wait_result *w = &run->wait;
    const struct response *r = &w->response;
    char message[4096];
    const char *status;
    enum log_level level = LOG_ERROR;
    switch (w->outcome) {
    case WAIT_ANSWERED:
        status = r->success ? "completed" : "failed";
        level = r->success ? LOG_INFO : LOG_ERROR;
        snprintf(message, sizeof message, "%.2048s", r->message ? r->message : "(no message)");
        break;
    case WAIT_INVALID:
        status = "failed";
        snprintf(message, sizeof message, "invalid response %s: %.1024s", run->file_name, w->problem.msg);
        break;
    case WAIT_NO_FDS:
        status = "failed";
        snprintf(message, sizeof message, "the response could not be read: %.1024s; the request "
                 "stays in %.1024s", w->problem.msg, cfg->paths.request_dir);
        break;
    case WAIT_TIMEOUT:
        status = "timeout";
        snprintf(message, sizeof message, "no valid response after %lld ms%s%s; the request "
                 "stays in %.1024s", (long long)waited_ms, w->problem.msg[0] ? "; last problem: " : "",
                 w->problem.msg, cfg->paths.request_dir);
        break;
    default:
        status = "terminated";
        snprintf(message, sizeof message, "terminated by signal %d after %lld ms while waiting "
                 "for the response (Pacemaker's timeout?)", w->signal, (long long)waited_ms);
        break;
    }
    bool ok = w->outcome == WAIT_ANSWERED && r->success;
    recorder_step_begin(rec);
    if (w->body)
        rec_response(rec, run->file_name, w->body, w->outcome == WAIT_ANSWERED ? r : NULL, "agent");
    rec_log(rec, level, "Fence action %s for %s %s after %lld ms: %s", cfg->action_name,
            cfg->target, ok ? "succeeded" : status, (long long)waited_ms, message);
    if (ok)
        rec_event(rec, status, "Fence action %s completed successfully: %s",
                  r->action_performed ? r->action_performed : cfg->action_name, message);
    else
        rec_event(rec, status, "Fence action %s failed: %s", cfg->action_name, message);
    /* While discovery is pending its child writes the result itself;
     * writing "pending" here could overwrite it. */
    if (!strstr(rec->op.filesystems, DISCOVERY_PENDING))
        rec_operation_filesystems(rec, rec->op.filesystems);
    rec_operation_finish(rec, status, ok ? 0 : 1, message);
    recorder_step_end(rec);
    return ok ? RESULT_OK : RESULT_FAILED;
}

enum agent_result action_fence(struct agent_context *ctx)
{
    const struct agent_config *cfg = ctx->cfg;
    struct recorder *rec = &ctx->rec;
    struct fence_run run = { .ctx = ctx, .companion = { -1, -1 }, .discovery_out = STRBUF_INIT };
    struct error err;
    operation_init(ctx);
    strcpy(rec->op.request_id, rec->op.op_uuid);
    snprintf(rec->op.filesystems, sizeof rec->op.filesystems, "[\"%s\"]",
             cfg->discovery.enabled ? DISCOVERY_PENDING : DISCOVERY_DISABLED);

    if (cfg->delay_ms > 0) {
        int sig = sleep_or_signal(ctx->signal_fd, cfg->delay_ms);
        if (sig) {
            char msg[96];
            snprintf(msg, sizeof msg, "terminated by signal %d during the start delay", sig);
            return fail_early(ctx, "terminated", msg);
        }
    }
    if (protocol_file_name(run.file_name, sizeof run.file_name, cfg->target,
                           rec->op.request_id, &err) != 0 ||
        dir_ensure(cfg->paths.request_dir, MODE_REQUEST_DIR, &err) != 0 ||
        dir_ensure(cfg->paths.response_dir, MODE_REQUEST_DIR, &err) != 0)
        return fail_early(ctx, "failed", err.msg);

    struct response_watch watch;
    if (response_watch_start(&watch, cfg->paths.response_dir, run.file_name, &err) != 0)
        return fail_early(ctx, "failed", err.msg);
    struct stamp written;
    struct strbuf body = STRBUF_INIT;
    int64_t started = monotonic_ms();
    crash_point("before-request");
    if (write_request(&run, &written, &body, &err) != 0) {
        response_watch_stop(&watch);
        strbuf_release(&body);
        return fail_early(ctx, "failed", err.msg);
    }
    crash_point("after-request");
    record_request_written(&run, &written, body.data);
    strbuf_release(&body);
    if (watch.inotify_fd < 0)
        rec_log(rec, LOG_WARNING, "inotify unavailable on %s; re-checking every %lld ms",
                cfg->paths.response_dir, (long long)cfg->poll_interval_ms);

    start_companion(&run);
    crash_point("waiting");
    struct wait_params params = {
        .request_id = rec->op.request_id, .target_node = cfg->target,
        .deadline_ms = started + cfg->fence_timeout_ms, .poll_interval_ms = cfg->poll_interval_ms,
        .signal_fd = ctx->signal_fd, .extra_fd = run.companion.result_fd,
        .on_extra = discovery_ready, .extra_ctx = &run,
    };
    response_wait(&watch, &params, &run.wait);
    response_watch_stop(&watch);
    crash_point("after-response");
    /* A result already sent is worth including; never wait for one. */
    if (run.companion.result_fd >= 0 && discovery_ready(run.companion.result_fd, &run))
        close(run.companion.result_fd);
    enum agent_result result = conclude(&run, monotonic_ms() - started);
    if (run.companion.done_fd >= 0)
        recorder_defer_checkpoint(rec);   /* the companion checkpoints after we exit */
    companion_done(&run.companion);
    wait_result_free(&run.wait);
    strbuf_release(&run.discovery_out);
    return result;
}
