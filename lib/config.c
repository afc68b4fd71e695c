#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return (v && v[0]) ? v : fallback;
}

void paths_resolve(struct paths *p, char *main_log_buf, unsigned buf_size)
{
    if (!p->request_dir)
        p->request_dir = env_or(ENV_REQUEST_DIR, DEFAULT_REQUEST_DIR);
    if (!p->response_dir)
        p->response_dir = env_or(ENV_RESPONSE_DIR, DEFAULT_RESPONSE_DIR);
    if (!p->log_dir)
        p->log_dir = env_or(ENV_LOG_DIR, DEFAULT_LOG_DIR);
    if (!p->db_path)
        p->db_path = env_or(ENV_DB_PATH, DEFAULT_DB_PATH);
    if (!p->main_log) {
        const char *fence_log = getenv(ENV_FENCE_LOG);
        if (fence_log && fence_log[0]) {
            p->main_log = fence_log;
        } else {
            int n = snprintf(main_log_buf, buf_size, "%s/%s", p->log_dir, LOG_FILE_MAIN);
            /* Too long: left empty, which validation reports. */
            p->main_log = (n > 0 && (unsigned)n < buf_size) ? main_log_buf : "";
        }
    }
}

bool parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = { "1", "yes", "on", "true" };
    static const char *const no[] = { "0", "no", "off", "false" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) { *out = true; return true; }
        if (strcasecmp(v, no[i]) == 0) { *out = false; return true; }
    }
    return false;
}

bool syslog_wanted(void)
{
    const char *v = getenv(ENV_SYSLOG);
    bool on = true;
    return !v || !parse_bool(v, &on) || on;
}

bool parse_number(const char *text, bool integer_only, double *out)
{
    if (!text[0])
        return false;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || *end || !isfinite(v))
        return false;
    if (integer_only && v != floor(v))
        return false;
    *out = v;
    return true;
}

bool db_timeout_from_env(int *ms)
{
    const char *v = getenv(ENV_DB_TIMEOUT);
    double seconds;
    if (!v || !v[0])
        return true;
    if (!parse_number(v, true, &seconds) || seconds < 0 || seconds > DB_TIMEOUT_MAX_S)
        return false;
    *ms = (int)(seconds * 1000);
    return true;
}
