/* UTF-8 decoding, strict: what JSON output and node names accept. */
#ifndef FR_UTF8_H
#define FR_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one sequence at s into cp; returns its length, or 0 if invalid
 * (overlong, surrogate, out of range or truncated by a NUL). */
size_t utf8_decode(const unsigned char *s, uint32_t *cp);

/* True if the NUL-terminated s is entirely valid UTF-8. */
bool utf8_valid(const char *s);

#endif
