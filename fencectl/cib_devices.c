/* fence_recorder primitives in the CIB, read with Pacemaker's cibadmin and
 * the agent's bounded XML scanner (agent/cluster_xml.c). Only the
 * instance attributes of primitives with class="stonith" and
 * type="fence_recorder" count; a device inside a group or clone counts
 * too. */
#include "cib_devices.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster_xml.h"
#include "command.h"
#include "pcmk_interval.h"

#define CIB_XML_MAX (16 * 1024 * 1024)

const char *const cib_key_names[CIB_KEY_COUNT] = {
    [CIB_REQUEST_DIR] = "request_dir", [CIB_RESPONSE_DIR] = "response_dir", [CIB_DB] = "db",
    [CIB_LOG_DIR] = "log_dir", [CIB_FENCE_TIMEOUT] = "fence_timeout", [CIB_DELAY] = "delay",
    [CIB_PCMK_OFF_TIMEOUT] = "pcmk_off_timeout", [CIB_PCMK_REBOOT_TIMEOUT] = "pcmk_reboot_timeout",
};

struct scan {
    struct cib_devices *out;
    int device_depth;        /* depth of the current fence_recorder primitive, 0: none */
    int attrs_depth;         /* depth of its instance_attributes, 0: outside */
    bool too_many;
};

static void on_start(void *ctx, const char *name, const struct xml_attr *a, int n, int depth)
{
    struct scan *s = ctx;
    if (strcmp(name, "primitive") == 0 && !s->device_depth) {
        const char *cls = xml_attr_get(a, n, "class"), *type = xml_attr_get(a, n, "type");
        const char *id = xml_attr_get(a, n, "id");
        if (cls && type && strcmp(cls, "stonith") == 0 && strcmp(type, "fence_recorder") == 0) {
            if (s->out->count == CIB_DEVICES_MAX) {
                s->too_many = true;
                return;
            }
            struct cib_device *d = &s->out->dev[s->out->count++];
            memset(d, 0, sizeof *d);
            snprintf(d->id, sizeof d->id, "%s", id ? id : "(no id)");
            s->device_depth = depth;
        }
        return;
    }
    if (!s->device_depth)
        return;
    if (strcmp(name, "instance_attributes") == 0 && depth == s->device_depth + 1)
        s->attrs_depth = depth;
    if (strcmp(name, "nvpair") == 0 && s->attrs_depth && depth == s->attrs_depth + 1) {
        const char *k = xml_attr_get(a, n, "name"), *v = xml_attr_get(a, n, "value");
        struct cib_device *d = &s->out->dev[s->out->count - 1];
        for (int i = 0; k && v && i < CIB_KEY_COUNT; i++)
            if (strcmp(k, cib_key_names[i]) == 0)
                snprintf(d->value[i], CIB_VALUE_MAX, "%s", v);
    }
}

static void on_end(void *ctx, const char *name, int depth)
{
    struct scan *s = ctx;
    (void)name;
    if (depth == s->attrs_depth)
        s->attrs_depth = 0;
    if (depth == s->device_depth)
        s->device_depth = 0;
}

int cib_devices_parse(const char *xml, size_t len, struct cib_devices *out, struct error *err)
{
    struct scan s = { .out = out };
    out->count = 0;
    struct xml_handler h = { on_start, on_end, &s };
    if (xml_scan(xml, len, &h, err) != 0)
        return -1;
    if (s.too_many)
        return errorf(err, "more than %d fence_recorder devices in the CIB", CIB_DEVICES_MAX);
    return 0;
}

static void on_config(void *ctx, const char *name, const struct xml_attr *a, int n, int depth)
{
    struct cib_devices *out = ctx;
    (void)depth;
    const char *k = xml_attr_get(a, n, "name"), *v = xml_attr_get(a, n, "value");
    if (strcmp(name, "nvpair") == 0 && k && v && strcmp(k, "stonith-timeout") == 0)
        snprintf(out->stonith_timeout, sizeof out->stonith_timeout, "%s", v);
}

int cib_crm_config_parse(const char *xml, size_t len, struct cib_devices *out, struct error *err)
{
    out->stonith_timeout[0] = '\0';
    struct xml_handler h = { on_config, NULL, out };
    return xml_scan(xml, len, &h, err);
}

static int query(const char *scope, int64_t timeout_ms, struct command_result *r, struct error *err)
{
    const char *env = getenv("CIBADMIN_PATH");
    char *argv[] = { (char *)(env && env[0] ? env : "cibadmin"), "--query", "--scope", (char *)scope, NULL };
    if (command_run(argv, timeout_ms, CIB_XML_MAX, r, err) != 0)
        return -1;
    if (r->exit_status != 0)
        return errorf(err, "cibadmin --query --scope %s failed: %.200s", scope,
                      r->err[0] ? r->err : "non-zero exit status");
    return 0;
}

int cib_devices_read(int64_t timeout_ms, struct cib_devices *out, struct error *err)
{
    struct command_result r;
    memset(out, 0, sizeof *out);
    int rc = query("resources", timeout_ms, &r, err);
    if (rc == 0)
        rc = cib_devices_parse(r.out, r.out_len, out, err);
    command_result_free(&r);
    if (rc != 0)
        return -1;
    /* The property is only needed for check's timeout comparison; its
     * absence (default 60 s) or an unreadable answer changes nothing else. */
    if (query("crm_config", timeout_ms, &r, err) == 0)
        cib_crm_config_parse(r.out, r.out_len, out, err);
    command_result_free(&r);
    return 0;
}

/* A device's value in ms: its own text, else the fallback; false when
 * the text is not an interval (reported by the caller). */
static bool interval_or(const char *text, const char *fallback, int64_t *ms)
{
    return pcmk_interval_ms(text[0] ? text : fallback, ms);
}

void cib_timeout_problems(const struct cib_devices *devs,
                          void (*report)(void *ctx, const char *text), void *ctx)
{
    const char *stonith = devs->stonith_timeout[0] ? devs->stonith_timeout : "60s";
    char text[768];
    for (int d = 0; d < devs->count; d++) {
        const struct cib_device *dev = &devs->dev[d];
        int64_t fence_ms, delay_ms;
        if (!interval_or(dev->value[CIB_FENCE_TIMEOUT], "60", &fence_ms) ||
            !interval_or(dev->value[CIB_DELAY], "0", &delay_ms))
            continue;   /* validate-all refuses those values; nothing to compare */
        int64_t needed = fence_ms + delay_ms + RACE_MARGIN_MS;
        static const struct { const char *action; enum cib_key key; } acts[] = {
            { "off", CIB_PCMK_OFF_TIMEOUT }, { "reboot", CIB_PCMK_REBOOT_TIMEOUT },
        };
        for (size_t a = 0; a < sizeof acts / sizeof acts[0]; a++) {
            const char *own = dev->value[acts[a].key];
            int64_t pcmk_ms;
            if (!interval_or(own, stonith, &pcmk_ms) || pcmk_ms >= needed)
                continue;
            snprintf(text, sizeof text, "device %s: Pacemaker times %s with %s=%llds, shorter than "
                     "delay + fence_timeout + 5s = %llds: it would kill the agent first (recorded as "
                     "terminated); set %s to at least %llds", dev->id, acts[a].action,
                     own[0] ? cib_key_names[acts[a].key] : "stonith-timeout",
                     (long long)(pcmk_ms / 1000), (long long)((needed + 999) / 1000),
                     cib_key_names[acts[a].key], (long long)((needed + 999) / 1000));
            report(ctx, text);
        }
    }
}
