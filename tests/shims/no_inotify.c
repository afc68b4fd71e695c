/* LD_PRELOAD shim: inotify_init1 fails as it does once a user has used up
 * fs.inotify.max_user_instances (128 by default: a burst of fences does),
 * so the agent's fallback watch (dnotify) is tested and measured without
 * needing 129 agents. With no_dnotify.so too: the poll-only path of a file
 * system without either (NFS). */
#include <errno.h>

int inotify_init1(int flags);
int inotify_init1(int flags)
{
    (void)flags;
    errno = EMFILE;
    return -1;
}
