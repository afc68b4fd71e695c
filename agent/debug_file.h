/* fencing.py's debug_file (-D): a copy of every line the agent writes to
 * stderr, appended to a file. */
#ifndef FR_DEBUG_FILE_H
#define FR_DEBUG_FILE_H

/* Replaces stderr with a stream writing to the old stderr and to path.
 * A file that cannot be opened is reported on stderr and otherwise
 * ignored: a debug aid never changes a fence. */
void debug_file_attach(const char *path);

#endif
