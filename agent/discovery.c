#include "discovery.h"

#include <string.h>

#include "clock.h"
#include "cluster_xml.h"
#include "command.h"
#include "jsonw.h"

#define DISCOVERY_MAX_OUTPUT (8 * 1024 * 1024)

struct method {
    int number;
    const char *description;
    int (*extract)(const char *xml, size_t len, const char *node, struct fs_list *out,
                   struct error *err);
};

static int extract_cib(const char *xml, size_t len, const char *node, struct fs_list *out,
                       struct error *err)
{
    (void)node;   /* the configuration names resources, not where they run */
    return fs_from_cib(xml, len, out, err);
}

static void render_list(struct strbuf *sb, const struct fs_list *l)
{
    const char *items[FS_MAX];
    for (int i = 0; i < l->count; i++)
        items[i] = l->names[i];
    json_add_string_array(sb, items, (size_t)l->count, ", ");
}

/* Runs one method and records it; returns the number found (-1: failed). */
static int run_method(const struct method *m, char *const argv[], int64_t timeout_ms,
                      const char *node, struct recorder *rec, struct fs_list *found)
{
    char command[512];
    command_line_text(argv, command, sizeof command);
    struct stamp started;
    stamp_now(&started);
    int64_t t0 = monotonic_ms();
    struct command_result r;
    struct error err = { "" };
    const char *outcome;
    memset(found, 0, sizeof *found);
    if (command_run(argv, timeout_ms, DISCOVERY_MAX_OUTPUT, &r, &err) != 0) {
        outcome = r.timed_out ? "timeout" : "failed";
    } else if (r.exit_status != 0) {
        outcome = "failed";
        errorf(&err, "%s exited with status %d: %.300s", argv[0], r.exit_status, r.err);
    } else if (m->extract(r.out, r.out_len, node, found, &err) != 0) {
        outcome = "failed";
    } else {
        outcome = found->count ? "found" : "empty";
    }
    int64_t duration = monotonic_ms() - t0;
    command_result_free(&r);

    struct strbuf result = STRBUF_INIT;
    render_list(&result, found);
    bool failed = strcmp(outcome, "failed") == 0 || strcmp(outcome, "timeout") == 0;
    recorder_step_begin(rec);
    rec_discovery(rec, m->number, command, &started, duration, outcome, strbuf_str(&result),
                  failed ? err.msg : NULL);
    if (failed)
        rec_log(rec, LOG_WARNING, "discovery method %d (%s) %s after %lld ms: %s", m->number,
                command, outcome, (long long)duration, err.msg);
    recorder_step_end(rec);
    strbuf_release(&result);
    return failed ? -1 : found->count;
}

void discovery_run(const struct discovery_config *cfg, const char *node,
                   struct recorder *rec, struct strbuf *result_json)
{
    static const struct method live = { 1, "live cluster state", fs_from_crm_mon };
    static const struct method configured = { 2, "cluster configuration", extract_cib };
    if (!cfg->enabled) {
        strbuf_adds(result_json, "[\"" DISCOVERY_DISABLED "\"]");
        return;
    }
    char *argv1[] = { (char *)cfg->crm_mon, "--output-as=xml", NULL };
    char *argv2[] = { (char *)cfg->cibadmin, "--query", "--scope", "resources", NULL };
    struct fs_list found;
    const struct method *winner = &live;
    int n = run_method(&live, argv1, cfg->timeout_ms, node, rec, &found);
    if (n <= 0) {
        bool dlm = found.dlm_active;
        winner = &configured;
        n = run_method(&configured, argv2, cfg->timeout_ms, node, rec, &found);
        found.dlm_active |= dlm;
    }
    if (n > 0) {
        render_list(result_json, &found);
        rec_log(rec, LOG_INFO, "shared filesystems for %s: %s (method %d, %s)%s", node,
                strbuf_str(result_json), winner->number, winner->description,
                found.dlm_active ? "; DLM is active on the node" : "");
    } else {
        strbuf_adds(result_json, "[\"" DISCOVERY_NONE "\"]");
        rec_log(rec, LOG_INFO, "shared filesystems for %s: none detected%s", node,
                found.dlm_active ? " (DLM is active on the node)" : "");
    }
}
