#include "dirscan.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static bool is_temp_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' && n > 5 && strcmp(name + n - 4, ".tmp") == 0;
}

static int scan(const char *dir, bool with_temp, bool with_stat,
                void (*visit)(const struct dir_entry *e, void *ctx), void *ctx, struct error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return errorf_errno(err, "cannot read %s", dir);
    int fd = dirfd(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        struct dir_entry e = { .temp = false };
        if (strlen(de->d_name) >= sizeof e.name)
            continue;
        if (!protocol_name_split(de->d_name, e.node, sizeof e.node, e.request_id, sizeof e.request_id)) {
            if (!with_temp || !is_temp_name(de->d_name))
                continue;
            e.temp = true;
            e.node[0] = e.request_id[0] = '\0';
        }
        struct stat st;
        if (with_stat && fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        strcpy(e.name, de->d_name);
        e.mtime = with_stat ? st.st_mtime : 0;
        visit(&e, ctx);
    }
    closedir(d);
    return 0;
}

int dir_scan(const char *dir, bool with_temp, void (*visit)(const struct dir_entry *e, void *ctx),
             void *ctx, struct error *err)
{
    return scan(dir, with_temp, true, visit, ctx, err);
}

int dir_scan_names(const char *dir, void (*visit)(const struct dir_entry *e, void *ctx),
                   void *ctx, struct error *err)
{
    return scan(dir, false, false, visit, ctx, err);
}

void format_age(time_t s, char *out, size_t size)
{
    if (s < 0)
        s = 0;
    if (s >= 86400)
        snprintf(out, size, "%lldd %lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
    else if (s >= 3600)
        snprintf(out, size, "%lldh %lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else if (s >= 60)
        snprintf(out, size, "%lldm %llds", (long long)(s / 60), (long long)(s % 60));
    else
        snprintf(out, size, "%llds", (long long)s);
}
