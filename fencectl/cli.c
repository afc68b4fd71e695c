/* The helpers every command shares (cli.h): opening the databases,
 * --format and --help, operands. Apart from main.c, which calls the
 * commands, so the commands need not call back into it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "identity.h"
#include "config.h"
#include "db.h"
#include "db_file.h"
#include "strbuf.h"

int cli_open_one_read_only(const struct cli *cli, int index, sqlite3 **db)
{
    struct error err;
    enum db_open_status st = db_open(cli->db_paths[index], DB_READ_ONLY, 5000, db, &err);
    if (st == DB_OPEN_OK)
        return EXIT_OK;
    fprintf(stderr, "fencectl: %s\n", err.msg);
    if (st == DB_OPEN_MISSING)
        fprintf(stderr, "fencectl: no fence has been recorded there yet, or --db names the wrong file\n");
    return st == DB_OPEN_FAILED || st == DB_OPEN_BUSY ? EXIT_FAILURE_RT : EXIT_NO_DATABASE;
}

/* Which of the --db files can be read: a missing one (a node that never
 * recorded a fence) is named and left out, the others are read; any other
 * failure stops, as with one --db. Returns how many, or -exit code. */
static int usable_databases(const struct cli *cli, int usable[MAX_DATABASES])
{
    int n = 0, missing_rc = EXIT_OK;
    for (int i = 0; i < cli->db_count; i++) {
        sqlite3 *db = NULL;
        struct error err;
        enum db_open_status st = db_open(cli->db_paths[i], DB_READ_ONLY, 5000, &db, &err);
        if (st == DB_OPEN_OK) {
            db_close(db);
            usable[n++] = i;
        } else if (st == DB_OPEN_MISSING) {
            fprintf(stderr, "fencectl: %s; reading the other databases without it\n", err.msg);
            missing_rc = EXIT_NO_DATABASE;
        } else {
            fprintf(stderr, "fencectl: %s\n", err.msg);
            return st == DB_OPEN_FAILED || st == DB_OPEN_BUSY ? -EXIT_FAILURE_RT : -EXIT_NO_DATABASE;
        }
    }
    if (n == 0)
        fprintf(stderr, "fencectl: none of the %d databases exists\n", cli->db_count);
    return n ? n : -missing_rc;
}

/* Each database is checked alone first (ours, schema known), then
 * attached. The schema names db0..dbN are ours, never user input. */
static int open_union(const struct cli *cli, sqlite3 **out)
{
    static const char *const tables[] = { "operations", "requests", "responses", "discoveries",
                                          "log_lines", "events", "outcome_counts",
                                          "duration_buckets", "cluster_states" };
    sqlite3 *db = NULL;
    int usable[MAX_DATABASES];
    int count = usable_databases(cli, usable);
    if (count <= 0)
        return -count;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
        goto failed;
    for (int i = 0; i < count; i++) {
        char schema[16];
        struct error err;
        snprintf(schema, sizeof schema, "db%d", i);
        /* Read-only by the rule of db_open: nothing created beside a copy. */
        if (db_file_attach_read_only(db, cli->db_paths[usable[i]], schema, &err) != 0) {
            fprintf(stderr, "fencectl: %s\n", err.msg);
            db_close(db);
            return EXIT_FAILURE_RT;
        }
    }
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        struct strbuf view = STRBUF_INIT;
        strbuf_addf(&view, "CREATE TEMP VIEW %s AS ", tables[t]);
        for (int i = 0; i < count; i++)
            strbuf_addf(&view, "%sSELECT * FROM db%d.%s", i ? " UNION ALL " : "", i, tables[t]);
        int rc = sqlite3_exec(db, strbuf_str(&view), NULL, NULL, NULL);
        strbuf_release(&view);
        if (rc != SQLITE_OK)
            goto failed;
    }
    *out = db;
    return EXIT_OK;
failed:
    fprintf(stderr, "fencectl: cannot combine the databases: %s\n", db ? sqlite3_errmsg(db) : "out of memory");
    db_close(db);
    return EXIT_FAILURE_RT;
}

int cli_open_read_only(const struct cli *cli, sqlite3 **db)
{
    if (cli->db_count > 1)
        return open_union(cli, db);
    return cli_open_one_read_only(cli, 0, db);
}

bool cli_logs_are_the_databases(const struct cli *cli, sqlite3 *db, char *why, size_t len)
{
    const char *env = getenv(ENV_LOG_DIR);
    if (cli->log_dir_given || (env && env[0]))
        return true;
    char host[256];
    if (!identity_host_name(host, sizeof host))
        return true;
    sqlite3_stmt *st;
    bool ours = true;
    if (sqlite3_prepare_v2(db, "SELECT (SELECT recorder_node FROM operations LIMIT 1), "
                           "EXISTS (SELECT 1 FROM operations WHERE recorder_node = ?1)",
                           -1, &st, NULL) != SQLITE_OK)
        return true;
    sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
        !sqlite3_column_int(st, 1)) {
        ours = false;
        snprintf(why, len, "its operations were recorded on %s, not on %s: its logs are %s's; "
                 "give --log-dir to compare them", (const char *)sqlite3_column_text(st, 0),
                 host, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return ours;
}

int cli_set_format(struct cli *cli, const char *text)
{
    if (strcmp(text, "table") == 0) cli->format = FORMAT_TABLE;
    else if (strcmp(text, "json") == 0) cli->format = FORMAT_JSON;
    else if (strcmp(text, "csv") == 0) cli->format = FORMAT_CSV;
    else {
        fprintf(stderr, "fencectl: unknown format '%s' (table, json or csv)\n", text);
        return -1;
    }
    return 0;
}

void cli_recorder_open(const struct cli *cli, struct recorder *rec)
{
    recorder_open(rec, &cli->paths, cli->db_timeout_ms, VERBOSITY_NORMAL);
    if (syslog_wanted())
        recorder_enable_syslog(rec);
}

int cli_common_option(struct cli *cli, int c, const char *arg, const char *usage)
{
    if (c == 'f')
        return cli_set_format(cli, arg) == 0 ? 1 : -1;
    if (c == 'h') {
        fputs(usage, stdout);
        exit(EXIT_OK);
    }
    return 0;
}

int cli_no_operands(int argc, char **argv, const char *command, const char *usage)
{
    if (optind >= argc)
        return 0;
    fprintf(stderr, "fencectl %s: unexpected argument '%s'\n%s", command, argv[optind], usage);
    return -1;
}
