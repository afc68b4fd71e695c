#include "oldest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static char **find_slot(char **slot, size_t cap, const char *name)
{
    size_t i = (size_t)fnv1a(name) & (cap - 1);
    while (slot[i] && strcmp(slot[i], name) != 0)
        i = (i + 1) & (cap - 1);
    return &slot[i];
}

/* Doubles the table (a power of two, at most half full). */
static int grow(struct name_set *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    char **slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slot[i])
            *find_slot(slot, cap, s->slot[i]) = s->slot[i];
    free(s->slot);
    s->slot = slot;
    s->cap = cap;
    return 0;
}

int name_set_add(struct name_set *s, const char *name)
{
    if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
        return -1;
    char **at = find_slot(s->slot, s->cap, name);
    if (*at)
        return 0;
    if (!(*at = strdup(name)))
        return -1;
    s->n++;
    return 0;
}

bool name_set_has(const struct name_set *s, const char *name)
{
    return s->cap && *find_slot(s->slot, s->cap, name) != NULL;
}

void name_set_free(struct name_set *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->slot[i]);
    free(s->slot);
    memset(s, 0, sizeof *s);
}

static int older(const struct oldest_item *x, time_t age, const char *name)
{
    if (x->age != age)
        return x->age > age;
    return strcmp(x->name, name) < 0;
}

static void item_free(struct oldest_item *it)
{
    free(it->name);
    free(it->node);
    free(it->detail);
}

int oldest_add(struct oldest *o, time_t age, const char *name, const char *node, const char *detail)
{
    o->count++;
    /* Full, and not older than the youngest kept: only counted. */
    if (o->k && o->n == o->k && older(&o->v[o->n - 1], age, name))
        return 0;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : (o->k ? o->k : 64);
        struct oldest_item *more = realloc(o->v, cap * sizeof *more);
        if (!more)
            return -1;
        o->v = more;
        o->cap = cap;
    }
    struct oldest_item it = { age, strdup(name), strdup(node), strdup(detail) };
    if (!it.name || !it.node || !it.detail) {
        item_free(&it);
        return -1;
    }
    if (!o->k) {
        o->v[o->n++] = it;
        return 0;
    }
    if (o->n == o->k)
        item_free(&o->v[--o->n]);   /* the youngest kept makes room */
    size_t i = o->n;
    while (i > 0 && !older(&o->v[i - 1], age, name)) {
        o->v[i] = o->v[i - 1];
        i--;
    }
    o->v[i] = it;
    o->n++;
    return 0;
}

static int cmp_items(const void *a, const void *b)
{
    const struct oldest_item *x = a, *y = b;
    if (x->age != y->age)
        return x->age < y->age ? 1 : -1;
    return strcmp(x->name, y->name);
}

void oldest_sort(struct oldest *o)
{
    if (!o->k && o->n > 1)   /* qsort of NULL, even of 0 items, is undefined */
        qsort(o->v, o->n, sizeof *o->v, cmp_items);
}

void oldest_free(struct oldest *o)
{
    for (size_t i = 0; i < o->n; i++)
        item_free(&o->v[i]);
    free(o->v);
    memset(o, 0, sizeof *o);
}
