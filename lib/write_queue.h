/* A queue in front of SQLite's write lock.
 *
 * SQLite lets a writer that finds the lock taken only sleep and ask again.
 * When a whole rack is fenced at once, a few hundred agents asking again
 * starve the lock holder of CPU on a 2-core management node (measured:
 * 220 agents took 12-17 s, and some gave up at the 10 s busy timeout and
 * recorded to the logs only). So every write transaction first takes
 * flock() of a file beside the database and keeps it until COMMIT: the
 * holder writes, the others sleep in the kernel. SQLite's own locking
 * still protects the data; the queue only decides who asks. */
#ifndef FR_WRITE_QUEUE_H
#define FR_WRITE_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#define WRITE_QUEUE_SUFFIX "-queue"

struct write_queue {
    const char *db_path;
    int fd;              /* the queue file, opened by write_queue_enter */
    bool at_front;       /* we hold the queue lock */
    bool existing_only;  /* a reader that creates nothing: without the file
                          * (no writer has written) it does not queue */
};

#define WRITE_QUEUE_INIT(path) { .db_path = (path), .fd = -1 }

enum queue_result {
    QUEUE_AT_FRONT,      /* our turn to ask SQLite */
    QUEUE_TIMED_OUT,     /* deadline_ms (monotonic) passed while queued */
    QUEUE_UNAVAILABLE,   /* cannot queue here: wait the plain way */
};

enum queue_result write_queue_enter(struct write_queue *q, int64_t deadline_ms);
void write_queue_leave(struct write_queue *q);

#endif
