/* The fence_recorder devices configured in the CIB, for fencectl run on a
 * cluster node: their directories and database (so no flags are needed)
 * and their timeouts (for fencectl check). */
#ifndef FR_CIB_DEVICES_H
#define FR_CIB_DEVICES_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define CIB_DEVICES_MAX 16
#define CIB_VALUE_MAX 1024

enum cib_key { CIB_REQUEST_DIR, CIB_RESPONSE_DIR, CIB_DB, CIB_LOG_DIR, CIB_FENCE_TIMEOUT,
               CIB_DELAY, CIB_PCMK_OFF_TIMEOUT, CIB_PCMK_REBOOT_TIMEOUT, CIB_KEY_COUNT };

struct cib_device {
    char id[256];
    char value[CIB_KEY_COUNT][CIB_VALUE_MAX];   /* "" when not set */
};

struct cib_devices {
    struct cib_device dev[CIB_DEVICES_MAX];
    int count;
    char stonith_timeout[64];   /* the cluster property, "" when not set */
};

extern const char *const cib_key_names[CIB_KEY_COUNT];

/* Runs `cibadmin --query --scope resources` and `--scope crm_config`
 * ($CIBADMIN_PATH or cibadmin from PATH), each bounded by timeout_ms.
 * Returns 0, or -1 with err when the CIB cannot be read (not a cluster
 * node, cluster down, no cibadmin). */
int cib_devices_read(int64_t timeout_ms, struct cib_devices *out, struct error *err);

/* Parsers, separated for the tests: the XML of each query. */
int cib_devices_parse(const char *xml, size_t len, struct cib_devices *out, struct error *err);
int cib_crm_config_parse(const char *xml, size_t len, struct cib_devices *out, struct error *err);

/* For each device: does its own timeout win against Pacemaker's for off
 * and reboot (pcmk_<action>_timeout, else stonith-timeout, default 60 s)?
 * Calls report once per losing action with the text of the problem. */
void cib_timeout_problems(const struct cib_devices *devs,
                          void (*report)(void *ctx, const char *text), void *ctx);

#endif
