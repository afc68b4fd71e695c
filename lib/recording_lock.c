#include "recording_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "files.h"

static int lock_path(const char *db_path, char *out, size_t size)
{
    int n = snprintf(out, size, "%s%s", db_path, RECORDING_LOCK_SUFFIX);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int open_lock(const char *path)
{
    return open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, MODE_DB);
}

int recording_lock_hold(const char *db_path)
{
    char path[PATH_MAX];
    if (lock_path(db_path, path, sizeof path) != 0)
        return -1;
    int fd = open_lock(path);
    if (fd < 0 && errno == ENOENT) {
        char dir[PATH_MAX];
        struct error ignored;
        snprintf(dir, sizeof dir, "%s", db_path);
        if (dir_ensure(dirname(dir), MODE_DB_DIR, &ignored) == 0)
            fd = open_lock(path);
    }
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_SH) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool recording_lock_busy(const char *db_path)
{
    char path[PATH_MAX];
    if (lock_path(db_path, path, sizeof path) != 0)
        return false;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    bool busy = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return busy;
}
