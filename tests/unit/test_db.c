/* The SQLite layer: creation, identity, migration guard, modes. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "db.h"
#include "record_group.h"
#include "db_stmt_cache.h"
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
    /* Shared with the group haclient where it exists (record_group.h). */
    bool shared = record_group() != (gid_t)-1 && geteuid() == 0;
    assert_int_equal(sb.st_mode & 0777, shared ? 0660 : 0600);
    assert_int_equal(stat(in_scratch("sub/dir"), &sb), 0);
    assert_int_equal(sb.st_mode & 07777, shared ? 02770 : 0700);
    if (shared)
        assert_int_equal(sb.st_gid, record_group());
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

/* The whole file, for before/after comparisons (small test files). */
static size_t slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, size, f);
    fclose(f);
    return n;
}

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static void assert_untouched(const char *path, const char *before, size_t before_len)
{
    static char after[1 << 16];
    char side[600];
    assert_int_equal(slurp(path, after, sizeof after), before_len);
    assert_memory_equal(after, before, before_len);
    for (const char *const *suffix = (const char *const[]){ "-queue", "-journal", NULL }; *suffix; suffix++) {
        snprintf(side, sizeof side, "%s%s", path, *suffix);
        assert_false(exists(side));
    }
}

/* Another application's database, with tables and no application_id, in
 * rollback and in WAL mode: refused by every mode, not changed by a byte,
 * not switched to WAL, no files of ours beside it. */
static void another_applications_tables_are_never_touched(void **state)
{
    (void)state;
    static char before[1 << 16];
    const char *modes[] = { "PRAGMA journal_mode = DELETE", "PRAGMA journal_mode = WAL" };
    for (int m = 0; m < 2; m++) {
        const char *path = in_scratch(m ? "app-wal.db" : "app.db");
        sqlite3 *raw;
        assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
        assert_int_equal(sqlite3_exec(raw, modes[m], NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_exec(raw, "CREATE TABLE customers(name); INSERT INTO customers "
                                      "VALUES ('x')", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(raw);   /* last close: checkpointed, -wal and -shm removed */
        size_t len = slurp(path, before, sizeof before);
        sqlite3 *db;
        struct error err;
        assert_int_equal(db_open(path, DB_READ_WRITE, 1000, &db, &err), DB_OPEN_INCOMPATIBLE);
        assert_non_null(strstr(err.msg, "not a fence_recorder database"));
        assert_untouched(path, before, len);
        assert_int_equal(db_open(path, DB_READ_ONLY, 1000, &db, &err), DB_OPEN_INCOMPATIBLE);
        assert_untouched(path, before, len);
        char side[600];
        snprintf(side, sizeof side, "%s-wal", path);
        assert_false(exists(side));
    }
}

/* Tables only in the WAL (not yet checkpointed): the main file looks
 * empty, SQLite's view is not; refused, and its WAL is left as it was. */
static void tables_still_in_the_wal_are_seen(void **state)
{
    (void)state;
    const char *path = in_scratch("pending.db");
    sqlite3 *raw;
    int on = 1;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA journal_mode = WAL", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_file_control(raw, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
    sqlite3_db_config(raw, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    static char main_before[1 << 16], wal_before[1 << 16];
    size_t len = slurp(path, main_before, sizeof main_before);
    size_t wal_len = slurp(in_scratch("pending.db-wal"), wal_before, sizeof wal_before);
    assert_true(wal_len > 0);
    sqlite3 *db;
    struct error err;
    assert_int_equal(db_open(path, DB_READ_WRITE, 1000, &db, &err), DB_OPEN_INCOMPATIBLE);
    assert_untouched(path, main_before, len);
    static char wal_after[1 << 16];
    assert_int_equal(slurp(in_scratch("pending.db-wal"), wal_after, sizeof wal_after), wal_len);
    assert_memory_equal(wal_after, wal_before, wal_len);
}

/* A 0-byte file, or an SQLite file with no table and application_id 0,
 * becomes ours; read-only it is reported as empty, not created into. */
static void empty_files_become_ours(void **state)
{
    (void)state;
    sqlite3 *db;
    struct error err;
    FILE *f = fopen(in_scratch("zero.db"), "w");
    fclose(f);
    assert_int_equal(db_open(in_scratch("zero.db"), DB_READ_ONLY, 1000, &db, &err), DB_OPEN_MISSING);
    assert_false(exists(in_scratch("zero.db-wal")));
    assert_int_equal(db_open(in_scratch("zero.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    assert_int_equal(query_int(db, "PRAGMA application_id"), SCHEMA_APPLICATION_ID);
    db_close(db);
    make_foreign(in_scratch("blank.db"), "VACUUM");
    assert_int_equal(db_open(in_scratch("blank.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    assert_int_equal(query_int(db, "PRAGMA user_version"), schema_migration_count);
    db_close(db);
}

/* Writers keep the -wal and -shm (no re-creation per process); a reader
 * of a copy (no -wal/-shm beside it) creates neither, and while it reads,
 * a writer waits instead of changing the file under it. */
static void writers_persist_the_wal_and_readers_of_copies_create_nothing(void **state)
{
    (void)state;
    sqlite3 *db, *reader;
    struct error err;
    const char *path = in_scratch("fr.db");
    assert_int_equal(db_open(path, DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    assert_int_equal(db_execf(db, &err, NULL, "INSERT INTO pruned_files (directory, file_name, "
                              "modified_at, pruned_at, reason) VALUES ('d', 'f', 'm', 'p', 'r')", ""), 0);
    db_close(db);
    assert_true(exists(in_scratch("fr.db-wal")));
    assert_true(exists(in_scratch("fr.db-shm")));
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, in_scratch("copy.db"));
    assert_int_equal(system(cmd), 0);
    assert_int_equal(db_open(in_scratch("copy.db"), DB_READ_ONLY, 1000, &reader, &err), DB_OPEN_OK);
    assert_int_equal(query_int(reader, "SELECT count(*) FROM pruned_files"), 1);
    assert_int_not_equal(db_open(in_scratch("copy.db"), DB_READ_WRITE, 300, &db, &err), DB_OPEN_OK);
    db_close(reader);
    assert_false(exists(in_scratch("copy.db-wal")));
    assert_false(exists(in_scratch("copy.db-shm")));
    assert_int_equal(db_open(in_scratch("copy.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    db_close(db);
    /* The live database (its -wal/-shm exist) is read the normal way. */
    assert_int_equal(db_open(path, DB_READ_ONLY, 1000, &reader, &err), DB_OPEN_OK);
    assert_int_equal(query_int(reader, "SELECT count(*) FROM pruned_files"), 1);
    db_close(reader);
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

/* Import's statements: each prepared once, reset after every run, and
 * a constraint failure reported without spoiling the next run. */
static void cached_statements_are_prepared_once_and_reset(void **state)
{
    (void)state;
    sqlite3 *db;
    struct error err;
    assert_int_equal(db_open(in_scratch("c.db"), DB_READ_WRITE, 1000, &db, &err), DB_OPEN_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TEMP TABLE c(k TEXT PRIMARY KEY, n)", NULL, NULL,
                                  NULL), SQLITE_OK);
    static const char insert[] = "INSERT INTO c VALUES (?, ?)";
    static const char count[] = "SELECT count(*), sum(n) FROM c";
    struct db_stmt_cache cache;
    db_stmt_cache_init(&cache, db);
    int64_t rowid = 0;
    for (int64_t i = 1; i <= 3; i++) {
        char key[8] = { 'k', (char)('0' + i), '\0' };
        assert_int_equal(db_cached_execf(&cache, &err, &rowid, insert, "ti", key, i), 0);
        assert_int_equal(rowid, i);
    }
    assert_int_equal(db_cached_execf(&cache, &err, NULL, insert, "ti", "k1", (int64_t)9), -1);
    assert_non_null(strstr(err.msg, "UNIQUE"));
    assert_int_equal(db_cached_execf(&cache, &err, NULL, insert, "ti", "k4", (int64_t)4), 0);
    sqlite3_stmt *st = db_stmt_cached(&cache, count, &err);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 4);
    assert_int_equal(sqlite3_column_int64(st, 1), 10);
    assert_ptr_equal(db_stmt_cached(&cache, count, &err), st);   /* reset, not prepared again */
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(cache.count, 2);
    assert_null(db_stmt_cached(&cache, "SELECT nope FROM nothing", &err));
    assert_non_null(strstr(err.msg, "cannot prepare"));
    db_stmt_cache_release(&cache);
    assert_int_equal(cache.count, 0);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(creates_with_modes_identity_and_wal, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(read_only_never_creates, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(refuses_foreign_and_newer_databases, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(garbage_and_symlinks_are_refused, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(another_applications_tables_are_never_touched, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(tables_still_in_the_wal_are_seen, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(empty_files_become_ours, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(writers_persist_the_wal_and_readers_of_copies_create_nothing, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(binds_every_type, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(cached_statements_are_prepared_once_and_reset, make_scratch, remove_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
