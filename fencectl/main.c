/* fencectl: the administrator's tool over the fence record. Global
 * options, then a command from the table below; each command lives in
 * cmd_<name>.c, the helpers they share in cli.c. Exit codes are decided
 * here and in the commands' return values only. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cib_devices.h"
#include "cli.h"
#include "config.h"
#include "db.h"
#include "strbuf.h"

struct command {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    { "history", cmd_history, "operations, newest first (--node, --action, --status, --since, --until, --limit)" },
    { "show", cmd_show, "one operation's whole timeline, by request id or a unique prefix" },
    { "stats", cmd_stats, "per node and overall: outcomes, success rate, latency p50/p95/max" },
    { "orphans", cmd_orphans, "unanswered requests, responses without a request, unfinished operations" },
    { "fenced", cmd_fenced, "nodes fenced now (a successful response file), since when, by which request" },
    { "unfence", cmd_unfence, "clear a node's fenced state as the agent's 'on' does (asks unless --yes)" },
    { "respond", cmd_respond, "write a response by hand when the storage reconciler is down" },
    { "prune", cmd_prune, "remove stale request files (recorded first) and optionally old rows" },
    { "export", cmd_export, "regenerate the jsonl, readable or main log from the database" },
    { "import", cmd_import, "load a fence-events-detailed.jsonl into the database, idempotently" },
    { "check", cmd_check, "health for monitoring: directories, database, stale requests" },
    { "audit", cmd_audit, "storage state, cluster membership, Pacemaker's history and the record reconciled" },
    { "metrics", cmd_metrics, "Prometheus text format for node_exporter's textfile collector (--output FILE)" },
};

static void usage(FILE *out)
{
    fputs("Usage: fencectl [global options] COMMAND [options]\n\nCommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nGlobal options:\n"
          "  --db PATH            database [$" ENV_DB_PATH " or " DEFAULT_DB_PATH "];\n"
          "                       repeat it to read copies from several recorders as one\n"
          "  --request-dir DIR    [$" ENV_REQUEST_DIR " or " DEFAULT_REQUEST_DIR "]\n"
          "  --response-dir DIR   [$" ENV_RESPONSE_DIR " or " DEFAULT_RESPONSE_DIR "]\n"
          "  --log-dir DIR        [$" ENV_LOG_DIR " or " DEFAULT_LOG_DIR "]\n"
          "  --format FMT         table, json or csv (default table)\n"
          "  -v, --verbose        say where the paths came from (one line on stderr)\n"
          "  Paths given neither as options nor in the environment are taken from the\n"
          "  fence_recorder devices in the CIB (cibadmin --query) when this is a cluster\n"
          "  node and the devices agree, else the defaults.\n"
          "  -h, --help           this text; 'fencectl COMMAND --help' for a command\n"
          "  -V, --version\n"
          "\nExit codes: 0 success, 1 runtime failure, 2 usage error, 3 database missing or incompatible\n",
          out);
}

#define CIB_TIMEOUT_MS 3000

static void warn_disagreement(void *ctx, const char *text)
{
    (void)ctx;
    fprintf(stderr, "fencectl: %s\n", text);
}

int main(int argc, char **argv)
{
    struct cli cli = { .argv0 = argv[0], .format = FORMAT_TABLE,
                       .db_timeout_ms = DB_DEFAULT_BUSY_TIMEOUT_MS };
    signal(SIGXFSZ, SIG_IGN);   /* a file size limit: an error message, not a kill */
    enum { O_DB = 256, O_REQ, O_RESP, O_LOG, O_FORMAT };
    static const struct option longopts[] = {
        { "db", required_argument, NULL, O_DB },
        { "request-dir", required_argument, NULL, O_REQ },
        { "response-dir", required_argument, NULL, O_RESP },
        { "log-dir", required_argument, NULL, O_LOG },
        { "format", required_argument, NULL, O_FORMAT },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "verbose", no_argument, NULL, 'v' },
        { 0 },
    };
    int c;
    /* '+': stop at the command name; its options are its own. */
    while ((c = getopt_long(argc, argv, "+hVv", longopts, NULL)) != -1) {
        switch (c) {
        case O_DB:
            if (cli.db_count == MAX_DATABASES) {
                fprintf(stderr, "fencectl: at most %d --db\n", MAX_DATABASES);
                return EXIT_USAGE;
            }
            cli.db_paths[cli.db_count++] = optarg;
            cli.paths.db_path = cli.db_paths[0];
            break;
        case O_REQ: cli.paths.request_dir = optarg; break;
        case O_RESP: cli.paths.response_dir = optarg; break;
        case O_LOG: cli.paths.log_dir = optarg; cli.log_dir_given = true; break;
        case O_FORMAT:
            if (cli_set_format(&cli, optarg) != 0)
                return EXIT_USAGE;
            break;
        case 'h': usage(stdout); return EXIT_OK;
        case 'V': printf("fencectl %s\n", FR_VERSION); return EXIT_OK;
        case 'v': cli.verbose = true; break;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    paths_from_cib(&cli.paths, CIB_TIMEOUT_MS, &cli.cib, warn_disagreement, NULL);
    if (cli.verbose)
        fprintf(stderr, "fencectl: %s\n", cli.cib.source);
    paths_resolve(&cli.paths, cli.main_log_buf, sizeof cli.main_log_buf);
    if (!db_timeout_from_env(&cli.db_timeout_ms))
        fprintf(stderr, "fencectl: ignoring %s='%s': not whole seconds from 0 to %d; "
                "using %d s\n", ENV_DB_TIMEOUT, getenv(ENV_DB_TIMEOUT), DB_TIMEOUT_MAX_S,
                cli.db_timeout_ms / 1000);
    if (cli.db_count == 0)
        cli.db_paths[cli.db_count++] = cli.paths.db_path;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[optind], commands[i].name) == 0)
            return commands[i].run(&cli, argc - optind, argv + optind);
    fprintf(stderr, "fencectl: unknown command '%s'; see 'fencectl --help'\n", argv[optind]);
    return EXIT_USAGE;
}
