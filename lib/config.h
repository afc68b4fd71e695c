/* Where things live, shared by the agent and fencectl so both find the
 * same directories and database. Precedence: an explicit option beats
 * the environment, which beats the built-in default. */
#ifndef FR_CONFIG_H
#define FR_CONFIG_H

#include <stdbool.h>

#define DEFAULT_REQUEST_DIR  "/localdisk/fence-recorder/requests"
#define DEFAULT_RESPONSE_DIR "/localdisk/fence-recorder/responses"
#define DEFAULT_LOG_DIR      "/var/log/fence-recorder"
#define DEFAULT_DB_PATH      "/var/lib/fence-recorder/fence-recorder.db"

/* The environment variables; the first two are the ones nnf-sos reads. */
#define ENV_REQUEST_DIR  "NNF_FENCE_REQUEST_DIR"
#define ENV_RESPONSE_DIR "NNF_FENCE_RESPONSE_DIR"
#define ENV_LOG_DIR      "LOG_DIR"
#define ENV_FENCE_LOG    "FENCE_LOG"
#define ENV_DB_PATH      "FENCE_RECORDER_DB"
#define ENV_DB_TIMEOUT   "FENCE_RECORDER_DB_TIMEOUT"

#define LOG_FILE_MAIN     "fence-events.log"
#define LOG_FILE_READABLE "fence-events-readable.log"
#define LOG_FILE_JSONL    "fence-events-detailed.jsonl"

/* Modes, chosen on purpose (see README, "File modes"). */
#define MODE_REQUEST_DIR 0755   /* as nnf-sos creates it */
#define MODE_REQUEST     0644   /* nnf-sos may run as another user */
#define MODE_LOG_DIR     0755
#define MODE_LOG         0640
#define MODE_DB_DIR      0700
#define MODE_DB          0600
/* Where the group haclient exists (a cluster node): alerts, run as
 * hacluster, write the record too (record_group.h). */
#define MODE_DB_DIR_SHARED 02770
#define MODE_DB_SHARED     0660

#define RESPONSE_MAX_BYTES (1024 * 1024)

struct paths {
    const char *request_dir;
    const char *response_dir;
    const char *log_dir;
    const char *db_path;
    const char *main_log;   /* FENCE_LOG, else <log_dir>/fence-events.log */
};

/* Fills the fields still NULL from the environment, then the defaults.
 * The strings point into the environment or static storage, except
 * main_log, which is built in the caller-provided buffer. */
void paths_resolve(struct paths *p, char *main_log_buf, unsigned buf_size);

/* fencing.py's booleans: "1", "yes", "on", "true" and their opposites, any case. */
bool parse_bool(const char *text, bool *out);

/* For tools other than the agent (whose syslog parameter wins): events go
 * to syslog unless FENCE_RECORDER_SYSLOG says false. */
#define ENV_SYSLOG "FENCE_RECORDER_SYSLOG"
bool syslog_wanted(void);

/* A decimal number, the whole text; integer_only refuses fractions. */
bool parse_number(const char *text, bool integer_only, double *out);

/* For tools other than the agent, read as the agent reads it:
 * FENCE_RECORDER_DB_TIMEOUT, whole seconds from 0 to DB_TIMEOUT_MAX_S,
 * into *ms. Unset leaves *ms alone; set but invalid also does, and
 * returns false so the caller can say so. */
#define DB_TIMEOUT_MAX_S 3600
bool db_timeout_from_env(int *ms);

#endif
