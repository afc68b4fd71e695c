/* The companion: a detached process forked once the request is recorded.
 * It runs filesystem discovery (so discovery never delays the fence), and
 * it outlives the agent: Pacemaker ends an agent that runs past its
 * timeout with SIGKILL, which the agent cannot record itself, so the
 * companion records it when the agent's pipe closes without "done".
 *
 * It is detached (own session, stdio on /dev/null) so it never holds
 * Pacemaker's output pipes open, and it uses its own database
 * connection (SQLite connections must not cross fork()). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "config.h"
#include "files.h"
#include "names.h"
#include "discovery.h"
#include "signals.h"

#define DONE_BYTE 'd'

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

static void discover(const struct agent_config *cfg, struct recorder *rec, int result_fd)
{
    struct strbuf result = STRBUF_INIT;
    discovery_run(&cfg->discovery, cfg->target, rec, &result);
    const char *json = strbuf_failed(&result) ? "[\"" DISCOVERY_NONE "\"]" : strbuf_str(&result);
    write_all_or_ignore(result_fd, json, strlen(json));
    close(result_fd);
    snprintf(rec->op.filesystems, sizeof rec->op.filesystems, "%s", json);
    recorder_step_begin(rec);
    rec_operation_filesystems(rec, json);
    rec_event(rec, "discovered", "Shared filesystems for %s: %s", cfg->target, json);
    recorder_step_end(rec);
    strbuf_release(&result);
}

/* Blocks until the agent exits; true if it said it finished. */
static bool agent_finished(int done_fd)
{
    bool done = false;
    char buf[16];
    ssize_t n;
    while ((n = read(done_fd, buf, sizeof buf)) != 0) {
        if (n < 0)
            continue;   /* EINTR */
        if (memchr(buf, DONE_BYTE, (size_t)n))
            done = true;
    }
    close(done_fd);
    return done;
}

/* The response may already be there: the agent was killed between
 * reading it and recording the outcome, or it arrived after the kill.
 * Either way it belongs in the record, next to what Pacemaker saw. */
struct late_response {
    char name[PROTOCOL_NAME_MAX + 1];
    char *body;
    size_t len;
    struct response parsed;
    bool valid;
};

static bool find_response(const struct agent_config *cfg, const struct recorder *rec,
                          struct late_response *lr)
{
    char path[4096];
    struct error err;
    memset(lr, 0, sizeof *lr);
    if (protocol_file_name(lr->name, sizeof lr->name, cfg->target, rec->op.request_id, &err) != 0 ||
        path_join(path, sizeof path, cfg->paths.response_dir, lr->name, &err) != 0 ||
        file_read_limited(path, RESPONSE_MAX_BYTES, &lr->body, &lr->len, &err) != READ_OK)
        return false;
    lr->valid = response_parse(lr->body, lr->len, rec->op.request_id, cfg->target,
                               &lr->parsed, &err) == RESPONSE_VALID;
    return true;
}

static void record_killed(const struct agent_config *cfg, struct recorder *rec)
{
    char why[1024];
    int n = snprintf(why, sizeof why, "the agent ended without recording an outcome: it was "
                     "killed (Pacemaker kills an agent with SIGKILL when the device's timeout "
                     "expires)");
    struct late_response lr;
    bool answered = find_response(cfg, rec, &lr);
    if (answered)
        snprintf(why + n, sizeof why - (size_t)n, "; the response %s had arrived (success: %s) "
                 "but Pacemaker saw the agent fail", lr.name,
                 !lr.valid ? "unreadable" : lr.parsed.success ? "true" : "false");
    recorder_step_begin(rec);
    if (rec_operation_abandon(rec, why)) {
        if (answered)
            rec_response(rec, lr.name, lr.body, lr.valid ? &lr.parsed : NULL, "companion");
        rec_log(rec, LOG_ERROR, "Fence action %s for %s: %s", cfg->action_name, cfg->target, why);
        rec_event(rec, "terminated", "Fence action %s failed: %s", cfg->action_name, why);
    }
    recorder_step_end(rec);
    response_free(&lr.parsed);
    free(lr.body);
}

static void run_companion(const struct agent_config *cfg, const struct recorder *agent_rec,
                          int result_fd, int done_fd)
{
    struct recorder rec;
    recorder_open(&rec, &agent_rec->paths, cfg->db_timeout_ms, VERBOSITY_QUIET);
    if (cfg->syslog)
        recorder_enable_syslog(&rec);
    rec.op = agent_rec->op;
    recorder_adopt(&rec, agent_rec->operation_id);
    if (cfg->discovery.enabled)
        discover(cfg, &rec, result_fd);
    else
        close(result_fd);
    recorder_release_db(&rec);   /* hold nothing open while waiting */
    if (agent_finished(done_fd))
        recorder_checkpoint(&rec);   /* deferred by the agent */
    else
        record_killed(cfg, &rec);
    recorder_close(&rec);
}

int companion_spawn(const struct agent_config *cfg, struct recorder *rec,
                    struct companion *c, struct error *err)
{
    int result[2], done[2];
    c->result_fd = c->done_fd = -1;
    if (pipe2(result, O_CLOEXEC) != 0)
        return errorf_errno(err, "cannot create the companion's pipe");
    if (pipe2(done, O_CLOEXEC) != 0) {
        close(result[0]);
        close(result[1]);
        return errorf_errno(err, "cannot create the companion's pipe");
    }
    /* Forked twice so the companion is adopted by init and never lingers
     * as our zombie while we wait for the response. */
    pid_t pid = fork();
    if (pid < 0) {
        errorf_errno(err, "cannot fork the companion process");
        close(result[0]); close(result[1]); close(done[0]); close(done[1]);
        return -1;
    }
    if (pid == 0) {
        close(result[0]);
        close(done[1]);
        signals_reset_for_child();
        /* Writing the result after the agent exited must not kill us. */
        signal(SIGPIPE, SIG_IGN);
        setsid();
        if (fork() != 0)
            _exit(0);
        detach_stdio();
        run_companion(cfg, rec, result[1], done[0]);
        _exit(0);
    }
    close(result[1]);
    close(done[0]);
    waitpid(pid, NULL, 0);
    fcntl(result[0], F_SETFL, O_NONBLOCK);
    c->result_fd = result[0];
    c->done_fd = done[1];
    return 0;
}

void companion_done(struct companion *c)
{
    if (c->done_fd < 0)
        return;
    char b = DONE_BYTE;
    if (write(c->done_fd, &b, 1) != 1) {
        /* The companion is gone; nothing is left to tell. */
    }
    close(c->done_fd);
    c->done_fd = -1;
}
