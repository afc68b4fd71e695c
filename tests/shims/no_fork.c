/* LD_PRELOAD shim: fork() fails with EAGAIN, as under a pids limit
 * (RLIMIT_NPROC does not bind root; a cgroup's pids.max does). */
#include <errno.h>
#include <sys/types.h>

pid_t fork(void);
pid_t fork(void)
{
    errno = EAGAIN;
    return -1;
}
