/* on: unfence. nnf-sos fences on ANY request, so this never writes one;
 * lib/unfence.c clears the node's fenced state (its successful response
 * files), recording each before removing it. */
#include "agent.h"
#include "identity.h"
#include "unfence.h"

enum agent_result action_unfence(struct agent_context *ctx)
{
    operation_init(ctx);
    identity_describe_requester(ctx->identity.who, sizeof ctx->identity.who, NULL);
    ctx->rec.op = ctx->op;
    return unfence_run(&ctx->rec, ctx->cfg->paths.request_dir, ctx->cfg->paths.response_dir,
                       ctx->cfg->target) ? RESULT_OK : RESULT_FAILED;
}
