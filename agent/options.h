/* The agent's options: one table drives command-line parsing, stdin
 * parsing (Pacemaker's key=value lines), --help and the metadata, so the
 * four can never disagree. */
#ifndef FR_OPTIONS_H
#define FR_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "discovery_config.h"
#include "error.h"
#include "record_types.h"

enum opt_id {
    OPT_ACTION, OPT_PLUG, OPT_PORT, OPT_NODENAME, OPT_HOSTNAME,
    OPT_REQUEST_DIR, OPT_RESPONSE_DIR, OPT_LOG_DIR, OPT_DB,
    OPT_FENCE_TIMEOUT, OPT_POLL_INTERVAL, OPT_DB_TIMEOUT, OPT_DELAY,
    OPT_DISCOVERY, OPT_DISCOVERY_TIMEOUT, OPT_CRM_MON_PATH, OPT_CIBADMIN_PATH, OPT_SYSLOG,
    OPT_SEPARATOR, OPT_DEBUG_FILE, OPT_DEBUG, OPT_VERBOSE_LEVEL,
    /* fencing.py's standard options that mean nothing for storage fencing:
     * accepted (so a device configured like any other agent's works) and
     * ignored, as their descriptions and a debug line say. */
    OPT_POWER_TIMEOUT, OPT_POWER_WAIT, OPT_SHELL_TIMEOUT, OPT_LOGIN_TIMEOUT,
    OPT_DISABLE_TIMEOUT, OPT_STONITH_STATUS_SLEEP, OPT_RETRY_ON, OPT_PLUG_SEPARATOR,
    OPT_MISSING_AS_OFF,
    OPT_VERBOSE, OPT_QUIET, OPT_VERSION, OPT_HELP,
    OPT_COUNT
};

enum opt_type { TYPE_STRING, TYPE_SECOND, TYPE_INTEGER, TYPE_BOOLEAN };

struct option_spec {
    const char *name;        /* the metadata parameter and stdin key */
    const char *longopt;     /* command line, without "--"; NULL: stdin only */
    char shortopt;           /* 0: none */
    bool takes_value;        /* false: a flag */
    enum opt_type type;
    const char *value_hint;  /* for help and getopt mixed text */
    const char *default_text;
    const char *env;         /* environment variable, or NULL */
    bool required;
    const char *deprecated_for;  /* an old name: the parameter that replaces it */
    const char *shortdesc;
    bool ignored;            /* accepted for fencing.py compatibility, no effect */
};

extern const struct option_spec option_specs[OPT_COUNT];

enum action {
    ACT_OFF, ACT_REBOOT, ACT_ON, ACT_STATUS, ACT_MONITOR, ACT_LIST,
    ACT_LIST_STATUS, ACT_METADATA, ACT_MANPAGE, ACT_VALIDATE, ACT_UNKNOWN
};

/* Pacemaker's own attributes of the device, kept when they appear on
 * stdin (Pacemaker 2.1 strips pcmk_* before running the agent; an
 * administrator running validate-all by hand may give them). */
enum pcmk_key { PCMK_OFF_TIMEOUT, PCMK_REBOOT_TIMEOUT, PCMK_STONITH_TIMEOUT, PCMK_HOST_LIST,
                PCMK_KEY_COUNT };

/* Raw values as given, before defaults and validation. */
struct raw_options {
    const char *value[OPT_COUNT];
    const char *pcmk[PCMK_KEY_COUNT];
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
    const char *separator;        /* between the fields of list-status */
    const char *host_list;        /* pcmk_host_list when given on stdin, for list */
    const char *debug_file;       /* a copy of everything on stderr; NULL: none */
    enum verbosity verbosity;
    bool help, version;
};

/* Parse argv (argc > 1) or stdin (argc == 1, as Pacemaker calls agents).
 * Returns 0, or -1 with a message in err for input that cannot be used. */
int options_parse_argv(struct raw_options *raw, int argc, char **argv, struct error *err);
int options_parse_stream(struct raw_options *raw, FILE *in, struct error *err);
void raw_options_free(struct raw_options *raw);
/* A note for the record (or stderr): parsing and checking say what they
 * ignored or doubt; at most MAX_NOTES are kept. */
void raw_options_note(struct raw_options *raw, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Applies environment and defaults and validates. Notes (warnings about
 * ignored input) are left in raw for the caller to log. */
int options_resolve(struct raw_options *raw, struct agent_config *cfg, struct error *err);
/* After options_resolve refused an off or reboot: Pacemaker asked for a
 * fence all the same, and the record must say so. Fills cfg for recording
 * the refusal (the target escaped, "(none)" if missing); -1 if the action
 * is not a fence or the paths give nowhere to record. */
int options_resolve_refused(struct raw_options *raw, struct agent_config *cfg);

enum action action_from_name(const char *name);
bool action_needs_target(enum action a);

/* Notes (warnings) for monitor and validate-all when a Pacemaker timeout
 * known from the input is too short for the agent to record its own
 * timeout first (timeout_check.c). */
void timeout_race_notes(struct raw_options *raw, const struct agent_config *cfg);

void print_metadata(FILE *out);
void print_help(FILE *out);

#endif
