/* Request rendering and the defensive parsing of responses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protocol.h"

#define ID "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

static enum response_verdict parse(const char *body, struct response *r, struct error *err)
{
    return response_parse(body, strlen(body), ID, "node2", r, err);
}

static void renders_the_request_exactly(void **state)
{
    (void)state;
    struct request req = { .request_id = ID, .timestamp = "2026-11-25T02:31:02.936Z",
                           .action = "off", .target_node = "node2", .recorder_node = "mgmt1" };
    struct strbuf sb = STRBUF_INIT;
    request_render(&sb, &req);
    assert_string_equal(strbuf_str(&sb),
        "{\n  \"request_id\": \"" ID "\",\n  \"timestamp\": \"2026-11-25T02:31:02.936Z\",\n"
        "  \"action\": \"off\",\n  \"target_node\": \"node2\",\n  \"recorder_node\": \"mgmt1\"\n}\n");
    strbuf_release(&sb);
}

static void protocol_file_name_refuses_truncation(void **state)
{
    (void)state;
    char out[64];
    struct error err;
    assert_int_equal(protocol_file_name(out, sizeof out, "node2", ID, &err), 0);
    assert_string_equal(out, "node2-" ID ".json");
    assert_int_equal(protocol_file_name(out, 20, "node2", ID, &err), -1);
}

static void accepts_matching_responses(void **state)
{
    (void)state;
    struct response r;
    struct error err;
    assert_int_equal(parse("{\"request_id\": \"" ID "\", \"success\": true, \"message\": \"ok\", "
                           "\"action_performed\": \"off\", \"target_node\": \"node2\"}", &r, &err),
                     RESPONSE_VALID);
    assert_true(r.success);
    assert_string_equal(r.message, "ok");
    assert_string_equal(r.action_performed, "off");
    response_free(&r);
    /* The original example watcher writes no target_node. */
    assert_int_equal(parse("{\"request_id\": \"" ID "\", \"success\": false}", &r, &err), RESPONSE_VALID);
    assert_false(r.success);
    assert_null(r.message);
    response_free(&r);
}

static void rejects_complete_but_wrong_responses(void **state)
{
    (void)state;
    const char *bad[] = {
        "{\"request_id\": \"" ID "\"}",
        "{\"request_id\": \"" ID "\", \"success\": \"true\"}",
        "{\"request_id\": \"" ID "\", \"success\": 1}",
        "{\"request_id\": \"" ID "\", \"success\": null}",
        "{\"request_id\": \"00000000-0000-4000-8000-000000000000\", \"success\": true}",
        "{\"request_id\": \"" ID "\", \"target_node\": \"node9\", \"success\": true}",
        "{\"success\": true}",
        "{\"request_id\": 5, \"success\": true}",
        "[\"" ID "\", true]",
        "\"string\"",
        /* ambiguous: readers disagree on which value counts */
        "{\"request_id\": \"" ID "\", \"success\": false, \"success\": true}",
        "{\"request_id\": \"" ID "\", \"request_id\": \"" ID "\", \"success\": true}",
        "{\"request_id\": \"" ID "\", \"target_node\": \"node2\", \"target_node\": \"node9\", "
        "\"success\": true}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct response r;
        struct error err = { "" };
        assert_int_equal(parse(bad[i], &r, &err), RESPONSE_INVALID);
        assert_true(err.msg[0] != '\0');
        response_free(&r);
    }
}

static void waits_for_incomplete_responses(void **state)
{
    (void)state;
    const char *full = "{\"request_id\": \"" ID "\", \"success\": true}";
    struct response r;
    struct error err;
    for (size_t n = 0; n < strlen(full); n++) {
        char *prefix = strndup(full, n);
        assert_int_equal(response_parse(prefix, n, ID, "node2", &r, &err), RESPONSE_INCOMPLETE);
        response_free(&r);
        free(prefix);
    }
    assert_int_equal(parse("{\"request_id\": \"" ID "\", \"success\": true} trailing", &r, &err),
                     RESPONSE_INCOMPLETE);
    response_free(&r);
}

static void survives_hostile_bodies(void **state)
{
    (void)state;
    struct response r;
    struct error err;
    size_t n = 100000;
    char *deep = malloc(n + 1);
    memset(deep, '[', n);
    deep[n] = '\0';
    assert_int_not_equal(response_parse(deep, n, ID, "node2", &r, &err), RESPONSE_VALID);
    response_free(&r);
    free(deep);
    const char nul[] = "{\"request_id\": \"" ID "\",\0 \"success\": true}";
    assert_int_equal(response_parse(nul, sizeof nul - 1, ID, "node2", &r, &err), RESPONSE_INVALID);
    response_free(&r);
    assert_int_equal(parse("{\"request_id\": \"" ID "\", \"success\": true, \"message\": \"\xff\xfe\"}",
                           &r, &err), RESPONSE_VALID);
    response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renders_the_request_exactly),
        cmocka_unit_test(protocol_file_name_refuses_truncation),
        cmocka_unit_test(accepts_matching_responses),
        cmocka_unit_test(rejects_complete_but_wrong_responses),
        cmocka_unit_test(waits_for_incomplete_responses),
        cmocka_unit_test(survives_hostile_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
