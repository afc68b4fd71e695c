/* Fences the record lost: request and response files of this recorder
 * that no operation in the database accounts for (a recorder killed
 * before its first commit, a full disk, an agent that could not start
 * one). The files themselves hold what the record needs: the request id,
 * target, action and time, and the storage system's answer. fencectl
 * check names them; fencectl import --from-files rebuilds their
 * operations from them. */
#ifndef FR_UNRECORDED_H
#define FR_UNRECORDED_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "error.h"
#include "names.h"

/* One side of a fence: its request file or its response file. */
struct fence_file {
    char name[PROTOCOL_NAME_MAX + 16];  /* empty: no such file (dir_entry's size) */
    char *body;                         /* as read; NULL if unreadable */
    size_t len;
    time_t mtime;
};

struct unrecorded_fence {
    char request_id[UUID_STR_LEN + 1];
    char node[NODE_NAME_MAX + 1];
    char action[16];                    /* from the files; "off" if they do not say */
    char timestamp[32];                 /* the request's, as written; may be empty */
    struct fence_file request, response;
};

struct unrecorded {
    struct unrecorded_fence *v;
    size_t n;
};

/* The fences of recorder (this node's name: several nodes may share the
 * directories, each with its own database) whose files are at least
 * min_age seconds old and have no operation in db. Files of another
 * recorder, and files whose recorder cannot be read, are left to their
 * own. Returns 0, or -1 with err if a directory cannot be read. */
int unrecorded_find(sqlite3 *db, const struct paths *paths, const char *recorder, time_t now,
                    time_t min_age, struct unrecorded *out, struct error *err);
void unrecorded_free(struct unrecorded *u);

#endif
