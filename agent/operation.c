#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "agent.h"

/* Who asked: Pacemaker's fencer sets PCMK_service; anyone else is named
 * by user, since a manual fence is worth knowing about. */
static void describe_requester(char *out, size_t size)
{
    const char *service = getenv("PCMK_service");
    if (service && service[0]) {
        snprintf(out, size, "%.100s", service);
        return;
    }
    uid_t uid = getuid();
    struct passwd *pw = getpwuid(uid);
    snprintf(out, size, "user %.64s (uid %u)", pw ? pw->pw_name : "?", (unsigned)uid);
}

void operation_init(struct agent_context *ctx)
{
    struct operation *op = &ctx->rec.op;
    uuid_t id;
    uuid_generate_random(id);
    uuid_unparse_lower(id, op->op_uuid);
    if (gethostname(ctx->recorder_node, sizeof ctx->recorder_node) != 0)
        strcpy(ctx->recorder_node, "unknown");
    ctx->recorder_node[sizeof ctx->recorder_node - 1] = '\0';
    describe_requester(ctx->requested_by, sizeof ctx->requested_by);
    op->action = ctx->cfg->action_name;
    op->target_node = ctx->cfg->target;
    op->recorder_node = ctx->recorder_node;
    op->requested_by = ctx->requested_by;
    op->request_id[0] = '\0';
    op->filesystems[0] = '\0';
}
