#include "agent.h"
#include "identity.h"

void operation_init(struct agent_context *ctx)
{
    identity_new_operation(&ctx->op, &ctx->identity, ctx->cfg->action_name,
                           ctx->cfg->target, NULL);
}
