/* The XML reader (lib/pcmk_xml.h) and the discovery extractors built on
 * it (lib/cluster_fs.h), on hand-made input and on real Pacemaker output
 * (tests/fixtures/discovery). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cluster_fs.h"
#include "files.h"
#include "pcmk_xml.h"

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

static xmlDoc *parse(const char *xml, struct error *err)
{
    return pcmk_xml_parse(xml, strlen(xml), "test input", err);
}

/* The element names of a whole walk, in document order, space-separated. */
static void walk_names(const xmlNode *root, char *out, size_t size)
{
    out[0] = '\0';
    for (const xmlNode *n = root; n; n = pcmk_xml_walk(root, n, false))
        snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? " " : "",
                 (const char *)n->name);
}

static void reads_elements_attributes_and_entities(void **state)
{
    (void)state;
    struct error err;
    xmlDoc *doc = parse("<?xml version=\"1.0\"?><!-- <x> --><a><b v='1'/><![CDATA[<y>]]><?pi x?>"
                        "<c v=\"&lt;&amp;&gt;&quot;&apos;&#65;&#x42;&#xe9;\" ></c></a>", &err);
    assert_non_null(doc);
    xmlNode *root = xmlDocGetRootElement(doc);
    char names[128];
    walk_names(root, names, sizeof names);
    assert_string_equal(names, "a b c");
    char v[64];
    assert_true(pcmk_xml_attr_copy(pcmk_xml_child(root, "c"), "v", v, sizeof v));
    assert_string_equal(v, "<&>\"'AB\xc3\xa9");
    assert_true(pcmk_xml_attr_equals(pcmk_xml_child(root, "b"), "v", "1"));
    assert_false(pcmk_xml_attr_equals(pcmk_xml_child(root, "b"), "v", "2"));
    assert_false(pcmk_xml_attr_equals(pcmk_xml_child(root, "b"), "w", "1"));
    xmlFreeDoc(doc);
}

static void navigates_children_siblings_and_subtrees(void **state)
{
    (void)state;
    struct error err;
    xmlDoc *doc = parse("<r>\n  <x id='1'><y/><x id='inner'/></x>\n  text <z/><x id='2'/></r>", &err);
    assert_non_null(doc);
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *x = pcmk_xml_child(root, "x");
    assert_true(pcmk_xml_attr_equals(x, "id", "1"));
    assert_true(pcmk_xml_attr_equals(pcmk_xml_next(x, "x"), "id", "2"));   /* not the inner one */
    assert_null(pcmk_xml_next(pcmk_xml_next(x, "x"), "x"));
    assert_true(pcmk_xml_is(pcmk_xml_next(x, NULL), "z"));
    assert_true(pcmk_xml_is(pcmk_xml_child(root, NULL), "x"));
    char names[128];
    walk_names(root, names, sizeof names);
    assert_string_equal(names, "r x y x z x");
    walk_names(x, names, sizeof names);     /* a subtree's walk stays inside it */
    assert_string_equal(names, "x y x");
    assert_true(pcmk_xml_is(pcmk_xml_walk(root, x, true), "z"));
    assert_true(pcmk_xml_has_ancestor(pcmk_xml_child(x, "y"), "r"));
    assert_false(pcmk_xml_has_ancestor(x, "y"));
    /* NULL answers "nothing", so lookups chain without checks. */
    assert_null(pcmk_xml_child(pcmk_xml_child(root, "missing"), "x"));
    assert_null(pcmk_xml_next(NULL, NULL));
    assert_null(pcmk_xml_walk(NULL, NULL, false));
    assert_null(pcmk_xml_attr(NULL, "id"));
    assert_false(pcmk_xml_is(NULL, NULL));
    char v[4] = "old";
    assert_false(pcmk_xml_attr_copy(NULL, "id", v, sizeof v));
    assert_string_equal(v, "");
    assert_true(pcmk_xml_attr_copy(pcmk_xml_next(x, "x"), "id", v, 2));   /* cut, present */
    assert_string_equal(v, "2");
    xmlFreeDoc(doc);
}

static void rejects_malformed_input_in_one_line(void **state)
{
    (void)state;
    const char *bad[] = { "", "text only", "<a>", "<a></b>", "<a v=1/>", "<a v=\"x/>",
                          "<a v=\"&bogus;\"/>", "<a v=\"&#0;\"/>", "<!-- open", "<a/ >", "</a>",
                          "<a b=\"1\"c=\"2\"/>", "<a =\"1\"/>", "<a/><b/>", "<a v='1' v='2'/>" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct error err = { "" };
        xmlDoc *doc = parse(bad[i], &err);
        if (doc)
            fail_msg("accepted: %s", bad[i]);
        assert_non_null(strstr(err.msg, "test input: "));
        assert_null(strchr(err.msg, '\n'));
    }
}

/* No DOCTYPE at all: no entity is declared, so none is expanded (billion
 * laughs) or fetched (external entities), whatever the options. */
static void refuses_doctypes_and_so_every_entity(void **state)
{
    (void)state;
    const char *bad[] = {
        "<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><r>&e;</r>",
        "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><r v=\"&c;\">&c;</r>",
        "<!DOCTYPE r SYSTEM \"http://127.0.0.1:1/r.dtd\"><r/>",
        "<!DOCTYPE r><r/>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct error err = { "" };
        assert_null(parse(bad[i], &err));
        assert_non_null(strstr(err.msg, "DOCTYPE"));
    }
}

static void bounds_size_nesting_and_truncation(void **state)
{
    (void)state;
    struct error err;
    size_t big = PCMK_XML_MAX_INPUT + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    memcpy(huge, "<a/>", 4);
    assert_null(pcmk_xml_parse(huge, big, "big", &err));
    assert_non_null(strstr(err.msg, "more than"));
    free(huge);
    /* libxml2's own bound (256 without XML_PARSE_HUGE), which keeps any
     * recursion over a tree shallow. */
    size_t depth = 10000;
    char *deep = malloc(depth * 3 + 1);
    for (size_t i = 0; i < depth; i++)
        memcpy(deep + i * 3, "<a>", 3);
    deep[depth * 3] = '\0';
    assert_null(parse(deep, &err));
    free(deep);
    size_t len;
    char *xml = fixture("crm_mon-active-node2.xml", &len);
    for (size_t cut = 1; cut < len; cut += len / 97 + 1) {
        struct fs_list l;
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

/* A Filesystem resource active on n1 with id id, in crm_mon's shape. */
static void crm_mon_with_id(char *out, size_t size, const char *id)
{
    snprintf(out, size, "<pacemaker-result><resources><clone id='c'>"
             "<resource id='%s' resource_agent='ocf:heartbeat:Filesystem' active='true'>"
             "<node name='n1'/></resource>"
             "<resource id='%s' resource_agent='ocf:heartbeat:Filesystem' active='true'>"
             "<node name='n1'/></resource></clone></resources></pacemaker-result>", id, id);
}

static void names_are_checked_whole_and_kept_once(void **state)
{
    (void)state;
    char xml[2048], id[300];
    struct fs_list l;
    struct error err;
    crm_mon_with_id(xml, sizeof xml, "fs-ok");
    assert_int_equal(fs_from_crm_mon(xml, strlen(xml), "n1", &l, &err), 0);
    assert_int_equal(l.count, 1);   /* the clone's instances repeat the id */
    assert_string_equal(l.names[0], "fs-ok");
    memset(id, 'f', 254);
    id[254] = '\0';                 /* one byte over: refused, not cut */
    crm_mon_with_id(xml, sizeof xml, id);
    assert_int_equal(fs_from_crm_mon(xml, strlen(xml), "n1", &l, &err), 0);
    assert_int_equal(l.count, 0);
    id[253] = '\0';
    crm_mon_with_id(xml, sizeof xml, id);
    assert_int_equal(fs_from_crm_mon(xml, strlen(xml), "n1", &l, &err), 0);
    assert_int_equal(l.count, 1);
    const char *bad[] = { "", "fs home", "fs&#10;x", "fs-\xc3\xa9", "fs&#127;" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        crm_mon_with_id(xml, sizeof xml, bad[i]);
        assert_int_equal(fs_from_crm_mon(xml, strlen(xml), "n1", &l, &err), 0);
        assert_int_equal(l.count, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_elements_attributes_and_entities),
        cmocka_unit_test(navigates_children_siblings_and_subtrees),
        cmocka_unit_test(rejects_malformed_input_in_one_line),
        cmocka_unit_test(refuses_doctypes_and_so_every_entity),
        cmocka_unit_test(bounds_size_nesting_and_truncation),
        cmocka_unit_test(live_state_finds_filesystems_running_on_the_node),
        cmocka_unit_test(configuration_finds_shared_filesystems),
        cmocka_unit_test(names_are_checked_whole_and_kept_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
