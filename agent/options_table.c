/* The option table. Names follow fencing.py: the long option with '_' for
 * '-' is the metadata parameter, so a Pacemaker device attribute reaches
 * the agent as the same key on stdin. */
#include "config.h"
#include "names.h"
#include "options.h"

#define NO_ENV NULL

const struct option_spec option_specs[OPT_COUNT] = {
    [OPT_ACTION] = { "action", "action", 'o', true, TYPE_STRING, "[action]", "reboot",
        NO_ENV, true, NULL, "Fencing action" },
    [OPT_PLUG] = { "plug", "plug", 'n', true, TYPE_STRING, "[nodename]", NULL,
        NO_ENV, true, NULL, "Name of the node to fence (the target of the request); at most "
        NODE_NAME_MAX_TEXT " bytes, so that its request file .<node>-<uuid>.json.tmp fits in 255" },
    [OPT_PORT] = { "port", "port", 0, true, TYPE_STRING, "[nodename]", NULL,
        NO_ENV, true, "plug", "Name of the node to fence (the target of the request); at most "
        NODE_NAME_MAX_TEXT " bytes" },
    [OPT_NODENAME] = { "nodename", "nodename", 0, true, TYPE_STRING, "[nodename]", NULL,
        NO_ENV, false, NULL, "Node to fence as Pacemaker names it; used when plug and port are absent" },
    [OPT_HOSTNAME] = { "hostname", "hostname", 0, true, TYPE_STRING, "[nodename]", NULL,
        NO_ENV, false, "plug", "Name of the node to fence, as the original agent accepted it" },
    [OPT_REQUEST_DIR] = { "request_dir", "request-dir", 0, true, TYPE_STRING, "[path]",
        DEFAULT_REQUEST_DIR, ENV_REQUEST_DIR, false, NULL,
        "Directory the fence requests are written to (read by the storage reconciler); "
        "must be another directory than response_dir" },
    [OPT_RESPONSE_DIR] = { "response_dir", "response-dir", 0, true, TYPE_STRING, "[path]",
        DEFAULT_RESPONSE_DIR, ENV_RESPONSE_DIR, false, NULL,
        "Directory the storage reconciler writes its responses to" },
    [OPT_LOG_DIR] = { "log_dir", "log-dir", 0, true, TYPE_STRING, "[path]",
        DEFAULT_LOG_DIR, ENV_LOG_DIR, false, NULL, "Directory for the fence event logs" },
    [OPT_DB] = { "db", "db", 0, true, TYPE_STRING, "[path]",
        DEFAULT_DB_PATH, ENV_DB_PATH, false, NULL, "SQLite database of the fence record" },
    [OPT_FENCE_TIMEOUT] = { "fence_timeout", "fence-timeout", 0, true, TYPE_SECOND, "[seconds]",
        "60", "FENCE_TIMEOUT", false, NULL,
        "Seconds to wait for the response before the fence fails; keep it below Pacemaker's pcmk_off_timeout" },
    [OPT_POLL_INTERVAL] = { "poll_interval", "poll-interval", 0, true, TYPE_STRING, "[seconds]",
        "1", "POLL_INTERVAL", false, NULL,
        "Seconds between re-checks of the response directory, for file systems without inotify (NFS)" },
    [OPT_DB_TIMEOUT] = { "db_timeout", "db-timeout", 0, true, TYPE_SECOND, "[seconds]",
        "10", ENV_DB_TIMEOUT, false, NULL,
        "Seconds to wait for a database lock held by another process before recording to the logs only" },
    [OPT_DELAY] = { "delay", "delay", 0, true, TYPE_SECOND, "[seconds]", "0",
        NO_ENV, false, NULL, "Wait X seconds before fencing is started" },
    [OPT_SYSLOG] = { "syslog", "syslog", 0, true, TYPE_STRING, "[true/false]", "true",
        ENV_SYSLOG, false, NULL,
        "Also send each fence event to syslog (ident fence_recorder, facility daemon)" },
    [OPT_DISCOVERY] = { "filesystem_discovery", "filesystem-discovery", 0, true, TYPE_STRING,
        "[true/false]", "true", "FILESYSTEM_DISCOVERY_ENABLED", false, NULL,
        "Discover the target's shared filesystems from cluster state while waiting" },
    [OPT_DISCOVERY_TIMEOUT] = { "discovery_timeout", "discovery-timeout", 0, true, TYPE_SECOND,
        "[seconds]", "5", "DISCOVERY_TIMEOUT", false, NULL,
        "Seconds each filesystem discovery method may take" },
    [OPT_CRM_MON_PATH] = { "crm_mon_path", "crm-mon-path", 0, true, TYPE_STRING, "[path]",
        "crm_mon", "CRM_MON_PATH", false, NULL, "Path to crm_mon (discovery method 1)" },
    [OPT_CIBADMIN_PATH] = { "cibadmin_path", "cibadmin-path", 0, true, TYPE_STRING, "[path]",
        "cibadmin", "CIBADMIN_PATH", false, NULL, "Path to cibadmin (discovery method 2)" },
    [OPT_VERBOSE] = { "verbose", "verbose", 'v', false, TYPE_BOOLEAN, NULL, NULL,
        NO_ENV, false, NULL, "Verbose mode: debug messages on stderr and in fence-events.log" },
    [OPT_QUIET] = { "quiet", "quiet", 'q', false, TYPE_BOOLEAN, NULL, NULL,
        NO_ENV, false, NULL, "Disable logging to stderr; errors that lose records still show" },
    [OPT_VERSION] = { "version", "version", 'V', false, TYPE_BOOLEAN, NULL, NULL,
        NO_ENV, false, NULL, "Display version information and exit" },
    [OPT_HELP] = { "help", "help", 'h', false, TYPE_BOOLEAN, NULL, NULL,
        NO_ENV, false, NULL, "Display help and exit" },
};
