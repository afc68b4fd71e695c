#include "member_facts.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "command.h"
#include "respdir.h"

static int first_fencing(const struct response_file *f, void *ctx)
{
    struct still_fenced *sf = ctx;
    if (!response_file_fences(f))
        return 0;
    snprintf(sf->file, sizeof sf->file, "%s", f->file_name);
    snprintf(sf->request_id, sizeof sf->request_id, "%s", f->request_id);
    return 1;
}

/* This node's name as Pacemaker knows it (crm_node -n), else host. */
static void local_node(char *out, size_t size, const char *host)
{
    char *argv[] = { "crm_node", "-n", NULL };
    struct command_result r;
    struct error err;
    out[0] = '\0';
    if (command_run(argv, 3000, 4096, &r, &err) == 0 && r.exit_status == 0 && r.out)
        snprintf(out, size, "%.*s", (int)strcspn(r.out, "\n"), r.out);
    command_result_free(&r);
    if (!out[0])
        snprintf(out, size, "%s", host);
}

static void still_fenced_by(const char *dir, const char *node, struct still_fenced *sf)
{
    struct error err;
    sf->file[0] = '\0';
    if (response_dir_scan(dir, node, first_fencing, sf, &err) < 0)
        sf->file[0] = '\0';   /* unreadable here: nothing this node can confirm */
}

/* A node that restarted joins with its old response file, which
 * Pacemaker's unfencing removes a second later: only a file still there
 * after JOIN_GRACE_S is a member joining while fenced (a partition healed
 * without a restart). The copy waits; Pacemaker does not. The fencers'
 * history is also complete by then on a node that just joined. */
#define JOIN_GRACE_S 15

static void wait_for_unfencing(const struct alert_event *ev, const struct paths *paths,
                               struct member_facts *m)
{
    for (int waited = 0;; waited++) {
        still_fenced_by(paths->response_dir, ev->node, &m->member);
        if (!m->is_local)
            still_fenced_by(paths->response_dir, m->local, &m->self);
        if ((!m->member.file[0] && !m->self.file[0]) || waited >= JOIN_GRACE_S)
            return;
        sleep(1);
    }
}

void member_facts_read(const struct alert_event *ev, const struct paths *paths,
                       const char *host, bool member, struct member_facts *m)
{
    memset(m, 0, sizeof *m);
    local_node(m->local, sizeof m->local, host);
    m->is_local = strcasecmp(m->local, ev->node) == 0;   /* ASCII case, as Pacemaker compares */
    if (member)
        wait_for_unfencing(ev, paths, m);
    m->history_wanted = member || m->is_local;
}

/* stonith_admin answers from memory; a busy fencer may take a while. */
#define HISTORY_TIMEOUT_MS 10000


/* The fencers share their history with a node that joins some seconds
 * after the membership alerts (seen: not yet there 0.3 s after them, there
 * 5 s later): read once the event's own row is recorded, after this wait. */
#define HISTORY_SETTLE_S 10

void member_facts_read_history(struct member_facts *m)
{
    struct error err;
    sleep(HISTORY_SETTLE_S);
    m->history_read = pcmk_history_read(HISTORY_TIMEOUT_MS, &m->history, &err) == 0;
    if (!m->history_read)
        snprintf(m->history_error, sizeof m->history_error, "%s", err.msg);
}

