#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool strbuf_grow(struct strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (extra >= (size_t)-1 / 2 - sb->len) {
        sb->failed = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    char *data = realloc(sb->data, cap);
    if (!data) {
        sb->failed = true;
        return false;
    }
    sb->data = data;
    sb->cap = cap;
    return true;
}

void strbuf_add(struct strbuf *sb, const char *bytes, size_t len)
{
    if (!strbuf_grow(sb, len))
        return;
    if (len)
        memcpy(sb->data + sb->len, bytes, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_addc(struct strbuf *sb, char c)
{
    strbuf_add(sb, &c, 1);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        sb->failed = true;
        return;
    }
    if (!strbuf_grow(sb, (size_t)n))
        return;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

const char *strbuf_str(const struct strbuf *sb)
{
    return sb->data && !sb->failed ? sb->data : "";
}

bool strbuf_failed(const struct strbuf *sb)
{
    return sb->failed;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    char *data = sb->failed ? NULL : sb->data;
    if (!data && !sb->failed)
        data = calloc(1, 1);
    if (len)
        *len = data ? sb->len : 0;
    if (sb->failed)
        free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = false;
    return data;
}

void strbuf_release(struct strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = false;
}
