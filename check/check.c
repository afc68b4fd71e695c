/* The watchdog check: configuration, the node's name, the scan of the
 * response directory with retries, the deadline and the hard reboot.
 * The one rule throughout: exit non-zero only on a fence of this node
 * that the check has confirmed; anything it cannot confirm (no
 * directory, a bad configuration, a clock it cannot trust, its own
 * deadline) exits 0 and says so loudly. */
#include "check.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "bootfence.h"
#include "clock.h"
#include "command.h"
#include "config.h"
#include "files.h"
#include "names.h"
#include "respdir.h"

#define CONF_MAX_BYTES (64 * 1024)
#define CRM_NODE_TIMEOUT_MS 5000
#define RETRY_MAX 100
#define RETRY_SLEEP_MAX 60.0
#define TIMEOUT_MAX 3600.0
#define CLOCK_SKEW_MAX 86400

struct check_config {
    char path[4096];
    bool found;                 /* the file exists */
    char response_dir[4096];
    char node[NODE_NAME_MAX + 1];
    int retry;                  /* re-checks after the first that found a fence */
    double retry_sleep;         /* seconds between checks */
    double timeout;             /* seconds for the whole check */
    int clock_skew;             /* seconds a fence may lie ahead of this clock */
    bool verbose;
};

static const char *prog = "fence-recorder-check";
static bool use_syslog = true;
static bool verbose;

static void say(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int prio, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", prog, msg);
    if (use_syslog)
        syslog(prio, "%s", msg);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    if (!verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void ms_text(int64_t ms, char *out, size_t size)
{
    time_t t = (time_t)(ms / 1000);
    if (ms < 0 || utc_format(t, "%Y-%m-%dT%H:%M:%SZ", out, size) != 0)
        snprintf(out, size, "%lld ms", (long long)ms);
}

/* ---- configuration ------------------------------------------------------ */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int set_key(struct check_config *c, const char *key, const char *val, struct error *err)
{
    double v;
    const char *why = NULL;
    if (strcmp(key, "response_dir") == 0) {
        if (val[0] != '/')
            return errorf(err, "response_dir must be an absolute path, not '%.200s'", val);
        if (strlen(val) >= 4000)
            return errorf(err, "response_dir is too long");
        snprintf(c->response_dir, sizeof c->response_dir, "%s", val);
    } else if (strcmp(key, "node") == 0) {
        if (!node_name_valid(val, &why)) {
            char shown[128];
            node_name_escape(val, shown, sizeof shown);
            return errorf(err, "node '%s' is not a valid node name: %s", shown, why);
        }
        snprintf(c->node, sizeof c->node, "%s", val);
    } else if (strcmp(key, "retry") == 0) {
        if (!parse_number(val, true, &v) || v < 0 || v > RETRY_MAX)
            return errorf(err, "retry must be a whole number from 0 to %d, not '%.100s'",
                          RETRY_MAX, val);
        c->retry = (int)v;
    } else if (strcmp(key, "retry_sleep") == 0 || strcmp(key, "retry-sleep") == 0) {
        if (!parse_number(val, false, &v) || v < 0 || v > RETRY_SLEEP_MAX)
            return errorf(err, "retry_sleep must be a number of seconds from 0 to %g, not '%.100s'",
                          RETRY_SLEEP_MAX, val);
        c->retry_sleep = v;
    } else if (strcmp(key, "timeout") == 0) {
        if (!parse_number(val, false, &v) || v < 1 || v > TIMEOUT_MAX)
            return errorf(err, "timeout must be a number of seconds from 1 to %g, not '%.100s'",
                          TIMEOUT_MAX, val);
        c->timeout = v;
    } else if (strcmp(key, "clock_skew") == 0) {
        if (!parse_number(val, true, &v) || v < 0 || v > CLOCK_SKEW_MAX)
            return errorf(err, "clock_skew must be whole seconds from 0 to %d, not '%.100s'",
                          CLOCK_SKEW_MAX, val);
        c->clock_skew = (int)v;
    } else if (strcmp(key, "verbose") == 0) {
        if (!parse_bool(val, &c->verbose))
            return errorf(err, "verbose must be yes or no, not '%.100s'", val);
    } else {
        return errorf(err, "unknown setting '%.100s' (known: response_dir, node, retry, "
                      "retry_sleep, timeout, clock_skew, verbose)", key);
    }
    return 0;
}

/* Defaults, then the file (if it exists), then the checks across settings. */
static int config_load(struct check_config *c, struct error *err)
{
    memset(c, 0, sizeof *c);
    const char *path = getenv(ENV_CHECK_CONF);
    snprintf(c->path, sizeof c->path, "%s", path && path[0] ? path : CHECK_CONF_DEFAULT);
    struct paths p = { 0 };
    char unused[16];
    paths_resolve(&p, unused, sizeof unused);
    snprintf(c->response_dir, sizeof c->response_dir, "%s", p.response_dir);
    c->retry = 0;
    c->retry_sleep = 1;
    c->timeout = 30;
    c->clock_skew = 60;

    char *data = NULL;
    size_t len = 0;
    struct error rerr;
    enum read_status rs = file_read_limited(c->path, CONF_MAX_BYTES, &data, &len, &rerr);
    if (rs == READ_MISSING)
        return 0;
    if (rs != READ_OK)
        return errorf(err, "%s", rerr.msg);
    c->found = true;
    int rc = 0;
    if (memchr(data, '\0', len)) {
        rc = errorf(err, "%s: holds a NUL byte, not a text file", c->path);
    } else {
        unsigned seen = 0;   /* one bit per key, against a setting given twice */
        static const char *const keys[] = { "response_dir", "node", "retry", "retry_sleep",
                                            "timeout", "clock_skew", "verbose" };
        int lineno = 0;
        for (char *line = data, *next; rc == 0 && line && *line; line = next) {
            lineno++;
            next = strchr(line, '\n');
            if (next)
                *next++ = '\0';
            char *s = trim(line);
            if (!*s || *s == '#')
                continue;
            char *eq = strchr(s, '=');
            if (!eq) {
                rc = errorf(err, "%s:%d: not key=value: '%.100s'", c->path, lineno, s);
                break;
            }
            *eq = '\0';
            char *key = trim(s), *val = trim(eq + 1);
            struct error kerr;
            if (set_key(c, key, val, &kerr) != 0) {
                rc = errorf(err, "%s:%d: %s", c->path, lineno, kerr.msg);
                break;
            }
            for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++) {
                bool same = strcmp(key, keys[i]) == 0 ||
                            (i == 3 && strcmp(key, "retry-sleep") == 0);
                if (same && (seen & (1u << i)))
                    rc = errorf(err, "%s:%d: %s is set twice", c->path, lineno, keys[i]);
                if (same)
                    seen |= 1u << i;
            }
        }
    }
    free(data);
    if (rc == 0 && c->retry * c->retry_sleep + 1 > c->timeout)
        rc = errorf(err, "%s: retry (%d) x retry_sleep (%g s) leaves no time within timeout "
                    "(%g s): give the checks at least one second more", c->path, c->retry,
                    c->retry_sleep, c->timeout);
    return rc;
}

/* ---- the node's name ---------------------------------------------------- */

/* The name Pacemaker knows this node by: the configured node, else
 * `crm_node -n` (within CRM_NODE_TIMEOUT_MS), else the kernel's nodename.
 * Response files are matched to it ignoring ASCII case, as the agent and
 * Pacemaker's fencer match node names. */
static int node_resolve(const struct check_config *c, char *out, size_t size,
                        const char **source, struct error *err)
{
    if (c->node[0]) {
        snprintf(out, size, "%s", c->node);
        *source = "the configuration";
        return 0;
    }
    char *argv[] = { "crm_node", "-n", NULL };
    struct command_result r;
    struct error cerr;
    const char *why = NULL;
    int rc = command_run(argv, CRM_NODE_TIMEOUT_MS, 4096, &r, &cerr);
    if (rc == 0 && !r.exec_failed && !r.timed_out && r.exit_status == 0 && r.out) {
        char *line = r.out;
        line[strcspn(line, "\r\n")] = '\0';
        line = trim(line);
        if (node_name_valid(line, &why) && strlen(line) < size) {
            snprintf(out, size, "%s", line);
            *source = "crm_node -n";
            command_result_free(&r);
            return 0;
        }
        note("crm_node -n printed no valid node name (%s); using the kernel's nodename",
             why ? why : "too long");
    } else if (rc != 0 || r.exec_failed) {
        note("crm_node -n could not run (%s); using the kernel's nodename",
             rc != 0 ? cerr.msg : "not found");
    } else {
        if (r.timed_out)
            note("crm_node -n did not answer within %d s; using the kernel's nodename",
                 CRM_NODE_TIMEOUT_MS / 1000);
        else
            note("crm_node -n exited %d (Pacemaker down?); using the kernel's nodename",
                 r.exit_status);
    }
    command_result_free(&r);
    struct utsname u;
    if (uname(&u) != 0)
        return errorf_errno(err, "cannot read the kernel's nodename");
    if (!node_name_valid(u.nodename, &why))
        return errorf(err, "the kernel's nodename '%.100s' is not a valid node name (%s): "
                      "set node= in the configuration", u.nodename, why);
    snprintf(out, size, "%s", u.nodename);
    *source = "uname";
    return 0;
}

/* ---- one look at the response directory --------------------------------- */

enum look { LOOK_HEALTHY, LOOK_FENCED, LOOK_DOUBT };

struct scan {
    const struct check_config *c;
    int64_t boot_ms, now_ms;
    bool fenced;
    char file[PROTOCOL_NAME_MAX + 1];
    int64_t fence_ms;
    const char *time_source;
};

/* When the fence was made: the response's timestamp (nnf-sos echoes the
 * request's; other responders write their own) when it is an ISO 8601
 * time with an offset, else the file's modification time. */
static int64_t fence_time(const struct response_file *f, const char **source)
{
    int64_t ms = 0;
    cJSON *o = cJSON_ParseWithLength(f->body, f->len);
    const cJSON *ts = o ? cJSON_GetObjectItemCaseSensitive(o, "timestamp") : NULL;
    bool ok = cJSON_IsString(ts) && iso8601_to_ms(ts->valuestring, &ms);
    cJSON_Delete(o);
    if (ok) {
        *source = "timestamp";
        return ms;
    }
    *source = "modification time";
    return (int64_t)f->mtime * 1000;
}

static int visit(const struct response_file *f, void *arg)
{
    struct scan *sc = arg;
    if (f->read != READ_OK) {
        note("%s: not read (%s): not a fence", f->file_name, f->problem.msg);
        return 0;
    }
    if (!response_file_fences(f)) {
        note("%s: %s: not a fence", f->file_name,
             f->verdict == RESPONSE_VALID ? "success is false" : f->problem.msg);
        return 0;
    }
    const char *source;
    int64_t at = fence_time(f, &source);
    enum fence_age age = fence_age_judge(at, sc->boot_ms, sc->now_ms,
                                         (int64_t)sc->c->clock_skew * 1000);
    char at_text[40], boot_text[40];
    ms_text(at, at_text, sizeof at_text);
    ms_text(sc->boot_ms, boot_text, sizeof boot_text);
    if (age == FENCE_IN_FUTURE) {
        say(LOG_WARNING, "%s fences this node at %s (its %s), more than %d s ahead of this "
            "clock: a clock is wrong, so it is not counted (this node booted at %s)",
            f->file_name, at_text, source, sc->c->clock_skew, boot_text);
        return 0;
    }
    note("%s: a fence at %s (its %s), %s at %s", f->file_name, at_text, source,
         fence_age_name(age), boot_text);
    if (age != FENCE_AFTER_BOOT)
        return 0;
    sc->fenced = true;
    snprintf(sc->file, sizeof sc->file, "%s", f->file_name);
    sc->fence_ms = at;
    sc->time_source = source;
    return 1;
}

static enum look look_once(const struct check_config *c, const char *node, struct scan *sc)
{
    struct error err;
    memset(sc, 0, sizeof *sc);
    sc->c = c;
    if (boot_and_now_ms(&sc->boot_ms, &sc->now_ms, &err) != 0) {
        say(LOG_WARNING, "%s: not checked, this node is not rebooted on a doubt", err.msg);
        return LOOK_DOUBT;
    }
    if (response_dir_scan(c->response_dir, node, visit, sc, &err) < 0) {
        say(LOG_WARNING, "%s: the response directory cannot be read, so this node's fence "
            "cannot be confirmed: not rebooting on a doubt", err.msg);
        return LOOK_DOUBT;
    }
    return sc->fenced ? LOOK_FENCED : LOOK_HEALTHY;
}

static void sleep_seconds(double s)
{
    struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* The check itself: retry + 1 looks, retry_sleep apart; fenced only if
 * every look found a fence of this boot. */
static int run_check(const struct check_config *c)
{
    char node[NODE_NAME_MAX + 1];
    const char *source;
    struct error err;
    if (node_resolve(c, node, sizeof node, &source, &err) != 0) {
        say(LOG_ERR, "%s: not checked, this node is not rebooted on a doubt", err.msg);
        return CHECK_EXIT_HEALTHY;
    }
    note("node %s (from %s), response directory %s", node, source, c->response_dir);
    struct scan sc;
    for (int n = 0; n <= c->retry; n++) {
        enum look l = look_once(c, node, &sc);
        if (l != LOOK_FENCED) {
            if (l == LOOK_HEALTHY)
                note("healthy%s", n ? " on a re-check: the fence seen before is gone" : "");
            return CHECK_EXIT_HEALTHY;
        }
        if (n < c->retry) {
            note("%s fences this node (look %d of %d); looking again in %g s", sc.file, n + 1,
                 c->retry + 1, c->retry_sleep);
            sleep_seconds(c->retry_sleep);
        }
    }
    char at_text[40], boot_text[40];
    ms_text(sc.fence_ms, at_text, sizeof at_text);
    ms_text(sc.boot_ms, boot_text, sizeof boot_text);
    say(LOG_CRIT, "node %s is storage-fenced: %s/%s says success, fenced at %s (its %s), "
        "after this boot at %s%s", node, c->response_dir, sc.file, at_text, sc.time_source,
        boot_text, c->retry ? "; seen on every re-check" : "");
    return CHECK_EXIT_FENCED;
}

/* The check in a child, waited for at most timeout seconds: a check that
 * hangs (an NFS response directory whose server is gone, a crm_node that
 * never answers) is a doubt, and this process still exits in time for
 * watchdog. The child is killed and left to init. */
static int run_with_deadline(const struct check_config *c)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        say(LOG_WARNING, "cannot create a pipe: %s: checking without a deadline",
            strerror(errno));
        return run_check(c);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        say(LOG_WARNING, "cannot fork: %s: checking without a deadline", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return run_check(c);
    }
    if (pid == 0) {
        close(fds[0]);
        int code = run_check(c);
        fflush(NULL);
        _exit(code);
    }
    close(fds[1]);
    int64_t deadline = monotonic_ms() + (int64_t)(c->timeout * 1000);
    bool ended = false;   /* EOF: the child has exited (nothing is ever written) */
    while (!ended) {
        int64_t left = deadline - monotonic_ms();
        if (left <= 0)
            break;
        struct pollfd p = { .fd = fds[0], .events = POLLIN };
        int r = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
        if (r < 0 && errno != EINTR)
            break;
        ended = r > 0;
    }
    close(fds[0]);
    int status;
    pid_t w = 0;
    /* EOF comes an instant before the child can be reaped. */
    int64_t reap_until = ended ? monotonic_ms() + 1000 : 0;
    while ((w = waitpid(pid, &status, WNOHANG)) == 0 && monotonic_ms() < reap_until)
        usleep(1000);
    if (w == pid && WIFEXITED(status))
        return WEXITSTATUS(status);
    if (w == pid) {
        say(LOG_WARNING, "the check died by signal %d: not rebooting on a doubt",
            WTERMSIG(status));
        return CHECK_EXIT_HEALTHY;
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, WNOHANG);
    say(LOG_WARNING, "the check did not finish within timeout (%g s): the response directory "
        "or crm_node hangs? Not rebooting on a doubt", c->timeout);
    return CHECK_EXIT_HEALTHY;
}

/* ---- arguments ---------------------------------------------------------- */

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: %s [test]            check this node (watchdog passes \"test\")\n"
            "       %s repair CODE       what watchdog calls after a failed test: exits CODE\n"
            "       %s --validate        check the configuration, show the settings\n"
            "       %s --help | --version\n"
            "\n"
            "Exits 0 while this node is not storage-fenced, %d when a successful response\n"
            "file fences it from a fence made after this boot. Anything the check cannot\n"
            "confirm exits 0 with a message. Configuration: %s (%s overrides the path).\n"
            "See fence-recorder-check(8).\n",
            prog, prog, prog, prog, CHECK_EXIT_FENCED, CHECK_CONF_DEFAULT, ENV_CHECK_CONF);
}

/* "repair CODE": a storage fence cannot be undone from the fenced node,
 * so the repair fails with the code of the failed test, and watchdog
 * reboots. No I/O: a repair never hangs. */
static int repair(int argc, char **argv)
{
    double v;
    if (argc == 3 && parse_number(argv[2], true, &v) && v >= 0 && v <= 255)
        return (int)v;
    say(LOG_ERR, "repair wants one exit code from 0 to 255 (watchdog passes the failed "
        "test's); exiting %d so that watchdog's reboot goes ahead", CHECK_EXIT_FENCED);
    return CHECK_EXIT_FENCED;
}

static int validate(void)
{
    struct check_config c;
    struct error err;
    if (config_load(&c, &err) != 0) {
        fprintf(stderr, "%s: %s\n", prog, err.msg);
        return 1;
    }
    verbose = c.verbose;
    char node[NODE_NAME_MAX + 1];
    const char *source;
    if (node_resolve(&c, node, sizeof node, &source, &err) != 0) {
        fprintf(stderr, "%s: %s\n", prog, err.msg);
        return 1;
    }
    printf("config: %s%s\n"
           "node: %s (from %s)\n"
           "response_dir: %s\n"
           "retry: %d\nretry_sleep: %g\ntimeout: %g\nclock_skew: %d\nverbose: %s\n",
           c.path, c.found ? "" : " (absent: defaults)", node, source, c.response_dir,
           c.retry, c.retry_sleep, c.timeout, c.clock_skew, c.verbose ? "yes" : "no");
    return 0;
}

/* Storage is fenced: sync(2) could wait forever on the detached storage
 * (a GFS2 file system, a device queueing I/O), which is the very hang a
 * hard reboot is for. So no sync, as fence_scsi_check_hardreboot. */
static int hard_reboot(void)
{
    say(LOG_CRIT, "rebooting this node now with reboot(2), without sync: its storage is fenced");
    closelog();
    reboot(RB_AUTOBOOT);
    int e = errno;
    openlog(prog, LOG_PID, LOG_DAEMON);
    say(LOG_CRIT, "reboot(2) failed: %s; exiting %d so that watchdog reboots", strerror(e),
        CHECK_EXIT_FENCED);
    return CHECK_EXIT_FENCED;
}

int check_main(int argc, char **argv, bool hardreboot)
{
    prog = hardreboot ? "fence-recorder-check-hardreboot" : "fence-recorder-check";
    use_syslog = syslog_wanted();
    openlog(prog, LOG_PID, LOG_DAEMON);
    const char *a = argc > 1 ? argv[1] : "test";
    if (strcmp(a, "repair") == 0)
        return repair(argc, argv);
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        printf("%s %s\n", prog, FR_VERSION);
        return 0;
    }
    if (strcmp(a, "--validate") == 0 && argc == 2)
        return validate();
    if (strcmp(a, "test") != 0 || argc > 2) {
        /* Only watchdog runs this, and any other status reboots. */
        say(LOG_ERR, "unknown arguments (watchdog passes \"test\" or \"repair CODE\"): "
            "not checked, exiting 0");
        usage(stderr);
        return CHECK_EXIT_HEALTHY;
    }
    struct check_config c;
    struct error err;
    if (config_load(&c, &err) != 0) {
        say(LOG_ERR, "configuration error, THE STORAGE-FENCE CHECK IS NOT RUNNING: %s "
            "(exiting 0: a check that cannot run never reboots a node; "
            "see %s --validate)", err.msg, prog);
        return CHECK_EXIT_HEALTHY;
    }
    verbose = c.verbose;
    int code = run_with_deadline(&c);
    if (code == CHECK_EXIT_FENCED && hardreboot)
        return hard_reboot();
    return code;
}
