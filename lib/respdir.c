#include "respdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"

bool response_file_fences(const struct response_file *f)
{
    return f->read == READ_OK && f->verdict == RESPONSE_VALID && f->parsed.success;
}

/* Read through the directory's descriptor: no lookup of the whole path
 * per file when a directory holds 100,000 of them. */
static void read_one(struct response_file *f, int dirfd, const char *dir)
{
    f->body = NULL;
    f->len = 0;
    f->mtime = 0;
    f->problem.msg[0] = '\0';
    memset(&f->parsed, 0, sizeof f->parsed);
    f->verdict = RESPONSE_INVALID;
    size_t dl = strlen(dir), nl = strlen(f->file_name);
    if (dl + 1 + nl >= sizeof f->path) {
        errorf(&f->problem, "path too long: %s/%s", dir, f->file_name);
        f->read = READ_ERROR;
        return;
    }
    memcpy(f->path, dir, dl);   /* path_join without a format: per file of 100,000 */
    f->path[dl] = '/';
    memcpy(f->path + dl + (dl && dir[dl - 1] == '/' ? 0 : 1), f->file_name, nl + 1);
    f->read = file_read_limited_at(dirfd, f->file_name, f->path, RESPONSE_MAX_BYTES, &f->body,
                                   &f->len, &f->mtime, &f->problem);
}

static void parse_one(struct response_file *f)
{
    if (f->read == READ_OK)
        f->verdict = response_parse(f->body, f->len, f->request_id, f->node,
                                    &f->parsed, &f->problem);
}

/* Names come validated from list_names: <node>-<uuid>.json is cut, not
 * parsed again. */
static void name_one(struct response_file *f, const char *name)
{
    size_t len = strlen(name), node_len = len - PROTOCOL_TAIL_LEN;
    memcpy(f->file_name, name, len + 1);
    memcpy(f->node, name, node_len);
    f->node[node_len] = '\0';
    memcpy(f->request_id, name + node_len + 1, UUID_STR_LEN);
    f->request_id[UUID_STR_LEN] = '\0';
}

static void unload(struct response_file *f)
{
    free(f->body);
    f->body = NULL;
    response_free(&f->parsed);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Could name be "<node>-<uuid>.json" for node? A byte comparison first,
 * so that for one node among 100,000 files almost no name is parsed.
 * Pacemaker's fencer matches a target against a device's host list
 * ignoring (ASCII) case, so NODE1 and node1 are one node. */
static bool may_be_for(const char *name, const char *node, size_t node_len)
{
    return strlen(name) == node_len + PROTOCOL_TAIL_LEN && name[node_len] == '-' &&
           strncasecmp(name, node, node_len) == 0;
}

/* The protocol names in the directory open as dirfd for node, sorted;
 * NULL-terminated. */
static char **list_names(int dirfd, const char *dir, const char *node, struct error *err)
{
    int fd = dup(dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        errorf_errno(err, "cannot read directory %s", dir);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    size_t count = 0, cap = 16, node_len = node ? strlen(node) : 0;
    char **names = malloc(cap * sizeof *names);
    struct dirent *de;
    char n[NODE_NAME_MAX + 1], id[UUID_STR_LEN + 1];
    while (names && (de = readdir(d)) != NULL) {
        if ((node && !may_be_for(de->d_name, node, node_len)) ||
            !protocol_name_split(de->d_name, n, sizeof n, id, sizeof id))
            continue;
        if (count + 1 >= cap) {
            char **more = realloc(names, (cap *= 2) * sizeof *names);
            if (!more) {
                for (size_t i = 0; i < count; i++)
                    free(names[i]);
                free(names);
                names = NULL;
                break;
            }
            names = more;
        }
        if (!(names[count] = strdup(de->d_name)))
            continue;
        count++;
    }
    closedir(d);
    if (!names) {
        errorf(err, "out of memory listing %s", dir);
        return NULL;
    }
    names[count] = NULL;
    qsort(names, count, sizeof *names, compare_names);
    return names;
}

static int open_dir(const char *dir, struct error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        errorf_errno(err, "cannot read directory %s", dir);
    return fd;
}

/* Files are read BATCH at a time by a second thread while this one
 * parses and visits the batch before: for a directory of 100,000
 * responses the system calls (open, fstat, read, close) then overlap the
 * parsing instead of adding to it. Parsing stays on this thread (cJSON
 * keeps a global error position), and visits run in name order. */
#define BATCH 256

struct batch {
    struct response_file *f;
    size_t n;
    int dirfd;
    const char *dir;
};

static void *read_batch(void *arg)
{
    struct batch *b = arg;
    for (size_t i = 0; i < b->n; i++)
        read_one(&b->f[i], b->dirfd, b->dir);
    return NULL;
}

/* Names [from, from + BATCH) into b; false when there are none. */
static bool fill_batch(struct batch *b, char **names, size_t *from)
{
    b->n = 0;
    while (b->n < BATCH && names[*from])
        name_one(&b->f[b->n++], names[(*from)++]);
    return b->n > 0;
}

static int visit_batch(struct batch *b, response_visit visit, void *ctx, int rc)
{
    for (size_t i = 0; i < b->n; i++) {
        parse_one(&b->f[i]);
        if (rc == 0)
            rc = visit(&b->f[i], ctx);
        unload(&b->f[i]);
    }
    return rc;
}

/* False (nothing visited) when there is no memory for the batches. */
static bool scan_pipelined(int dirfd, const char *dir, char **names, response_visit visit,
                           void *ctx, int *result)
{
    struct batch b[2] = { { .dirfd = dirfd, .dir = dir }, { .dirfd = dirfd, .dir = dir } };
    b[0].f = malloc(2 * BATCH * sizeof *b[0].f);
    if (!b[0].f)
        return false;
    b[1].f = b[0].f + BATCH;
    size_t next = 0;
    int rc = 0, cur = 0;
    if (fill_batch(&b[cur], names, &next))
        read_batch(&b[cur]);
    while (b[cur].n > 0) {
        struct batch *ahead = &b[1 - cur];
        pthread_t reader;
        bool threaded = false;
        if (rc == 0 && fill_batch(ahead, names, &next))
            threaded = pthread_create(&reader, NULL, read_batch, ahead) == 0;
        else
            ahead->n = 0;
        rc = visit_batch(&b[cur], visit, ctx, rc);
        if (threaded)
            pthread_join(reader, NULL);
        else if (ahead->n > 0)
            read_batch(ahead);   /* no thread to be had: read it here */
        cur = 1 - cur;
    }
    free(b[0].f);
    *result = rc;
    return true;
}

int response_dir_scan(const char *dir, const char *node, response_visit visit,
                      void *ctx, struct error *err)
{
    int dirfd = open_dir(dir, err);
    if (dirfd < 0)
        return -1;
    char **names = list_names(dirfd, dir, node, err);
    if (!names) {
        close(dirfd);
        return -1;
    }
    size_t count = 0;
    while (names[count])
        count++;
    int rc = 0;
    if (count <= BATCH || !scan_pipelined(dirfd, dir, names, visit, ctx, &rc)) {
        /* a few files (one node's), or no memory for batches */
        for (size_t i = 0; names[i] && rc == 0; i++) {
            struct response_file f;   /* 5 KiB: filled field by field, not memset */
            name_one(&f, names[i]);
            read_one(&f, dirfd, dir);
            parse_one(&f);
            rc = visit(&f, ctx);
            unload(&f);
        }
    }
    for (size_t i = 0; names[i]; i++)
        free(names[i]);
    free(names);
    close(dirfd);
    return rc;
}

int protocol_dir_count(const char *dir, const char *node, struct error *err)
{
    int dirfd = open_dir(dir, err);
    if (dirfd < 0)
        return -1;
    char **names = list_names(dirfd, dir, node, err);
    close(dirfd);
    if (!names)
        return -1;
    int count = 0;
    for (; names[count]; count++)
        free(names[count]);
    free(names);
    return count;
}
