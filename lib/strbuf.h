/* A growable byte buffer that is always NUL-terminated. Allocation failure
 * is sticky: later appends are ignored and strbuf_failed() reports it, so
 * callers check once at the end instead of after every append. */
#ifndef FR_STRBUF_H
#define FR_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
};

#define STRBUF_INIT { NULL, 0, 0, false }

void strbuf_add(struct strbuf *sb, const char *bytes, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void strbuf_reset(struct strbuf *sb);
/* Never NULL, even for an empty or failed buffer. */
const char *strbuf_str(const struct strbuf *sb);
bool strbuf_failed(const struct strbuf *sb);
/* Hands the buffer to the caller (free() it); the strbuf is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_release(struct strbuf *sb);

#endif
