/* The agent's side of the hand-off: start the recorder, hand it notes and
 * messages, and leave. */
#include "recorder_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crash_point.h"

#ifndef FR_LIBEXECDIR
#define FR_LIBEXECDIR "/usr/lib/fence-recorder"
#endif

extern char **environ;

/* Descriptors handed over are first moved above this, so no source can be
 * one of the recorder's fixed slots (3 to 6) when the spawn dup2s them. */
#define SPAWN_FD_FLOOR 16

static const char *recorder_path(void)
{
    const char *p = getenv(ENV_RECORDER);
    return p && p[0] ? p : FR_LIBEXECDIR "/" RECORDER_PROGRAM;
}

static bool copy_text(char *dst, size_t size, const char *src)
{
    return (size_t)snprintf(dst, size, "%s", src ? src : "") < size;
}

/* The job: everything the recorder must know that the agent read. */
static int job_fill(struct handoff_job *j, char kind, const struct agent_config *cfg,
                    const struct operation *op, struct error *err)
{
    j->magic = HANDOFF_MAGIC;
    j->size = sizeof (struct handoff);
    j->kind = kind;
    j->fence_timeout_ms = cfg->fence_timeout_ms;
    j->db_timeout_ms = cfg->db_timeout_ms;
    j->syslog = cfg->syslog;
    j->verbosity = cfg->verbosity;
    j->discovery = cfg->discovery.enabled;
    j->discovery_timeout_ms = cfg->discovery.timeout_ms;
    j->agent_pid = (long)getpid();
    memcpy(j->op_uuid, op->op_uuid, sizeof j->op_uuid);
    memcpy(j->request_id, op->request_id, sizeof j->request_id);
    bool fits = copy_text(j->action, sizeof j->action, cfg->action_name) &&
                copy_text(j->target, sizeof j->target, cfg->target) &&
                copy_text(j->request_dir, sizeof j->request_dir, cfg->paths.request_dir) &&
                copy_text(j->response_dir, sizeof j->response_dir, cfg->paths.response_dir) &&
                copy_text(j->log_dir, sizeof j->log_dir, cfg->paths.log_dir) &&
                copy_text(j->db_path, sizeof j->db_path, cfg->paths.db_path) &&
                copy_text(j->main_log, sizeof j->main_log, cfg->paths.main_log) &&
                copy_text(j->crm_mon, sizeof j->crm_mon, cfg->discovery.crm_mon) &&
                copy_text(j->cibadmin, sizeof j->cibadmin, cfg->discovery.cibadmin) &&
                copy_text(j->recorder_node, sizeof j->recorder_node, op->recorder_node) &&
                copy_text(j->requested_by, sizeof j->requested_by, op->requested_by);
    return fits ? 0 : errorf(err, "an option is too long to hand to the recorder "
                             "(paths are limited to %d bytes)", HANDOFF_PATH_MAX - 1);
}

/* The hand-off area: a memfd, so the recorder maps the same pages after
 * its exec. Lazily backed: the 1 MiB response area costs nothing until a
 * response is copied into it. */
static int handoff_map(struct handoff **h, int *fd, struct error *err)
{
    *h = NULL;
    *fd = memfd_create("fr-handoff", MFD_CLOEXEC);
    if (*fd < 0)
        return errorf_errno(err, "cannot create the recorder's hand-off (memfd_create)");
    void *p = MAP_FAILED;
    if (ftruncate(*fd, sizeof **h) == 0)
        p = mmap(NULL, sizeof **h, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
    if (p == MAP_FAILED) {
        errorf_errno(err, "cannot size or map the recorder's hand-off");
        close(*fd);
        *fd = -1;
        return -1;
    }
    *h = p;
    return 0;
}

/* fd moved to SPAWN_FD_FLOOR or above (close-on-exec), the original closed. */
static int lift_fd(int fd)
{
    if (fd < 0 || fd >= SPAWN_FD_FLOOR)
        return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, SPAWN_FD_FLOOR);
    if (high >= 0)
        close(fd);
    return high;
}

struct spawn_fds {
    int handoff, pipe, ready, watch;   /* -1: that slot stays closed */
    bool keep_stderr;                  /* on: the recorder speaks on the agent's stderr */
};

static int add_slot(posix_spawn_file_actions_t *fa, int from, int slot)
{
    return from >= 0 ? posix_spawn_file_actions_adddup2(fa, from, slot)
                     : posix_spawn_file_actions_addclose(fa, slot);
}

static int file_actions(posix_spawn_file_actions_t *fa, const struct spawn_fds *f)
{
    int rc = posix_spawn_file_actions_init(fa);
    if (rc == 0)
        rc = add_slot(fa, f->handoff, HANDOFF_FD);
    if (rc == 0)
        rc = add_slot(fa, f->pipe, HANDOFF_PIPE_FD);
    if (rc == 0)
        rc = add_slot(fa, f->ready, HANDOFF_READY_FD);
    if (rc == 0)
        rc = add_slot(fa, f->watch, HANDOFF_WATCH_FD);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(fa, STDIN_FILENO, "/dev/null", O_RDWR, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(fa, STDIN_FILENO, STDOUT_FILENO);
    if (rc == 0 && !f->keep_stderr)
        rc = posix_spawn_file_actions_adddup2(fa, STDIN_FILENO, STDERR_FILENO);
    /* Nothing else of the agent's: an inherited pipe of Pacemaker's would
     * keep it waiting for an end of file. */
    if (rc == 0)
        rc = posix_spawn_file_actions_addclosefrom_np(fa, HANDOFF_WATCH_FD + 1);
    return rc;
}

/* Its own session, and no signal of the agent's blocked (the agent takes
 * its signals through a signalfd). */
static int spawn_attributes(posix_spawnattr_t *attr)
{
    sigset_t none;
    sigemptyset(&none);
    int rc = posix_spawnattr_init(attr);
    if (rc == 0)
        rc = posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK);
    if (rc == 0)
        rc = posix_spawnattr_setsigmask(attr, &none);
    return rc;
}

static int spawn(const struct spawn_fds *f, bool background, pid_t *pid, struct error *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    const char *path = recorder_path();
    char *argv[] = { (char *)RECORDER_PROGRAM, NULL };
    int rc = file_actions(&fa, f);
    if (rc == 0) {
        rc = spawn_attributes(&attr);
        if (rc == 0) {
            rc = posix_spawn(pid, path, &fa, &attr, argv, environ);
            posix_spawnattr_destroy(&attr);
        }
        posix_spawn_file_actions_destroy(&fa);
    }
    if (rc == 0) {
        /* A fence's recorder runs at a lower priority (as it keeps
         * itself): set here, its start (loading SQLite and libxml2) does
         * not take a CPU from the agent or the storage system's
         * responder either. Not through the spawn's scheduler attribute:
         * the agent waits for the child's exec, which must not wait. */
        if (background && setpriority(PRIO_PROCESS, (id_t)*pid, RECORDER_NICE) != 0) {
            /* the default priority still records */
        }
        return 0;
    }
    return errorf(err, "cannot start the recorder %s: %s%s", path, strerror(rc),
                  rc == ENOENT ? " (make install puts it in " FR_LIBEXECDIR ")" : "");
}

/* With discovery on, the agent waits for the recorder's look at the
 * cluster before it publishes its request: a pipe the recorder writes one
 * byte to (or closes by dying). */
static void open_ready_pipe(const struct agent_config *cfg, int ready[2])
{
    ready[0] = ready[1] = -1;
    if (cfg->discovery.enabled && pipe2(ready, O_CLOEXEC) != 0)
        ready[0] = ready[1] = -1;   /* then the request does not wait */
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

void recorder_await_snapshot(struct recorder_link *l, int signal_fd)
{
    if (l->ready_fd < 0)
        return;
    struct pollfd pfd[2] = { { .fd = l->ready_fd, .events = POLLIN },
                             { .fd = signal_fd, .events = POLLIN } };
    int64_t until = monotonic_ms() + RECORDER_SNAPSHOT_WAIT_MS;
    for (int64_t left; (left = until - monotonic_ms()) > 0;) {
        int n = poll(pfd, signal_fd >= 0 ? 2 : 1, (int)left);
        if (n != 0 && !(n < 0 && errno == EINTR))
            break;   /* taken, the recorder gone, a signal, or poll failed */
    }
    close_fd(&l->ready_fd);
}

static int spawn_failed(struct recorder_link *l, int fds[4], struct error *err)
{
    for (int i = 0; i < 4; i++)
        close_fd(&fds[i]);
    close_fd(&l->fd);
    close_fd(&l->ready_fd);
    /* Never recorded here instead: a locked database or a hung log disk
     * would then stand between the answer and the exit. The fence's own
     * files hold what the record needs. */
    char why[sizeof err->msg];
    snprintf(why, sizeof why, "%s", err->msg);
    return errorf(err, "%.600s; the fence goes on unrecorded ('fencectl check' names it, "
                  "'fencectl import --from-files' rebuilds it from its request and response "
                  "files)", why);
}

int recorder_spawn(struct recorder_link *l, const struct agent_config *cfg,
                   const struct operation *op, int watch_fd, struct error *err)
{
    l->cfg = cfg;
    l->verbosity = cfg->verbosity;
    l->fd = l->ready_fd = -1;
    int memfd, p[2] = { -1, -1 }, ready[2] = { -1, -1 };
    /* Theirs to read: after the spawn the recorder's pipe end and the
     * ready pipe's write end are the recorder's alone. */
    int theirs[4] = { -1, -1, -1, -1 };
    if (handoff_map(&l->h, &memfd, err) != 0)
        return spawn_failed(l, theirs, err);
    theirs[0] = memfd;
    if (job_fill(&l->h->job, HANDOFF_FENCE, cfg, op, err) != 0)
        return spawn_failed(l, theirs, err);
    l->h->requester_pid = (long)getppid();
    if (pipe2(p, O_CLOEXEC) != 0) {
        errorf_errno(err, "cannot create the recorder's pipe");
        return spawn_failed(l, theirs, err);
    }
    l->fd = p[1];
    theirs[1] = p[0];
    open_ready_pipe(cfg, ready);
    l->ready_fd = ready[0];
    theirs[2] = ready[1];
    /* Writing to a recorder that died must not kill the agent. */
    signal(SIGPIPE, SIG_IGN);
    /* The agent keeps its own inotify descriptor: the recorder gets a copy. */
    theirs[3] = watch_fd >= 0 ? fcntl(watch_fd, F_DUPFD_CLOEXEC, SPAWN_FD_FLOOR) : -1;
    struct spawn_fds f = { .handoff = lift_fd(theirs[0]), .pipe = lift_fd(theirs[1]),
                           .ready = lift_fd(theirs[2]), .watch = theirs[3] };
    theirs[0] = f.handoff;
    theirs[1] = f.pipe;
    theirs[2] = f.ready;
    if (f.handoff < 0 || f.pipe < 0 || (ready[1] >= 0 && f.ready < 0) ||
        (watch_fd >= 0 && f.watch < 0)) {
        errorf_errno(err, "cannot prepare the recorder's descriptors");
        return spawn_failed(l, theirs, err);
    }
    if (spawn(&f, true, &l->pid, err) != 0)
        return spawn_failed(l, theirs, err);
    for (int i = 0; i < 4; i++)
        close_fd(&theirs[i]);
    test_note_recorder((long)l->pid);
    return 0;
}

static int wait_exit(pid_t pid, struct error *err)
{
    int status;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    if (r < 0)
        return errorf_errno(err, "cannot wait for the recorder");
    if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return errorf(err, "the recorder was killed by signal %d", WTERMSIG(status));
    return errorf(err, "the recorder exited with status %d", WEXITSTATUS(status));
}

int recorder_unfence(const struct agent_config *cfg, const struct operation *op,
                     struct error *err)
{
    struct handoff *h;
    int memfd;
    if (handoff_map(&h, &memfd, err) != 0)
        return -1;
    int rc = job_fill(&h->job, HANDOFF_UNFENCE, cfg, op, err);
    h->requester_pid = (long)getppid();
    struct spawn_fds f = { .handoff = lift_fd(memfd), .pipe = -1, .ready = -1, .watch = -1,
                           .keep_stderr = true };
    pid_t pid;
    if (rc == 0 && f.handoff < 0)
        rc = errorf_errno(err, "cannot prepare the recorder's descriptors");
    if (rc == 0)
        rc = spawn(&f, false, &pid, err);
    if (f.handoff >= 0)
        close(f.handoff);
    if (rc == 0)
        rc = wait_exit(pid, err);
    munmap(h, sizeof *h);
    return rc;
}

void recorder_post(struct recorder_link *l, enum handoff_message m)
{
    char byte = (char)m;
    while (l->fd >= 0 && write(l->fd, &byte, 1) < 0 && errno == EINTR)
        ;
}

static void recorder_vnote(struct recorder_link *l, enum log_level level, const char *fmt,
                           va_list ap)
{
    char text[sizeof l->h->notes[0].text];
    vsnprintf(text, sizeof text, fmt, ap);
    record_to_stderr(l->verbosity, level, text);
    if (!l->h || l->fd < 0 || l->h->note_count >= HANDOFF_NOTES)
        return;
    struct handoff_note *n = &l->h->notes[l->h->note_count];
    stamp_now_utc(&n->at);
    n->level = level;
    memcpy(n->text, text, sizeof text);
    l->h->note_count++;
    recorder_post(l, HANDOFF_NOTE);
}

void recorder_note(struct recorder_link *l, enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    recorder_vnote(l, level, fmt, ap);
    va_end(ap);
}

void recorder_finish(struct recorder_link *l, int exit_code)
{
    if (!l->h || l->fd < 0)
        return;
    l->h->exit_code = exit_code;
    /* One write for both: each wake-up of the recorder can cost the agent
     * a context switch on a busy node. */
    char last[2] = { HANDOFF_ANSWER, HANDOFF_EXIT };
    if (write(l->fd, l->answered ? last : last + 1, l->answered ? 2 : 1) < 0) {
        /* the recorder is gone: nothing is left to tell */
    }
    close_fd(&l->fd);
}
