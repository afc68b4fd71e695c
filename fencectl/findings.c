#include "findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void audit_iso(time_t t, char out[32])
{
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(out, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    else   /* a time gmtime cannot render: never an uninitialised tm */
        snprintf(out, 32, "1970-01-01T00:00:00.000Z");
}

void findings_add(struct findings *f, enum audit_severity severity, const char *at,
                  const char *kind, const char *node, const char *request_id,
                  const char *fmt, ...)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 32;
        struct finding *v = realloc(f->v, cap * sizeof *v);
        if (!v) {
            f->out_of_memory = true;
            return;
        }
        f->v = v;
        f->cap = cap;
    }
    struct finding *x = &f->v[f->n++];
    x->severity = severity;
    x->kind = kind;
    snprintf(x->at, sizeof x->at, "%s", at ? at : "");
    snprintf(x->node, sizeof x->node, "%s", node ? node : "");
    snprintf(x->request_id, sizeof x->request_id, "%s", request_id ? request_id : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->detail, sizeof x->detail, fmt, ap);
    va_end(ap);
}

void findings_free(struct findings *f)
{
    free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
}
