/* Fences the record lost: see unrecorded.h. */
#include "unrecorded.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirscan.h"
#include "files.h"
#include "protocol.h"

struct scan {
    sqlite3_stmt *known;            /* SELECT 1 FROM operations WHERE op_uuid = ? */
    const char *dir, *recorder;
    time_t now, min_age;
    bool response_side;
    struct unrecorded *out;
    size_t cap;
    bool oom;
};

static bool operation_known(sqlite3_stmt *known, const char *request_id)
{
    sqlite3_reset(known);
    sqlite3_bind_text(known, 1, request_id, -1, SQLITE_STATIC);
    return sqlite3_step(known) == SQLITE_ROW;
}

static struct unrecorded_fence *fence_of(struct scan *s, const struct dir_entry *e)
{
    for (size_t i = 0; i < s->out->n; i++)
        if (strcmp(s->out->v[i].request_id, e->request_id) == 0)
            return &s->out->v[i];
    if (s->out->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct unrecorded_fence *v = realloc(s->out->v, cap * sizeof *v);
        if (!v)
            return NULL;
        s->out->v = v;
        s->cap = cap;
    }
    struct unrecorded_fence *f = &s->out->v[s->out->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->request_id, sizeof f->request_id, "%s", e->request_id);
    snprintf(f->node, sizeof f->node, "%s", e->node);
    snprintf(f->action, sizeof f->action, "off");
    return f;
}

/* A string member of the file's object, copied; false if absent. */
static bool member(const cJSON *o, const char *key, char *out, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v))
        return false;
    snprintf(out, size, "%s", v->valuestring);
    return true;
}

static void visit(const struct dir_entry *e, void *arg)
{
    struct scan *s = arg;
    char path[4096], recorder[256] = "", action[16] = "", stamp[32] = "";
    char *body = NULL;
    size_t len = 0;
    if (s->oom || s->now - e->mtime < s->min_age || operation_known(s->known, e->request_id) ||
        path_join(path, sizeof path, s->dir, e->name, NULL) != 0 ||
        file_read_limited(path, RESPONSE_MAX_BYTES, &body, &len, NULL) != READ_OK)
        return;
    cJSON *o = cJSON_ParseWithLength(body, len);
    bool ours = member(o, "recorder_node", recorder, sizeof recorder) &&
                strcmp(recorder, s->recorder) == 0;
    member(o, "action", action, sizeof action);
    member(o, "timestamp", stamp, sizeof stamp);
    cJSON_Delete(o);
    struct unrecorded_fence *f = ours ? fence_of(s, e) : NULL;
    if (!f) {
        s->oom |= ours;
        free(body);
        return;
    }
    if (strcmp(action, "off") == 0 || strcmp(action, "reboot") == 0)
        snprintf(f->action, sizeof f->action, "%s", action);
    if (stamp[0] && (!f->timestamp[0] || !s->response_side))
        snprintf(f->timestamp, sizeof f->timestamp, "%s", stamp);
    struct fence_file *side = s->response_side ? &f->response : &f->request;
    snprintf(side->name, sizeof side->name, "%s", e->name);
    side->body = body;
    side->len = len;
    side->mtime = e->mtime;
}

int unrecorded_find(sqlite3 *db, const struct paths *paths, const char *recorder, time_t now,
                    time_t min_age, struct unrecorded *out, struct error *err)
{
    struct scan s = { .recorder = recorder, .now = now, .min_age = min_age, .out = out };
    out->v = NULL;
    out->n = 0;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM operations WHERE op_uuid = ?", -1, &s.known,
                           NULL) != SQLITE_OK)
        return errorf(err, "reading the database: %s", sqlite3_errmsg(db));
    int rc = 0;
    s.dir = paths->response_dir;
    s.response_side = true;
    if (dir_scan(s.dir, false, visit, &s, err) != 0)
        rc = -1;
    s.dir = paths->request_dir;
    s.response_side = false;
    if (rc == 0 && dir_scan(s.dir, false, visit, &s, err) != 0)
        rc = -1;
    sqlite3_finalize(s.known);
    if (rc == 0 && s.oom)
        rc = errorf(err, "out of memory listing the fences the record lacks");
    return rc;
}

void unrecorded_free(struct unrecorded *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].request.body);
        free(u->v[i].response.body);
    }
    free(u->v);
    u->v = NULL;
    u->n = 0;
}
