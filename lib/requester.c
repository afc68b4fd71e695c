/* What asked for a fence, read from /proc while it still runs. */
#include "requester.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Up to size-1 bytes of a /proc file, NULs (cmdline's separators) and
 * anything unprintable made readable; false if it cannot be read. */
static bool read_proc(long pid, const char *name, char *out, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/%s", pid, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    ssize_t n;
    while ((n = read(fd, out, size - 1)) < 0 && errno == EINTR)
        ;
    close(fd);
    if (n < 0)
        return false;
    while (n > 0 && (out[n - 1] == '\0' || out[n - 1] == '\n'))
        n--;
    for (ssize_t i = 0; i < n; i++)
        if (out[i] == '\0')
            out[i] = ' ';
        else if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
            out[i] = '?';
    out[n] = '\0';
    return true;
}

#define TASK_COMM_MAX 15   /* TASK_COMM_LEN less its NUL */

/* The base name of /proc/<pid>/exe, without the " (deleted)" the kernel
 * appends when the file was replaced (a package upgrade). */
static bool read_exe_name(long pid, char *out, size_t size)
{
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/%ld/exe", pid);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return false;
    target[n] = '\0';
    char *deleted = strstr(target, " (deleted)");
    if (deleted && deleted[strlen(" (deleted)")] == '\0')
        *deleted = '\0';
    const char *base = strrchr(target, '/');
    base = base ? base + 1 : target;
    size_t len = strlen(base);
    if (!len || len >= size)
        return false;
    memcpy(out, base, len + 1);
    return true;
}

/* The kernel cuts comm to 15 characters ("pacemaker-fence" for
 * pacemaker-fenced): a cut name is completed from the executable's, when
 * that begins with it. Otherwise comm stays (a script's comm is its own
 * name, its executable the interpreter's). */
static void complete_comm(long pid, char *comm, size_t size)
{
    char exe[256];
    size_t len = strlen(comm);
    if (len == TASK_COMM_MAX && read_exe_name(pid, exe, sizeof exe) &&
        strncmp(exe, comm, len) == 0 && strlen(exe) < size)
        memcpy(comm, exe, strlen(exe) + 1);
}

void requester_read(long pid, struct requester *out)
{
    memset(out, 0, sizeof *out);
    const char *service = getenv("PCMK_service");
    if (service)
        snprintf(out->service, sizeof out->service, "%s", service);
    if (pid <= 0)
        return;   /* unknown (pid 1 is kept: init or a unit started the agent) */
    out->pid = pid;
    if (!read_proc(pid, "comm", out->comm, sizeof out->comm))
        snprintf(out->comm, sizeof out->comm, "(gone)");
    else
        complete_comm(pid, out->comm, sizeof out->comm);
    read_proc(pid, "cmdline", out->cmdline, sizeof out->cmdline);
}

