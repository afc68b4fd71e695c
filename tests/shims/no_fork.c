/* LD_PRELOAD shim: no new process can be made, as under a pids limit
 * (RLIMIT_NPROC does not bind root; a cgroup's pids.max does): fork()
 * and posix_spawn() fail with EAGAIN. */
#include <errno.h>
#include <spawn.h>
#include <sys/types.h>

pid_t fork(void);
pid_t fork(void)
{
    errno = EAGAIN;
    return -1;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    (void)pid, (void)path, (void)actions, (void)attr, (void)argv, (void)envp;
    return EAGAIN;
}
