/* The recorder's reading of the job the agent hands over (recorder/job.c):
 * whatever the bytes, it is refused or read within its arrays. The magic
 * and size are set from the input's first byte half the time, so the
 * fuzzer reaches the field checks. */
#include <string.h>

#include "fuzz.h"
#include "job.h"

int fuzz_handoff_job(const uint8_t *data, size_t size)
{
    static struct handoff_job j;
    memset(&j, 0, sizeof j);
    memcpy(&j, data, size < sizeof j ? size : sizeof j);
    if (size > 0 && (data[0] & 1)) {
        j.magic = HANDOFF_MAGIC;
        j.size = sizeof (struct handoff);
    }
    struct job job;
    struct error err;
    if (job_parse(&j, &job, &err) == 0) {
        /* Every string it gives must be readable to its end. */
        volatile size_t n = strlen(job.action) + strlen(job.target) +
                            strlen(job.paths.request_dir) + strlen(job.op.op_uuid);
        (void)n;
    }
    return 0;
}

FUZZ_ENTRY(fuzz_handoff_job)
