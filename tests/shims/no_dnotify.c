/* LD_PRELOAD shim: fcntl(F_NOTIFY) fails as on a file system without
 * dnotify (NFS); every other fcntl goes through. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>

typedef int (*fcntl_fn)(int, int, ...);

static int forward(const char *name, int fd, int cmd, void *arg)
{
    fcntl_fn real = (fcntl_fn)dlsym(RTLD_NEXT, name);
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    return real(fd, cmd, arg);
}

static int shim(const char *name, int fd, int cmd, va_list ap)
{
    void *arg = va_arg(ap, void *);
    if (cmd == F_NOTIFY) {
        errno = EINVAL;
        return -1;
    }
    return forward(name, fd, cmd, arg);
}

int fcntl(int fd, int cmd, ...);
int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    int rc = shim("fcntl", fd, cmd, ap);
    va_end(ap);
    return rc;
}

int fcntl64(int fd, int cmd, ...);
int fcntl64(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    int rc = shim("fcntl64", fd, cmd, ap);
    va_end(ap);
    return rc;
}
