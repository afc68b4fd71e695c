/* fencectl fenced: the nodes fenced now. For nnf-sos a successful
 * response file IS the fenced state, so this reads the directory. */
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "clock.h"
#include "respdir.h"

static const char usage_text[] = "Usage: fencectl fenced [--node N] [--format table|json|csv]\n";

struct fenced_scan {
    struct output *o;
    int unreadable;
};

static int list_one(const struct response_file *f, void *arg)
{
    struct fenced_scan *s = arg;
    if (f->read != READ_OK || f->verdict != RESPONSE_VALID) {
        fprintf(stderr, "fencectl fenced: cannot tell from %s: %s\n", f->path, f->problem.msg);
        s->unreadable++;
        return 0;
    }
    if (!response_file_fences(f))
        return 0;
    char since[32] = "";   /* from the read's own fstat; "" if absurd */
    utc_format(f->mtime, "%Y-%m-%dT%H:%M:%SZ", since, sizeof since);
    const char *v[] = { f->node, since, f->request_id, f->parsed.message, f->file_name };
    output_row(s->o, v);
    return 0;
}

int cmd_fenced(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = { { "node", required_argument, NULL, 'n' },
                                              CLI_COMMON_LONGOPTS, { 0 } };
    const char *node = NULL;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "n:f:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, c, optarg, usage_text);
        if (common < 0)
            return EXIT_USAGE;
        if (common)
            continue;
        if (c != 'n') {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        node = optarg;
    }
    if (cli_no_operands(argc, argv, "fenced", usage_text) != 0)
        return EXIT_USAGE;
    static const char *const columns[] = { "node", "since", "request_id", "message", "file" };
    struct fenced_scan s = { .o = output_begin(cli, stdout, columns, 5) };
    struct error err;
    int rc = response_dir_scan(cli->paths.response_dir, node, list_one, &s, &err);
    if (output_end(s.o) != 0 || rc < 0) {
        if (rc < 0)
            fprintf(stderr, "fencectl fenced: %s\n", err.msg);
        return EXIT_FAILURE_RT;
    }
    return s.unreadable ? EXIT_FAILURE_RT : EXIT_OK;
}
