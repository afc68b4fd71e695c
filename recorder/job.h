/* The recorder's job, read from the hand-off the agent wrote (handoff.h):
 * what to record and where, as the agent's options said. */
#ifndef FR_RECORDER_JOB_H
#define FR_RECORDER_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "discovery_config.h"
#include "error.h"
#include "handoff.h"
#include "record_types.h"

struct job {
    char kind;                    /* HANDOFF_FENCE or HANDOFF_UNFENCE */
    const char *action;
    const char *target;
    struct paths paths;
    int64_t fence_timeout_ms;
    int db_timeout_ms;
    bool syslog;
    enum verbosity verbosity;
    struct discovery_config discovery;
    struct operation op;          /* its strings point into the hand-off */
};

/* Reads a job: -1 with err unless it is this version's and every text
 * field ends inside its array. job's strings point into j. */
int job_parse(const struct handoff_job *j, struct job *job, struct error *err);
/* Maps the hand-off on fd and reads its job. -1 with err if it is not a
 * hand-off this recorder understands (another version's, cut short). */
int job_map(int fd, struct handoff **h, struct job *job, struct error *err);

#endif
