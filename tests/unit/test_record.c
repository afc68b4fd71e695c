/* The record: database rows and the three log files written together,
 * and rendered back from the rows byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "eventlog.h"
#include "files.h"
#include "record.h"
#include "unit_tmp.h"

static char *slurp(const char *path)
{
    char *data;
    size_t len;
    struct error err;
    if (file_read_limited(path, 1 << 20, &data, &len, &err) != READ_OK)
        return NULL;
    return data;
}

static void open_recorder(struct recorder *rec, const char *db_path, const char *log_dir)
{
    struct paths p = { .request_dir = in_scratch("rq"), .response_dir = in_scratch("rs"),
                       .log_dir = log_dir, .db_path = db_path };
    unsetenv("FENCE_LOG");
    recorder_open(rec, &p, 2000, VERBOSITY_QUIET);
    strcpy(rec->op.op_uuid, "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
    strcpy(rec->op.request_id, rec->op.op_uuid);
    rec->op.action = "off";
    rec->op.target_node = "n1";
    rec->op.recorder_node = "mgmt";
    rec->op.requested_by = "test";
    strcpy(rec->op.filesystems, "[\"a\", \"b\"]");
}

static void record_one_fence(struct recorder *rec)
{
    struct stamp now;
    stamp_now(&now);
    recorder_step_begin(rec);
    rec_operation_start(rec, &now);
    rec_request(rec, "n1-x.json", "{}", &now);
    rec_log(rec, LOG_INFO, "two\nlines");
    rec_event(rec, "requested", "asked by %s", "test");
    recorder_step_end(rec);
    recorder_step_begin(rec);
    rec_event(rec, "completed", "message with \"quotes\" and \xc3\xa9");
    rec_operation_finish(rec, "completed", 0, "ok");
    recorder_step_end(rec);
}

/* Renders every events row back into the readable and jsonl formats. */
static void render_from_db(sqlite3 *db, struct strbuf *readable, struct strbuf *jsonl)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT local_time, utc_time, action, target_node, "
        "status, details, recorder_node, pacemaker_action, filesystems, request_id "
        "FROM events ORDER BY id", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct fence_event ev = {
            (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
            (const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 5),
            (const char *)sqlite3_column_text(st, 6), (const char *)sqlite3_column_text(st, 7),
            (const char *)sqlite3_column_text(st, 8), (const char *)sqlite3_column_text(st, 9),
        };
        render_readable(readable, &ev);
        render_jsonl(jsonl, &ev);
    }
    sqlite3_finalize(st);
}

static void logs_and_rows_agree_byte_for_byte(void **state)
{
    (void)state;
    struct recorder rec;
    open_recorder(&rec, in_scratch("db/fr.db"), in_scratch("log"));
    record_one_fence(&rec);
    assert_true(recorder_db_usable(&rec));
    struct strbuf readable = STRBUF_INIT, jsonl = STRBUF_INIT;
    render_from_db(rec.db, &readable, &jsonl);
    recorder_close(&rec);
    char *r = slurp(in_scratch("log/fence-events-readable.log"));
    char *j = slurp(in_scratch("log/fence-events-detailed.jsonl"));
    char *m = slurp(in_scratch("log/fence-events.log"));
    assert_non_null(r);
    assert_non_null(j);
    assert_non_null(m);
    assert_string_equal(r, strbuf_str(&readable));
    assert_string_equal(j, strbuf_str(&jsonl));
    assert_non_null(strstr(r, " ACTION=off TARGET=n1 FILESYSTEMS=[\"a\",\"b\"] STATUS=requested DETAILS=asked by test\n"));
    assert_non_null(strstr(j, "{\"timestamp\": \""));
    assert_non_null(strstr(j, "\", \"action\": \"off\", \"target_node\": \"n1\", \"status\": \"completed\", "
        "\"details\": \"message with \\\"quotes\\\" and \\u00e9\", \"recorder_node\": \"mgmt\", "
        "\"pacemaker_action\": \"off\", \"filesystems\": [\"a\", \"b\"], "
        "\"request_id\": \"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9\"}\n"));
    assert_non_null(strstr(m, "] [INFO] two lines\n"));   /* one event, one line */
    assert_int_equal(m[0], '[');
    free(r); free(j); free(m);
    strbuf_release(&readable);
    strbuf_release(&jsonl);
}

static void unusable_database_still_gets_the_logs(void **state)
{
    (void)state;
    FILE *f = fopen(in_scratch("file"), "w");
    fclose(f);
    struct recorder rec;
    open_recorder(&rec, in_scratch("file/fr.db"), in_scratch("log"));
    record_one_fence(&rec);
    assert_false(recorder_db_usable(&rec));
    recorder_close(&rec);
    char *m = slurp(in_scratch("log/fence-events.log"));
    char *r = slurp(in_scratch("log/fence-events-readable.log"));
    assert_non_null(strstr(m, "[ERROR] database unavailable"));
    assert_non_null(strstr(r, "STATUS=completed"));
    free(m); free(r);
}

static void unwritable_logs_still_get_the_rows(void **state)
{
    (void)state;
    FILE *f = fopen(in_scratch("file"), "w");
    fclose(f);
    struct recorder rec;
    open_recorder(&rec, in_scratch("fr.db"), in_scratch("file/log"));
    record_one_fence(&rec);
    assert_true(rec.log_failure_reported);
    assert_true(recorder_db_usable(&rec));
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(rec.db, "SELECT (SELECT count(*) FROM events), "
        "(SELECT status FROM operations)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "completed");
    sqlite3_finalize(st);
    recorder_close(&rec);
}

/* One fence recorded in the scratch database and logs, the recorder
 * closed (as its process ends). */
static void record_a_fence_and_close(void)
{
    struct recorder rec;
    open_recorder(&rec, in_scratch("db/fr.db"), in_scratch("log"));
    record_one_fence(&rec);
    recorder_close(&rec);
}

/* Where the file's last line starts. */
static size_t last_line_start(const char *path)
{
    char *data = slurp(path);
    assert_non_null(data);
    size_t at = strlen(data);
    assert_true(at > 1);
    at--;
    while (at > 0 && data[at - 1] != '\n')
        at--;
    free(data);
    return at;
}

/* Cuts the file's last line off, keeping the file (its inode): what a
 * writer killed between its commit and its append leaves. */
static void cut_last_line(const char *path)
{
    assert_int_equal(truncate(path, (off_t)last_line_start(path)), 0);
}

static void lines_a_killed_writer_committed_are_written_by_the_next(void **state)
{
    (void)state;
    record_a_fence_and_close();
    char *whole = slurp(in_scratch("log/fence-events-detailed.jsonl"));
    char *readable = slurp(in_scratch("log/fence-events-readable.log"));
    cut_last_line(in_scratch("log/fence-events-detailed.jsonl"));
    cut_last_line(in_scratch("log/fence-events-readable.log"));

    struct recorder rec;
    open_recorder(&rec, in_scratch("db/fr.db"), in_scratch("log"));
    rec_log(&rec, LOG_INFO, "the next step");
    struct strbuf from_db = STRBUF_INIT, jsonl_db = STRBUF_INIT;
    render_from_db(rec.db, &from_db, &jsonl_db);
    recorder_close(&rec);
    char *j = slurp(in_scratch("log/fence-events-detailed.jsonl"));
    char *r = slurp(in_scratch("log/fence-events-readable.log"));
    char *m = slurp(in_scratch("log/fence-events.log"));
    assert_string_equal(j, whole);
    assert_string_equal(r, readable);
    assert_string_equal(j, strbuf_str(&jsonl_db));
    assert_string_equal(r, strbuf_str(&from_db));
    char *warning = strstr(m, "[WARNING] the log lines of a step committed at ");
    assert_non_null(warning);
    assert_non_null(strstr(warning, "fence-events-readable.log, "));
    assert_non_null(strstr(warning, "fence-events-detailed.jsonl (its writer ended between"));
    assert_non_null(strstr(warning, "[INFO] the next step\n"));
    /* Once written, never again. */
    open_recorder(&rec, in_scratch("db/fr.db"), in_scratch("log"));
    rec_event(&rec, "completed", "one more");
    recorder_close(&rec);
    char *again = slurp(in_scratch("log/fence-events-detailed.jsonl"));
    assert_int_equal(strncmp(again, whole, strlen(whole)), 0);
    assert_null(strstr(again + strlen(whole), "message with"));
    free(whole); free(readable); free(j); free(r); free(m); free(again);
    strbuf_release(&from_db);
    strbuf_release(&jsonl_db);
}

/* A write cut short (a full disk) left part of the last line: its writer
 * said so, and the part stays the only trace (check places it). */
static void a_write_cut_short_is_not_redone(void **state)
{
    (void)state;
    record_a_fence_and_close();
    const char *path = in_scratch("log/fence-events-detailed.jsonl");
    size_t last = last_line_start(path);
    assert_int_equal(truncate(path, (off_t)(last + 20)), 0);
    struct recorder rec;
    open_recorder(&rec, in_scratch("db/fr.db"), in_scratch("log"));
    rec_log(&rec, LOG_INFO, "after the full disk");
    recorder_close(&rec);
    char *j = slurp(path);
    char *m = slurp(in_scratch("log/fence-events.log"));
    assert_int_equal(strlen(j), last + 20);
    assert_null(strstr(m, "were missing"));
    free(j); free(m);
}

static void lines_of_a_rotated_log_are_not_written_again(void **state)
{
    (void)state;
    record_a_fence_and_close();
    /* logrotate's create: renamed away, a new empty file in its place. */
    assert_int_equal(rename(in_scratch("log/fence-events-detailed.jsonl"),
                            in_scratch("log/fence-events-detailed.jsonl.1")), 0);
    FILE *f = fopen(in_scratch("log/fence-events-detailed.jsonl"), "w");
    assert_non_null(f);
    fclose(f);
    struct recorder rec;
    open_recorder(&rec, in_scratch("db/fr.db"), in_scratch("log"));
    rec_log(&rec, LOG_INFO, "after the rotation");
    recorder_close(&rec);
    char *j = slurp(in_scratch("log/fence-events-detailed.jsonl"));
    char *m = slurp(in_scratch("log/fence-events.log"));
    assert_string_equal(j, "");
    assert_null(strstr(m, "were missing"));
    free(j); free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(logs_and_rows_agree_byte_for_byte, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(unusable_database_still_gets_the_logs, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(unwritable_logs_still_get_the_rows, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(lines_a_killed_writer_committed_are_written_by_the_next, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(lines_of_a_rotated_log_are_not_written_again, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(a_write_cut_short_is_not_redone, make_scratch, remove_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
