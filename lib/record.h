/* The record of one agent run: the database rows and the three log files,
 * written together. Each logical step is one transaction, and the log
 * lines of a step are appended while its write lock is held, so the order
 * of lines in the files is the order of rows in the database.
 *
 * The record never decides a fence's outcome. If the database cannot be
 * opened or written, the failure is reported (stderr and fence-events.log)
 * once, the database is left alone for the rest of the run so a stuck lock
 * costs at most one busy timeout, and the log files still get every line. */
#ifndef FR_RECORD_H
#define FR_RECORD_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "config.h"
#include "strbuf.h"
#include "error.h"
#include "protocol.h"
#include "record_types.h"

struct recorder {
    struct paths paths;
    char main_log_buf[4096];
    enum verbosity verbosity;
    sqlite3 *db;              /* NULL when unavailable */
    bool db_failed;           /* reported already; stop using it */
    bool in_step;
    int64_t operation_id;     /* 0 until the operation row exists */
    struct operation op;
    bool log_failure_reported;
    int busy_timeout_ms;
    int64_t patience_ms;      /* how long a step waits out a locked database */
    const struct stamp *at;   /* when the recorded things happened; NULL: now */
    bool to_syslog;
    /* A step's lines for the three log files, appended once it committed
     * (see recorder_step_end): a line in a file is in the database. */
    struct strbuf pending[3];
};

/* Prepares the record; the database is opened read-write (created if
 * needed) at the first step. Never fails the caller: if the database is
 * unusable the recorder goes on with the log files only. */
void recorder_open(struct recorder *rec, const struct paths *paths,
                   int busy_timeout_ms, enum verbosity verbosity);
void recorder_close(struct recorder *rec);
/* Also send every fence event to syslog (ident fence_recorder, facility
 * daemon), so existing log shipping sees it with no extra agent. */
void recorder_enable_syslog(struct recorder *rec);
bool recorder_db_usable(const struct recorder *rec);

/* A recorder that writes after the fact (fr-recorder) waits out a
 * database held by another process for up to patience_ms, with a notice in
 * fence-events.log (and syslog) every busy timeout, instead of falling
 * back to the log files after one busy timeout. */
void recorder_set_patience(struct recorder *rec, int64_t patience_ms);
/* The time the following lines and rows say things happened (the agent's
 * own stamps, recorded later by its recorder); NULL: the present. */
void recorder_at(struct recorder *rec, const struct stamp *at);

void recorder_step_begin(struct recorder *rec);
void recorder_step_end(struct recorder *rec);

/* A line of fence-events.log (and stderr per verbosity). Outside a step
 * it is a step of its own. */
void rec_log(struct recorder *rec, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A fence event: one line in the readable log and the jsonl. */
void rec_event(struct recorder *rec, const char *status, const char *details_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adopts the operation whose uuid is op_uuid, if the database has it
 * (call inside a step), so later rows join its timeline. */
void rec_adopt_by_uuid(struct recorder *rec, const char *op_uuid);

/* Operation rows; call inside a step. */
void rec_operation_start(struct recorder *rec, const struct stamp *started);
void rec_operation_finish(struct recorder *rec, const char *status, int exit_code,
                          const char *message);
/* The outcome as two facts: what the storage system answered
 * (response_success 1/0, -1 none) and how the agent ended ("exited" with
 * exit_code, or "killed": exit_code is then ignored), with the fence's
 * monotonic duration (-1: unknown). */
struct outcome_facts {
    const char *status;
    const char *agent_end;
    int exit_code;
    int response_success;
    int64_t duration_ms;
    const char *message;
};
void rec_operation_outcome(struct recorder *rec, const struct outcome_facts *f);
void rec_operation_filesystems(struct recorder *rec, const char *json_array);
void rec_request(struct recorder *rec, const char *file_name, const char *body,
                 const struct stamp *written);
/* A response file's content; parsed may be NULL if it did not parse. */
int rec_response(struct recorder *rec, const char *file_name, const char *body,
                 const struct response *parsed, const char *source);
/* shared_from: who ran the command whose result this operation reused
 * (NULL: it ran the command itself). */
void rec_discovery(struct recorder *rec, int method, const char *command,
                   const struct stamp *started, int64_t duration_ms,
                   const char *outcome, const char *result_json, const char *error,
                   const char *shared_from);

/* The fence target's state as Pacemaker saw it (a cluster_states row).
 * state_json is fence-recorder-cluster-state's object (NULL: unknown,
 * error says why); the columns are read from it. */
struct cluster_state_row {
    const struct stamp *captured;
    const char *source;             /* "crm_mon", or "none": not asked */
    const char *shared_from;        /* NULL: this fence ran crm_mon */
    const char *state_json;
    const char *error;
    const char *requester_service;  /* PCMK_service; NULL when unset */
    long parent_pid;                /* 0: unknown */
    const char *parent_process;
    const char *parent_cmdline;
    const char *read_when;          /* before-request, before-answer, after-answer */
};
void rec_cluster_state(struct recorder *rec, const struct cluster_state_row *row);

/* What Pacemaker told this node about a fence or a member (a
 * cluster_events row). NULL strings are NULL columns; rc < 0 is none. */
struct cluster_event_row {
    const char *kind;               /* fencing, node */
    const char *node, *node_id;
    const char *action, *executor, *client, *origin, *result, *ref;
    int rc;
    const char *description;
    const struct stamp *happened;
    const char *recorded_on;
    const char *source;             /* alert, history */
    const char *severity;           /* info, critical */
    const char *detail;
};
/* Records the event unless it is there already: the same Pacemaker
 * operation (ref), or the same kind, node, description and time
 * (duplicate alerts and recipients make one row), or, for a fence read
 * from the fencers' history (no ref), a fencing event of the same target,
 * action and executor within 10 s. A fence's alert finding its fence
 * read from the history first gives that row its fields instead. Inside a
 * step. 1 recorded, 0 there already, -1 the database failed. */
int rec_cluster_event(struct recorder *rec, const struct cluster_event_row *row);

#endif
