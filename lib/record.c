#include "record.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "event_syslog.h"
#include "eventlog.h"
#include "files.h"
#include "held_lines.h"
#include "linehash.h"
#include "record_group.h"
#include "strbuf.h"

static void append_log(struct recorder *rec, const char *path, const struct strbuf *line);

/* A line about the record itself (the database or a log file failing, a
 * wait for the lock): straight to fence-events.log, syslog and stderr,
 * outside any step. The recorder's stderr goes nowhere, so syslog is its
 * loud channel. */
static void say_out_of_band(struct recorder *rec, const char *level, const char *msg,
                            bool to_main_log)
{
    fprintf(stderr, "fence_recorder: %s: %s\n", level, msg);
    if (rec->to_syslog)
        event_syslog(true, msg);
    if (!to_main_log)
        return;
    struct stamp now;
    stamp_now(&now);
    struct strbuf line = STRBUF_INIT;
    render_log_line(&line, now.local, level, msg);
    append_log(rec, rec->paths.main_log, &line);
    strbuf_release(&line);
}

/* Called when a log file cannot be written: stderr always (even quiet),
 * because the fence outcome does not depend on logs but the admin must
 * know; and, for a recorder whose stderr goes nowhere, fence-events.log
 * (unless that is the file that failed) and syslog. */
static void log_write_failed(struct recorder *rec, const char *path, const struct error *err)
{
    char msg[sizeof err->msg + 32];
    snprintf(msg, sizeof msg, "log write failed: %s", err->msg);
    if (rec->log_failure_reported) {
        fprintf(stderr, "fence_recorder: ERROR: %s\n", msg);
        return;   /* said once per run where it outlives stderr */
    }
    rec->log_failure_reported = true;
    say_out_of_band(rec, "ERROR", msg, path && strcmp(path, rec->paths.main_log) != 0);
}

static void append_log(struct recorder *rec, const char *path, const struct strbuf *line)
{
    struct error err;
    if (!path[0]) {
        errorf(&err, "log path is too long");
        log_write_failed(rec, NULL, &err);
        return;
    }
    if (strbuf_failed(line)) {
        errorf(&err, "out of memory rendering a line for %s", path);
        log_write_failed(rec, NULL, &err);
        return;
    }
    if (file_append_new(path, line->data, line->len, MODE_LOG, record_log_grant, &err) != 0)
        log_write_failed(rec, path, &err);
}

/* The three files a step writes to, in the order their lines are held. */
enum log_file { LOG_MAIN, LOG_READABLE, LOG_JSONL };

static void log_file_path(const struct recorder *rec, enum log_file which, char *out, size_t size);

/* In a step, the line waits for the commit (recorder_step_end): a reader
 * that finds it in the file then finds its rows in the database. */
static void append_or_hold(struct recorder *rec, enum log_file which, const struct strbuf *line)
{
    if (rec->in_step && !strbuf_failed(line)) {
        strbuf_add(&rec->pending[which], line->data ? line->data : "", line->len);
        return;
    }
    char path[4096];
    log_file_path(rec, which, path, sizeof path);
    append_log(rec, path, line);
}

/* The step's held lines, one append per file. */
static void append_held(struct recorder *rec)
{
    for (int f = LOG_MAIN; f <= LOG_JSONL; f++) {
        if (rec->pending[f].len == 0 && !strbuf_failed(&rec->pending[f]))
            continue;
        char path[4096];
        log_file_path(rec, (enum log_file)f, path, sizeof path);
        append_log(rec, path, &rec->pending[f]);
        strbuf_reset(&rec->pending[f]);
    }
}

static void log_dir_path(const struct recorder *rec, const char *name, char *out, size_t size)
{
    if (path_join(out, size, rec->paths.log_dir, name, NULL) != 0)
        out[0] = '\0';
}

static void log_file_path(const struct recorder *rec, enum log_file which, char *out, size_t size)
{
    if (which == LOG_MAIN)
        snprintf(out, size, "%s", rec->paths.main_log);
    else
        log_dir_path(rec, which == LOG_READABLE ? LOG_FILE_READABLE : LOG_FILE_JSONL, out, size);
}

/* The database failed: say so everywhere once and stop using it. */
static void db_failed(struct recorder *rec, const struct error *err)
{
    bool first = !rec->db_failed;
    rec->db_failed = true;
    if (rec->db && rec->in_step)
        db_rollback(rec->db);
    if (!first)
        return;
    char msg[sizeof err->msg + 128];
    snprintf(msg, sizeof msg, "database unavailable, recording to log files only "
             "(restore with 'fencectl import'): %s", err->msg);
    say_out_of_band(rec, "ERROR", msg, true);
}

static void recorder_reacquire_db(struct recorder *rec);
static void recorder_time(const struct recorder *rec, struct stamp *out);

void recorder_open(struct recorder *rec, const struct paths *paths,
                   int busy_timeout_ms, enum verbosity verbosity)
{
    memset(rec, 0, sizeof *rec);
    rec->paths = *paths;
    rec->verbosity = verbosity;
    rec->busy_timeout_ms = busy_timeout_ms;
    paths_resolve(&rec->paths, rec->main_log_buf, sizeof rec->main_log_buf);
    struct error err;
    if (dir_ensure(rec->paths.log_dir, MODE_LOG_DIR, &err) != 0)
        log_write_failed(rec, NULL, &err);
    /* The database is opened at the first step, not here: the fence's
     * request must never wait for a database lock. */
}

void recorder_close(struct recorder *rec)
{
    if (rec->in_step)
        recorder_step_end(rec);
    db_close(rec->db);
    rec->db = NULL;
    for (int f = LOG_MAIN; f <= LOG_JSONL; f++)
        strbuf_release(&rec->pending[f]);
}

static void waiting_notice(struct recorder *rec, int64_t waited_ms, const struct error *err);

/* Opening (and migrating) waits as patiently as a step's BEGIN: another
 * process that holds the file only delays the record. */
static void recorder_reacquire_db(struct recorder *rec)
{
    if (rec->db_failed || rec->db)
        return;
    struct error err;
    int64_t started = monotonic_ms();
    for (;;) {
        enum db_open_status st = db_open(rec->paths.db_path, DB_READ_WRITE, rec->busy_timeout_ms,
                                         &rec->db, &err);
        if (st == DB_OPEN_OK) {
            record_db_share(rec->paths.db_path);   /* one from before the group existed */
            return;
        }
        rec->db = NULL;
        int64_t waited = monotonic_ms() - started;
        if (st != DB_OPEN_BUSY || waited >= rec->patience_ms) {
            db_failed(rec, &err);
            return;
        }
        waiting_notice(rec, waited, &err);
    }
}

bool recorder_db_usable(const struct recorder *rec)
{
    return rec->db && !rec->db_failed;
}

void recorder_set_patience(struct recorder *rec, int64_t patience_ms)
{
    rec->patience_ms = patience_ms;
}

void recorder_at(struct recorder *rec, const struct stamp *at)
{
    rec->at = at;
}

static void recorder_time(const struct recorder *rec, struct stamp *out)
{
    if (rec->at)
        *out = *rec->at;
    else
        stamp_now(out);
}

static void waiting_notice(struct recorder *rec, int64_t waited_ms, const struct error *err)
{
    char msg[sizeof err->msg + 256];
    snprintf(msg, sizeof msg, "the record of %s %s (operation %s) has waited %lld s for the "
             "database and keeps waiting up to %lld s: %s", rec->op.action ? rec->op.action : "?",
             rec->op.target_node ? rec->op.target_node : "?", rec->op.op_uuid,
             (long long)(waited_ms / 1000), (long long)(rec->patience_ms / 1000), err->msg);
    say_out_of_band(rec, "WARNING", msg, true);
}

/* The file a kept line's path names, or -1. */
static int log_file_of(const struct recorder *rec, const char *path)
{
    for (int f = LOG_MAIN; f <= LOG_JSONL; f++) {
        char p[4096];
        log_file_path(rec, (enum log_file)f, p, sizeof p);
        if (strcmp(p, path) == 0)
            return f;
    }
    return -1;
}

struct taking_back {
    struct recorder *rec;
    char files[512];
    char step_at[32];
};

static void take_back(void *ctx, const struct held_missing *m)
{
    struct taking_back *t = ctx;
    int f = log_file_of(t->rec, m->path);
    if (f < 0)
        return;   /* another writer's log directory: its own writer's business */
    strbuf_add(&t->rec->pending[f], m->lines, m->len);
    size_t used = strlen(t->files);
    snprintf(t->files + used, sizeof t->files - used, "%s%s", used ? ", " : "", m->path);
    snprintf(t->step_at, sizeof t->step_at, "%s", m->step_at ? m->step_at : "?");
}

/* The previous step's lines, where its writer died between its commit and
 * its log write: they go out first, with this step's, and a warning says
 * so. Called at the start of a step, holding the turn. */
static void take_back_lost_lines(struct recorder *rec)
{
    struct taking_back t = { .rec = rec };
    struct error err;
    int n = held_lines_missing(rec->db, take_back, &t, &err);
    if (n < 0) {
        db_failed(rec, &err);
        return;
    }
    if (n == 0 || !t.files[0])
        return;
    int64_t own = rec->operation_id;
    rec->operation_id = 0;   /* not a line of this operation */
    rec_log(rec, LOG_WARNING, "the log lines of a step committed at %s were missing from %s "
            "(its writer ended between its commit and its log write): written now, before "
            "this step's", t.step_at, t.files);
    rec->operation_id = own;
}

void recorder_step_begin(struct recorder *rec)
{
    if (rec->in_step)
        return;
    recorder_reacquire_db(rec);
    rec->in_step = true;
    struct error err;
    int64_t started = monotonic_ms();
    while (recorder_db_usable(rec)) {
        int rc = db_begin_write(rec->db, rec->busy_timeout_ms, &err);
        if (rc == 0) {
            take_back_lost_lines(rec);
            return;
        }
        int64_t waited = monotonic_ms() - started;
        if (rc != DB_BUSY || waited >= rec->patience_ms) {
            db_failed(rec, &err);
            return;
        }
        waiting_notice(rec, waited, &err);
    }
}

/* This step's lines, kept in its transaction until the next step's: if
 * this writer dies between its commit and its appends, the next one writes
 * them (take_back_lost_lines). */
static void keep_held(struct recorder *rec)
{
    struct error err;
    struct stamp now;
    stamp_now(&now);
    for (int f = LOG_MAIN; f <= LOG_JSONL && recorder_db_usable(rec); f++) {
        char path[4096];
        log_file_path(rec, (enum log_file)f, path, sizeof path);
        if (!path[0])
            continue;
        bool lines = rec->pending[f].len > 0 && rec->pending[f].len <= HELD_LINES_MAX &&
                     !strbuf_failed(&rec->pending[f]);
        if ((lines ? held_lines_keep(rec->db, path, strbuf_str(&rec->pending[f]), now.iso_ms, &err)
                   : held_lines_forget(rec->db, path, &err)) != 0)
            db_failed(rec, &err);
    }
}

/* Commits, then appends the step's lines while this writer still has its
 * turn: the files' order is the commits' order, and a line is never in a
 * file before its rows are in the database (fencectl check reads the files
 * and would report a line a writer has not committed yet). A step whose
 * database failed still writes its lines: the logs are then the record. */
void recorder_step_end(struct recorder *rec)
{
    if (!rec->in_step)
        return;
    struct error err;
    if (recorder_db_usable(rec))
        keep_held(rec);
    bool usable = recorder_db_usable(rec);
    if (usable && db_commit_keeping_turn(rec->db, &err) != 0)
        db_failed(rec, &err);
    rec->in_step = false;
    append_held(rec);
    if (usable && rec->db)
        db_end_turn(rec->db);
}

/* Runs one statement of the current step; a failure ends database use. */
#define REC_EXEC(rec, rowid, sql, types, ...)                                   \
    do {                                                                        \
        struct error exec_err_;                                                 \
        if (recorder_db_usable(rec) &&                                          \
            db_execf((rec)->db, &exec_err_, rowid, sql, types, __VA_ARGS__) != 0) \
            db_failed(rec, &exec_err_);                                         \
    } while (0)

static int64_t op_id_or_null(const struct recorder *rec)
{
    return rec->operation_id;
}

static void vlog(struct recorder *rec, enum log_level level, const char *fmt, va_list ap)
{
    struct strbuf msg = STRBUF_INIT;
    strbuf_vaddf(&msg, fmt, ap);
    record_to_stderr(rec->verbosity, level, strbuf_str(&msg));
    if (level == LOG_DEBUG && rec->verbosity != VERBOSITY_DEBUG) {
        strbuf_release(&msg);
        return;
    }
    bool own_step = !rec->in_step;
    if (own_step)
        recorder_step_begin(rec);
    struct stamp now;
    recorder_time(rec, &now);
    struct strbuf line = STRBUF_INIT;
    render_log_line(&line, now.local, log_level_name(level), strbuf_str(&msg));
    append_or_hold(rec, LOG_MAIN, &line);
    int64_t op = op_id_or_null(rec);
    REC_EXEC(rec, NULL, "INSERT INTO log_lines (operation_id, logged_at, local_time, level, message) "
             "VALUES (NULLIF(?, 0), ?, ?, ?, ?)", "itttt",
             op, now.iso_ms, now.local, log_level_name(level), strbuf_str(&msg));
    if (own_step)
        recorder_step_end(rec);
    strbuf_release(&line);
    strbuf_release(&msg);
}

void rec_log(struct recorder *rec, enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(rec, level, fmt, ap);
    va_end(ap);
}

void recorder_enable_syslog(struct recorder *rec)
{
    event_syslog_open();
    rec->to_syslog = true;
}

/* The readable line without its timestamp (syslog adds its own). */
static void event_to_syslog(const char *status, const struct strbuf *readable)
{
    const char *text = strbuf_str(readable);
    const char *body = strstr(text, "] ");
    body = body ? body + 2 : text;
    bool bad = strcmp(status, "failed") == 0 || strcmp(status, "timeout") == 0 ||
               strcmp(status, "terminated") == 0 || strcmp(status, "unfence-failed") == 0;
    char one_line[4096];
    snprintf(one_line, sizeof one_line, "%.*s", (int)strcspn(body, "\n"), body);
    event_syslog(bad, one_line);
}

void rec_event(struct recorder *rec, const char *status, const char *details_fmt, ...)
{
    struct strbuf details = STRBUF_INIT;
    va_list ap;
    va_start(ap, details_fmt);
    strbuf_vaddf(&details, details_fmt, ap);
    va_end(ap);

    bool own_step = !rec->in_step;
    if (own_step)
        recorder_step_begin(rec);
    struct stamp now;
    recorder_time(rec, &now);
    const struct operation *op = &rec->op;
    const char *fs = op->filesystems[0] ? op->filesystems : "[]";
    struct fence_event ev = {
        .local_time = now.local, .utc_time = now.iso_s,
        .action = op->action, .target_node = op->target_node,
        .status = status, .details = strbuf_str(&details),
        .recorder_node = op->recorder_node, .pacemaker_action = op->action,
        .filesystems = fs, .request_id = op->request_id[0] ? op->request_id : NULL,
    };
    struct strbuf line = STRBUF_INIT;
    render_readable(&line, &ev);
    append_or_hold(rec, LOG_READABLE, &line);
    if (rec->to_syslog)
        event_to_syslog(status, &line);
    strbuf_reset(&line);
    render_jsonl(&line, &ev);
    append_or_hold(rec, LOG_JSONL, &line);
    char hash[17];
    line_hash(line.data ? line.data : "", line.len, hash);
    REC_EXEC(rec, NULL, "INSERT INTO events (operation_id, logged_at, local_time, utc_time, "
             "action, target_node, status, details, recorder_node, pacemaker_action, "
             "filesystems, request_id, line_hash) "
             "VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             "itttttttttttt", op_id_or_null(rec), now.iso_ms, now.local, now.iso_s,
             ev.action, ev.target_node, ev.status, ev.details, ev.recorder_node,
             ev.pacemaker_action, ev.filesystems, ev.request_id, hash);
    if (own_step)
        recorder_step_end(rec);
    strbuf_release(&line);
    strbuf_release(&details);
}

void rec_adopt_by_uuid(struct recorder *rec, const char *op_uuid)
{
    if (!recorder_db_usable(rec))
        return;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(rec->db, "SELECT id FROM operations WHERE op_uuid = ?", -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, op_uuid, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        rec->operation_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
}

void rec_operation_start(struct recorder *rec, const struct stamp *started)
{
    const struct operation *op = &rec->op;
    int64_t id = 0;
    int64_t agent_pid = op->agent_pid ? op->agent_pid : (int64_t)getpid();
    REC_EXEC(rec, &id, "INSERT INTO operations (op_uuid, action, target_node, recorder_node, "
             "requested_by, agent_pid, recorder_pid, started_at, filesystems) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             "tttttiitt", op->op_uuid, op->action, op->target_node, op->recorder_node,
             op->requested_by, agent_pid, (int64_t)getpid(), started->iso_ms,
             op->filesystems[0] ? op->filesystems : NULL);
    if (recorder_db_usable(rec))
        rec->operation_id = id;
}

void rec_operation_finish(struct recorder *rec, const char *status, int exit_code,
                          const char *message)
{
    struct stamp now;
    stamp_now(&now);
    REC_EXEC(rec, NULL, "UPDATE operations SET finished_at = ?, status = ?, exit_code = ?, "
             "message = ? WHERE id = ?", "ttiti", now.iso_ms, status, (int64_t)exit_code,
             message, op_id_or_null(rec));
}

void rec_operation_outcome(struct recorder *rec, const struct outcome_facts *f)
{
    struct stamp now;
    recorder_time(rec, &now);
    bool exited = strcmp(f->agent_end, "exited") == 0;
    REC_EXEC(rec, NULL, "UPDATE operations SET finished_at = ?, status = ?, exit_code = ?, "
             "message = ?, agent_end = ?, response_success = ?, duration_ms = ? WHERE id = ?",
             "ttottooi", now.iso_ms, f->status, (int64_t)(exited ? f->exit_code : -1),
             f->message, f->agent_end, (int64_t)f->response_success, f->duration_ms,
             op_id_or_null(rec));
}

void rec_operation_filesystems(struct recorder *rec, const char *json_array)
{
    REC_EXEC(rec, NULL, "UPDATE operations SET filesystems = ? WHERE id = ?", "ti",
             json_array, op_id_or_null(rec));
}

void rec_request(struct recorder *rec, const char *file_name, const char *body,
                 const struct stamp *written)
{
    if (!rec->operation_id)
        return;
    REC_EXEC(rec, NULL, "INSERT INTO requests (operation_id, request_id, file_name, body, "
             "written_at) VALUES (?, ?, ?, ?, ?)", "itttt", rec->operation_id,
             rec->op.request_id, file_name, body, written->iso_ms);
}

int rec_response(struct recorder *rec, const char *file_name, const char *body,
                 const struct response *parsed, const char *source)
{
    struct stamp now;
    recorder_time(rec, &now);   /* when the agent read it */
    const struct response none = { 0 };
    const struct response *r = parsed ? parsed : &none;
    REC_EXEC(rec, NULL, "INSERT INTO responses (operation_id, file_name, body, request_id, "
             "target_node, success, message, action_performed, source, recorded_at) "
             "VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ittttottt" "t",
             op_id_or_null(rec), file_name, body, r->request_id, r->target_node,
             (int64_t)(parsed ? r->success : -1), r->message, r->action_performed,
             source, now.iso_ms);
    return recorder_db_usable(rec) ? 0 : -1;
}

void rec_discovery(struct recorder *rec, int method, const char *command,
                   const struct stamp *started, int64_t duration_ms,
                   const char *outcome, const char *result_json, const char *error,
                   const char *shared_from)
{
    if (!rec->operation_id)
        return;
    REC_EXEC(rec, NULL, "INSERT INTO discoveries (operation_id, method, command, started_at, "
             "duration_ms, outcome, result, error, shared_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             "iittitt" "tt", rec->operation_id, (int64_t)method, command, started->iso_ms,
             duration_ms, outcome, result_json, error, shared_from);
}

void rec_cluster_state(struct recorder *rec, const struct cluster_state_row *row)
{
    if (!rec->operation_id)
        return;
    /* The columns come out of the helper's object (?6) in SQL, so the row
     * and raw can never disagree. */
    REC_EXEC(rec, NULL, "INSERT INTO cluster_states (operation_id, captured_at, source, "
             "shared_from, error, raw, known, membership, online, unclean, pending, standby, "
             "maintenance, shutdown, expected_up, is_dc, node_type, last_seen, quorum, dc, stack, "
             "failed_actions, fail_counts, requester_service, parent_pid, parent_process, "
             "parent_cmdline, read_when) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
             "?6 IS NOT NULL AND json_extract(?6, '$.membership') <> 'unknown', "
             "json_extract(?6, '$.membership'), json_extract(?6, '$.online'), "
             "json_extract(?6, '$.unclean'), json_extract(?6, '$.pending'), "
             "json_extract(?6, '$.standby'), json_extract(?6, '$.maintenance'), "
             "json_extract(?6, '$.shutdown'), json_extract(?6, '$.expected_up'), "
             "json_extract(?6, '$.is_dc'), json_extract(?6, '$.type'), "
             "json_extract(?6, '$.last_seen'), json_extract(?6, '$.quorum'), "
             "json_extract(?6, '$.dc'), json_extract(?6, '$.stack'), "
             "json(json_extract(?6, '$.failed_actions')), json(json_extract(?6, '$.fail_counts')), "
             "?7, NULLIF(?8, 0), ?9, ?10, ?11)",
             "ittttttittt", rec->operation_id, row->captured->iso_ms, row->source,
             row->shared_from, row->error, row->state_json, row->requester_service,
             (int64_t)row->parent_pid, row->parent_process, row->parent_cmdline,
             row->read_when);
}

/* A fencing event without Pacemaker's operation id (read from the
 * fencers' history) is one already recorded when a fencing event of the
 * same target, action and executor is within this many seconds of it. */
#define CLUSTER_EVENT_SAME_S "10"

/* SQL: cluster_events row e is that same fence, the event's target,
 * action, executor and time being the statement's parameters node,
 * action, executor and at. Said once for the insert and the merge. */
#define SAME_FENCE(e, node, action, executor, at)                                        \
    e ".kind = 'fencing' AND " e ".node = " node " AND " e ".action IS " action " AND " e  \
    ".executor IS " executor " AND abs(julianday(" e ".happened_at) - julianday(" at    \
    ")) * 86400 <= " CLUSTER_EVENT_SAME_S

/* An alert of a fence this node has already recorded from the fencers'
 * history: every member alert and every alert about this node read it,
 * and such a read may come between a fence's end and that fence's own
 * alert. The history's row takes the alert's fields (Pacemaker's id among
 * them), so the fence stays one row whichever came first. 1: merged. */
static int merge_alert_into_history_row(struct recorder *rec, const struct cluster_event_row *row)
{
    if (!row->ref || strcmp(row->kind, "fencing") != 0)
        return 0;
    REC_EXEC(rec, NULL, "UPDATE OR IGNORE cluster_events SET ref = ?1, client = ?2, origin = ?3, "
             "result = ?4, rc = ?5, description = ?6, happened_at = ?7, source = ?8 WHERE id = "
             "(SELECT e.id FROM cluster_events e WHERE e.ref IS NULL AND e.source = 'history' AND "
             SAME_FENCE("e", "?9", "?10", "?11", "?7")
             " ORDER BY abs(julianday(e.happened_at) - julianday(?7)) LIMIT 1) AND NOT EXISTS "
             "(SELECT 1 FROM cluster_events d WHERE d.kind = 'fencing' AND d.ref = ?1)",
             "ttttotttttt", row->ref, row->client, row->origin, row->result, (int64_t)row->rc,
             row->description, row->happened->iso_ms, row->source, row->node, row->action,
             row->executor);
    if (!recorder_db_usable(rec))
        return -1;
    return sqlite3_changes(rec->db) > 0 ? 1 : 0;
}

int rec_cluster_event(struct recorder *rec, const struct cluster_event_row *row)
{
    struct stamp now;
    stamp_now(&now);
    int merged = merge_alert_into_history_row(rec, row);
    if (merged != 0)
        return merged < 0 ? -1 : 0;
    int64_t rc = row->rc;
    REC_EXEC(rec, NULL, "INSERT OR IGNORE INTO cluster_events (kind, node, node_id, action, "
             "executor, client, origin, result, rc, ref, description, happened_at, recorded_at, "
             "recorded_on, source, severity, detail) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
             "NULLIF(?9, -1), ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17 WHERE ?10 IS NOT NULL "
             "OR ?1 <> 'fencing' OR NOT EXISTS (SELECT 1 FROM cluster_events e WHERE "
             SAME_FENCE("e", "?2", "?4", "?5", "?12") ")", "ttttttttitttttttt", row->kind, row->node, row->node_id,
             row->action, row->executor, row->client, row->origin, row->result, rc < 0 ? -1 : rc,
             row->ref, row->description, row->happened->iso_ms, now.iso_ms, row->recorded_on,
             row->source, row->severity ? row->severity : "info", row->detail);
    if (!recorder_db_usable(rec))
        return -1;
    return sqlite3_changes(rec->db) > 0 ? 1 : 0;
}
