#include "signals.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "clock.h"

static void terminating_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
}

int signals_capture(struct error *err)
{
    sigset_t set;
    terminating_set(&set);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        return errorf_errno(err, "cannot block termination signals");
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        return errorf_errno(err, "cannot create signalfd");
    /* A discovery child that went away must not kill us with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    return fd;
}

int signals_read(int fd)
{
    struct signalfd_siginfo info;
    ssize_t n = read(fd, &info, sizeof info);
    return n == (ssize_t)sizeof info ? (int)info.ssi_signo : 0;
}

void signals_reset_for_child(void)
{
    sigset_t set;
    sigemptyset(&set);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigprocmask(SIG_SETMASK, &set, NULL);
}

int sleep_or_signal(int sigfd, int64_t ms)
{
    int64_t deadline = monotonic_ms() + ms;
    for (;;) {
        int64_t left = deadline - monotonic_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = { .fd = sigfd, .events = POLLIN };
        int rc = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (rc < 0 && errno != EINTR)
            return 0;
        if (rc > 0) {
            int sig = signals_read(sigfd);
            if (sig)
                return sig;
        }
    }
}
