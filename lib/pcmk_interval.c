/* Pacemaker's interval syntax: a number with an optional unit, or
 * several ("1m30s"). */
#include "pcmk_interval.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool unit_scale(const char *unit, size_t len, int64_t *scale)
{
    static const struct { const char *name; int64_t ms; } units[] = {
        { "ms", 1 }, { "msec", 1 }, { "s", 1000 }, { "sec", 1000 }, { "m", 60000 },
        { "min", 60000 }, { "h", 3600000 }, { "hr", 3600000 },
    };
    if (len == 0) {
        *scale = 1000;   /* a bare number is seconds */
        return true;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == len && strncasecmp(unit, units[i].name, len) == 0) {
            *scale = units[i].ms;
            return true;
        }
    return false;
}

bool pcmk_interval_ms(const char *text, int64_t *ms)
{
    int64_t total = 0;
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p)
        return false;
    while (*p && !isspace((unsigned char)*p)) {
        if (!isdigit((unsigned char)*p))
            return false;
        int64_t n = 0;
        while (isdigit((unsigned char)*p)) {
            if (n > 100000000)
                return false;
            n = n * 10 + (*p++ - '0');
        }
        const char *unit = p;
        while (isalpha((unsigned char)*p))
            p++;
        int64_t scale;
        if (!unit_scale(unit, (size_t)(p - unit), &scale))
            return false;
        total += n * scale;
    }
    while (isspace((unsigned char)*p))
        p++;
    *ms = total;
    return *p == '\0';
}

