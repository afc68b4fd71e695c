#include "stale_operations.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "files.h"
#include "names.h"
#include "protocol.h"

#define STALE_MAX 64

/* A zombie is gone too: whoever reaps orphans (init, or a container's
 * first process) may be slow to, or never do it. */
static bool is_zombie(int64_t pid)
{
    char path[64], stat[256];
    snprintf(path, sizeof path, "/proc/%lld/stat", (long long)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *end_of_name = strrchr(stat, ')');
    return end_of_name && end_of_name[1] == ' ' && end_of_name[2] == 'Z';
}

static bool process_gone(int64_t pid)
{
    if (pid <= 0 || pid > INT32_MAX)
        return true;
    if (kill((pid_t)pid, 0) != 0)
        return errno == ESRCH;
    return is_zombie(pid);
}

/* Running operations of this host whose processes are all gone. A reused
 * pid makes one look alive: then it waits for a later sweep. */
static int find_stale(sqlite3 *db, const char *host, int64_t *ids)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(db, "SELECT id, agent_pid, recorder_pid FROM operations "
                           "WHERE status = 'running' AND recorder_node = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
    while (n < STALE_MAX && sqlite3_step(st) == SQLITE_ROW) {
        bool gone = process_gone(sqlite3_column_int64(st, 1)) &&
                    (sqlite3_column_type(st, 2) == SQLITE_NULL ||
                     process_gone(sqlite3_column_int64(st, 2)));
        if (gone)
            ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

/* What the storage system answered an abandoned fence, from its response
 * file if it is still there: 1 fenced, 0 refused, -1 no (valid) answer. */
static int storage_answer(const struct recorder *rec, const char *target, const char *uuid)
{
    char name[PROTOCOL_NAME_MAX + 1], path[4096];
    char *body = NULL;
    size_t len;
    struct response parsed = { 0 };
    int answer = -1;
    if (protocol_file_name(name, sizeof name, target, uuid, NULL) == 0 &&
        path_join(path, sizeof path, rec->paths.response_dir, name, NULL) == 0 &&
        file_read_limited(path, RESPONSE_MAX_BYTES, &body, &len, NULL) == READ_OK &&
        response_parse(body, len, uuid, target, &parsed, NULL) == RESPONSE_VALID)
        answer = parsed.success;
    response_free(&parsed);
    free(body);
    return answer;
}

/* An operation whose agent and recorder both ended before its outcome was
 * recorded: how the agent ended nobody saw, so the record says unknown
 * (never "killed", never "exited"); what the storage system answered is
 * known if its response file is still there. */
static int close_abandoned(struct recorder *rec, int64_t id, const char *now, struct error *err)
{
    char target[NODE_NAME_MAX + 1] = "", uuid[UUID_STR_LEN + 1] = "";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(rec->db, "SELECT target_node, op_uuid FROM operations WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return errorf(err, "%s", sqlite3_errmsg(rec->db));
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(target, sizeof target, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(uuid, sizeof uuid, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    int answer = target[0] ? storage_answer(rec, target, uuid) : -1;
    const char *storage = answer == 1 ? "the storage system answered success: the node is fenced"
                        : answer == 0 ? "the storage system refused the fence"
                        : "no answer from the storage system is on disk";
    char message[512];
    snprintf(message, sizeof message, "abandoned: its agent and its recorder ended before the "
             "outcome was recorded; how the agent ended (what Pacemaker saw) is unknown; %s",
             storage);
    return db_execf(rec->db, err, NULL, "UPDATE operations SET status = 'unknown', finished_at = ?, "
                    "agent_end = coalesce(agent_end, 'unknown'), response_success = "
                    "coalesce(response_success, ?), message = ? WHERE id = ? AND status = 'running'",
                    "toti", now, (int64_t)answer, message, id);
}

int stale_operations_close(struct recorder *rec)
{
    int64_t ids[STALE_MAX];
    if (!recorder_db_usable(rec) || !rec->op.recorder_node)
        return 0;
    int n = find_stale(rec->db, rec->op.recorder_node, ids);
    if (n == 0)
        return 0;
    struct stamp now;
    stamp_now(&now);
    int closed = 0;
    recorder_step_begin(rec);
    for (int i = 0; i < n && recorder_db_usable(rec); i++) {
        struct error err;
        if (close_abandoned(rec, ids[i], now.iso_ms, &err) != 0)
            break;
        closed += sqlite3_changes(rec->db);
    }
    if (closed)
        rec_log(rec, LOG_WARNING, "closed %d abandoned operation(s) still marked running whose "
                "agent and recorder are gone", closed);
    recorder_step_end(rec);
    return closed;
}
