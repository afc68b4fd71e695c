/* Reading the response directory as state: a successful response file for
 * a node means "this node is fenced" to nnf-sos until it is removed. The
 * agent's status and on, and fencectl's fenced and unfence, all read it
 * through this one scanner. */
#ifndef FR_RESPDIR_H
#define FR_RESPDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"
#include "files.h"
#include "names.h"
#include "protocol.h"

struct response_file {
    char file_name[PROTOCOL_NAME_MAX + 1];
    char path[4096];
    char node[NODE_NAME_MAX + 1];
    char request_id[UUID_STR_LEN + 1];
    time_t mtime;                    /* with READ_OK: the file's modification time */
    enum read_status read;           /* READ_OK: body and verdict are set */
    char *body;
    size_t len;
    enum response_verdict verdict;
    struct response parsed;
    struct error problem;
};

/* true when the file says the node is fenced */
bool response_file_fences(const struct response_file *f);

/* Calls visit for each protocol-named file in dir for node (NULL: all
 * nodes; compared ignoring ASCII case, as Pacemaker compares node names),
 * in name order. visit returns 0 to go on, non-zero to stop (that
 * value is returned). Returns -1 with err if dir cannot be read. */
typedef int (*response_visit)(const struct response_file *f, void *ctx);
int response_dir_scan(const char *dir, const char *node, response_visit visit,
                      void *ctx, struct error *err);

/* How many protocol-named files dir holds for node (NULL: all); -1 with
 * err if dir cannot be read. Used for pending requests. */
int protocol_dir_count(const char *dir, const char *node, struct error *err);

#endif
