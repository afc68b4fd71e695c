#include "pcmk_xml.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

/* No network; libxml2's messages not printed (they go into err);
 * whitespace-only text between elements dropped (a large crm_mon output
 * is mostly indentation). Left out on purpose: XML_PARSE_NOENT (entity
 * substitution), XML_PARSE_DTDLOAD/DTDATTR/DTDVALID (DTD loading) and
 * XML_PARSE_HUGE (which lifts libxml2's depth and size bounds). */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
                       XML_PARSE_NOBLANKS)

/* SAX callback at <!DOCTYPE: stops the parser before the internal subset,
 * where entities (and with them entity expansion) would be declared. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                           const xmlChar *system_id)
{
    xmlParserCtxt *ctxt = ctx;
    (void)name, (void)external_id, (void)system_id;
    *(bool *)ctxt->_private = true;
    xmlStopParser(ctxt);
}

/* err from libxml2's last error on ctxt: its message's first line and
 * where it was found. */
static void parse_error(xmlParserCtxt *ctxt, const char *what, struct error *err)
{
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    const char *msg = e && e->message ? e->message : "parse error";
    errorf(err, "%s: not well-formed XML: %.*s (line %d)", what, (int)strcspn(msg, "\r\n"),
           msg, e ? e->line : 0);
}

/* Parses with a private context (its SAX handler is its own copy, so the
 * DOCTYPE hook changes nothing global). */
static xmlDoc *parse_bounded(const char *xml, size_t len, const char *what, struct error *err)
{
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        errorf(err, "%s: out of memory parsing XML", what);
        return NULL;
    }
    bool doctype = false;
    ctxt->_private = &doctype;
    ctxt->sax->internalSubset = refuse_doctype;
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, xml, (int)len, what, NULL, PARSE_OPTIONS);
    if (doctype) {
        xmlFreeDoc(doc);   /* a stopped parse may still hand a document over */
        doc = NULL;
        errorf(err, "%s: XML with a DOCTYPE refused (Pacemaker writes none)", what);
    } else if (!doc) {
        parse_error(ctxt, what, err);
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

xmlDoc *pcmk_xml_parse(const char *xml, size_t len, const char *what, struct error *err)
{
    if (len > PCMK_XML_MAX_INPUT) {
        errorf(err, "%s: %zu bytes of XML, more than the %d read", what, len, PCMK_XML_MAX_INPUT);
        return NULL;
    }
    xmlDoc *doc = parse_bounded(xml, len, what, err);
    if (doc && !xmlDocGetRootElement(doc)) {
        xmlFreeDoc(doc);
        doc = NULL;
        errorf(err, "%s: no XML element found", what);
    }
    return doc;
}

bool pcmk_xml_is(const xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE &&
           (!name || strcmp((const char *)node->name, name) == 0);
}

/* node itself or its first following sibling that is an element named name. */
static xmlNode *element_from(const xmlNode *node, const char *name)
{
    while (node && !pcmk_xml_is(node, name))
        node = node->next;
    return (xmlNode *)node;
}

xmlNode *pcmk_xml_child(const xmlNode *parent, const char *name)
{
    return parent ? element_from(parent->children, name) : NULL;
}

xmlNode *pcmk_xml_next(const xmlNode *node, const char *name)
{
    return node ? element_from(node->next, name) : NULL;
}

xmlNode *pcmk_xml_walk(const xmlNode *root, const xmlNode *node, bool skip_children)
{
    if (!node)
        return NULL;
    xmlNode *child = skip_children ? NULL : pcmk_xml_child(node, NULL);
    if (child)
        return child;
    /* Up until an ancestor (never above root) has a next element. */
    for (; node && node != root; node = node->parent) {
        xmlNode *sibling = pcmk_xml_next(node, NULL);
        if (sibling)
            return sibling;
    }
    return NULL;
}

bool pcmk_xml_has_ancestor(const xmlNode *node, const char *name)
{
    for (const xmlNode *p = node ? node->parent : NULL; p; p = p->parent)
        if (pcmk_xml_is(p, name))
            return true;
    return false;
}

xmlChar *pcmk_xml_attr(const xmlNode *node, const char *name)
{
    return pcmk_xml_is(node, NULL) ? xmlGetProp(node, (const xmlChar *)name) : NULL;
}

bool pcmk_xml_attr_copy(const xmlNode *node, const char *name, char *out, size_t size)
{
    xmlChar *v = pcmk_xml_attr(node, name);
    snprintf(out, size, "%s", v ? (const char *)v : "");
    bool present = v != NULL;
    xmlFree(v);
    return present;
}

bool pcmk_xml_attr_equals(const xmlNode *node, const char *name, const char *value)
{
    xmlChar *v = pcmk_xml_attr(node, name);
    bool same = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return same;
}

/* Pacemaker's status element: code 0 is success, anything else says why.
 * crm_mon that cannot reach the cluster still says code 0, with an
 * <errors><error>text</error></errors> inside it instead of the data. */
int pcmk_xml_result_status(const xmlNode *root, const char *what, struct error *err)
{
    const xmlNode *st = pcmk_xml_child(root, "status");
    char code[16] = "0", message[256] = "";
    if (st) {
        pcmk_xml_attr_copy(st, "code", code, sizeof code);
        pcmk_xml_attr_copy(st, "message", message, sizeof message);
    }
    const xmlNode *e = pcmk_xml_child(pcmk_xml_child(st, "errors"), "error");
    xmlChar *text = e ? xmlNodeGetContent(e) : NULL;
    int rc = 0;
    if (text && text[0])
        rc = errorf(err, "%s: %.300s", what, (const char *)text);
    else if (strcmp(code, "0") != 0)
        rc = errorf(err, "%s failed (code %s: %s)", what, code, message);
    xmlFree(text);
    return rc;
}
