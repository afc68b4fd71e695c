#include "linehash.h"

#include <stdint.h>
#include <stdio.h>

void line_hash(const char *line, size_t len, char out[17])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    /* The trailing newline is not part of the line's identity. */
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)line[i];
        h *= 0x100000001b3ULL;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}
