/* Where the record is, for tools other than the agent (fencectl, the
 * alert agent): paths given neither as options nor in the environment come
 * from the CIB's fence_recorder devices when they all agree (a device that
 * does not set one uses the agent's default). */
#ifndef FR_CIB_PATHS_H
#define FR_CIB_PATHS_H

#include <stdint.h>

#include "cib_devices.h"
#include "config.h"

struct cib_paths {
    char value[4][CIB_VALUE_MAX];   /* the paths taken from the CIB */
    char source[1024];              /* which of options, environment, CIB, defaults gave them */
};

/* Fills p's request_dir, response_dir, db_path and log_dir that are NULL
 * and not set in the environment from the CIB (cibadmin, bounded by
 * timeout_ms), pointing into store; says each disagreement of the devices
 * to warn (then the default applies). Leaves the rest to paths_resolve. */
void paths_from_cib(struct paths *p, int64_t timeout_ms, struct cib_paths *store,
                    void (*warn)(void *ctx, const char *text), void *ctx);

#endif
