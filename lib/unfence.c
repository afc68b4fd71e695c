#include "unfence.h"

#include <stdio.h>
#include <string.h>

#include "respdir.h"

static bool is_unfenced_status(const char *status)
{
    return strcmp(status, "unfenced") == 0;
}

struct unfence_run {
    struct recorder *rec;
    int removed, failed, unreadable;
};

static int clear_one(const struct response_file *f, void *arg)
{
    struct unfence_run *run = arg;
    struct recorder *rec = run->rec;
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
static void warn_pending_requests(struct recorder *rec, const char *request_dir, const char *node)
{
    struct error err;
    int pending = protocol_dir_count(request_dir, node, &err);
    if (pending > 0)
        rec_log(rec, LOG_WARNING, "%d fence request(s) for %s are still pending in %s; "
                "the storage reconciler will fence the node again when it processes them",
                pending, node, request_dir);
}

bool unfence_run(struct recorder *rec, const char *request_dir, const char *response_dir,
                 const char *node)
{
    snprintf(rec->op.filesystems, sizeof rec->op.filesystems, "[]");
    struct stamp now;
    stamp_now(&now);
    recorder_step_begin(rec);
    rec_operation_start(rec, &now);
    rec_log(rec, LOG_INFO, "Unfence requested for target: %s (by %s)", node, rec->op.requested_by);
    recorder_step_end(rec);

    struct unfence_run run = { .rec = rec };
    struct error err;
    int scan = response_dir_scan(response_dir, node, clear_one, &run, &err);
    const char *status = "unfenced";
    char message[1200];
    if (scan < 0) {
        status = "unfence-failed";
        snprintf(message, sizeof message, "%.1100s", err.msg);
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
    bool ok = is_unfenced_status(status);
    if (ok)
        warn_pending_requests(rec, request_dir, node);
    recorder_step_begin(rec);
    rec_log(rec, ok ? LOG_INFO : LOG_ERROR, "Unfence of %s: %s", node, message);
    rec_event(rec, status, "Unfence %s: %s", ok ? "completed" : "failed", message);
    rec_operation_finish(rec, ok ? "completed" : "failed", ok ? 0 : 1, message);
    recorder_step_end(rec);
    return ok;
}
