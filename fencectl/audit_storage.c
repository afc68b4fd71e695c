/* The storage system's view for the audit: a successful response file is
 * a fenced node (nnf-sos keeps it fenced until the file is removed), and
 * a request with no response is one nobody answered. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "dirscan.h"
#include "files.h"
#include "respdir.h"

struct storage_scan {
    struct storage_view *view;
    size_t cap;
    struct findings *out;
    const struct cli *cli;
    time_t now;
    long grace;
};

static int fenced_one(const struct response_file *f, void *arg)
{
    struct storage_scan *s = arg;
    struct stat st;
    char at[32] = "";
    if (lstat(f->path, &st) == 0)
        audit_iso(st.st_mtime, at);
    if (f->read != READ_OK || f->verdict != RESPONSE_VALID) {
        /* nnf-sos may or may not count it: the audit cannot tell. */
        findings_add(s->out, AUDIT_WARNING, at, "response-unreadable", f->node, f->request_id,
                     "%s: %s; whether the storage system counts the node as fenced is unknown",
                     f->file_name, f->problem.msg);
        return 0;
    }
    if (!response_file_fences(f))
        return 0;
    if (s->view->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct fenced_node *v = realloc(s->view->fenced, cap * sizeof *v);
        if (!v) {
            s->out->out_of_memory = true;
            return 1;
        }
        s->view->fenced = v;
        s->cap = cap;
    }
    struct fenced_node *n = &s->view->fenced[s->view->n++];
    snprintf(n->node, sizeof n->node, "%s", f->node);
    snprintf(n->request_id, sizeof n->request_id, "%s", f->request_id);
    snprintf(n->since, sizeof n->since, "%s", at);
    return 0;
}

static void unanswered_one(const struct dir_entry *e, void *arg)
{
    struct storage_scan *s = arg;
    char response[4096], at[32], age[32];
    if (s->now - e->mtime < s->grace ||
        path_join(response, sizeof response, s->cli->paths.response_dir, e->name, NULL) != 0 ||
        access(response, F_OK) == 0)
        return;
    audit_iso(e->mtime, at);
    format_age(s->now - e->mtime, age, sizeof age);
    findings_add(s->out, AUDIT_WARNING, at, "request-unanswered", e->node, e->request_id,
                 "request %s waits for an answer since %s: is the storage reconciler running? "
                 "(it fences the node when it gets to it)", e->name, age);
}

int audit_storage(const struct cli *cli, time_t now, long pending_grace,
                  struct storage_view *view, struct findings *out)
{
    struct storage_scan s = { .view = view, .out = out, .cli = cli, .now = now,
                              .grace = pending_grace };
    struct error err;
    char at[32];
    int rc = 0;
    audit_iso(now, at);
    view->fenced = NULL;
    view->n = 0;
    if (response_dir_scan(cli->paths.response_dir, NULL, fenced_one, &s, &err) < 0) {
        findings_add(out, AUDIT_UNKNOWN, at, "storage-unreadable", "", "",
                     "%s: which nodes are fenced is unknown", err.msg);
        rc = -1;
    }
    if (dir_scan(cli->paths.request_dir, false, unanswered_one, &s, &err) != 0) {
        findings_add(out, AUDIT_UNKNOWN, at, "storage-unreadable", "", "",
                     "%s: unanswered requests are unknown", err.msg);
        rc = -1;
    }
    return rc;
}

void storage_view_free(struct storage_view *view)
{
    free(view->fenced);
    view->fenced = NULL;
    view->n = 0;
}
