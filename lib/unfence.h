/* Unfencing: the node's fenced state is its successful response files.
 * Each is recorded in the database and only then removed; without a
 * working database nothing is removed. The agent's `on` and
 * `fencectl unfence` both run this. */
#ifndef FR_UNFENCE_H
#define FR_UNFENCE_H

#include <stdbool.h>

#include "record.h"

/* rec->op must describe the operation (action "on", target, who asked).
 * Records the operation, its log lines and event. True on success: every
 * successful response of the node recorded and removed (or none). */
bool unfence_run(struct recorder *rec, const char *request_dir, const char *response_dir,
                 const char *node);

#endif
