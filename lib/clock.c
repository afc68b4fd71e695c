#include "clock.h"

#include <stdbool.h>
#include <stdio.h>

/* The proleptic Gregorian date of a count of days since 1970-01-01, by
 * 400-year eras of 146097 days (each era starts on a March 1st, so the
 * leap day ends its year). By hand because glibc's gmtime_r, like its
 * strftime, loads the time zone (/etc/localtime) on first use, which UTC
 * never needs and the agent's fence path has no time for. */
static void civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    int64_t z = days + 719468;   /* days from 0000-03-01 */
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                   /* 0..146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            /* 0..365 */
    int64_t mp = (5 * doy + 2) / 153;                                 /* 0..11, March first */
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

/* The UTC renderings; false (and the epoch's) if ts cannot be rendered:
 * outside the years 0..9999, which four-digit ISO text can order. */
static bool render_utc(struct stamp *st, struct timespec ts)
{
    st->ts = ts;
    int64_t secs = (int64_t)ts.tv_sec;
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days--;
    }
    int64_t year = -1;
    int month = 0, day = 0;
    /* Beyond this the year has more than four digits either way. */
    if (days > -1000000 && days < 3000000)
        civil_from_days(days, &year, &month, &day);
    if (year < 0 || year > 9999) {
        snprintf(st->iso_ms, sizeof st->iso_ms, "1970-01-01T00:00:00.000Z");
        snprintf(st->iso_s, sizeof st->iso_s, "1970-01-01T00:00:00Z");
        return false;
    }
    char base[64];
    snprintf(base, sizeof base, "%04d-%02d-%02dT%02d:%02d:%02d", (int)year, month, day,
             (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
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
