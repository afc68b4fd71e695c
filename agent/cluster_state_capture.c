#include "cluster_state_capture.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"

#ifndef FR_LIBEXECDIR
#define FR_LIBEXECDIR "/usr/lib/fence-recorder"
#endif

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

/* FENCE_RECORDER_STATE_HELPER names another helper (the tests' build). */
static const char *helper_path(void)
{
    const char *p = getenv("FENCE_RECORDER_STATE_HELPER");
    return p && p[0] ? p : FR_LIBEXECDIR "/" CLUSTER_STATE_HELPER;
}

/* The helper's output, checked to be one JSON object and rendered again
 * (so what the database's JSON functions read is cJSON's own output). */
static void take_state(struct cluster_capture *out, const char *text)
{
    cJSON *obj = cJSON_Parse(text);
    if (!cJSON_IsObject(obj)) {
        snprintf(out->error, sizeof out->error, "%s printed something other than a JSON "
                 "object: %.200s", CLUSTER_STATE_HELPER, text);
        cJSON_Delete(obj);
        return;
    }
    out->state_json = cJSON_PrintUnformatted(obj);
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(obj, "errors");
    const cJSON *first = cJSON_GetArrayItem(errors, 0);
    if (cJSON_IsString(first))
        snprintf(out->error, sizeof out->error, "crm_mon: %.900s", first->valuestring);
    if (!out->state_json)
        snprintf(out->error, sizeof out->error, "out of memory keeping the cluster state");
    cJSON_Delete(obj);
}

static void run_helper(const struct discovery_config *cfg, const struct command_result *live,
                       const char *target, struct cluster_capture *out)
{
    char *argv[] = { (char *)helper_path(), (char *)target, NULL };
    struct command_result r;
    struct error err = { "" };
    if (command_run_input(argv, live->out, live->out_len, cfg->timeout_ms,
                          CLUSTER_STATE_HELPER_MAX_OUTPUT, &r, &err) != 0)
        snprintf(out->error, sizeof out->error, "cluster-state helper: %.900s%s", err.msg,
                 r.exec_failed ? " (make install puts it in " FR_LIBEXECDIR ")" : "");
    else if (r.exit_status != 0)
        snprintf(out->error, sizeof out->error, "%s exited with status %d: %.300s", argv[0],
                 r.exit_status, r.err);
    else
        take_state(out, r.out);
    command_result_free(&r);
}

void cluster_state_capture(const struct discovery_config *cfg,
                           const struct discovery_report *report, const char *target,
                           struct cluster_capture *out)
{
    memset(out, 0, sizeof *out);
    out->done = true;
    out->source = "crm_mon";
    const struct discovery_run *run = report->runs > 0 ? &report->run[0] : NULL;
    if (!cfg->enabled || !run) {
        out->source = "none";
        snprintf(out->error, sizeof out->error, "filesystem_discovery is off: the cluster "
                 "was not asked (its crm_mon run is what the state is read from)");
    } else {
        if (run->use.shared)
            snprintf(out->shared_from, sizeof out->shared_from, "%s", run->use.from);
        /* A crm_mon that failed may still have said why in its XML. */
        if (report->live.out && report->live.out_len > 0)
            run_helper(cfg, &report->live, target, out);
        if (!out->state_json && run->error[0])
            snprintf(out->error, sizeof out->error, "crm_mon %s: %.900s", run->outcome, run->error);
        else if (!out->state_json && !out->error[0])
            snprintf(out->error, sizeof out->error, "crm_mon printed nothing");
    }
    stamp_now(&out->captured);
}

void cluster_state_record(struct recorder *rec, const struct cluster_capture *c,
                          const struct requester *who)
{
    struct cluster_state_row row = {
        .captured = &c->captured, .source = c->source,
        .shared_from = c->shared_from[0] ? c->shared_from : NULL,
        .state_json = c->state_json, .error = c->error[0] ? c->error : NULL,
        .requester_service = who->service[0] ? who->service : NULL,
        .parent_pid = who->pid, .parent_process = who->comm[0] ? who->comm : NULL,
        .parent_cmdline = who->cmdline[0] ? who->cmdline : NULL,
        .read_when = c->read_when,
    };
    rec_cluster_state(rec, &row);
    /* Not asked (discovery off) is a choice, not a problem to warn of. */
    if (!c->state_json && strcmp(c->source, "none") != 0)
        rec_log(rec, LOG_WARNING, "the state of the fence target as Pacemaker saw it is "
                "unknown: %s", c->error);
}

void cluster_capture_release(struct cluster_capture *c)
{
    free(c->state_json);
    c->state_json = NULL;
}
