/* Recording one fence (off, reboot, or one refused before it started):
 * everything the agent hands over, until it is gone, and then how it
 * ended, killed included. */
#ifndef FR_RECORD_FENCE_H
#define FR_RECORD_FENCE_H

#include "handoff.h"
#include "job.h"

/* How long the recorder waits for a database another process holds
 * before it records to the log files only (fencectl import restores). */
#define RECORDER_PATIENCE_MS (10 * 60 * 1000)
/* How long the recorder waits for the answer before it records the
 * request on its own (see record_fence). */
#define RECORDER_GRACE_MS 500

/* Records what is handed over in h, step by step as messages arrive on fd,
 * until the agent is gone, yielding the CPU to fences meanwhile. ready_fd
 * (or -1) is told when the cluster's state has been read; release_at_eof
 * (or -1) is closed once the agent is gone. */
void record_fence(const struct job *job, struct handoff *h, int fd, int release_at_eof,
                  int ready_fd);

#endif
