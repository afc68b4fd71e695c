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
/* Syncs dir itself, so a name just created or renamed in it survives power loss. */
int fsync_dir(const char *dir, struct error *err);

/* Writes name into dir atomically: ".<name>.tmp" created exclusively with
 * mode, written, fsync'd, renamed over name, then the directory fsync'd. A
 * reader never sees a partial file under name. */
int file_write_atomic(const char *dir, const char *name, const char *data,
                      size_t len, mode_t mode, struct error *err);
/* The same, keeping the live-request lock: flock(LOCK_SH) taken on the
 * dot-temp before anything is written and held, across the rename, on
 * *held_fd until the caller closes it (an agent: until it exits). */
int file_write_atomic_held(const char *dir, const char *name, const char *data, size_t len,
                           mode_t mode, int *held_fd, struct error *err);

enum read_status {
    READ_OK,
    READ_MISSING,      /* no such file (yet) */
    READ_REFUSED,      /* symlink, not a regular file, or too large */
    READ_NO_FDS,       /* out of file descriptors (errno EMFILE or ENFILE) */
    READ_ERROR,        /* any other I/O error */
};

/* Reads a whole regular file of at most max_size bytes without following
 * a symlink or blocking on a FIFO. On READ_OK *data is NUL-terminated
 * and must be freed by the caller. */
enum read_status file_read_limited(const char *path, size_t max_size,
                                   char **data, size_t *len,
                                   struct error *err);

/* A file taken for removal under the live-request lock: a running agent
 * holds flock(LOCK_SH) on its request (from the dot-temp on, across the
 * rename) until it exits, so an exclusive lock proves nobody uses it. */
struct locked_file {
    int fd;
    char path[4096];
};

enum lock_result {
    LOCK_TAKEN,        /* ours: read it, then locked_file_remove or _release */
    LOCK_IN_USE,       /* a live agent holds it: leave it alone */
    LOCK_GONE,         /* no longer there (renamed or removed meanwhile) */
    LOCK_FAILED,       /* symlink, not a regular file, or an I/O error: err */
};

/* Opens path (never following a symlink, never blocking on a FIFO) and
 * takes flock(LOCK_EX|LOCK_NB) on it, then checks path still names the
 * locked file. */
enum lock_result file_lock_for_removal(const char *path, struct locked_file *lf,
                                       struct error *err);
/* The locked file's content, as file_read_limited. */
enum read_status locked_file_read(struct locked_file *lf, size_t max_size, char **data,
                                  size_t *len, struct error *err);
/* Unlinks the file if path still names it, then drops the lock: an agent
 * that was waiting for the lock then sees its file unlinked and starts
 * over. Returns -1 with err if not removed. */
int locked_file_remove(struct locked_file *lf, struct error *err);
/* Drops the lock and leaves the file. */
void locked_file_release(struct locked_file *lf);

/* file_read_limited for name in the directory open as dirfd (AT_FDCWD:
 * name is a path), reported as path; *mtime (if not NULL) gets the
 * file's modification time from the same fstat. For scans of large
 * directories: no path lookup from the root per file. */
enum read_status file_read_limited_at(int dirfd, const char *name, const char *path,
                                      size_t max_size, char **data, size_t *len,
                                      time_t *mtime, struct error *err);

/* Appends one line with a single write(2), so lines from concurrent
 * writers never interleave. Creates the file with mode if missing. */
int file_append(const char *path, const char *line, size_t len, mode_t mode,
                struct error *err);
/* As file_append; on_create(fd) is called when this call creates the file. */
int file_append_new(const char *path, const char *line, size_t len, mode_t mode,
                    void (*on_create)(int fd), struct error *err);

/* Removes path if it is a regular file (not following symlinks). */
int file_remove_regular(const char *path, struct error *err);

/* Whether directory paths a and b name the same directory, by identity
 * rather than spelling: "R/", "R//." and a symlink to R are R. Existing
 * directories compare by device and inode; for paths not created yet,
 * the deepest existing ancestor is resolved (realpath) and the rest
 * normalised. Returns -1 with err if a path cannot be resolved. */
int dirs_same(const char *a, const char *b, bool *same, struct error *err);

/* Joins dir and name into out; fails rather than truncate. */
int path_join(char *out, size_t size, const char *dir, const char *name,
              struct error *err);

#endif
