/* The writers' waiting room: turns, deadlines, refusing symlinks, and
 * leaving the caller's signal state as it was. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "clock.h"
#include "write_queue.h"
#include "record_group.h"
#include "unit_tmp.h"

static const char *queue_path(const char *db)
{
    static char path[600];
    snprintf(path, sizeof path, "%s%s", db, WRITE_QUEUE_SUFFIX);
    return path;
}

/* Another writer at the front: a second open file description holds it. */
static int hold_queue(const char *db)
{
    int fd = open(queue_path(db), O_RDWR | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    return fd;
}

static void free_queue_is_ours_at_once(void **state)
{
    (void)state;
    const char *db = in_scratch("a.db");
    struct write_queue q = WRITE_QUEUE_INIT(db);
    assert_int_equal(write_queue_enter(&q, monotonic_ms() + 1000), QUEUE_AT_FRONT);
    struct stat sb;
    assert_int_equal(stat(queue_path(db), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, record_file_mode());
    write_queue_leave(&q);
    assert_int_equal(q.fd, -1);
    int other = hold_queue(db);   /* leaving released it */
    close(other);
}

/* A reader that creates nothing queues only where writers have written,
 * and then waits its turn like a writer. */
static void reader_queues_only_on_an_existing_file(void **state)
{
    (void)state;
    const char *db = in_scratch("r.db");
    struct write_queue q = WRITE_QUEUE_INIT(db);
    q.existing_only = true;
    assert_int_equal(write_queue_enter(&q, monotonic_ms() + 1000), QUEUE_UNAVAILABLE);
    write_queue_leave(&q);
    struct stat sb;
    assert_int_equal(stat(queue_path(db), &sb), -1);
    int other = hold_queue(db);
    assert_int_equal(write_queue_enter(&q, monotonic_ms() + 200), QUEUE_TIMED_OUT);
    write_queue_leave(&q);
    close(other);
    assert_int_equal(write_queue_enter(&q, monotonic_ms() + 1000), QUEUE_AT_FRONT);
    write_queue_leave(&q);
}

static void taken_queue_times_out_at_the_deadline(void **state)
{
    (void)state;
    const char *db = in_scratch("b.db");
    int other = hold_queue(db);
    struct write_queue q = WRITE_QUEUE_INIT(db);
    int64_t start = monotonic_ms();
    assert_int_equal(write_queue_enter(&q, start + 300), QUEUE_TIMED_OUT);
    int64_t waited = monotonic_ms() - start;
    assert_true(waited >= 300);
    assert_true(waited < 3000);   /* bounded by the deadline, not by the holder */
    write_queue_leave(&q);
    close(other);
}

static void our_turn_comes_when_the_front_leaves(void **state)
{
    (void)state;
    const char *db = in_scratch("c.db");
    int other = hold_queue(db);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        usleep(150000);
        _exit(0);   /* the lock goes with the last descriptor of the description */
    }
    close(other);   /* only the child holds it now */
    struct write_queue q = WRITE_QUEUE_INIT(db);
    int64_t start = monotonic_ms();
    assert_int_equal(write_queue_enter(&q, start + 10000), QUEUE_AT_FRONT);
    int64_t waited = monotonic_ms() - start;
    assert_true(waited >= 100);     /* it did wait for the child */
    assert_true(waited < 10000);
    assert_true(q.at_front);
    write_queue_leave(&q);
    assert_int_equal(waitpid(child, NULL, 0), child);
}

static void symlinked_queue_file_is_not_followed(void **state)
{
    (void)state;
    const char *db = in_scratch("d.db");
    const char *target = in_scratch("elsewhere");
    assert_int_equal(symlink(target, queue_path(db)), 0);
    struct write_queue q = WRITE_QUEUE_INIT(db);
    assert_int_equal(write_queue_enter(&q, monotonic_ms() + 100), QUEUE_UNAVAILABLE);
    assert_int_not_equal(access(target, F_OK), 0);
    /* Asking again changes nothing: the link is still not followed. */
    assert_int_equal(write_queue_enter(&q, monotonic_ms() + 100), QUEUE_UNAVAILABLE);
    write_queue_leave(&q);
}

static void blocked_alarm_means_no_queue(void **state)
{
    (void)state;
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    assert_int_equal(sigprocmask(SIG_BLOCK, &block, &old), 0);
    struct write_queue q = WRITE_QUEUE_INIT(in_scratch("e.db"));
    assert_int_equal(write_queue_enter(&q, monotonic_ms() + 100), QUEUE_UNAVAILABLE);
    write_queue_leave(&q);
    assert_int_equal(sigprocmask(SIG_SETMASK, &old, NULL), 0);
}

static void callers_alarm_state_is_restored(void **state)
{
    (void)state;
    const char *db = in_scratch("f.db");
    int other = hold_queue(db);
    struct write_queue q = WRITE_QUEUE_INIT(db);
    assert_int_equal(write_queue_enter(&q, monotonic_ms() + 150), QUEUE_TIMED_OUT);
    write_queue_leave(&q);
    close(other);
    struct sigaction now;
    assert_int_equal(sigaction(SIGALRM, NULL, &now), 0);
    assert_ptr_equal(now.sa_handler, SIG_DFL);
    struct itimerval timer;
    assert_int_equal(getitimer(ITIMER_REAL, &timer), 0);
    assert_int_equal(timer.it_value.tv_sec, 0);
    assert_int_equal(timer.it_value.tv_usec, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(free_queue_is_ours_at_once, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(reader_queues_only_on_an_existing_file, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(taken_queue_times_out_at_the_deadline, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(our_turn_comes_when_the_front_leaves, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(symlinked_queue_file_is_not_followed, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(blocked_alarm_means_no_queue, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(callers_alarm_state_is_restored, make_scratch, remove_scratch),
    };
    return cmocka_run_group_tests_name("write_queue", tests, NULL, NULL);
}
