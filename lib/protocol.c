#include "protocol.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "names.h"

static void add_field(struct strbuf *sb, const char *key, const char *value, bool last)
{
    strbuf_adds(sb, "  ");
    json_add_member(sb, key, value);
    strbuf_adds(sb, last ? "\n" : ",\n");
}

void request_render(struct strbuf *sb, const struct request *req)
{
    strbuf_adds(sb, "{\n");
    add_field(sb, "request_id", req->request_id, false);
    add_field(sb, "timestamp", req->timestamp, false);
    add_field(sb, "action", req->action, false);
    add_field(sb, "target_node", req->target_node, false);
    add_field(sb, "recorder_node", req->recorder_node, true);
    strbuf_adds(sb, "}\n");
}

int response_render(struct strbuf *sb, const char *request_body, size_t len, bool success,
                    const char *message, struct error *err)
{
    static const char *const echoed[] = { "request_id", "timestamp", "action",
                                          "target_node", "recorder_node" };
    cJSON *req = cJSON_ParseWithLength(request_body, len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(req, "request_id");
    if (!cJSON_IsObject(req) || !cJSON_IsString(id)) {
        cJSON_Delete(req);
        return errorf(err, "the request is not a JSON object with a request_id");
    }
    strbuf_adds(sb, "{\n");
    for (size_t i = 0; i < sizeof echoed / sizeof echoed[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(req, echoed[i]);
        if (cJSON_IsString(v))
            add_field(sb, echoed[i], v->valuestring, false);
    }
    strbuf_addf(sb, "  \"success\": %s,\n", success ? "true" : "false");
    add_field(sb, "message", message, false);
    add_field(sb, "action_performed", "off", true);
    strbuf_adds(sb, "}\n");
    cJSON_Delete(req);
    if (strbuf_failed(sb))
        return errorf(err, "out of memory rendering a response");
    return 0;
}

int protocol_file_name(char *out, size_t size, const char *node,
                       const char *request_id, struct error *err)
{
    int n = snprintf(out, size, "%s-%s%s", node, request_id, PROTOCOL_SUFFIX);
    if (n < 0 || (size_t)n >= size)
        return errorf(err, "protocol file name too long for node %.40s...", node);
    return 0;
}

static char *dup_string_field(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(item) || !item->valuestring)
        return NULL;
    return strdup(item->valuestring);
}

static enum response_verdict check_identity(const struct response *out,
                                            const cJSON *root,
                                            const char *expect_id,
                                            const char *expect_node,
                                            struct error *err)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "request_id");
    if (!cJSON_IsString(id)) {
        errorf(err, "response has no request_id string");
        return RESPONSE_INVALID;
    }
    if (!out->request_id) {
        errorf(err, "out of memory reading the response's request_id");
        return RESPONSE_INVALID;
    }
    if (expect_id && strcmp(out->request_id, expect_id) != 0) {
        errorf(err, "response carries request_id %.64s, expected %s",
               out->request_id, expect_id);
        return RESPONSE_INVALID;
    }
    /* The example watcher omits target_node; when present it must agree. */
    if (expect_node && out->target_node && strcmp(out->target_node, expect_node) != 0) {
        errorf(err, "response is for node %.64s, expected %.64s",
               out->target_node, expect_node);
        return RESPONSE_INVALID;
    }
    return RESPONSE_VALID;
}

/* A key given twice is read differently by different JSON libraries (cJSON
 * takes the first, Go's encoding/json the last): for the fields that
 * decide a fence, refuse the ambiguity. */
static const char *duplicated_key(const cJSON *root)
{
    static const char *const decisive[] = { "success", "request_id", "target_node" };
    for (size_t i = 0; i < sizeof decisive / sizeof *decisive; i++) {
        int seen = 0;
        for (const cJSON *c = root->child; c; c = c->next)
            if (c->string && strcmp(c->string, decisive[i]) == 0)
                seen++;
        if (seen > 1)
            return decisive[i];
    }
    return NULL;
}

enum response_verdict response_parse(const char *body, size_t len,
                                     const char *expect_id,
                                     const char *expect_node,
                                     struct response *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (len == 0) {
        errorf(err, "response file is empty");
        return RESPONSE_INCOMPLETE;
    }
    if (memchr(body, '\0', len)) {
        errorf(err, "response contains a NUL byte");
        return RESPONSE_INVALID;
    }
    const char *end = NULL;
    /* body is NUL-terminated (file_read_limited); requiring the end lets
     * trailing garbage after a complete object count as not-yet-valid. */
    cJSON *root = cJSON_ParseWithOpts(body, &end, 1);
    if (!root) {
        errorf(err, "response is not valid JSON (error near byte %ld)",
               end ? (long)(end - body) : -1L);
        return RESPONSE_INCOMPLETE;
    }
    enum response_verdict verdict = RESPONSE_VALID;
    if (!cJSON_IsObject(root)) {
        errorf(err, "response is JSON but not an object");
        verdict = RESPONSE_INVALID;
        goto out;
    }
    const char *dup = duplicated_key(root);
    if (dup) {
        errorf(err, "response gives \"%s\" more than once", dup);
        verdict = RESPONSE_INVALID;
        goto out;
    }
    out->request_id = dup_string_field(root, "request_id");
    out->target_node = dup_string_field(root, "target_node");
    out->message = dup_string_field(root, "message");
    out->action_performed = dup_string_field(root, "action_performed");
    verdict = check_identity(out, root, expect_id, expect_node, err);
    if (verdict != RESPONSE_VALID)
        goto out;
    const cJSON *success = cJSON_GetObjectItemCaseSensitive(root, "success");
    if (!cJSON_IsBool(success)) {
        errorf(err, "response field \"success\" is %s, not a JSON boolean",
               success ? "of another type" : "missing");
        verdict = RESPONSE_INVALID;
        goto out;
    }
    out->success = cJSON_IsTrue(success);
out:
    cJSON_Delete(root);
    return verdict;
}

void response_free(struct response *r)
{
    free(r->message);
    free(r->action_performed);
    free(r->request_id);
    free(r->target_node);
    memset(r, 0, sizeof *r);
}
