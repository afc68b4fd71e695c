#include "record_group.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "config.h"
#include "files.h"

gid_t record_group(void)
{
    static bool looked;
    static gid_t gid = (gid_t)-1;
    if (!looked) {
        struct group g, *found = NULL;
        char buf[4096];
        if (getgrnam_r(RECORD_GROUP, &g, buf, sizeof buf, &found) == 0 && found)
            gid = found->gr_gid;
        looked = true;
    }
    return gid;
}

mode_t record_file_mode(void)
{
    return record_group() == (gid_t)-1 ? MODE_DB : MODE_DB_SHARED;
}

int record_dir_ensure(const char *dir, struct error *err)
{
    if (dir_ensure(dir, MODE_DB_DIR, err) != 0)
        return -1;
    gid_t gid = record_group();
    struct stat st;
    if (gid == (gid_t)-1 || geteuid() != 0 || stat(dir, &st) != 0 || st.st_uid != 0 ||
        (st.st_mode & 07777) != MODE_DB_DIR)
        return 0;
    if (chown(dir, (uid_t)-1, gid) != 0 || chmod(dir, MODE_DB_DIR_SHARED) != 0)
        return errorf_errno(err, "cannot give %s to the group %s (mode %o)", dir, RECORD_GROUP,
                            MODE_DB_DIR_SHARED);
    return 0;
}

void record_file_share(int fd)
{
    struct stat st;
    mode_t want = record_file_mode();
    if (fd < 0 || fstat(fd, &st) != 0 || (st.st_mode & 0777) == want)
        return;
    /* Only ours, and only from the modes this program gives: never
     * widen what an administrator narrowed on purpose beyond that. */
    if ((st.st_mode & 0777) == MODE_DB || (st.st_mode & 0777) == (want & ~0022u)) {
        if (fchmod(fd, want) != 0) {
            /* not the owner: the owner's process shares it */
        }
    }
}

void record_db_share(const char *db_path)
{
    /* By path, never by opening: closing any descriptor of a database
     * file drops this process's SQLite locks on it (POSIX record locks
     * are per process), and another process would then take the -shm
     * for unused and truncate it under our mapping. */
    static const char *const suffix[] = { "", "-wal", "-shm" };
    mode_t want = record_file_mode();
    for (int i = 0; i < 3; i++) {
        char path[PATH_MAX];
        struct stat st;
        if ((size_t)snprintf(path, sizeof path, "%s%s", db_path, suffix[i]) >= sizeof path)
            return;
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
            (st.st_mode & 0777) != want && (st.st_mode & 0777) == MODE_DB &&
            fchmodat(AT_FDCWD, path, want, 0) != 0) {
            /* the owner's process shares it */
        }
    }
}

/* The Linux xattr form of a POSIX access ACL (system.posix_acl_access),
 * little-endian: a version header, then entries sorted by tag: user::,
 * group::, group:<gid>:, mask::, other::. */
struct acl_entry_x {
    uint16_t tag, perm;
    uint32_t id;
};
enum { ACL_USER_OBJ_X = 0x01, ACL_GROUP_OBJ_X = 0x04, ACL_GROUP_X = 0x08, ACL_MASK_X = 0x10,
       ACL_OTHER_X = 0x20, ACL_VERSION_X = 2, ACL_UNDEF_ID_X = 0xffffffffu };

void record_log_grant(int fd)
{
    gid_t gid = record_group();
    struct stat st;
    if (gid == (gid_t)-1 || fd < 0 || fstat(fd, &st) != 0 || st.st_gid == gid)
        return;
    uint32_t version = htole32(ACL_VERSION_X);
    unsigned user = (st.st_mode >> 6) & 7, group = (st.st_mode >> 3) & 7, other = st.st_mode & 7;
    struct acl_entry_x e[5] = {
        { htole16(ACL_USER_OBJ_X), htole16(user), htole32(ACL_UNDEF_ID_X) },
        { htole16(ACL_GROUP_OBJ_X), htole16(group), htole32(ACL_UNDEF_ID_X) },
        { htole16(ACL_GROUP_X), htole16(6), htole32((uint32_t)gid) },
        { htole16(ACL_MASK_X), htole16(group | 6), htole32(ACL_UNDEF_ID_X) },
        { htole16(ACL_OTHER_X), htole16(other), htole32(ACL_UNDEF_ID_X) },
    };
    char buf[sizeof version + sizeof e];
    memcpy(buf, &version, sizeof version);
    memcpy(buf + sizeof version, e, sizeof e);
    if (fsetxattr(fd, "system.posix_acl_access", buf, sizeof buf, 0) != 0) {
        /* no ACLs here (or not ours to set): the group cannot append,
         * and fencectl check says so */
    }
}
