#include "event_syslog.h"

#include <syslog.h>

void event_syslog_open(void)
{
    openlog("fence_recorder", LOG_PID, LOG_DAEMON);
}

void event_syslog(bool is_error, const char *text)
{
    syslog(is_error ? LOG_ERR : LOG_NOTICE, "%s", text);
}

void event_syslog_critical(const char *text)
{
    syslog(LOG_CRIT, "%s", text);
}
