/* fence-recorder-responder: watch the request directory (inotify, plus a
 * periodic rescan for NFS) and answer requests like nnf-sos.
 *
 * It answers nothing unless started with --serve: cluster tools run any
 * program that looks like a fence agent with "action=metadata" on stdin,
 * and a responder started by accident fakes every fence. It is therefore
 * also never named fence_* nor installed where fence agents live. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "files.h"
#include "responder.h"

#define EXIT_USAGE 2

static void usage(FILE *out)
{
    fputs("Usage: fence-recorder-responder --serve [options]\n"
          "Answers fence_recorder requests the way NNF's nnf-sos does: every answer\n"
          "tells the agent a node's storage is detached. For tests, demos and sites\n"
          "without nnf-sos; never beside nnf-sos.\n\n"
          "  --serve                  required: without it nothing is answered\n"
          "  --request-dir DIR        requests to answer [$NNF_FENCE_REQUEST_DIR or " DEFAULT_REQUEST_DIR "]\n"
          "  --response-dir DIR       where responses go [$NNF_FENCE_RESPONSE_DIR or " DEFAULT_RESPONSE_DIR "]\n"
          "  --mode success|failure|silent   how to answer (default success)\n"
          "  --message TEXT           error detail of a failure response\n"
          "  --groups N               storage groups reported deleted on success (default 1)\n"
          "  --in-place               write responses without a rename, in two chunks\n"
          "  --in-place-pause-ms MS   pause between the chunks (default 50)\n"
          "  --delay-ms MS            wait before answering\n"
          "  --poll-ms MS             rescan interval for file systems without inotify (default 1000)\n"
          "  --count N                exit after answering N requests\n"
          "  --once                   answer what is pending now and exit\n"
          "  --nodes A,B              answer only requests for these nodes\n"
          "  --pid-file PATH          written once the watch is set up (readiness)\n"
          "  -q, --quiet              no log lines on stderr\n"
          "  -h, --help               this text\n"
          "Exit: 0 done (signal, --count, --once), 1 runtime error, 2 usage error.\n", out);
}

static int parse_ms(const char *text, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < 0 || v > 86400000LL)
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct responder_options *opt)
{
    enum { O_REQ = 256, O_RESP, O_MODE, O_MSG, O_GROUPS, O_INPLACE, O_PAUSE, O_DELAY,
           O_POLL, O_COUNT, O_ONCE, O_NODES, O_PID, O_SERVE };
    static const struct option longopts[] = {
        { "request-dir", required_argument, NULL, O_REQ },
        { "response-dir", required_argument, NULL, O_RESP },
        { "mode", required_argument, NULL, O_MODE },
        { "message", required_argument, NULL, O_MSG },
        { "groups", required_argument, NULL, O_GROUPS },
        { "in-place", no_argument, NULL, O_INPLACE },
        { "in-place-pause-ms", required_argument, NULL, O_PAUSE },
        { "delay-ms", required_argument, NULL, O_DELAY },
        { "poll-ms", required_argument, NULL, O_POLL },
        { "count", required_argument, NULL, O_COUNT },
        { "once", no_argument, NULL, O_ONCE },
        { "nodes", required_argument, NULL, O_NODES },
        { "pid-file", required_argument, NULL, O_PID },
        { "serve", no_argument, NULL, O_SERVE },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    int c;
    int64_t n;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case O_REQ: opt->paths.request_dir = optarg; break;
        case O_RESP: opt->paths.response_dir = optarg; break;
        case O_MODE:
            if (strcmp(optarg, "success") == 0) opt->mode = MODE_SUCCESS;
            else if (strcmp(optarg, "failure") == 0) opt->mode = MODE_FAILURE;
            else if (strcmp(optarg, "silent") == 0) opt->mode = MODE_SILENT;
            else { fprintf(stderr, "fence-recorder-responder: unknown mode '%s'\n", optarg); return -1; }
            break;
        case O_MSG: opt->message = optarg; break;
        case O_INPLACE: opt->in_place = true; break;
        case O_ONCE: opt->once = true; break;
        case O_NODES: opt->nodes = optarg; break;
        case O_PID: opt->pid_file = optarg; break;
        case O_SERVE: opt->serve = true; break;
        case 'q': opt->quiet = true; break;
        case 'h': usage(stdout); exit(0);
        case O_GROUPS: case O_PAUSE: case O_DELAY: case O_POLL: case O_COUNT:
            if (parse_ms(optarg, &n) != 0) {
                fprintf(stderr, "fence-recorder-responder: '%s' is not a valid number for --%s\n",
                        optarg, longopts[c - 256].name);
                return -1;
            }
            if (c == O_GROUPS) opt->groups = (int)n;
            else if (c == O_PAUSE) opt->in_place_pause_ms = n;
            else if (c == O_DELAY) opt->delay_ms = n;
            else if (c == O_POLL) opt->poll_ms = n > 0 ? n : 1;
            else opt->count = (long)n;
            break;
        default:
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "fence-recorder-responder: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!opt->serve) {
        fputs("fence-recorder-responder: refusing to answer fence requests without --serve "
              "(every answer makes a fence succeed)\n", stderr);
        return -1;
    }
    return 0;
}

static int write_pid_file(const char *path)
{
    char text[32];
    int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    FILE *f = fopen(path, "w");
    if (!f || fwrite(text, 1, (size_t)n, f) != (size_t)n || fclose(f) != 0) {
        fprintf(stderr, "fence-recorder-responder: cannot write pid file %s\n", path);
        return -1;
    }
    return 0;
}

/* Blocks until something may have changed: a file event, the rescan
 * timer, or a signal (returns false then). */
static bool wait_for_change(int inotify_fd, int signal_fd, int64_t poll_ms)
{
    struct pollfd fds[2] = { { .fd = signal_fd, .events = POLLIN },
                             { .fd = inotify_fd, .events = POLLIN } };
    int rc = poll(fds, 2, (int)poll_ms);
    if (rc > 0 && (fds[0].revents & POLLIN))
        return false;
    if (rc > 0 && (fds[1].revents & POLLIN)) {
        char buf[8192];
        while (read(inotify_fd, buf, sizeof buf) > 0)
            ;
    }
    return true;
}

int main(int argc, char **argv)
{
    struct responder_options opt = { .mode = MODE_SUCCESS, .message = "simulated failure",
                                     .groups = 1, .in_place_pause_ms = 50, .poll_ms = 1000,
                                     .stop_fd = -1 };
    if (parse_args(argc, argv, &opt) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    char main_log[16];
    paths_resolve(&opt.paths, main_log, sizeof main_log);
    struct error err;
    if (dir_ensure(opt.paths.request_dir, 0755, &err) != 0 ||
        dir_ensure(opt.paths.response_dir, 0755, &err) != 0) {
        fprintf(stderr, "fence-recorder-responder: %s\n", err.msg);
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int signal_fd = signalfd(-1, &set, SFD_CLOEXEC);
    int inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (signal_fd < 0 || inotify_fd < 0 ||
        inotify_add_watch(inotify_fd, opt.paths.request_dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
        perror("fence-recorder-responder: cannot watch the request directory");
        return 1;
    }
    opt.stop_fd = signal_fd;
    if (opt.pid_file && write_pid_file(opt.pid_file) != 0)
        return 1;
    responder_log(&opt, "watching %s, answering into %s", opt.paths.request_dir,
                  opt.paths.response_dir);
    long answered = 0;
    do {
        answered += responder_scan(&opt);
        if (opt.once || (opt.count > 0 && answered >= opt.count))
            break;
    } while (wait_for_change(inotify_fd, signal_fd, opt.poll_ms));
    responder_log(&opt, "exiting after %ld answer(s)", answered);
    if (opt.pid_file)
        unlink(opt.pid_file);
    return 0;
}
