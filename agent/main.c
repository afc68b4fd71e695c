/* fence_recorder: parse the options, run one action, map its result to
 * the fence-agent exit code. This is the only place that exits. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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
 * recorded actions, stderr for the rest. */
static void emit_notes(const struct raw_options *raw, struct recorder *rec,
                       enum verbosity verbosity)
{
    for (int i = 0; i < raw->note_count; i++) {
        enum log_level level = raw->notes[i].level;
        if (rec) {
            rec_log(rec, level, "%s", raw->notes[i].text);
        } else if (verbosity == VERBOSITY_DEBUG ||
                   (verbosity == VERBOSITY_NORMAL && level >= LOG_WARNING)) {
            fprintf(stderr, "fence_recorder: %s: %s\n", level == LOG_DEBUG ? "DEBUG" : "WARNING",
                    raw->notes[i].text);
        }
    }
}

static enum agent_result run_recorded(const struct agent_config *cfg, const struct raw_options *raw)
{
    struct agent_context ctx = { .cfg = cfg };
    struct error err;
    ctx.signal_fd = signals_capture(&err);
    if (ctx.signal_fd < 0) {
        fprintf(stderr, "fence_recorder: ERROR: %s\n", err.msg);
        return RESULT_ERROR;
    }
    recorder_open(&ctx.rec, &cfg->paths, cfg->db_timeout_ms, cfg->verbosity);
    if (cfg->syslog)
        recorder_enable_syslog(&ctx.rec);
    emit_notes(raw, &ctx.rec, cfg->verbosity);
    enum agent_result r = cfg->action == ACT_ON ? action_unfence(&ctx) : action_fence(&ctx);
    recorder_close(&ctx.rec);
    close(ctx.signal_fd);
    return r;
}

static enum agent_result run(const struct agent_config *cfg, const struct raw_options *raw)
{
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
        return run_recorded(cfg, raw);
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
    if (rc == 0)
        rc = options_resolve(&raw, &cfg, &err);
    if (rc != 0) {
        fprintf(stderr, "fence_recorder: ERROR: %s\n", err.msg);
        fprintf(stderr, "fence_recorder: ERROR: Please use '-h' for usage\n");
        raw_options_free(&raw);
        return 1;
    }
    if (cfg.debug_file && !cfg.help && !cfg.version)
        debug_file_attach(cfg.debug_file);   /* fencing.py's -D: a copy of stderr */
    enum agent_result r = run(&cfg, &raw);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "fence_recorder: ERROR: cannot write to standard output\n");
        if (r == RESULT_OK)
            r = RESULT_ERROR;
    }
    raw_options_free(&raw);
    return exit_code(r);
}
