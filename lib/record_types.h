/* What the agent and the recorder both say about an operation, without
 * the database: log levels, verbosity, the operation's identity, and the
 * agent's stderr lines (log_level.c). The recorder's writing side is
 * record.h. */
#ifndef FR_RECORD_TYPES_H
#define FR_RECORD_TYPES_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERROR, LOG_CRITICAL };

/* What goes to stderr: nothing (quiet), warnings and up (normal), or
 * everything (verbose). Pacemaker copies the agent's stderr into its log. */
enum verbosity { VERBOSITY_QUIET = -1, VERBOSITY_NORMAL = 0, VERBOSITY_DEBUG = 1 };

struct operation {
    char op_uuid[37];
    const char *action;
    const char *target_node;
    const char *recorder_node;
    const char *requested_by;
    char request_id[37];      /* empty when the action writes no request */
    long agent_pid;           /* the agent's process (0: this process) */
    char filesystems[4096];   /* JSON array text */
};

/* "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL". */
const char *log_level_name(enum log_level level);
/* A log line on stderr as the agent shows it (Pacemaker copies the agent's
 * stderr into its log): warnings and errors, everything when verbose. */
void record_to_stderr(enum verbosity verbosity, enum log_level level, const char *msg);

#endif
