/* Replays every file of the fuzz corpus (seeds, and any input a fuzzing
 * run found worth keeping) through the fuzz targets, under whatever
 * checker runs the suite (ASan+UBSan, valgrind). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../fuzz/fuzz.h"
#include "files.h"

static int replay_dir(const char *name, int (*target)(const uint8_t *, size_t))
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", FUZZ_CORPUS_DIR, name);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int replayed = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        char *data;
        size_t len;
        struct error err;
        assert_int_equal(file_read_limited(path, 8 << 20, &data, &len, &err), READ_OK);
        target((const uint8_t *)data, len);
        free(data);
        replayed++;
    }
    closedir(d);
    return replayed;
}

static void replays_response_corpus(void **state)
{
    (void)state;
    assert_true(replay_dir("response", fuzz_response) >= 5);
}

static void replays_stdin_options_corpus(void **state)
{
    (void)state;
    assert_true(replay_dir("stdin_options", fuzz_stdin_options) >= 5);
}

static void replays_timeparse_corpus(void **state)
{
    (void)state;
    assert_true(replay_dir("timeparse", fuzz_timeparse) >= 5);
}

static void replays_pcmk_xml_corpus(void **state)
{
    (void)state;
    assert_true(replay_dir("pcmk_xml", fuzz_pcmk_xml) >= 5);
}

static void replays_cluster_state_corpus(void **state)
{
    (void)state;
    assert_true(replay_dir("cluster_state", fuzz_cluster_state) >= 5);
}

static void replays_handoff_job_corpus(void **state)
{
    (void)state;
    assert_true(replay_dir("handoff_job", fuzz_handoff_job) >= 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replays_response_corpus),
        cmocka_unit_test(replays_stdin_options_corpus),
        cmocka_unit_test(replays_timeparse_corpus),
        cmocka_unit_test(replays_pcmk_xml_corpus),
        cmocka_unit_test(replays_cluster_state_corpus),
        cmocka_unit_test(replays_handoff_job_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
