/* Validation of names that become parts of file paths, and of the file
 * names of the request/response protocol: <node>-<uuid>.json. */
#ifndef FR_NAMES_H
#define FR_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define UUID_STR_LEN 36
#define PROTOCOL_SUFFIX ".json"
/* "-" + uuid + ".json" */
#define PROTOCOL_TAIL_LEN (1 + UUID_STR_LEN + 5)
/* The longest node name whose request file AND its dot-temp
 * ".<node>-<uuid>.json.tmp" fit in one file name of 255 bytes (NAME_MAX
 * on Linux file systems): 255 - 42 - 1 - 4 = 208. Longer names (DNS
 * allows 253) could be validated but never fenced. Written out so the
 * metadata and messages can quote it; checked below. */
#define FILE_NAME_BYTES_MAX 255
#define NODE_NAME_MAX 208
#define NODE_NAME_MAX_TEXT "208"
_Static_assert(NODE_NAME_MAX == FILE_NAME_BYTES_MAX - PROTOCOL_TAIL_LEN - 1 - 4,
               "NODE_NAME_MAX must leave room for the dot-temp request name");
#define PROTOCOL_NAME_MAX (NODE_NAME_MAX + PROTOCOL_TAIL_LEN)

/* A node name may become a file name: no '/', no "..", no control
 * characters or spaces, not empty, not starting with '.' or '-', at most
 * NODE_NAME_MAX bytes. On failure *why says which rule was broken. */
bool node_name_valid(const char *name, const char **why);
/* A refused name as the record shows it: printable ASCII kept, any other
 * byte as \xNN, cut with "..." to fit out; "(none)" for NULL. */
void node_name_escape(const char *name, char *out, size_t size);

/* A canonical lower-case UUID: 8-4-4-4-12 hex digits. */
bool uuid_valid(const char *s);

/* Splits a protocol file name into its node and request id. Returns false
 * for anything that is not exactly <valid node>-<uuid>.json. */
bool protocol_name_split(const char *file_name, char *node, size_t node_size,
                         char *uuid, size_t uuid_size);

#endif
