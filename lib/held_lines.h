/* A step's log lines kept in its own transaction (schema 9), so that a
 * writer killed between its commit and its log write (SIGKILL during the
 * commit's fsync, the OOM killer) loses no line of the three logs: the
 * next writer finds them missing and writes them first, and fencectl
 * check names them meanwhile. Only the last step's lines are kept; every
 * step replaces them, inside the writers' turn. */
#ifndef FR_HELD_LINES_H
#define FR_HELD_LINES_H

#include <sqlite3.h>
#include <stddef.h>

#include "error.h"

/* A step's lines are kept up to this size: lines taken back while the log
 * volume is full add up, step after step, until an append succeeds. */
#define HELD_LINES_MAX (1024 * 1024)

/* Keeps the lines (a string) about to be appended to path, in place of
 * the previous step's, with where they go: the file's identity and size
 * now (call in the step, before its commit, while the turn is held). */
int held_lines_keep(sqlite3 *db, const char *path, const char *lines, const char *step_at,
                    struct error *err);
/* A step with no lines for path: the previous step's are forgotten. */
int held_lines_forget(sqlite3 *db, const char *path, struct error *err);

/* What a kept step's lines a file lacks. */
struct held_missing {
    const char *path;
    const char *lines;
    size_t len;
    const char *step_at;
};

/* Calls visit for each file that lacks its kept lines: no line at or after
 * their offset in the same file starts them (a part of them there is a
 * write cut short, reported by its writer and not redone; a file renamed
 * away since, by logrotate, or removed, cannot tell and is not reported).
 * Returns how many files lack lines, or -1 with err if the database
 * cannot be read. */
int held_lines_missing(sqlite3 *db, void (*visit)(void *ctx, const struct held_missing *m),
                       void *ctx, struct error *err);

#endif
