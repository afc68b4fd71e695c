/* Online while fenced: see online_fenced.h. */
#include <stdio.h>
#include <strings.h>

#include "online_fenced.h"
#include "respdir.h"

bool member_online(const struct membership *m, const char *node)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].online && strcasecmp(m->v[i].name, node) == 0)
            return true;
    return false;
}

void online_fenced_text(char *out, size_t len, const char *node, const char *response_file)
{
    snprintf(out, len, "%s is online while its storage is fenced (%s): resources placed on "
             "it run without shared storage. Restart %s: Pacemaker unfences a node when it "
             "rejoins after a restart. Never unfence a node that did not restart (a healed "
             "partition): it still holds the state it had before it was fenced",
             node, response_file, node);
}

struct scan {
    const struct membership *m;
    online_fenced_visit visit;
    void *arg;
    long found;
};

static int visit_one(const struct response_file *f, void *arg)
{
    struct scan *s = arg;
    if (f->read == READ_OK && f->verdict == RESPONSE_VALID && response_file_fences(f) &&
        member_online(s->m, f->node)) {
        s->visit(s->arg, f->node, f->file_name, f->mtime);
        s->found++;
    }
    return 0;
}

long online_fenced_scan(const char *response_dir, const struct membership *m,
                        online_fenced_visit visit, void *arg, struct error *err)
{
    struct scan s = { .m = m, .visit = visit, .arg = arg };
    if (response_dir_scan(response_dir, NULL, visit_one, &s, err) < 0)
        return -1;
    return s.found;
}
