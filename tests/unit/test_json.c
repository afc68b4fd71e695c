/* Deterministic JSON writing, compatible with Python's json.dumps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jsonw.h"
#include "strbuf.h"

static void expect_escaped(const char *in, const char *want)
{
    struct strbuf sb = STRBUF_INIT;
    json_add_string(&sb, in);
    assert_false(strbuf_failed(&sb));
    assert_string_equal(strbuf_str(&sb), want);
    strbuf_release(&sb);
}

static void escapes_like_python(void **state)
{
    (void)state;
    expect_escaped("plain", "\"plain\"");
    expect_escaped("q\"b\\", "\"q\\\"b\\\\\"");
    expect_escaped("a\nb\rc\td\be\ff", "\"a\\nb\\rc\\td\\be\\ff\"");
    expect_escaped("\x01\x1f", "\"\\u0001\\u001f\"");
    expect_escaped("\x7f", "\"\\u007f\"");
    expect_escaped("caf\xc3\xa9", "\"caf\\u00e9\"");
    expect_escaped("\xe2\x82\xac", "\"\\u20ac\"");
    expect_escaped("\xf0\x9f\x98\x80", "\"\\ud83d\\ude00\"");
}

static void replaces_invalid_utf8(void **state)
{
    (void)state;
    expect_escaped("a\xff" "b", "\"a\\ufffdb\"");
    expect_escaped("\xc0\xaf", "\"\\ufffd\\ufffd\"");            /* overlong '/' */
    expect_escaped("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
    expect_escaped("\xe2\x82", "\"\\ufffd\\ufffd\"");            /* truncated */
}

static void renders_arrays(void **state)
{
    (void)state;
    const char *items[] = { "a", "b\"c" };
    struct strbuf sb = STRBUF_INIT;
    json_add_string_array(&sb, items, 2, ", ");
    assert_string_equal(strbuf_str(&sb), "[\"a\", \"b\\\"c\"]");
    strbuf_reset(&sb);
    json_add_string_array(&sb, items, 0, ", ");
    assert_string_equal(strbuf_str(&sb), "[]");
    strbuf_release(&sb);
}

static void strbuf_grows_and_detaches(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 1000; i++)
        strbuf_addf(&sb, "%d,", i);
    assert_int_equal(sb.len, strlen(strbuf_str(&sb)));
    assert_memory_equal(strbuf_str(&sb), "0,1,2,", 6);
    size_t len;
    char *s = strbuf_detach(&sb, &len);
    assert_non_null(s);
    assert_int_equal(len, strlen(s));
    assert_string_equal(strbuf_str(&sb), "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_like_python),
        cmocka_unit_test(replaces_invalid_utf8),
        cmocka_unit_test(renders_arrays),
        cmocka_unit_test(strbuf_grows_and_detaches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
