/* The agent's side of the record: it starts the recorder (fr-recorder),
 * hands it each step of the operation and leaves. The recorder is spawned
 * in its own session (POSIX_SPAWN_SETSID: glibc runs setsid in the child
 * before exec, and posix_spawn returns only after the exec), so once the
 * spawn has returned no kill of the agent's process group (Pacemaker's, at
 * its timeout) reaches it. Its stdio is /dev/null for fences: it never
 * holds Pacemaker's pipes open. See lib/handoff.h for what passes between
 * the two. */
#ifndef FR_RECORDER_SPAWN_H
#define FR_RECORDER_SPAWN_H

#include <stdarg.h>
#include <sys/types.h>

#include "error.h"
#include "handoff.h"
#include "options.h"

/* Where the recorder is; FENCE_RECORDER_RECORDER names another (the
 * tests' build). */
#define RECORDER_PROGRAM "fr-recorder"
#define ENV_RECORDER "FENCE_RECORDER_RECORDER"

/* How long the agent waits, before it publishes its request, for the
 * recorder's look at the cluster (with filesystem discovery on): long
 * enough for crm_mon and cibadmin on a busy node, short beside any fence
 * timeout. Past it the request goes out and the record says when the
 * state was read. */
#define RECORDER_SNAPSHOT_WAIT_MS 2000

/* The agent's end of the hand-off. */
struct recorder_link {
    struct handoff *h;       /* shared with the recorder; NULL: none started */
    int fd;                  /* messages to the recorder; -1: none */
    int ready_fd;            /* the recorder's "snapshot taken"; -1: nothing to wait for */
    pid_t pid;
    bool answered;           /* the outcome is handed over (sent with the exit) */
    enum verbosity verbosity;
    const struct agent_config *cfg;
};

/* Starts the recorder for op (action off or reboot, or a refused fence).
 * If that fails (a pids limit, no recorder installed), returns -1 with err
 * and the fence goes on unrecorded: nothing that can wait may stand
 * between the answer and the exit, and its request and response files are
 * what 'fencectl import --from-files' rebuilds it from. watch_fd (the
 * agent's inotify instance, or -1) is kept open by the recorder until the
 * agent is gone: tearing an inotify instance down costs the closing
 * process a good half millisecond, which the agent's exit then does not
 * pay. */
int recorder_spawn(struct recorder_link *l, const struct agent_config *cfg,
                   const struct operation *op, int watch_fd, struct error *err);
/* on: the recorder records each successful response of the target and
 * only then removes it; the agent waits for it. RESULT-like: 0 unfenced,
 * 1 failed (the recorder said why on stderr), -1 with err: it could not
 * be run. */
int recorder_unfence(const struct agent_config *cfg, const struct operation *op,
                     struct error *err);
/* A log line for the record (and stderr, per verbosity, at once). */
void recorder_note(struct recorder_link *l, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Waits until the recorder has read the cluster's state, it is gone, a
 * signal arrives on signal_fd, or RECORDER_SNAPSHOT_WAIT_MS have passed.
 * Returns at once when there is nothing to wait for. */
void recorder_await_snapshot(struct recorder_link *l, int signal_fd);
/* Says a part of h is complete (never blocks: one byte on a pipe). */
void recorder_post(struct recorder_link *l, enum handoff_message m);
/* The agent's last act before it exits with exit_code. */
void recorder_finish(struct recorder_link *l, int exit_code);

#endif
