/* fencectl check: health for a monitoring system. One line per problem
 * on stdout and exit 1, or "OK" and exit 0. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "dirscan.h"
#include "files.h"
#include "schema.h"
#include "timeparse.h"

static const char usage_text[] = "Usage: fencectl check [--fence-timeout DUR]\n"
    "  Reports problems with the directories, the database, and requests\n"
    "  pending longer than the fence timeout (default 60s).\n";

struct checker {
    const struct cli *cli;
    int problems;
    time_t now;
    int64_t fence_timeout;
};

static void problem(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct checker *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("PROBLEM: ");
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    c->problems++;
}

static void check_dir(struct checker *c, const char *what, const char *dir, int mode)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        problem(c, "%s %s is missing or not a directory", what, dir);
    else if (access(dir, mode) != 0)
        problem(c, "%s %s is not accessible (permissions)", what, dir);
}

static void stale_request(const struct dir_entry *e, void *arg)
{
    struct checker *c = arg;
    char path[4096], age[32];
    if (c->now - e->mtime <= c->fence_timeout ||
        path_join(path, sizeof path, c->cli->paths.response_dir, e->name, NULL) != 0 ||
        access(path, F_OK) == 0)
        return;
    format_age(c->now - e->mtime, age, sizeof age);
    problem(c, "request %s unanswered for %s (is the storage reconciler running?)", e->name, age);
}

static void check_db(struct checker *c)
{
    sqlite3 *db;
    struct error err;
    if (db_open(c->cli->paths.db_path, DB_READ_ONLY, 5000, &db, &err) != DB_OPEN_OK) {
        problem(c, "database: %s", err.msg);
        return;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
        problem(c, "database %s: %s", c->cli->paths.db_path, sqlite3_errmsg(db));
    } else {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *r = (const char *)sqlite3_column_text(st, 0);
            if (r && strcmp(r, "ok") != 0)
                problem(c, "database %s integrity: %s", c->cli->paths.db_path, r);
        }
        sqlite3_finalize(st);
    }
    db_close(db);
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = { { "fence-timeout", required_argument, NULL, 't' },
                                              CLI_COMMON_LONGOPTS, { 0 } };
    struct checker c = { .cli = cli, .now = time(NULL), .fence_timeout = 60 };
    struct error err;
    int opt;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((opt = getopt_long(argc, argv, "t:f:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, opt, optarg, usage_text);
        if (common < 0 || (!common && opt != 't') ||
            (opt == 't' && parse_duration(optarg, &c.fence_timeout, &err) != 0)) {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
    }
    if (cli_no_operands(argc, argv, "check", usage_text) != 0)
        return EXIT_USAGE;
    check_dir(&c, "request directory", cli->paths.request_dir, W_OK | X_OK);
    check_dir(&c, "response directory", cli->paths.response_dir, R_OK | X_OK);
    check_dir(&c, "log directory", cli->paths.log_dir, W_OK | X_OK);
    check_db(&c);
    if (dir_scan(cli->paths.request_dir, false, stale_request, &c, &err) != 0 && c.problems == 0)
        problem(&c, "%s", err.msg);
    if (c.problems == 0)
        printf("OK: directories usable, database intact (schema %d), no request pending over %llds\n",
               schema_migration_count, (long long)c.fence_timeout);
    return c.problems ? EXIT_FAILURE_RT : EXIT_OK;
}
