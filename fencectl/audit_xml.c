/* Membership from crm_mon's XML, read with the one XML reader
 * (lib/pcmk_xml.h: strict, local, bounded); the fence history's reader is
 * lib/pcmk_history.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "pcmk_xml.h"

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
    int rc = pcmk_xml_result_status(root, "crm_mon", err);
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
