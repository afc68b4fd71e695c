#include "jsonw.h"

#include <stdint.h>

#include "utf8.h"

static void add_escaped_codepoint(struct strbuf *sb, uint32_t cp)
{
    if (cp >= 0x10000) {
        cp -= 0x10000;
        strbuf_addf(sb, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
    } else {
        strbuf_addf(sb, "\\u%04x", cp);
    }
}

void json_add_string(struct strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    strbuf_addc(sb, '"');
    while (*p) {
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        if (n == 0) {
            strbuf_adds(sb, "\\ufffd");
            p++;
            continue;
        }
        p += n;
        switch (cp) {
        case '"':  strbuf_adds(sb, "\\\""); break;
        case '\\': strbuf_adds(sb, "\\\\"); break;
        case '\n': strbuf_adds(sb, "\\n"); break;
        case '\r': strbuf_adds(sb, "\\r"); break;
        case '\t': strbuf_adds(sb, "\\t"); break;
        case '\b': strbuf_adds(sb, "\\b"); break;
        case '\f': strbuf_adds(sb, "\\f"); break;
        default:
            if (cp < 0x20 || cp >= 0x7F)
                add_escaped_codepoint(sb, cp);
            else
                strbuf_addc(sb, (char)cp);
        }
    }
    strbuf_addc(sb, '"');
}

void json_add_string_array(struct strbuf *sb, const char *const *items,
                           size_t count, const char *sep)
{
    strbuf_addc(sb, '[');
    for (size_t i = 0; i < count; i++) {
        if (i)
            strbuf_adds(sb, sep);
        json_add_string(sb, items[i]);
    }
    strbuf_addc(sb, ']');
}

void json_add_member(struct strbuf *sb, const char *key, const char *value)
{
    json_add_string(sb, key);
    strbuf_adds(sb, ": ");
    if (value)
        json_add_string(sb, value);
    else
        strbuf_adds(sb, "null");
}
