#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "files.h"

static int probe_failed(struct error *err, const char *step, const char *dir, int fd,
                        const char *path)
{
    int saved = errno;
    if (fd >= 0)
        close(fd);
    if (path)
        unlink(path);
    errno = saved;
    if (saved == ENOSPC || saved == EDQUOT)
        return errorf(err, "%s is full (%s while trying to %s a file there): every fence "
                      "would fail to write its request", dir, strerror(saved), step);
    return errorf(err, "%s: cannot %s a file there (%s): every fence would fail to write its "
                  "request", dir, step, strerror(saved));
}

int dir_write_probe(const char *dir, bool sync, struct error *err)
{
    char name[64], path[4096];
    snprintf(name, sizeof name, ".fence_recorder-probe-%ld.tmp", (long)getpid());
    if (path_join(path, sizeof path, dir, name, err) != 0)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0 && errno == EEXIST) {
        /* Left by a probe of ours that was killed (same pid, reused): ours
         * to replace, never followed (lstat: only a regular file). */
        struct error ignored;
        if (file_remove_regular(path, &ignored) == 0)
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
        else
            errno = EEXIST;
    }
    if (fd < 0)
        return probe_failed(err, "create", dir, -1, NULL);
    char block[PROBE_BYTES];
    memset(block, '\n', sizeof block);
    size_t done = 0;
    while (done < sizeof block) {
        ssize_t n = write(fd, block + done, sizeof block - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            return probe_failed(err, "write", dir, fd, path);
        }
        done += (size_t)n;
    }
    if (sync && fsync(fd) != 0)
        return probe_failed(err, "sync", dir, fd, path);
    /* On NFS a full server shows no earlier than here, at the flush. */
    if (close(fd) != 0)
        return probe_failed(err, "write", dir, -1, path);
    if (unlink(path) != 0 && errno != ENOENT)   /* ENOENT: a prune took it */
        return errorf_errno(err, "cannot remove the probe file %s", path);
    return 0;
}
