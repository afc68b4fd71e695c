/* Rendering of the three log files' lines. The agent writes them and
 * fencectl regenerates them from the database with these same functions,
 * which is what makes the regenerated files byte-identical. */
#ifndef FR_EVENTLOG_H
#define FR_EVENTLOG_H

#include "strbuf.h"

/* One line of fence-events-readable.log and fence-events-detailed.jsonl. */
struct fence_event {
    const char *local_time;     /* "YYYY-MM-DD HH:MM:SS" */
    const char *utc_time;       /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *action;
    const char *target_node;
    const char *status;
    const char *details;
    const char *recorder_node;
    const char *pacemaker_action;
    const char *filesystems;    /* JSON array text, e.g. ["a", "b"] */
    const char *request_id;     /* NULL: rendered as null */
};

/* "[local_time] [LEVEL] message\n"; control characters in message become
 * spaces so one event is always one line. */
void render_log_line(struct strbuf *sb, const char *local_time,
                     const char *level, const char *message);
void render_readable(struct strbuf *sb, const struct fence_event *ev);
void render_jsonl(struct strbuf *sb, const struct fence_event *ev);

/* Rewrites a JSON array of strings into the compact form of the readable
 * log (["a","b"]); anything else is copied as one line. */
void render_filesystems_compact(struct strbuf *sb, const char *json_array);

#endif
