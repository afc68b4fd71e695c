/* fr-recorder: records one operation of the agent (fence_recorder), which
 * starts it with the hand-off on descriptor 3 (lib/handoff.h). Not a
 * command for people, and never named fence_* (cluster tools run every
 * fence_* they find as an agent).
 *
 * Exit: 0 recorded (for an unfence: the node is unfenced); 1 the unfence
 * failed; 2 no usable hand-off (started by hand, or by an agent of another
 * version). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "job.h"
#include "record_fence.h"
#include "record_unfence.h"

static int open_or_none(int fd)
{
    return fcntl(fd, F_GETFD) == 0 ? fd : -1;
}

int main(void)
{
    struct handoff *h;
    struct job job;
    struct error err;
    /* Writing to an agent that is gone must not end the record; a full
     * volume under RLIMIT_FSIZE is an error from write(), not a signal. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    if (job_map(HANDOFF_FD, &h, &job, &err) != 0) {
        fprintf(stderr, "fr-recorder: %s\n", err.msg);
        return 2;
    }
    close(HANDOFF_FD);   /* the mapping stays */
    int rc = 0;
    if (job.kind == HANDOFF_UNFENCE) {
        rc = record_unfence(&job) ? 0 : 1;
    } else {
        record_fence(&job, h, HANDOFF_PIPE_FD, open_or_none(HANDOFF_WATCH_FD),
                     open_or_none(HANDOFF_READY_FD));
    }
    xmlCleanupParser();
    return rc;
}
