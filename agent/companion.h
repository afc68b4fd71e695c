/* The companion: the process that records one fence, so the agent never
 * waits for the record. Forked before the request is written, in its own
 * session (Pacemaker's SIGKILL of the agent's process group does not reach
 * it), with stdio on /dev/null (it never holds Pacemaker's pipes open). It
 * runs filesystem discovery, writes the database and the three log files,
 * waits out a locked database for minutes, and records how the agent ended,
 * killed included. See handoff.h for what passes between the two. */
#ifndef FR_COMPANION_H
#define FR_COMPANION_H

#include <stdarg.h>
#include <sys/types.h>

#include "handoff.h"
#include "options.h"
#include "record.h"

/* How long the companion waits for a database another process holds
 * before it records to the log files only (fencectl import restores). */
#define COMPANION_PATIENCE_MS (10 * 60 * 1000)
/* How long the companion waits for the answer before it records the
 * request on its own (see companion_record). */
#define COMPANION_GRACE_MS 500

/* The agent's end of the hand-off. */
struct companion {
    struct handoff *h;       /* shared with the companion */
    int fd;                  /* messages to the companion; -1: none */
    int watch_fd;            /* the agent's inotify instance, see companion_start */
    int ready_fd;            /* the companion's "snapshot taken"; -1: nothing to wait for */
    bool answered;           /* the outcome is handed over (sent with the exit) */
    enum verbosity verbosity;
    const struct agent_config *cfg;
    struct operation op;
};

/* Forks the companion for op. If that fails (a pids limit), returns -1
 * with err and the fence goes on unrecorded: nothing that can wait may
 * stand between the answer and the exit, and its request and response
 * files are what 'fencectl import --from-files' rebuilds it from.
 * watch_fd (the agent's inotify instance, or -1) is kept open by the
 * companion until the agent is gone: tearing an inotify instance down
 * costs the closing process a good half millisecond, which the agent's
 * exit then does not pay. */
int companion_start(struct companion *c, const struct agent_config *cfg,
                    const struct operation *op, int watch_fd, struct error *err);
/* A log line for the record (and stderr, per verbosity, at once). */
void companion_note(struct companion *c, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void companion_vnote(struct companion *c, enum log_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* How long the agent waits, before it publishes its request, for the
 * companion's look at the cluster (with filesystem discovery on): long
 * enough for crm_mon and cibadmin on a busy node, short beside any fence
 * timeout. Past it the request goes out and the record says when the
 * state was read. */
#define COMPANION_SNAPSHOT_WAIT_MS 2000
/* Waits until the companion has read the cluster's state, it is gone, a
 * signal arrives on signal_fd, or COMPANION_SNAPSHOT_WAIT_MS have passed.
 * Returns at once when there is nothing to wait for. */
void companion_await_snapshot(struct companion *c, int signal_fd);
/* Says a part of h is complete (never blocks: one byte on a pipe). */
void companion_post(struct companion *c, enum handoff_message m);
/* The agent's last act before it exits with exit_code. */
void companion_finish(struct companion *c, int exit_code);

/* The companion's side: records everything handed over on fd until the
 * agent is gone, yielding the CPU to fences meanwhile. */
void companion_record(const struct agent_config *cfg, const struct operation *op,
                      struct handoff *h, int fd, int release_at_eof, int ready_fd);

#endif
