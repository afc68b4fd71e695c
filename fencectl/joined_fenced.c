#include "joined_fenced.h"

#include <stdbool.h>
#include <string.h>

#include "respdir.h"

struct still {
    const char *file;
    bool fences;
};

static int same_file_fences(const struct response_file *f, void *ctx)
{
    struct still *s = ctx;
    if (strcmp(f->file_name, s->file) != 0)
        return 0;
    s->fences = response_file_fences(f);
    return 1;
}

long joined_fenced_scan(sqlite3 *db, const char *response_dir, joined_fenced_visit visit,
                        void *arg, struct error *err)
{
    /* The newest critical join of each node (a table from before schema 8
     * has none: the query fails, and nothing is reported). */
    static const char sql[] =
        "SELECT node, max(happened_at), detail FROM cluster_events "
        "WHERE kind = 'node' AND severity = 'critical' GROUP BY node ORDER BY node";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return errorf(err, "cannot read the cluster's events: %s", sqlite3_errmsg(db));
    long still_fenced = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *node = (const char *)sqlite3_column_text(st, 0);
        const char *at = (const char *)sqlite3_column_text(st, 1);
        const char *file = (const char *)sqlite3_column_text(st, 2);
        struct still s = { .file = file ? file : "", .fences = false };
        struct error scan_err;
        if (file && response_dir_scan(response_dir, node, same_file_fences, &s, &scan_err) < 0)
            s.fences = true;   /* cannot tell it is gone: still a problem */
        still_fenced += s.fences;
        visit(arg, node, at, s.file, s.fences);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return errorf(err, "cannot read the cluster's events: %s", sqlite3_errmsg(db));
    return still_fenced;
}
