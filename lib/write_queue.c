#include "write_queue.h"

#include "record_group.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"

/* flock() has no timeout: an alarm at the deadline interrupts it. The
 * alarm repeats every RETRY_US after that, because one that fired just
 * before flock() was entered would leave it blocked for good. */
#define RETRY_US 100000

static void interrupt_only(int sig)
{
    (void)sig;
}

static bool alarm_blocked(void)
{
    sigset_t current;
    return sigprocmask(SIG_BLOCK, NULL, &current) != 0 || sigismember(&current, SIGALRM) == 1;
}

static int open_queue_file(const char *db_path, bool existing_only)
{
    if (!db_path || !db_path[0])   /* a temporary or in-memory database */
        return -1;
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s%s", db_path, WRITE_QUEUE_SUFFIX);
    if (n < 0 || (size_t)n >= sizeof path)
        return -1;
    if (existing_only)   /* flock() needs no write access */
        return open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, record_file_mode());
    record_file_share(fd);
    return fd;
}

/* Blocks in flock() until the lock is ours or deadline_ms passes. */
static enum queue_result lock_until(int fd, int64_t deadline_ms)
{
    struct sigaction on_alarm = { .sa_handler = interrupt_only }, saved_action;
    sigemptyset(&on_alarm.sa_mask);   /* no SA_RESTART: flock() must return EINTR */
    int64_t left_ms = deadline_ms - monotonic_ms();
    if (left_ms < 1)
        left_ms = 1;
    struct itimerval tick = { .it_interval = { 0, RETRY_US },
                              .it_value = { left_ms / 1000, (left_ms % 1000) * 1000 } };
    struct itimerval saved_timer, off = { { 0, 0 }, { 0, 0 } };
    if (sigaction(SIGALRM, &on_alarm, &saved_action) != 0)
        return QUEUE_UNAVAILABLE;
    if (setitimer(ITIMER_REAL, &tick, &saved_timer) != 0) {
        sigaction(SIGALRM, &saved_action, NULL);
        return QUEUE_UNAVAILABLE;
    }
    enum queue_result result = QUEUE_UNAVAILABLE;
    for (;;) {
        if (flock(fd, LOCK_EX) == 0) {
            result = QUEUE_AT_FRONT;
            break;
        }
        if (errno != EINTR)
            break;
        if (monotonic_ms() >= deadline_ms) {
            result = QUEUE_TIMED_OUT;
            break;
        }
    }
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &saved_action, NULL);
    setitimer(ITIMER_REAL, &saved_timer, NULL);
    return result;
}

enum queue_result write_queue_enter(struct write_queue *q, int64_t deadline_ms)
{
    if (q->at_front)   /* a second flock() of the file would wait for ourselves */
        return QUEUE_AT_FRONT;
    /* A caller that blocks SIGALRM could never be woken at its deadline. */
    if (q->fd < 0 && !alarm_blocked())
        q->fd = open_queue_file(q->db_path, q->existing_only);
    enum queue_result r = q->fd < 0 ? QUEUE_UNAVAILABLE : lock_until(q->fd, deadline_ms);
    q->at_front = r == QUEUE_AT_FRONT;
    return r;
}

void write_queue_leave(struct write_queue *q)
{
    if (q->fd >= 0)
        close(q->fd);   /* releases the flock */
    q->fd = -1;
    q->at_front = false;
}
