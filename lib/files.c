#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int path_join(char *out, size_t size, const char *dir, const char *name,
              struct error *err)
{
    size_t dl = strlen(dir);
    const char *sep = (dl > 0 && dir[dl - 1] == '/') ? "" : "/";
    int n = snprintf(out, size, "%s%s%s", dir, sep, name);
    if (n < 0 || (size_t)n >= size)
        return errorf(err, "path too long: %s%s%s", dir, sep, name);
    return 0;
}

static int mkdir_one(const char *path, mode_t mode, struct error *err)
{
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        if (S_ISLNK(st.st_mode))
            return errorf(err, "%s is a symbolic link; refusing to use it "
                          "(replace it with a real directory)", path);
        return errorf(err, "%s exists and is not a directory", path);
    }
    if (errno != ENOENT)
        return errorf_errno(err, "cannot stat %s", path);
    if (mkdir(path, mode) != 0 && errno != EEXIST)
        return errorf_errno(err, "cannot create directory %s", path);
    /* mkdir's mode is masked by umask; set the mode we meant. */
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
        (st.st_mode & 07777) != mode && chmod(path, mode) != 0)
        return errorf_errno(err, "cannot set mode of %s", path);
    return 0;
}

static int make_dir_path(const char *dir, mode_t mode, struct error *err)
{
    char path[PATH_MAX];
    if (!dir[0])
        return errorf(err, "empty directory path");
    if (strlen(dir) >= sizeof path)
        return errorf(err, "directory path too long: %.64s...", dir);
    strcpy(path, dir);
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        path[--len] = '\0';
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    /* Parents that exist are left as they are, symlinks included (an
     * administrator may mount /localdisk anywhere); only the final
     * component must be a real directory. */
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (stat(path, &st) != 0) {
            if (mkdir_one(path, 0755, err) != 0)
                return -1;
        } else if (!S_ISDIR(st.st_mode)) {
            return errorf(err, "%s exists and is not a directory", path);
        }
        *p = '/';
    }
    return mkdir_one(path, mode, err);
}

int dir_ensure(const char *dir, mode_t mode, struct error *err)
{
    struct error why;
    if (make_dir_path(dir, mode, &why) == 0)
        return 0;
    /* Name the directory that was wanted, not only the obstacle found. */
    return errorf(err, "cannot create directory %.1024s: %s", dir, why.msg);
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fsync_dir(const char *dir, struct error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errorf_errno(err, "cannot open directory %s to sync it", dir);
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    /* Some file systems cannot sync a directory; the rename is done. */
    if (rc != 0 && errno != EINVAL && errno != EROFS)
        return errorf_errno(err, "cannot sync directory %s", dir);
    return 0;
}

int file_write_atomic(const char *dir, const char *name, const char *data,
                      size_t len, mode_t mode, struct error *err)
{
    char tmp_name[NAME_MAX + 1], tmp[PATH_MAX], final[PATH_MAX];
    int n = snprintf(tmp_name, sizeof tmp_name, ".%s.tmp", name);
    if (n < 0 || (size_t)n >= sizeof tmp_name)
        return errorf(err, "file name too long: %s", name);
    if (path_join(tmp, sizeof tmp, dir, tmp_name, err) != 0 ||
        path_join(final, sizeof final, dir, name, err) != 0)
        return -1;

    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0)
        return errorf_errno(err, "cannot create %s", tmp);
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        errorf_errno(err, "cannot write %s", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (close(fd) != 0) {
        errorf_errno(err, "cannot close %s", tmp);
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, final) != 0) {
        errorf_errno(err, "cannot rename %s to %s", tmp, final);
        unlink(tmp);
        return -1;
    }
    return fsync_dir(dir, err);
}

enum read_status file_read_limited(const char *path, size_t max_size,
                                   char **data, size_t *len,
                                   struct error *err)
{
    *data = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO planted under the expected name must not
     * hang the agent; fstat then rejects it. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT)
            return READ_MISSING;
        if (errno == ELOOP) {
            errorf(err, "%s is a symbolic link; refusing to follow it", path);
            return READ_REFUSED;
        }
        errorf_errno(err, "cannot open %s", path);
        return READ_ERROR;
    }
    struct stat st;
    enum read_status status = READ_OK;
    if (fstat(fd, &st) != 0) {
        errorf_errno(err, "cannot stat %s", path);
        status = READ_ERROR;
    } else if (!S_ISREG(st.st_mode)) {
        errorf(err, "%s is not a regular file", path);
        status = READ_REFUSED;
    } else if ((size_t)st.st_size > max_size) {
        errorf(err, "%s has %lld bytes, more than the limit of %zu",
               path, (long long)st.st_size, max_size);
        status = READ_REFUSED;
    }
    if (status != READ_OK) {
        close(fd);
        return status;
    }
    /* Read one byte past the limit to notice a file that grew after fstat. */
    char *buf = malloc(max_size + 2);
    if (!buf) {
        close(fd);
        errorf(err, "out of memory reading %s", path);
        return READ_ERROR;
    }
    size_t got = 0;
    while (got <= max_size) {
        ssize_t n = read(fd, buf + got, max_size + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errorf_errno(err, "cannot read %s", path);
            status = READ_ERROR;
            break;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (status == READ_OK && got > max_size) {
        errorf(err, "%s grew past the limit of %zu bytes", path, max_size);
        status = READ_REFUSED;
    }
    if (status != READ_OK) {
        free(buf);
        return status;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return READ_OK;
}

int file_append(const char *path, const char *line, size_t len, mode_t mode,
                struct error *err)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode);
    if (fd < 0) {
        if (errno == ELOOP)
            return errorf(err, "%s is a symbolic link; refusing to write through it", path);
        return errorf_errno(err, "cannot open %s for appending", path);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return errorf(err, "%s is not a regular file; not appending to it", path);
    }
    ssize_t n;
    do {
        n = write(fd, line, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0 || (size_t)n != len) {
        if (n >= 0)
            errno = ENOSPC; /* a short write to a regular file: the disk is full */
        errorf_errno(err, "cannot append to %s", path);
        close(fd);
        return -1;
    }
    if (close(fd) != 0)
        return errorf_errno(err, "cannot close %s", path);
    return 0;
}

int file_remove_regular(const char *path, struct error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errorf_errno(err, "cannot stat %s", path);
    if (!S_ISREG(st.st_mode))
        return errorf(err, "%s is not a regular file; not removing it", path);
    if (unlink(path) != 0)
        return errorf_errno(err, "cannot remove %s", path);
    return 0;
}
