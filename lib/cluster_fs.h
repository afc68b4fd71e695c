/* Which shared filesystems a node uses, from Pacemaker's XML: the live
 * state of crm_mon (discovery's method 1) and the configured resources
 * of the CIB (method 2). Read with pcmk_xml.h. */
#ifndef FR_CLUSTER_FS_H
#define FR_CLUSTER_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define FS_MAX 64

struct fs_list {
    char names[FS_MAX][254];  /* resource ids: printable ASCII, 1-253 bytes */
    int count;
    bool dlm_active;          /* a DLM (controld) resource runs on the node */
};

/* From `crm_mon --output-as=xml`: Filesystem resources active on node.
 * Returns 0, or -1 with err when xml (len bytes) is not XML. */
int fs_from_crm_mon(const char *xml, size_t len, const char *node, struct fs_list *out,
                    struct error *err);
/* From `cibadmin --query --scope resources`: shared Filesystem resources
 * configured (fstype gfs2 or ocfs2, or cloned). */
int fs_from_cib(const char *xml, size_t len, struct fs_list *out, struct error *err);

#endif
