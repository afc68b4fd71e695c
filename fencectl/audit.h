/* fencectl audit: three views of who is fenced, reconciled. Each source
 * has its own file: the storage system's files (audit_storage.c), the
 * cluster's membership and fence history (audit_cluster.c, their XML
 * read in audit_xml.c with lib/pcmk_xml.h), and the
 * record (audit_record.c). Every disagreement becomes one finding
 * (findings.h). */
#ifndef FR_AUDIT_H
#define FR_AUDIT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "cli.h"
#include "findings.h"
#include "names.h"
#include "pcmk_history.h"

/* The storage system's state: nodes with a successful response file. */
struct fenced_node {
    char node[NODE_NAME_MAX + 1];
    char request_id[UUID_STR_LEN + 1];
    char since[32];                   /* the response file's mtime */
};
struct storage_view {
    struct fenced_node *fenced;
    size_t n;
};
/* Reads the response directory (fenced nodes) and the request directory
 * (requests nobody answered for longer than pending_grace seconds, one
 * finding each). Returns -1 after adding a finding if a directory
 * cannot be read. */
int audit_storage(const struct cli *cli, time_t now, long pending_grace,
                  struct storage_view *view, struct findings *out);
void storage_view_free(struct storage_view *view);

/* Cluster membership (crm_mon --output-as=xml). */
struct member {
    char name[NODE_NAME_MAX + 1];
    bool online;
    bool unclean;                     /* lost, and Pacemaker has not fenced it (yet) */
};
struct membership {
    struct member *v;
    size_t n;
    int quorum;                       /* this partition: 1 has quorum, 0 not, -1 unknown (no DC) */
    char dc[NODE_NAME_MAX + 1];
};

/* Each runs its command bounded by timeout_ms and parses its XML; -1
 * with err (one line, for the "cluster did not answer" finding). */
int audit_membership(int timeout_ms, struct membership *m, struct error *err);
int audit_pacemaker_history(int timeout_ms, struct pcmk_history *h, struct error *err);
/* The parsers alone, for XML already in memory. */
int membership_parse(const char *xml, size_t len, struct membership *m, struct error *err);

/* The record: the operations since `since` compared with the storage
 * view and, when given (non-NULL), Pacemaker's history; then its own
 * health (unfinished operations). Returns -1 on a database error. */
struct record_audit {
    sqlite3 *db;
    const char *since;
    const char *hostname;
    const struct storage_view *storage;
    struct pcmk_history *history;     /* NULL: the cluster did not answer */
};
int audit_record(const struct record_audit *ra, struct findings *out);

#endif
