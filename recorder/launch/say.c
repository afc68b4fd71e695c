#include "say.h"

#include <string.h>
#include <syslog.h>

void say_cannot_start(const char *path, int error)
{
    openlog("fence_recorder", LOG_PID, LOG_DAEMON);
    syslog(LOG_ERR, "cannot start the recorder %s: %s; this fence goes unrecorded "
           "('fencectl check' names it, 'fencectl import --from-files' rebuilds it)", path,
           strerror(error));
}
