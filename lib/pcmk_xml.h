/* Pacemaker's XML (crm_mon, cibadmin, stonith_admin), read with libxml2,
 * Pacemaker's own XML library: the one reader every program uses.
 *
 * Parsing is strict and local: no network, no DTD at all (a document
 * with a DOCTYPE is refused, so no entity is ever declared, let alone
 * expanded), libxml2's default bounds (nesting 256 deep, no "huge"
 * mode) and an input size bound. Pacemaker never writes a DOCTYPE.
 *
 * The helpers take NULL for any node and then answer "nothing", so
 * lookups chain: pcmk_xml_child(pcmk_xml_child(root, "a"), "b"). */
#ifndef FR_PCMK_XML_H
#define FR_PCMK_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "error.h"

/* The largest document read: above what any caller keeps of a command's
 * output (discovery and the cluster state 8 MiB, the CIB 16 MiB). */
#define PCMK_XML_MAX_INPUT (16 * 1024 * 1024)

/* Parses len bytes of xml (NUL not needed). what names the input in
 * errors ("crm_mon --output-as=xml"). Returns the document, to free with
 * xmlFreeDoc, or NULL with err (one line) when the text is not
 * well-formed XML, has a DOCTYPE, has no root element, exceeds
 * PCMK_XML_MAX_INPUT or memory runs out. */
xmlDoc *pcmk_xml_parse(const char *xml, size_t len, const char *what, struct error *err);

/* Is node an element named name (any element when name is NULL)? */
bool pcmk_xml_is(const xmlNode *node, const char *name);
/* The first element child of parent named name (NULL: any), or NULL. */
xmlNode *pcmk_xml_child(const xmlNode *parent, const char *name);
/* The next element sibling of node named name (NULL: any), or NULL:
 *   for (n = pcmk_xml_child(p, "node"); n; n = pcmk_xml_next(n, "node")) */
xmlNode *pcmk_xml_next(const xmlNode *node, const char *name);
/* The element after node in document order within root's subtree, or
 * NULL at its end; node's own subtree is skipped when skip_children.
 * Iterative, so a walk of the whole document costs no stack:
 *   for (n = root; n; n = pcmk_xml_walk(root, n, false)) */
xmlNode *pcmk_xml_walk(const xmlNode *root, const xmlNode *node, bool skip_children);
/* Has node an element ancestor named name? */
bool pcmk_xml_has_ancestor(const xmlNode *node, const char *name);

/* Attribute name of node (entities decoded), to free with xmlFree, or
 * NULL when absent (or node is NULL). */
xmlChar *pcmk_xml_attr(const xmlNode *node, const char *name);
/* Copies attribute name into out (size bytes, cut if longer; "" when
 * absent). True when the attribute is present. */
bool pcmk_xml_attr_copy(const xmlNode *node, const char *name, char *out, size_t size);
/* Is attribute name present and equal to value? */
bool pcmk_xml_attr_equals(const xmlNode *node, const char *name, const char *value);

/* Pacemaker's <status code= message=> element of a tool's XML result
 * (and the <errors> crm_mon gives instead of data): 0, or -1 with err
 * saying what the tool said went wrong, naming what. */
int pcmk_xml_result_status(const xmlNode *root, const char *what, struct error *err);

#endif
