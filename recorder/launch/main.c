/* fr-recorder, the recorder's first stage: what the agent spawns (in a
 * session of its own, before its request is published). A small static
 * program, so that starting it costs the agent no more than a fork would:
 * it holds the hand-off's descriptors until the fence no longer needs the
 * CPU, then becomes the full recorder (fr-recorder-write: SQLite, libxml2)
 * by exec, keeping its pid, session and descriptors.
 *
 * It execs at once for an unfence (the agent waits for it) and with
 * discovery on (the agent waits for the cluster's state, read before the
 * request goes out). Otherwise it waits until the agent is gone and its
 * parent (Pacemaker's fencer) has taken its exit, or FIRST_STAGE_WAIT_MS
 * pass: a fence answered at once is then recorded after the fencer has its
 * result, and the loading of the full recorder never competes with the
 * fence or with the fencer's handling of its result. Messages wait in the
 * pipe meanwhile.
 *
 * Links libc only, and of lib/ the hand-off's layout (handoff.h), the
 * reading of what asked for the fence (requester.c) and the clock
 * (clock.c). */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "handoff.h"
#include "requester.h"
#include "say.h"

#define FULL_RECORDER "fr-recorder-write"
#define ENV_FULL_RECORDER "FENCE_RECORDER_RECORDER_WRITE"
/* As the full recorder's grace for an answer (record_fence.h). */
#define FIRST_STAGE_WAIT_MS 500

/* Reads one field of the job the agent wrote before the spawn. */
static int read_field(void *out, size_t size, size_t offset)
{
    ssize_t n;
    while ((n = pread(HANDOFF_FD, out, size, (off_t)offset)) < 0 && errno == EINTR)
        ;
    return n == (ssize_t)size ? 0 : -1;
}

static int needed_at_once(void)
{
    uint32_t magic;
    char kind;
    bool discovery;
    if (read_field(&magic, sizeof magic, offsetof(struct handoff, job.magic)) != 0 ||
        magic != HANDOFF_MAGIC ||
        read_field(&kind, sizeof kind, offsetof(struct handoff, job.kind)) != 0 ||
        read_field(&discovery, sizeof discovery, offsetof(struct handoff, job.discovery)) != 0)
        return 1;   /* let the full recorder say what is wrong */
    return kind != HANDOFF_FENCE || discovery;
}

/* The agent as a pidfd, or -1: no pidfds here, or the agent is gone
 * already (a child is given another parent when its parent exits, so
 * while getppid() is still the agent the pidfd is the agent's, not a
 * reused pid's). */
static int open_agent(void)
{
    long pid;
    if (read_field(&pid, sizeof pid, offsetof(struct handoff, job.agent_pid)) != 0 || pid <= 0)
        return -1;
    int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
    if (fd >= 0 && getppid() != (pid_t)pid) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Polls fd for events (POLLHUP is reported unasked) until one comes or
 * the monotonic clock reaches until_ms; false then. */
static bool wait_on(int fd, short events, int64_t until_ms)
{
    struct pollfd p = { .fd = fd, .events = events };
    for (;;) {
        int64_t left = until_ms - monotonic_ms();
        int n = poll(&p, 1, left > 0 ? (int)left : 0);
        if (n > 0)
            return true;
        if (n == 0 || errno != EINTR)
            return false;
    }
}

/* The agent reaped: its pidfd reports POLLHUP (a kernel that does not wake
 * pidfd pollers at the reaping reports it at REAP_WAIT_MS, so the wait for
 * it is short). Without a pidfd: the agent's end of the pipe closed. The
 * agent's exit is waited for FIRST_STAGE_WAIT_MS at most. */
#define REAP_WAIT_MS 20

static void wait_for_the_agent(int agent)
{
    int64_t until = monotonic_ms() + FIRST_STAGE_WAIT_MS;
    if (agent < 0) {
        wait_on(HANDOFF_PIPE_FD, 0, until);
        return;
    }
    if (!wait_on(agent, POLLIN, until))
        return;   /* still fencing: the full recorder records meanwhile */
    wait_on(agent, 0, monotonic_ms() + REAP_WAIT_MS);
}

/* The full recorder: beside this program, or FENCE_RECORDER_RECORDER_WRITE
 * (the tests' wrapper). */
static void full_recorder_path(char *out, size_t size)
{
    const char *env = getenv(ENV_FULL_RECORDER);
    if (env && env[0]) {
        snprintf(out, size, "%s", env);
        return;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        snprintf(out, size, "%s/%s", FR_LIBEXECDIR, FULL_RECORDER);
        return;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    snprintf(out, size, "%s/%s", slash ? self : ".", FULL_RECORDER);
}

/* What asked for the fence, read now, while the agent (and so its
 * parent) surely still runs; the full recorder finds it in the hand-off. */
static void read_requester(void)
{
    long pid;
    struct requester who;
    if (read_field(&pid, sizeof pid, offsetof(struct handoff, requester_pid)) != 0 || pid <= 0)
        return;
    requester_read(pid, &who);
    ssize_t n;
    while ((n = pwrite(HANDOFF_FD, &who, sizeof who, offsetof(struct handoff, requester))) < 0 &&
           errno == EINTR)
        ;
}

int main(void)
{
    bool waits = !needed_at_once();
    int agent = waits ? open_agent() : -1;
    read_requester();
    if (waits)
        wait_for_the_agent(agent);
    if (agent >= 0)
        close(agent);
    char path[PATH_MAX + 32];
    full_recorder_path(path, sizeof path);
    char *argv[] = { (char *)FULL_RECORDER, NULL };
    execv(path, argv);
    /* No record is possible: said where it is seen (stdio is /dev/null).
     * The fence's files remain: fencectl check names them, fencectl
     * import --from-files rebuilds the record. */
    say_cannot_start(path, errno);
    return 1;
}
