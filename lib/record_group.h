/* Who may write the record besides root. Pacemaker runs alert agents as
 * hacluster (group haclient) and the fence agent as root: both write the
 * same database, so where the group haclient exists the database's
 * directory is 2770 root:haclient (new files take its group) and its files
 * 0660; nothing else may write them. Where it does not (not a cluster
 * node), the record is root's alone: 0700 and 0600. The log files keep
 * their mode and readers (0640, group adm by logrotate); the group is
 * granted appending to them by an ACL entry (record_log_grant). */
#ifndef FR_RECORD_GROUP_H
#define FR_RECORD_GROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

#define RECORD_GROUP "haclient"

/* The group's id, or (gid_t)-1 where it does not exist. */
gid_t record_group(void);
/* The mode of the database and its side files (0660 or 0600). */
mode_t record_file_mode(void);
/* Creates the database's directory if needed; one of root's with the
 * mode this program gives (0700) becomes 2770 root:haclient where the
 * group exists. Any other mode an administrator chose stays. */
int record_dir_ensure(const char *dir, struct error *err);
/* A file of the record just created (or still 0600 from before the
 * group existed): its mode becomes record_file_mode(), despite the umask. */
void record_file_share(int fd);
/* The database's own file and its -wal and -shm, as record_file_share,
 * by path (safe while SQLite has them open in this process). */
void record_db_share(const char *db_path);
/* A log file: the group may append to it (an ACL entry group:haclient:rw),
 * its owner, group and mode for everyone else unchanged. Quietly nothing
 * where the group does not exist or the file system has no ACLs. */
void record_log_grant(int fd);

#endif
