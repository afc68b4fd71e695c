/* The request/response protocol as nnf-sos speaks it (see
 * shared reference protocol.md): request file bodies and the defensive
 * parsing of response files. */
#ifndef FR_PROTOCOL_H
#define FR_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

struct request {
    char request_id[37];
    char timestamp[32];      /* ISO 8601 UTC */
    const char *action;
    const char *target_node;
    const char *recorder_node;
};

/* Renders the request body: a pretty-printed JSON object, newline ended. */
void request_render(struct strbuf *sb, const struct request *req);

/* A response as nnf-sos writes it: every field of the request echoed
 * (its own timestamp included), then success, message and
 * action_performed "off"; two-space indent. Fails if request_body is not
 * a JSON object with a string request_id. */
int response_render(struct strbuf *sb, const char *request_body, size_t len, bool success,
                    const char *message, struct error *err);

/* The protocol file name <node>-<request_id>.json. */
int protocol_file_name(char *out, size_t size, const char *node,
                       const char *request_id, struct error *err);

enum response_verdict {
    RESPONSE_VALID,        /* parsed and matching: success says the outcome */
    RESPONSE_INCOMPLETE,   /* not (yet) valid JSON: maybe written in place */
    RESPONSE_INVALID,      /* complete but wrong: not an object, wrong id,
                              another node, success not a boolean */
};

struct response {
    bool success;
    char *message;            /* may be NULL */
    char *action_performed;   /* may be NULL */
    char *request_id;         /* as found in the file, may be NULL */
    char *target_node;        /* as found in the file, may be NULL */
};

/* Parses body and checks it answers request expect_id for expect_node
 * (expect_* may be NULL to skip that check). On anything but
 * RESPONSE_VALID, err says what was wrong; fields found are still filled
 * where they could be, for the record. */
enum response_verdict response_parse(const char *body, size_t len,
                                     const char *expect_id,
                                     const char *expect_node,
                                     struct response *out, struct error *err);
void response_free(struct response *r);

#endif
