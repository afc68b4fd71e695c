/* fence-recorder-alert: Pacemaker's alert agent for the fence record.
 * Configured once for the cluster (pcs alert create path=... id=...), it
 * runs on every node for every alert, as hacluster, in parallel with the
 * alert's other recipients. It records fencing alerts (any device, any
 * executing node) and node alerts (member, lost) in this node's record.
 *
 * It never holds Pacemaker: it hands the alert (its environment) to a copy
 * of itself in a session of its own and exits at once; the copy waits for
 * the database as long as it must. Resource and attribute alerts are
 * ignored. Exit 0, also when the alert is not ours to record; 1 only when
 * the hand-over itself failed (said on stderr, which Pacemaker logs). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert_record.h"
#include "cib_paths.h"
#include "config.h"
#include "event_syslog.h"

extern char **environ;

#define RECORD_ARG "--record"
#define CIB_TIMEOUT_MS 3000
/* A locked database is waited for this long per try (the recorder's
 * patience rules the whole wait). */
#define ALERT_DB_TIMEOUT_MS 10000

/* The copy that records: its own session, stdio on /dev/null (it never
 * holds Pacemaker's pipes). */
static int hand_over(const char *self, struct error *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    char *argv[] = { (char *)"fence-recorder-alert", (char *)RECORD_ARG, NULL };
    pid_t pid;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDWR, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, STDIN_FILENO, STDOUT_FILENO);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, STDIN_FILENO, STDERR_FILENO);
    if (rc == 0)
        rc = posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
    if (rc == 0 && (rc = posix_spawnattr_init(&attr)) == 0) {
        rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
        if (rc == 0)
            rc = posix_spawn(&pid, self, &fa, &attr, argv, environ);
        posix_spawnattr_destroy(&attr);
    }
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return errorf(err, "cannot start %s to record the alert: %s", self, strerror(rc));
    return 0;
}

static void warn_disagreement(void *ctx, const char *text)
{
    (void)ctx;
    event_syslog(true, text);
}

/* Where the record is, as fencectl finds it: FENCE_RECORDER_DB (and the
 * other variables, which Pacemaker sets from the alert's instance
 * attributes), else the fence_recorder devices in the CIB, else the
 * defaults. */
static void find_record(struct paths *paths, struct cib_paths *store, char *main_log,
                        size_t size)
{
    memset(paths, 0, sizeof *paths);
    paths_from_cib(paths, CIB_TIMEOUT_MS, store, warn_disagreement, NULL);
    paths_resolve(paths, main_log, (unsigned)size);
}

static int record(void)
{
    struct alert_event ev;
    struct error err;
    event_syslog_open();
    if (alert_event_from_env(&ev, &err) != 0) {
        event_syslog(true, err.msg);
        return 1;
    }
    if (ev.kind == ALERT_OTHER)
        return 0;
    static struct cib_paths store;
    struct paths paths;
    char main_log[4096];
    find_record(&paths, &store, main_log, sizeof main_log);
    int timeout = ALERT_DB_TIMEOUT_MS;
    db_timeout_from_env(&timeout);
    return alert_record(&ev, &paths, timeout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], RECORD_ARG) == 0)
        return record();
    const char *kind = getenv("CRM_alert_kind");
    if (!kind || (strcmp(kind, "fencing") != 0 && strcmp(kind, "node") != 0))
        return 0;   /* resource and attribute alerts: nothing of ours */
    /* This very program, by its path (readlink, not /proc/self/exe
     * itself: under valgrind that would be valgrind's). */
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    struct error err;
    if (n <= 0) {
        fprintf(stderr, "fence-recorder-alert: cannot find its own program: %s\n", strerror(errno));
        return 1;
    }
    self[n] = '\0';
    if (hand_over(self, &err) != 0) {
        fprintf(stderr, "fence-recorder-alert: %s\n", err.msg);
        return 1;
    }
    return 0;
}
