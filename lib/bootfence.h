/* Is this node fenced now, or was it fenced before it last booted? The
 * rule the watchdog check (check/) applies to a successful response file
 * for its own node: a response is state until Pacemaker unfences the node,
 * so a node that was fenced, rebooted and has not yet rejoined still has
 * one. Only a fence made after this boot means "this node is fenced now".
 *
 * Times are milliseconds since the epoch on this node's wall clock. */
#ifndef FR_BOOTFENCE_H
#define FR_BOOTFENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* An ISO 8601 date and time WITH its offset, as the request's timestamp
 * is written: "2026-11-25T02:18:23.123Z", "2026-11-25T02:18:23Z",
 * "2026-11-25T03:18:23+01:00", "+0100", "+01"; 'T', 't' or one space
 * between date and time; a fraction of any length (cut to milliseconds).
 * A time without an offset ("2026-11-25T02:18:23", Python's naive
 * isoformat) is refused: it names no point in time. So are dates that do
 * not exist, years outside 1970..9999 and anything after the offset.
 * Returns false when text is not such a time. */
bool iso8601_to_ms(const char *text, int64_t *ms);

/* This node's boot time and now, read back to back: now from
 * CLOCK_REALTIME, boot = now - CLOCK_BOOTTIME (the time since boot,
 * suspend included): the same instant /proc/stat's btime gives, to the
 * millisecond. Both follow a step of the wall clock, as btime does. */
int boot_and_now_ms(int64_t *boot_ms, int64_t *now_ms, struct error *err);

enum fence_age {
    FENCE_BEFORE_BOOT,   /* at or before this boot: an old fence, not this life */
    FENCE_AFTER_BOOT,    /* after this boot and not in the future: fenced now */
    FENCE_IN_FUTURE,     /* later than now + skew: a clock is wrong, no verdict */
};

/* The rule: a fence at fence_ms is of this boot when
 *     boot_ms < fence_ms <= now_ms + skew_ms
 * A tie with the boot counts as before it. A fence time later than now by
 * more than skew_ms cannot be judged (this node's clock is behind, as
 * after a boot on a wrong hardware clock before NTP, or the writer's is
 * ahead): the caller must not reboot on it. */
enum fence_age fence_age_judge(int64_t fence_ms, int64_t boot_ms, int64_t now_ms,
                               int64_t skew_ms);
const char *fence_age_name(enum fence_age a);

#endif
