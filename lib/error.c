#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int errorf(struct error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int errorf_errno(struct error *err, const char *fmt, ...)
{
    int saved = errno;
    if (!err)
        return -1;
    char what[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* Keep room for the reason: it is the useful half. */
    snprintf(err->msg, sizeof err->msg, "%.900s: %.120s", what, strerror(saved));
    errno = saved;
    return -1;
}
