/* Times and ages as administrators type them: out-of-range values and
 * dates that do not exist are errors, never a cut-off from garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "clock.h"
#include "timeparse.h"

#define NOW ((time_t)1795000000)   /* 2026-11-18T11:06:40Z */

static void durations_in_range_only(void **state)
{
    (void)state;
    int64_t s = -1;
    struct error err;
    assert_int_equal(parse_duration("90s", &s, &err), 0);
    assert_int_equal(s, 90);
    assert_int_equal(parse_duration("2w", &s, &err), 0);
    assert_int_equal(s, 14 * 86400);
    assert_int_equal(parse_duration("36500d", &s, &err), 0);
    const char *bad[] = { "4000000000000000000s", "36501d", "9223372036854775807w",
                          "99999999999999999999", "-5s", " 5s", "+5s", "5x", "5ss", "", "s" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = -1;
        assert_int_equal(parse_duration(bad[i], &s, &err), -1);
        assert_int_equal(s, -1);
    }
    assert_int_equal(parse_duration("4000000000000000000s", &s, &err), -1);
    assert_non_null(strstr(err.msg, "out of range"));
}

static void time_bounds_are_checked(void **state)
{
    (void)state;
    char out[32];
    struct error err;
    assert_int_equal(parse_time_bound("7d", NOW, out, sizeof out, &err), 0);
    assert_string_equal(out, "2026-11-11T11:06:40.000Z");
    assert_int_equal(parse_time_bound("2026-11-25T02:31", NOW, out, sizeof out, &err), 0);
    assert_string_equal(out, "2026-11-25T02:31:00.000Z");
    assert_int_equal(parse_time_bound("2026-11-25 02:31:02Z", NOW, out, sizeof out, &err), 0);
    assert_string_equal(out, "2026-11-25T02:31:02.000Z");
    const char *bad[] = { "4000000000000000000s", "36501d", "2026-02-30", "2026-13-01",
                          "1969-12-31", "99999-01-01", "2026-11-25T02:31:00+01", "yesterday" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(out, "untouched");
        assert_int_equal(parse_time_bound(bad[i], NOW, out, sizeof out, &err), -1);
    }
    /* An age reaching before 1970 is out of range, not a negative time. */
    assert_int_equal(parse_time_bound("1d", 1000, out, sizeof out, &err), -1);
    assert_non_null(strstr(err.msg, "out of range"));
}

static void utc_format_refuses_what_it_cannot_render(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(utc_format(NOW, "%Y-%m-%dT%H:%M:%SZ", out, sizeof out), 0);
    assert_string_equal(out, "2026-11-18T11:06:40Z");
    assert_int_equal(utc_format((time_t)1 << 60, "%Y", out, sizeof out), -1);
    assert_string_equal(out, "");
    assert_int_equal(utc_format(-1, "%Y", out, sizeof out), -1);
    assert_int_equal(utc_format((time_t)253402300800LL, "%Y", out, sizeof out), -1);   /* year 10000 */
}

/* The stamps every record and log line carries: UTC rendered by hand
 * (no time zone is loaded on the fence path), the epoch's when the year
 * has no four-digit rendering. */
static void stamps_render_utc_to_the_millisecond(void **state)
{
    (void)state;
    struct stamp st;
    stamp_from_timespec(&st, (struct timespec){ NOW, 123456789 });
    assert_string_equal(st.iso_ms, "2026-11-18T11:06:40.123Z");
    assert_string_equal(st.iso_s, "2026-11-18T11:06:40Z");
    stamp_from_timespec(&st, (struct timespec){ 0, 999999999 });
    assert_string_equal(st.iso_ms, "1970-01-01T00:00:00.999Z");
    stamp_from_timespec(&st, (struct timespec){ (time_t)253402300799LL, 0 });   /* 9999-12-31 */
    assert_string_equal(st.iso_s, "9999-12-31T23:59:59Z");
    stamp_from_timespec(&st, (struct timespec){ (time_t)253402300800LL, 5000000 });   /* year 10000 */
    assert_string_equal(st.iso_ms, "1970-01-01T00:00:00.000Z");
    assert_string_equal(st.iso_s, "1970-01-01T00:00:00Z");
    assert_string_equal(st.local, "1970-01-01 00:00:00");
}

/* The hand-made calendar agrees with glibc's gmtime_r from year 0 to 9999:
 * every day of 1896-2104 (the leap years around 1900, 2000 and 2100, the
 * days before the epoch), every 97th day elsewhere (a stride that walks
 * through every day of the month and of the 400-year cycle), the first and
 * last second of each. */
static void stamps_agree_with_gmtime_for_every_day(void **state)
{
    (void)state;
    const int64_t first = -62167219200LL, last = 253402300799LL;   /* 0000-01-01, 9999-12-31 */
    const int64_t dense_from = -2335219200LL, dense_to = 4260211200LL;   /* 1896, 2105 */
    for (int64_t day = first; day <= last;
         day += (day >= dense_from && day < dense_to) ? 86400 : 97 * 86400) {
        for (int64_t t = day; t <= day + 86399; t += 86399) {
            struct tm tm;
            time_t tt = (time_t)t;
            assert_non_null(gmtime_r(&tt, &tm));
            char want[80];
            snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.042Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
            struct stamp st;
            stamp_from_timespec(&st, (struct timespec){ tt, 42000000 });
            if (strcmp(st.iso_ms, want) != 0)
                fail_msg("%lld: rendered %s, gmtime says %s", (long long)t, st.iso_ms, want);
        }
    }
    struct stamp st;
    stamp_from_timespec(&st, (struct timespec){ (time_t)(first - 1), 0 });   /* year -1 */
    assert_string_equal(st.iso_s, "1970-01-01T00:00:00Z");
    stamp_from_timespec(&st, (struct timespec){ (time_t)INT64_MIN, 0 });
    assert_string_equal(st.iso_s, "1970-01-01T00:00:00Z");
    stamp_from_timespec(&st, (struct timespec){ (time_t)INT64_MAX, 0 });
    assert_string_equal(st.iso_s, "1970-01-01T00:00:00Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durations_in_range_only),
        cmocka_unit_test(time_bounds_are_checked),
        cmocka_unit_test(utc_format_refuses_what_it_cannot_render),
        cmocka_unit_test(stamps_render_utc_to_the_millisecond),
        cmocka_unit_test(stamps_agree_with_gmtime_for_every_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
