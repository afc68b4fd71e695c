/* The watchdog check's rule (lib/bootfence.h): which timestamps are
 * points in time, and when a fence is of this boot. A fuzz-ish sweep
 * renders random times in every accepted spelling and reads them back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "bootfence.h"

#define T0 ((int64_t)1795000000 * 1000)   /* 2026-11-18T11:06:40Z */

static void timestamps_with_an_offset_are_points_in_time(void **state)
{
    (void)state;
    int64_t ms = -1;
    assert_true(iso8601_to_ms("2026-11-18T11:06:40Z", &ms));
    assert_true(ms == T0);
    assert_true(iso8601_to_ms("2026-11-18T11:06:40.123Z", &ms));
    assert_true(ms == T0 + 123);
    assert_true(iso8601_to_ms("2026-11-18T11:06:40.1Z", &ms));
    assert_true(ms == T0 + 100);
    assert_true(iso8601_to_ms("2026-11-18T11:06:40.123456789Z", &ms));   /* Go's RFC3339Nano */
    assert_true(ms == T0 + 123);
    assert_true(iso8601_to_ms("2026-11-18t11:06:40z", &ms));
    assert_true(ms == T0);
    assert_true(iso8601_to_ms("2026-11-18 12:06:40+01:00", &ms));
    assert_true(ms == T0);
    assert_true(iso8601_to_ms("2026-11-18T06:06:40-0500", &ms));
    assert_true(ms == T0);
    assert_true(iso8601_to_ms("2026-11-18T13:06:40+02", &ms));
    assert_true(ms == T0);
    assert_true(iso8601_to_ms("2026-11-18T11:06:40.000+00:00", &ms));
    assert_true(ms == T0);
    assert_true(iso8601_to_ms("1970-01-01T00:00:00Z", &ms));
    assert_true(ms == 0);
}

static void anything_else_is_not_a_time(void **state)
{
    (void)state;
    const char *bad[] = {
        "2026-11-18T11:06:40",          /* naive: Python's isoformat(), local time of whom? */
        "2026-11-18T11:06:40.123",
        "2026-11-18",
        "2026-02-30T00:00:00Z",         /* no such day */
        "2026-11-18T24:00:00Z",
        "2026-11-18T11:60:00Z",
        "2026-11-18T11:06:60Z",         /* leap seconds are not written by anyone here */
        "2026-13-01T00:00:00Z",
        "2026-11-18T11:06:40.Z",
        "2026-11-18T11:06:40ZZ",
        "2026-11-18T11:06:40Z ",
        " 2026-11-18T11:06:40Z",
        "2026-11-18T11:06:40+1:00",
        "2026-11-18T11:06:40+01:",
        "2026-11-18T11:06:40+24:00",
        "2026-11-18T11:06:40+01:60",
        "1969-12-31T23:59:59Z",
        "1970-01-01T00:30:00+01:00",    /* before the epoch once the offset is applied */
        "10000-01-01T00:00:00Z",
        "2026/11/18T11:06:40Z",
        "2026-11-18X11:06:40Z",
        "",
        "1795000000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = -7;
        if (iso8601_to_ms(bad[i], &ms))
            fail_msg("'%s' was taken as %lld", bad[i], (long long)ms);
        assert_true(ms == -7);
    }
    int64_t ms;
    assert_false(iso8601_to_ms(NULL, &ms));
}

/* Random instants 1970..9999 rendered with gmtime in each spelling, with
 * a random offset, read back to the same millisecond. */
static void random_times_read_back(void **state)
{
    (void)state;
    srand(12345);
    const int64_t max_s = (int64_t)253402300799;   /* 9999-12-31T23:59:59Z */
    for (int i = 0; i < 200000; i++) {
        int64_t s = (((int64_t)rand() << 31) ^ rand()) % (max_s - 86400) + 86400;
        int ms_part = rand() % 1000;
        int off_min = (rand() % (2 * 14 * 60 + 1)) - 14 * 60;   /* -14:00 .. +14:00 */
        time_t local = (time_t)(s + off_min * 60);
        struct tm tm;
        assert_non_null(gmtime_r(&local, &tm));
        if (tm.tm_year + 1900 > 9999)
            continue;
        char text[64], zone[16];
        if (off_min == 0 && (i & 1))
            snprintf(zone, sizeof zone, "Z");
        else
            snprintf(zone, sizeof zone, (i & 2) ? "%c%02d:%02d" : "%c%02d%02d",
                     off_min < 0 ? '-' : '+', abs(off_min) / 60, abs(off_min) % 60);
        snprintf(text, sizeof text, "%04d-%02d-%02d%c%02d:%02d:%02d.%03d%s", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, (i & 4) ? ' ' : 'T', tm.tm_hour, tm.tm_min,
                 tm.tm_sec, ms_part, zone);
        int64_t got = -1;
        if (!iso8601_to_ms(text, &got) || got != s * 1000 + ms_part)
            fail_msg("'%s': got %lld, want %lld", text, (long long)got,
                     (long long)(s * 1000 + ms_part));
    }
}

static void fences_of_this_boot_only(void **state)
{
    (void)state;
    int64_t boot = T0, now = T0 + 3600 * 1000, skew = 60 * 1000;
    assert_int_equal(fence_age_judge(boot - 1, boot, now, skew), FENCE_BEFORE_BOOT);
    assert_int_equal(fence_age_judge(boot, boot, now, skew), FENCE_BEFORE_BOOT);   /* a tie */
    assert_int_equal(fence_age_judge(boot + 1, boot, now, skew), FENCE_AFTER_BOOT);
    assert_int_equal(fence_age_judge(now, boot, now, skew), FENCE_AFTER_BOOT);
    assert_int_equal(fence_age_judge(now + skew, boot, now, skew), FENCE_AFTER_BOOT);
    assert_int_equal(fence_age_judge(now + skew + 1, boot, now, skew), FENCE_IN_FUTURE);
    assert_int_equal(fence_age_judge(0, boot, now, skew), FENCE_BEFORE_BOOT);
    /* A node booted on a hardware clock years behind, before NTP: every
     * old fence looks "after boot" but lies in its future: no verdict. */
    int64_t wrong_boot = T0 - (int64_t)3 * 365 * 86400 * 1000, wrong_now = wrong_boot + 60000;
    assert_int_equal(fence_age_judge(T0 - 1000, wrong_boot, wrong_now, skew), FENCE_IN_FUTURE);
    /* No reboot loop: for a fixed fence time, once one boot is later,
     * every later boot is too. */
    srand(7);
    for (int i = 0; i < 100000; i++) {
        int64_t fence = T0 + rand() % 1000000;
        int64_t b = T0 + rand() % 1000000, later = b + 1 + rand() % 1000000;
        if (fence_age_judge(fence, b, b + 5000, skew) == FENCE_BEFORE_BOOT)
            assert_int_equal(fence_age_judge(fence, later, later + 5000, skew),
                             FENCE_BEFORE_BOOT);
    }
    assert_string_equal(fence_age_name(FENCE_AFTER_BOOT), "after this boot");
}

static void boot_is_before_now(void **state)
{
    (void)state;
    int64_t boot, now;
    struct error err;
    assert_int_equal(boot_and_now_ms(&boot, &now, &err), 0);
    assert_true(boot < now);
    /* /proc/stat's btime, whole seconds, is the same instant. */
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return;
    char line[256];
    long long btime = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "btime %lld", &btime) == 1)
            break;
    fclose(f);
    if (btime >= 0)
        assert_true(llabs(boot / 1000 - btime) <= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timestamps_with_an_offset_are_points_in_time),
        cmocka_unit_test(anything_else_is_not_a_time),
        cmocka_unit_test(random_times_read_back),
        cmocka_unit_test(fences_of_this_boot_only),
        cmocka_unit_test(boot_is_before_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
