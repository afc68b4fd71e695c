/* The debug file as a second destination of stderr: everything already
 * written with fprintf(stderr, ...) (options, the record, the actions)
 * reaches it without each writer knowing. A custom stdio stream
 * (fopencookie) writes each buffer to fd 2 and to the file; it is
 * unbuffered, so a line is in both places before the next one starts and
 * nothing waits in a buffer if Pacemaker kills the agent. */
#include "debug_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

static int debug_fd = -1;

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;   /* a full or broken destination loses the copy, nothing else */
        buf += n;
        len -= (size_t)n;
    }
}

static ssize_t tee_write(void *cookie, const char *buf, size_t len)
{
    (void)cookie;
    write_all(STDERR_FILENO, buf, len);
    if (debug_fd >= 0)
        write_all(debug_fd, buf, len);
    return (ssize_t)len;
}

void debug_file_attach(const char *path)
{
    /* O_NONBLOCK: a FIFO without a reader fails instead of hanging. */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
                  MODE_LOG);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
        errno = EINVAL;
    }
    if (fd < 0) {
        fprintf(stderr, "fence_recorder: WARNING: cannot open debug_file %s: %s; "
                "messages go to stderr only\n", path, strerror(errno));
        return;
    }
    cookie_io_functions_t io = { .write = tee_write };
    FILE *tee = fopencookie(NULL, "w", io);
    if (!tee) {
        fprintf(stderr, "fence_recorder: WARNING: debug_file %s: out of memory; "
                "messages go to stderr only\n", path);
        close(fd);
        return;
    }
    setvbuf(tee, NULL, _IOLBF, 0);
    debug_fd = fd;
    stderr = tee;
}
