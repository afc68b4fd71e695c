/* A stable 64-bit FNV-1a hash of a log line, as 16 hex digits: the key
 * that makes fencectl import idempotent. It identifies a line's content,
 * not one event: identical lines are distinct events, and import counts
 * occurrences against it (fencectl/cmd_import.c). Not a security measure. */
#ifndef FR_LINEHASH_H
#define FR_LINEHASH_H

#include <stddef.h>

void line_hash(const char *line, size_t len, char out[17]);

#endif
