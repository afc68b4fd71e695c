#include "clock.h"

#include <stdbool.h>
#include <stdio.h>

/* The UTC renderings; false (and the epoch's) if ts cannot be rendered. */
static bool render_utc(struct stamp *st, struct timespec ts)
{
    struct tm utc;
    st->ts = ts;
    if (!gmtime_r(&ts.tv_sec, &utc) || utc.tm_year < -1900 || utc.tm_year > 9999 - 1900) {
        snprintf(st->iso_ms, sizeof st->iso_ms, "1970-01-01T00:00:00.000Z");
        snprintf(st->iso_s, sizeof st->iso_s, "1970-01-01T00:00:00Z");
        return false;
    }
    /* By hand, not strftime: glibc's strftime loads the time zone
     * (/etc/localtime) that UTC never needs, on the agent's fence path. */
    char base[64];
    snprintf(base, sizeof base, "%04d-%02d-%02dT%02d:%02d:%02d", utc.tm_year + 1900,
             utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    snprintf(st->iso_s, sizeof st->iso_s, "%.19sZ", base);
    snprintf(st->iso_ms, sizeof st->iso_ms, "%.19s.%03dZ", base, (int)(ts.tv_nsec / 1000000) % 1000);
    return true;
}

void stamp_from_timespec(struct stamp *st, struct timespec ts)
{
    struct tm local;
    if (!render_utc(st, ts) || !localtime_r(&ts.tv_sec, &local)) {
        render_utc(st, (struct timespec){ 0, 0 });
        snprintf(st->local, sizeof st->local, "1970-01-01 00:00:00");
        return;
    }
    strftime(st->local, sizeof st->local, "%Y-%m-%d %H:%M:%S", &local);
}

void stamp_now_utc(struct stamp *st)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    st->local[0] = '\0';
    render_utc(st, ts);
}

void stamp_now(struct stamp *st)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    stamp_from_timespec(st, ts);
}

int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int utc_format(time_t t, const char *format, char *out, size_t size)
{
    struct tm tm;
    if (size)
        out[0] = '\0';
    if (!gmtime_r(&t, &tm) || tm.tm_year < 70 || tm.tm_year > 9999 - 1900 ||
        strftime(out, size, format, &tm) == 0)
        return -1;
    return 0;
}
