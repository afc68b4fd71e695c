/* SIGTERM is how Pacemaker ends an agent that ran past its timeout. The
 * agent turns it (and SIGINT, SIGHUP) into a readable file descriptor so
 * the wait loop can record the termination before exiting. */
#ifndef FR_SIGNALS_H
#define FR_SIGNALS_H

#include <stdint.h>

#include "error.h"

/* Blocks the terminating signals and returns a signalfd for them. */
int signals_capture(struct error *err);
/* Reads a pending signal from fd: its number, or 0 if none. */
int signals_read(int fd);
/* For a forked child: default dispositions and an empty mask. */
void signals_reset_for_child(void);
/* Sleeps ms, or less if a signal arrives on sigfd: 0 or the signal. */
int sleep_or_signal(int sigfd, int64_t ms);

#endif
