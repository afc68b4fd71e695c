#include "eventlog.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "jsonw.h"

static void add_one_line(struct strbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        strbuf_addc(sb, (*p < 0x20 || *p == 0x7F) ? ' ' : (char)*p);
}

void render_log_line(struct strbuf *sb, const char *local_time,
                     const char *level, const char *message)
{
    strbuf_addf(sb, "[%s] [%s] ", local_time, level);
    add_one_line(sb, message);
    strbuf_addc(sb, '\n');
}

void render_filesystems_compact(struct strbuf *sb, const char *json_array)
{
    cJSON *arr = cJSON_Parse(json_array);
    if (!cJSON_IsArray(arr)) {
        add_one_line(sb, json_array);
        cJSON_Delete(arr);
        return;
    }
    strbuf_addc(sb, '[');
    const cJSON *item;
    int i = 0;
    cJSON_ArrayForEach(item, arr) {
        if (i++)
            strbuf_addc(sb, ',');
        json_add_string(sb, cJSON_IsString(item) ? item->valuestring : "");
    }
    strbuf_addc(sb, ']');
    cJSON_Delete(arr);
}

void render_readable(struct strbuf *sb, const struct fence_event *ev)
{
    strbuf_addf(sb, "[%s] ACTION=", ev->local_time);
    add_one_line(sb, ev->action);
    strbuf_adds(sb, " TARGET=");
    add_one_line(sb, ev->target_node);
    strbuf_adds(sb, " FILESYSTEMS=");
    render_filesystems_compact(sb, ev->filesystems);
    strbuf_adds(sb, " STATUS=");
    add_one_line(sb, ev->status);
    strbuf_adds(sb, " DETAILS=");
    add_one_line(sb, ev->details);
    strbuf_addc(sb, '\n');
}

static void add_member(struct strbuf *sb, const char *key, const char *value, bool first)
{
    if (!first)
        strbuf_adds(sb, ", ");
    json_add_member(sb, key, value);
}

void render_jsonl(struct strbuf *sb, const struct fence_event *ev)
{
    strbuf_addc(sb, '{');
    add_member(sb, "timestamp", ev->utc_time, true);
    add_member(sb, "action", ev->action, false);
    add_member(sb, "target_node", ev->target_node, false);
    add_member(sb, "status", ev->status, false);
    add_member(sb, "details", ev->details, false);
    add_member(sb, "recorder_node", ev->recorder_node, false);
    add_member(sb, "pacemaker_action", ev->pacemaker_action, false);
    /* The stored text is what we rendered ourselves with ", " separators. */
    strbuf_adds(sb, ", \"filesystems\": ");
    strbuf_adds(sb, ev->filesystems);
    add_member(sb, "request_id", ev->request_id, false);
    strbuf_adds(sb, "}\n");
}
