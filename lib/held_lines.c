#include "held_lines.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_exec.h"

/* How far past their offset kept lines are looked for: a writer's notice
 * appended outside the turn ("still waiting for the database") may come
 * before them, and a line cut short before them gets a newline first. */
#define SEARCH_SLACK (64 * 1024)

int held_lines_forget(sqlite3 *db, const char *path, struct error *err)
{
    return db_execf(db, err, NULL, "DELETE FROM held_lines WHERE path = ?", "t", path);
}

int held_lines_keep(sqlite3 *db, const char *path, const char *lines, const char *step_at,
                    struct error *err)
{
    struct stat st;
    bool exists = lstat(path, &st) == 0;
    if (!exists && errno != ENOENT)
        return 0;   /* the append fails too, and says why */
    if (exists && !S_ISREG(st.st_mode))
        return 0;   /* refused by the append (not ours to write) */
    if (held_lines_forget(db, path, err) != 0)
        return -1;
    return db_execf(db, err, NULL, "INSERT INTO held_lines "
                    "(path, dev, ino, offset, lines, step_at) VALUES (?, ?, ?, ?, ?, ?)",
                    "tioitt", path, exists ? (int64_t)st.st_dev : (int64_t)0,
                    exists ? (int64_t)st.st_ino : (int64_t)-1,
                    exists ? (int64_t)st.st_size : (int64_t)0, lines, step_at);
}

/* Reads up to size bytes at offset; how many, or -1. */
static ssize_t read_at(int fd, char *buf, size_t size, off_t offset)
{
    size_t got = 0;
    while (got < size) {
        ssize_t n = pread(fd, buf + got, size - got, offset + (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* Does a line of buf start the kept lines, or start with a part of them?
 * A line there whole is the write done; a part is a write cut short (a
 * full disk), which its writer reported and which is not redone. Only
 * line starts are compared: a line another writer appended outside the
 * turn (a notice) is not the kept lines. */
static bool begun_in(const char *buf, size_t n, const char *lines, size_t len)
{
    for (size_t at = 0; at < n;) {
        const char *nl = memchr(buf + at, '\n', n - at);
        size_t k = nl ? (size_t)(nl - (buf + at)) : n - at;
        size_t cmp = k < len ? k : len;
        if (k > 0 && memcmp(buf + at, lines, cmp) == 0)
            return true;
        at += k + 1;
    }
    return false;
}

/* Are the kept lines in the file they were kept for? Whatever cannot be
 * told (the file renamed away or removed since, unreadable, shorter than
 * the offset) counts as present: only a certain gap is filled. */
static bool lines_present(const char *path, bool existed, int64_t dev, int64_t ino,
                          int64_t offset, const char *lines, size_t len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return existed || errno != ENOENT;
    struct stat st;
    bool present = true;
    bool same_file = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                     (!existed || ((int64_t)st.st_dev == dev && (int64_t)st.st_ino == ino));
    if (same_file && st.st_size >= offset) {
        size_t want = len + SEARCH_SLACK;
        char *buf = malloc(want);
        ssize_t got = buf ? read_at(fd, buf, want, (off_t)offset) : -1;
        if (got >= 0)
            present = begun_in(buf, (size_t)got, lines, len);
        free(buf);
    }
    close(fd);
    return present;
}

int held_lines_missing(sqlite3 *db, void (*visit)(void *ctx, const struct held_missing *m),
                       void *ctx, struct error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT path, dev, ino, offset, lines, step_at FROM held_lines "
                           "ORDER BY rowid", -1, &st, NULL) != SQLITE_OK) {
        if (strstr(sqlite3_errmsg(db), "no such table"))
            return 0;   /* before schema 9: nothing kept */
        return db_error(err, db, "cannot read the last step's log lines");
    }
    int missing = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *path = (const char *)sqlite3_column_text(st, 0);
        const char *lines = (const char *)sqlite3_column_text(st, 4);
        size_t len = (size_t)sqlite3_column_bytes(st, 4);
        bool existed = sqlite3_column_type(st, 2) != SQLITE_NULL;
        if (!path || !lines || len == 0 ||
            lines_present(path, existed, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                          sqlite3_column_int64(st, 3), lines, len))
            continue;
        struct held_missing m = { .path = path, .lines = lines, .len = len,
                                  .step_at = (const char *)sqlite3_column_text(st, 5) };
        visit(ctx, &m);
        missing++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(err, db, "cannot read the last step's log lines");
    return missing;
}
