#include "identity.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>

void identity_describe_requester(char *out, size_t size, const char *via)
{
    const char *service = getenv("PCMK_service");
    if (!via && service && service[0]) {
        snprintf(out, size, "%.100s", service);
        return;
    }
    uid_t uid = getuid();
    struct passwd *pw = getpwuid(uid);
    snprintf(out, size, "%s%suser %.64s (uid %u)", via ? via : "", via ? " by " : "",
             pw ? pw->pw_name : "?", (unsigned)uid);
}

bool identity_host_name(char *out, size_t size)
{
    if (gethostname(out, size) != 0) {
        out[0] = '\0';
        return false;
    }
    out[size - 1] = '\0';   /* a name cut at size is not terminated */
    return true;
}

void identity_new_operation(struct operation *op, struct identity *id, const char *action,
                            const char *target, const char *via)
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, op->op_uuid);
    if (!identity_host_name(id->host, sizeof id->host))
        snprintf(id->host, sizeof id->host, "unknown");
    id->who[0] = '\0';
    if (via)
        identity_describe_requester(id->who, sizeof id->who, via);
    op->action = action;
    op->target_node = target;
    op->recorder_node = id->host;
    op->requested_by = id->who;
    op->request_id[0] = '\0';
    op->filesystems[0] = '\0';
}
