/* What the actions share: the validated configuration, the record, and
 * the results they return, mapped to exit codes in one place (main.c). */
#ifndef FR_AGENT_H
#define FR_AGENT_H

#include "options.h"
#include "identity.h"
#include "recorder_spawn.h"
#include "response_wait.h"

enum agent_result {
    RESULT_OK,          /* exit 0 */
    RESULT_FAILED,      /* exit 1: fence failed, timed out, was terminated */
    RESULT_STATUS_OFF,  /* exit 2: status says the node is fenced */
    RESULT_ERROR,       /* exit 1: could not act (bad input, I/O) */
};

struct agent_context {
    const struct agent_config *cfg;
    int signal_fd;
    struct identity identity;   /* op's host and requester live here */
    struct operation op;
    struct recorder_link recorder;  /* off, reboot: who records the fence */
    int request_fd;             /* holds the live-request lock until we exit */
    char file_name[PROTOCOL_NAME_MAX + 1];
    struct response_watch watch;
};

/* Fills op for a recorded operation (off, reboot, on). */
void operation_init(struct agent_context *ctx);

/* off, reboot: fence_prepare names the request and watches for its
 * response (before the recorder is spawned, see recorder_spawn);
 * action_fence then fences, or records why it could not. */
int fence_prepare(struct agent_context *ctx, struct error *err);
enum agent_result action_fence(struct agent_context *ctx, const struct error *unprepared);
enum agent_result action_unfence(struct agent_context *ctx);  /* on */
enum agent_result action_status(const struct agent_config *cfg);
enum agent_result action_list(const struct agent_config *cfg, bool with_status);
/* RESULT_STATUS_OFF if node is fenced, RESULT_OK if not, RESULT_ERROR
 * (said on stderr) if that cannot be told. */
enum agent_result node_status(const struct agent_config *cfg, const char *node);
enum agent_result action_monitor(const struct agent_config *cfg);

#endif
