#include "cib_paths.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void paths_from_cib(struct paths *p, int64_t timeout_ms, struct cib_paths *store,
                    void (*warn)(void *ctx, const char *text), void *ctx)
{
    const char **slot[4] = { &p->request_dir, &p->response_dir, &p->db_path, &p->log_dir };
    static const char *const env[4] = { ENV_REQUEST_DIR, ENV_RESPONSE_DIR, ENV_DB_PATH, ENV_LOG_DIR };
    static const char *const dflt[4] = { DEFAULT_REQUEST_DIR, DEFAULT_RESPONSE_DIR,
                                         DEFAULT_DB_PATH, DEFAULT_LOG_DIR };
    static const enum cib_key key[4] = { CIB_REQUEST_DIR, CIB_RESPONSE_DIR, CIB_DB, CIB_LOG_DIR };
    bool missing[4];
    int nmissing = 0;
    for (int i = 0; i < 4; i++) {
        const char *e = getenv(env[i]);
        missing[i] = !*slot[i] && !(e && e[0]);
        nmissing += missing[i];
    }
    if (!nmissing) {
        snprintf(store->source, sizeof store->source, "paths from options and environment");
        return;
    }
    static struct cib_devices devs;   /* large; fencectl runs this once */
    struct error err;
    bool read = cib_devices_read(timeout_ms, &devs, &err) == 0;
    if (!read || devs.count == 0) {
        snprintf(store->source, sizeof store->source,
                 "paths from options, environment and defaults (no fence_recorder device read "
                 "from the CIB: %.300s)", read ? "none configured" : err.msg);
        return;
    }
    struct strbuf used = STRBUF_INIT;
    for (int i = 0; i < 4; i++) {
        if (!missing[i])
            continue;
        const char *first = devs.dev[0].value[key[i]][0] ? devs.dev[0].value[key[i]] : dflt[i];
        int other = -1;
        for (int d = 1; d < devs.count && other < 0; d++) {
            const char *v = devs.dev[d].value[key[i]][0] ? devs.dev[d].value[key[i]] : dflt[i];
            if (strcmp(v, first) != 0)
                other = d;
        }
        if (other >= 0) {
            const char *v = devs.dev[other].value[key[i]];
            char text[4096];
            snprintf(text, sizeof text, "the CIB's fence_recorder devices disagree on %s (%s: %.900s, "
                     "%s: %.900s); using %s; give --%s (or $%s) to choose", cib_key_names[key[i]],
                     devs.dev[0].id, first, devs.dev[other].id, v[0] ? v : dflt[i], dflt[i],
                     i == 2 ? "db" : i == 0 ? "request-dir" : i == 1 ? "response-dir" : "log-dir",
                     env[i]);
            warn(ctx, text);
            continue;
        }
        snprintf(store->value[i], sizeof store->value[i], "%s", first);
        *slot[i] = store->value[i];
        strbuf_addf(&used, "%s%s=%s", used.len ? ", " : "", cib_key_names[key[i]], first);
    }
    if (used.len)
        snprintf(store->source, sizeof store->source, "paths from the CIB (%d fence_recorder "
                 "device%s, first %s): %s; the rest from options, environment or defaults",
                 devs.count, devs.count == 1 ? "" : "s", devs.dev[0].id, strbuf_str(&used));
    else
        snprintf(store->source, sizeof store->source, "paths from options, environment and "
                 "defaults (the CIB's devices disagree)");
    strbuf_release(&used);
}

