/* Who is still recording. Every companion holds a shared flock on a file
 * beside the database (taken by the agent before it forks the companion, so
 * there is no moment when a fence has started and no holder exists) until
 * its record is written. An exclusive lock therefore means: every fence
 * that started before it is completely recorded. fencectl uses it to say a
 * record is still being written; the tests use it to wait for one. */
#ifndef FR_RECORDING_LOCK_H
#define FR_RECORDING_LOCK_H

#include <stdbool.h>

#define RECORDING_LOCK_SUFFIX "-recording"

/* Takes the shared lock for db_path (creating the database's directory if
 * needed); the descriptor keeps it, and a forked child shares it. -1 if it
 * cannot be had: nothing depends on it but the waiting. */
int recording_lock_hold(const char *db_path);
/* True if some recorder of db_path is at work now. */
bool recording_lock_busy(const char *db_path);

#endif
