#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "strbuf.h"

void command_line_text(char *const argv[], char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; argv[i] && used < size; i++) {
        int n = snprintf(out + used, size - used, "%s%s", i ? " " : "", argv[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* In the child: never returns. Reports an exec failure's errno on
 * status_fd (close-on-exec, so a successful exec says nothing). stdin is
 * in_fd, or /dev/null when in_fd is -1. */
static void exec_child(char *const argv[], int in_fd, int out_fd, int err_fd, int status_fd)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    setpgid(0, 0);
    int null_fd = in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
        dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
        _exit(127);
    execvp(argv[0], argv);
    int e = errno;
    if (write(status_fd, &e, sizeof e) != (ssize_t)sizeof e)
        _exit(127);
    _exit(127);
}

static void close_pair(int p[2])
{
    if (p[0] >= 0) close(p[0]);
    if (p[1] >= 0) close(p[1]);
}

/* Reads what is available from fd into sb, up to limit bytes kept;
 * more sets *overflow, or is dropped silently when overflow is NULL.
 * Returns false at end of file. */
static bool drain(int fd, struct strbuf *sb, size_t limit, bool *overflow)
{
    char buf[8192];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    if (n == 0)
        return false;
    size_t room = limit > sb->len ? limit - sb->len : 0;
    if ((size_t)n > room && overflow)
        *overflow = true;
    strbuf_add(sb, buf, (size_t)n < room ? (size_t)n : room);
    return true;
}

/* What is left to write to the program's stdin (in_fd -1: nothing). */
struct feed {
    int in_fd;
    const char *data;
    size_t left;
};

/* Writes what the pipe takes; closes it when all is written or the
 * program stopped reading (EPIPE: its output says what it made of it). */
static void feed_more(struct feed *f)
{
    ssize_t n = write(f->in_fd, f->data, f->left);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n > 0) {
        f->data += n;
        f->left -= (size_t)n;
    }
    if (n < 0 || f->left == 0) {
        close(f->in_fd);
        f->in_fd = -1;
    }
}

/* Collects stdout and stderr (feeding stdin) until both close or the
 * deadline passes. */
static void collect(struct feed *in, int out_fd, int err_fd, int64_t deadline, size_t max_out,
                    struct strbuf *out, struct strbuf *errs, bool *overflow, bool *timed_out)
{
    bool out_open = true, err_open = true;
    while (out_open || err_open) {
        int64_t left = deadline - monotonic_ms();
        if (left <= 0) {
            *timed_out = true;
            return;
        }
        struct pollfd fds[3] = { { .fd = out_open ? out_fd : -1, .events = POLLIN },
                                 { .fd = err_open ? err_fd : -1, .events = POLLIN },
                                 { .fd = in->in_fd, .events = POLLOUT } };
        int rc = poll(fds, 3, (int)left);
        if (rc < 0 && errno != EINTR)
            return;
        if (rc <= 0)
            continue;
        if (fds[0].revents && !drain(out_fd, out, max_out, overflow))
            out_open = false;
        if (fds[1].revents && !drain(err_fd, errs, 2047, NULL))
            err_open = false;
        if (fds[2].revents && in->in_fd >= 0)
            feed_more(in);
        if (*overflow)
            return;
    }
}

static int exec_error(int status_fd, char *const argv[], struct command_result *r, struct error *err)
{
    int e = 0;
    ssize_t n = read(status_fd, &e, sizeof e);
    if (n != (ssize_t)sizeof e)
        return 0;
    r->exec_failed = true;
    if (e == ENOENT)
        return errorf(err, "%s not found%s", argv[0], strchr(argv[0], '/') ? "" : " in PATH");
    return errorf(err, "cannot run %s: %s", argv[0], strerror(e));
}

int command_run(char *const argv[], int64_t timeout_ms, size_t max_out,
                struct command_result *r, struct error *err)
{
    return command_run_input(argv, NULL, 0, timeout_ms, max_out, r, err);
}

int command_run_input(char *const argv[], const char *input, size_t input_len,
                      int64_t timeout_ms, size_t max_out, struct command_result *r,
                      struct error *err)
{
    memset(r, 0, sizeof *r);
    r->exit_status = -1;
    int out_p[2] = { -1, -1 }, err_p[2] = { -1, -1 }, st_p[2] = { -1, -1 }, in_p[2] = { -1, -1 };
    if (pipe2(out_p, O_CLOEXEC) || pipe2(err_p, O_CLOEXEC) || pipe2(st_p, O_CLOEXEC) ||
        (input && pipe2(in_p, O_CLOEXEC | O_NONBLOCK))) {
        errorf_errno(err, "cannot create pipes for %s", argv[0]);
        close_pair(out_p); close_pair(err_p); close_pair(st_p); close_pair(in_p);
        return -1;
    }
    /* The child's end blocks as stdin ordinarily does. */
    if (input && fcntl(in_p[0], F_SETFL, 0) != 0) {
        errorf_errno(err, "cannot set up stdin for %s", argv[0]);
        close_pair(out_p); close_pair(err_p); close_pair(st_p); close_pair(in_p);
        return -1;
    }
    int64_t deadline = monotonic_ms() + timeout_ms;
    pid_t pid = fork();
    if (pid < 0) {
        errorf_errno(err, "cannot fork for %s", argv[0]);
        close_pair(out_p); close_pair(err_p); close_pair(st_p); close_pair(in_p);
        return -1;
    }
    if (pid == 0)
        exec_child(argv, in_p[0], out_p[1], err_p[1], st_p[1]);
    close(out_p[1]); close(err_p[1]); close(st_p[1]);
    if (in_p[0] >= 0)
        close(in_p[0]);
    struct feed in = { .in_fd = in_p[1], .data = input, .left = input_len };
    if (in.in_fd >= 0 && in.left == 0) {
        close(in.in_fd);
        in.in_fd = -1;
    }
    struct strbuf out = STRBUF_INIT, errs = STRBUF_INIT;
    bool overflow = false;
    collect(&in, out_p[0], err_p[0], deadline, max_out, &out, &errs, &overflow, &r->timed_out);
    if (in.in_fd >= 0)
        close(in.in_fd);
    if (r->timed_out || overflow)
        kill(-pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int rc = exec_error(st_p[0], argv, r, err);
    close(out_p[0]); close(err_p[0]); close(st_p[0]);
    snprintf(r->err, sizeof r->err, "%s", strbuf_str(&errs));
    strbuf_release(&errs);
    r->out = strbuf_detach(&out, &r->out_len);
    if (rc != 0)
        return -1;
    if (r->timed_out)
        return errorf(err, "%s did not finish within %lld ms", argv[0], (long long)timeout_ms);
    if (overflow)
        return errorf(err, "%s printed more than %zu bytes", argv[0], max_out);
    if (!r->out)
        return errorf(err, "out of memory reading %s", argv[0]);
    if (WIFEXITED(status))
        r->exit_status = WEXITSTATUS(status);
    return 0;
}

void command_result_free(struct command_result *r)
{
    free(r->out);
    r->out = NULL;
}
