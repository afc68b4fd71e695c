#include "import_line.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "jsonw.h"
#include "linehash.h"
#include "names.h"

/* What the agent and the original Python agent write; anything else is
 * not a fence event ("exploded"). */
static const char *const statuses[] = { "requested", "initiated", "discovered", "completed",
                                        "failed", "timeout", "terminated", "unfenced",
                                        "unfence-failed" };
static const char *const terminal[] = { "completed", "failed", "timeout", "terminated",
                                        "unfenced", "unfence-failed" };
static const char *const actions[] = { "off", "reboot", "on" };

static bool one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return true;
    return false;
}

bool import_status_terminal(const char *status)
{
    return one_of(status, terminal, sizeof terminal / sizeof terminal[0]);
}

/* A string member, the fallback if it is absent; NULL (junk) if present
 * but not a string. */
static const char *str_field(const cJSON *o, const char *key, const char *fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        return fallback;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "YYYY-MM-DDTHH:MM:SS", optional fraction, then "Z" or "+00:00": a UTC
 * time that exists and fits the record (1970..9999). The local rendering
 * is the text logs' timestamp. */
static bool parse_utc(const char *text, struct import_event *ie)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest || strlen(text) < 19)
        return false;
    if (*rest == '.')
        rest += 1 + strspn(rest + 1, "0123456789");
    if (strcmp(rest, "Z") != 0 && strcmp(rest, "+00:00") != 0)
        return false;
    struct tm asked = tm, local;
    time_t t = timegm(&tm);
    char check[80];
    snprintf(check, sizeof check, "%04d-%02d-%02dT%02d:%02d:%02d", asked.tm_year + 1900,
             asked.tm_mon + 1, asked.tm_mday, asked.tm_hour, asked.tm_min, asked.tm_sec);
    if (utc_format(t, "%Y-%m-%dT%H:%M:%S", ie->logged_at, sizeof ie->logged_at) != 0 ||
        strcmp(check, ie->logged_at) != 0 || !localtime_r(&t, &local))
        return false;
    strcat(ie->logged_at, ".000Z");
    strftime(ie->local_time, sizeof ie->local_time, "%Y-%m-%d %H:%M:%S", &local);
    return true;
}

/* "filesystems" (ours) or "gfs2_filesystems" (the gfs2 variant), as the
 * agent renders arrays. */
static bool filesystems_text(const cJSON *o, struct strbuf *sb)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "filesystems");
    if (!arr)
        arr = cJSON_GetObjectItemCaseSensitive(o, "gfs2_filesystems");
    if (arr && !cJSON_IsArray(arr))
        return false;
    const char *items[256];
    size_t n = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        if (!cJSON_IsString(item) || n == 256)
            return false;
        items[n++] = item->valuestring;
    }
    json_add_string_array(sb, items, n, ", ");
    return !strbuf_failed(sb);
}

static const char *check_fields(struct import_event *ie, const cJSON *o)
{
    struct fence_event *ev = &ie->ev;
    const char *why = NULL;
    ev->utc_time = str_field(o, "timestamp", NULL);
    ev->action = str_field(o, "action", NULL);
    ev->target_node = str_field(o, "target_node", NULL);
    ev->status = str_field(o, "status", NULL);
    ev->details = str_field(o, "details", "");
    ev->recorder_node = str_field(o, "recorder_node", "");
    ev->pacemaker_action = str_field(o, "pacemaker_action", ev->action);
    const cJSON *rid = cJSON_GetObjectItemCaseSensitive(o, "request_id");
    ev->request_id = cJSON_IsString(rid) ? rid->valuestring : NULL;
    if (!ev->utc_time || !parse_utc(ev->utc_time, ie))
        return "\"timestamp\" is not a UTC time such as 2026-11-25T02:31:02Z";
    if (!one_of(ev->action, actions, sizeof actions / sizeof actions[0]))
        return "\"action\" is not off, reboot or on";
    if (!ev->target_node || !node_name_valid(ev->target_node, &why))
        return "\"target_node\" is not a valid node name";
    if (!one_of(ev->status, statuses, sizeof statuses / sizeof statuses[0]))
        return "\"status\" is not a fence event status";
    if (!ev->details || !ev->recorder_node || !ev->pacemaker_action)
        return "\"details\", \"recorder_node\" or \"pacemaker_action\" is not a string";
    if ((rid && !cJSON_IsNull(rid) && !cJSON_IsString(rid)) ||
        (ev->request_id && !uuid_valid(ev->request_id)))
        return "\"request_id\" is neither null nor a request id";
    if (!filesystems_text(o, &ie->filesystems))
        return "\"filesystems\" is not an array of names";
    return NULL;
}

/* An escaped NUL (\u0000, after an even number of backslashes): cJSON
 * would end the string there, and "n\u0000x" would be stored as "n". */
static bool escaped_nul(const char *line, size_t len)
{
    for (const char *p = line; (p = memmem(p, len - (size_t)(p - line), "u0000", 5)); p += 5) {
        size_t slashes = 0;
        while (p - (ptrdiff_t)slashes > line && p[-(ptrdiff_t)slashes - 1] == '\\')
            slashes++;
        if (slashes % 2 == 1)
            return true;
    }
    return false;
}

/* A key twice: cJSON takes the first, other readers the last (responses
 * refuse duplicates for that reason, and so does import). */
static const char *duplicate_key(const cJSON *o)
{
    for (const cJSON *a = o->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && strcmp(a->string, b->string) == 0)
                return a->string;
    return NULL;
}

int import_event_parse(struct import_event *ie, const char *line, size_t len, const char **why)
{
    static char dup_why[128];
    memset(ie, 0, sizeof *ie);
    if (memchr(line, '\0', len)) {
        *why = "contains a NUL byte";
        return -1;
    }
    if (escaped_nul(line, len)) {
        *why = "contains an escaped NUL (\\u0000), which would cut its text short";
        return -1;
    }
    ie->json = cJSON_ParseWithLength(line, len);
    if (!cJSON_IsObject(ie->json)) {
        *why = "not a JSON object";
        import_event_release(ie);
        return -1;
    }
    const char *dup = duplicate_key(ie->json);
    if (dup) {
        snprintf(dup_why, sizeof dup_why, "has the key \"%.40s\" twice (readers disagree on which "
                 "value counts)", dup);
        *why = dup_why;
        import_event_release(ie);
        return -1;
    }
    *why = check_fields(ie, ie->json);
    if (*why) {
        import_event_release(ie);
        return -1;
    }
    ie->ev.local_time = ie->local_time;
    ie->ev.filesystems = strbuf_str(&ie->filesystems);
    /* The identity of a line is the line export writes for it: the
     * agent's own hash, and the same for a Python line and its export. */
    struct strbuf rendered = STRBUF_INIT;
    render_jsonl(&rendered, &ie->ev);
    bool failed = strbuf_failed(&rendered);
    line_hash(strbuf_str(&rendered), rendered.len, ie->canonical_hash);
    line_hash(line, len, ie->raw_hash);
    strbuf_release(&rendered);
    if (failed) {
        *why = "out of memory";
        import_event_release(ie);
        return -1;
    }
    return 0;
}

void import_event_release(struct import_event *ie)
{
    cJSON_Delete(ie->json);
    ie->json = NULL;
    strbuf_release(&ie->filesystems);
}
