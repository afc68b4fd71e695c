/* Is every line of the jsonl event log in the database? A fence whose
 * database was unavailable is recorded to the logs only, until
 * 'fencectl import' brings it back; fencectl check finds such lines by
 * their line hash (lib/linehash.h), counting repeats: a line written N
 * times is N events. */
#ifndef FR_LOGCHECK_H
#define FR_LOGCHECK_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "names.h"

#define LOGCHECK_SHOWN 20

struct logcheck_running {           /* an operation the database says runs */
    char op_uuid[UUID_STR_LEN + 1];
    char outcome[32];               /* out: the last status the logs-only lines give it */
};

struct logcheck {
    long lines;                     /* lines compared (after the cut-off) */
    long missing;                   /* of those, not in the database */
    char cutoff[32];                /* lines stamped at or before it were skipped */
    int shown;
    char first[LOGCHECK_SHOWN][256];    /* "line N: <time> <node> <status> ..." */
    /* Lines cut short by a write that failed (a full disk): no event, not
     * compared; the first one's place, for the administrator. */
    long fragments;
    long first_fragment_line;
    long long first_fragment_offset;
};

/* Compares path with db's events. running (sorted by op_uuid, n of
 * them) get their logs-only outcome filled in. A missing file is no
 * gap. Returns -1 with err if the file or the database cannot be read. */
int logcheck_jsonl(sqlite3 *db, const char *path, struct logcheck_running *running, size_t n,
                   struct logcheck *out, struct error *err);

#endif
