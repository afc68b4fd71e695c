/* Which shared filesystems a node uses, from Pacemaker's XML: the live
 * state of crm_mon (method 1) and the configured resources of the CIB
 * (method 2). */
#include <stdio.h>
#include <string.h>

#include "cluster_xml.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Names go into logs and JSON: printable ASCII, DNS-name sized. */
static bool sane_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 253)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
            return false;
    return true;
}

static void add_name(struct fs_list *l, const char *name)
{
    if (!sane_name(name))
        return;
    for (int i = 0; i < l->count; i++)
        if (strcmp(l->names[i], name) == 0)
            return;   /* clone instances repeat the primitive's id */
    if (l->count < FS_MAX)
        snprintf(l->names[l->count++], sizeof l->names[0], "%s", name);
}

/* Method 1: <resource id resource_agent active> with <node name> children,
 * at any depth under <resources> (inside clones and groups). */
struct crm_mon_state {
    const char *node;
    struct fs_list *out;
    int resource_depth;          /* 0: not inside a <resource> */
    char id[254];
    bool filesystem, dlm, active, on_node;
};

static void crm_mon_start(void *ctx, const char *name, const struct xml_attr *a, int n, int depth)
{
    struct crm_mon_state *st = ctx;
    if (strcmp(name, "resource") == 0 && !st->resource_depth) {
        const char *agent = xml_attr_get(a, n, "resource_agent");
        const char *id = xml_attr_get(a, n, "id");
        const char *active = xml_attr_get(a, n, "active");
        st->resource_depth = depth;
        snprintf(st->id, sizeof st->id, "%s", id ? id : "");
        st->filesystem = agent && ends_with(agent, ":Filesystem");
        st->dlm = agent && ends_with(agent, ":controld");
        st->active = active && strcmp(active, "true") == 0;
        st->on_node = false;
    } else if (strcmp(name, "node") == 0 && st->resource_depth) {
        const char *node = xml_attr_get(a, n, "name");
        if (node && strcmp(node, st->node) == 0)
            st->on_node = true;
    }
}

static void crm_mon_end(void *ctx, const char *name, int depth)
{
    struct crm_mon_state *st = ctx;
    if (strcmp(name, "resource") != 0 || depth != st->resource_depth)
        return;
    st->resource_depth = 0;
    if (!st->active || !st->on_node)
        return;
    if (st->filesystem)
        add_name(st->out, st->id);
    if (st->dlm)
        st->out->dlm_active = true;
}

int fs_from_crm_mon(const char *xml, size_t len, const char *node, struct fs_list *out,
                    struct error *err)
{
    memset(out, 0, sizeof *out);
    struct crm_mon_state st = { .node = node, .out = out };
    struct xml_handler h = { crm_mon_start, crm_mon_end, &st };
    return xml_scan(xml, len, &h, err);
}

/* Method 2: <primitive type="Filesystem"> with an instance attribute
 * fstype gfs2/ocfs2, or anywhere inside a <clone>. */
struct cib_state {
    struct fs_list *out;
    int clone_depth;             /* >0 while inside a <clone> */
    int primitive_depth;
    int instance_attrs_depth;
    char id[254];
    bool filesystem, shared_fstype;
};

static void cib_start(void *ctx, const char *name, const struct xml_attr *a, int n, int depth)
{
    struct cib_state *st = ctx;
    if (strcmp(name, "clone") == 0) {
        st->clone_depth++;
    } else if (strcmp(name, "primitive") == 0 && !st->primitive_depth) {
        const char *type = xml_attr_get(a, n, "type");
        const char *id = xml_attr_get(a, n, "id");
        st->primitive_depth = depth;
        st->filesystem = type && strcmp(type, "Filesystem") == 0;
        st->shared_fstype = false;
        snprintf(st->id, sizeof st->id, "%s", id ? id : "");
    } else if (strcmp(name, "instance_attributes") == 0 && st->primitive_depth) {
        st->instance_attrs_depth = depth;
    } else if (strcmp(name, "nvpair") == 0 && st->instance_attrs_depth) {
        const char *key = xml_attr_get(a, n, "name");
        const char *value = xml_attr_get(a, n, "value");
        if (key && value && strcmp(key, "fstype") == 0 &&
            (strcmp(value, "gfs2") == 0 || strcmp(value, "ocfs2") == 0))
            st->shared_fstype = true;
    }
}

static void cib_end(void *ctx, const char *name, int depth)
{
    struct cib_state *st = ctx;
    if (strcmp(name, "clone") == 0 && st->clone_depth > 0) {
        st->clone_depth--;
    } else if (strcmp(name, "instance_attributes") == 0 && depth == st->instance_attrs_depth) {
        st->instance_attrs_depth = 0;
    } else if (strcmp(name, "primitive") == 0 && depth == st->primitive_depth) {
        st->primitive_depth = 0;
        if (st->filesystem && (st->shared_fstype || st->clone_depth > 0))
            add_name(st->out, st->id);
    }
}

int fs_from_cib(const char *xml, size_t len, struct fs_list *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    struct cib_state st = { .out = out };
    struct xml_handler h = { cib_start, cib_end, &st };
    return xml_scan(xml, len, &h, err);
}
