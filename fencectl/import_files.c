/* fencectl import --from-files: the operations the record lost, rebuilt
 * from the fence's own request and response files (unrecorded.h): the
 * rows import writes (requested_by 'import', no agent pid), the request
 * and the response exactly as they are on disk (responses.source 'files'),
 * the outcome the storage system's answer gives and nothing more. A fence
 * with no readable answer stays without an outcome (check names it).
 * Idempotent: a request id already in the database is left alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "cli.h"
#include "identity.h"
#include "db.h"
#include "protocol.h"
#include "unrecorded.h"

static int rebuild(sqlite3 *db, const struct unrecorded_fence *f, const char *recorder,
                   long *rebuilt, struct error *err)
{
    struct response parsed = { 0 };
    struct error why;
    const struct fence_file *rs = &f->response, *rq = &f->request;
    bool answered = rs->body && response_parse(rs->body, rs->len, f->request_id, f->node,
                                               &parsed, &why) == RESPONSE_VALID;
    char started[32], finished[32], message[1200];
    if (f->timestamp[0])
        snprintf(started, sizeof started, "%s", f->timestamp);
    else
        audit_iso(rq->name[0] ? rq->mtime : rs->mtime, started);
    audit_iso(rs->mtime, finished);
    snprintf(message, sizeof message, "rebuilt from the request and response files%s%.1000s",
             answered && parsed.message ? ": " : answered ? "" : "; no valid answer: outcome unknown",
             answered && parsed.message ? parsed.message : "");
    int64_t op = 0;
    int rc = db_execf(db, err, &op, "INSERT INTO operations (op_uuid, action, target_node, "
                      "recorder_node, requested_by, agent_pid, started_at, finished_at, status, "
                      "exit_code, message, response_success) VALUES (?, ?, ?, ?, 'import', 0, ?, ?, "
                      "?, ?, ?, ?) ON CONFLICT (op_uuid) DO NOTHING", "tttttttoto",
                      f->request_id, f->action, f->node, recorder, started,
                      answered ? finished : NULL,
                      answered ? (parsed.success ? "completed" : "failed") : "running",
                      answered ? (int64_t)!parsed.success : -1, message,
                      answered ? (int64_t)parsed.success : -1);
    if (rc == 0 && sqlite3_changes(db) == 1) {
        (*rebuilt)++;
        if (rq->body)
            rc = db_execf(db, err, NULL, "INSERT INTO requests (operation_id, request_id, "
                          "file_name, body, written_at) VALUES (?, ?, ?, ?, ?)", "ittt" "t", op,
                          f->request_id, rq->name, rq->body, started);
        if (rc == 0 && rs->body)
            rc = db_execf(db, err, NULL, "INSERT INTO responses (operation_id, file_name, body, "
                          "request_id, target_node, success, message, action_performed, source, "
                          "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'files', ?)", "ittttottt",
                          op, rs->name, rs->body, f->request_id, f->node,
                          answered ? (int64_t)parsed.success : -1,
                          answered ? parsed.message : NULL,
                          answered ? parsed.action_performed : NULL, finished);
    }
    response_free(&parsed);
    return rc;
}

int import_from_files(struct cli *cli, time_t older_than)
{
    char host[256];
    struct error err;
    sqlite3 *db;
    if (!identity_host_name(host, sizeof host)) {
        fprintf(stderr, "fencectl import: cannot tell this node's name\n");
        return EXIT_FAILURE_RT;
    }
    enum db_open_status st = db_open(cli->paths.db_path, DB_READ_WRITE, cli->db_timeout_ms, &db, &err);
    if (st != DB_OPEN_OK) {
        fprintf(stderr, "fencectl import: %s\n", err.msg);
        return st == DB_OPEN_FAILED || st == DB_OPEN_BUSY ? EXIT_FAILURE_RT : EXIT_NO_DATABASE;
    }
    struct unrecorded u = { 0 };
    long rebuilt = 0;
    int rc = db_begin_write(db, cli->db_timeout_ms, &err) == 0 ? 0 : -1;
    if (rc == 0)
        rc = unrecorded_find(db, &cli->paths, host, time(NULL), older_than, &u, &err);
    for (size_t i = 0; rc == 0 && i < u.n; i++)
        rc = rebuild(db, &u.v[i], host, &rebuilt, &err);
    if (rc != 0 || db_commit(db, &err) != 0) {
        db_rollback(db);
        db_close(db);
        unrecorded_free(&u);
        fprintf(stderr, "fencectl import: %s; nothing rebuilt\n", err.msg);
        return EXIT_FAILURE_RT;
    }
    db_close(db);
    unrecorded_free(&u);
    printf("rebuilt %ld operation(s) from the request and response files of %s in %s and %s\n",
           rebuilt, host, cli->paths.request_dir, cli->paths.response_dir);
    return EXIT_OK;
}
