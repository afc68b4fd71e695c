#include "timeparse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_duration(const char *text, int64_t *seconds, struct error *err)
{
    char *end;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (end == text || errno || n < 0)
        return errorf(err, "'%.40s' is not a duration (use e.g. 90s, 30m, 24h, 7d, 2w)", text);
    int64_t unit;
    switch (*end) {
    case '\0': case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: unit = 0;
    }
    if (unit == 0 || (*end && end[1]) || n > INT64_MAX / unit / 2)
        return errorf(err, "'%.40s' is not a duration (use e.g. 90s, 30m, 24h, 7d, 2w)", text);
    *seconds = n * unit;
    return 0;
}

static void format_utc(time_t t, char *out, size_t size)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

int parse_time_bound(const char *text, time_t now, char *out, size_t size, struct error *err)
{
    if (size < 25)
        return errorf(err, "buffer too small for a time");
    int64_t age;
    size_t len = strlen(text);
    if (len > 0 && isalpha((unsigned char)text[len - 1]) && parse_duration(text, &age, NULL) == 0) {
        format_utc(now - (time_t)age, out, size);
        return 0;
    }
    struct tm tm = { 0 };
    const char *formats[] = { "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
                              "%Y-%m-%d %H:%M", "%Y-%m-%d" };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        memset(&tm, 0, sizeof tm);
        const char *rest = strptime(text, formats[i], &tm);
        if (rest && (*rest == '\0' || strcmp(rest, "Z") == 0)) {
            format_utc(timegm(&tm), out, size);
            return 0;
        }
    }
    return errorf(err, "'%.40s' is not a time (use 2026-11-25, 2026-11-25T02:31:00 "
                  "or an age such as 30m, 24h, 7d)", text);
}
