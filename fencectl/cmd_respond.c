/* fencectl respond ID --success|--failure: answer a request by hand, in
 * the nnf-sos format, when the storage reconciler is down. The response
 * is written atomically and recorded as "manual". A success response
 * tells nnf-sos the node is fenced: it will not act on that request. */
#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "files.h"
#include "identity.h"
#include "names.h"

static const char usage_text[] =
    "Usage: fencectl respond REQUEST_ID --success|--failure [--message TEXT]\n"
    "  REQUEST_ID may be a unique prefix of a pending request's id.\n"
    "  A success response makes the storage reconciler treat the node as\n"
    "  fenced: only write one if its storage is really detached.\n";

struct found_request {
    char file_name[FILE_NAME_BYTES_MAX + 1];   /* room for any d_name */
    char node[NODE_NAME_MAX + 1];
    char request_id[UUID_STR_LEN + 1];
    int matches;
};

static int find_pending(const char *dir, const char *prefix, struct found_request *out, struct error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return errorf_errno(err, "cannot read %s", dir);
    struct dirent *de;
    char node[NODE_NAME_MAX + 1], id[UUID_STR_LEN + 1];
    while ((de = readdir(d)) != NULL) {
        if (!protocol_name_split(de->d_name, node, sizeof node, id, sizeof id) ||
            strncmp(id, prefix, strlen(prefix)) != 0)
            continue;
        if (out->matches++ == 0) {
            snprintf(out->file_name, sizeof out->file_name, "%s", de->d_name);
            snprintf(out->node, sizeof out->node, "%s", node);
            snprintf(out->request_id, sizeof out->request_id, "%s", id);
        }
    }
    closedir(d);
    return 0;
}

static int write_and_record(struct cli *cli, const struct found_request *req, const char *body,
                            size_t len, bool success, const char *message)
{
    struct strbuf resp = STRBUF_INIT;
    struct error err;
    char path[4096];
    if (path_join(path, sizeof path, cli->paths.response_dir, req->file_name, &err) != 0 ||
        response_render(&resp, body, len, success, message, &err) != 0) {
        fprintf(stderr, "fencectl respond: %s\n", err.msg);
        strbuf_release(&resp);
        return EXIT_FAILURE_RT;
    }
    if (access(path, F_OK) == 0) {
        fprintf(stderr, "fencectl respond: %s already exists; the request is answered\n", path);
        strbuf_release(&resp);
        return EXIT_FAILURE_RT;
    }
    if (file_write_atomic(cli->paths.response_dir, req->file_name, resp.data, resp.len, 0644, &err) != 0) {
        fprintf(stderr, "fencectl respond: %s\n", err.msg);
        strbuf_release(&resp);
        return EXIT_FAILURE_RT;
    }
    struct recorder rec;
    struct identity id;
    cli_recorder_open(cli, &rec);
    identity_new_operation(&rec.op, &id, "respond", req->node, "fencectl");
    struct response parsed = { .success = success, .message = (char *)message,
                               .request_id = (char *)req->request_id, .target_node = (char *)req->node };
    recorder_step_begin(&rec);
    rec_adopt_by_uuid(&rec, req->request_id);
    rec_response(&rec, req->file_name, resp.data, &parsed, "manual");
    rec_log(&rec, LOG_WARNING, "Manual %s response to request %s for %s written by %s: %s",
            success ? "success" : "failure", req->request_id, req->node, id.who, message);
    recorder_step_end(&rec);
    recorder_close(&rec);
    printf("wrote %s\n", path);
    strbuf_release(&resp);
    return EXIT_OK;
}

int cmd_respond(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "success", no_argument, NULL, 's' }, { "failure", no_argument, NULL, 'F' },
        { "message", required_argument, NULL, 'm' }, CLI_COMMON_LONGOPTS, { 0 } };
    int verdict = -1;
    const char *message = NULL;
    int c;
    optind = 0;   /* 0: glibc fully reinitialises after main's "+" scan */
    while ((c = getopt_long(argc, argv, "sFm:f:h", longopts, NULL)) != -1) {
        int common = cli_common_option(cli, c, optarg, usage_text);
        if (common < 0 || (!common && c != 's' && c != 'F' && c != 'm') ||
            ((c == 's' || c == 'F') && verdict >= 0)) {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        if (c == 's' || c == 'F')
            verdict = c == 's';
        if (c == 'm')
            message = optarg;
    }
    if (optind + 1 != argc || verdict < 0) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *prefix = argv[optind];
    if (!prefix[0] || strspn(prefix, "0123456789abcdef-") != strlen(prefix)) {
        fprintf(stderr, "fencectl respond: '%s' is not a request id\n", prefix);
        return EXIT_USAGE;
    }
    struct found_request req = { .matches = 0 };
    struct error err;
    if (find_pending(cli->paths.request_dir, prefix, &req, &err) != 0) {
        fprintf(stderr, "fencectl respond: %s\n", err.msg);
        return EXIT_FAILURE_RT;
    }
    if (req.matches != 1) {
        fprintf(stderr, "fencectl respond: %s pending request matches '%s' in %s\n",
                req.matches ? "more than one" : "no", prefix, cli->paths.request_dir);
        return EXIT_FAILURE_RT;
    }
    char path[4096], *body;
    size_t len;
    if (path_join(path, sizeof path, cli->paths.request_dir, req.file_name, &err) != 0 ||
        file_read_limited(path, RESPONSE_MAX_BYTES, &body, &len, &err) != READ_OK) {
        fprintf(stderr, "fencectl respond: %s\n", err.msg);
        return EXIT_FAILURE_RT;
    }
    if (!message)
        message = verdict ? "Fenced by hand: an administrator confirmed the storage is detached"
                          : "Fence refused by hand by an administrator";
    int rc = write_and_record(cli, &req, body, len, verdict == 1, message);
    free(body);
    return rc;
}
