/* Can a file be written in a directory right now? The request directory
 * may be full (ENOSPC), out of inodes, out of quota, read-only or not
 * writable for us, and every fence would then fail at its first step:
 * the agent's monitor and fencectl check find out with a probe file
 * instead of trusting permission bits (root passes access(W_OK) on a
 * full disk). */
#ifndef FR_PROBE_H
#define FR_PROBE_H

#include <stdbool.h>

#include "error.h"

/* One block: what the smallest request file needs. */
#define PROBE_BYTES 4096

/* Creates ".fence_recorder-probe-<pid>.tmp" in dir (exclusively, never
 * following a symlink), writes PROBE_BYTES, with sync also fsyncs it,
 * closes and removes it. nnf-sos ignores names not ending in .json, and
 * prune treats a leftover one as an abandoned dot-temp file. Returns -1
 * with err naming the step and the errno (ENOSPC says "full"). */
int dir_write_probe(const char *dir, bool sync, struct error *err);

#endif
