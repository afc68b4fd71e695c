/* Collections for the directory reports (check, orphans) that stay cheap
 * with 100,000 files: a set of file names, and the oldest K of a list
 * with the count of all (K = 0 keeps every entry). */
#ifndef FR_OLDEST_H
#define FR_OLDEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct name_set {
    char **slot;                 /* open addressing; NULL is empty */
    size_t cap, n;
};

/* Adds a copy of name; -1 when out of memory. */
int name_set_add(struct name_set *s, const char *name);
bool name_set_has(const struct name_set *s, const char *name);
void name_set_free(struct name_set *s);

struct oldest_item {
    time_t age;
    char *name, *node, *detail;
};

struct oldest {
    size_t k;                    /* keep the oldest k; 0: every entry */
    size_t count;                /* entries added */
    struct oldest_item *v;       /* with k: oldest first at all times */
    size_t n, cap;
};

/* Counts an entry and keeps copies of its strings if it is among the
 * oldest k; -1 when out of memory. */
int oldest_add(struct oldest *o, time_t age, const char *name, const char *node, const char *detail);
/* Oldest first (ties by name); call before reading v. */
void oldest_sort(struct oldest *o);
void oldest_free(struct oldest *o);

#endif
