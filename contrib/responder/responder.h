/* fence-recorder-responder: the example external system. It answers fence requests
 * the way NNF's nnf-sos does (see README.md beside this file). */
#ifndef FR_RESPONDER_H
#define FR_RESPONDER_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

enum responder_mode { MODE_SUCCESS, MODE_FAILURE, MODE_SILENT };

struct responder_options {
    struct paths paths;
    enum responder_mode mode;
    const char *message;        /* failure detail */
    int groups;                 /* storage groups "deleted" on success */
    bool in_place;              /* write the response without a rename */
    int64_t in_place_pause_ms;
    int64_t delay_ms;
    int64_t poll_ms;
    long count;                 /* exit after answering this many; 0: never */
    bool once;
    bool serve;                 /* --serve given: an administrator meant it */
    const char *nodes;          /* comma-separated; NULL: every node */
    const char *pid_file;
    bool quiet;
    int stop_fd;                /* readable once told to stop (SIGTERM, SIGINT); -1: none */
};

/* Answers every pending request it may answer, grouped by node as nnf-sos
 * does. Returns how many requests were answered. */
long responder_scan(const struct responder_options *opt);

void responder_log(const struct responder_options *opt, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
