/* The cluster-state parser (recorder/cluster_state.c) on real crm_mon XML:
 * Pacemaker 2.1.5's output for the CIBs of
 * tests/fixtures/cluster_state/make-fixtures.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cluster_state.h"
#include "files.h"

static cJSON *parse_fixture(const char *name, const char *target)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/crm_mon-%s.xml", FIXTURE_DIR, name);
    char *xml;
    size_t len;
    struct error err;
    assert_int_equal(file_read_limited(path, 1 << 20, &xml, &len, &err), READ_OK);
    cJSON *state = NULL;
    int rc = cluster_state_parse(xml, len, target, &state, &err);
    free(xml);
    if (rc != 0)
        fail_msg("%s: %s", name, err.msg);
    return state;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int truth(const cJSON *o, const char *key)   /* 1, 0, -1 for null/absent */
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsTrue(v) ? 1 : cJSON_IsFalse(v) ? 0 : -1;
}

static void online_member(void **state)
{
    (void)state;
    cJSON *s = parse_fixture("online", "node2");
    assert_string_equal(str(s, "membership"), "online");
    assert_int_equal(truth(s, "found"), 1);
    assert_int_equal(truth(s, "online"), 1);
    assert_int_equal(truth(s, "unclean"), 0);
    assert_int_equal(truth(s, "expected_up"), 1);
    assert_int_equal(truth(s, "is_dc"), 0);
    assert_string_equal(str(s, "type"), "member");
    assert_int_equal(truth(s, "quorum"), 1);
    assert_string_equal(str(s, "dc"), "vm");
    assert_string_equal(str(s, "stack"), "corosync");
    assert_string_equal(str(s, "last_seen"), "Tue Nov 25 02:00:00 2025");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(s, "failed_actions")), 0);
    cJSON_Delete(s);
    /* The DC itself. */
    s = parse_fixture("online", "vm");
    assert_int_equal(truth(s, "is_dc"), 1);
    /* vm's own failed probe is vm's, never node2's. */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(s, "failed_actions")), 1);
    cJSON_Delete(s);
}

static void unclean_and_offline(void **state)
{
    (void)state;
    cJSON *s = parse_fixture("unclean", "node2");
    assert_string_equal(str(s, "membership"), "unclean");
    assert_int_equal(truth(s, "online"), 0);
    assert_int_equal(truth(s, "unclean"), 1);
    assert_int_equal(truth(s, "expected_up"), 1);
    cJSON_Delete(s);
    s = parse_fixture("offline", "node2");
    assert_int_equal(truth(s, "online"), 0);
    assert_int_equal(truth(s, "expected_up"), 0);
    cJSON_Delete(s);
}

static void failed_actions_and_fail_counts(void **state)
{
    (void)state;
    cJSON *s = parse_fixture("failed", "node2");
    const cJSON *failed = cJSON_GetObjectItem(s, "failed_actions");
    assert_int_equal(cJSON_GetArraySize(failed), 1);
    const cJSON *f = cJSON_GetArrayItem(failed, 0);
    assert_string_equal(str(f, "op_key"), "fs-home_monitor_10000");
    assert_string_equal(str(f, "exitreason"), "Filesystem /shared/home is not mounted");
    assert_int_equal(cJSON_GetObjectItem(f, "exitcode")->valueint, 7);
    assert_int_equal(cJSON_GetObjectItem(f, "interval_ms")->valueint, 10000);
    const cJSON *counts = cJSON_GetObjectItem(s, "fail_counts");
    assert_int_equal(cJSON_GetArraySize(counts), 1);
    assert_string_equal(str(cJSON_GetArrayItem(counts, 0), "resource"), "fs-home");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(counts, 0), "fail_count")->valueint, 3);
    /* The newest operation result on the node, not the first listed. */
    assert_string_equal(str(s, "last_seen"), "Wed Nov 25 03:06:30 2026");
    cJSON_Delete(s);
}

static void no_quorum_and_standby(void **state)
{
    (void)state;
    cJSON *s = parse_fixture("no-quorum", "node2");
    assert_int_equal(truth(s, "quorum"), 0);
    assert_string_equal(str(s, "dc"), "vm");
    cJSON_Delete(s);
    s = parse_fixture("standby", "node2");
    assert_string_equal(str(s, "membership"), "standby");
    assert_int_equal(truth(s, "standby"), 1);
    cJSON_Delete(s);
}

static void remote_node(void **state)
{
    (void)state;
    cJSON *s = parse_fixture("remote", "rnode1");
    assert_string_equal(str(s, "type"), "remote");
    assert_string_equal(str(s, "membership"), "online");
    cJSON_Delete(s);
}

static void absent_target_and_no_cluster(void **state)
{
    (void)state;
    cJSON *s = parse_fixture("online", "node9");
    assert_int_equal(truth(s, "found"), 0);
    assert_string_equal(str(s, "membership"), "absent");
    assert_int_equal(truth(s, "online"), -1);
    cJSON_Delete(s);
    s = parse_fixture("no-cluster", "node2");
    assert_string_equal(str(s, "membership"), "unknown");
    assert_int_equal(truth(s, "quorum"), -1);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(s, "errors"), 0)->valuestring,
                        "Could not connect to the CIB: No such device or address");
    cJSON_Delete(s);
}

/* Captured from the live lab: node2 is in the nodelist and never joined. */
static void live_lab_node_never_joined_then_fenced(void **state)
{
    (void)state;
    static const char *const captures[] = { "lab-node2-offline", "lab-node2-fenced" };
    for (size_t i = 0; i < 2; i++) {
        cJSON *s = parse_fixture(captures[i], "node2");
        assert_string_equal(str(s, "membership"), "offline");
        assert_int_equal(truth(s, "online"), 0);
        assert_int_equal(truth(s, "unclean"), 0);
        assert_int_equal(truth(s, "expected_up"), 0);
        assert_string_equal(str(s, "type"), "member");
        assert_int_equal(truth(s, "quorum"), 1);
        assert_string_equal(str(s, "dc"), "vm");
        assert_null(str(s, "last_seen"));
        cJSON_Delete(s);
    }
    cJSON *s = parse_fixture("lab-node2-offline", "vm");
    assert_int_equal(truth(s, "is_dc"), 1);
    assert_string_equal(str(s, "membership"), "online");
    assert_string_equal(str(s, "last_seen"), "Thu Nov 26 16:25:34 2026");
    cJSON_Delete(s);
}

static void refuses_garbage_and_oversize(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "not xml", "<pacemaker-result>", "<other/>", "<pacemaker-result><nodes>",
        "<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><pacemaker-result>&e;</pacemaker-result>x",
    };
    struct error err;
    cJSON *s;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(cluster_state_parse(bad[i], strlen(bad[i]), "node2", &s, &err), -1);
        assert_null(s);
        assert_true(err.msg[0] != '\0');
    }
    size_t big = CLUSTER_STATE_MAX_INPUT + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    assert_int_equal(cluster_state_parse(huge, big, "node2", &s, &err), -1);
    assert_non_null(strstr(err.msg, "more than"));
    free(huge);
    const char *ok = "<pacemaker-result/>";
    assert_int_equal(cluster_state_parse(ok, strlen(ok), "", &s, &err), -1);
}

/* Many failures on the target: the list stops at the bound and says so,
 * and the rendering stays under the output bound. */
static void bounded_output(void **state)
{
    (void)state;
    size_t cap = 4 << 20, used = 0;
    char *xml = malloc(cap);
    assert_non_null(xml);
    used += (size_t)snprintf(xml, cap, "<pacemaker-result><failures>");
    for (int i = 0; i < 2000; i++)
        used += (size_t)snprintf(xml + used, cap - used, "<failure node=\"node2\" op_key=\"r%d_monitor_0\" "
                                 "exitreason=\"%0600d\"/>", i, i);
    used += (size_t)snprintf(xml + used, cap - used, "</failures></pacemaker-result>");
    cJSON *s;
    struct error err;
    assert_int_equal(cluster_state_parse(xml, used, "node2", &s, &err), 0);
    free(xml);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(s, "failed_actions")), CLUSTER_STATE_MAX_ITEMS);
    assert_int_equal(truth(s, "truncated"), 1);
    assert_int_equal(strlen(str(cJSON_GetArrayItem(cJSON_GetObjectItem(s, "failed_actions"), 0),
                                "exitreason")), CLUSTER_STATE_MAX_STRING);
    char *text;
    assert_int_equal(cluster_state_render(s, &text, &err), 0);
    assert_true(strlen(text) <= CLUSTER_STATE_MAX_OUTPUT);
    free(text);
    cJSON_Delete(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(online_member),
        cmocka_unit_test(unclean_and_offline),
        cmocka_unit_test(failed_actions_and_fail_counts),
        cmocka_unit_test(no_quorum_and_standby),
        cmocka_unit_test(remote_node),
        cmocka_unit_test(absent_target_and_no_cluster),
        cmocka_unit_test(live_lab_node_never_joined_then_fenced),
        cmocka_unit_test(refuses_garbage_and_oversize),
        cmocka_unit_test(bounded_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
