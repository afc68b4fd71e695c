/* Pacemaker's interval syntax, shared by the agent's timeout warnings
 * and fencectl check. */
#ifndef FR_PCMK_INTERVAL_H
#define FR_PCMK_INTERVAL_H

#include <stdbool.h>
#include <stdint.h>

/* "90", "90s", "1m30s", "2min", "500ms" into milliseconds; false if the
 * text is none of those. */
bool pcmk_interval_ms(const char *text, int64_t *ms);

/* What the agent needs after its own deadline before Pacemaker's timer
 * may fire: recording the timeout and exiting take milliseconds, the rest
 * is room for a loaded machine. */
#define RACE_MARGIN_MS 5000

#endif
