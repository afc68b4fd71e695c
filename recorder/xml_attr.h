/* Small helpers over libxml2's tree for the cluster-state parser. */
#ifndef FR_STATE_XML_ATTR_H
#define FR_STATE_XML_ATTR_H

#include <stdbool.h>

#include <cjson/cJSON.h>
#include <libxml/tree.h>

/* The first element child of parent named name, or NULL. */
xmlNode *xml_child(const xmlNode *parent, const char *name);
/* Is node an element named name? */
bool xml_is(const xmlNode *node, const char *name);
/* Attribute name of node as a JSON string (cut to CLUSTER_STATE_MAX_STRING
 * bytes), or JSON null when absent; added to obj under key. False when
 * memory runs out. */
bool json_add_attr_string(cJSON *obj, const char *key, const xmlNode *node, const char *name);
/* "true"/"false" attribute as a JSON boolean, anything else null. */
bool json_add_attr_bool(cJSON *obj, const char *key, const xmlNode *node, const char *name);
/* A decimal attribute as a JSON number, anything else null. */
bool json_add_attr_int(cJSON *obj, const char *key, const xmlNode *node, const char *name);
/* The attribute's value compared with value. */
bool xml_attr_equals(const xmlNode *node, const char *name, const char *value);

#endif
