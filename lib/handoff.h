/* The hand-off from the agent (fence_recorder) to the recorder
 * (fr-recorder), the program that records one operation. The agent decides
 * the fence; the recorder writes the database and the three log files,
 * after the agent has exited if need be. Nothing that can wait (a database
 * lock, a slow log disk, discovery) stands between the storage system's
 * answer and the agent's exit.
 *
 * What the agent hands over lives in a memfd both map shared (the recorder
 * gets it as descriptor HANDOFF_FD), so handing over is a memory copy,
 * never a write that could block; a one-byte message on a pipe
 * (HANDOFF_PIPE_FD) says which part is complete. The pipe's end of file
 * tells the recorder the agent is gone: without an EXIT message first, it
 * was killed (Pacemaker SIGKILLs an agent at its timeout), and the record
 * says so. The job, written before the recorder starts, says what to
 * record and where. */
#ifndef FR_HANDOFF_H
#define FR_HANDOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "config.h"
#include "names.h"
#include "record_types.h"
#include "requester.h"

/* The recorder's descriptors, as the agent's spawn sets them up. */
#define HANDOFF_FD       3   /* the memfd holding struct handoff */
#define HANDOFF_PIPE_FD  4   /* messages from the agent; EOF: the agent is gone */
#define HANDOFF_READY_FD 5   /* "snapshot taken", to the agent; -1 slot when unused */
#define HANDOFF_WATCH_FD 6   /* the agent's inotify instance, closed at EOF */

/* Written at the start of the memfd: a recorder of another version (an
 * upgrade between the agent's exec and the recorder's) refuses the job
 * instead of misreading it. */
#define HANDOFF_MAGIC 0x66726831u   /* "frh1" */

/* A fence's recorder runs as a batch job at this nice value: the fence
 * comes first. */
#define RECORDER_NICE 10

enum handoff_kind {
    HANDOFF_FENCE = 'F',     /* off, reboot, and fences refused before they started */
    HANDOFF_UNFENCE = 'U',   /* on: the recorder unfences, the agent waits for it */
};

#define HANDOFF_PATH_MAX 4096

/* Everything the recorder needs that the agent read from its options. */
struct handoff_job {
    uint32_t magic;
    uint32_t size;                      /* sizeof (struct handoff) */
    char kind;
    char action[16];
    char target[1024];                  /* escaped, or "(none)", for a refused fence */
    char request_dir[HANDOFF_PATH_MAX];
    char response_dir[HANDOFF_PATH_MAX];
    char log_dir[HANDOFF_PATH_MAX];
    char db_path[HANDOFF_PATH_MAX];
    char main_log[HANDOFF_PATH_MAX];
    int64_t fence_timeout_ms;
    int db_timeout_ms;
    bool syslog;
    enum verbosity verbosity;
    bool discovery;
    int64_t discovery_timeout_ms;
    char crm_mon[HANDOFF_PATH_MAX];
    char cibadmin[HANDOFF_PATH_MAX];
    /* The operation */
    char op_uuid[UUID_STR_LEN + 1];
    char request_id[UUID_STR_LEN + 1];
    long agent_pid;
    char recorder_node[256];
    char requested_by[160];             /* empty: the recorder looks it up */
};

enum handoff_message {
    HANDOFF_NOTE = 'N',      /* notes[note_count - 1] is complete */
    HANDOFF_REQUEST = 'R',   /* the request file is on disk (synced) */
    HANDOFF_FAILED = 'F',    /* the fence ended before a request existed */
    HANDOFF_ANSWER = 'A',    /* the wait ended: the outcome fields are set */
    HANDOFF_EXIT = 'X',      /* the agent is exiting with exit_code */
};

#define HANDOFF_NOTES 24
#define HANDOFF_REQUEST_MAX 4096

struct handoff_note {
    struct stamp at;
    enum log_level level;
    char text[1024];
};

/* The outcome as the agent decided it. status is the record's word
 * (completed, failed, timeout, terminated); the response fields say what
 * the storage system answered, apart from what the agent made of it. */
struct handoff_outcome {
    struct stamp at;
    char status[16];
    int exit_code;
    int64_t duration_ms;          /* monotonic: request written -> answer */
    char message[4096];
    char event_details[4200];     /* the fence event's details */
    int response_success;         /* 1, 0, or -1: no valid response */
    bool has_response_body;
    size_t response_len;
};

struct handoff {
    struct handoff_job job;
    /* The agent's parent (getppid() before the fork): what asked for the
     * fence, read from /proc by the recorder while it still runs. */
    long requester_pid;
    /* Read by the recorder's first stage as it starts, while that parent
     * surely still runs (a script run by hand may be gone by the time the
     * full recorder starts); pid 0: not read. */
    struct requester requester;
    int note_count;
    struct handoff_note notes[HANDOFF_NOTES];

    struct stamp written;
    char file_name[PROTOCOL_NAME_MAX + 1];
    size_t request_len;
    char request_body[HANDOFF_REQUEST_MAX];

    struct handoff_outcome outcome;
    int exit_code;
    /* The response exactly as the agent read it (the storage system may
     * change or remove the file later). Last: mostly never touched. */
    char response_body[RESPONSE_MAX_BYTES + 1];
};

#endif
