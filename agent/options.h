/* The agent's options: one table drives command-line parsing, stdin
 * parsing (Pacemaker's key=value lines), --help and the metadata, so the
 * four can never disagree. */
#ifndef FR_OPTIONS_H
#define FR_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "discovery.h"
#include "record.h"

enum opt_id {
    OPT_ACTION, OPT_PLUG, OPT_PORT, OPT_NODENAME, OPT_HOSTNAME,
    OPT_REQUEST_DIR, OPT_RESPONSE_DIR, OPT_LOG_DIR, OPT_DB,
    OPT_FENCE_TIMEOUT, OPT_POLL_INTERVAL, OPT_DB_TIMEOUT, OPT_DELAY,
    OPT_DISCOVERY, OPT_DISCOVERY_TIMEOUT, OPT_CRM_MON_PATH, OPT_CIBADMIN_PATH, OPT_SYSLOG,
    OPT_VERBOSE, OPT_QUIET, OPT_VERSION, OPT_HELP,
    OPT_COUNT
};

enum opt_type { TYPE_STRING, TYPE_SECOND, TYPE_INTEGER, TYPE_BOOLEAN };

struct option_spec {
    const char *name;        /* the metadata parameter and stdin key */
    const char *longopt;     /* command line, without "--" */
    char shortopt;           /* 0: none */
    bool takes_value;        /* false: a flag */
    enum opt_type type;
    const char *value_hint;  /* for help and getopt mixed text */
    const char *default_text;
    const char *env;         /* environment variable, or NULL */
    bool required;
    const char *deprecated_for;  /* an old name: the parameter that replaces it */
    const char *shortdesc;
};

extern const struct option_spec option_specs[OPT_COUNT];

enum action {
    ACT_OFF, ACT_REBOOT, ACT_ON, ACT_STATUS, ACT_MONITOR, ACT_LIST,
    ACT_LIST_STATUS, ACT_METADATA, ACT_VALIDATE, ACT_UNKNOWN
};

/* Raw values as given, before defaults and validation. */
struct raw_options {
    const char *value[OPT_COUNT];
    int verbose_count;
    char *storage;            /* owns the strings of stdin input */
#define MAX_NOTES 32
    int note_count;
    struct { enum log_level level; char text[256]; } notes[MAX_NOTES];
};

/* Everything an action needs, typed and validated. */
struct agent_config {
    enum action action;
    const char *action_name;
    const char *target;           /* NULL when none was given */
    struct paths paths;
    int64_t fence_timeout_ms;
    int64_t poll_interval_ms;
    int64_t delay_ms;
    int db_timeout_ms;
    struct discovery_config discovery;
    bool syslog;                  /* fence events also to syslog */
    enum verbosity verbosity;
    bool help, version;
};

/* Parse argv (argc > 1) or stdin (argc == 1, as Pacemaker calls agents).
 * Returns 0, or -1 with a message in err for input that cannot be used. */
int options_parse_argv(struct raw_options *raw, int argc, char **argv, struct error *err);
int options_parse_stream(struct raw_options *raw, FILE *in, struct error *err);
void raw_options_free(struct raw_options *raw);

/* Applies environment and defaults and validates. Notes (warnings about
 * ignored input) are left in raw for the caller to log. */
int options_resolve(struct raw_options *raw, struct agent_config *cfg, struct error *err);

enum action action_from_name(const char *name);
bool action_needs_target(enum action a);

void print_metadata(FILE *out);
void print_help(FILE *out);

#endif
