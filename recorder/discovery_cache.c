#include "discovery_cache.h"

#include "record_group.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "files.h"

#define CACHE_MAGIC "fence_recorder discovery cache 1"

/* What a later reader needs to act as if it had run the command itself. */
struct cached_run {
    int64_t ran_at_ms;       /* monotonic: shared by every process until reboot */
    int rc;
    struct command_result r;
    char err_msg[sizeof ((struct error *)0)->msg];
    char from[128];
};

static int cache_paths(const char *dir, const char *name, char *data, char *lock, size_t size)
{
    char file[128];
    snprintf(file, sizeof file, ".discovery-%s", name);
    if (path_join(data, size, dir, file, NULL) != 0)
        return -1;
    snprintf(file, sizeof file, ".discovery-%s.lock", name);
    return path_join(lock, size, dir, file, NULL);
}

/* The lock, waited for a little longer than one run of the command can
 * take; -1 if it cannot be had (then we run the command unshared). */
static int take_lock(const char *path, int64_t timeout_ms)
{
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    int64_t deadline = monotonic_ms() + timeout_ms + 1000;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if ((errno != EWOULDBLOCK && errno != EINTR) || monotonic_ms() >= deadline) {
            close(fd);
            return -1;
        }
        usleep(5000);
    }
    return fd;
}

/* Header line, stderr text, stdout text. Read back by parse_cache. */
static void store(const char *path, const struct cached_run *c)
{
    char tmp[4200];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return;
    FILE *f = NULL;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0)
        f = fdopen(fd, "w");
    if (!f) {
        if (fd >= 0)
            close(fd);
        return;
    }
    size_t err_len = strlen(c->r.err), msg_len = strlen(c->err_msg);
    fprintf(f, "%s %" PRId64 " %d %d %d %d %zu %zu %zu %s\n", CACHE_MAGIC, c->ran_at_ms, c->rc,
            c->r.exec_failed, c->r.timed_out, c->r.exit_status, err_len, msg_len, c->r.out_len,
            c->from);
    fwrite(c->r.err, 1, err_len, f);
    fwrite(c->err_msg, 1, msg_len, f);
    if (c->r.out_len)
        fwrite(c->r.out, 1, c->r.out_len, f);
    /* A cache: no fsync. A torn file after a crash fails to parse and is
     * simply run again. */
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        unlink(tmp);
}

static bool take_bytes(const char **p, const char *end, size_t n, char *dst, size_t dst_size)
{
    if ((size_t)(end - *p) < n || n >= dst_size)
        return false;
    memcpy(dst, *p, n);
    dst[n] = '\0';
    *p += n;
    return true;
}

static bool parse_cache(const char *data, size_t len, struct cached_run *c)
{
    int exec_failed, timed_out, used = 0;
    size_t err_len, msg_len, out_len;
    memset(c, 0, sizeof *c);
    if (sscanf(data, CACHE_MAGIC " %" SCNd64 " %d %d %d %d %zu %zu %zu %127[^\n]%n",
               &c->ran_at_ms, &c->rc, &exec_failed, &timed_out, &c->r.exit_status, &err_len,
               &msg_len, &out_len, c->from, &used) != 9 || used == 0 || data[used] != '\n')
        return false;
    const char *p = data + used + 1, *end = data + len;
    c->r.exec_failed = exec_failed;
    c->r.timed_out = timed_out;
    if (!take_bytes(&p, end, err_len, c->r.err, sizeof c->r.err) ||
        !take_bytes(&p, end, msg_len, c->err_msg, sizeof c->err_msg) ||
        (size_t)(end - p) != out_len)
        return false;
    c->r.out = malloc(out_len + 1);
    if (!c->r.out)
        return false;
    memcpy(c->r.out, p, out_len);
    c->r.out[out_len] = '\0';
    c->r.out_len = out_len;
    return true;
}

/* A fresh result from the cache, or false. */
static bool load(const char *path, size_t max_out, struct cached_run *c)
{
    char *data;
    size_t len;
    struct error ignored;
    if (file_read_limited(path, max_out + 8192, &data, &len, &ignored) != READ_OK)
        return false;
    bool ok = parse_cache(data, len, c);
    free(data);
    int64_t age = monotonic_ms() - c->ran_at_ms;
    if (ok && age >= 0 && age < DISCOVERY_SHARE_MS)
        return true;
    command_result_free(&c->r);
    return false;
}

static int run_and_store(const char *path, char *const argv[], int64_t timeout_ms,
                         size_t max_out, struct command_result *r, struct error *err)
{
    struct cached_run c = { .ran_at_ms = monotonic_ms() };
    struct stamp now;
    stamp_now(&now);
    snprintf(c.from, sizeof c.from, "pid %ld at %s", (long)getpid(), now.iso_ms);
    c.rc = command_run(argv, timeout_ms, max_out, r, err);
    if (c.rc != 0)
        snprintf(c.err_msg, sizeof c.err_msg, "%s", err->msg);
    c.r = *r;
    store(path, &c);
    return c.rc;
}

int discovery_cached_run(const char *cache_dir, const char *name, char *const argv[],
                         int64_t timeout_ms, size_t max_out, struct command_result *r,
                         struct cache_use *use, struct error *err)
{
    char data_path[4096], lock_path[4096];
    memset(use, 0, sizeof *use);
    int lock = -1;
    struct error ignored;
    /* The database's directory, created here if this is the first fence
     * ever: the first burst shares its runs too. */
    if (cache_dir && record_dir_ensure(cache_dir, &ignored) == 0 &&
        cache_paths(cache_dir, name, data_path, lock_path, sizeof data_path) == 0)
        lock = take_lock(lock_path, timeout_ms);
    if (lock < 0)
        return command_run(argv, timeout_ms, max_out, r, err);
    struct cached_run c;
    int rc;
    if (load(data_path, max_out, &c)) {
        *r = c.r;
        use->shared = true;
        snprintf(use->from, sizeof use->from, "%s", c.from);
        rc = c.rc;
        if (rc != 0)
            errorf(err, "%s", c.err_msg);
    } else {
        rc = run_and_store(data_path, argv, timeout_ms, max_out, r, err);
    }
    close(lock);
    return rc;
}
