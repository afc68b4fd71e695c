#include "respdir.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"

bool response_file_fences(const struct response_file *f)
{
    return f->read == READ_OK && f->verdict == RESPONSE_VALID && f->parsed.success;
}

static void load(struct response_file *f, const char *dir)
{
    f->body = NULL;
    f->len = 0;
    memset(&f->parsed, 0, sizeof f->parsed);
    f->verdict = RESPONSE_INVALID;
    if (path_join(f->path, sizeof f->path, dir, f->file_name, &f->problem) != 0) {
        f->read = READ_ERROR;
        return;
    }
    f->read = file_read_limited(f->path, RESPONSE_MAX_BYTES, &f->body, &f->len, &f->problem);
    if (f->read == READ_OK)
        f->verdict = response_parse(f->body, f->len, f->request_id, f->node,
                                    &f->parsed, &f->problem);
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

/* The protocol names in dir for node, sorted; NULL-terminated. */
static char **list_names(const char *dir, const char *node, struct error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        errorf_errno(err, "cannot read directory %s", dir);
        return NULL;
    }
    size_t count = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    struct dirent *de;
    char n[NODE_NAME_MAX + 1], id[UUID_STR_LEN + 1];
    while (names && (de = readdir(d)) != NULL) {
        if (!protocol_name_split(de->d_name, n, sizeof n, id, sizeof id))
            continue;
        /* Pacemaker's fencer matches a target against a device's host
         * list ignoring (ASCII) case, so NODE1 and node1 are one node. */
        if (node && strcasecmp(n, node) != 0)
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

int response_dir_scan(const char *dir, const char *node, response_visit visit,
                      void *ctx, struct error *err)
{
    char **names = list_names(dir, node, err);
    if (!names)
        return -1;
    int rc = 0;
    for (size_t i = 0; names[i]; i++) {
        if (rc == 0) {
            struct response_file f;
            memset(&f, 0, sizeof f);
            strcpy(f.file_name, names[i]);
            protocol_name_split(f.file_name, f.node, sizeof f.node, f.request_id, sizeof f.request_id);
            load(&f, dir);
            rc = visit(&f, ctx);
            unload(&f);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int protocol_dir_count(const char *dir, const char *node, struct error *err)
{
    char **names = list_names(dir, node, err);
    if (!names)
        return -1;
    int count = 0;
    for (; names[count]; count++)
        free(names[count]);
    free(names);
    return count;
}
