/* XML attributes as JSON values, for the cluster-state parser (the
 * generic XML helpers are lib/pcmk_xml.h). */
#ifndef FR_STATE_JSON_ATTR_H
#define FR_STATE_JSON_ATTR_H

#include <stdbool.h>

#include <cjson/cJSON.h>
#include <libxml/tree.h>

/* Attribute name of node as a JSON string (cut to CLUSTER_STATE_MAX_STRING
 * bytes), or JSON null when absent; added to obj under key. False when
 * memory runs out. */
bool json_add_attr_string(cJSON *obj, const char *key, const xmlNode *node, const char *name);
/* "true"/"false" attribute as a JSON boolean, anything else null. */
bool json_add_attr_bool(cJSON *obj, const char *key, const xmlNode *node, const char *name);
/* A decimal attribute as a JSON number, anything else null. */
bool json_add_attr_int(cJSON *obj, const char *key, const xmlNode *node, const char *name);

#endif
