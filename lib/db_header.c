#include "db_header.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The file format (sqlite.org/fileformat.html): a 100-byte header with
 * user_version at offset 60 and application_id at 68, then page 1's
 * b-tree header, the root of sqlite_schema: type 0x0D (a leaf) with 0
 * cells means no table, index, view or trigger at all. Our first
 * migration sets application_id in the transaction that creates our
 * tables, so a main file with tables and application_id 0 was never ours,
 * whatever its WAL holds. */
int db_file_classify(const char *path, enum db_file_kind *kind, struct error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP)
            return errorf(err, "%s is a symbolic link; refusing to use it", path);
        return errorf_errno(err, "cannot open database %s", path);
    }
    struct stat st = { 0 };   /* a failed fstat leaves st_mode 0: not regular */
    unsigned char h[108];
    ssize_t n = -1;
    if (fstat(fd, &st) != 0) {
        errorf_errno(err, "cannot stat database %s", path);
    } else if (!S_ISREG(st.st_mode)) {
        errorf(err, "%s is %s; --db (or db=) must name the database file", path,
               S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
    } else if (st.st_size > 0 && (n = pread(fd, h, sizeof h, 0)) < 0) {
        errorf_errno(err, "cannot read database %s", path);
    }
    close(fd);
    if (!S_ISREG(st.st_mode) || (st.st_size > 0 && n < 0))
        return -1;
    if (st.st_size == 0) {
        *kind = DB_FILE_EMPTY;
        return 0;
    }
    if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0) {
        *kind = DB_FILE_NOT_SQLITE;
        errorf(err, "%s is not an SQLite database; refusing to touch it", path);
        return 0;
    }
    uint32_t version = be32(h + 60), app_id = be32(h + 68);
    unsigned cells = (unsigned)h[103] << 8 | h[104];
    *kind = app_id == SCHEMA_APPLICATION_ID ? DB_FILE_OURS
          : app_id == 0 && version == 0 && h[100] == 0x0D && cells == 0 ? DB_FILE_UNCLAIMED
          : DB_FILE_FOREIGN;
    if (*kind == DB_FILE_FOREIGN)
        errorf(err, "%s is not a fence_recorder database (%s %u); refusing to touch it", path,
               app_id ? "application_id" : version ? "user_version" : "tables of another application,"
               " application_id", app_id ? app_id : version);
    return 0;
}

static int open_for_writing(const char *path, bool must_exist, struct error *err)
{
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0)
        return close(fd), 0;
    if (errno == ENOENT && !must_exist)
        return 0;
    if (errno == ELOOP)
        return errorf(err, "%s is a symbolic link; refusing to use it", path);
    return errorf_errno(err, "cannot open %s for writing", path);
}

static int side_file_writable(const char *db_path, const char *suffix, struct error *err)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s%s", db_path, suffix) >= sizeof path)
        return errorf(err, "database path too long");
    return open_for_writing(path, false, err);
}

enum db_probe db_probe_writable(const char *path, struct error *err)
{
    enum db_file_kind kind;
    struct stat st;
    if (lstat(path, &st) != 0 && errno == ENOENT)
        return DB_PROBE_NEEDS_OPEN;
    if (db_file_classify(path, &kind, err) != 0)
        return DB_PROBE_FAILED;
    if (kind == DB_FILE_EMPTY || kind == DB_FILE_UNCLAIMED)
        return DB_PROBE_NEEDS_OPEN;
    if (kind != DB_FILE_OURS)
        return DB_PROBE_FAILED;   /* err says whose it is */
    if (open_for_writing(path, true, err) != 0 || side_file_writable(path, "-wal", err) != 0 ||
        side_file_writable(path, "-shm", err) != 0)
        return DB_PROBE_FAILED;
    return DB_PROBE_OK;
}

