/* Recording and doing one unfence (on), for the agent that waits. */
#ifndef FR_RECORD_UNFENCE_H
#define FR_RECORD_UNFENCE_H

#include <stdbool.h>

#include "job.h"

/* Records each successful response of the target and only then removes
 * it (lib/unfence.c). True when the node is unfenced. */
bool record_unfence(const struct job *job);

#endif
