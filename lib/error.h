/* Library functions never print or exit: they fill a struct error that
 * says what failed and where, and the caller decides how to report it. */
#ifndef FR_ERROR_H
#define FR_ERROR_H

struct error {
    char msg[1024];
};

/* Sets the message; always returns -1 so callers can `return errorf(...)`. */
int errorf(struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Like errorf, with ": strerror(errno)" appended (errno read on entry). */
int errorf_errno(struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
