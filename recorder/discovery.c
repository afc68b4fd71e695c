#include "discovery.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "cluster_fs.h"
#include "command.h"
#include "discovery_cache.h"
#include "jsonw.h"

#define DISCOVERY_MAX_OUTPUT (8 * 1024 * 1024)

struct method {
    int number;
    const char *description;
    const char *cache_name;
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

/* Runs one method into run; returns the number found (-1: failed). The
 * command's result goes to keep when not NULL (freed otherwise). */
static int run_method(const struct method *m, char *const argv[], const struct discovery_config *cfg,
                      const char *node, struct discovery_run *run, struct fs_list *found,
                      struct command_result *keep)
{
    memset(run, 0, sizeof *run);
    run->method = m->number;
    command_line_text(argv, run->command, sizeof run->command);
    stamp_now(&run->started);
    int64_t t0 = monotonic_ms();
    struct command_result r;
    struct error err = { "" };
    memset(found, 0, sizeof *found);
    if (discovery_cached_run(cfg->share_dir, m->cache_name, argv, cfg->timeout_ms,
                             DISCOVERY_MAX_OUTPUT, &r, &run->use, &err) != 0) {
        run->outcome = r.timed_out ? "timeout" : "failed";
    } else if (r.exit_status != 0) {
        run->outcome = "failed";
        errorf(&err, "%s exited with status %d: %.300s", argv[0], r.exit_status, r.err);
    } else if (m->extract(r.out, r.out_len, node, found, &err) != 0) {
        run->outcome = "failed";
    } else {
        run->outcome = found->count ? "found" : "empty";
    }
    run->duration_ms = monotonic_ms() - t0;
    if (keep)
        *keep = r;
    else
        command_result_free(&r);
    struct strbuf result = STRBUF_INIT;
    render_list(&result, found);
    snprintf(run->result, sizeof run->result, "%s", strbuf_failed(&result) ? "[]" : strbuf_str(&result));
    strbuf_release(&result);
    bool failed = strcmp(run->outcome, "failed") == 0 || strcmp(run->outcome, "timeout") == 0;
    if (failed)
        snprintf(run->error, sizeof run->error, "%s", err.msg);
    return failed ? -1 : found->count;
}

void discovery_run(const struct discovery_config *cfg, const char *node,
                   struct discovery_report *report)
{
    static const struct method live = { 1, "live cluster state", "crm_mon", fs_from_crm_mon };
    static const struct method configured = { 2, "cluster configuration", "cibadmin", extract_cib };
    memset(report, 0, sizeof *report);
    report->result_json = (struct strbuf)STRBUF_INIT;
    if (!cfg->enabled) {
        strbuf_adds(&report->result_json, "[\"" DISCOVERY_DISABLED "\"]");
        stamp_now(&report->finished);
        return;
    }
    char *argv1[] = { (char *)cfg->crm_mon, "--output-as=xml", NULL };
    char *argv2[] = { (char *)cfg->cibadmin, "--query", "--scope", "resources", NULL };
    struct fs_list found;
    const struct method *winner = &live;
    int n = run_method(&live, argv1, cfg, node, &report->run[report->runs++], &found,
                       &report->live);
    if (n <= 0) {
        bool dlm = found.dlm_active;
        winner = &configured;
        n = run_method(&configured, argv2, cfg, node, &report->run[report->runs++], &found,
                       NULL);
        found.dlm_active |= dlm;
    }
    if (n > 0) {
        render_list(&report->result_json, &found);
        snprintf(report->summary, sizeof report->summary, "shared filesystems for %s: %.600s "
                 "(method %d, %s)%s", node, strbuf_str(&report->result_json), winner->number,
                 winner->description, found.dlm_active ? "; DLM is active on the node" : "");
    } else {
        strbuf_adds(&report->result_json, "[\"" DISCOVERY_NONE "\"]");
        snprintf(report->summary, sizeof report->summary, "shared filesystems for %s: none "
                 "detected%s", node, found.dlm_active ? " (DLM is active on the node)" : "");
    }
    stamp_now(&report->finished);
}

void discovery_record(struct recorder *rec, const struct discovery_report *report)
{
    for (int i = 0; i < report->runs; i++) {
        const struct discovery_run *run = &report->run[i];
        rec_discovery(rec, run->method, run->command, &run->started, run->duration_ms,
                      run->outcome, run->result, run->error[0] ? run->error : NULL,
                      run->use.shared ? run->use.from : NULL);
        if (run->error[0])
            rec_log(rec, LOG_WARNING, "discovery method %d (%s) %s after %lld ms: %s%s%s",
                    run->method, run->command, run->outcome, (long long)run->duration_ms,
                    run->error, run->use.shared ? "; result shared from " : "",
                    run->use.shared ? run->use.from : "");
    }
    if (report->summary[0])
        rec_log(rec, LOG_INFO, "%s", report->summary);
}

void discovery_report_release(struct discovery_report *report)
{
    strbuf_release(&report->result_json);
    command_result_free(&report->live);
}
