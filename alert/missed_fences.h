/* The fences this node missed while it was down, from the fencers'
 * history, as cluster_events rows of their own (source 'history'). */
#ifndef FR_MISSED_FENCES_H
#define FR_MISSED_FENCES_H

#include "pcmk_history.h"
#include "record.h"

/* Adds each completed fence of h the record does not have yet; host is
 * this node's name. Runs inside the caller's step. */
void record_missed_fences(struct recorder *rec, const struct pcmk_history *h, const char *host);

#endif
