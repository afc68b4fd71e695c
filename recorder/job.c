#include "job.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* Every text field ends inside its array: the agent wrote them with
 * snprintf, and a hand-off that says otherwise is refused. */
#define TERMINATED(field) (memchr((field), '\0', sizeof (field)) != NULL)

static bool job_terminated(const struct handoff_job *j)
{
    return TERMINATED(j->action) && TERMINATED(j->target) && TERMINATED(j->request_dir) &&
           TERMINATED(j->response_dir) && TERMINATED(j->log_dir) && TERMINATED(j->db_path) &&
           TERMINATED(j->main_log) && TERMINATED(j->crm_mon) && TERMINATED(j->cibadmin) &&
           TERMINATED(j->op_uuid) && TERMINATED(j->request_id) &&
           TERMINATED(j->recorder_node) && TERMINATED(j->requested_by);
}

static const char *or_null(const char *s)
{
    return s[0] ? s : NULL;
}

static void job_from(const struct handoff_job *j, struct job *job)
{
    memset(job, 0, sizeof *job);
    job->kind = j->kind;
    job->action = j->action;
    job->target = j->target;
    job->paths = (struct paths){ .request_dir = j->request_dir, .response_dir = j->response_dir,
                                 .log_dir = j->log_dir, .db_path = j->db_path,
                                 .main_log = or_null(j->main_log) };
    job->fence_timeout_ms = j->fence_timeout_ms;
    job->db_timeout_ms = j->db_timeout_ms;
    job->syslog = j->syslog;
    job->verbosity = j->verbosity;
    job->discovery = (struct discovery_config){ .enabled = j->discovery,
                                                .crm_mon = j->crm_mon, .cibadmin = j->cibadmin,
                                                .timeout_ms = j->discovery_timeout_ms };
    memcpy(job->op.op_uuid, j->op_uuid, sizeof job->op.op_uuid);
    memcpy(job->op.request_id, j->request_id, sizeof job->op.request_id);
    job->op.action = j->action;
    job->op.target_node = j->target;
    job->op.recorder_node = j->recorder_node;
    job->op.requested_by = or_null(j->requested_by);
    job->op.agent_pid = j->agent_pid;
}

int job_parse(const struct handoff_job *j, struct job *job, struct error *err)
{
    if (j->magic != HANDOFF_MAGIC || j->size != sizeof (struct handoff))
        return errorf(err, "the hand-off is not this version's (magic %#x, size %u)",
                      j->magic, j->size);
    if ((j->kind != HANDOFF_FENCE && j->kind != HANDOFF_UNFENCE) || !job_terminated(j))
        return errorf(err, "the hand-off's job is malformed");
    job_from(j, job);
    return 0;
}

int job_map(int fd, struct handoff **h, struct job *job, struct error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return errorf_errno(err, "no hand-off on descriptor %d (this program is started by "
                            "fence_recorder, not by hand)", fd);
    if (st.st_size < (off_t)sizeof **h)
        return errorf(err, "the hand-off is %lld bytes, not %zu: an agent of another version?",
                      (long long)st.st_size, sizeof **h);
    void *p = mmap(NULL, sizeof **h, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return errorf_errno(err, "cannot map the hand-off");
    *h = p;
    return job_parse(&(*h)->job, job, err);
}
