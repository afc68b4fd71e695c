/* The SQLite layer: creation, identity, migration guard, modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "db.h"
#include "schema.h"
#include "unit_tmp.h"

static int64_t query_int(sqlite3 *db, const char *sql)
{
    int64_t v = -1;
    struct error err;
    assert_int_equal(db_query_int(db, sql, &v, &err), 0);
    return v;
}

static void creates_with_modes_identity_and_wal(void **state)
{
    (void)state;
    const char *path = in_scratch("sub/dir/fr.db");
    sqlite3 *db;
    struct error err;
    assert_int_equal(db_open(path, DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    assert_int_equal(query_int(db, "PRAGMA application_id"), SCHEMA_APPLICATION_ID);
    assert_int_equal(query_int(db, "PRAGMA user_version"), schema_migration_count);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    db_close(db);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(stat(in_scratch("sub/dir"), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(db_open(path, DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    db_close(db);
    assert_int_equal(db_open(path, DB_READ_ONLY, 1000, &db, &err), DB_OPEN_OK);
    db_close(db);
}

static void read_only_never_creates(void **state)
{
    (void)state;
    sqlite3 *db;
    struct error err;
    assert_int_equal(db_open(in_scratch("none.db"), DB_READ_ONLY, 1000, &db, &err), DB_OPEN_MISSING);
    assert_int_not_equal(access(in_scratch("none.db"), F_OK), 0);
}

static void make_foreign(const char *path, const char *pragma)
{
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, pragma, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
}

static void refuses_foreign_and_newer_databases(void **state)
{
    (void)state;
    sqlite3 *db;
    struct error err;
    make_foreign(in_scratch("other.db"), "PRAGMA application_id = 42; CREATE TABLE t(x);");
    assert_int_equal(db_open(in_scratch("other.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_INCOMPATIBLE);
    make_foreign(in_scratch("newer.db"), "PRAGMA application_id = 1179796803; PRAGMA user_version = 999;");
    assert_int_equal(db_open(in_scratch("newer.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_INCOMPATIBLE);
    assert_non_null(strstr(err.msg, "newer"));
    make_foreign(in_scratch("plain.db"), "CREATE TABLE t(x); PRAGMA user_version = 3;");
    assert_int_equal(db_open(in_scratch("plain.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_INCOMPATIBLE);
}

static void garbage_and_symlinks_are_refused(void **state)
{
    (void)state;
    FILE *f = fopen(in_scratch("garbage.db"), "w");
    for (int i = 0; i < 8192; i++)
        fputc((i * 7919) & 0xFF, f);
    fclose(f);
    sqlite3 *db;
    struct error err;
    assert_int_not_equal(db_open(in_scratch("garbage.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    assert_int_equal(symlink(in_scratch("target.db"), in_scratch("link.db")), 0);
    assert_int_not_equal(db_open(in_scratch("link.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    assert_int_not_equal(access(in_scratch("target.db"), F_OK), 0);
}

static void binds_every_type(void **state)
{
    (void)state;
    sqlite3 *db;
    struct error err;
    assert_int_equal(db_open(in_scratch("b.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TEMP TABLE b(t, i, o, n)", NULL, NULL, NULL), SQLITE_OK);
    int64_t rowid = 0;
    assert_int_equal(db_execf(db, &err, &rowid, "INSERT INTO b VALUES (?, ?, ?, ?)", "tiot",
                              "x'); DROP TABLE b; --", (int64_t)7, (int64_t)-1, (const char *)NULL), 0);
    assert_int_equal(rowid, 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM b WHERE t LIKE 'x%' AND i = 7 "
                                   "AND o IS NULL AND n IS NULL"), 1);
    assert_int_equal(db_execf(db, &err, NULL, "INSERT INTO nope VALUES (?)", "i", (int64_t)1), -1);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(creates_with_modes_identity_and_wal, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(read_only_never_creates, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(refuses_foreign_and_newer_databases, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(garbage_and_symlinks_are_refused, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(binds_every_type, make_scratch, remove_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
