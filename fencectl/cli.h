/* What every fencectl command gets: the global options, and the one
 * output module that prints rows as a table, JSON or CSV. */
#ifndef FR_CLI_H
#define FR_CLI_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "cib_paths.h"
#include "config.h"
#include "error.h"
#include "record.h"

/* Exit codes, mapped from command results in main.c only. */
enum { EXIT_OK = 0, EXIT_FAILURE_RT = 1, EXIT_USAGE = 2, EXIT_NO_DATABASE = 3 };

enum format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV };

#define MAX_DATABASES 16

struct cli {
    struct paths paths;          /* paths.db_path: the first database */
    const char *db_paths[MAX_DATABASES];
    int db_count;
    char main_log_buf[4096];
    enum format format;
    const char *argv0;
    int db_timeout_ms;           /* waits for the write lock (FENCE_RECORDER_DB_TIMEOUT) */
    bool verbose;                /* -v: say where the paths came from */
    bool log_dir_given;          /* --log-dir or $LOG_DIR: the logs of the --db given */
    struct cib_paths cib;        /* paths taken from the CIB, and which source gave them */
};

/* --format's value, accepted before or after the command name. Returns
 * 0, or -1 after printing why. */
int cli_set_format(struct cli *cli, const char *text);

/* Opens the database read-only; on failure prints why and returns the
 * exit code to use (EXIT_NO_DATABASE or EXIT_FAILURE_RT). With several
 * --db, they are attached and their tables queried as one (temp views
 * over UNION ALL): for reading rows across recorders, not by row id. */
int cli_open_read_only(const struct cli *cli, sqlite3 **db);
/* The record for a command that changes something (unfence, respond):
 * like the agent's, events also to syslog unless FENCE_RECORDER_SYSLOG
 * says false. */
void cli_recorder_open(const struct cli *cli, struct recorder *rec);
/* Whether db's jsonl lines are in cli's log directory, to be compared
 * with it: yes when --log-dir or $LOG_DIR names it, or when db holds
 * operations recorded on this node; a database only other nodes recorded
 * (read from elsewhere with --db) has its logs there. When not, why is
 * said in why. */
bool cli_logs_are_the_databases(const struct cli *cli, sqlite3 *db, char *why, size_t len);
/* The database given as the index-th --db, alone. */
int cli_open_one_read_only(const struct cli *cli, int index, sqlite3 **db);

/* Rows: begin with the column names, one call per row (NULL values are
 * empty in table/CSV and null in JSON), end prints what table needs. */
struct output;
struct output *output_begin(const struct cli *cli, FILE *out, const char *const *columns, int n);
/* JSON output only: one letter per column, 's' string (the default),
 * 'n' number, 'a' a JSON array held as text; a value that is not what
 * its column promises stays a string. Table and CSV are unchanged. */
void output_kinds(struct output *o, const char *kinds);
void output_row(struct output *o, const char *const *values);
/* Table only: column shows at most max characters (display columns; a
 * UTF-8 sequence is one), a longer cell cut with "…" in the last. */
void output_column_max(struct output *o, int column, size_t max);
/* Table only: no line longer than width display columns; the last column
 * gets what the others leave and is cut to it. */
void output_fit_width(struct output *o, size_t width);
int output_end(struct output *o);   /* 0, or -1 if writing failed */

/* Handles the options every command takes (--format, --help); returns 1
 * if c was one of them, 0 if not, -1 on a bad value. */
int cli_common_option(struct cli *cli, int c, const char *arg, const char *usage);
/* After a command's getopt loop: an operand it does not take is a usage
 * error (printed with usage), not something to ignore. 0 if none. */
int cli_no_operands(int argc, char **argv, const char *command, const char *usage);
#define CLI_COMMON_LONGOPTS { "format", required_argument, NULL, 'f' }, \
                            { "help", no_argument, NULL, 'h' }

/* An operation's duration in ms as SQL: the monotonic duration_ms when
 * recorded, else finished_at - started_at unless the wall clock was
 * stepped back (then NULL: a negative duration is never shown). */
#define SQL_OPERATION_MS                                                             \
    "coalesce(duration_ms, CASE WHEN julianday(finished_at) >= julianday(started_at) " \
    "THEN CAST(round((julianday(finished_at) - julianday(started_at)) * 86400000) AS INTEGER) END)"

/* Each command: argc/argv start at the command name. */
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);
int cmd_orphans(struct cli *cli, int argc, char **argv);
int cmd_fenced(struct cli *cli, int argc, char **argv);
int cmd_unfence(struct cli *cli, int argc, char **argv);
int cmd_respond(struct cli *cli, int argc, char **argv);
int cmd_prune(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
/* import --from-files (import_files.c): operations rebuilt from the files of
 * this node's fences that are older_than seconds and not in the database. */
int import_from_files(struct cli *cli, time_t older_than);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);
int cmd_metrics(struct cli *cli, int argc, char **argv);

#endif
