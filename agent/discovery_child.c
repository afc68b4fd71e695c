/* The discovery child: forked after the request is written, it runs the
 * discovery methods, records them through its own database connection and
 * hands the result to the agent over a pipe. It is detached (own session,
 * stdio on /dev/null) so it never holds Pacemaker's output pipes open and
 * finishes its record even when the agent has already exited. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "discovery.h"
#include "eventlog.h"
#include "signals.h"

static void detach_stdio(void)
{
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        return;
    dup2(fd, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO)
        close(fd);
}

static void write_all_or_ignore(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n <= 0)
            return;   /* the agent is gone: it no longer needs the result */
        data += n;
        len -= (size_t)n;
    }
}

static void run_child(const struct agent_config *cfg, const struct recorder *parent, int write_fd)
{
    struct recorder rec;
    recorder_open(&rec, &parent->paths, cfg->db_timeout_ms, VERBOSITY_QUIET);
    rec.op = parent->op;
    recorder_adopt(&rec, parent->operation_id);

    struct strbuf result = STRBUF_INIT;
    discovery_run(&cfg->discovery, cfg->target, &rec, &result);
    const char *json = strbuf_failed(&result) ? "[\"" DISCOVERY_NONE "\"]" : strbuf_str(&result);
    write_all_or_ignore(write_fd, json, strlen(json));
    close(write_fd);

    snprintf(rec.op.filesystems, sizeof rec.op.filesystems, "%s", json);
    recorder_step_begin(&rec);
    rec_operation_filesystems(&rec, json);
    rec_event(&rec, "discovered", "Shared filesystems for %s: %s", cfg->target, json);
    recorder_step_end(&rec);
    recorder_close(&rec);
    strbuf_release(&result);
}

int discovery_spawn(const struct agent_config *cfg, struct recorder *rec,
                    int *read_fd, struct error *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return errorf_errno(err, "cannot create the discovery pipe");
    /* Forked twice so the worker is adopted by init and never lingers as
     * our zombie while we wait for the response. */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return errorf_errno(err, "cannot fork the discovery process");
    }
    if (pid == 0) {
        close(fds[0]);
        signals_reset_for_child();
        setsid();
        if (fork() != 0)
            _exit(0);
        detach_stdio();
        run_child(cfg, rec, fds[1]);
        _exit(0);
    }
    close(fds[1]);
    waitpid(pid, NULL, 0);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    *read_fd = fds[0];
    return 0;
}
