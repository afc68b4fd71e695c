/* The XML reader (lib/pcmk_xml.c) on whatever crm_mon and cibadmin print:
 * discovery's two extractors, then the reader itself with a walk that
 * touches every element and attribute through the helpers. */
#include <stdlib.h>
#include <string.h>

#include "cluster_fs.h"
#include "fuzz.h"
#include "pcmk_xml.h"

/* Everything the helpers can be asked of one element. */
static size_t visit(const xmlNode *n)
{
    size_t seen = strlen((const char *)n->name);
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        xmlChar *v = pcmk_xml_attr(n, (const char *)a->name);
        seen += v ? strlen((const char *)v) : 0;
        xmlFree(v);
    }
    char id[16];
    seen += pcmk_xml_attr_copy(n, "id", id, sizeof id) + pcmk_xml_attr_equals(n, "name", "node2");
    seen += pcmk_xml_child(n, "node") != NULL;
    seen += pcmk_xml_next(n, NULL) != NULL;
    seen += pcmk_xml_has_ancestor(n, "clone");
    return seen;
}

int fuzz_pcmk_xml(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct error err;
    struct fs_list *found = malloc(sizeof *found);
    if (found) {
        fs_from_crm_mon(text, size, "node2", found, &err);
        fs_from_cib(text, size, found, &err);
        free(found);
    }
    xmlDoc *doc = pcmk_xml_parse(text, size, "fuzz", &err);
    if (!doc)
        return 0;
    const xmlNode *root = xmlDocGetRootElement(doc);
    size_t seen = 0;
    for (const xmlNode *n = root; n; n = pcmk_xml_walk(root, n, seen % 7 == 3))
        seen += visit(n);
    xmlFreeDoc(doc);
    return 0;
}

FUZZ_ENTRY(fuzz_pcmk_xml)
