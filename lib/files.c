#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
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

int fsync_dir(const char *dir, struct error *err)
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

/* Creates the dot-temp file holding the live-request lock. A pruner that
 * took the file (LOCK_EX) between our open and our flock has unlinked it by
 * the time our flock returns: then we start over with a new file. */
static int create_locked_temp(const char *tmp, mode_t mode, struct error *err)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0)
            return errorf_errno(err, "cannot create %s", tmp);
        struct stat st;
        if (flock(fd, LOCK_SH) != 0 || fstat(fd, &st) != 0) {
            errorf_errno(err, "cannot lock %s", tmp);
            close(fd);
            unlink(tmp);
            return -1;
        }
        if (st.st_nlink > 0)
            return fd;
        close(fd);   /* removed under us: the name is free again */
    }
    return errorf(err, "cannot create %s: it was removed as soon as it was created, "
                  "five times (is a prune running with --older-than 0?)", tmp);
}

int file_write_atomic_held(const char *dir, const char *name, const char *data, size_t len,
                           mode_t mode, int *held_fd, struct error *err)
{
    char tmp_name[NAME_MAX + 1], tmp[PATH_MAX], final[PATH_MAX];
    int n = snprintf(tmp_name, sizeof tmp_name, ".%s.tmp", name);
    if (n < 0 || (size_t)n >= sizeof tmp_name)
        return errorf(err, "file name too long: %s", name);
    if (path_join(tmp, sizeof tmp, dir, tmp_name, err) != 0 ||
        path_join(final, sizeof final, dir, name, err) != 0)
        return -1;

    int fd = create_locked_temp(tmp, mode, err);
    if (fd < 0)
        return -1;
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        errorf_errno(err, "cannot write %s", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, final) != 0) {
        errorf_errno(err, "cannot rename %s to %s", tmp, final);
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (fsync_dir(dir, err) != 0) {
        close(fd);
        return -1;
    }
    if (held_fd)
        *held_fd = fd;   /* the lock lives as long as this descriptor */
    else
        close(fd);
    return 0;
}

int file_write_atomic(const char *dir, const char *name, const char *data,
                      size_t len, mode_t mode, struct error *err)
{
    return file_write_atomic_held(dir, name, data, len, mode, NULL, err);
}

/* Reads the rest of an open regular file of at most max_size bytes. */
static enum read_status read_fd_limited(int fd, const char *path, size_t max_size,
                                        char **data, size_t *len, time_t *mtime,
                                        struct error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        errorf_errno(err, "cannot stat %s", path);
        return READ_ERROR;
    }
    if (!S_ISREG(st.st_mode)) {
        errorf(err, "%s is not a regular file", path);
        return READ_REFUSED;
    }
    if ((size_t)st.st_size > max_size) {
        errorf(err, "%s has %lld bytes, more than the limit of %zu",
               path, (long long)st.st_size, max_size);
        return READ_REFUSED;
    }
    if (mtime)
        *mtime = st.st_mtime;
    /* Sized by the file, not by the limit: a 1 MiB buffer per file is an
     * mmap and munmap each time, which dominated scans of 100,000 files.
     * One byte more than fstat said notices a file that grew since. */
    size_t cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap + 1);
    if (!buf) {
        errorf(err, "out of memory reading %s", path);
        return READ_ERROR;
    }
    size_t got = 0;
    for (;;) {
        if (got == cap) {
            if (cap > max_size)
                break;
            size_t more = cap * 2 > max_size + 1 ? max_size + 1 : cap * 2;
            char *bigger = realloc(buf, more + 1);
            if (!bigger) {
                free(buf);
                errorf(err, "out of memory reading %s", path);
                return READ_ERROR;
            }
            buf = bigger;
            cap = more;
        }
        size_t want = cap - got;
        ssize_t n = read(fd, buf + got, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errorf_errno(err, "cannot read %s", path);
            free(buf);
            return READ_ERROR;
        }
        got += (size_t)n;
        /* A regular file reads short only at its end: no read(2) just to
         * be told so (a third of the system calls of a directory scan). */
        if ((size_t)n < want)
            break;
    }
    if (got > max_size) {
        errorf(err, "%s grew past the limit of %zu bytes", path, max_size);
        free(buf);
        return READ_REFUSED;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return READ_OK;
}

enum read_status file_read_limited(const char *path, size_t max_size,
                                   char **data, size_t *len,
                                   struct error *err)
{
    return file_read_limited_at(AT_FDCWD, path, path, max_size, data, len, NULL, err);
}

enum read_status file_read_limited_at(int dirfd, const char *name, const char *path,
                                      size_t max_size, char **data, size_t *len,
                                      time_t *mtime, struct error *err)
{
    *data = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO planted under the expected name must not
     * hang the agent; fstat then rejects it. */
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int saved = errno;
        if (saved == ENOENT)
            return READ_MISSING;
        if (saved == ELOOP) {
            errorf(err, "%s is a symbolic link; refusing to follow it", path);
            return READ_REFUSED;
        }
        if (saved == EMFILE || saved == ENFILE) {
            /* Not "missing" and not a transient I/O error: say what it is. */
            errorf(err, "out of file descriptors opening %s (%s: %s)", path,
                   saved == EMFILE ? "EMFILE, this process's limit; raise LimitNOFILE/ulimit -n"
                                   : "ENFILE, the system's table is full", strerror(saved));
            errno = saved;
            return READ_NO_FDS;
        }
        errorf_errno(err, "cannot open %s", path);
        return READ_ERROR;
    }
    enum read_status status = read_fd_limited(fd, path, max_size, data, len, mtime, err);
    close(fd);
    return status;
}

enum lock_result file_lock_for_removal(const char *path, struct locked_file *lf,
                                       struct error *err)
{
    lf->fd = -1;
    if (strlen(path) >= sizeof lf->path) {
        errorf(err, "path too long: %.200s...", path);
        return LOCK_FAILED;
    }
    strcpy(lf->path, path);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT)
            return LOCK_GONE;
        if (errno == ELOOP)
            errorf(err, "%s is a symbolic link; not touching it", path);
        else
            errorf_errno(err, "cannot open %s", path);
        return LOCK_FAILED;
    }
    struct stat held, now;
    if (fstat(fd, &held) != 0 || !S_ISREG(held.st_mode)) {
        errorf(err, "%s is not a regular file; not touching it", path);
        close(fd);
        return LOCK_FAILED;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int saved = errno;
        close(fd);
        if (saved == EWOULDBLOCK)
            return LOCK_IN_USE;
        errno = saved;
        errorf_errno(err, "cannot lock %s", path);
        return LOCK_FAILED;
    }
    /* Between open and flock an agent may have renamed its temp file to
     * the final name, or removed it: then path is not what we hold. */
    if (lstat(path, &now) != 0 || now.st_dev != held.st_dev || now.st_ino != held.st_ino) {
        close(fd);
        return LOCK_GONE;
    }
    lf->fd = fd;
    return LOCK_TAKEN;
}

enum read_status locked_file_read(struct locked_file *lf, size_t max_size, char **data,
                                  size_t *len, struct error *err)
{
    *data = NULL;
    *len = 0;
    if (lseek(lf->fd, 0, SEEK_SET) != 0) {
        errorf_errno(err, "cannot read %s", lf->path);
        return READ_ERROR;
    }
    return read_fd_limited(lf->fd, lf->path, max_size, data, len, NULL, err);
}

int locked_file_remove(struct locked_file *lf, struct error *err)
{
    struct stat held, now;
    int rc = 0;
    if (fstat(lf->fd, &held) != 0)
        rc = errorf_errno(err, "cannot stat %s", lf->path);
    else if (lstat(lf->path, &now) != 0 || now.st_dev != held.st_dev || now.st_ino != held.st_ino)
        rc = errorf(err, "%s was replaced meanwhile; not removing it", lf->path);
    else if (unlink(lf->path) != 0)
        rc = errorf_errno(err, "cannot remove %s", lf->path);
    locked_file_release(lf);   /* only now: the unlink happened under the lock */
    return rc;
}

void locked_file_release(struct locked_file *lf)
{
    if (lf->fd >= 0)
        close(lf->fd);
    lf->fd = -1;
}

/* Opens the directory part of path without following a symlink in its
 * last component (parents may be symlinks, as in dir_ensure): a log
 * directory replaced by a symlink is refused, not written through. */
static int open_parent_dir(const char *path, const char **base, struct error *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *base = path;
        return AT_FDCWD;
    }
    *base = slash + 1;
    char dir[PATH_MAX];
    size_t n = (size_t)(slash - path);
    while (n > 1 && path[n - 1] == '/')   /* "d//f": a trailing slash would follow */
        n--;
    if (n >= sizeof dir) {
        errorf(err, "path too long: %.200s...", path);
        return -2;
    }
    memcpy(dir, path, n ? n : 1);
    dir[n ? n : 1] = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0)
        return fd;
    struct stat st;
    if ((errno == ELOOP || errno == ENOTDIR) && lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
        errorf(err, "directory %s is a symbolic link; refusing to write through it "
               "(replace it with a real directory)", dir);
    else
        errorf_errno(err, "cannot open directory %s", dir);
    return -2;
}

int file_append(const char *path, const char *line, size_t len, mode_t mode,
                struct error *err)
{
    return file_append_new(path, line, len, mode, NULL, err);
}

/* The file opened for appending; on_create(fd) when this call created it. */
static int open_appending(int dfd, const char *base, mode_t mode, void (*on_create)(int fd))
{
    int flags = O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
    if (!on_create)
        return openat(dfd, base, flags | O_CREAT, mode);
    int fd = openat(dfd, base, flags);
    if (fd >= 0 || errno != ENOENT)
        return fd;
    fd = openat(dfd, base, flags | O_CREAT | O_EXCL, mode);
    if (fd >= 0)
        on_create(fd);
    else if (errno == EEXIST)   /* another writer created it meanwhile */
        fd = openat(dfd, base, flags);
    return fd;
}

int file_append_new(const char *path, const char *line, size_t len, mode_t mode,
                    void (*on_create)(int fd), struct error *err)
{
    const char *base;
    int dfd = open_parent_dir(path, &base, err);
    if (dfd == -2)
        return -1;
    int fd = open_appending(dfd, base, mode, on_create);
    if (dfd >= 0) {
        int saved = errno;
        close(dfd);
        errno = saved;
    }
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
    /* A hard link planted under the log's name would make us write into
     * a file elsewhere (as a symlink would): refuse it the same way. */
    if (st.st_nlink > 1) {
        close(fd);
        return errorf(err, "%s has %ju hard links; refusing to append to a file that is also "
                      "elsewhere (remove the extra link)", path, (uintmax_t)st.st_nlink);
    }
    /* A line cut short by an earlier write (a full disk) has no newline:
     * this line starts on a line of its own, never glued to the fragment,
     * in the same write. Appenders take turns (the writers' queue), so the
     * last byte does not change under us. */
    char last = '\n';
    bool after_fragment = st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n';
    struct iovec iov[2] = { { .iov_base = (void *)"\n", .iov_len = 1 },
                            { .iov_base = (void *)line, .iov_len = len } };
    size_t total = len + (after_fragment ? 1 : 0);
    ssize_t n;
    do {
        n = writev(fd, after_fragment ? iov : iov + 1, after_fragment ? 2 : 1);
    } while (n < 0 && errno == EINTR);
    if (n < 0 || (size_t)n != total) {
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

/* Appends component c to the absolute path out (of size PATH_MAX),
 * applying "." and ".." lexically: used only below an existing ancestor
 * already resolved, where no symlink can intervene. */
static int push_component(char *out, const char *c, size_t n)
{
    if (n == 0 || (n == 1 && c[0] == '.'))
        return 0;
    size_t len = strlen(out);
    if (n == 2 && c[0] == '.' && c[1] == '.') {
        char *slash = strrchr(out, '/');
        if (slash)
            *(slash == out ? slash + 1 : slash) = '\0';
        return 0;
    }
    if (len + 1 + n >= PATH_MAX)
        return -1;
    if (len > 1)
        out[len++] = '/';
    memcpy(out + len, c, n);
    out[len + n] = '\0';
    return 0;
}

/* The canonical spelling of dir: realpath of its deepest existing
 * ancestor, then the remaining components. */
static int canonical_dir(const char *dir, char *out, struct error *err)
{
    char prefix[PATH_MAX];
    if (strlen(dir) >= sizeof prefix)
        return errorf(err, "path too long: %.200s...", dir);
    strcpy(prefix, dir);
    size_t cut = strlen(prefix);
    for (;;) {
        if (realpath(cut ? prefix : "/", out))
            break;
        if (errno != ENOENT && errno != ENOTDIR)
            return errorf_errno(err, "cannot resolve %s", prefix);
        char *slash = strrchr(prefix, '/');
        if (!slash)
            return errorf(err, "cannot resolve %s", dir);
        *slash = '\0';
        cut = (size_t)(slash - prefix);
    }
    for (const char *p = dir + cut; *p;) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (push_component(out, p, n) != 0)
            return errorf(err, "path too long: %.200s...", dir);
        p += n;
    }
    return 0;
}

int dirs_same(const char *a, const char *b, bool *same, struct error *err)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0) {
        *same = sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
        return 0;
    }
    char ca[PATH_MAX], cb[PATH_MAX];
    if (canonical_dir(a, ca, err) != 0 || canonical_dir(b, cb, err) != 0)
        return -1;
    *same = strcmp(ca, cb) == 0;
    return 0;
}
