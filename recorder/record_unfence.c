#include "record_unfence.h"

#include "record.h"
#include "unfence.h"

bool record_unfence(const struct job *job)
{
    struct recorder rec;
    recorder_open(&rec, &job->paths, job->db_timeout_ms, job->verbosity);
    if (job->syslog)
        recorder_enable_syslog(&rec);
    rec.op = job->op;
    bool ok = unfence_run(&rec, job->paths.request_dir, job->paths.response_dir, job->target);
    recorder_close(&rec);
    return ok;
}
