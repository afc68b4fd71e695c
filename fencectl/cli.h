/* What every fencectl command gets: the global options, and the one
 * output module that prints rows as a table, JSON or CSV. */
#ifndef FR_CLI_H
#define FR_CLI_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "error.h"

/* Exit codes, mapped from command results in main.c only. */
enum { EXIT_OK = 0, EXIT_FAILURE_RT = 1, EXIT_USAGE = 2, EXIT_NO_DATABASE = 3 };

enum format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV };

struct cli {
    struct paths paths;
    char main_log_buf[4096];
    enum format format;
    const char *argv0;
};

/* --format's value, accepted before or after the command name. Returns
 * 0, or -1 after printing why. */
int cli_set_format(struct cli *cli, const char *text);

/* Opens the database read-only; on failure prints why and returns the
 * exit code to use (EXIT_NO_DATABASE or EXIT_FAILURE_RT). */
int cli_open_read_only(const struct cli *cli, sqlite3 **db);

/* Rows: begin with the column names, one call per row (NULL values are
 * empty in table/CSV and null in JSON), end prints what table needs. */
struct output;
struct output *output_begin(const struct cli *cli, FILE *out, const char *const *columns, int n);
void output_row(struct output *o, const char *const *values);
int output_end(struct output *o);   /* 0, or -1 if writing failed */

/* Each command: argc/argv start at the command name. */
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);

#endif
