/* Reading Pacemaker's XML for filesystem discovery. Pacemaker's own
 * serializer writes it, so a small bounded scanner is enough: elements,
 * attributes, comments, processing instructions, CDATA and the predefined
 * and numeric entities. It never recurses, bounds nesting, and fails
 * cleanly on anything malformed. */
#ifndef FR_CLUSTER_XML_H
#define FR_CLUSTER_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define XML_MAX_DEPTH 256
#define XML_MAX_ATTRS 64
#define FS_MAX 64

struct xml_attr {
    const char *name;
    const char *value;     /* entities decoded */
};

struct xml_handler {
    /* depth: 1 for the root element. */
    void (*start)(void *ctx, const char *name, const struct xml_attr *attrs, int n, int depth);
    void (*end)(void *ctx, const char *name, int depth);
    void *ctx;
};

/* Scans text (NUL-terminated, len bytes). Returns 0 or -1 with err. */
int xml_scan(const char *text, size_t len, const struct xml_handler *h, struct error *err);
/* The value of attribute name, or NULL. */
const char *xml_attr_get(const struct xml_attr *attrs, int n, const char *name);

struct fs_list {
    char names[FS_MAX][254];
    int count;
    bool dlm_active;          /* a DLM (controld) resource runs on the node */
};

/* From `crm_mon --output-as=xml`: Filesystem resources active on node. */
int fs_from_crm_mon(const char *xml, size_t len, const char *node, struct fs_list *out,
                    struct error *err);
/* From `cibadmin --query --scope resources`: shared Filesystem resources
 * configured (fstype gfs2 or ocfs2, or cloned). */
int fs_from_cib(const char *xml, size_t len, struct fs_list *out, struct error *err);

#endif
