#include "response_wait.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "files.h"
#include "signals.h"

/* dnotify's realtime signal, and SIGIO, which the kernel sends instead
 * when the realtime queue overflows (by default SIGIO would kill us). */
static void dnotify_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGRTMIN + 1);
    sigaddset(set, SIGIO);
}

static void dnotify_start(struct response_watch *w)
{
    sigset_t set;
    dnotify_signals(&set);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        return;
    int dir = open(w->response_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int sig = dir >= 0 ? signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC) : -1;
    if (sig < 0 || fcntl(dir, F_SETSIG, SIGRTMIN + 1) != 0 ||
        fcntl(dir, F_NOTIFY, DN_CREATE | DN_RENAME | DN_MODIFY | DN_MULTISHOT) != 0) {
        if (sig >= 0)
            close(sig);
        if (dir >= 0)
            close(dir);
        return;
    }
    w->dnotify_fd = sig;
    w->dir_fd = dir;
}

int response_watch_start(struct response_watch *w, const char *response_dir,
                         const char *file_name, struct error *err)
{
    memset(w, 0, sizeof *w);
    w->inotify_fd = w->dnotify_fd = w->dir_fd = -1;
    w->response_dir = response_dir;
    if (strlen(file_name) >= sizeof w->file_name)
        return errorf(err, "response file name too long");
    strcpy(w->file_name, file_name);
    if (path_join(w->path, sizeof w->path, response_dir, file_name, err) != 0)
        return -1;
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    /* IN_MOVED_TO: atomic writers (nnf-sos); IN_CLOSE_WRITE: in-place ones. */
    if (fd >= 0 && inotify_add_watch(fd, response_dir, IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE) >= 0) {
        w->inotify_fd = fd;
        return 0;
    }
    if (fd >= 0)
        close(fd);
    dnotify_start(w);
    return 0;   /* without either, polling alone still works */
}

void response_watch_stop(struct response_watch *w)
{
    if (w->inotify_fd >= 0)
        close(w->inotify_fd);
    if (w->dnotify_fd >= 0)
        close(w->dnotify_fd);
    if (w->dir_fd >= 0)
        close(w->dir_fd);
    w->inotify_fd = w->dnotify_fd = w->dir_fd = -1;
}

/* dnotify names no file: any change may be ours. */
static bool dnotify_saw_change(const struct response_watch *w)
{
    struct signalfd_siginfo info[16];
    bool any = false;
    while (read(w->dnotify_fd, info, sizeof info) > 0)
        any = true;
    return any;
}

/* Drains the inotify queue; true if any event named our file (or the
 * queue overflowed, when we cannot know). */
static bool inotify_saw_ours(const struct response_watch *w)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool ours = false;
    for (;;) {
        ssize_t n = read(w->inotify_fd, buf, sizeof buf);
        if (n <= 0)
            return ours;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if ((ev->mask & IN_Q_OVERFLOW) ||
                (ev->len && strcmp(ev->name, w->file_name) == 0))
                ours = true;
            p += sizeof *ev + ev->len;
        }
    }
}

/* One look at the response file. Returns true when the wait is over. */
static bool try_read(const struct response_watch *w, const struct wait_params *p,
                     struct wait_result *r)
{
    char *body;
    size_t len;
    struct error err;
    enum read_status rs = file_read_limited(w->path, RESPONSE_MAX_BYTES, &body, &len, &err);
    r->outcome = WAIT_TIMEOUT;   /* what it is if this stays the last look */
    if (rs == READ_MISSING)
        return false;
    r->reads++;
    if (rs == READ_REFUSED) {
        r->problem = err;
        r->outcome = WAIT_INVALID;
        return true;
    }
    if (rs == READ_NO_FDS) {
        /* EMFILE is this process's own limit, and nothing in the wait
         * closes a descriptor: no later read can succeed, so say so now
         * rather than run into a misleading timeout. ENFILE (the whole
         * system) may pass: retried, and reported as such at the end. */
        bool own_limit = errno == EMFILE;
        r->problem = err;
        r->outcome = WAIT_NO_FDS;
        return own_limit;
    }
    if (rs == READ_ERROR) {
        r->problem = err;    /* maybe transient (permissions being fixed) */
        return false;
    }
    response_free(&r->response);
    enum response_verdict v = response_parse(body, len, p->request_id, p->target_node,
                                             &r->response, &err);
    free(r->body);
    r->body = body;
    r->body_len = len;
    if (v == RESPONSE_INCOMPLETE) {
        r->problem = err;    /* an in-place writer may not be done */
        return false;
    }
    r->outcome = v == RESPONSE_VALID ? WAIT_ANSWERED : WAIT_INVALID;
    if (v == RESPONSE_INVALID)
        r->problem = err;
    return true;
}

void response_wait(struct response_watch *w, const struct wait_params *p,
                   struct wait_result *r)
{
    memset(r, 0, sizeof *r);
    if (try_read(w, p, r))
        return;
    /* Re-checks are due by time, not by an idle poll(): other agents'
     * files keep waking us on a busy directory. */
    int64_t next_check = monotonic_ms() + p->poll_interval_ms;
    for (;;) {
        int64_t now = monotonic_ms();
        if (now >= p->deadline_ms) {
            if (r->outcome != WAIT_NO_FDS)   /* the last read's own failure, if it was that */
                r->outcome = WAIT_TIMEOUT;
            return;
        }
        int64_t until = next_check < p->deadline_ms ? next_check : p->deadline_ms;
        struct pollfd fds[3] = {
            { .fd = p->signal_fd, .events = POLLIN },
            { .fd = w->inotify_fd, .events = POLLIN },
            { .fd = w->dnotify_fd, .events = POLLIN },
        };
        int rc = poll(fds, 3, until > now ? (int)(until - now) : 0);
        if (rc < 0 && errno != EINTR) {
            errorf_errno(&r->problem, "poll failed");
            usleep(10000);
        }
        if (rc > 0 && (fds[0].revents & POLLIN)) {
            r->signal = signals_read(p->signal_fd);
            if (r->signal) {
                r->outcome = WAIT_SIGNALLED;
                return;
            }
        }
        bool ours = rc > 0 && (((fds[1].revents & POLLIN) && inotify_saw_ours(w)) ||
                               ((fds[2].revents & POLLIN) && dnotify_saw_change(w)));
        if (ours || monotonic_ms() >= next_check) {
            next_check = monotonic_ms() + p->poll_interval_ms;
            if (try_read(w, p, r))
                return;
        }
    }
}

void wait_result_free(struct wait_result *r)
{
    free(r->body);
    r->body = NULL;
    response_free(&r->response);
}
