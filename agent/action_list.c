/* list and list-status: which nodes this device can fence. Pacemaker asks
 * `list` when the device has no pcmk_host_list (pcmk_host_check
 * dynamic-list) and fails the fence with "No such device" (105) when the
 * answer is empty. Storage fencing can fence any node of the cluster, so
 * the answer is, first found: plug (a device for one node), the
 * pcmk_host_list given on stdin, else the cluster's own node list from
 * `crm_node -l`, bounded by discovery_timeout. Not recorded: nothing
 * changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "command.h"
#include "names.h"

#define LIST_OUTPUT_MAX (256 * 1024)

static enum agent_result print_node(const struct agent_config *cfg, const char *node,
                                    bool with_status)
{
    const char *why;
    if (!node_name_valid(node, &why)) {
        fprintf(stderr, "fence_recorder: WARNING: list: skipping node name '%.64s': %s\n", node, why);
        return RESULT_OK;
    }
    if (!with_status) {
        printf("%s\n", node);
        return RESULT_OK;
    }
    enum agent_result r = node_status(cfg, node);
    if (r == RESULT_ERROR)
        return r;
    /* fencing.py's list-status: port, alias, status; the alias is the name. */
    printf("%s%s%s%s%s\n", node, cfg->separator, node, cfg->separator,
           r == RESULT_STATUS_OFF ? "OFF" : "ON");
    return RESULT_OK;
}

/* Names separated by spaces, commas or semicolons, as Pacemaker reads
 * pcmk_host_list. */
static enum agent_result list_words(const struct agent_config *cfg, const char *text,
                                    bool with_status)
{
    char *copy = strdup(text);
    if (!copy) {
        fprintf(stderr, "fence_recorder: ERROR: list: out of memory\n");
        return RESULT_ERROR;
    }
    enum agent_result r = RESULT_OK;
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t,;", &save); w && r == RESULT_OK; w = strtok_r(NULL, " \t,;", &save))
        r = print_node(cfg, w, with_status);
    free(copy);
    return r;
}

/* crm_node -l prints "<id> <name> <state>" per node. */
static enum agent_result list_cluster_nodes(const struct agent_config *cfg, bool with_status)
{
    char *argv[] = { "crm_node", "-l", NULL };
    struct command_result res;
    struct error err;
    int rc = command_run(argv, cfg->discovery.timeout_ms, LIST_OUTPUT_MAX, &res, &err);
    if (rc != 0 || res.exit_status != 0) {
        fprintf(stderr, "fence_recorder: ERROR: list: no plug and no pcmk_host_list, and the "
                "cluster's nodes are unknown (crm_node -l: %.300s); give the device pcmk_host_list\n",
                rc != 0 ? err.msg : res.err[0] ? res.err : "non-zero exit status");
        command_result_free(&res);
        return RESULT_ERROR;
    }
    enum agent_result r = RESULT_OK;
    int found = 0;
    char *save = NULL;
    for (char *line = strtok_r(res.out, "\n", &save); line && r == RESULT_OK;
         line = strtok_r(NULL, "\n", &save)) {
        char id[32], name[300];
        if (sscanf(line, "%31s %299s", id, name) != 2)
            continue;
        r = print_node(cfg, name, with_status);
        found++;
    }
    command_result_free(&res);
    if (r == RESULT_OK && found == 0) {
        fprintf(stderr, "fence_recorder: ERROR: list: crm_node -l named no node; "
                "give the device pcmk_host_list\n");
        return RESULT_ERROR;
    }
    return r;
}

enum agent_result action_list(const struct agent_config *cfg, bool with_status)
{
    if (cfg->target)
        return print_node(cfg, cfg->target, with_status);
    if (cfg->host_list && cfg->host_list[0])
        return list_words(cfg, cfg->host_list, with_status);
    return list_cluster_nodes(cfg, with_status);
}
