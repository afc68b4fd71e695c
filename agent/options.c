#include "options.h"
#include "strbuf.h"

#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Pacemaker's input is a few hundred bytes; anything near this is an error. */
#define STDIN_MAX_BYTES (4 * 1024 * 1024)   /* room for a 1 MiB junk attribute */
#define VALUE_MAX_BYTES 4096

static const char *const action_names[] = {
    [ACT_OFF] = "off", [ACT_REBOOT] = "reboot", [ACT_ON] = "on",
    [ACT_STATUS] = "status", [ACT_MONITOR] = "monitor", [ACT_LIST] = "list",
    [ACT_LIST_STATUS] = "list-status", [ACT_METADATA] = "metadata",
    [ACT_MANPAGE] = "manpage", [ACT_VALIDATE] = "validate-all",
};

enum action action_from_name(const char *name)
{
    if (strcmp(name, "meta-data") == 0)   /* OCF spelling */
        return ACT_METADATA;
    for (int a = 0; a < ACT_UNKNOWN; a++)
        if (strcasecmp(name, action_names[a]) == 0)
            return (enum action)a;
    return ACT_UNKNOWN;
}

bool action_needs_target(enum action a)
{
    return a == ACT_OFF || a == ACT_REBOOT || a == ACT_ON || a == ACT_STATUS;
}

void raw_options_note(struct raw_options *raw, enum log_level level, const char *fmt, ...)
{
    if (raw->note_count >= MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw->notes[raw->note_count].text, sizeof raw->notes[0].text, fmt, ap);
    va_end(ap);
    raw->notes[raw->note_count++].level = level;
}

void raw_options_free(struct raw_options *raw)
{
    free(raw->storage);
    raw->storage = NULL;
}

static int find_option(const char *key)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if (strcmp(option_specs[i].name, key) == 0)
            return i;
    return -1;
}

int options_parse_argv(struct raw_options *raw, int argc, char **argv, struct error *err)
{
    struct option longopts[OPT_COUNT + 1];
    char shortopts[2 * OPT_COUNT + 2] = ":";
    size_t sp = 1;
    int nlong = 0;
    for (int i = 0; i < OPT_COUNT; i++) {
        const struct option_spec *s = &option_specs[i];
        if (!s->longopt)
            continue;   /* an old stdin-only name */
        longopts[nlong++] = (struct option){ s->longopt,
            s->takes_value ? required_argument : no_argument, NULL, i + 256 };
        if (s->shortopt) {
            shortopts[sp++] = s->shortopt;
            if (s->takes_value)
                shortopts[sp++] = ':';
        }
    }
    shortopts[sp] = '\0';
    longopts[nlong] = (struct option){ 0 };

    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        int id = -1;
        if (c >= 256) {
            id = c - 256;
        } else if (c == '?') {
            return errorf(err, "unknown option '%s'; use -h for usage", argv[optind - 1]);
        } else if (c == ':') {
            return errorf(err, "option '%s' needs a value; use -h for usage", argv[optind - 1]);
        } else {
            for (int i = 0; i < OPT_COUNT; i++)
                if (option_specs[i].shortopt == c)
                    id = i;
        }
        if (id < 0)
            return errorf(err, "unhandled option; use -h for usage");
        raw->value[id] = option_specs[id].takes_value ? optarg : "1";
        if (id == OPT_VERBOSE)
            raw->verbose_count++;
    }
    for (int i = optind; i < argc; i++)
        raw_options_note(raw, LOG_WARNING, "ignoring unused argument '%.200s'", argv[i]);
    return 0;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* One key=value line, fencing.py style: '-' and '_' spellings, one pair of
 * surrounding double quotes removed, unknown keys ignored (Pacemaker
 * passes every device attribute). */
static void parse_line(struct raw_options *raw, char *line, int lineno)
{
    line = trim(line);
    if (!line[0] || line[0] == '#')
        return;
    char *eq = strchr(line, '=');
    char *value = eq ? eq + 1 : line + strlen(line);
    if (eq)
        *eq = '\0';
    char *key = trim(line);
    value = trim(value);
    size_t vlen = strlen(value);
    if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
        value[vlen - 1] = '\0';
        value++;
        vlen -= 2;
    }
    for (char *p = key; *p; p++)
        if (*p == '-')
            *p = '_';
    static const char *const pcmk_keys[PCMK_KEY_COUNT] = {
        [PCMK_OFF_TIMEOUT] = "pcmk_off_timeout", [PCMK_REBOOT_TIMEOUT] = "pcmk_reboot_timeout",
        [PCMK_STONITH_TIMEOUT] = "stonith_timeout", [PCMK_HOST_LIST] = "pcmk_host_list",
    };
    for (int k = 0; k < PCMK_KEY_COUNT; k++)
        if (strcmp(key, pcmk_keys[k]) == 0 && vlen <= VALUE_MAX_BYTES)
            raw->pcmk[k] = value;
    int id = find_option(key);
    if (id < 0) {
        raw_options_note(raw, LOG_DEBUG, "stdin line %d: ignoring unknown parameter '%.64s'", lineno, key);
        return;
    }
    if (vlen > VALUE_MAX_BYTES) {
        raw_options_note(raw, LOG_WARNING, "stdin line %d: ignoring %s: value longer than %d bytes",
             lineno, key, VALUE_MAX_BYTES);
        return;
    }
    const struct option_spec *s = &option_specs[id];
    if (!s->takes_value) {
        bool on;
        if (!parse_bool(value, &on)) {
            raw_options_note(raw, LOG_WARNING, "stdin line %d: ignoring %s: '%.32s' is not a boolean",
                 lineno, key, value);
            return;
        }
        raw->value[id] = on ? "1" : NULL;
        if (id == OPT_VERBOSE)
            raw->verbose_count = on;
        return;
    }
    if (raw->value[id] && strcmp(raw->value[id], value) != 0)
        raw_options_note(raw, LOG_WARNING, "stdin line %d: %s given again; using the last value", lineno, key);
    raw->value[id] = value;
}

/* Reads all of in, growing as needed (Pacemaker sends a few hundred
 * bytes), refusing more than STDIN_MAX_BYTES. */
static char *read_all(FILE *in, size_t *len, struct error *err)
{
    struct strbuf sb = STRBUF_INIT;
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0 && sb.len <= STDIN_MAX_BYTES)
        strbuf_add(&sb, chunk, n);
    if (ferror(in) || strbuf_failed(&sb) || sb.len > STDIN_MAX_BYTES) {
        if (ferror(in))
            errorf(err, "cannot read options from stdin");
        else if (strbuf_failed(&sb))
            errorf(err, "out of memory reading options from stdin");
        else
            errorf(err, "options on stdin exceed %d bytes; refusing them", STDIN_MAX_BYTES);
        strbuf_release(&sb);
        return NULL;
    }
    char *buf = strbuf_detach(&sb, len);   /* NUL-terminated, even when empty */
    if (!buf)
        errorf(err, "out of memory reading options from stdin");
    return buf;
}

int options_parse_stream(struct raw_options *raw, FILE *in, struct error *err)
{
    size_t len;
    char *buf = read_all(in, &len, err);
    if (!buf)
        return -1;
    raw->storage = buf;
    int lineno = 0;
    char *p = buf, *end = buf + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *line_end = nl ? nl : end;
        lineno++;
        *line_end = '\0';
        if (memchr(p, '\0', (size_t)(line_end - p)))
            raw_options_note(raw, LOG_WARNING, "stdin line %d contains a NUL byte; ignoring it", lineno);
        else
            parse_line(raw, p, lineno);
        p = line_end + 1;
    }
    return 0;
}
