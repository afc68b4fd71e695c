#include "logcheck.h"

#include <cJSON.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "linehash.h"

/* A growable array of 64-bit values. */
struct u64s {
    uint64_t *v;
    size_t n, cap;
};

static int push(struct u64s *a, uint64_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        uint64_t *more = realloc(a->v, cap * sizeof *more);
        if (!more)
            return -1;
        a->v = more;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A file line: its hash, and its number (1-based) to report it by. */
struct line_key {
    uint64_t hash;
    long lineno;
};

static int cmp_key(const void *a, const void *b)
{
    const struct line_key *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return (x->lineno > y->lineno) - (x->lineno < y->lineno);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static uint64_t hash_of(const char *line, size_t len)
{
    char hex[17];
    line_hash(line, len, hex);
    return strtoull(hex, NULL, 16);
}

/* Every event's line hash, sorted, repeats kept. */
static int db_hashes(sqlite3 *db, struct u64s *out, struct error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT line_hash FROM events WHERE line_hash IS NOT NULL",
                           -1, &st, NULL) != SQLITE_OK)
        return errorf(err, "cannot read the events' line hashes: %s", sqlite3_errmsg(db));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *hex = (const char *)sqlite3_column_text(st, 0);
        if (hex && push(out, strtoull(hex, NULL, 16)) != 0) {
            sqlite3_finalize(st);
            return errorf(err, "out of memory reading the events' line hashes");
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return errorf(err, "cannot read the events' line hashes: %s", sqlite3_errmsg(db));
    if (out->n > 1)   /* qsort of NULL, even of 0 items, is undefined */
        qsort(out->v, out->n, sizeof *out->v, cmp_u64);
    return 0;
}

/* The latest time before which the database may lack lines on purpose:
 * a prune's cut-off, or the newest event written before line hashes
 * existed (schema 1). "" if none. */
static void skip_cutoff(sqlite3 *db, char *out, size_t size)
{
    static const char *const queries[] = {
        "SELECT max(cutoff) FROM prune_cutoffs",
        "SELECT max(utc_time) FROM events WHERE line_hash IS NULL",
    };
    out[0] = '\0';
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, queries[i], -1, &st, NULL) != SQLITE_OK)
            continue;   /* an older schema without the table */
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            if (strcmp(t, out) > 0)
                snprintf(out, size, "%s", t);
        }
        sqlite3_finalize(st);
    }
}

/* Our own lines start with the stamp: {"timestamp": "2026-01-02T03:04:05Z".
 * Compared to the second; a line in the cut-off's own second is skipped
 * (it may have been pruned). Lines of other writers are always compared. */
#define STAMP_PREFIX "{\"timestamp\": \""
static bool before_cutoff(const char *line, size_t len, const char *cutoff)
{
    size_t p = sizeof STAMP_PREFIX - 1;
    return cutoff[0] && len > p + 19 && strncmp(line, STAMP_PREFIX, p) == 0 &&
           strncmp(line + p, cutoff, 19) <= 0;
}

static size_t strip_newline(char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    return len;
}

/* Pass 1: the hash of every line after the cut-off. */
/* What a write cut short leaves: not a whole JSON object on its line
 * (the next writer starts its line after it, see file_append). */
static bool fragment(const char *line, size_t len)
{
    return len < 2 || line[0] != '{' || line[len - 1] != '}';
}

static int file_keys(FILE *f, off_t limit, const char *cutoff, struct line_key **keys, size_t *n,
                     struct logcheck *out, struct error *err, const char *path)
{
    size_t cap = 0;
    char *line = NULL;
    size_t linecap = 0;
    ssize_t got;
    long lineno = 0;
    off_t read = 0;
    *keys = NULL;
    *n = 0;
    /* Only the lines whole before limit: writers append a step's lines
     * after its commit, so those are in the database read after it. */
    while ((got = getline(&line, &linecap, f)) >= 0 && (read += got) <= limit) {
        lineno++;
        size_t len = strip_newline(line, (size_t)got);
        if (len == 0)
            continue;
        if (fragment(line, len)) {
            if (out->fragments++ == 0) {
                out->first_fragment_line = lineno;
                out->first_fragment_offset = (long long)(read - got);
            }
            continue;
        }
        if (before_cutoff(line, len, cutoff))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            struct line_key *more = realloc(*keys, cap * sizeof *more);
            if (!more) {
                free(line);
                return errorf(err, "out of memory reading %s", path);
            }
            *keys = more;
        }
        (*keys)[(*n)++] = (struct line_key){ hash_of(line, len), lineno };
    }
    free(line);
    if (ferror(f))
        return errorf_errno(err, "cannot read %s", path);
    return 0;
}

/* The line numbers the database lacks: for a hash the file has f times
 * and the database d times, the last f - d of them. Sorted. */
static long *missing_lines(struct line_key *keys, size_t n, const struct u64s *db, long *count)
{
    if (n > 1)
        qsort(keys, n, sizeof *keys, cmp_key);
    long *out = malloc((n ? n : 1) * sizeof *out);
    if (!out)
        return NULL;
    *count = 0;
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && keys[end].hash == keys[i].hash)
            end++;
        while (j < db->n && db->v[j] < keys[i].hash)
            j++;
        size_t d = 0;
        while (j + d < db->n && db->v[j + d] == keys[i].hash)
            d++;
        for (size_t k = i + (d < end - i ? d : end - i); k < end; k++)
            out[(*count)++] = keys[k].lineno;
        i = end;
    }
    if (*count > 1)
        qsort(out, (size_t)*count, sizeof *out, cmp_long);
    return out;
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "?";
}

static int cmp_running(const void *key, const void *elem)
{
    return strcmp(key, ((const struct logcheck_running *)elem)->op_uuid);
}

/* Pass 2: what the missing lines say, for the first few, and the
 * outcome of operations the database still has as running. */
static void describe(FILE *f, const long *missing, long count, struct logcheck_running *running,
                     size_t n_running, struct logcheck *out)
{
    char *line = NULL;
    size_t linecap = 0;
    ssize_t got;
    long lineno = 0, next = 0;
    while (next < count && (got = getline(&line, &linecap, f)) >= 0) {
        if (++lineno != missing[next])
            continue;
        next++;
        size_t len = strip_newline(line, (size_t)got);
        const char *rid = strstr(line, "\"request_id\": \"");
        char id[UUID_STR_LEN + 1] = "";
        if (rid && strlen(rid + 15) >= UUID_STR_LEN) {
            memcpy(id, rid + 15, UUID_STR_LEN);
            id[UUID_STR_LEN] = '\0';
        }
        struct logcheck_running *r = id[0] && n_running
            ? bsearch(id, running, n_running, sizeof *running, cmp_running) : NULL;
        if (out->shown >= LOGCHECK_SHOWN && !r)
            continue;
        cJSON *o = cJSON_ParseWithLength(line, len);
        if (r && o && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "status")))
            snprintf(r->outcome, sizeof r->outcome, "%s", json_str(o, "status"));
        if (out->shown < LOGCHECK_SHOWN)
            snprintf(out->first[out->shown++], sizeof out->first[0], "line %ld: %.32s %.80s %.32s%s%s",
                     lineno, o ? json_str(o, "timestamp") : "?", o ? json_str(o, "target_node") : "?",
                     o ? json_str(o, "status") : "(not JSON)", id[0] ? " request " : "", id);
        cJSON_Delete(o);
    }
    free(line);
}

int logcheck_jsonl(sqlite3 *db, const char *path, struct logcheck_running *running, size_t n,
                   struct logcheck *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "re");
    if (!f)
        return errno == ENOENT ? 0 : errorf_errno(err, "cannot read %s", path);
    /* The file's length before the database is read (see file_keys). */
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return errorf_errno(err, "cannot read %s", path);
    }
    struct u64s hashes = { 0 };
    struct line_key *keys = NULL;
    size_t nkeys = 0;
    long *missing = NULL;
    int rc = -1;
    skip_cutoff(db, out->cutoff, sizeof out->cutoff);
    if (db_hashes(db, &hashes, err) != 0 || file_keys(f, st.st_size, out->cutoff, &keys, &nkeys, out, err, path) != 0)
        goto done;
    out->lines = (long)nkeys;
    if (!(missing = missing_lines(keys, nkeys, &hashes, &out->missing))) {
        errorf(err, "out of memory comparing %s", path);
        goto done;
    }
    if (out->missing > 0) {
        rewind(f);
        describe(f, missing, out->missing, running, n, out);
    }
    rc = 0;
done:
    free(missing);
    free(keys);
    free(hashes.v);
    fclose(f);
    return rc;
}
