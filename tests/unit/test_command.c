/* command_run_input: a program fed on stdin within the deadline, its
 * output bounded. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "command.h"

/* More than a pipe holds (64 KiB): writing and reading must interleave. */
static void feeds_more_than_a_pipe_holds(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *input = malloc(n);
    assert_non_null(input);
    for (size_t i = 0; i < n; i++)
        input[i] = (char)('a' + i % 26);
    char *argv[] = { "cat", NULL };
    struct command_result r;
    struct error err;
    assert_int_equal(command_run_input(argv, input, n, 10000, 2 << 20, &r, &err), 0);
    assert_int_equal(r.exit_status, 0);
    assert_int_equal(r.out_len, n);
    assert_memory_equal(r.out, input, n);
    command_result_free(&r);
    free(input);
}

/* A program that never reads its stdin neither hangs nor kills us. */
static void program_not_reading_stdin(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *input = calloc(1, n);
    assert_non_null(input);
    char *argv[] = { "true", NULL };
    struct command_result r;
    struct error err;
    assert_int_equal(command_run_input(argv, input, n, 10000, 1024, &r, &err), 0);
    assert_int_equal(r.exit_status, 0);
    command_result_free(&r);
    free(input);
}

static void empty_input_and_deadline(void **state)
{
    (void)state;
    char *cat[] = { "cat", NULL };
    struct command_result r;
    struct error err;
    assert_int_equal(command_run_input(cat, "", 0, 10000, 1024, &r, &err), 0);
    assert_int_equal(r.out_len, 0);
    command_result_free(&r);
    char *sleeper[] = { "sleep", "5", NULL };
    assert_int_equal(command_run_input(sleeper, "x", 1, 200, 1024, &r, &err), -1);
    assert_true(r.timed_out);
    command_result_free(&r);
}

int main(void)
{
    /* As in the recorder: a closed pipe is an error, not a signal. */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(feeds_more_than_a_pipe_holds),
        cmocka_unit_test(program_not_reading_stdin),
        cmocka_unit_test(empty_input_and_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
