/* monitor: can a fence run right now? The directories must be usable
 * and the database writable. Pacemaker calls this every monitor interval
 * for every device, so it is cheap and records nothing on success. */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "agent.h"
#include "db.h"
#include "files.h"
#include "probe.h"

static int check_dir(const char *what, const char *dir, int access_mode, struct error *err)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return errorf_errno(err, "%s %s", what, dir);
    if (S_ISLNK(st.st_mode) && stat(dir, &st) != 0)
        return errorf_errno(err, "%s %s", what, dir);
    if (!S_ISDIR(st.st_mode))
        return errorf(err, "%s %s is not a directory", what, dir);
    if (access(dir, access_mode) != 0)
        return errorf_errno(err, "%s %s", what, dir);
    struct statvfs vfs;
    if ((access_mode & W_OK) && statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
        return errorf(err, "%s %s is on a read-only file system", what, dir);
    return 0;
}

/* Takes and releases the write lock: proves a fence could be recorded. */
static int check_db(const struct agent_config *cfg, struct error *err)
{
    sqlite3 *db;
    if (db_open(cfg->paths.db_path, DB_READ_WRITE, cfg->db_timeout_ms, &db, err) != DB_OPEN_OK)
        return -1;
    int rc = db_begin_write(db, cfg->db_timeout_ms, err);
    db_rollback(db);
    db_close(db);
    return rc;
}

/* Permission bits do not show a full or read-only request directory
 * (and root passes them anyway), so one small file is created, written,
 * closed and removed there, as a fence's request would be. No fsync, of
 * the file or the directory: local file systems reserve the block at
 * write() (ENOSPC there), NFS reports a full server at close(), and
 * durability is not what is being tested; this keeps a monitor that runs
 * every interval at a few system calls. fencectl check syncs as well. */
static int probe_request_dir(const struct agent_config *cfg, struct error *err)
{
    struct error why;
    if (dir_write_probe(cfg->paths.request_dir, false, &why) != 0)
        return errorf(err, "request directory %s", why.msg);
    return 0;
}

enum agent_result action_monitor(const struct agent_config *cfg)
{
    struct error err;
    /* A fence creates missing directories (as nnf-sos does), so monitor
     * does too: it reports what a fence would meet. */
    if (dir_ensure(cfg->paths.request_dir, MODE_REQUEST_DIR, &err) != 0 ||
        dir_ensure(cfg->paths.response_dir, MODE_REQUEST_DIR, &err) != 0 ||
        dir_ensure(cfg->paths.log_dir, MODE_LOG_DIR, &err) != 0 ||
        check_dir("request directory", cfg->paths.request_dir, W_OK | X_OK, &err) != 0 ||
        probe_request_dir(cfg, &err) != 0 ||
        check_dir("response directory", cfg->paths.response_dir, R_OK | X_OK, &err) != 0 ||
        check_dir("log directory", cfg->paths.log_dir, W_OK | X_OK, &err) != 0 ||
        check_db(cfg, &err) != 0) {
        fprintf(stderr, "fence_recorder: ERROR: monitor failed: %s\n", err.msg);
        return RESULT_ERROR;
    }
    return RESULT_OK;
}
