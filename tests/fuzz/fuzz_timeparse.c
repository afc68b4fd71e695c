/* fencectl's --since/--until/--older-than text. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "timeparse.h"

int fuzz_timeparse(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    int64_t seconds;
    char bound[32];
    struct error err;
    parse_duration(text, &seconds, &err);
    parse_time_bound(text, 1795000000, bound, sizeof bound, &err);
    parse_time_bound(text, 0, bound, sizeof bound, &err);
    free(text);
    return 0;
}

FUZZ_ENTRY(fuzz_timeparse)
