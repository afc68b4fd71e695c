/* Replacing a file that another program reads on its own schedule
 * (node_exporter's textfile collector): a unique temp file in the same
 * directory, fsync'd, renamed over the name. A temp file left by a
 * killed run never blocks the next one (mkstemp, not a fixed name), and
 * its name (".NAME.XXXXXX") is not one the collector reads. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_output.h"

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Only a regular file of our own is replaced: as root, --output /dev/null
 * would otherwise replace the device with a file, and a symlink would be
 * replaced where its owner meant it to point on. */
static int refuse_what_is_not_ours(const char *path, struct error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : errorf_errno(err, "cannot check %s", path);
    if (S_ISREG(st.st_mode))
        return 0;
    const char *what = S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ? "a directory"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                     : S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket"
                     : "not a regular file";
    return errorf(err, "%s is %s; refusing to replace it (name a regular file, or a path "
                  "that does not exist yet)", path, what);
}

int atomic_output(const char *path, const char *data, size_t len, mode_t mode, struct error *err)
{
    char dir_buf[PATH_MAX], name_buf[PATH_MAX], tmp[PATH_MAX];
    if (strlen(path) >= sizeof dir_buf)
        return errorf(err, "output path too long: %s", path);
    if (refuse_what_is_not_ours(path, err) != 0)
        return -1;
    strcpy(dir_buf, path);
    strcpy(name_buf, path);
    const char *dir = dirname(dir_buf), *name = basename(name_buf);
    if (snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name) >= (int)sizeof tmp)
        return errorf(err, "output path too long: %s", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return errorf_errno(err, "cannot create a temporary file in %s", dir);
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        errorf_errno(err, "cannot write %s", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        errorf_errno(err, "cannot replace %s", path);
        unlink(tmp);
        return -1;
    }
    /* The rename itself survives a crash once the directory is synced. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}
