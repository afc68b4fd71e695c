/* fencectl import FILE: load a fence-events-detailed.jsonl, ours or the
 * original Python agent's, into the events table. Idempotent: a line
 * whose hash is already recorded (imported before, or written by the
 * agent itself) is skipped. One transaction for the whole file. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "db.h"
#include "jsonw.h"
#include "linehash.h"
#include "strbuf.h"

static const char usage_text[] = "Usage: fencectl import FILE\n"
    "  Loads fence-events-detailed.jsonl lines into the database; lines already\n"
    "  there are skipped, so importing twice changes nothing.\n";

struct import_counts {
    long imported, skipped, rejected, operations;
};

static bool is_terminal(const char *status)
{
    static const char *const terminal[] = { "completed", "failed", "timeout", "terminated",
                                            "unfenced", "unfence-failed" };
    for (size_t i = 0; i < sizeof terminal / sizeof terminal[0]; i++)
        if (strcmp(status, terminal[i]) == 0)
            return true;
    return false;
}

static const char *operation_status(const char *event_status)
{
    if (strcmp(event_status, "unfenced") == 0)
        return "completed";
    if (strcmp(event_status, "unfence-failed") == 0)
        return "failed";
    return event_status;
}

/* The operation an imported event belongs to. Our lines carry the
 * request id; the original agent's do not, so a "requested" (or
 * "initiated") line opens an operation whose id is derived from the
 * line's hash (stable across re-imports) and the next terminal line for
 * the same node and recorder closes it. Returns the row id, 0 if none. */
static int64_t operation_for(sqlite3 *db, const char *request_id, const char *hash,
                                   const char *action, const char *target, const char *recorder,
                                   const char *utc, const char *status, const char *details,
                                   struct import_counts *n, struct error *err)
{
    char derived[37];
    const char *uuid = request_id;
    sqlite3_stmt *st;
    int64_t id = 0;
    if (!uuid && !is_terminal(status)) {
        snprintf(derived, sizeof derived, "%.8s-%.4s-4000-8000-%.8s0000", hash, hash + 8, hash + 8);
        uuid = derived;
    }
    const char *find = uuid ? "SELECT id FROM operations WHERE op_uuid = ?1"
        : "SELECT id FROM operations WHERE target_node = ?2 AND recorder_node = ?3 "
          "AND status = 'running' AND requested_by = 'import' ORDER BY started_at DESC LIMIT 1";
    if (sqlite3_prepare_v2(db, find, -1, &st, NULL) != SQLITE_OK)
        return errorf(err, "%s", sqlite3_errmsg(db)), -1;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, recorder, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!id) {
        if (!uuid) {
            snprintf(derived, sizeof derived, "%.8s-%.4s-4000-8000-%.8s0000", hash, hash + 8, hash + 8);
            uuid = derived;
        }
        if (db_execf(db, err, &id, "INSERT INTO operations (op_uuid, action, target_node, "
                     "recorder_node, requested_by, agent_pid, started_at) VALUES (?, ?, ?, ?, "
                     "'import', 0, ?)", "ttttt", uuid, action, target, recorder, utc) != 0)
            return -1;
        n->operations++;
    }
    if (is_terminal(status) &&
        db_execf(db, err, NULL, "UPDATE operations SET finished_at = ?, status = ?, exit_code = ?, "
                 "message = ? WHERE id = ? AND status = 'running'", "ttiti", utc,
                 operation_status(status), (int64_t)(strcmp(operation_status(status), "completed") != 0),
                 details, (int64_t)id) != 0)
        return -1;
    return id;
}

static const char *str_field(const cJSON *o, const char *key, const char *fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : fallback;
}

/* "filesystems" (ours) or "gfs2_filesystems" (the gfs2 variant), as the
 * agent renders arrays. */
static void filesystems_text(const cJSON *o, struct strbuf *sb)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "filesystems");
    if (!cJSON_IsArray(arr))
        arr = cJSON_GetObjectItemCaseSensitive(o, "gfs2_filesystems");
    const char *items[256];
    size_t n = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        if (n < 256 && cJSON_IsString(item))
            items[n++] = item->valuestring;
    }
    json_add_string_array(sb, items, n, ", ");
}

/* The text logs show local time; the jsonl carries UTC. */
static void local_from_utc(const char *utc, char *out, size_t size)
{
    struct tm tm = { 0 };
    const char *rest = strptime(utc, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest) {
        snprintf(out, size, "%.19s", utc);
        return;
    }
    time_t t = timegm(&tm);
    localtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
}

static int import_line(sqlite3 *db, const char *line, size_t len, struct import_counts *n,
                       struct error *err)
{
    char hash[17];
    line_hash(line, len, hash);
    int64_t exists = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events WHERE line_hash = ?", -1, &st, NULL) != SQLITE_OK)
        return errorf(err, "%s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        exists = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (exists) {
        n->skipped++;
        return 0;
    }
    cJSON *o = cJSON_ParseWithLength(line, len);
    const char *utc = str_field(o, "timestamp", NULL), *action = str_field(o, "action", NULL);
    const char *target = str_field(o, "target_node", NULL), *status = str_field(o, "status", NULL);
    if (!cJSON_IsObject(o) || !utc || !action || !target || !status) {
        cJSON_Delete(o);
        n->rejected++;
        return 1;
    }
    char local[32];
    local_from_utc(utc, local, sizeof local);
    const char *details = str_field(o, "details", ""), *recorder = str_field(o, "recorder_node", "");
    const char *request_id = str_field(o, "request_id", NULL);
    int64_t op = operation_for(db, request_id, hash, action, target, recorder, utc, status,
                                     details, n, err);
    struct strbuf fs = STRBUF_INIT;
    filesystems_text(o, &fs);
    int rc = op < 0 ? -1 : db_execf(db, err, NULL, "INSERT INTO events (operation_id, logged_at, "
        "local_time, utc_time, action, target_node, status, details, recorder_node, pacemaker_action, "
        "filesystems, request_id, origin, line_hash) "
        "VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'import', ?)", "itttttttttttt",
        (int64_t)op, utc, local, utc, action, target, status, details, recorder,
        str_field(o, "pacemaker_action", action), strbuf_str(&fs), request_id, hash);
    if (rc == 0 && op > 0)
        rc = db_execf(db, err, NULL, "UPDATE operations SET filesystems = ? WHERE id = ?", "ti",
                      strbuf_str(&fs), (int64_t)op);
    strbuf_release(&fs);
    cJSON_Delete(o);
    if (rc == 0)
        n->imported++;
    return rc;
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return EXIT_FAILURE_RT;
    }
    sqlite3 *db;
    struct error err;
    enum db_open_status st = db_open(cli->paths.db_path, DB_READ_WRITE, cli->db_timeout_ms, &db, &err);
    if (st != DB_OPEN_OK || db_begin_write(db, cli->db_timeout_ms, &err) != 0) {
        fprintf(stderr, "fencectl import: %s\n", err.msg);
        if (st == DB_OPEN_OK)
            db_close(db);
        fclose(in);
        return st == DB_OPEN_INCOMPATIBLE ? EXIT_NO_DATABASE : EXIT_FAILURE_RT;
    }
    struct import_counts n = { 0 };
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    int rc = 0;
    while (rc >= 0 && (len = getline(&line, &cap, in)) > 0) {
        lineno++;
        if (strspn(line, " \t\r\n") == (size_t)len)
            continue;
        rc = import_line(db, line, (size_t)len, &n, &err);
        if (rc > 0 && n.rejected <= 5)
            fprintf(stderr, "fencectl import: %s:%ld: not a fence event line; skipped\n", argv[1], lineno);
    }
    free(line);
    fclose(in);
    if (rc < 0 || db_commit(db, &err) != 0) {
        db_rollback(db);
        db_close(db);
        fprintf(stderr, "fencectl import: %s; nothing imported\n", err.msg);
        return EXIT_FAILURE_RT;
    }
    db_close(db);
    printf("imported %ld event(s), %ld already present, %ld rejected; %ld operation(s) reconstructed\n",
           n.imported, n.skipped, n.rejected, n.operations);
    return EXIT_OK;
}
