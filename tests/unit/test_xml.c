/* The bounded XML scanner and the discovery extractors, on real
 * Pacemaker output (tests/fixtures/discovery). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cluster_xml.h"
#include "files.h"

static char *fixture(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/discovery/%s",
             getenv("TOP") ? getenv("TOP") : ".", name);
    char *data;
    struct error err;
    assert_int_equal(file_read_limited(path, 1 << 22, &data, len, &err), READ_OK);
    return data;
}

struct collected {
    char names[32][64];
    int n, max_depth;
    char last_value[128];
};

static void on_start(void *ctx, const char *name, const struct xml_attr *a, int n, int depth)
{
    struct collected *c = ctx;
    if (c->n < 32)
        snprintf(c->names[c->n++], 64, "%s", name);
    if (depth > c->max_depth)
        c->max_depth = depth;
    const char *v = xml_attr_get(a, n, "v");
    if (v)
        snprintf(c->last_value, sizeof c->last_value, "%s", v);
}

static int scan(const char *xml, struct collected *c)
{
    memset(c, 0, sizeof *c);
    struct xml_handler h = { on_start, NULL, c };
    struct error err;
    return xml_scan(xml, strlen(xml), &h, &err);
}

static void scans_elements_attributes_and_entities(void **state)
{
    (void)state;
    struct collected c;
    assert_int_equal(scan("<?xml version=\"1.0\"?><!-- <x> --><a><b v='1'/><![CDATA[<y>]]>"
                          "<c v=\"&lt;&amp;&gt;&quot;&apos;&#65;&#x42;&#xe9;\" ></c></a>", &c), 0);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.names[1], "b");
    assert_string_equal(c.last_value, "<&>\"'AB\xc3\xa9");
    assert_int_equal(c.max_depth, 2);
}

static void rejects_malformed_input(void **state)
{
    (void)state;
    const char *bad[] = { "", "text only", "<a>", "<a></b>", "<a v=1/>", "<a v=\"x/>",
                          "<a v=\"&bogus;\"/>", "<a v=\"&#0;\"/>", "<!-- open", "<a/ >", "</a>",
                          "<a b=\"1\"c=\"2\"/>", "<a =\"1\"/>" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct collected c;
        assert_int_equal(scan(bad[i], &c), -1);
    }
}

static void bounds_nesting_and_truncation(void **state)
{
    (void)state;
    size_t depth = 10000;
    char *deep = malloc(depth * 3 + 1);
    for (size_t i = 0; i < depth; i++)
        memcpy(deep + i * 3, "<a>", 3);
    deep[depth * 3] = '\0';
    struct collected c;
    assert_int_equal(scan(deep, &c), -1);
    free(deep);
    size_t len;
    char *xml = fixture("crm_mon-active-node2.xml", &len);
    for (size_t cut = 1; cut < len; cut += len / 97 + 1) {
        struct fs_list l;
        struct error err;
        /* Every prefix fails cleanly (the document's root closes last). */
        assert_int_equal(fs_from_crm_mon(xml, cut, "node2", &l, &err), -1);
    }
    free(xml);
}

static void live_state_finds_filesystems_running_on_the_node(void **state)
{
    (void)state;
    size_t len;
    char *xml = fixture("crm_mon-active-node2.xml", &len);
    struct fs_list l;
    struct error err;
    assert_int_equal(fs_from_crm_mon(xml, len, "node2", &l, &err), 0);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.names[0], "fs-home");
    assert_true(l.dlm_active);
    assert_int_equal(fs_from_crm_mon(xml, len, "node3", &l, &err), 0);
    assert_int_equal(l.count, 0);
    assert_false(l.dlm_active);
    free(xml);
    /* In that capture fs-local failed its probe on vm: Pacemaker calls it
     * active (it may be mounted), so it counts; the stopped ones do not. */
    xml = fixture("crm_mon-stopped.xml", &len);
    assert_int_equal(fs_from_crm_mon(xml, len, "vm", &l, &err), 0);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.names[0], "fs-local");
    free(xml);
}

static void configuration_finds_shared_filesystems(void **state)
{
    (void)state;
    size_t len;
    char *xml = fixture("cib-resources-gfs2.xml", &len);
    struct fs_list l;
    struct error err;
    assert_int_equal(fs_from_cib(xml, len, &l, &err), 0);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.names[0], "fs-home");     /* gfs2, cloned */
    assert_string_equal(l.names[1], "fs-scratch");  /* ocfs2; xfs fs-local is not shared */
    free(xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scans_elements_attributes_and_entities),
        cmocka_unit_test(rejects_malformed_input),
        cmocka_unit_test(bounds_nesting_and_truncation),
        cmocka_unit_test(live_state_finds_filesystems_running_on_the_node),
        cmocka_unit_test(configuration_finds_shared_filesystems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
