/* Protocol files in a directory with their ages, for orphans, prune and
 * check. Names that are not <node>-<uuid>.json are skipped, except the
 * agent's own abandoned dot-temp files when asked for. */
#ifndef FR_DIRSCAN_H
#define FR_DIRSCAN_H

#include <stdbool.h>
#include <time.h>

#include "error.h"
#include "names.h"

struct dir_entry {
    char name[PROTOCOL_NAME_MAX + 16];
    char node[NODE_NAME_MAX + 1];       /* empty for temp files */
    char request_id[UUID_STR_LEN + 1];  /* empty for temp files */
    time_t mtime;
    bool temp;                          /* ".<name>.tmp" */
};

/* Calls visit for each entry; returns -1 with err if dir is unreadable. */
int dir_scan(const char *dir, bool with_temp, void (*visit)(const struct dir_entry *e, void *ctx),
             void *ctx, struct error *err);

/* Like dir_scan without the temp files and without a stat per entry
 * (mtime is 0): for when the names are all that matters. */
int dir_scan_names(const char *dir, void (*visit)(const struct dir_entry *e, void *ctx),
                   void *ctx, struct error *err);

/* "3d 4h", "12m 5s" */
void format_age(time_t seconds, char *out, size_t size);

#endif
