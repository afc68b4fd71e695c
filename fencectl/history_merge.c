#include "history_merge.h"

#include <stdlib.h>
#include <string.h>

static void keep(struct history_merge *m, int s, const char *const *values)
{
    struct kept_rows *k = &m->side[s];
    if (m->out_of_memory)
        return;
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 64;
        void *bigger = realloc(k->v, cap * sizeof *k->v);
        if (!bigger) {
            m->out_of_memory = true;
            return;
        }
        k->v = bigger;
        k->cap = cap;
    }
    for (int i = 0; i < HISTORY_NCOLS; i++) {
        k->v[k->n][i] = values[i] ? strdup(values[i]) : NULL;
        if (values[i] && !k->v[k->n][i])
            m->out_of_memory = true;
    }
    k->n++;
}

void history_merge_keep0(void *ctx, const char *const *values) { keep(ctx, 0, values); }
void history_merge_keep1(void *ctx, const char *const *values) { keep(ctx, 1, values); }

static const char *started(const struct kept_rows *k, size_t i)
{
    return k->v[i][H_STARTED] ? k->v[i][H_STARTED] : "";
}

static void release(struct kept_rows *k)
{
    for (size_t i = 0; i < k->n; i++)
        for (int c = 0; c < HISTORY_NCOLS; c++)
            free(k->v[i][c]);
    free(k->v);
    memset(k, 0, sizeof *k);
}

int history_merge_emit(struct history_merge *m, long long limit, history_row_fn row, void *ctx)
{
    size_t a = 0, b = 0;
    struct kept_rows *x = &m->side[0], *y = &m->side[1];
    for (long long shown = 0; (limit < 0 || shown < limit) && (a < x->n || b < y->n); shown++) {
        /* ISO 8601 UTC times of one form compare as strings; ties: ours first. */
        bool take_x = b >= y->n || (a < x->n && strcmp(started(x, a), started(y, b)) >= 0);
        char **v = take_x ? x->v[a++] : y->v[b++];
        row(ctx, (const char *const *)v);
    }
    int rc = m->out_of_memory ? -1 : 0;
    release(x);
    release(y);
    return rc;
}
