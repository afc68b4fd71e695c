/* Log levels by name, and the agent's lines on stderr as fencing.py shows them. */
#include <stdbool.h>
#include <stdio.h>

#include "record_types.h"

static const char *const level_names[] = { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL" };

const char *log_level_name(enum log_level level)
{
    return level_names[level];
}

/* As fencing.py does: warnings and errors by default, everything with -v.
 * Pacemaker copies each stderr line into its log as a warning. */
void record_to_stderr(enum verbosity verbosity, enum log_level level, const char *msg)
{
    bool show = verbosity == VERBOSITY_DEBUG ||
                (verbosity == VERBOSITY_NORMAL && level >= LOG_WARNING);
    if (show)
        fprintf(stderr, "fence_recorder: %s: %s\n", level_names[level], msg);
}
