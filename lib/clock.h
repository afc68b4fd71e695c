/* Wall-clock stamps in the three renderings the record uses, taken from one
 * reading of the clock so they never disagree, and a monotonic clock for
 * durations and deadlines. */
#ifndef FR_CLOCK_H
#define FR_CLOCK_H

#include <stdint.h>
#include <time.h>

struct stamp {
    struct timespec ts;
    char iso_ms[32];   /* 2026-11-25T02:18:23.123Z: database columns */
    char iso_s[24];    /* 2026-11-25T02:18:23Z: the jsonl's timestamp */
    char local[24];    /* 2026-11-25 03:18:23: the text logs, local time */
};

void stamp_now(struct stamp *st);
/* The UTC renderings only (local is left empty): no time zone file is
 * read, which the agent's fence path has no time for. A later
 * stamp_from_timespec(st, st->ts) fills local. */
void stamp_now_utc(struct stamp *st);
void stamp_from_timespec(struct stamp *st, struct timespec ts);
int64_t monotonic_ms(void);
/* t in UTC by strftime's format; -1 (out empty) if gmtime_r fails or t is
 * outside the years 1970..9999, which four-digit ISO text can order. */
int utc_format(time_t t, const char *format, char *out, size_t size);

#endif
