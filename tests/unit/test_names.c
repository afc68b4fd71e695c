/* Node and protocol file name validation: names become file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "names.h"

#define ID "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

static void accepts_ordinary_names(void **state)
{
    (void)state;
    const char *good[] = { "node2", "compute-node-3", "n1.cluster.example.com", "rabbit_01", "x",
                           "n\xc3\xb6" "de-1" /* UTF-8 */ };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(node_name_valid(good[i], NULL));
}

static void rejects_names_that_escape_or_break_paths(void **state)
{
    (void)state;
    const char *bad[] = { "", "a/b", "../etc", "a..b", ".hidden", "-flag", "a\\b", "sp ace",
                          "tab\tx", "new\nline", "del\x7f", "bell\x07",
                          "latin1-n\xf6" "de", "overlong-\xc0\xaf", "cut-\xe2\x82" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        assert_false(node_name_valid(bad[i], &why));
        assert_non_null(why);
    }
}

static void bounds_the_length(void **state)
{
    (void)state;
    char name[300];
    memset(name, 'a', sizeof name);
    name[NODE_NAME_MAX] = '\0';
    assert_true(node_name_valid(name, NULL));
    name[NODE_NAME_MAX] = 'a';
    name[NODE_NAME_MAX + 1] = '\0';
    const char *why;
    assert_false(node_name_valid(name, &why));
    assert_non_null(strstr(why, "208"));
    /* The limit is what the request's dot-temp name leaves of 255 bytes. */
    assert_int_equal(NODE_NAME_MAX, 208);
    assert_int_equal(strlen(".") + NODE_NAME_MAX + strlen("-" ID ".json.tmp"), 255);
}

static void uuid_must_be_canonical_lower_case(void **state)
{
    (void)state;
    assert_true(uuid_valid(ID));
    assert_false(uuid_valid("0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9"));
    assert_false(uuid_valid("0f1e2d3c4b5a49788695a4b3c2d1e0f9"));
    assert_false(uuid_valid(ID "0"));
    assert_false(uuid_valid("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0fg"));
}

static void splits_protocol_names_with_dashes_in_the_node(void **state)
{
    (void)state;
    char node[NODE_NAME_MAX + 1], id[UUID_STR_LEN + 1];
    assert_true(protocol_name_split("n1-a-" ID ".json", node, sizeof node, id, sizeof id));
    assert_string_equal(node, "n1-a");
    assert_string_equal(id, ID);
}

static void rejects_other_file_names(void **state)
{
    (void)state;
    char node[NODE_NAME_MAX + 1], id[UUID_STR_LEN + 1];
    const char *bad[] = { ".n1-" ID ".json.tmp", "n1-" ID ".json.tmp", "n1-" ID ".JSON",
                          "n1_" ID ".json", "-" ID ".json", "n1-not-a-uuid.json", ".json",
                          "n1-0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9.json" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(protocol_name_split(bad[i], node, sizeof node, id, sizeof id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_ordinary_names),
        cmocka_unit_test(rejects_names_that_escape_or_break_paths),
        cmocka_unit_test(bounds_the_length),
        cmocka_unit_test(uuid_must_be_canonical_lower_case),
        cmocka_unit_test(splits_protocol_names_with_dashes_in_the_node),
        cmocka_unit_test(rejects_other_file_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
