/* fr-recorder, the recorder's first stage: what the agent spawns (in a
 * session of its own, before its request is published). A small static
 * program, so that starting it costs the agent no more than a fork would:
 * it holds the hand-off's descriptors until the fence no longer needs the
 * CPU, then becomes the full recorder (fr-recorder-write: SQLite, libxml2)
 * by exec, keeping its pid, session and descriptors.
 *
 * It execs at once for an unfence (the agent waits for it) and with
 * discovery on (the agent waits for the cluster's state, read before the
 * request goes out). Otherwise it waits until the agent is gone (its pipe
 * hangs up) or RECORDER_GRACE_MS pass: a fence answered at once is then
 * recorded after the agent's exit, and the loading of the full recorder
 * never competes with the fence. Messages wait in the pipe meanwhile.
 *
 * Links libc only, and of lib/ the hand-off's layout (handoff.h) and the
 * reading of what asked for the fence (requester.c). */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Until the agent's end of the pipe is closed (POLLHUP is reported with
 * no event asked for; the messages stay unread) or the wait is over. */
static void wait_for_the_agent(void)
{
    struct pollfd p = { .fd = HANDOFF_PIPE_FD, .events = 0 };
    while (poll(&p, 1, FIRST_STAGE_WAIT_MS) < 0 && errno == EINTR)
        ;
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
    read_requester();
    if (!needed_at_once())
        wait_for_the_agent();
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
