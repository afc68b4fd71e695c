/* frbench: timing harness for bench/agent.sh, in C so the harness itself
 * costs microseconds, not the fork+exec of `date` a shell pays.
 *
 *   frbench spawn RUNS CMD [ARGS...]
 *       runs CMD RUNS times; prints "median_ms p99_ms max_rss_kib"
 *   frbench fence RUNS AGENT
 *       RUNS fences through AGENT (off), answered by a responder built in
 *       here that writes the response the instant the request appears
 *       (inotify, atomic rename, nnf-sos format); environment as for the
 *       agent (NNF_FENCE_REQUEST_DIR, ...). Prints
 *       "p50_ms p99_ms max_ms whole_p50_ms whole_p99_ms": the first three
 *       from the response's rename to the agent's exit, the last two from
 *       the agent's start to its exit. FRBENCH_AGENT_PRELOAD is put in
 *       the agent's LD_PRELOAD (bench/no_inotify.so: the poll-only path);
 *       FRBENCH_ANSWER_DELAY_MS delays each answer so the agent is waiting.
 *       Each fence starts once the last one's recorder has finished its
 *       record (unloaded), unless FRBENCH_BACK_TO_BACK is set.
 *   frbench burst N AGENT
 *       N agents at once, answered once all requests are out. Prints
 *       "p50_ms p99_ms max_ms exited_ms recorded_ms": response rename ->
 *       exit per agent, then from the start until every agent exited and
 *       until every recorder finished its record.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "protocol.h"

extern char **environ;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

static pid_t spawn(char **argv)
{
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);   /* PATH, as a shell would */
    if (rc != 0) {
        fprintf(stderr, "frbench: cannot run %s: %s\n", argv[0], strerror(rc));
        exit(1);
    }
    return pid;
}

static int cmd_spawn(int runs, char **argv)
{
    double *t = calloc((size_t)runs, sizeof *t);
    long max_rss = 0;
    int devnull = open("/dev/null", O_WRONLY);
    int saved = dup(STDOUT_FILENO);
    dup2(devnull, STDOUT_FILENO);
    for (int i = 0; i < runs; i++) {
        double t0 = now_ms();
        pid_t pid = spawn(argv);
        int status;
        struct rusage ru;
        if (wait4(pid, &status, 0, &ru) < 0)
            return 1;
        t[i] = now_ms() - t0;
        if (ru.ru_maxrss > max_rss)
            max_rss = ru.ru_maxrss;
    }
    dup2(saved, STDOUT_FILENO);
    double p99 = percentile(t, runs, 0.99);
    printf("%.3f %.3f %ld\n", percentile(t, runs, 0.5), p99, max_rss);
    free(t);
    return 0;
}

/* Waits for a request file for node; returns its name in name. */
static int await_request(int ino, const char *node, char *name, size_t size)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    size_t nlen = strlen(node);
    for (;;) {
        ssize_t n = read(ino, buf, sizeof buf);
        if (n <= 0)
            return -1;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (ev->len && strncmp(ev->name, node, nlen) == 0 && ev->name[nlen] == '-') {
                snprintf(name, size, "%s", ev->name);
                return 0;
            }
            p += sizeof *ev + ev->len;
        }
    }
}

/* Answers like nnf-sos: echo the request, success true, atomic rename.
 * Returns the time just before the rename. */
static double answer(const char *req_dir, const char *resp_dir, const char *name)
{
    char path[4096], tmp[4096], final[4096];
    struct error err;
    char *body;
    size_t len;
    snprintf(path, sizeof path, "%s/%s", req_dir, name);
    if (file_read_limited(path, 1 << 20, &body, &len, &err) != READ_OK) {
        fprintf(stderr, "frbench: %s\n", err.msg);
        exit(1);
    }
    struct strbuf sb = STRBUF_INIT;
    if (response_render(&sb, body, len, true, "fenced by frbench", &err) != 0) {
        fprintf(stderr, "frbench: %s\n", err.msg);
        exit(1);
    }
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", resp_dir, name);
    snprintf(final, sizeof final, "%s/%s", resp_dir, name);
    FILE *f = fopen(tmp, "w");
    if (!f || fwrite(sb.data, 1, sb.len, f) != sb.len || fclose(f) != 0) {
        perror(tmp);
        exit(1);
    }
    double t = now_ms();
    if (rename(tmp, final) != 0) {
        perror(final);
        exit(1);
    }
    strbuf_release(&sb);
    free(body);
    return t;
}

/* A burst's agents name their recorders' pids in this file (a test
 * hook), so the burst knows when every record is written. */
static char recorders[64];

/* The protocol directories from the environment, the request directory
 * watched for renames; -1 (said) if that cannot be. */
static int watch_requests(const char **req_dir, const char **resp_dir)
{
    *req_dir = getenv("NNF_FENCE_REQUEST_DIR");
    *resp_dir = getenv("NNF_FENCE_RESPONSE_DIR");
    if (!*req_dir || !*resp_dir) {
        fprintf(stderr, "frbench: set NNF_FENCE_REQUEST_DIR and NNF_FENCE_RESPONSE_DIR\n");
        return -1;
    }
    int ino = inotify_init1(IN_CLOEXEC);
    if (ino < 0 || inotify_add_watch(ino, *req_dir, IN_MOVED_TO) < 0) {
        perror("frbench: inotify on the request directory");
        return -1;
    }
    return ino;
}

/* Nobody may reap a recorder here (a container's first process): a
 * zombie has finished. */
static bool zombie(long pid)
{
    char path[64], st[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(st, 1, sizeof st - 1, f) : 0;
    if (f)
        fclose(f);
    st[n] = '\0';
    const char *end = strrchr(st, ')');
    return end && end[1] == ' ' && end[2] == 'Z';
}

/* Every orphan the agents left (their recorders, ours as a subreaper)
 * has finished. Unlike the test hook's pid file this costs the agent
 * nothing: the figures are those of a production fence. */
static void wait_for_orphans(void)
{
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
        ;
}

static void wait_for_all_recorders(void)
{
    FILE *f = fopen(recorders, "r");
    long pid;
    while (f && fscanf(f, "%ld", &pid) == 1)
        while (kill((pid_t)pid, 0) == 0 && !zombie(pid))
            usleep(1000);
    if (f)
        fclose(f);
}

/* The request of node, already written or still to come (a burst writes
 * them faster than inotify events are read here: look at the directory). */
static int await_request_any(const char *dir, const char *node, char *name, size_t size)
{
    size_t nlen = strlen(node);
    for (int tries = 0; tries < 60000; tries++) {
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (strncmp(e->d_name, node, nlen) == 0 && e->d_name[nlen] == '-') {
                snprintf(name, size, "%s", e->d_name);
                closedir(d);
                return 0;
            }
        if (d)
            closedir(d);
        usleep(1000);
    }
    fprintf(stderr, "frbench: no request for %s\n", node);
    return -1;
}

static int cmd_fence(int runs, char *agent)
{
    /* FRBENCH_BACK_TO_BACK=1: the next fence starts while the last one's
     * recorder may still be recording (a burst, in series). */
    bool settle = !getenv("FRBENCH_BACK_TO_BACK");
    if (settle && prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        perror("frbench: cannot become a subreaper");
        return 1;
    }
    const char *req_dir, *resp_dir;
    int ino = watch_requests(&req_dir, &resp_dir);
    if (ino < 0)
        return 1;
    /* The poll-only measurement preloads a shim into the agent, not us. */
    const char *preload = getenv("FRBENCH_AGENT_PRELOAD");
    if (preload)
        setenv("LD_PRELOAD", preload, 1);
    const char *delay = getenv("FRBENCH_ANSWER_DELAY_MS");
    useconds_t answer_delay_us = delay ? (useconds_t)(atof(delay) * 1000) : 0;
    double *lat = calloc((size_t)runs, sizeof *lat), *whole = calloc((size_t)runs, sizeof *whole);
    for (int i = 0; i < runs; i++) {
        char node[64], name[512];
        snprintf(node, sizeof node, "lat%d-%d", (int)getpid(), i);
        char *argv[] = { agent, "-q", "-o", "off", "-n", node, NULL };
        double t0 = now_ms();
        pid_t pid = spawn(argv);
        if (await_request(ino, node, name, sizeof name) != 0)
            return 1;
        /* Answer once the agent is surely in its wait, as a real storage
         * system would (it takes longer than the agent's own bookkeeping). */
        if (answer_delay_us)
            usleep(answer_delay_us);
        double renamed = answer(req_dir, resp_dir, name);
        int status;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "frbench: fence %d failed\n", i);
            return 1;
        }
        double end = now_ms();
        lat[i] = end - renamed;
        whole[i] = end - t0;
        if (settle)
            wait_for_orphans();
    }
    double max = percentile(lat, runs, 1.0);
    printf("%.3f %.3f %.3f %.3f %.3f\n", percentile(lat, runs, 0.5), percentile(lat, runs, 0.99),
           max, percentile(whole, runs, 0.5), percentile(whole, runs, 0.99));
    return 0;
}

/* N agents at once, each answered once every request is out (the
 * storage system answering a whole rack): per-agent latency from its
 * response's rename to its exit, the time until every agent exited, and
 * the time until every recorder had written its record. */
static int cmd_burst(int n, char *agent)
{
    const char *req_dir, *resp_dir;
    int ino = watch_requests(&req_dir, &resp_dir);
    if (ino < 0)
        return 1;
    snprintf(recorders, sizeof recorders, "/tmp/frbench-recorders.%d", (int)getpid());
    setenv("FENCE_RECORDER_TEST_RECORDERS", recorders, 1);
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    char (*names)[512] = calloc((size_t)n, sizeof *names);
    double *renamed = calloc((size_t)n, sizeof *renamed), *lat = calloc((size_t)n, sizeof *lat);
    double t0 = now_ms();
    for (int i = 0; i < n; i++) {
        char node[64];
        snprintf(node, sizeof node, "burst%d-%d", (int)getpid(), i);
        char *argv[] = { agent, "-q", "-o", "off", "-n", node, NULL };
        pids[i] = spawn(argv);
    }
    for (int i = 0; i < n; i++) {
        char node[64];
        snprintf(node, sizeof node, "burst%d-%d", (int)getpid(), i);
        if (await_request_any(req_dir, node, names[i], sizeof names[i]) != 0)
            return 1;
    }
    for (int i = 0; i < n; i++)
        renamed[i] = answer(req_dir, resp_dir, names[i]);
    for (int done = 0; done < n; done++) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        double end = now_ms();
        for (int i = 0; i < n; i++)
            if (pids[i] == pid) {
                lat[i] = end - renamed[i];
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                    fprintf(stderr, "frbench: fence %d failed\n", i);
            }
    }
    double exited = now_ms() - t0;
    wait_for_all_recorders();
    double recorded = now_ms() - t0;
    unlink(recorders);
    double max = percentile(lat, n, 1.0);
    printf("%.3f %.3f %.3f %.0f %.0f\n", percentile(lat, n, 0.5), percentile(lat, n, 0.99), max,
           exited, recorded);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "burst") == 0)
        return cmd_burst(atoi(argv[2]), argv[3]);
    if (argc >= 4 && strcmp(argv[1], "spawn") == 0)
        return cmd_spawn(atoi(argv[2]), argv + 3);
    if (argc == 4 && strcmp(argv[1], "fence") == 0)
        return cmd_fence(atoi(argv[2]), argv[3]);
    fprintf(stderr, "usage: frbench spawn RUNS CMD [ARGS...] | frbench fence RUNS AGENT | "
            "frbench burst N AGENT\n");
    return 2;
}
