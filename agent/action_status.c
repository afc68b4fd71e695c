/* status and list: read-only looks at the response directory. Not
 * recorded: Pacemaker calls them routinely and they change nothing. */
#include <stdio.h>

#include "agent.h"
#include "respdir.h"

struct status_scan {
    int fencing, unreadable;
    struct error problem;
};

static int look(const struct response_file *f, void *arg)
{
    struct status_scan *s = arg;
    if (response_file_fences(f)) {
        s->fencing++;
    } else if (f->read != READ_OK || f->verdict != RESPONSE_VALID) {
        s->unreadable++;
        s->problem = f->problem;
    }
    return 0;
}

/* RESULT_STATUS_OFF if node is fenced, RESULT_OK if not, RESULT_ERROR
 * if that cannot be told. */
enum agent_result node_status(const struct agent_config *cfg, const char *node)
{
    struct status_scan s = { 0 };
    struct error err;
    if (response_dir_scan(cfg->paths.response_dir, node, look, &s, &err) < 0) {
        fprintf(stderr, "fence_recorder: ERROR: status of %s unknown: %s\n", node, err.msg);
        return RESULT_ERROR;
    }
    if (s.fencing)
        return RESULT_STATUS_OFF;
    if (s.unreadable) {
        fprintf(stderr, "fence_recorder: ERROR: status of %s unknown: %s\n", node, s.problem.msg);
        return RESULT_ERROR;
    }
    return RESULT_OK;
}

enum agent_result action_status(const struct agent_config *cfg)
{
    enum agent_result r = node_status(cfg, cfg->target);
    if (r == RESULT_STATUS_OFF)
        printf("Status: OFF\n");
    else if (r == RESULT_OK)
        printf("Status: ON\n");
    return r;
}
