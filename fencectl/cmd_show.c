/* fencectl show ID: one operation's whole timeline, from every table
 * that mentions it, in time order. */
#include <string.h>

#include "attempts.h"
#include "cli.h"
#include "db.h"

static const char timeline_sql[] =
    "SELECT t, kind, detail FROM ("
    " SELECT started_at AS t, 0 AS o, 'operation' AS kind,"
    "   action || ' ' || target_node || ' requested by ' || requested_by || ' on ' || recorder_node"
    "   || ' (pid ' || agent_pid || ', operation ' || op_uuid || ')' AS detail, 0 AS seq"
    "   FROM operations WHERE id = ?1"
    " UNION ALL SELECT written_at, 1, 'request ' || file_name, body, 0 FROM requests WHERE operation_id = ?1"
    " UNION ALL SELECT logged_at, 2, 'log ' || level, message, id FROM log_lines WHERE operation_id = ?1"
    " UNION ALL SELECT logged_at, 2, 'event ' || status, details || ' FILESYSTEMS=' || filesystems, id"
    "   FROM events WHERE operation_id = ?1"
    " UNION ALL SELECT started_at, 3, 'discovery ' || method, command || ': ' || outcome || ' '"
    "   || result || ' in ' || duration_ms || ' ms' || coalesce(' (' || error || ')', ''), id"
    "   FROM discoveries WHERE operation_id = ?1"
    " UNION ALL SELECT recorded_at, 4, 'response (' || source || ') ' || file_name, body, id"
    "   FROM responses WHERE operation_id = ?1"
    " UNION ALL SELECT coalesce(finished_at, '9999'), 9, 'outcome',"
    "   status || coalesce(', exit ' || exit_code, '') || coalesce(', ' || " SQL_OPERATION_MS " || ' ms', '')"
    /* The two facts, where the record has them (schema 3): how the agent
     * ended as far as its recorder saw (it announces its exit code right
     * before it exits; Pacemaker reaps it, not the recorder), and what
     * the storage system answered. */
    "   || CASE WHEN agent_end IS NULL THEN '' ELSE ' [agent: '"
    "        || CASE agent_end WHEN 'killed' THEN 'killed before it announced an exit'"
    "           WHEN 'unknown' THEN 'unknown (its recorder died first)'"
    "           ELSE 'exit announced (code ' || exit_code || ')' END"
    "        || '; storage system: ' || CASE response_success WHEN 1 THEN 'fenced'"
    "        WHEN 0 THEN 'refused' ELSE 'no answer' END || ']' END"
    "   || coalesce(': ' || message, ''), 0"
    "   FROM operations WHERE id = ?1"
    ") ORDER BY t, o, seq";

/* The target as Pacemaker saw it, when that was read relative to the
 * fence (schema 7), and what asked for it (cluster_states), after the
 * timeline. */
#define YES_NO(col) "CASE " col " WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE 'unknown' END"
static const char cluster_state_sql[] =
    "SELECT t, what, detail FROM ("
    " SELECT captured_at AS t, 1 AS o, id AS seq,"
    "   CASE read_when WHEN 'after-answer' THEN 'cluster state after the answer'"
    "     WHEN 'before-request' THEN 'cluster state at fence time'"
    "     WHEN 'before-answer' THEN 'cluster state at fence time'"
    "     ELSE 'cluster state when recorded' END AS what,"
    "   CASE WHEN known THEN membership || coalesce(' ' || node_type, '')"
    "     || ' (online ' || " YES_NO("online") " || ', unclean ' || " YES_NO("unclean")
    "     || ', expected up ' || " YES_NO("expected_up") " || ')'"
    "     || coalesce(', last seen ' || last_seen, '')"
    "     || '; quorum ' || " YES_NO("quorum") " || '; DC ' || coalesce(dc, 'none')"
    "     || CASE WHEN is_dc THEN ' (the target itself)' ELSE '' END"
    "   ELSE 'unknown: ' || coalesce(error, 'no reason recorded') END"
    "   || '; read from ' || source || coalesce(' (run shared from ' || shared_from || ')', '')"
    "   || CASE read_when WHEN 'before-request' THEN ', before the request was published'"
    "     WHEN 'before-answer' THEN ', after the request, before the answer'"
    "     WHEN 'after-answer' THEN ', after the storage system answered: Pacemaker may"
    " already have recorded the fence, so this is not the state at fence time'"
    "     ELSE '' END"
    "   AS detail FROM cluster_states WHERE operation_id = ?1"
    " UNION ALL SELECT captured_at, 2, id, 'cluster state: failed actions',"
    "   (SELECT group_concat(json_extract(value, '$.op_key') || ' '"
    "      || coalesce(json_extract(value, '$.exitstatus'), '?')"
    "      || coalesce(' (' || nullif(json_extract(value, '$.exitreason'), '') || ')', '')"
    "      || coalesce(' at ' || json_extract(value, '$.last_rc_change'), ''), '; ')"
    "    FROM json_each(failed_actions))"
    "   FROM cluster_states WHERE operation_id = ?1 AND json_array_length(failed_actions) > 0"
    " UNION ALL SELECT captured_at, 3, id, 'cluster state: fail counts',"
    "   (SELECT group_concat(json_extract(value, '$.resource') || ' '"
    "      || json_extract(value, '$.fail_count')"
    "      || coalesce(' (last ' || json_extract(value, '$.last_failure') || ')', ''), '; ')"
    "    FROM json_each(fail_counts))"
    "   FROM cluster_states WHERE operation_id = ?1 AND json_array_length(fail_counts) > 0"
    " UNION ALL SELECT captured_at, 4, id, 'cluster state: crm_mon said', error"
    "   FROM cluster_states WHERE operation_id = ?1 AND known AND error IS NOT NULL"
    " UNION ALL SELECT captured_at, 5, id, 'requested by',"
    "   coalesce('PCMK_service ' || requester_service, 'no PCMK_service (not run by Pacemaker)')"
    "   || coalesce('; parent process ' || parent_process || ' (pid ' || parent_pid || ')', '')"
    "   || coalesce(': ' || parent_cmdline, '')"
    "   FROM cluster_states WHERE operation_id = ?1"
    ") ORDER BY seq, o";

/* Every attempt of the fence this operation belongs to (attempts.h),
 * after its timeline. */
static const char attempts_sql[] =
    ATTEMPTS_CTE("target_node = (SELECT target_node FROM operations WHERE id = ?1)")
    "SELECT started_at, 'attempt ' || attempt || '/' || attempts, op_uuid || ' ' || status"
    "  || coalesce(', exit ' || exit_code, '') || ' (fence ' || fence || ')'"
    "  || CASE WHEN id = ?1 THEN ', this operation' ELSE '' END"
    " FROM attempts WHERE fence = (SELECT fence FROM attempts WHERE id = ?1) ORDER BY attempt";

/* The fence as the cluster lived it, from what Pacemaker's alerts told
 * this node (cluster_events, schema 8): the target lost (within 10 min
 * before the fence began), Pacemaker's result (the fencing alert of the
 * same target, executor and action within 10 s of the fence's end: the
 * merge rule of history), the target back, and unfenced. ?1 target,
 * ?2 the fence's start, ?3 its end, ?4 the executing node. */
#define STORY_ONE(sql) "SELECT * FROM (" sql " LIMIT 1)"
static const char story_sql[] =
    "SELECT t, what, detail FROM ("
    STORY_ONE("SELECT happened_at AS t, 1 AS o, 'node lost' AS what, node || ' lost, as Pacemaker "
              "told ' || recorded_on AS detail FROM cluster_events WHERE kind = 'node' "
              "AND node = ?1 COLLATE NOCASE AND result = 'lost' AND happened_at <= ?2 "
              "AND julianday(?2) - julianday(happened_at) <= 600.0 / 86400 "
              "ORDER BY happened_at DESC")
    " UNION ALL "
    STORY_ONE("SELECT happened_at, 2, 'Pacemaker''s result', description || ' (executed by ' || "
              "coalesce(executor, '?') || ', requested by ' || coalesce(client || '@' || origin, '?') "
              "|| ')' FROM cluster_events WHERE kind = 'fencing' AND node = ?1 COLLATE NOCASE "
              "AND executor = ?4 COLLATE NOCASE AND action IN ('off', 'reboot') "
              "AND abs(julianday(happened_at) - julianday(?3)) * 86400 <= 10 ORDER BY happened_at")
    " UNION ALL "
    STORY_ONE("SELECT happened_at, 3, 'node back', node || ' a member again, as Pacemaker told ' "
              "|| recorded_on || CASE severity WHEN 'critical' THEN ' (CRITICAL: its storage "
              "was still fenced by ' || detail || ')' ELSE '' END FROM cluster_events "
              "WHERE kind = 'node' AND node = ?1 COLLATE NOCASE AND result = 'member' "
              "AND happened_at > ?3 ORDER BY happened_at")
    " UNION ALL "
    STORY_ONE("SELECT happened_at, 4, 'unfenced', description || ' (executed by ' || "
              "coalesce(executor, '?') || ')' FROM cluster_events WHERE kind = 'fencing' "
              "AND node = ?1 COLLATE NOCASE AND action = 'on' AND happened_at > ?3 "
              "ORDER BY happened_at")
    ") ORDER BY t, o";

/* The operation's own values for story_sql. */
static const char story_of_operation_sql[] =
    "SELECT target_node, started_at, coalesce(finished_at, started_at), recorder_node "
    "FROM operations WHERE id = ?1";

static int print_story(sqlite3 *db, const char *target, const char *start, const char *end,
                       const char *executor, struct output *o)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, story_sql, -1, &st, NULL) != SQLITE_OK)
        return strstr(sqlite3_errmsg(db), "no such table") ? 0 : -1;   /* before schema 8 */
    sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, start, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, end, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, executor, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v[3];
        for (int i = 0; i < 3; i++)
            v[i] = (const char *)sqlite3_column_text(st, i);
        output_row(o, v);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : -1;
}

static int print_operation_story(sqlite3 *db, sqlite3_int64 id, struct output *o)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, story_of_operation_sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = print_story(db, (const char *)sqlite3_column_text(st, 0),
                         (const char *)sqlite3_column_text(st, 1),
                         (const char *)sqlite3_column_text(st, 2),
                         (const char *)sqlite3_column_text(st, 3), o);
    sqlite3_finalize(st);
    return rc;
}

/* A fence this record knows only from Pacemaker's alert (history shows
 * its operation id as the request id): the alert, then its story. */
#define ALERT_FENCE_SQL                                                                   \
    "SELECT happened_at, node, executor, description, recorded_on, source FROM cluster_events " \
    "WHERE kind = 'fencing' AND substr(ref, 1, length(?1)) = ?1 ORDER BY happened_at LIMIT 1"

static bool alert_fence_known(sqlite3 *db, const char *prefix)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, ALERT_FENCE_SQL, -1, &st, NULL) != SQLITE_OK)
        return false;   /* before schema 8: nothing to find */
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    bool known = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return known;
}

static int show_alert_fence(sqlite3 *db, const char *prefix, struct output *o)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, ALERT_FENCE_SQL, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        char detail[2048];
        snprintf(detail, sizeof detail, "%s (executed by %s; the storage system's answer is in "
                 "the record of %s; this node, %s, knows it from Pacemaker's %s)",
                 (const char *)sqlite3_column_text(st, 3),
                 sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "?",
                 sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "?",
                 (const char *)sqlite3_column_text(st, 4),
                 strcmp((const char *)sqlite3_column_text(st, 5), "history") == 0
                 ? "fence history when it joined" : "alert");
        const char *row[3] = { (const char *)sqlite3_column_text(st, 0), "fence", detail };
        output_row(o, row);
        char at[40], node[256];
        snprintf(at, sizeof at, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(node, sizeof node, "%s", (const char *)sqlite3_column_text(st, 1));
        sqlite3_finalize(st);
        /* Its own alert is the fence row above: the story's other rows. */
        return print_story(db, node, at, at, "", o);
    }
    sqlite3_finalize(st);
    return rc;
}

static int print_rows(sqlite3 *db, const char *sql, sqlite3_int64 id, struct output *o)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v[3];
        for (int i = 0; i < 3; i++)
            v[i] = (const char *)sqlite3_column_text(st, i);
        if (v[0] && strcmp(v[0], "9999") == 0)
            v[0] = "(not finished)";
        output_row(o, v);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : -1;
}

/* resolve's answer for a prefix several operations share (said on stderr). */
#define SHOW_AMBIGUOUS (-1)

/* Finds the operation whose request id starts with prefix. */
static int resolve(sqlite3 *db, const char *prefix, sqlite3_int64 *id, bool last_database)
{
    if (!prefix[0] || strspn(prefix, "0123456789abcdef-") != strlen(prefix)) {
        fprintf(stderr, "fencectl show: '%s' is not a request id (hex digits and dashes)\n", prefix);
        return EXIT_USAGE;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, op_uuid, action, target_node, started_at FROM operations "
                           "WHERE substr(op_uuid, 1, length(?1)) = ?1 ORDER BY started_at LIMIT 10",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "fencectl show: %s\n", sqlite3_errmsg(db));
        return EXIT_FAILURE_RT;
    }
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    int found = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (found == 1)
            fprintf(stderr, "fencectl show: '%s' is ambiguous; it starts:\n", prefix);
        if (found >= 1)
            fprintf(stderr, "  %s  %s %s at %s\n", sqlite3_column_text(st, 1),
                    sqlite3_column_text(st, 2), sqlite3_column_text(st, 3), sqlite3_column_text(st, 4));
        if (found == 0)
            *id = sqlite3_column_int64(st, 0);
        found++;
    }
    sqlite3_finalize(st);
    (void)last_database;
    return found == 1 ? EXIT_OK : found > 1 ? SHOW_AMBIGUOUS : EXIT_FAILURE_RT;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
    const char *wanted = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            puts("Usage: fencectl show [--format table|json|csv] REQUEST_ID\n"
                 "  A unique prefix of the request id is enough.");
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            if (cli_set_format(cli, argv[++i]) != 0)
                return EXIT_USAGE;
        } else if (strncmp(argv[i], "--format=", 9) == 0) {
            if (cli_set_format(cli, argv[i] + 9) != 0)
                return EXIT_USAGE;
        } else if (!wanted && argv[i][0] != '-') {
            wanted = argv[i];
        } else {
            fprintf(stderr, "Usage: fencectl show [--format table|json|csv] REQUEST_ID\n");
            return EXIT_USAGE;
        }
    }
    if (!wanted) {
        fprintf(stderr, "Usage: fencectl show [--format table|json|csv] REQUEST_ID\n");
        return EXIT_USAGE;
    }
    /* Row ids are per database: find the one that has the operation. */
    sqlite3 *db = NULL;
    sqlite3_int64 id = 0;
    int rc = EXIT_FAILURE_RT;
    for (int i = 0; i < cli->db_count && rc != EXIT_OK; i++) {
        db_close(db);
        db = NULL;
        rc = cli_open_one_read_only(cli, i, &db);
        if (rc != EXIT_OK)
            return rc;
        rc = resolve(db, wanted, &id, i + 1 == cli->db_count);
        if (rc == EXIT_USAGE || rc == SHOW_AMBIGUOUS)
            break;
    }
    static const char *const columns[] = { "time", "what", "detail" };
    if (rc == EXIT_OK) {
        struct output *o = output_begin(cli, stdout, columns, 3);
        int failed = print_rows(db, timeline_sql, id, o) != 0 ||
                     print_rows(db, cluster_state_sql, id, o) != 0 ||
                     print_rows(db, attempts_sql, id, o) != 0 ||
                     print_operation_story(db, id, o) != 0;
        if (output_end(o) != 0 || failed) {
            fprintf(stderr, "fencectl show: %s\n", sqlite3_errmsg(db));
            rc = EXIT_FAILURE_RT;
        }
    } else if (rc == EXIT_FAILURE_RT && db && alert_fence_known(db, wanted)) {
        /* No operation: a fence known from Pacemaker's alert alone. */
        struct output *o = output_begin(cli, stdout, columns, 3);
        if (show_alert_fence(db, wanted, o) != 0 || output_end(o) != 0)
            fprintf(stderr, "fencectl show: %s\n", sqlite3_errmsg(db));
        else
            rc = EXIT_OK;
    } else if (rc == EXIT_FAILURE_RT) {
        fprintf(stderr, "fencectl show: no operation with request id '%s', and no fence of "
                "Pacemaker's with that id; see 'fencectl history'\n", wanted);
    }
    if (rc == SHOW_AMBIGUOUS)
        rc = EXIT_FAILURE_RT;
    db_close(db);
    return rc;
}
