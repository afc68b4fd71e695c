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
        "Seconds to wait for the response before the fence fails; keep delay + fence_timeout + 5 s "
        "within both pcmk_off_timeout and pcmk_reboot_timeout (each defaults to stonith-timeout, 60 s)" },
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
    [OPT_SEPARATOR] = { "separator", "separator", 'C', true, TYPE_STRING, "[char]", ",",
        NO_ENV, false, NULL, "Separator between the fields of list-status output (node, alias, status)" },
    [OPT_DEBUG_FILE] = { "debug_file", "debug-file", 'D', true, TYPE_STRING, "[debugfile]", NULL,
        NO_ENV, false, NULL,
        "Append a copy of every message the agent writes to stderr to this file "
        "(with verbose: the debug messages too); a file that cannot be opened is reported, never fatal" },
    [OPT_DEBUG] = { "debug", NULL, 0, true, TYPE_STRING, "[debugfile]", NULL,
        NO_ENV, false, "debug_file", "Write debug information to given file (old name of debug_file)" },
    [OPT_VERBOSE_LEVEL] = { "verbose_level", "verbose-level", 0, true, TYPE_INTEGER, "[level]", NULL,
        NO_ENV, false, NULL,
        "Level of debugging detail: 0 no debug messages (even with verbose), 1 or more debug messages; "
        "default: 1 with verbose, else 0" },
    [OPT_POWER_TIMEOUT] = { "power_timeout", "power-timeout", 0, true, TYPE_SECOND, "[seconds]", "20",
        NO_ENV, false, NULL, "Accepted for compatibility and ignored: there is no power state to "
        "test; fence_timeout bounds the wait for the response", true },
    [OPT_POWER_WAIT] = { "power_wait", "power-wait", 0, true, TYPE_SECOND, "[seconds]", "0",
        NO_ENV, false, NULL, "Accepted for compatibility and ignored: nothing is powered off; "
        "use delay to wait before fencing", true },
    [OPT_SHELL_TIMEOUT] = { "shell_timeout", "shell-timeout", 0, true, TYPE_SECOND, "[seconds]", "3",
        NO_ENV, false, NULL, "Accepted for compatibility and ignored: the agent opens no shell", true },
    [OPT_LOGIN_TIMEOUT] = { "login_timeout", "login-timeout", 0, true, TYPE_SECOND, "[seconds]", "5",
        NO_ENV, false, NULL, "Accepted for compatibility and ignored: the agent logs in nowhere", true },
    [OPT_DISABLE_TIMEOUT] = { "disable_timeout", "disable-timeout", 0, true, TYPE_STRING,
        "[true/false]", NULL, NO_ENV, false, NULL, "Accepted for compatibility and ignored: "
        "fence_timeout always applies, so the agent records its own timeout before Pacemaker's", true },
    [OPT_STONITH_STATUS_SLEEP] = { "stonith_status_sleep", "stonith-status-sleep", 0, true,
        TYPE_SECOND, "[seconds]", "1", NO_ENV, false, NULL, "Accepted for compatibility and "
        "ignored: the agent waits for the response file, it does not poll a status", true },
    [OPT_RETRY_ON] = { "retry_on", "retry-on", 0, true, TYPE_INTEGER, "[attempts]", "1",
        NO_ENV, false, NULL, "Accepted for compatibility and ignored: on (unfence) is not retried; "
        "Pacemaker's pcmk_on_retries retries it", true },
    [OPT_PLUG_SEPARATOR] = { "plug_separator", "plug-separator", 0, true, TYPE_STRING, "[char]", ",",
        NO_ENV, false, NULL, "Accepted for compatibility and ignored: one request fences one node", true },
    [OPT_MISSING_AS_OFF] = { "missing_as_off", "missing-as-off", 0, false, TYPE_BOOLEAN, NULL, NULL,
        NO_ENV, false, NULL, "Accepted for compatibility and ignored: status has no missing port; "
        "a node without a successful response is on", true },
    [OPT_VERBOSE] = { "verbose", "verbose", 'v', false, TYPE_BOOLEAN, NULL, NULL,
        NO_ENV, false, NULL, "Verbose mode: debug messages on stderr and in fence-events.log (verbose_level 1)" },
    [OPT_QUIET] = { "quiet", "quiet", 'q', false, TYPE_BOOLEAN, NULL, NULL,
        NO_ENV, false, NULL, "Disable logging to stderr; errors that lose records still show" },
    [OPT_VERSION] = { "version", "version", 'V', false, TYPE_BOOLEAN, NULL, NULL,
        NO_ENV, false, NULL, "Display version information and exit" },
    [OPT_HELP] = { "help", "help", 'h', false, TYPE_BOOLEAN, NULL, NULL,
        NO_ENV, false, NULL, "Display help and exit" },
};
