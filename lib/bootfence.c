#include "bootfence.h"

#include <errno.h>
#include <string.h>
#include <time.h>

/* n decimal digits exactly, into *v. */
static bool digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        x = x * 10 + (c - '0');
    }
    *p += n;
    *v = x;
    return true;
}

static bool expect(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

/* The offset east of UTC in seconds: "Z", "+HH:MM", "+HHMM" or "+HH". */
static bool offset_seconds(const char *p, int *off)
{
    if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0') {
        *off = 0;
        return true;
    }
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p++ == '-' ? -1 : 1, hh, mm = 0;
    if (!digits(&p, 2, &hh))
        return false;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &mm))
            return false;
    } else if (*p) {
        if (!digits(&p, 2, &mm))
            return false;
    }
    if (*p || hh > 23 || mm > 59)
        return false;
    *off = sign * (hh * 3600 + mm * 60);
    return true;
}

bool iso8601_to_ms(const char *text, int64_t *ms)
{
    if (!text)
        return false;
    const char *p = text;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h, mi, s, frac_ms = 0, off;
    if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &mo) || !expect(&p, '-') ||
        !digits(&p, 2, &d))
        return false;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return false;
    p++;
    if (!digits(&p, 2, &h) || !expect(&p, ':') || !digits(&p, 2, &mi) || !expect(&p, ':') ||
        !digits(&p, 2, &s))
        return false;
    if (*p == '.' || *p == ',') {
        p++;
        int n = 0;
        for (; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 3)
                frac_ms = frac_ms * 10 + (*p - '0');
        if (n == 0)
            return false;
        for (; n < 3; n++)
            frac_ms *= 10;
    }
    if (!offset_seconds(p, &off) || y < 1970 || y > 9999)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    /* timegm moves 2026-02-30 to March and 24:00 to the next day: only a
     * time that reads back as written is one. */
    time_t t = timegm(&tm);
    struct tm back;
    if (!gmtime_r(&t, &back) || back.tm_year != y - 1900 || back.tm_mon != mo - 1 ||
        back.tm_mday != d || back.tm_hour != h || back.tm_min != mi || back.tm_sec != s)
        return false;
    int64_t v = ((int64_t)t - off) * 1000 + frac_ms;
    if (v < 0)
        return false;
    *ms = v;
    return true;
}

static int64_t ts_ms(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

int boot_and_now_ms(int64_t *boot_ms, int64_t *now_ms, struct error *err)
{
    struct timespec real, up;
    if (clock_gettime(CLOCK_REALTIME, &real) != 0 || clock_gettime(CLOCK_BOOTTIME, &up) != 0)
        return errorf_errno(err, "cannot read the clocks");
    *now_ms = ts_ms(&real);
    *boot_ms = *now_ms - ts_ms(&up);
    return 0;
}

enum fence_age fence_age_judge(int64_t fence_ms, int64_t boot_ms, int64_t now_ms,
                               int64_t skew_ms)
{
    if (fence_ms > now_ms + skew_ms)
        return FENCE_IN_FUTURE;
    return fence_ms > boot_ms ? FENCE_AFTER_BOOT : FENCE_BEFORE_BOOT;
}

const char *fence_age_name(enum fence_age a)
{
    switch (a) {
    case FENCE_BEFORE_BOOT: return "before this boot";
    case FENCE_AFTER_BOOT: return "after this boot";
    case FENCE_IN_FUTURE: return "in the future";
    }
    return "?";
}
