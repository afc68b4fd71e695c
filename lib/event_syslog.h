/* Fence events to syslog (ident fence_recorder, facility daemon). Kept
 * apart from the recorder: <syslog.h> defines LOG_INFO, LOG_WARNING...
 * as macros, which would silently replace our own log levels. */
#ifndef FR_EVENT_SYSLOG_H
#define FR_EVENT_SYSLOG_H

#include <stdbool.h>

void event_syslog_open(void);
/* text is one readable-log line without its timestamp. */
void event_syslog(bool is_error, const char *text);
/* At LOG_CRIT: something an administrator must act on now. */
void event_syslog_critical(const char *text);

#endif
