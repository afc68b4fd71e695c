/* File handling on directories shared with the external system. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "files.h"
#include "unit_tmp.h"

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode & 07777;
}

static void atomic_write_sets_mode_and_leaves_no_temp(void **state)
{
    (void)state;
    struct error err;
    mode_t old = umask(077);
    assert_int_equal(file_write_atomic(scratch, "n1-x.json", "{}\n", 3, 0644, &err), 0);
    umask(old);
    assert_int_equal(mode_of(in_scratch("n1-x.json")), 0644);
    assert_int_not_equal(access(in_scratch(".n1-x.json.tmp"), F_OK), 0);
    char *data;
    size_t len;
    assert_int_equal(file_read_limited(in_scratch("n1-x.json"), 10, &data, &len, &err), READ_OK);
    assert_string_equal(data, "{}\n");
    free(data);
}

static void atomic_write_refuses_a_planted_temp_symlink(void **state)
{
    (void)state;
    struct error err;
    FILE *f = fopen(in_scratch("victim"), "w");
    fputs("keep", f);
    fclose(f);
    assert_int_equal(symlink(in_scratch("victim"), in_scratch(".n1.json.tmp")), 0);
    assert_int_equal(file_write_atomic(scratch, "n1.json", "x", 1, 0644, &err), -1);
    char *data;
    size_t len;
    assert_int_equal(file_read_limited(in_scratch("victim"), 10, &data, &len, &err), READ_OK);
    assert_string_equal(data, "keep");
    free(data);
}

static void read_refuses_links_fifos_dirs_and_large_files(void **state)
{
    (void)state;
    struct error err;
    char *data;
    size_t len;
    assert_int_equal(file_read_limited(in_scratch("missing"), 10, &data, &len, &err), READ_MISSING);
    FILE *f = fopen(in_scratch("ten"), "w");
    fputs("0123456789", f);
    fclose(f);
    assert_int_equal(file_read_limited(in_scratch("ten"), 10, &data, &len, &err), READ_OK);
    assert_int_equal(len, 10);
    free(data);
    assert_int_equal(file_read_limited(in_scratch("ten"), 9, &data, &len, &err), READ_REFUSED);
    assert_int_equal(symlink(in_scratch("ten"), in_scratch("link")), 0);
    assert_int_equal(file_read_limited(in_scratch("link"), 10, &data, &len, &err), READ_REFUSED);
    assert_int_equal(mkfifo(in_scratch("fifo"), 0600), 0);
    assert_int_equal(file_read_limited(in_scratch("fifo"), 10, &data, &len, &err), READ_REFUSED);
    assert_int_equal(file_read_limited(scratch, 10, &data, &len, &err), READ_REFUSED);
    f = fopen(in_scratch("empty"), "w");
    fclose(f);
    assert_int_equal(file_read_limited(in_scratch("empty"), 10, &data, &len, &err), READ_OK);
    assert_int_equal(len, 0);
    free(data);
}

static void append_creates_with_mode_and_refuses_links(void **state)
{
    (void)state;
    struct error err;
    assert_int_equal(file_append(in_scratch("log"), "a\n", 2, 0640, &err), 0);
    assert_int_equal(file_append(in_scratch("log"), "b\n", 2, 0640, &err), 0);
    assert_int_equal(mode_of(in_scratch("log")), 0640);
    char *data;
    size_t len;
    assert_int_equal(file_read_limited(in_scratch("log"), 10, &data, &len, &err), READ_OK);
    assert_string_equal(data, "a\nb\n");
    free(data);
    assert_int_equal(symlink(in_scratch("log"), in_scratch("loglink")), 0);
    assert_int_equal(file_append(in_scratch("loglink"), "c\n", 2, 0640, &err), -1);
}

static void append_refuses_a_hard_linked_log(void **state)
{
    (void)state;
    struct error err;
    assert_int_equal(file_append(in_scratch("log"), "a\n", 2, 0640, &err), 0);
    assert_int_equal(link(in_scratch("log"), in_scratch("elsewhere")), 0);
    assert_int_equal(file_append(in_scratch("log"), "b\n", 2, 0640, &err), -1);
    assert_non_null(strstr(err.msg, "hard link"));
    struct stat st;
    assert_int_equal(stat(in_scratch("elsewhere"), &st), 0);
    assert_int_equal(st.st_size, 2);
}

static void read_out_of_descriptors_is_reported_as_such(void **state)
{
    (void)state;
    struct error err;
    assert_int_equal(file_append(in_scratch("r"), "{}", 2, 0640, &err), 0);
    struct rlimit old, low;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
    int fds[64], n = 0;
    low = old;
    low.rlim_cur = 16;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    while (n < 64 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0)
        n++;
    char *data;
    size_t len;
    enum read_status rs = file_read_limited(in_scratch("r"), 10, &data, &len, &err);
    int saved = errno;
    while (n > 0)
        close(fds[--n]);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    assert_int_equal(rs, READ_NO_FDS);
    assert_int_equal(saved, EMFILE);
    assert_non_null(strstr(err.msg, "out of file descriptors"));
}

static void lock_for_removal_respects_a_live_holder(void **state)
{
    (void)state;
    struct error err;
    struct locked_file lf;
    assert_int_equal(file_append(in_scratch("req.json"), "{\"a\": 1}", 8, 0644, &err), 0);
    int holder = open(in_scratch("req.json"), O_RDONLY);
    assert_true(holder >= 0);
    assert_int_equal(flock(holder, LOCK_SH), 0);
    assert_int_equal(file_lock_for_removal(in_scratch("req.json"), &lf, &err), LOCK_IN_USE);
    close(holder);
    assert_int_equal(file_lock_for_removal(in_scratch("req.json"), &lf, &err), LOCK_TAKEN);
    /* While we hold it, an agent's shared lock must wait. */
    holder = open(in_scratch("req.json"), O_RDONLY);
    assert_int_equal(flock(holder, LOCK_SH | LOCK_NB), -1);
    char *data;
    size_t len;
    assert_int_equal(locked_file_read(&lf, 100, &data, &len, &err), READ_OK);
    assert_string_equal(data, "{\"a\": 1}");
    free(data);
    assert_int_equal(locked_file_remove(&lf, &err), 0);
    assert_int_not_equal(access(in_scratch("req.json"), F_OK), 0);
    /* The waiting agent gets its lock and sees its file unlinked. */
    assert_int_equal(flock(holder, LOCK_SH | LOCK_NB), 0);
    struct stat st;
    assert_int_equal(fstat(holder, &st), 0);
    assert_int_equal(st.st_nlink, 0);
    close(holder);
    assert_int_equal(file_lock_for_removal(in_scratch("req.json"), &lf, &err), LOCK_GONE);
    assert_int_equal(file_append(in_scratch("t"), "x", 1, 0644, &err), 0);
    assert_int_equal(symlink(in_scratch("t"), in_scratch("tlink")), 0);
    assert_int_equal(file_lock_for_removal(in_scratch("tlink"), &lf, &err), LOCK_FAILED);
    assert_int_equal(mkfifo(in_scratch("fifo"), 0600), 0);
    assert_int_equal(file_lock_for_removal(in_scratch("fifo"), &lf, &err), LOCK_FAILED);
}

static void dir_ensure_creates_and_refuses(void **state)
{
    (void)state;
    struct error err;
    assert_int_equal(dir_ensure(in_scratch("a/b/c"), 0700, &err), 0);
    assert_int_equal(mode_of(in_scratch("a/b/c")), 0700);
    assert_int_equal(dir_ensure(in_scratch("a/b/c/"), 0700, &err), 0);
    assert_int_equal(symlink(in_scratch("a"), in_scratch("alink")), 0);
    assert_int_equal(dir_ensure(in_scratch("alink"), 0755, &err), -1);
    FILE *f = fopen(in_scratch("file"), "w");
    fclose(f);
    assert_int_equal(dir_ensure(in_scratch("file/sub"), 0755, &err), -1);
    char out[16];
    assert_int_equal(path_join(out, sizeof out, "/very/long/dir", "name", &err), -1);
    assert_int_equal(path_join(out, sizeof out, "/d/", "n", &err), 0);
    assert_string_equal(out, "/d/n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(atomic_write_sets_mode_and_leaves_no_temp, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(atomic_write_refuses_a_planted_temp_symlink, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(read_refuses_links_fifos_dirs_and_large_files, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(append_creates_with_mode_and_refuses_links, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(dir_ensure_creates_and_refuses, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(append_refuses_a_hard_linked_log, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(read_out_of_descriptors_is_reported_as_such, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(lock_for_removal_respects_a_live_holder, make_scratch, remove_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
