/* From raw option strings to a validated agent_config: parameter beats
 * environment beats default. An invalid parameter is an error; an
 * invalid environment value is reported and the default used, as the
 * original agent did, so a stray variable never blocks a fence. */
#include "options.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "files.h"
#include "names.h"

struct range { double min, max; double scale; /* to milliseconds */ };

static const struct range range_for[OPT_COUNT] = {
    [OPT_FENCE_TIMEOUT] = { 1, 86400, 1000 },
    [OPT_POLL_INTERVAL] = { 0.001, 60, 1000 },
    [OPT_DB_TIMEOUT] = { 0, DB_TIMEOUT_MAX_S, 1000 },
    [OPT_DELAY] = { 0, 3600, 1000 },
    [OPT_DISCOVERY_TIMEOUT] = { 1, 300, 1000 },
};

/* The value of option id: the parameter, else the environment, else the
 * default. *from_env tells where it came from, for error wording. */
static const char *pick(const struct raw_options *raw, int id, bool *from_env)
{
    const struct option_spec *s = &option_specs[id];
    *from_env = false;
    if (raw->value[id])
        return raw->value[id];
    const char *env = s->env ? getenv(s->env) : NULL;
    if (env && env[0]) {
        *from_env = true;
        return env;
    }
    return s->default_text;
}

static void env_note(struct raw_options *raw, const char *fmt, const char *a, const char *b)
{
    if (raw->note_count >= MAX_NOTES)
        return;
    snprintf(raw->notes[raw->note_count].text, sizeof raw->notes[0].text, fmt, a, b);
    raw->notes[raw->note_count++].level = LOG_WARNING;
}

static int resolve_ms(struct raw_options *raw, int id, int64_t *out, struct error *err)
{
    const struct option_spec *s = &option_specs[id];
    const struct range *r = &range_for[id];
    bool from_env;
    const char *text = pick(raw, id, &from_env);
    double v;
    bool ok = parse_number(text, s->type == TYPE_SECOND, &v) && v >= r->min && v <= r->max;
    if (!ok && from_env) {
        env_note(raw, "ignoring %s='%.40s': not a number in range; using the default",
                 s->env, text);
        ok = parse_number(s->default_text, false, &v);
    }
    if (!ok)
        return errorf(err, "%s must be %s from %g to %g, not '%.40s'", s->name,
                      s->type == TYPE_SECOND ? "whole seconds" : "seconds", r->min, r->max, text);
    *out = (int64_t)(v * r->scale + 0.5);   /* values are non-negative */
    return 0;
}

static int resolve_bool(struct raw_options *raw, int id, bool *out, struct error *err)
{
    const struct option_spec *s = &option_specs[id];
    bool from_env;
    const char *text = pick(raw, id, &from_env);
    if (parse_bool(text, out))
        return 0;
    if (from_env) {
        env_note(raw, "ignoring %s='%.40s': not true or false; using the default", s->env, text);
        *out = true;
        return 0;
    }
    return errorf(err, "%s must be true or false, not '%.40s'", s->name, text);
}

static const char *pick_path(struct raw_options *raw, int id)
{
    bool from_env;
    return pick(raw, id, &from_env);
}

static int check_path(const char *name, const char *path, struct error *err)
{
    if (!path[0])
        return errorf(err, "%s is empty", name);
    if (path[0] != '/')
        return errorf(err, "%s must be an absolute path, not '%.200s'", name, path);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return errorf(err, "%s contains a control character", name);
    return 0;
}

static int resolve_target(struct raw_options *raw, struct agent_config *cfg, struct error *err)
{
    /* plug beats port beats hostname beats nodename: Pacemaker sends
     * nodename for every device, plug/port only as configured. */
    static const int order[] = { OPT_PLUG, OPT_PORT, OPT_HOSTNAME, OPT_NODENAME };
    cfg->target = NULL;
    for (size_t i = 0; i < sizeof order / sizeof order[0] && !cfg->target; i++)
        cfg->target = raw->value[order[i]];
    if (!cfg->target) {
        if (action_needs_target(cfg->action))
            return errorf(err, "action %s needs the target node: give plug (-n)", cfg->action_name);
        return 0;
    }
    const char *why;
    if (!node_name_valid(cfg->target, &why))
        return errorf(err, "invalid target node name: %s", why);
    return 0;
}

static int resolve_paths(struct raw_options *raw, struct agent_config *cfg, struct error *err)
{
    cfg->paths = (struct paths){
        .request_dir = pick_path(raw, OPT_REQUEST_DIR),
        .response_dir = pick_path(raw, OPT_RESPONSE_DIR),
        .log_dir = pick_path(raw, OPT_LOG_DIR),
        .db_path = pick_path(raw, OPT_DB),
    };
    if (check_path("request_dir", cfg->paths.request_dir, err) ||
        check_path("response_dir", cfg->paths.response_dir, err) ||
        check_path("log_dir", cfg->paths.log_dir, err) ||
        check_path("db", cfg->paths.db_path, err))
        return -1;
    /* By identity, not spelling: "R/" and "R" (or a symlink to R) are one
     * directory, where the reconciler would take responses for requests. */
    bool same;
    struct error why;
    if (dirs_same(cfg->paths.request_dir, cfg->paths.response_dir, &same, &why) != 0)
        return errorf(err, "cannot tell whether request_dir and response_dir differ: %s", why.msg);
    if (same)
        return errorf(err, "request_dir and response_dir must be different directories "
                      "(%.200s and %.200s are the same one)", cfg->paths.request_dir,
                      cfg->paths.response_dir);
    return 0;
}

/* fencing.py's verbose_level beats verbose; quiet still silences stderr. */
static int resolve_verbosity(struct raw_options *raw, struct agent_config *cfg, struct error *err)
{
    const char *level = raw->value[OPT_VERBOSE_LEVEL];
    double v = 0;
    if (level && (!parse_number(level, true, &v) || v < 0 || v > 100))
        return errorf(err, "verbose_level must be a whole number from 0 to 100, not '%.40s'", level);
    bool debug = level ? v >= 1 : raw->verbose_count > 0;
    cfg->verbosity = raw->value[OPT_QUIET] ? VERBOSITY_QUIET
                   : debug ? VERBOSITY_DEBUG : VERBOSITY_NORMAL;
    return 0;
}

/* separator, debug_file, and the options accepted but ignored. */
static int resolve_conventions(struct raw_options *raw, struct agent_config *cfg, struct error *err)
{
    cfg->separator = raw->value[OPT_SEPARATOR] ? raw->value[OPT_SEPARATOR]
                                               : option_specs[OPT_SEPARATOR].default_text;
    size_t n = strlen(cfg->separator);
    if (n == 0 || n > 8 || strpbrk(cfg->separator, "\n\r"))
        return errorf(err, "separator must be 1 to 8 characters on one line, not '%.40s'",
                      cfg->separator);
    cfg->host_list = raw->pcmk[PCMK_HOST_LIST];
    cfg->debug_file = raw->value[OPT_DEBUG_FILE] ? raw->value[OPT_DEBUG_FILE] : raw->value[OPT_DEBUG];
    if (cfg->debug_file && check_path("debug_file", cfg->debug_file, err) != 0)
        return -1;
    char ignored[200] = "";
    size_t used = 0;
    for (int i = 0; i < OPT_COUNT; i++)
        if (option_specs[i].ignored && raw->value[i] && used < sizeof ignored)
            used += (size_t)snprintf(ignored + used, sizeof ignored - used, "%s%s",
                                     used ? ", " : "", option_specs[i].name);
    if (used && raw->note_count < MAX_NOTES) {
        snprintf(raw->notes[raw->note_count].text, sizeof raw->notes[0].text,
                 "accepted but ignored (fencing.py options with no meaning for storage fencing): %.150s",
                 ignored);
        raw->notes[raw->note_count++].level = LOG_DEBUG;
    }
    return 0;
}

int options_resolve(struct raw_options *raw, struct agent_config *cfg, struct error *err)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->help = raw->value[OPT_HELP] != NULL;
    cfg->version = raw->value[OPT_VERSION] != NULL;
    cfg->action_name = raw->value[OPT_ACTION] ? raw->value[OPT_ACTION]
                                              : option_specs[OPT_ACTION].default_text;
    cfg->action = action_from_name(cfg->action_name);
    if (cfg->help || cfg->version || cfg->action == ACT_METADATA || cfg->action == ACT_MANPAGE)
        return 0;
    if (resolve_verbosity(raw, cfg, err) || resolve_conventions(raw, cfg, err))
        return -1;
    if (cfg->action == ACT_UNKNOWN)
        return errorf(err, "unrecognised action '%.40s'", cfg->action_name);
    int64_t db_timeout_ms;
    bool from_env;
    if (resolve_target(raw, cfg, err) || resolve_paths(raw, cfg, err) ||
        resolve_ms(raw, OPT_FENCE_TIMEOUT, &cfg->fence_timeout_ms, err) ||
        resolve_ms(raw, OPT_POLL_INTERVAL, &cfg->poll_interval_ms, err) ||
        resolve_ms(raw, OPT_DB_TIMEOUT, &db_timeout_ms, err) ||
        resolve_ms(raw, OPT_DELAY, &cfg->delay_ms, err) ||
        resolve_ms(raw, OPT_DISCOVERY_TIMEOUT, &cfg->discovery.timeout_ms, err) ||
        resolve_bool(raw, OPT_DISCOVERY, &cfg->discovery.enabled, err) ||
        resolve_bool(raw, OPT_SYSLOG, &cfg->syslog, err))
        return -1;
    cfg->db_timeout_ms = (int)db_timeout_ms;
    cfg->discovery.crm_mon = pick(raw, OPT_CRM_MON_PATH, &from_env);
    cfg->discovery.cibadmin = pick(raw, OPT_CIBADMIN_PATH, &from_env);
    if (cfg->action == ACT_MONITOR || cfg->action == ACT_VALIDATE)
        timeout_race_notes(raw, cfg);
    return 0;
}

int options_resolve_refused(struct raw_options *raw, struct agent_config *cfg)
{
    if (cfg->action != ACT_OFF && cfg->action != ACT_REBOOT)
        return -1;
    struct error ignored;
    int64_t db_timeout_ms = DB_DEFAULT_BUSY_TIMEOUT_MS;
    if (resolve_paths(raw, cfg, &ignored) != 0)
        return -1;   /* nowhere we may record to */
    if (resolve_ms(raw, OPT_DB_TIMEOUT, &db_timeout_ms, &ignored) != 0)
        db_timeout_ms = DB_DEFAULT_BUSY_TIMEOUT_MS;
    if (resolve_bool(raw, OPT_SYSLOG, &cfg->syslog, &ignored) != 0)
        cfg->syslog = true;
    cfg->db_timeout_ms = (int)db_timeout_ms;
    cfg->discovery.enabled = false;
    static const int order[] = { OPT_PLUG, OPT_PORT, OPT_HOSTNAME, OPT_NODENAME };
    const char *target = NULL;
    for (size_t i = 0; i < sizeof order / sizeof order[0] && !target; i++)
        target = raw->value[order[i]];
    static char escaped[NODE_NAME_MAX + 16];
    node_name_escape(target, escaped, sizeof escaped);
    cfg->target = escaped;
    return 0;
}
