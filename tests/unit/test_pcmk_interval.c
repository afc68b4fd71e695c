/* Pacemaker's interval syntax, as the timeout warnings read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pcmk_interval.h"

static void accepts_pacemaker_spellings(void **state)
{
    (void)state;
    static const struct { const char *text; int64_t ms; } ok[] = {
        { "90", 90000 }, { "90s", 90000 }, { "1m30s", 90000 }, { "2min", 120000 },
        { "500ms", 500 }, { "1h", 3600000 }, { " 60s ", 60000 }, { "0", 0 }, { "2MIN", 120000 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t ms = -1;
        assert_true(pcmk_interval_ms(ok[i].text, &ms));
        assert_int_equal(ms, ok[i].ms);
    }
}

static void refuses_what_is_not_an_interval(void **state)
{
    (void)state;
    static const char *const bad[] = { "", "abc", "-5", "1.5s", "10 s", "5y", "s",
                                       "999999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms;
        assert_false(pcmk_interval_ms(bad[i], &ms));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_pacemaker_spellings),
        cmocka_unit_test(refuses_what_is_not_an_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
