/* crm_mon's XML to the target's state (cluster_state.h). The document is
 * parsed by the one XML reader (lib/pcmk_xml.h: no network, no DTD, no
 * entity substitution); only crm_mon's own elements are read. */
#include "cluster_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster_state_history.h"
#include "json_attr.h"
#include "pcmk_xml.h"

static const char *const node_flags[] = {
    "online", "standby", "standby_onfail", "maintenance", "pending", "unclean",
    "shutdown", "expected_up", "is_dc",
};

static bool flag(const cJSON *state, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(state, key));
}

/* One word for the administrator, the most alarming state first. */
static const char *membership(const cJSON *state, bool found)
{
    if (!found) return "absent";
    if (flag(state, "unclean")) return "unclean";
    if (flag(state, "pending")) return "pending";
    if (!flag(state, "online")) return "offline";
    if (flag(state, "shutdown")) return "shutting-down";
    if (flag(state, "maintenance")) return "maintenance";
    if (flag(state, "standby")) return "standby";
    return "online";
}

/* The type as crm_mon says it, except that a guest node (a remote node
 * run by a resource, which crm_mon marks with id_as_resource) is named. */
static bool add_type(cJSON *state, const xmlNode *node)
{
    if (!node)
        return cJSON_AddNullToObject(state, "type") != NULL;
    xmlChar *guest = pcmk_xml_attr(node, "id_as_resource");
    xmlFree(guest);
    if (guest)
        return cJSON_AddStringToObject(state, "type", "guest") != NULL;
    return json_add_attr_string(state, "type", node, "type");
}

static bool add_node(cJSON *state, const xmlNode *root, const char *target)
{
    xmlNode *node = NULL;
    for (xmlNode *n = pcmk_xml_child(pcmk_xml_child(root, "nodes"), "node"); n && !node;
         n = pcmk_xml_next(n, "node"))
        if (pcmk_xml_attr_equals(n, "name", target))
            node = n;
    if (!cJSON_AddBoolToObject(state, "found", node != NULL))
        return false;
    for (size_t i = 0; i < sizeof node_flags / sizeof node_flags[0]; i++) {
        if (node ? !json_add_attr_bool(state, node_flags[i], node, node_flags[i])
                 : !cJSON_AddNullToObject(state, node_flags[i]))
            return false;
    }
    if (!add_type(state, node))
        return false;
    if (node ? !json_add_attr_int(state, "resources_running", node, "resources_running")
             : !cJSON_AddNullToObject(state, "resources_running"))
        return false;
    return cJSON_AddStringToObject(state, "membership", membership(state, node != NULL)) != NULL;
}

/* Quorum, DC, stack and times from <summary>; null where crm_mon is
 * silent (Pacemaker 2.1.5 prints no cluster name, newer ones may). */
static bool add_summary(cJSON *state, const xmlNode *root)
{
    const xmlNode *summary = pcmk_xml_child(root, "summary");
    const xmlNode *dc = pcmk_xml_child(summary, "current_dc");
    const xmlNode *name = pcmk_xml_child(summary, "cluster_name");
    bool ok;
    if (dc && pcmk_xml_attr_equals(dc, "present", "true"))
        ok = cJSON_AddBoolToObject(state, "dc_present", true) &&
             json_add_attr_string(state, "dc", dc, "name") &&
             json_add_attr_bool(state, "quorum", dc, "with_quorum");
    else   /* no DC: the partition's quorum is not known either */
        ok = cJSON_AddBoolToObject(state, "dc_present", false) &&
             cJSON_AddNullToObject(state, "dc") && cJSON_AddNullToObject(state, "quorum");
    return ok && json_add_attr_string(state, "stack", pcmk_xml_child(summary, "stack"), "type") &&
           json_add_attr_string(state, "cluster_name", name, "name") &&
           json_add_attr_string(state, "last_update", pcmk_xml_child(summary, "last_update"), "time") &&
           json_add_attr_string(state, "last_change", pcmk_xml_child(summary, "last_change"), "time");
}

/* crm_mon reports its own failures inside the document: a status code
 * other than 0 and <errors><error>text</error></errors>. */
static bool add_errors(cJSON *state, const xmlNode *root)
{
    cJSON *list = cJSON_AddArrayToObject(state, "errors");
    const xmlNode *status = pcmk_xml_child(root, "status");
    if (!list)
        return false;
    for (xmlNode *e = pcmk_xml_child(pcmk_xml_child(status, "errors"), "error"); e;
         e = pcmk_xml_next(e, "error")) {
        if (cJSON_GetArraySize(list) >= CLUSTER_STATE_MAX_ITEMS)
            break;
        xmlChar *text = xmlNodeGetContent(e);
        char cut[CLUSTER_STATE_MAX_STRING + 1];
        snprintf(cut, sizeof cut, "%s", text ? (const char *)text : "");
        xmlFree(text);
        if (!cJSON_AddItemToArray(list, cJSON_CreateString(cut)))
            return false;
    }
    if (status && !pcmk_xml_attr_equals(status, "code", "0") && cJSON_GetArraySize(list) == 0) {
        char text[CLUSTER_STATE_MAX_STRING + 64];
        xmlChar *code = pcmk_xml_attr(status, "code");
        xmlChar *message = pcmk_xml_attr(status, "message");
        snprintf(text, sizeof text, "crm_mon status %.16s: %.512s", code ? (char *)code : "?",
                 message ? (char *)message : "");
        xmlFree(code);
        xmlFree(message);
        return cJSON_AddItemToArray(list, cJSON_CreateString(text));
    }
    return true;
}

static int build(const xmlNode *root, const char *target, cJSON *state, struct error *err)
{
    bool truncated = false;
    if (!cJSON_AddStringToObject(state, "target", target) || !add_node(state, root, target) ||
        !add_summary(state, root) || !state_add_failures(state, root, target, &truncated) ||
        !state_add_history(state, root, target, &truncated) ||
        !cJSON_AddBoolToObject(state, "truncated", truncated) || !add_errors(state, root))
        return errorf(err, "out of memory building the cluster state");
    /* crm_mon could not read the cluster: its silence about the target
     * says nothing about the target. */
    if (!flag(state, "found") &&
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(state, "errors")) > 0 &&
        !cJSON_ReplaceItemInObjectCaseSensitive(state, "membership", cJSON_CreateString("unknown")))
        return errorf(err, "out of memory building the cluster state");
    return 0;
}

int cluster_state_parse(const char *xml, size_t len, const char *target, cJSON **out,
                        struct error *err)
{
    *out = NULL;
    if (len > CLUSTER_STATE_MAX_INPUT)
        return errorf(err, "crm_mon's output is %zu bytes, more than the %d the cluster state "
                      "is read from", len, CLUSTER_STATE_MAX_INPUT);
    if (!target || !target[0] || strlen(target) > 255)
        return errorf(err, "no target node name (or one over 255 bytes)");
    xmlDoc *doc = pcmk_xml_parse(xml, len, "crm_mon's output", err);
    if (!doc)
        return -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    int rc = 0;
    if (!pcmk_xml_is(root, "pacemaker-result")) {
        rc = errorf(err, "crm_mon's output has no <pacemaker-result> root element "
                    "(not crm_mon --output-as=xml?)");
    } else if (!(*out = cJSON_CreateObject())) {
        rc = errorf(err, "out of memory building the cluster state");
    } else if ((rc = build(root, target, *out, err)) != 0) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    xmlFreeDoc(doc);
    return rc;
}

int cluster_state_render(const cJSON *obj, char **text, struct error *err)
{
    *text = cJSON_PrintUnformatted(obj);
    if (!*text)
        return errorf(err, "out of memory rendering the cluster state");
    if (strlen(*text) > CLUSTER_STATE_MAX_OUTPUT) {
        size_t n = strlen(*text);
        free(*text);
        *text = NULL;
        return errorf(err, "the cluster state is %zu bytes, more than %d", n,
                      CLUSTER_STATE_MAX_OUTPUT);
    }
    return 0;
}
