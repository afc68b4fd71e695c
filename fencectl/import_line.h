/* One line of a fence-events-detailed.jsonl (ours or the original Python
 * agent's), parsed and checked before anything of it is stored. */
#ifndef FR_IMPORT_LINE_H
#define FR_IMPORT_LINE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "eventlog.h"
#include "strbuf.h"

/* Longer lines are rejected (and skipped to their end): ours stay far
 * below, as the longest field is a response message of at most 1 MiB. */
#define IMPORT_LINE_MAX (4 * 1024 * 1024)

struct import_event {
    struct fence_event ev;      /* as export renders it */
    char logged_at[32];         /* the timestamp as the database's ISO ms text */
    char local_time[32];
    struct strbuf filesystems;  /* JSON array text, as the agent renders it */
    char canonical_hash[17];    /* of the line export would write for it */
    char raw_hash[17];          /* of the line as it is in the file */
    cJSON *json;                /* owns the strings ev points to */
};

/* Parses line (len bytes, without its newline). Returns 0, or -1 with
 * *why saying what makes it junk (then nothing needs releasing). */
int import_event_parse(struct import_event *ie, const char *line, size_t len, const char **why);
void import_event_release(struct import_event *ie);

/* Statuses that end an operation. */
bool import_status_terminal(const char *status);

#endif
