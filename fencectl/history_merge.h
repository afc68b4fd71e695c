/* Two streams of history rows, each newest first, shown as one: the
 * rows are kept (copied) and emitted by their started time, newest first,
 * at most a limit. */
#ifndef FR_HISTORY_MERGE_H
#define FR_HISTORY_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "history_rows.h"

struct history_merge {
    struct kept_rows {
        char *(*v)[HISTORY_NCOLS];
        size_t n, cap;
    } side[2];
    bool out_of_memory;
};

/* history_row_fn for side 0 and side 1 (ctx: the struct history_merge). */
void history_merge_keep0(void *ctx, const char *const *values);
void history_merge_keep1(void *ctx, const char *const *values);
/* Emits the newest `limit` rows (-1: all) through row; frees what it kept.
 * -1 when memory ran out while keeping them. */
int history_merge_emit(struct history_merge *m, long long limit, history_row_fn row, void *ctx);

#endif
