/* The VFS our writers open the database with: SQLite's own, except that an
 * existing WAL is opened without SQLITE_OPEN_CREATE.
 *
 * Why: SQLite's unix VFS fsyncs the directory on the first sync of every
 * WAL it opens with O_CREAT (so a new file's name survives power loss), and
 * it always passes O_CREAT, even for a WAL that is already there. With the
 * WAL persisted (db.c), that was one directory fsync per process that
 * writes: three per fence.
 *
 * When it is safe to skip: the name of a WAL that holds a header is
 * already durable. The first header ever written to a WAL file is written
 * by a process that found it missing or shorter than a header, so it opened
 * it with O_CREAT and synced the directory at its first sync, which comes
 * before its first COMMIT returns; later writers need the write lock, so
 * they start after that. A WAL shorter than a header, or one replaced
 * between the two looks below, is opened the ordinary way. Our writers
 * leave the WAL at its size when they close (db_close), so it keeps its
 * header between processes. */
#include "db_vfs.h"

#include <string.h>
#include <sys/stat.h>

#define WAL_HEADER_BYTES 32

static sqlite3_vfs shim;

static bool wal_with_header(const char *name, struct stat *st)
{
    return lstat(name, st) == 0 && S_ISREG(st->st_mode) && st->st_size >= WAL_HEADER_BYTES;
}

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                     int *out_flags)
{
    sqlite3_vfs *real = vfs->pAppData;
    struct stat before, after;
    if ((flags & SQLITE_OPEN_WAL) && name && wal_with_header(name, &before)) {
        int rc = real->xOpen(real, name, file, flags & ~SQLITE_OPEN_CREATE, out_flags);
        if (rc == SQLITE_OK && wal_with_header(name, &after) && after.st_ino == before.st_ino &&
            after.st_dev == before.st_dev)
            return rc;
        if (rc == SQLITE_OK && file->pMethods)
            file->pMethods->xClose(file);
        file->pMethods = NULL;
    }
    return real->xOpen(real, name, file, flags, out_flags);
}

const char *db_vfs_name(void)
{
    if (shim.zName)
        return shim.zName;
    sqlite3_vfs *real = sqlite3_vfs_find(NULL);
    if (!real)
        return NULL;
    shim = *real;
    shim.zName = "fence-recorder";
    shim.pAppData = real;
    shim.pNext = NULL;
    shim.xOpen = shim_open;
    if (sqlite3_vfs_register(&shim, 0) != SQLITE_OK) {
        shim.zName = NULL;
        return NULL;
    }
    return shim.zName;
}
