#include "timeparse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

static int not_a_duration(const char *text, struct error *err)
{
    return errorf(err, "'%.40s' is not a duration (use e.g. 90s, 30m, 24h, 7d, 2w)", text);
}

int parse_duration(const char *text, int64_t *seconds, struct error *err)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)text[0]))   /* strtoll would take " 5", "+5" */
        return not_a_duration(text, err);
    long long n = strtoll(text, &end, 10);
    int64_t unit;
    switch (*end) {
    case '\0': case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: unit = 0;
    }
    if (end == text || unit == 0 || (*end && end[1]))
        return not_a_duration(text, err);
    /* errno: more digits than a long long holds. */
    if (errno || n > DURATION_MAX_SECONDS / unit)
        return errorf(err, "'%.40s' is out of range: at most %lld days",
                      text, (long long)(DURATION_MAX_SECONDS / 86400));
    *seconds = n * unit;
    return 0;
}

/* t as the database's text, or an error if it is outside what the record
 * can hold (before 1970 or after 9999). */
static int format_bound(const char *text, time_t t, char *out, size_t size, struct error *err)
{
    if (utc_format(t, "%Y-%m-%dT%H:%M:%S.000Z", out, size) != 0)
        return errorf(err, "'%.40s' is out of range: the time must fall between "
                      "1970-01-01 and 9999-12-31", text);
    return 0;
}

/* strptime takes "2026-02-31" and a year of any length; timegm then
 * silently moves or overflows it. Only a time that reads back as written
 * is one. */
static int absolute_time(const char *text, struct tm *tm, char *out, size_t size,
                         struct error *err)
{
    struct tm asked = *tm;
    errno = 0;
    time_t t = timegm(tm);
    struct tm back;
    if ((t == (time_t)-1 && errno) || !gmtime_r(&t, &back) || back.tm_year != asked.tm_year ||
        back.tm_mon != asked.tm_mon || back.tm_mday != asked.tm_mday ||
        back.tm_hour != asked.tm_hour || back.tm_min != asked.tm_min || back.tm_sec != asked.tm_sec)
        return errorf(err, "'%.40s' is not a valid date and time", text);
    return format_bound(text, t, out, size, err);
}

int parse_time_bound(const char *text, time_t now, char *out, size_t size, struct error *err)
{
    if (size < 25)
        return errorf(err, "buffer too small for a time");
    int64_t age;
    size_t len = strlen(text);
    /* An age is digits and one unit letter ("2026-11-25Z" is a date). */
    if (len > 1 && isalpha((unsigned char)text[len - 1]) && strspn(text, "0123456789") == len - 1) {
        if (parse_duration(text, &age, err) != 0)
            return -1;
        return format_bound(text, now - (time_t)age, out, size, err);
    }
    const char *formats[] = { "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
                              "%Y-%m-%d %H:%M", "%Y-%m-%d" };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        const char *rest = strptime(text, formats[i], &tm);
        if (rest && (*rest == '\0' || strcmp(rest, "Z") == 0))
            return absolute_time(text, &tm, out, size, err);
    }
    return errorf(err, "'%.40s' is not a time (use 2026-11-25, 2026-11-25T02:31:00 "
                  "or an age such as 30m, 24h, 7d)", text);
}
