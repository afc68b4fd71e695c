/* The hand-off from a fencing agent to its companion, the process that
 * records the operation. The agent decides the fence; the companion writes
 * the database and the three log files, after the agent has exited if need
 * be. Nothing that can wait (a database lock, a slow log disk, discovery)
 * stands between the storage system's answer and the agent's exit.
 *
 * What the agent hands over lives in memory shared with the companion
 * (mapped before the fork), so handing over is a memory copy, never a
 * write that could block; a one-byte message on a pipe says which part is
 * complete. The pipe's end of file tells the companion the agent is gone:
 * without an EXIT message first, it was killed (Pacemaker SIGKILLs an
 * agent at its timeout), and the record says so. */
#ifndef FR_HANDOFF_H
#define FR_HANDOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "config.h"
#include "names.h"
#include "record.h"

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
    /* The agent's parent (getppid() before the fork): what asked for the
     * fence, read from /proc by the companion while it still runs. */
    long requester_pid;
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
