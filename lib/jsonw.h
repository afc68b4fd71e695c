/* Deterministic JSON writing. The log files and the request file are
 * rendered by hand, not by cJSON, so that the same fields always give the
 * same bytes: fencectl regenerates the jsonl from the database and must
 * reproduce what the agent wrote byte for byte. Strings are escaped as
 * Python's json.dumps does by default (ASCII only, \uXXXX escapes), which
 * keeps lines compatible with the original agent's jsonl. */
#ifndef FR_JSONW_H
#define FR_JSONW_H

#include "strbuf.h"

/* Appends s as a quoted JSON string. Invalid UTF-8 becomes U+FFFD. */
void json_add_string(struct strbuf *sb, const char *s);
/* Appends "key": "value" (value NULL: null). */
void json_add_member(struct strbuf *sb, const char *key, const char *value);
/* Appends a JSON array of strings, items separated by sep (", " or ","). */
void json_add_string_array(struct strbuf *sb, const char *const *items,
                           size_t count, const char *sep);

#endif
