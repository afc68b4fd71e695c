/* Operations nobody will finish. An operation stays `running` while its
 * agent or its recorder (fr-recorder) may still write its outcome; once
 * both processes are gone without having done so (the recorder itself was
 * killed), it is closed as `terminated`, with what is known, so no
 * operation is `running` for ever. */
#ifndef FR_STALE_OPERATIONS_H
#define FR_STALE_OPERATIONS_H

#include "record.h"

/* Closes this host's running operations whose agent and recorder are both
 * gone, in one step of rec. Returns how many it closed. */
int stale_operations_close(struct recorder *rec);

#endif
