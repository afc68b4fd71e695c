/* The findings of fencectl audit: one per disagreement between the
 * storage system, the cluster and the record, collected by each source's
 * file (audit_*.c) and printed by cmd_audit.c; and the ISO time stamp
 * they carry. Apart from cmd_audit.c so the sources need not call into
 * the command that calls them. */
#ifndef FR_FINDINGS_H
#define FR_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "names.h"

/* Nagios plugin conventions, so monitoring systems read the exit code as is. */
enum audit_severity { AUDIT_OK = 0, AUDIT_WARNING = 1, AUDIT_CRITICAL = 2, AUDIT_UNKNOWN = 3 };

struct finding {
    enum audit_severity severity;
    char at[32];                      /* ISO 8601 UTC; the list is newest first */
    const char *kind;                 /* a fixed identifier, documented in fencectl(8) */
    char node[NODE_NAME_MAX + 1];
    char request_id[UUID_STR_LEN + 1];
    char detail[768];
};

struct findings {
    struct finding *v;
    size_t n, cap;
    bool out_of_memory;
};

void findings_add(struct findings *f, enum audit_severity severity, const char *at,
                  const char *kind, const char *node, const char *request_id,
                  const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void findings_free(struct findings *f);

/* "2026-11-26T15:20:16.000Z" from a time_t. */
void audit_iso(time_t t, char out[32]);

#endif
