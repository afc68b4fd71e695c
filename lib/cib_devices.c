/* fence_recorder primitives in the CIB, read with Pacemaker's cibadmin and
 * the one XML reader (lib/pcmk_xml.h). Only the
 * instance attributes of primitives with class="stonith" and
 * type="fence_recorder" count; a device inside a group or clone counts
 * too. */
#include "cib_devices.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "pcmk_interval.h"
#include "pcmk_xml.h"

#define CIB_XML_MAX (16 * 1024 * 1024)

const char *const cib_key_names[CIB_KEY_COUNT] = {
    [CIB_REQUEST_DIR] = "request_dir", [CIB_RESPONSE_DIR] = "response_dir", [CIB_DB] = "db",
    [CIB_LOG_DIR] = "log_dir", [CIB_FENCE_TIMEOUT] = "fence_timeout", [CIB_DELAY] = "delay",
    [CIB_PCMK_OFF_TIMEOUT] = "pcmk_off_timeout", [CIB_PCMK_REBOOT_TIMEOUT] = "pcmk_reboot_timeout",
};

/* Is el a <primitive class="stonith" type="fence_recorder">? */
static bool is_device(const xmlNode *el)
{
    return pcmk_xml_is(el, "primitive") && pcmk_xml_attr_equals(el, "class", "stonith") &&
           pcmk_xml_attr_equals(el, "type", "fence_recorder");
}

/* The <nvpair name value> children of the <instance_attributes> children
 * of the device element el (nested ones belong to rules, not to it). */
static void read_device(const xmlNode *el, struct cib_device *d)
{
    memset(d, 0, sizeof *d);
    if (!pcmk_xml_attr_copy(el, "id", d->id, sizeof d->id))
        snprintf(d->id, sizeof d->id, "(no id)");
    for (xmlNode *ia = pcmk_xml_child(el, "instance_attributes"); ia;
         ia = pcmk_xml_next(ia, "instance_attributes")) {
        for (xmlNode *nv = pcmk_xml_child(ia, "nvpair"); nv; nv = pcmk_xml_next(nv, "nvpair")) {
            xmlChar *v = pcmk_xml_attr(nv, "value");
            for (int i = 0; v && i < CIB_KEY_COUNT; i++)
                if (pcmk_xml_attr_equals(nv, "name", cib_key_names[i]))
                    snprintf(d->value[i], CIB_VALUE_MAX, "%s", (const char *)v);
            xmlFree(v);
        }
    }
}

int cib_devices_parse(const char *xml, size_t len, struct cib_devices *out, struct error *err)
{
    out->count = 0;
    xmlDoc *doc = pcmk_xml_parse(xml, len, "cibadmin --query --scope resources", err);
    if (!doc)
        return -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    int rc = 0;
    /* A device anywhere (in a group or clone counts); nothing inside one
     * is another device. */
    for (xmlNode *n = root; n && rc == 0;) {
        bool device = is_device(n);
        if (device && out->count == CIB_DEVICES_MAX)
            rc = errorf(err, "more than %d fence_recorder devices in the CIB", CIB_DEVICES_MAX);
        else if (device)
            read_device(n, &out->dev[out->count++]);
        n = pcmk_xml_walk(root, n, device);
    }
    xmlFreeDoc(doc);
    return rc;
}

int cib_crm_config_parse(const char *xml, size_t len, struct cib_devices *out, struct error *err)
{
    out->stonith_timeout[0] = '\0';
    xmlDoc *doc = pcmk_xml_parse(xml, len, "cibadmin --query --scope crm_config", err);
    if (!doc)
        return -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *n = root; n; n = pcmk_xml_walk(root, n, false)) {
        xmlChar *v = pcmk_xml_is(n, "nvpair") && pcmk_xml_attr_equals(n, "name", "stonith-timeout")
                   ? pcmk_xml_attr(n, "value") : NULL;
        if (v)
            snprintf(out->stonith_timeout, sizeof out->stonith_timeout, "%s", (const char *)v);
        xmlFree(v);
    }
    xmlFreeDoc(doc);
    return 0;
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
