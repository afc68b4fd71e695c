#include "names.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

bool node_name_valid(const char *name, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    size_t len = strlen(name);
    if (len == 0) {
        *why = "node name is empty";
        return false;
    }
    if (len > NODE_NAME_MAX) {
        *why = "node name is longer than " NODE_NAME_MAX_TEXT " bytes (its request file "
               "\".<node>-<uuid>.json.tmp\" must fit in a file name of 255 bytes)";
        return false;
    }
    if (name[0] == '.' || name[0] == '-') {
        *why = "node name starts with '.' or '-'";
        return false;
    }
    if (strstr(name, "..")) {
        *why = "node name contains \"..\"";
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p == '/' || *p == '\\') {
            *why = "node name contains a path separator";
            return false;
        }
        if (*p <= 0x20 || *p == 0x7F) {
            *why = "node name contains a space or control character";
            return false;
        }
    }
    if (!utf8_valid(name)) {
        *why = "node name is not valid UTF-8";
        return false;
    }
    return true;
}

bool uuid_valid(const char *s)
{
    if (strlen(s) != UUID_STR_LEN)
        return false;
    for (int i = 0; i < UUID_STR_LEN; i++) {
        bool dash = (i == 8 || i == 13 || i == 18 || i == 23);
        if (dash ? s[i] != '-' : !(isdigit((unsigned char)s[i]) ||
                                   (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return true;
}

bool protocol_name_split(const char *file_name, char *node, size_t node_size,
                         char *uuid, size_t uuid_size)
{
    size_t len = strlen(file_name);
    if (len <= PROTOCOL_TAIL_LEN || len > PROTOCOL_NAME_MAX)
        return false;
    size_t node_len = len - PROTOCOL_TAIL_LEN;
    const char *tail = file_name + node_len;
    if (tail[0] != '-' || strcmp(tail + 1 + UUID_STR_LEN, PROTOCOL_SUFFIX) != 0)
        return false;
    if (node_len >= node_size || uuid_size <= UUID_STR_LEN)
        return false;
    memcpy(uuid, tail + 1, UUID_STR_LEN);
    uuid[UUID_STR_LEN] = '\0';
    memcpy(node, file_name, node_len);
    node[node_len] = '\0';
    return uuid_valid(uuid) && node_name_valid(node, NULL);
}

void node_name_escape(const char *name, char *out, size_t size)
{
    if (size < 8)
        return;
    if (!name) {
        snprintf(out, size, "(none)");
        return;
    }
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        char piece[5];
        if (*p >= 0x20 && *p < 0x7F && *p != '\\')
            snprintf(piece, sizeof piece, "%c", *p);
        else
            snprintf(piece, sizeof piece, "\\x%02x", *p);
        size_t len = strlen(piece);
        if (n + len + 4 > size) {
            memcpy(out + n, "...", 4);
            return;
        }
        memcpy(out + n, piece, len);
        n += len;
    }
    out[n] = '\0';
}
