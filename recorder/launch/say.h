/* The first stage's one message, to syslog (kept apart: <syslog.h>
 * defines LOG_INFO and its kin as macros, which record_types.h's levels
 * would clash with). */
#ifndef FR_LAUNCH_SAY_H
#define FR_LAUNCH_SAY_H

void say_cannot_start(const char *path, int error);

#endif
