/* What crm_mon's XML says about the target's resources: the failed
 * actions (<failures>), the fail counts and the newest operation result
 * (<node_history>). */
#include "cluster_state_history.h"

#include <string.h>
#include <time.h>

#include "cluster_state.h"
#include "json_attr.h"
#include "pcmk_xml.h"

/* crm_mon prints "Wed Nov 25 03:06:30 2026"; only the order matters here,
 * so the fields are compared as if UTC whatever the zone was. */
static bool rc_change_time(const xmlNode *op, time_t *t)
{
    xmlChar *v = pcmk_xml_attr(op, "last-rc-change");
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = v ? strptime((const char *)v, "%a %b %d %H:%M:%S %Y", &tm) : NULL;
    bool ok = end && *end == '\0';
    xmlFree(v);
    if (ok)
        *t = timegm(&tm);
    return ok;
}

static bool add_failure(cJSON *list, const xmlNode *f)
{
    static const char *const strings[][2] = {
        { "op_key", "op_key" }, { "task", "task" }, { "exitstatus", "exitstatus" },
        { "exitreason", "exitreason" }, { "status", "status" },
        { "last_rc_change", "last-rc-change" },
    };
    cJSON *item = cJSON_CreateObject();
    if (!item || !cJSON_AddItemToArray(list, item))
        return cJSON_Delete(item), false;
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (!json_add_attr_string(item, strings[i][0], f, strings[i][1]))
            return false;
    return json_add_attr_int(item, "exitcode", f, "exitcode") &&
           json_add_attr_int(item, "interval_ms", f, "interval");
}

bool state_add_failures(cJSON *state, const xmlNode *root, const char *target, bool *truncated)
{
    cJSON *list = cJSON_AddArrayToObject(state, "failed_actions");
    if (!list)
        return false;
    for (xmlNode *f = pcmk_xml_child(pcmk_xml_child(root, "failures"), "failure"); f;
         f = pcmk_xml_next(f, "failure")) {
        if (!pcmk_xml_attr_equals(f, "node", target))
            continue;
        if (cJSON_GetArraySize(list) >= CLUSTER_STATE_MAX_ITEMS) {
            *truncated = true;
            break;
        }
        if (!add_failure(list, f))
            return false;
    }
    return true;
}

/* One resource's fail count, if it has one. */
static bool add_fail_count(cJSON *list, const xmlNode *rh, bool *truncated)
{
    xmlChar *count = pcmk_xml_attr(rh, "fail-count");
    xmlFree(count);
    if (!count)
        return true;
    if (cJSON_GetArraySize(list) >= CLUSTER_STATE_MAX_ITEMS) {
        *truncated = true;
        return true;
    }
    cJSON *item = cJSON_CreateObject();
    if (!item || !cJSON_AddItemToArray(list, item))
        return cJSON_Delete(item), false;
    return json_add_attr_string(item, "resource", rh, "id") &&
           json_add_attr_int(item, "fail_count", rh, "fail-count") &&
           json_add_attr_string(item, "last_failure", rh, "last-failure") &&
           json_add_attr_int(item, "migration_threshold", rh, "migration-threshold");
}

/* The target's <node> of <node_history>, or NULL. */
static xmlNode *history_of(const xmlNode *root, const char *target)
{
    for (xmlNode *n = pcmk_xml_child(pcmk_xml_child(root, "node_history"), "node"); n;
         n = pcmk_xml_next(n, "node"))
        if (pcmk_xml_attr_equals(n, "name", target))
            return n;
    return NULL;
}

bool state_add_history(cJSON *state, const xmlNode *root, const char *target, bool *truncated)
{
    cJSON *list = cJSON_AddArrayToObject(state, "fail_counts");
    if (!list)
        return false;
    const xmlNode *newest = NULL;
    time_t newest_t = 0;
    xmlNode *node = history_of(root, target);
    for (xmlNode *rh = pcmk_xml_child(node, "resource_history"); rh;
         rh = pcmk_xml_next(rh, "resource_history")) {
        if (!add_fail_count(list, rh, truncated))
            return false;
        for (xmlNode *op = pcmk_xml_child(rh, "operation_history"); op;
             op = pcmk_xml_next(op, "operation_history")) {
            time_t t;
            if (rc_change_time(op, &t) &&
                (!newest || t > newest_t)) {
                newest = op;
                newest_t = t;
            }
        }
    }
    if (!newest)
        return cJSON_AddNullToObject(state, "last_seen") != NULL;
    return json_add_attr_string(state, "last_seen", newest, "last-rc-change");
}
