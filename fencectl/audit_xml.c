/* Membership and fence history from Pacemaker's XML, read with the one
 * XML reader (lib/pcmk_xml.h: strict, local, bounded). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "pcmk_xml.h"

/* Pacemaker's status element: code 0 is success, anything else says why.
 * crm_mon that cannot reach the cluster still says code 0, with an
 * <errors><error>text</error></errors> inside it instead of the data. */
static int result_status(const xmlNode *root, const char *what, struct error *err)
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

int membership_parse(const char *xml, size_t len, struct membership *m, struct error *err)
{
    m->v = NULL;
    m->n = 0;
    m->quorum = -1;
    m->dc[0] = '\0';
    xmlDoc *doc = pcmk_xml_parse(xml, len, "crm_mon --output-as=xml", err);
    if (!doc)
        return -1;
    const xmlNode *root = xmlDocGetRootElement(doc);
    int rc = result_status(root, "crm_mon", err);
    const xmlNode *dc = pcmk_xml_child(pcmk_xml_child(root, "summary"), "current_dc");
    char flag[8];
    if (dc && pcmk_xml_attr_copy(dc, "present", flag, sizeof flag) && strcmp(flag, "true") == 0) {
        pcmk_xml_attr_copy(dc, "name", m->dc, sizeof m->dc);
        if (pcmk_xml_attr_copy(dc, "with_quorum", flag, sizeof flag))
            m->quorum = strcmp(flag, "true") == 0;
    }
    const xmlNode *nodes = pcmk_xml_child(root, "nodes");
    if (rc == 0 && !nodes)
        rc = errorf(err, "crm_mon --output-as=xml: no <nodes> element");
    size_t count = 0;
    for (const xmlNode *c = pcmk_xml_child(nodes, "node"); c; c = pcmk_xml_next(c, "node"))
        count++;
    if (rc == 0 && count && !(m->v = calloc(count, sizeof *m->v)))
        rc = errorf(err, "out of memory");
    for (const xmlNode *c = pcmk_xml_child(nodes, "node"); rc == 0 && c; c = pcmk_xml_next(c, "node")) {
        struct member *mb = &m->v[m->n];
        char online[8];
        if (!pcmk_xml_attr_copy(c, "name", mb->name, sizeof mb->name) || !mb->name[0])
            continue;
        pcmk_xml_attr_copy(c, "online", online, sizeof online);
        mb->online = strcmp(online, "true") == 0;
        pcmk_xml_attr_copy(c, "unclean", online, sizeof online);
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
 * completed= exit-reason=/> into e; false when it names no target. */
static bool read_event(const xmlNode *n, struct pcmk_event *e)
{
    char completed[64];
    memset(e, 0, sizeof *e);   /* the slot of a skipped event is reused */
    pcmk_xml_attr_copy(n, "target", e->target, sizeof e->target);
    pcmk_xml_attr_copy(n, "action", e->action, sizeof e->action);
    pcmk_xml_attr_copy(n, "status", e->status, sizeof e->status);
    pcmk_xml_attr_copy(n, "client", e->client, sizeof e->client);
    pcmk_xml_attr_copy(n, "origin", e->origin, sizeof e->origin);
    pcmk_xml_attr_copy(n, "delegate", e->delegate, sizeof e->delegate);
    pcmk_xml_attr_copy(n, "exit-reason", e->reason, sizeof e->reason);
    if (pcmk_xml_attr_copy(n, "completed", completed, sizeof completed) &&
        !pcmk_time_to_iso(completed, e->completed))
        e->completed[0] = '\0';
    return e->target[0] != '\0';
}

/* The fence events wherever they are in the result, up to cap (NULL h:
 * only counted). Returns how many were seen. */
static size_t walk_events(const xmlNode *root, struct pcmk_history *h, size_t cap)
{
    size_t seen = 0;
    for (const xmlNode *n = root; n; n = pcmk_xml_walk(root, n, false)) {
        if (!pcmk_xml_is(n, "fence_event"))
            continue;
        seen++;
        if (h && h->n < cap && read_event(n, &h->v[h->n]))
            h->n++;
    }
    return seen;
}

int pcmk_history_parse(const char *xml, size_t len, struct pcmk_history *h, struct error *err)
{
    h->v = NULL;
    h->n = 0;
    xmlDoc *doc = pcmk_xml_parse(xml, len, "stonith_admin --history", err);
    if (!doc)
        return -1;
    const xmlNode *root = xmlDocGetRootElement(doc);
    int rc = result_status(root, "stonith_admin --history", err);
    size_t cap = rc == 0 ? walk_events(root, NULL, 0) : 0;
    if (cap && !(h->v = calloc(cap, sizeof *h->v)))
        rc = errorf(err, "out of memory");
    if (rc == 0)
        walk_events(root, h, cap);
    xmlFreeDoc(doc);
    return rc;
}
