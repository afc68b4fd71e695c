/* File operations on the directories shared with the external system and on
 * the log files. Everything here refuses to follow symbolic links, checks
 * file types and sizes, and sets modes on purpose. */
#ifndef FR_FILES_H
#define FR_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Creates dir and its missing parents with mode (umask ignored for the
 * directories created here). A symlink or non-directory on the way to it
 * is an error. */
int dir_ensure(const char *dir, mode_t mode, struct error *err);

/* Writes name into dir atomically: ".<name>.tmp" created exclusively with
 * mode, written, fsync'd, renamed over name, then the directory fsync'd. A
 * reader never sees a partial file under name. */
int file_write_atomic(const char *dir, const char *name, const char *data,
                      size_t len, mode_t mode, struct error *err);

enum read_status {
    READ_OK,
    READ_MISSING,      /* no such file (yet) */
    READ_REFUSED,      /* symlink, not a regular file, or too large */
    READ_ERROR,        /* any other I/O error */
};

/* Reads a whole regular file of at most max_size bytes without following
 * a symlink or blocking on a FIFO. On READ_OK *data is NUL-terminated
 * and must be freed by the caller. */
enum read_status file_read_limited(const char *path, size_t max_size,
                                   char **data, size_t *len,
                                   struct error *err);

/* Appends one line with a single write(2), so lines from concurrent
 * writers never interleave. Creates the file with mode if missing. */
int file_append(const char *path, const char *line, size_t len, mode_t mode,
                struct error *err);

/* Removes path if it is a regular file (not following symlinks). */
int file_remove_regular(const char *path, struct error *err);

/* Joins dir and name into out; fails rather than truncate. */
int path_join(char *out, size_t size, const char *dir, const char *name,
              struct error *err);

#endif
