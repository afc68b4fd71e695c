/* Waiting for the response to one request: inotify on the response
 * directory for an answer within milliseconds, a periodic re-check for file
 * systems where inotify sees nothing (NFS), and the signalfd so SIGTERM
 * ends the wait at once. */
#ifndef FR_RESPONSE_WAIT_H
#define FR_RESPONSE_WAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "protocol.h"
#include "strbuf.h"

enum wait_outcome {
    WAIT_ANSWERED,     /* a valid response: see response.success */
    WAIT_INVALID,      /* a response file that can never be valid */
    WAIT_TIMEOUT,
    WAIT_SIGNALLED,
    WAIT_NO_FDS,       /* out of file descriptors: the response cannot be read */
};

struct response_watch {
    int inotify_fd;          /* -1: not watched by inotify */
    /* Past the inotify instance limit (fs.inotify.max_user_instances,
     * 128 by default: a burst of fences exceeds it), the directory is
     * watched with dnotify instead: a signal per change, read from this
     * signalfd; dir_fd holds the watch. -1 when unused. */
    int dnotify_fd;
    int dir_fd;
    const char *response_dir;
    char file_name[300];
    char path[4096];
};

/* Set up before the request is written, so no response can slip by.
 * Neither inotify nor dnotify (a file system without either): polling. */
int response_watch_start(struct response_watch *w, const char *response_dir,
                         const char *file_name, struct error *err);
void response_watch_stop(struct response_watch *w);

struct wait_params {
    const char *request_id;
    const char *target_node;
    int64_t deadline_ms;         /* monotonic */
    int64_t poll_interval_ms;
    int signal_fd;
};

struct wait_result {
    enum wait_outcome outcome;
    int signal;
    char *body;                  /* the response as read (ANSWERED, INVALID) */
    size_t body_len;
    struct response response;
    struct error problem;        /* why INVALID or NO_FDS, or the last problem seen */
    int reads;                   /* how often the file was read */
};

void response_wait(struct response_watch *w, const struct wait_params *p,
                   struct wait_result *r);
void wait_result_free(struct wait_result *r);

#endif
