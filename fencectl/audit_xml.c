/* Pacemaker's XML, parsed with libxml2 (Pacemaker's own XML library, so
 * present wherever its tools are). fencectl only: the agent never loads
 * it. Parsing is strict and local: no network, no DTD, no entity
 * substitution, and the input is bounded by the command runner. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"

static xmlDocPtr parse(const char *xml, size_t len, const char *what, struct error *err)
{
    if (len > (size_t)INT32_MAX) {
        errorf(err, "%s: output too large", what);
        return NULL;
    }
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, what, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        errorf(err, "%s: not well-formed XML%s%.200s", what, e && e->message ? ": " : "",
               e && e->message ? e->message : "");
        /* libxml2's messages end with a newline: one line per finding */
        char *nl = strchr(err->msg, '\n');
        if (nl)
            *nl = '\0';
    }
    return doc;
}

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Copies attribute name of n into out (empty if absent); false if absent. */
static bool attr(const xmlNode *n, const char *name, char *out, size_t size)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    snprintf(out, size, "%s", v ? (const char *)v : "");
    bool present = v != NULL;
    xmlFree(v);
    return present;
}

static const xmlNode *child(const xmlNode *parent, const char *name)
{
    for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

/* Pacemaker's status element: code 0 is success, anything else says why.
 * crm_mon that cannot reach the cluster still says code 0, with an
 * <errors><error>text</error></errors> inside it instead of the data. */
static int result_status(const xmlNode *root, const char *what, struct error *err)
{
    const xmlNode *st = child(root, "status");
    char code[16] = "0", message[256] = "";
    if (st) {
        attr(st, "code", code, sizeof code);
        attr(st, "message", message, sizeof message);
    }
    const xmlNode *e = child(child(st, "errors"), "error");
    xmlChar *text = e ? xmlNodeGetContent(e) : NULL;
    int rc = 0;
    if (text && text[0])
        rc = errorf(err, "%s: %.300s", what, (const char *)text);
    else if (strcmp(code, "0") != 0)
        rc = errorf(err, "%s failed (code %s: %s)", what, code, message);
    xmlFree(text);
    return rc;
}

int membership_parse(const char *xml, size_t len, struct membership *m, struct error *err)
{
    m->v = NULL;
    m->n = 0;
    m->quorum = -1;
    m->dc[0] = '\0';
    xmlDocPtr doc = parse(xml, len, "crm_mon --output-as=xml", err);
    if (!doc)
        return -1;
    const xmlNode *root = xmlDocGetRootElement(doc);
    int rc = result_status(root, "crm_mon", err);
    const xmlNode *dc = child(child(root, "summary"), "current_dc");
    char flag[8];
    if (dc && attr(dc, "present", flag, sizeof flag) && strcmp(flag, "true") == 0) {
        attr(dc, "name", m->dc, sizeof m->dc);
        if (attr(dc, "with_quorum", flag, sizeof flag))
            m->quorum = strcmp(flag, "true") == 0;
    }
    const xmlNode *nodes = child(root, "nodes");
    if (rc == 0 && !nodes)
        rc = errorf(err, "crm_mon --output-as=xml: no <nodes> element");
    size_t count = 0;
    for (const xmlNode *c = nodes ? nodes->children : NULL; c; c = c->next)
        count += named(c, "node");
    if (rc == 0 && count && !(m->v = calloc(count, sizeof *m->v)))
        rc = errorf(err, "out of memory");
    for (const xmlNode *c = nodes ? nodes->children : NULL; rc == 0 && c; c = c->next) {
        if (!named(c, "node"))
            continue;
        struct member *mb = &m->v[m->n];
        char online[8];
        if (!attr(c, "name", mb->name, sizeof mb->name) || !mb->name[0])
            continue;
        attr(c, "online", online, sizeof online);
        mb->online = strcmp(online, "true") == 0;
        attr(c, "unclean", online, sizeof online);
        mb->unclean = strcmp(online, "true") == 0;
        m->n++;
    }
    xmlFreeDoc(doc);
    return rc;
}

bool pcmk_time_to_iso(const char *text, char out[32])
{
    struct tm tm = { 0 };
    const char *rest = strptime(text, "%Y-%m-%d %H:%M:%S", &tm);
    if (!rest)
        return false;
    time_t t;
    if (*rest == 'Z' || strcmp(rest, " +00:00") == 0 || strcmp(rest, "+00:00") == 0) {
        t = timegm(&tm);
    } else if ((rest[0] == ' ' && (rest[1] == '+' || rest[1] == '-')) || rest[0] == '+' || rest[0] == '-') {
        const char *z = rest[0] == ' ' ? rest + 1 : rest;
        int hh = 0, mm = 0;
        if (sscanf(z + 1, "%2d:%2d", &hh, &mm) != 2 && sscanf(z + 1, "%2d%2d", &hh, &mm) != 2)
            return false;
        long offset = (hh * 60L + mm) * 60L * (z[0] == '-' ? -1 : 1);
        t = timegm(&tm) - offset;
    } else if (*rest == '\0') {
        tm.tm_isdst = -1;       /* no zone given: the machine's local time */
        t = mktime(&tm);
    } else {
        return false;
    }
    audit_iso(t, out);
    return true;
}

/* <fence_event action= target= client= origin= delegate= status=
 * completed= exit-reason=/> wherever it is in the result. */
static void collect_events(const xmlNode *n, struct pcmk_history *h, size_t cap)
{
    for (; n; n = n->next) {
        if (named(n, "fence_event") && h->n < cap) {
            struct pcmk_event *e = &h->v[h->n];
            char completed[64];
            attr(n, "target", e->target, sizeof e->target);
            attr(n, "action", e->action, sizeof e->action);
            attr(n, "status", e->status, sizeof e->status);
            attr(n, "client", e->client, sizeof e->client);
            attr(n, "origin", e->origin, sizeof e->origin);
            attr(n, "delegate", e->delegate, sizeof e->delegate);
            attr(n, "exit-reason", e->reason, sizeof e->reason);
            if (attr(n, "completed", completed, sizeof completed) &&
                !pcmk_time_to_iso(completed, e->completed))
                e->completed[0] = '\0';
            if (e->target[0])
                h->n++;
        }
        collect_events(n->children, h, cap);
    }
}

static size_t count_events(const xmlNode *n)
{
    size_t count = 0;
    for (; n; n = n->next)
        count += named(n, "fence_event") + count_events(n->children);
    return count;
}

int pcmk_history_parse(const char *xml, size_t len, struct pcmk_history *h, struct error *err)
{
    h->v = NULL;
    h->n = 0;
    xmlDocPtr doc = parse(xml, len, "stonith_admin --history", err);
    if (!doc)
        return -1;
    const xmlNode *root = xmlDocGetRootElement(doc);
    int rc = result_status(root, "stonith_admin --history", err);
    size_t cap = rc == 0 ? count_events(root) : 0;
    if (cap && !(h->v = calloc(cap, sizeof *h->v)))
        rc = errorf(err, "out of memory");
    if (rc == 0)
        collect_events(root, h, cap);
    xmlFreeDoc(doc);
    return rc;
}
