/* monitor: can a fence run right now, and be recorded? Pacemaker calls
 * this every monitor interval for every device, so it proves what it can
 * with a few system calls and records nothing: the directories exist
 * (created as a fence would create them), are writable and not full, and
 * the database is ours and writable, judged from its header (the agent
 * does not link SQLite). A database that does not exist yet needs a
 * writable directory: the first fence's recorder creates it. A locked
 * database is no failure: a fence does not wait for it, its recorder does. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "agent.h"
#include "db_header.h"
#include "files.h"
#include "record_group.h"

/* Permission bits do not show a full or read-only file system (and root
 * passes them anyway): the file system's own counts do. fencectl check
 * goes further and writes a probe file. */
static int check_space(const char *what, const char *dir, struct error *err)
{
    struct statvfs vfs;
    if (statvfs(dir, &vfs) != 0)
        return errorf_errno(err, "%s %s", what, dir);
    if (vfs.f_flag & ST_RDONLY)
        return errorf(err, "%s %s is on a read-only file system", what, dir);
    fsblkcnt_t blocks = geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail;
    fsfilcnt_t inodes = geteuid() == 0 ? vfs.f_ffree : vfs.f_favail;
    if (blocks == 0 || (vfs.f_files > 0 && inodes == 0))
        return errorf(err, "%s %s is full (no free %s)", what, dir, blocks == 0 ? "block" : "inode");
    return 0;
}

static int check_dir(const char *what, const char *dir, int access_mode, struct error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return errorf_errno(err, "%s %s", what, dir);
    if (!S_ISDIR(st.st_mode))
        return errorf(err, "%s %s is not a directory", what, dir);
    if (access(dir, access_mode) != 0)
        return errorf_errno(err, "%s %s", what, dir);
    return (access_mode & W_OK) ? check_space(what, dir, err) : 0;
}

/* The directory of the database path ("." when it names none). */
static void db_dir(const char *path, char *dir, size_t size)
{
    snprintf(dir, size, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else
        *(slash == dir ? slash + 1 : slash) = '\0';
}

static int check_db(const struct agent_config *cfg, struct error *err)
{
    char dir[4096];
    db_dir(cfg->paths.db_path, dir, sizeof dir);
    switch (db_probe_writable(cfg->paths.db_path, err)) {
    case DB_PROBE_OK:
        return check_space("database directory", dir, err);
    case DB_PROBE_NEEDS_OPEN:
        /* Missing, empty or unclaimed: the recorder makes it ours. */
        if (record_dir_ensure(dir, err) != 0)
            return -1;
        return check_dir("database directory", dir, W_OK | X_OK, err);
    default:
        return -1;
    }
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
        check_dir("response directory", cfg->paths.response_dir, R_OK | X_OK, &err) != 0 ||
        check_dir("log directory", cfg->paths.log_dir, W_OK | X_OK, &err) != 0 ||
        check_db(cfg, &err) != 0) {
        fprintf(stderr, "fence_recorder: ERROR: monitor failed: %s\n", err.msg);
        return RESULT_ERROR;
    }
    return RESULT_OK;
}
