/* The agent's side of the hand-off: start the companion, hand it notes and
 * messages, and leave. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "companion.h"
#include "crash_point.h"
#include "signals.h"

static void detach_stdio(void)
{
    int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return;
    dup2(fd, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO)
        close(fd);
}

static int compare_fds(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Nothing of the agent's but the pipes and its inotify instance: an
 * inherited pipe of Pacemaker's would keep it waiting for an end of file. */
static void close_other_fds(int keep_a, int keep_b, int keep_c)
{
    int keep[3] = { keep_a, keep_b, keep_c };
    qsort(keep, 3, sizeof keep[0], compare_fds);
    unsigned from = STDERR_FILENO + 1;
    for (int i = 0; i < 3; i++) {
        if (keep[i] < (int)from)
            continue;
        if ((unsigned)keep[i] > from)
            close_range(from, (unsigned)keep[i] - 1, 0);
        from = (unsigned)keep[i] + 1;
    }
    close_range(from, ~0U, 0);
}

static _Noreturn void become_companion(struct companion *c, int read_fd, int write_fd,
                                       int ready_fd)
{
    /* First its own session: Pacemaker kills the agent's process group. */
    setsid();
    /* Told apart from agents in ps and top (its command line stays). */
    prctl(PR_SET_NAME, "fr-companion");
    close(write_fd);
    close_other_fds(read_fd, c->watch_fd, ready_fd);
    signals_reset_for_child();
    signal(SIGPIPE, SIG_IGN);
    detach_stdio();
    companion_record(c->cfg, &c->op, c->h, read_fd, c->watch_fd, ready_fd);
    _exit(0);
}

/* With discovery on, the agent waits for the companion's look at the
 * cluster before it publishes its request: a pipe the companion writes
 * one byte to (or closes by dying). */
static void open_ready_pipe(struct companion *c, int ready[2])
{
    ready[0] = ready[1] = -1;
    if (c->cfg->discovery.enabled && pipe2(ready, O_CLOEXEC) != 0)
        ready[0] = ready[1] = -1;   /* then the request does not wait */
}

void companion_await_snapshot(struct companion *c, int signal_fd)
{
    if (c->ready_fd < 0)
        return;
    struct pollfd pfd[2] = { { .fd = c->ready_fd, .events = POLLIN },
                             { .fd = signal_fd, .events = POLLIN } };
    int64_t until = monotonic_ms() + COMPANION_SNAPSHOT_WAIT_MS;
    for (int64_t left; (left = until - monotonic_ms()) > 0;) {
        int n = poll(pfd, signal_fd >= 0 ? 2 : 1, (int)left);
        if (n != 0 && !(n < 0 && errno == EINTR))
            break;   /* taken, the companion gone, a signal, or poll failed */
    }
    close(c->ready_fd);
    c->ready_fd = -1;
}

int companion_start(struct companion *c, const struct agent_config *cfg,
                    const struct operation *op, int watch_fd, struct error *err)
{
    c->cfg = cfg;
    c->watch_fd = watch_fd;
    c->op = *op;
    c->op.agent_pid = (long)getpid();
    c->verbosity = cfg->verbosity;
    c->fd = c->ready_fd = -1;
    /* Lazily backed: the 1 MiB response area costs nothing until a
     * response is copied into it. */
    c->h = mmap(NULL, sizeof *c->h, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (c->h == MAP_FAILED) {
        c->h = NULL;
        return errorf_errno(err, "cannot map memory for the companion");
    }
    c->h->requester_pid = (long)getppid();
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return errorf_errno(err, "cannot create the companion's pipe");
    int ready[2];
    open_ready_pipe(c, ready);
    /* Writing to a companion that died must not kill the agent. */
    signal(SIGPIPE, SIG_IGN);
    pid_t pid = fork();
    if (pid == 0) {
        if (ready[0] >= 0)
            close(ready[0]);
        become_companion(c, p[0], p[1], ready[1]);
    }
    if (ready[1] >= 0)
        close(ready[1]);
    close(p[0]);
    if (pid < 0) {
        /* Never recorded here instead: a locked database or a hung log
         * disk would then stand between the answer and the exit. The
         * fence's own files hold what the record needs. */
        errorf_errno(err, "cannot fork the companion that records this fence; the fence goes "
                     "on unrecorded ('fencectl check' names it, 'fencectl import --from-files' "
                     "rebuilds it from its request and response files)");
        if (ready[0] >= 0)
            close(ready[0]);
        close(p[1]);
        return -1;
    }
    c->fd = p[1];
    c->ready_fd = ready[0];
    test_note_companion((long)pid);
    return 0;
}

void companion_post(struct companion *c, enum handoff_message m)
{
    char byte = (char)m;
    while (c->fd >= 0 && write(c->fd, &byte, 1) < 0 && errno == EINTR)
        ;
}

void companion_vnote(struct companion *c, enum log_level level, const char *fmt, va_list ap)
{
    char text[sizeof c->h->notes[0].text];
    vsnprintf(text, sizeof text, fmt, ap);
    record_to_stderr(c->verbosity, level, text);
    if (!c->h || c->h->note_count >= HANDOFF_NOTES)
        return;
    struct handoff_note *n = &c->h->notes[c->h->note_count];
    stamp_now_utc(&n->at);
    n->level = level;
    memcpy(n->text, text, sizeof text);
    c->h->note_count++;
    companion_post(c, HANDOFF_NOTE);
}

void companion_note(struct companion *c, enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    companion_vnote(c, level, fmt, ap);
    va_end(ap);
}

void companion_finish(struct companion *c, int exit_code)
{
    if (!c->h)
        return;
    c->h->exit_code = exit_code;
    /* One write for both: each wake-up of the companion can cost the
     * agent a context switch on a busy node. */
    char last[2] = { HANDOFF_ANSWER, HANDOFF_EXIT };
    if (c->fd >= 0 && write(c->fd, c->answered ? last : last + 1, c->answered ? 2 : 1) < 0) {
        /* the companion is gone: nothing is left to tell */
    }
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}
