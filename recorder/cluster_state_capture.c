#include "cluster_state_capture.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster_state.h"
#include "command.h"

/* The target's state from crm_mon's XML (cluster_state.h), kept as
 * rendered JSON: what the database's JSON functions read. */
static void read_state(const struct command_result *live, const char *target,
                       struct cluster_capture *out)
{
    cJSON *state = NULL;
    char *text = NULL;
    struct error err = { "" };
    if (cluster_state_parse(live->out, live->out_len, target, &state, &err) != 0 ||
        cluster_state_render(state, &text, &err) != 0) {
        snprintf(out->error, sizeof out->error, "crm_mon's XML: %.900s", err.msg);
        cJSON_Delete(state);
        return;
    }
    out->state_json = text;
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(state, "errors");
    const cJSON *first = cJSON_GetArrayItem(errors, 0);
    if (cJSON_IsString(first))
        snprintf(out->error, sizeof out->error, "crm_mon: %.900s", first->valuestring);
    cJSON_Delete(state);
}

void cluster_state_capture(const struct discovery_config *cfg,
                           const struct discovery_report *report, const char *target,
                           struct cluster_capture *out)
{
    memset(out, 0, sizeof *out);
    out->done = true;
    out->source = "crm_mon";
    const struct discovery_run *run = report->runs > 0 ? &report->run[0] : NULL;
    if (!cfg->enabled || !run) {
        out->source = "none";
        snprintf(out->error, sizeof out->error, "filesystem_discovery is off: the cluster "
                 "was not asked (its crm_mon run is what the state is read from)");
    } else {
        if (run->use.shared)
            snprintf(out->shared_from, sizeof out->shared_from, "%s", run->use.from);
        /* A crm_mon that failed may still have said why in its XML. */
        if (report->live.out && report->live.out_len > 0)
            read_state(&report->live, target, out);
        if (!out->state_json && run->error[0])
            snprintf(out->error, sizeof out->error, "crm_mon %s: %.900s", run->outcome, run->error);
        else if (!out->state_json && !out->error[0])
            snprintf(out->error, sizeof out->error, "crm_mon printed nothing");
    }
    stamp_now(&out->captured);
}

void cluster_state_record(struct recorder *rec, const struct cluster_capture *c,
                          const struct requester *who)
{
    struct cluster_state_row row = {
        .captured = &c->captured, .source = c->source,
        .shared_from = c->shared_from[0] ? c->shared_from : NULL,
        .state_json = c->state_json, .error = c->error[0] ? c->error : NULL,
        .requester_service = who->service[0] ? who->service : NULL,
        .parent_pid = who->pid, .parent_process = who->comm[0] ? who->comm : NULL,
        .parent_cmdline = who->cmdline[0] ? who->cmdline : NULL,
        .read_when = c->read_when,
    };
    rec_cluster_state(rec, &row);
    /* Not asked (discovery off) is a choice, not a problem to warn of. */
    if (!c->state_json && strcmp(c->source, "none") != 0)
        rec_log(rec, LOG_WARNING, "the state of the fence target as Pacemaker saw it is "
                "unknown: %s", c->error);
}

void cluster_capture_release(struct cluster_capture *c)
{
    free(c->state_json);
    c->state_json = NULL;
}
