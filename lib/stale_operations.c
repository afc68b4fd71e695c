#include "stale_operations.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "db.h"

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
        if (db_execf(rec->db, &err, NULL, "UPDATE operations SET status = 'terminated', "
                     "finished_at = ?, agent_end = coalesce(agent_end, 'killed'), message = "
                     "'abandoned: its agent and its recorder ended without recording an "
                     "outcome (the recorder was killed); the request and response files, "
                     "if any, are in fencectl orphans' WHERE id = ? AND status = 'running'",
                     "ti", now.iso_ms, ids[i]) != 0)
            break;
        closed += sqlite3_changes(rec->db);
    }
    if (closed)
        rec_log(rec, LOG_WARNING, "closed %d abandoned operation(s) still marked running whose "
                "agent and recorder are gone", closed);
    recorder_step_end(rec);
    return closed;
}
