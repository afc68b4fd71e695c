/* fence_recorder: parse the options, run one action, map its result to
 * the fence-agent exit code. This is the only place that exits. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "debug_file.h"
#include "signals.h"

static int exit_code(enum agent_result r)
{
    switch (r) {
    case RESULT_OK: return 0;
    case RESULT_STATUS_OFF: return 2;
    case RESULT_FAILED:
    case RESULT_ERROR:
    default: return 1;
    }
}

/* Notes from option parsing go where the user sees them: the record for
 * fences (and stderr per verbosity), stderr for the rest. */
static void emit_notes(const struct raw_options *raw, struct agent_context *ctx,
                       enum verbosity verbosity)
{
    for (int i = 0; i < raw->note_count; i++) {
        enum log_level level = raw->notes[i].level;
        if (ctx)
            recorder_note(&ctx->recorder, level, "%s", raw->notes[i].text);
        else
            record_to_stderr(verbosity, level, raw->notes[i].text);
    }
}

/* off, reboot: the recorder is started before anything else happens, so
 * every moment of the fence, a kill included, is recorded. */
static enum agent_result run_fence(struct agent_context *ctx, const struct raw_options *raw)
{
    struct error err, unprepared;
    operation_init(ctx);
    strcpy(ctx->op.request_id, ctx->op.op_uuid);
    bool prepared = fence_prepare(ctx, &unprepared) == 0;
    if (recorder_spawn(&ctx->recorder, ctx->cfg, &ctx->op, ctx->watch.inotify_fd, &err) != 0)
        record_to_stderr(ctx->cfg->verbosity, LOG_ERROR, err.msg);
    emit_notes(raw, ctx, ctx->cfg->verbosity);
    return action_fence(ctx, prepared ? NULL : &unprepared);
}

/* on: the recorder records and unfences while the agent waits; the
 * notes of option parsing go to stderr. */
static enum agent_result run_unfence(struct agent_context *ctx, const struct raw_options *raw)
{
    emit_notes(raw, NULL, ctx->cfg->verbosity);
    return action_unfence(ctx);
}

/* An off or reboot refused before it could start (a target name that is
 * no node's, a bad option): Pacemaker asked for a fence, so the record
 * says it was requested and refused, with the name escaped. Exit 1. */
static int record_refused(const struct agent_config *cfg, struct raw_options *raw,
                          const struct error *why)
{
    struct agent_context ctx = { .cfg = cfg, .signal_fd = -1, .request_fd = -1,
                                 .watch = { .inotify_fd = -1, .dnotify_fd = -1, .dir_fd = -1 },
                                 .recorder = { .fd = -1, .ready_fd = -1 } };
    struct error err;
    operation_init(&ctx);
    if (recorder_spawn(&ctx.recorder, cfg, &ctx.op, -1, &err) != 0)
        record_to_stderr(cfg->verbosity, LOG_ERROR, err.msg);
    char refused[sizeof why->msg + 16];
    snprintf(refused, sizeof refused, "refused: %s", why->msg);
    struct error reason;
    errorf(&reason, "%s", refused);
    action_fence(&ctx, &reason);
    raw_options_free(raw);
    recorder_finish(&ctx.recorder, 1);
    _exit(1);
}

static enum agent_result run_recorded(struct agent_context *ctx, const struct raw_options *raw)
{
    struct error err;
    ctx->signal_fd = signals_capture(&err);
    if (ctx->signal_fd < 0) {
        fprintf(stderr, "fence_recorder: ERROR: %s\n", err.msg);
        return RESULT_ERROR;
    }
    return ctx->cfg->action == ACT_ON ? run_unfence(ctx, raw) : run_fence(ctx, raw);
}

static enum agent_result run(struct agent_context *ctx, const struct raw_options *raw)
{
    const struct agent_config *cfg = ctx->cfg;
    if (cfg->help) {
        print_help(stdout);
        return RESULT_OK;
    }
    if (cfg->version) {
        printf("fence_recorder %s\n", FR_VERSION);
        return RESULT_OK;
    }
    switch (cfg->action) {
    case ACT_METADATA:
    case ACT_MANPAGE:   /* fencing.py: the same XML, for man page tools */
        print_metadata(stdout);
        return RESULT_OK;
    case ACT_OFF:
    case ACT_REBOOT:
    case ACT_ON:
        return run_recorded(ctx, raw);
    default:
        break;
    }
    emit_notes(raw, NULL, cfg->verbosity);
    switch (cfg->action) {
    case ACT_STATUS: return action_status(cfg);
    case ACT_MONITOR: return action_monitor(cfg);
    case ACT_LIST: return action_list(cfg, false);
    case ACT_LIST_STATUS: return action_list(cfg, true);
    case ACT_VALIDATE: return RESULT_OK;   /* options_resolve validated everything */
    default: return RESULT_ERROR;
    }
}

int main(int argc, char **argv)
{
    struct raw_options raw = { 0 };
    struct agent_config cfg;
    struct error err;
    /* A file size limit (a full log or database volume under RLIMIT_FSIZE)
     * must come back as EFBIG from write(), reported and survived, not as
     * a signal that kills the agent in the middle of a fence. */
    signal(SIGXFSZ, SIG_IGN);
    int rc = argc > 1 ? options_parse_argv(&raw, argc, argv, &err)
                      : options_parse_stream(&raw, stdin, &err);
    bool parsed = rc == 0;
    if (parsed)
        rc = options_resolve(&raw, &cfg, &err);
    if (rc != 0) {
        fprintf(stderr, "fence_recorder: ERROR: %s\n", err.msg);
        fprintf(stderr, "fence_recorder: ERROR: Please use '-h' for usage\n");
        /* Only what Pacemaker could have sent: parsed options it refused. */
        if (parsed && options_resolve_refused(&raw, &cfg) == 0)
            return record_refused(&cfg, &raw, &err);
        raw_options_free(&raw);
        return 1;
    }
    if (cfg.debug_file && !cfg.help && !cfg.version)
        debug_file_attach(cfg.debug_file);   /* fencing.py's -D: a copy of stderr */
    struct agent_context ctx = { .cfg = &cfg, .signal_fd = -1, .request_fd = -1,
                                 .watch = { .inotify_fd = -1, .dnotify_fd = -1, .dir_fd = -1 },
                                 .recorder = { .fd = -1, .ready_fd = -1 } };
    enum agent_result r = run(&ctx, &raw);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "fence_recorder: ERROR: cannot write to standard output\n");
        if (r == RESULT_OK)
            r = RESULT_ERROR;
    }
    int code = exit_code(r);
    raw_options_free(&raw);
    fflush(stderr);   /* a debug_file copy is a stdio stream: _exit below drops nothing */
    /* The last thing before the exit: the recorder records the code as
     * announced. Then _exit at once: the recorder cannot see how the agent
     * really ends (Pacemaker reaps it), so the window in which a kill
     * would make the announcement untrue is kept to a system call. */
    recorder_finish(&ctx.recorder, code);
    _exit(code);
}
