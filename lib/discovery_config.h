/* Filesystem discovery's settings: the agent reads them from its options
 * and hands them to the recorder, which runs discovery (recorder/discovery.h). */
#ifndef FR_DISCOVERY_CONFIG_H
#define FR_DISCOVERY_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define DISCOVERY_NONE     "none-detected"
#define DISCOVERY_DISABLED "discovery-disabled"

struct discovery_config {
    bool enabled;
    const char *crm_mon;      /* program for method 1, "crm_mon" by default */
    const char *cibadmin;     /* program for method 2, "cibadmin" by default */
    int64_t timeout_ms;       /* per method */
    const char *share_dir;    /* where runs are shared (the database's directory) */
};

#endif
