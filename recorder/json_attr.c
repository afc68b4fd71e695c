#include "json_attr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cluster_state.h"
#include "pcmk_xml.h"

/* The attribute's value (free with xmlFree), cut to the string bound at a
 * UTF-8 character boundary. */
static xmlChar *bounded_prop(const xmlNode *node, const char *name)
{
    xmlChar *v = pcmk_xml_attr(node, name);
    if (v && strlen((const char *)v) > CLUSTER_STATE_MAX_STRING) {
        size_t cut = CLUSTER_STATE_MAX_STRING;
        while (cut > 0 && (v[cut] & 0xC0) == 0x80)
            cut--;
        v[cut] = '\0';
    }
    return v;
}

bool json_add_attr_string(cJSON *obj, const char *key, const xmlNode *node, const char *name)
{
    xmlChar *v = bounded_prop(node, name);
    cJSON *item = v ? cJSON_CreateString((const char *)v) : cJSON_CreateNull();
    xmlFree(v);
    return item && cJSON_AddItemToObject(obj, key, item);
}

bool json_add_attr_bool(cJSON *obj, const char *key, const xmlNode *node, const char *name)
{
    xmlChar *v = pcmk_xml_attr(node, name);
    cJSON *item;
    if (v && strcmp((const char *)v, "true") == 0)
        item = cJSON_CreateTrue();
    else if (v && strcmp((const char *)v, "false") == 0)
        item = cJSON_CreateFalse();
    else
        item = cJSON_CreateNull();
    xmlFree(v);
    return item && cJSON_AddItemToObject(obj, key, item);
}

bool json_add_attr_int(cJSON *obj, const char *key, const xmlNode *node, const char *name)
{
    xmlChar *v = pcmk_xml_attr(node, name);
    cJSON *item = NULL;
    if (v) {
        char *end;
        errno = 0;
        long long n = strtoll((const char *)v, &end, 10);
        /* "10000ms" (operation intervals) counts as its number. */
        bool ok = errno == 0 && end != (char *)v && (*end == '\0' || strcmp(end, "ms") == 0);
        if (ok && (n > (1LL << 53) || n < -(1LL << 53)))
            ok = false;   /* not exact as a JSON number */
        if (ok)
            item = cJSON_CreateNumber((double)n);
    }
    xmlFree(v);
    if (!item)
        item = cJSON_CreateNull();
    return item && cJSON_AddItemToObject(obj, key, item);
}
