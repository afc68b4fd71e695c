/* Pacemaker's fence history (stonith_admin --history '*' --verbose
 * --output-as=xml), read with the one XML reader. */
#include "pcmk_history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "command.h"
#include "pcmk_xml.h"

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
    struct tm utc;
    if (!gmtime_r(&t, &utc))
        return false;
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
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
    int rc = pcmk_xml_result_status(root, "stonith_admin --history", err);
    size_t cap = rc == 0 ? walk_events(root, NULL, 0) : 0;
    if (cap && !(h->v = calloc(cap, sizeof *h->v)))
        rc = errorf(err, "out of memory");
    if (rc == 0)
        walk_events(root, h, cap);
    xmlFreeDoc(doc);
    return rc;
}

int pcmk_history_read(int timeout_ms, struct pcmk_history *h, struct error *err)
{
    char *argv[] = { "stonith_admin", "--history", "*", "--verbose", "--output-as=xml", NULL };
    struct command_result r;
    h->v = NULL;
    h->n = 0;
    if (command_run(argv, timeout_ms, PCMK_HISTORY_MAX_XML, &r, err) != 0)
        return -1;
    int rc = r.out_len ? pcmk_history_parse(r.out, r.out_len, h, err)
                       : errorf(err, "stonith_admin --history exited with status %d: %.300s",
                                r.exit_status, r.err);
    command_result_free(&r);
    return rc;
}
