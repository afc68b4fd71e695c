/* on: unfence. nnf-sos fences on ANY request, so this never writes one.
 * The node's fenced state is its successful response files; each is
 * recorded in the database and only then removed, so nothing is lost.
 * Without a working database the files stay and the action fails. */
#include <string.h>

#include "agent.h"
#include "respdir.h"

static bool ok_so_far(const char *status)
{
    return strcmp(status, "unfenced") == 0;
}

struct unfence_run {
    struct agent_context *ctx;
    int removed, failed, unreadable;
};

static int clear_one(const struct response_file *f, void *arg)
{
    struct unfence_run *run = arg;
    struct recorder *rec = &run->ctx->rec;
    if (f->read != READ_OK || f->verdict != RESPONSE_VALID) {
        /* Unparseable: cannot tell whether it fences; nnf-sos may think so. */
        run->unreadable++;
        rec_log(rec, LOG_WARNING, "leaving %s: %s", f->path, f->problem.msg);
        return 0;
    }
    if (!f->parsed.success)
        return 0;   /* a failed fence does not mark the node fenced */
    recorder_step_begin(rec);
    int recorded = rec_response(rec, f->file_name, f->body, &f->parsed, "unfence");
    recorder_step_end(rec);
    if (recorded != 0 || !recorder_db_usable(rec)) {
        run->failed++;
        rec_log(rec, LOG_ERROR, "not removing %s: its content could not be recorded in the "
                "database first", f->path);
        return 0;
    }
    struct error err;
    if (file_remove_regular(f->path, &err) != 0) {
        run->failed++;
        rec_log(rec, LOG_ERROR, "recorded but could not remove %s", err.msg);
        return 0;
    }
    run->removed++;
    rec_log(rec, LOG_INFO, "Cleared fenced state: recorded and removed %s", f->path);
    return 0;
}

/* nnf-sos fences on any pending request: unfencing while one waits is
 * undone as soon as it is processed, which the admin must hear about. */
static void warn_pending_requests(struct agent_context *ctx)
{
    struct error err;
    int pending = protocol_dir_count(ctx->cfg->paths.request_dir, ctx->cfg->target, &err);
    if (pending > 0)
        rec_log(&ctx->rec, LOG_WARNING, "%d fence request(s) for %s are still pending in %s; "
                "the storage reconciler will fence the node again when it processes them",
                pending, ctx->cfg->target, ctx->cfg->paths.request_dir);
}

enum agent_result action_unfence(struct agent_context *ctx)
{
    const struct agent_config *cfg = ctx->cfg;
    struct recorder *rec = &ctx->rec;
    operation_init(ctx);
    snprintf(rec->op.filesystems, sizeof rec->op.filesystems, "[]");
    struct stamp now;
    stamp_now(&now);
    recorder_step_begin(rec);
    rec_operation_start(rec, &now);
    rec_log(rec, LOG_INFO, "Unfence requested for target: %s (by %s)", cfg->target, ctx->requested_by);
    recorder_step_end(rec);

    struct unfence_run run = { .ctx = ctx };
    struct error err;
    int scan = response_dir_scan(cfg->paths.response_dir, cfg->target, clear_one, &run, &err);
    const char *status = "unfenced";
    char message[1200];
    if (scan < 0) {
        status = "unfence-failed";
        snprintf(message, sizeof message, "%s", err.msg);
    } else if (run.failed || run.unreadable) {
        status = "unfence-failed";
        snprintf(message, sizeof message, "%d response file(s) removed, %d kept because they "
                 "could not be recorded or removed, %d unreadable", run.removed, run.failed,
                 run.unreadable);
    } else {
        snprintf(message, sizeof message, run.removed ? "%d successful response file(s) recorded "
                 "and removed; the node may use its storage again"
                 : "no successful response file: the node was not fenced", run.removed);
    }
    if (ok_so_far(status))
        warn_pending_requests(ctx);
    bool ok = ok_so_far(status);
    recorder_step_begin(rec);
    rec_log(rec, ok ? LOG_INFO : LOG_ERROR, "Unfence of %s: %s", cfg->target, message);
    rec_event(rec, status, "Unfence %s: %s", ok ? "completed" : "failed", message);
    rec_operation_finish(rec, ok ? "completed" : "failed", ok ? 0 : 1, message);
    recorder_step_end(rec);
    return ok ? RESULT_OK : RESULT_FAILED;
}
