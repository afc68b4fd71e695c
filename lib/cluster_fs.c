#include "cluster_fs.h"

#include <stdio.h>
#include <string.h>

#include "pcmk_xml.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Names go into logs and JSON: printable ASCII, DNS-name sized. Judged
 * on the whole value: a longer id cut to size would name another
 * resource. */
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
    if (!name || !sane_name(name))
        return;
    for (int i = 0; i < l->count; i++)
        if (strcmp(l->names[i], name) == 0)
            return;   /* clone instances repeat the primitive's id */
    if (l->count < FS_MAX)
        snprintf(l->names[l->count++], sizeof l->names[0], "%s", name);
}

/* Adds element el's attribute "id" to l. */
static void add_id(struct fs_list *l, const xmlNode *el)
{
    xmlChar *id = pcmk_xml_attr(el, "id");
    add_name(l, (const char *)id);
    xmlFree(id);
}

/* Does attribute name of el end with suffix? */
static bool attr_ends_with(const xmlNode *el, const char *name, const char *suffix)
{
    xmlChar *v = pcmk_xml_attr(el, name);
    bool ends = v && ends_with((const char *)v, suffix);
    xmlFree(v);
    return ends;
}

/* Is a <node name=node> anywhere inside resource? */
static bool runs_on(const xmlNode *resource, const char *node)
{
    for (xmlNode *n = pcmk_xml_walk(resource, resource, false); n;
         n = pcmk_xml_walk(resource, n, false))
        if (pcmk_xml_is(n, "node") && pcmk_xml_attr_equals(n, "name", node))
            return true;
    return false;
}

/* Method 1: <resource id resource_agent active> with <node name>
 * children, at any depth (inside clones and groups); a <resource> inside
 * another (a bundle's) belongs to the outer one. */
static void crm_mon_resource(const xmlNode *r, const char *node, struct fs_list *out)
{
    if (!pcmk_xml_attr_equals(r, "active", "true") || !runs_on(r, node))
        return;
    if (attr_ends_with(r, "resource_agent", ":Filesystem"))
        add_id(out, r);
    if (attr_ends_with(r, "resource_agent", ":controld"))
        out->dlm_active = true;
}

/* Calls visit for each element named name in xml (from source, for
 * errors); one inside another belongs to the outer one, so the walk does
 * not descend into a visited element. */
static int visit_outermost(const char *xml, size_t len, const char *source, const char *name,
                           void (*visit)(const xmlNode *n, void *ctx), void *ctx,
                           struct error *err)
{
    xmlDoc *doc = pcmk_xml_parse(xml, len, source, err);
    if (!doc)
        return -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *n = root; n;) {
        bool match = pcmk_xml_is(n, name);
        if (match)
            visit(n, ctx);
        n = pcmk_xml_walk(root, n, match);
    }
    xmlFreeDoc(doc);
    return 0;
}

struct on_node {
    const char *node;
    struct fs_list *out;
};

static void visit_crm_mon_resource(const xmlNode *r, void *ctx)
{
    const struct on_node *on = ctx;
    crm_mon_resource(r, on->node, on->out);
}

int fs_from_crm_mon(const char *xml, size_t len, const char *node, struct fs_list *out,
                    struct error *err)
{
    memset(out, 0, sizeof *out);
    struct on_node on = { .node = node, .out = out };
    return visit_outermost(xml, len, "crm_mon --output-as=xml", "resource",
                           visit_crm_mon_resource, &on, err);
}

/* Is an <nvpair name="fstype"> of gfs2 or ocfs2 inside attrs? */
static bool shared_fstype_in(const xmlNode *attrs)
{
    for (xmlNode *n = pcmk_xml_walk(attrs, attrs, false); n; n = pcmk_xml_walk(attrs, n, false))
        if (pcmk_xml_is(n, "nvpair") && pcmk_xml_attr_equals(n, "name", "fstype") &&
            (pcmk_xml_attr_equals(n, "value", "gfs2") || pcmk_xml_attr_equals(n, "value", "ocfs2")))
            return true;
    return false;
}

/* ... inside any <instance_attributes> of primitive? */
static bool shared_fstype(const xmlNode *primitive)
{
    for (xmlNode *n = pcmk_xml_walk(primitive, primitive, false); n;
         n = pcmk_xml_walk(primitive, n, false))
        if (pcmk_xml_is(n, "instance_attributes") && shared_fstype_in(n))
            return true;
    return false;
}

/* Method 2: <primitive type="Filesystem"> with an instance attribute
 * fstype gfs2/ocfs2, or anywhere inside a <clone>. */
static void cib_primitive(const xmlNode *p, struct fs_list *out)
{
    if (pcmk_xml_attr_equals(p, "type", "Filesystem") &&
        (pcmk_xml_has_ancestor(p, "clone") || shared_fstype(p)))
        add_id(out, p);
}

static void visit_cib_primitive(const xmlNode *p, void *out)
{
    cib_primitive(p, out);
}

int fs_from_cib(const char *xml, size_t len, struct fs_list *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    return visit_outermost(xml, len, "cibadmin --query", "primitive", visit_cib_primitive, out,
                           err);
}
