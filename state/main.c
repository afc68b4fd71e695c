/* fence-recorder-cluster-state TARGET < crm_mon.xml
 *
 * Prints the fence target's state as Pacemaker saw it (cluster_state.h)
 * as one JSON object on stdout. The agent's companion runs it after
 * discovery with crm_mon's output on stdin, under a time and output bound
 * of its own; it is not a command for people and never named fence_*
 * (cluster tools run every fence_* as an agent).
 *
 * Exit: 0 the object was printed; 1 the input was not crm_mon's XML, too
 * large, or unreadable (the reason on stderr); 2 usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "cluster_state.h"

/* All of stdin, refusing more than CLUSTER_STATE_MAX_INPUT bytes. */
static int read_input(char **data, size_t *len, struct error *err)
{
    size_t cap = 65536, used = 0;
    char *buf = malloc(cap);
    if (!buf)
        return errorf(err, "out of memory reading stdin");
    for (;;) {
        if (used == cap) {
            if (cap > CLUSTER_STATE_MAX_INPUT) {
                free(buf);
                return errorf(err, "input larger than %d bytes refused", CLUSTER_STATE_MAX_INPUT);
            }
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return errorf(err, "out of memory reading stdin");
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = read(STDIN_FILENO, buf + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(buf);
            return errorf_errno(err, "cannot read stdin");
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    if (used > CLUSTER_STATE_MAX_INPUT) {
        free(buf);
        return errorf(err, "input of %zu bytes refused (more than %d)", used,
                      CLUSTER_STATE_MAX_INPUT);
    }
    *data = buf;
    *len = used;
    return 0;
}

static int usage(FILE *to)
{
    fprintf(to, "Usage: fence-recorder-cluster-state TARGET < crm_mon.xml\n"
                "  Prints TARGET's state from `crm_mon --output-as=xml` as one JSON object.\n");
    return to == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return usage(stdout);
    if (argc != 2 || argv[1][0] == '-')
        return usage(stderr);
    struct error err;
    char *xml = NULL, *text = NULL;
    size_t len = 0;
    cJSON *state = NULL;
    int rc = 1;
    if (read_input(&xml, &len, &err) == 0 &&
        cluster_state_parse(xml, len, argv[1], &state, &err) == 0 &&
        cluster_state_render(state, &text, &err) == 0) {
        rc = printf("%s\n", text) < 0 || fflush(stdout) != 0 ? 1 : 0;
        if (rc)
            snprintf(err.msg, sizeof err.msg, "cannot write stdout");
    }
    if (rc)
        fprintf(stderr, "fence-recorder-cluster-state: %s\n", err.msg);
    free(text);
    cJSON_Delete(state);
    free(xml);
    xmlCleanupParser();
    return rc;
}
