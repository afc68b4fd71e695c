/* LD_PRELOAD shim for the benchmark: inotify_init1 fails as it does on a
 * kernel or file system without inotify, so the agent's poll-only path
 * (the NFS case) can be measured without changing the agent. */
#include <errno.h>

int inotify_init1(int flags);
int inotify_init1(int flags)
{
    (void)flags;
    errno = ENOSYS;
    return -1;
}
