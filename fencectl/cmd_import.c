/* fencectl import FILE: load a fence-events-detailed.jsonl, ours or the
 * original Python agent's, into the events table, one transaction for the
 * whole file.
 *
 * Lossless and idempotent: a line that occurs N times in the file is N
 * events (three unfences of a node in one second are three lines alike),
 * and the j-th occurrence is imported only if the database holds fewer
 * than j events with that line's identity. The identity is the hash of the
 * line export would write for the event (what the agent stores for the
 * lines it writes), so re-importing a file, or our own export of imported
 * Python lines, adds nothing. Lines imported by earlier versions carry the
 * hash of the file's raw line; both are counted.
 *
 * Junk is rejected line by line (stderr: file:line: why), the valid lines
 * are imported, and the exit status is 1 if any line was rejected. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "db.h"
#include "db_stmt_cache.h"
#include "import_line.h"
#include "linehash.h"
#include "strbuf.h"
#include "timeparse.h"

static const char usage_text[] = "Usage: fencectl import FILE\n"
    "       fencectl import --from-files [--older-than DUR]\n"
    "  Loads fence-events-detailed.jsonl lines into the database. A line that\n"
    "  occurs N times is N events; lines already there are skipped, so importing\n"
    "  a file twice, or our own export, changes nothing. Invalid lines are\n"
    "  reported with their line numbers and skipped (exit 1).\n"
    "  --from-files rebuilds the operations of this node's fences whose request\n"
    "  or response file is there but whose record is not (fencectl check names\n"
    "  them), from those files, if older than DUR (default 10m: a recorder may\n"
    "  still be waiting for a locked database that long).\n";

/* Rejected lines listed one by one on stderr before the rest are counted. */
#define REJECTS_LISTED 50

struct import_run {
    sqlite3 *db;
    struct db_stmt_cache stmts;   /* eight statements per line, prepared once */
    const char *file;
    long long line_offset;        /* where the current line starts in the file */
    long imported, skipped, rejected, operations;
};

static int query_count(struct import_run *r, const char *sql, const char *a, const char *b,
                       int64_t *n, struct error *err)
{
    sqlite3_stmt *st = db_stmt_cached(&r->stmts, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW)
        errorf(err, "%s", sqlite3_errmsg(r->db));
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Which occurrence of its identity this line is in the file (1, 2, ...),
 * and how many events of that identity the database holds already. */
static int occurrence(struct import_run *r, const struct import_event *ie, int64_t *nth,
                      int64_t *present, struct error *err)
{
    if (db_cached_execf(&r->stmts, err, NULL, "INSERT INTO temp.seen (hash, n) VALUES (?, 1) "
                        "ON CONFLICT (hash) DO UPDATE SET n = n + 1", "t", ie->canonical_hash) != 0 ||
        query_count(r, "SELECT n FROM temp.seen WHERE hash = ?1", ie->canonical_hash, NULL,
                    nth, err) != 0)
        return -1;
    return query_count(r, "SELECT count(*) FROM events WHERE line_hash = ?1 "
                       "OR (?2 <> ?1 AND line_hash = ?2)", ie->canonical_hash, ie->raw_hash,
                       present, err);
}

/* The id of an operation the original agent's lines (no request id) open:
 * from the line's identity and its occurrence, so two identical lines
 * open two operations, and the same again on every re-import. */
static void derived_uuid(const char *hash, int64_t nth, char out[37])
{
    char h[17];
    if (nth > 1) {
        char seed[40];
        int len = snprintf(seed, sizeof seed, "%s#%lld", hash, (long long)nth);
        line_hash(seed, (size_t)len, h);
        hash = h;
    }
    snprintf(out, 37, "%.8s-%.4s-4000-8000-%.8s0000", hash, hash + 8, hash + 8);
}

static int64_t find_operation(struct import_run *r, const char *sql, const struct fence_event *ev,
                              const char *uuid, struct error *err)
{
    int64_t id = 0;
    sqlite3_stmt *st = db_stmt_cached(&r->stmts, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ev->target_node, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ev->recorder_node, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ev->action, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        id = errorf(err, "%s", sqlite3_errmsg(r->db));
    sqlite3_reset(st);
    return id;
}

static const char op_by_uuid_sql[] = "SELECT id FROM operations WHERE op_uuid = ?1";

/* The operation of a request id, if it is another node's fence (another
 * target or recorder): a line that would merge two fences into one. */
static const char op_of_another_node_sql[] =
    "SELECT id FROM operations WHERE op_uuid = ?1 AND (target_node <> ?2 COLLATE NOCASE "
    "OR recorder_node <> ?3)";

/* operation_for's answer for a line that must be refused, not stored. */
#define OPERATION_REFUSED (-2)

/* An imported operation of the original agent still open for this node,
 * recorder and action: the oldest closes first, so two fences of a node
 * in one second both end. */
static const char open_import_sql[] =
    "SELECT id FROM operations WHERE ?1 IS NULL AND target_node = ?2 AND recorder_node = ?3 "
    "AND action = ?4 AND status = 'running' AND requested_by = 'import' ORDER BY started_at, id LIMIT 1";

/* The operation an imported event belongs to: by request id (ours), or
 * for the original agent's lines a "requested"/"initiated" line opens one
 * and the next terminal line for the same node, recorder and action
 * closes it; a terminal line with nothing open is an operation of its own
 * (an unfence). Returns the row id, 0 for none, -1 on error. */
static int64_t operation_for(struct import_run *r, const struct import_event *ie, int64_t nth,
                             struct error *err)
{
    const struct fence_event *ev = &ie->ev;
    bool terminal = import_status_terminal(ev->status);
    bool opens = strcmp(ev->status, "requested") == 0 || strcmp(ev->status, "initiated") == 0;
    char uuid[37];
    int64_t id = 0;
    if (ev->request_id) {
        id = find_operation(r, op_of_another_node_sql, ev, ev->request_id, err);
        if (id != 0)
            return id < 0 ? -1 : OPERATION_REFUSED;
        id = find_operation(r, op_by_uuid_sql, ev, ev->request_id, err);
    }
    else if (!opens)
        id = find_operation(r, open_import_sql, ev, NULL, err);
    if (id < 0)
        return -1;
    if (!id && (ev->request_id || opens || terminal)) {
        if (ev->request_id)
            snprintf(uuid, sizeof uuid, "%s", ev->request_id);
        else
            derived_uuid(ie->canonical_hash, nth, uuid);
        if (db_cached_execf(&r->stmts, err, &id, "INSERT INTO operations (op_uuid, action, target_node, "
                     "recorder_node, requested_by, agent_pid, started_at) VALUES (?, ?, ?, ?, "
                     "'import', 0, ?) ON CONFLICT (op_uuid) DO NOTHING", "ttttt", uuid, ev->action,
                     ev->target_node, ev->recorder_node, ie->logged_at) != 0)
            return -1;
        if (sqlite3_changes(r->db) == 0)   /* an id another line derived: share it */
            id = find_operation(r, op_by_uuid_sql, ev, uuid, err);
        else
            r->operations++;
    }
    bool unfence = strncmp(ev->status, "unfence", 7) == 0;
    const char *op_status = unfence ? (strcmp(ev->status, "unfenced") == 0 ? "completed" : "failed")
                                    : ev->status;
    if (id > 0 && terminal &&
        db_cached_execf(&r->stmts, err, NULL, "UPDATE operations SET finished_at = ?, status = ?, exit_code = ?, "
                 "message = ? WHERE id = ? AND status = 'running'", "ttiti", ie->logged_at, op_status,
                 (int64_t)(strcmp(op_status, "completed") != 0), ev->details, id) != 0)
        return -1;
    return id;
}

static int store_event(struct import_run *r, const struct import_event *ie, int64_t op,
                       struct error *err)
{
    const struct fence_event *ev = &ie->ev;
    if (db_cached_execf(&r->stmts, err, NULL, "INSERT INTO events (operation_id, logged_at, local_time, "
                 "utc_time, action, target_node, status, details, recorder_node, pacemaker_action, "
                 "filesystems, request_id, origin, line_hash) "
                 "VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'import', ?)", "itttttttttttt",
                 op, ie->logged_at, ev->local_time, ev->utc_time, ev->action, ev->target_node,
                 ev->status, ev->details, ev->recorder_node, ev->pacemaker_action, ev->filesystems,
                 ev->request_id, ie->canonical_hash) != 0)
        return -1;
    if (op > 0 && strcmp(ev->filesystems, "[]") != 0 &&
        db_cached_execf(&r->stmts, err, NULL, "UPDATE operations SET filesystems = ? WHERE id = ?", "ti",
                 ev->filesystems, op) != 0)
        return -1;
    r->imported++;
    return 0;
}

static void reject(struct import_run *r, long lineno, const char *why)
{
    if (++r->rejected <= REJECTS_LISTED)
        fprintf(stderr, "fencectl import: %s:%ld: rejected: %s (the line starts at byte %lld)\n",
                r->file, lineno, why, r->line_offset);
}

/* 0 imported or skipped, 1 rejected, -1 database error (abort). */
static int import_line(struct import_run *r, const char *line, size_t len, long lineno,
                       struct error *err)
{
    struct import_event ie;
    const char *why;
    if (import_event_parse(&ie, line, len, &why) != 0) {
        reject(r, lineno, why);
        return 1;
    }
    int64_t nth = 0, present = 0, op = 0;
    int rc = occurrence(r, &ie, &nth, &present, err);
    if (rc == 0 && nth <= present)
        r->skipped++;
    else if (rc == 0 && (op = operation_for(r, &ie, nth, err)) == OPERATION_REFUSED) {
        char why_buf[256];
        snprintf(why_buf, sizeof why_buf, "request_id %s already belongs to a fence of another "
                 "node (target or recorder): not merged into it", ie.ev.request_id);
        reject(r, lineno, why_buf);
        rc = 1;
    } else if (rc == 0)
        rc = op < 0 ? -1 : store_event(r, &ie, op, err);
    import_event_release(&ie);
    return rc;
}

enum read_result { READ_LINE, READ_TOO_LONG, READ_END, READ_FAILED };

/* One line without its newline, at most IMPORT_LINE_MAX bytes; a longer
 * one is read to its end and discarded, so it costs no more memory. */
static enum read_result read_line(FILE *in, struct strbuf *line)
{
    strbuf_reset(line);
    int c;
    bool too_long = false;
    while ((c = getc_unlocked(in)) != EOF && c != '\n') {
        if (line->len < IMPORT_LINE_MAX)
            strbuf_addc(line, (char)c);
        else
            too_long = true;
    }
    if (ferror(in) || strbuf_failed(line))
        return READ_FAILED;
    if (c == EOF && line->len == 0 && !too_long)
        return READ_END;
    return too_long ? READ_TOO_LONG : READ_LINE;
}

static int import_stream(struct import_run *r, FILE *in, struct error *err)
{
    struct strbuf line = STRBUF_INIT;
    long lineno = 0;
    int rc = 0;
    enum read_result got;
    while (rc >= 0 && (r->line_offset = ftello(in), got = read_line(in, &line)) != READ_END) {
        lineno++;
        if (got == READ_FAILED) {
            rc = errorf_errno(err, "%s:%ld: cannot read", r->file, lineno);
        } else if (got == READ_TOO_LONG) {
            reject(r, lineno, "longer than " "4 MiB");
        } else if (line.len > 0 && strspn(line.data, " \t\r") != line.len) {
            rc = import_line(r, line.data, line.len, lineno, err);
        }
    }
    strbuf_release(&line);
    return rc < 0 ? -1 : 0;
}

static FILE *open_input(const char *path)
{
    FILE *in = fopen(path, "r");
    struct stat st;
    if (!in) {
        fprintf(stderr, "fencectl import: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(in), &st) != 0 || S_ISDIR(st.st_mode)) {
        fprintf(stderr, "fencectl import: %s is a directory; give the jsonl file\n", path);
        fclose(in);
        return NULL;
    }
    return in;
}

/* import --from-files [--older-than DUR] */
static int from_files(struct cli *cli, int argc, char **argv)
{
    int64_t older_than = 600;
    struct error err;
    if (argc == 4 && strcmp(argv[2], "--older-than") == 0) {
        if (parse_duration(argv[3], &older_than, &err) != 0) {
            fprintf(stderr, "fencectl import: %s\n", err.msg);
            return EXIT_USAGE;
        }
    } else if (argc != 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    return import_from_files(cli, (time_t)older_than);
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--from-files") == 0)
        return from_files(cli, argc, argv);
    if (argc != 2 || argv[1][0] == '-') {
        if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    FILE *in = open_input(argv[1]);
    if (!in)
        return EXIT_FAILURE_RT;
    struct import_run r = { .file = argv[1] };
    struct error err;
    enum db_open_status st = db_open(cli->paths.db_path, DB_READ_WRITE, cli->db_timeout_ms, &r.db, &err);
    if (st != DB_OPEN_OK || db_begin_write(r.db, cli->db_timeout_ms, &err) != 0 ||
        db_execf(r.db, &err, NULL, "CREATE TEMP TABLE IF NOT EXISTS seen "
                 "(hash TEXT PRIMARY KEY, n INTEGER NOT NULL)", "") != 0) {
        fprintf(stderr, "fencectl import: %s\n", err.msg);
        if (st == DB_OPEN_OK) {
            db_rollback(r.db);
            db_close(r.db);
        }
        fclose(in);
        return st == DB_OPEN_OK || st == DB_OPEN_FAILED || st == DB_OPEN_BUSY ? EXIT_FAILURE_RT : EXIT_NO_DATABASE;
    }
    db_stmt_cache_init(&r.stmts, r.db);
    int rc = import_stream(&r, in, &err);
    db_stmt_cache_release(&r.stmts);
    fclose(in);
    if (rc != 0 || db_commit(r.db, &err) != 0) {
        db_rollback(r.db);
        db_close(r.db);
        fprintf(stderr, "fencectl import: %s; nothing imported\n", err.msg);
        return EXIT_FAILURE_RT;
    }
    db_close(r.db);
    if (r.rejected > REJECTS_LISTED)
        fprintf(stderr, "fencectl import: %ld more rejected lines not listed\n",
                r.rejected - REJECTS_LISTED);
    printf("imported %ld event(s), %ld already present, %ld rejected; %ld operation(s) reconstructed\n",
           r.imported, r.skipped, r.rejected, r.operations);
    return r.rejected ? EXIT_FAILURE_RT : EXIT_OK;
}
