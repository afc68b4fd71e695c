/* fencectl unfence NODE: clear the node's fenced state exactly as the
 * agent's `on` does (lib/unfence.c): each successful response file is
 * recorded, then removed. Asks first unless --yes. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "identity.h"
#include "names.h"
#include "respdir.h"
#include "unfence.h"

static const char usage_text[] = "Usage: fencectl unfence NODE [--yes]\n"
    "  Records and removes NODE's successful response files, so the storage\n"
    "  reconciler lets the node use its storage again.\n";

static int count_fencing(const struct response_file *f, void *arg)
{
    if (response_file_fences(f))
        ++*(int *)arg;
    return 0;
}

static bool confirmed(const char *node, int files)
{
    if (!isatty(STDIN_FILENO)) {
        fprintf(stderr, "fencectl unfence: not a terminal; confirm with --yes\n");
        return false;
    }
    fprintf(stderr, "Unfence %s: record and remove %d successful response file(s)? [y/N] ",
            node, files);
    char answer[16];
    return fgets(answer, sizeof answer, stdin) && (answer[0] == 'y' || answer[0] == 'Y');
}

int cmd_unfence(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = { { "yes", no_argument, NULL, 'y' },
                                              CLI_COMMON_LONGOPTS, { 0 } };
    bool yes = false;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "yf:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, c, optarg, usage_text);
        if (common < 0 || (!common && c != 'y')) {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        yes |= c == 'y';
    }
    if (optind + 1 != argc) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *node = argv[optind], *why;
    if (!node_name_valid(node, &why)) {
        fprintf(stderr, "fencectl unfence: invalid node name: %s\n", why);
        return EXIT_USAGE;
    }
    int files = 0;
    struct error err;
    if (response_dir_scan(cli->paths.response_dir, node, count_fencing, &files, &err) < 0) {
        fprintf(stderr, "fencectl unfence: %s\n", err.msg);
        return EXIT_FAILURE_RT;
    }
    if (files == 0) {
        printf("%s is not fenced: no successful response file in %s\n", node, cli->paths.response_dir);
        return EXIT_OK;
    }
    if (!yes && !confirmed(node, files))
        return EXIT_USAGE;
    struct recorder rec;
    struct identity id;
    cli_recorder_open(cli, &rec);
    identity_new_operation(&rec.op, &id, "on", node, "fencectl");
    bool ok = unfence_run(&rec, cli->paths.request_dir, cli->paths.response_dir, node);
    recorder_close(&rec);
    if (ok)
        printf("%s unfenced: %d response file(s) recorded and removed\n", node, files);
    return ok ? EXIT_OK : EXIT_FAILURE_RT;
}
