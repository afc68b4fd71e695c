/* Times as administrators type them: ISO dates ("2026-11-25",
 * "2026-11-25T02:31", "2026-11-25 02:31:02") and ages ("30m", "24h",
 * "7d", "90s", "2w"), turned into the ISO 8601 UTC text the database
 * stores, so comparisons are plain string comparisons. */
#ifndef FR_TIMEPARSE_H
#define FR_TIMEPARSE_H

#include <stdint.h>
#include <time.h>

#include "error.h"

/* Longer ages and durations are errors, not cut-offs before 1970. */
#define DURATION_MAX_SECONDS ((int64_t)36500 * 86400)

/* A duration: "90s", "30m", "24h", "7d", "2w" (a bare number is seconds),
 * at most DURATION_MAX_SECONDS. */
int parse_duration(const char *text, int64_t *seconds, struct error *err);
/* An absolute time (UTC) or an age before now; out gets
 * "YYYY-MM-DDTHH:MM:SS.000Z". A date that does not exist (2026-02-30), an
 * age out of range or a result outside 1970..9999 is an error. */
int parse_time_bound(const char *text, time_t now, char *out, size_t size, struct error *err);

#endif
