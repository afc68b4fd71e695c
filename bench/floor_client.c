/* floor_client: the least any agent of this protocol must do, as the
 * reference for "one whole off" (bench/agent.sh): write the request
 * synced (dot-temp file, fsync, rename, directory fsync), wait for its
 * response with inotify, read it, exit. No options, no record, no
 * recorder, libc only; never installed. Run by frbench as an agent:
 *
 *   floor_client ... NODE     (the last argument names the node)
 *
 * FLOOR_RECORDER=1 adds the one thing an agent that records a kill at
 * any moment cannot do without: a process that outlives it, forked before
 * the request. Here it does nothing but hold the inotify instance (as the
 * agent's recorder does) until the agent's end, so the difference is the
 * price of the fork on this machine. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <unistd.h>

/* An idle recorder in its own session, gone once the agent is. */
static int fork_idle_recorder(void)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char b;
        setsid();
        close(p[1]);
        while (read(p[0], &b, 1) > 0)
            ;
        _exit(0);
    }
    close(p[0]);
    return 0;
}

static int fail(const char *what)
{
    perror(what);
    return 1;
}

/* A version 4 uuid from the kernel's random bytes. */
static int new_uuid(char out[37])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
        return -1;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
    return 0;
}

static int write_synced(const char *dir, const char *name, const char *body, size_t len)
{
    char tmp[PATH_MAX], final[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(final, sizeof final, "%s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, body, len) != (ssize_t)len || fsync(fd) != 0 || close(fd) != 0)
        return fail(tmp);
    if (rename(tmp, final) != 0)
        return fail(final);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) != 0)
        return fail(dir);
    close(dfd);
    return 0;
}

int main(int argc, char **argv)
{
    const char *rq = getenv("NNF_FENCE_REQUEST_DIR"), *rs = getenv("NNF_FENCE_RESPONSE_DIR");
    if (argc < 2 || !rq || !rs) {
        fprintf(stderr, "usage: floor_client ... NODE (NNF_FENCE_REQUEST_DIR and _RESPONSE_DIR set)\n");
        return 2;
    }
    const char *node = argv[argc - 1];
    char id[37], name[NAME_MAX + 1], body[1024], path[PATH_MAX], buf[65536];
    if (new_uuid(id) != 0)
        return fail("getrandom");
    snprintf(name, sizeof name, "%s-%s.json", node, id);
    int ino = inotify_init1(IN_CLOEXEC);
    if (ino < 0 || inotify_add_watch(ino, rs, IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
        return fail(rs);
    /* After the watch, as the agent's: the recorder holds the inotify
     * instance past the exit, so tearing it down is not the exit's cost. */
    const char *recorder = getenv("FLOOR_RECORDER");
    if (recorder && strcmp(recorder, "1") == 0 && fork_idle_recorder() != 0)
        return fail("fork");
    int len = snprintf(body, sizeof body, "{\n  \"request_id\": \"%s\",\n  \"timestamp\": "
                       "\"2026-01-01T00:00:00.000Z\",\n  \"action\": \"off\",\n  \"target_node\": "
                       "\"%s\",\n  \"recorder_node\": \"bench\"\n}\n", id, node);
    if (len < 0 || (size_t)len >= sizeof body || write_synced(rq, name, body, (size_t)len) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/%s", rs, name);
    for (;;) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t n = read(fd, buf, sizeof buf - 1);
            close(fd);
            buf[n > 0 ? n : 0] = '\0';
            return strstr(buf, id) && strstr(buf, "\"success\": true") ? 0 : 1;
        }
        if (read(ino, buf, sizeof buf) <= 0)
            return fail("inotify");
    }
}
