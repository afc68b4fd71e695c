/* on: unfence. nnf-sos fences on ANY request, so this never writes one.
 * The node's fenced state is its successful response files: the recorder
 * records each and only then removes it (lib/unfence.c), while the agent
 * waits, so the agent itself never opens the database. */
#include <stdio.h>

#include "agent.h"
#include "identity.h"

enum agent_result action_unfence(struct agent_context *ctx)
{
    struct error err;
    operation_init(ctx);
    identity_describe_requester(ctx->identity.who, sizeof ctx->identity.who, NULL);
    switch (recorder_unfence(ctx->cfg, &ctx->op, &err)) {
    case 0:
        return RESULT_OK;
    case 1:
        return RESULT_FAILED;   /* the recorder said why */
    default:
        fprintf(stderr, "fence_recorder: ERROR: unfence of %s not done: %s\n", ctx->cfg->target,
                err.msg);
        return RESULT_ERROR;
    }
}
