#include "missed_fences.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alert_event.h"

/* "2026-11-26T15:20:16.000Z" (pcmk_time_to_iso's) as a stamp. */
static bool stamp_from_iso_utc(struct stamp *st, const char *iso)
{
    struct tm tm = { 0 };
    const char *rest = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest)
        return false;
    struct timespec ts = { .tv_sec = timegm(&tm), .tv_nsec = 0 };
    stamp_from_timespec(st, ts);
    return true;
}

/* The fencers keep their history in memory, synchronised when a node
 * joins; it is read before the step (stonith_admin may take seconds; the
 * database is not held meanwhile). What the record has already (by
 * Pacemaker's id, or the same target, action and executor within seconds)
 * is not added again. */
void record_missed_fences(struct recorder *rec, const struct pcmk_history *h, const char *host)
{
    int added = 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct pcmk_event *e = &h->v[i];
        if (!e->completed[0])
            continue;   /* still pending: its alert will come */
        char desc[2 * ALERT_TEXT_MAX];   /* room for every field at its longest */
        struct stamp at;
        snprintf(desc, sizeof desc, "Operation %s of %s by %s for %s@%s: %s%s%s", e->action,
                 e->target, e->delegate, e->client, e->origin, e->status,
                 e->reason[0] ? ": " : "", e->reason);
        if (!stamp_from_iso_utc(&at, e->completed))
            continue;
        struct cluster_event_row row = {
            .kind = "fencing", .node = e->target, .action = e->action,
            .executor = e->delegate[0] ? e->delegate : NULL,
            .client = e->client[0] ? e->client : NULL, .origin = e->origin[0] ? e->origin : NULL,
            .result = e->status, .rc = strcmp(e->status, "success") == 0 ? 0 : -1,
            .description = desc, .happened = &at, .recorded_on = host, .source = "history",
        };
        if (rec_cluster_event(rec, &row) == 1) {
            added++;
            rec_log(rec, LOG_INFO, "Cluster fence event (from the fencers' history: no alert "
                    "of it was recorded here): %s", desc);
        }
    }
    if (added)
        rec_log(rec, LOG_INFO, "%d fence(s) of the fencers' history had no alert recorded "
                "here: recorded from the history", added);
}
