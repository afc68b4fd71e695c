#ifndef FR_ATOMIC_OUTPUT_H
#define FR_ATOMIC_OUTPUT_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Writes data to path atomically with mode; -1 with err on failure, and
 * then path is untouched. */
int atomic_output(const char *path, const char *data, size_t len, mode_t mode, struct error *err);

#endif
