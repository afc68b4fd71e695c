/* Option parsing: Pacemaker's stdin, the command line, precedence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "options.h"

static int clean_env(void **state)
{
    (void)state;
    const char *vars[] = { "NNF_FENCE_REQUEST_DIR", "NNF_FENCE_RESPONSE_DIR", "LOG_DIR",
                           "FENCE_RECORDER_DB", "FENCE_TIMEOUT", "POLL_INTERVAL",
                           "FILESYSTEM_DISCOVERY_ENABLED", "DISCOVERY_TIMEOUT" };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
    return 0;
}

/* Parses text as stdin and resolves it; returns options_resolve's result. */
static int from_stdin(const char *text, struct raw_options *raw, struct agent_config *cfg,
                      struct error *err)
{
    memset(raw, 0, sizeof *raw);
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    int rc = options_parse_stream(raw, f, err);
    fclose(f);
    return rc != 0 ? rc : options_resolve(raw, cfg, err);
}

static bool has_note(const struct raw_options *raw, enum log_level level, const char *text)
{
    for (int i = 0; i < raw->note_count; i++)
        if (raw->notes[i].level == level && strstr(raw->notes[i].text, text))
            return true;
    return false;
}

static void parses_what_pacemaker_sends(void **state)
{
    (void)state;
    struct raw_options raw;
    struct agent_config cfg;
    struct error err;
    assert_int_equal(from_stdin("nodename=node2\naction=off\nport=node2\nplug=node2\n"
                                "pcmk_host_list=node2\nCRM_meta_timeout=20000\n", &raw, &cfg, &err), 0);
    assert_int_equal(cfg.action, ACT_OFF);
    assert_string_equal(cfg.target, "node2");
    assert_int_equal(cfg.fence_timeout_ms, 60000);
    assert_string_equal(cfg.paths.request_dir, DEFAULT_REQUEST_DIR);
    assert_true(has_note(&raw, LOG_DEBUG, "pcmk_host_list"));
    assert_false(has_note(&raw, LOG_WARNING, "pcmk_host_list"));
    raw_options_free(&raw);
}

static void handles_comments_quotes_spellings_and_crlf(void **state)
{
    (void)state;
    struct raw_options raw;
    struct agent_config cfg;
    struct error err;
    assert_int_equal(from_stdin("# comment\n\n  action = reboot \r\nplug=\"node 7\"\r\n", &raw, &cfg, &err), -1);
    raw_options_free(&raw);   /* a quoted space is still an invalid node name */
    assert_int_equal(from_stdin("# c\n\naction=reboot\r\nplug=\"node7\"\r\nrequest-dir=/r\n"
                                "response_dir=/s\nfence-timeout=7\nverbose=yes", &raw, &cfg, &err), 0);
    assert_int_equal(cfg.action, ACT_REBOOT);
    assert_string_equal(cfg.target, "node7");
    assert_string_equal(cfg.paths.request_dir, "/r");
    assert_string_equal(cfg.paths.response_dir, "/s");
    assert_int_equal(cfg.fence_timeout_ms, 7000);
    assert_int_equal(cfg.verbosity, VERBOSITY_DEBUG);
    raw_options_free(&raw);
}

static void duplicates_nul_and_long_values(void **state)
{
    (void)state;
    struct raw_options raw;
    struct agent_config cfg;
    struct error err;
    static char text[8192];
    char longval[5000];
    memset(longval, 'x', sizeof longval - 1);
    longval[sizeof longval - 1] = '\0';
    snprintf(text, sizeof text, "action=off\nplug=a\nplug=b\nlog_dir=/%s\n", longval);
    assert_int_equal(from_stdin(text, &raw, &cfg, &err), 0);
    assert_string_equal(cfg.target, "b");
    assert_true(has_note(&raw, LOG_WARNING, "given again"));
    assert_true(has_note(&raw, LOG_WARNING, "longer than"));
    assert_string_equal(cfg.paths.log_dir, DEFAULT_LOG_DIR);
    raw_options_free(&raw);

    const char with_nul[] = "action=off\nplug=x\0y\nplug=node3\n";
    memset(&raw, 0, sizeof raw);
    FILE *f = fmemopen((void *)with_nul, sizeof with_nul - 1, "r");
    assert_int_equal(options_parse_stream(&raw, f, &err), 0);
    fclose(f);
    assert_int_equal(options_resolve(&raw, &cfg, &err), 0);
    assert_string_equal(cfg.target, "node3");
    assert_true(has_note(&raw, LOG_WARNING, "NUL"));
    raw_options_free(&raw);
}

/* Pacemaker never sends this much; a 1 MiB attribute is skipped with a
 * warning and the fence goes on with the rest. */
static void skips_a_one_mebibyte_line(void **state)
{
    (void)state;
    const char head[] = "action=off\nnodename=node4\nrequest_dir=";
    size_t n = 1024 * 1024;
    char *text = malloc(sizeof head + n + 64);
    memcpy(text, head, sizeof head - 1);
    memset(text + sizeof head - 1, 'd', n);
    strcpy(text + sizeof head - 1 + n, "\njunk=x\n");
    struct raw_options raw;
    struct agent_config cfg;
    struct error err;
    assert_int_equal(from_stdin(text, &raw, &cfg, &err), 0);
    assert_string_equal(cfg.target, "node4");
    assert_true(has_note(&raw, LOG_WARNING, "longer than"));
    raw_options_free(&raw);
    free(text);
}

static void refuses_huge_input(void **state)
{
    (void)state;
    size_t n = 5 * 1024 * 1024;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[n] = '\0';
    struct raw_options raw;
    struct agent_config cfg;
    struct error err;
    assert_int_equal(from_stdin(big, &raw, &cfg, &err), -1);
    assert_non_null(strstr(err.msg, "exceed"));
    raw_options_free(&raw);
    free(big);
}

static int from_argv(int argc, char **argv, struct raw_options *raw, struct agent_config *cfg,
                     struct error *err)
{
    memset(raw, 0, sizeof *raw);
    int rc = options_parse_argv(raw, argc, argv, err);
    return rc != 0 ? rc : options_resolve(raw, cfg, err);
}

static void parses_short_and_long_options(void **state)
{
    (void)state;
    struct raw_options raw;
    struct agent_config cfg;
    struct error err;
    char *a1[] = { "fr", "-o", "off", "-n", "node2", "-v", NULL };
    assert_int_equal(from_argv(6, a1, &raw, &cfg, &err), 0);
    assert_int_equal(cfg.action, ACT_OFF);
    assert_string_equal(cfg.target, "node2");
    assert_int_equal(cfg.verbosity, VERBOSITY_DEBUG);
    char *a2[] = { "fr", "--action=status", "--plug", "n3", "--poll-interval=0.25", "-q", NULL };
    assert_int_equal(from_argv(6, a2, &raw, &cfg, &err), 0);
    assert_int_equal(cfg.action, ACT_STATUS);
    assert_int_equal(cfg.poll_interval_ms, 250);
    assert_int_equal(cfg.verbosity, VERBOSITY_QUIET);
    char *a3[] = { "fr", "--bogus", NULL };
    assert_int_equal(from_argv(2, a3, &raw, &cfg, &err), -1);
    char *a4[] = { "fr", "-o", NULL };
    assert_int_equal(from_argv(2, a4, &raw, &cfg, &err), -1);
}

static void parameter_beats_environment_beats_default(void **state)
{
    (void)state;
    struct raw_options raw;
    struct agent_config cfg;
    struct error err;
    setenv("NNF_FENCE_REQUEST_DIR", "/env/rq", 1);
    setenv("FENCE_TIMEOUT", "30", 1);
    assert_int_equal(from_stdin("action=off\nplug=n\n", &raw, &cfg, &err), 0);
    assert_string_equal(cfg.paths.request_dir, "/env/rq");
    assert_int_equal(cfg.fence_timeout_ms, 30000);
    raw_options_free(&raw);
    assert_int_equal(from_stdin("action=off\nplug=n\nrequest_dir=/param\nfence_timeout=5\n",
                                &raw, &cfg, &err), 0);
    assert_string_equal(cfg.paths.request_dir, "/param");
    assert_int_equal(cfg.fence_timeout_ms, 5000);
    raw_options_free(&raw);
    setenv("FENCE_TIMEOUT", "abc", 1);
    assert_int_equal(from_stdin("action=off\nplug=n\n", &raw, &cfg, &err), 0);
    assert_int_equal(cfg.fence_timeout_ms, 60000);
    assert_true(has_note(&raw, LOG_WARNING, "FENCE_TIMEOUT"));
    raw_options_free(&raw);
}

static void rejects_bad_parameters(void **state)
{
    (void)state;
    const char *bad[] = {
        "action=off\nplug=n\nfence_timeout=-5\n", "action=off\nplug=n\nfence_timeout=abc\n",
        "action=off\nplug=n\nfence_timeout=1e9\n", "action=off\nplug=n\nfence_timeout=1.5\n",
        "action=off\nplug=n\nrequest_dir=relative\n", "action=off\nplug=../x\n",
        "action=off\n", "action=explode\nplug=n\n", "action=off\nplug=n\nrequest_dir=/a\nresponse_dir=/a\n",
        "action=off\nplug=n\nfilesystem_discovery=maybe\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct raw_options raw;
        struct agent_config cfg;
        struct error err = { "" };
        assert_int_equal(from_stdin(bad[i], &raw, &cfg, &err), -1);
        assert_true(err.msg[0] != '\0');
        raw_options_free(&raw);
    }
}

static void target_precedence_and_actions(void **state)
{
    (void)state;
    struct raw_options raw;
    struct agent_config cfg;
    struct error err;
    assert_int_equal(from_stdin("action=off\nnodename=a\nhostname=b\nport=c\nplug=d\n", &raw, &cfg, &err), 0);
    assert_string_equal(cfg.target, "d");
    raw_options_free(&raw);
    assert_int_equal(from_stdin("action=off\nnodename=a\nhostname=b\n", &raw, &cfg, &err), 0);
    assert_string_equal(cfg.target, "b");
    raw_options_free(&raw);
    assert_int_equal(from_stdin("action=monitor\n", &raw, &cfg, &err), 0);
    assert_null(cfg.target);
    raw_options_free(&raw);
    assert_int_equal(from_stdin("action=meta-data\n", &raw, &cfg, &err), 0);
    assert_int_equal(cfg.action, ACT_METADATA);
    raw_options_free(&raw);
    assert_int_equal(action_from_name("OFF"), ACT_OFF);
    assert_true(action_needs_target(ACT_ON));
    assert_false(action_needs_target(ACT_LIST));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(parses_what_pacemaker_sends, clean_env),
        cmocka_unit_test_setup(handles_comments_quotes_spellings_and_crlf, clean_env),
        cmocka_unit_test_setup(duplicates_nul_and_long_values, clean_env),
        cmocka_unit_test_setup(skips_a_one_mebibyte_line, clean_env),
        cmocka_unit_test_setup(refuses_huge_input, clean_env),
        cmocka_unit_test_setup(parses_short_and_long_options, clean_env),
        cmocka_unit_test_setup(parameter_beats_environment_beats_default, clean_env),
        cmocka_unit_test_setup(rejects_bad_parameters, clean_env),
        cmocka_unit_test_setup(target_precedence_and_actions, clean_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
