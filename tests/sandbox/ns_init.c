/*
 * ns-init: PID 1 of a test sandbox's or a test node's PID namespace.
 *
 *   ns-init COMMAND [ARG...]
 *
 * Runs COMMAND as its child and reaps every process that ends up parented
 * to it: the agent's recorder outlives the agent by design, and nothing else
 * reaps orphans inside a new PID namespace. It exits with COMMAND's status
 * once COMMAND has ended; the kernel then kills whatever is left in the
 * namespace, which is how a suite's cluster and a node's "power" go away.
 * SIGTERM, SIGINT and SIGHUP are passed on to COMMAND.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t main_child;

static void forward(int sig)
{
    if (main_child > 0)
        kill(main_child, sig);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: ns-init COMMAND [ARG...]\n");
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0 ||
        sigaction(SIGHUP, &sa, NULL) != 0) {
        perror("ns-init: sigaction");
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("ns-init: fork");
        return 1;
    }
    if (child == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        execvp(argv[1], argv + 1);
        fprintf(stderr, "ns-init: cannot run %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    main_child = child;
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            perror("ns-init: waitpid");
            return 1;
        }
        if (pid != child)
            continue;
        if (WIFEXITED(status))
            return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
    }
}
