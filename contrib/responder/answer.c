/* One scan of the request directory: collect the pending requests, answer
 * them node by node (nnf-sos fences ALL pending requests of a node in one
 * go, whatever their action says), write each response under the request's
 * own name, then delete the request. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "files.h"
#include "names.h"
#include "protocol.h"
#include "responder.h"
#include "strbuf.h"

#define MAX_PENDING 4096

struct pending {
    char name[FILE_NAME_BYTES_MAX + 1];   /* room for any d_name */
    char node[NODE_NAME_MAX + 1];
};

void responder_log(const struct responder_options *opt, const char *fmt, ...)
{
    if (opt->quiet)
        return;
    struct stamp now;
    stamp_now(&now);
    fprintf(stderr, "[%s] fence-recorder-responder: ", now.iso_ms);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static bool node_selected(const struct responder_options *opt, const char *node)
{
    if (!opt->nodes)
        return true;
    size_t len = strlen(node);
    for (const char *p = opt->nodes; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == len && strncmp(p, node, n) == 0)
            return true;
        p += n + (comma ? 1 : 0);
    }
    return false;
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Waits ms, or less when the responder is told to stop meanwhile (true
 * then): one stopped in its delay answers nothing more. The signal is left
 * for the main loop to read. */
static bool told_to_stop_within(const struct responder_options *opt, int64_t ms)
{
    if (opt->stop_fd < 0) {
        sleep_ms(ms);
        return false;
    }
    struct pollfd p = { .fd = opt->stop_fd, .events = POLLIN };
    int n;
    while ((n = poll(&p, 1, (int)ms)) < 0 && errno == EINTR)
        ;
    return n > 0;
}

static int write_in_place(const char *dir, const char *name, const struct strbuf *body,
                          int64_t pause_ms, struct error *err)
{
    char path[4096];
    if (path_join(path, sizeof path, dir, name, err) != 0)
        return -1;
    FILE *f = fopen(path, "wx");
    if (!f)
        return errorf_errno(err, "cannot create %s", path);
    size_t half = body->len / 2;
    /* Two chunks with a pause: the agent may read a half-written file. */
    fwrite(body->data, 1, half, f);
    fflush(f);
    sleep_ms(pause_ms);
    fwrite(body->data + half, 1, body->len - half, f);
    if (fclose(f) != 0)
        return errorf_errno(err, "cannot write %s", path);
    return 0;
}

static int write_response(const struct responder_options *opt, const char *name,
                          const struct strbuf *body, struct error *err)
{
    if (strbuf_failed(body))
        return errorf(err, "out of memory rendering the response");
    if (opt->in_place)
        return write_in_place(opt->paths.response_dir, name, body, opt->in_place_pause_ms, err);
    return file_write_atomic(opt->paths.response_dir, name, body->data, body->len, 0644, err);
}

/* Answers one request; returns 1 if answered, 0 if not. */
static int answer(const struct responder_options *opt, const struct pending *p)
{
    char req_path[4096], resp_path[4096];
    struct error err;
    if (path_join(req_path, sizeof req_path, opt->paths.request_dir, p->name, &err) != 0 ||
        path_join(resp_path, sizeof resp_path, opt->paths.response_dir, p->name, &err) != 0)
        return 0;
    if (access(resp_path, F_OK) == 0) {
        /* Answered before a crash between the two steps: never act twice. */
        file_remove_regular(req_path, &err);
        responder_log(opt, "%s already answered; removed the request", p->name);
        return 0;
    }
    char *data;
    size_t len;
    if (file_read_limited(req_path, RESPONSE_MAX_BYTES, &data, &len, &err) != READ_OK) {
        responder_log(opt, "skipping %s: %s", p->name, err.msg);
        return 0;
    }
    bool success = opt->mode == MODE_SUCCESS;
    char message[1024];
    if (success)
        snprintf(message, sizeof message,
                 "Successfully fenced node by deleting %d GFS2 storage groups", opt->groups);
    else
        snprintf(message, sizeof message, "Failed to fence node: could not delete any storage "
                 "groups. Errors: %.900s", opt->message);
    struct strbuf body = STRBUF_INIT;
    int rendered = response_render(&body, data, len, success, message, &err);
    free(data);
    if (rendered != 0) {
        /* Left in place, as nnf-sos leaves requests it cannot parse. */
        responder_log(opt, "skipping %s: %s", p->name, err.msg);
        strbuf_release(&body);
        return 0;
    }
    int answered = 0;
    if (write_response(opt, p->name, &body, &err) != 0) {
        responder_log(opt, "cannot answer %s: %s", p->name, err.msg);
    } else {
        answered = 1;
        if (file_remove_regular(req_path, &err) != 0)
            responder_log(opt, "answered but cannot remove the request: %s", err.msg);
        responder_log(opt, "answered %s: success=%s", p->name, success ? "true" : "false");
    }
    strbuf_release(&body);
    return answered;
}

static int by_node(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    int c = strcmp(x->node, y->node);
    return c ? c : strcmp(x->name, y->name);
}

static size_t collect(const struct responder_options *opt, struct pending *out)
{
    DIR *d = opendir(opt->paths.request_dir);
    if (!d) {
        responder_log(opt, "cannot read %s", opt->paths.request_dir);
        return 0;
    }
    size_t n = 0;
    struct dirent *de;
    char id[UUID_STR_LEN + 1];
    while (n < MAX_PENDING && (de = readdir(d)) != NULL) {
        if (!protocol_name_split(de->d_name, out[n].node, sizeof out[n].node, id, sizeof id))
            continue;   /* dot-temp files and foreign names */
        if (!node_selected(opt, out[n].node))
            continue;
        snprintf(out[n].name, sizeof out[n].name, "%s", de->d_name);
        n++;
    }
    closedir(d);
    qsort(out, n, sizeof *out, by_node);
    return n;
}

long responder_scan(const struct responder_options *opt)
{
    static struct pending pending[MAX_PENDING];
    size_t n = collect(opt, pending);
    if (n == 0)
        return 0;
    if (opt->mode == MODE_SILENT) {
        static size_t last_reported;
        if (n != last_reported)
            responder_log(opt, "silent: leaving %zu pending request(s) unanswered", n);
        last_reported = n;
        return 0;
    }
    if (opt->delay_ms > 0 && told_to_stop_within(opt, opt->delay_ms))
        return 0;
    long answered = 0;
    for (size_t i = 0; i < n; i++) {
        answered += answer(opt, &pending[i]);
        if (opt->count > 0 && answered >= opt->count)
            break;
    }
    return answered;
}
