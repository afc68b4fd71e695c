/* The cluster's two views for the audit, each one bounded command: the
 * membership from crm_mon and the fence history from stonith_admin. The
 * same runner as the agent's discovery (lib/command.c): no shell, own
 * process group, killed at the deadline, output size bounded. */
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "audit.h"

#define CLUSTER_XML_MAX (8u << 20)

typedef int (*xml_parser)(const char *xml, size_t len, void *out, struct error *err);

static int run_and_parse(char *const argv[], int timeout_ms, xml_parser parser, void *out,
                         struct error *err)
{
    struct command_result r;
    char line[256];
    command_line_text(argv, line, sizeof line);
    if (command_run(argv, timeout_ms, CLUSTER_XML_MAX, &r, err) != 0) {
        command_result_free(&r);
        return -1;
    }
    int rc = parser(r.out, r.out_len, out, err);
    if (rc != 0 && r.exit_status != 0) {
        /* Not running: the tools say so on stderr; keep its first line. */
        char *nl = strchr(r.err, '\n');
        if (nl)
            *nl = '\0';
        errorf(err, "%s exited %d%s%s", line, r.exit_status, r.err[0] ? ": " : "", r.err);
    }
    command_result_free(&r);
    return rc;
}

static int parse_membership(const char *xml, size_t len, void *out, struct error *err)
{
    return membership_parse(xml, len, out, err);
}

static int parse_history(const char *xml, size_t len, void *out, struct error *err)
{
    return pcmk_history_parse(xml, len, out, err);
}

int audit_membership(int timeout_ms, struct membership *m, struct error *err)
{
    m->v = NULL;
    m->n = 0;
    char *argv[] = { "crm_mon", "--one-shot", "--output-as=xml", "--exclude=all", "--include=summary,nodes", NULL };
    return run_and_parse(argv, timeout_ms, parse_membership, m, err);
}

/* --verbose: without it Pacemaker 2.1 leaves events out of the list. */
int audit_pacemaker_history(int timeout_ms, struct pcmk_history *h, struct error *err)
{
    h->v = NULL;
    h->n = 0;
    char *argv[] = { "stonith_admin", "--history", "*", "--verbose", "--output-as=xml", NULL };
    return run_and_parse(argv, timeout_ms, parse_history, h, err);
}
