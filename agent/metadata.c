/* The metadata XML and --help, both generated from the option table.
 * Pacemaker's controller runs `metadata` as the unprivileged hacluster
 * user, so this prints and touches nothing else. */
#include <string.h>

#include "options.h"

static void xml_escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* "-n, --plug=[nodename]" as fencing.py's getopt "mixed" text. */
static void getopt_mixed(FILE *out, const struct option_spec *s)
{
    if (!s->longopt && s->deprecated_for)   /* stdin-only old name: its successor's */
        for (int i = 0; i < OPT_COUNT; i++)
            if (strcmp(option_specs[i].name, s->deprecated_for) == 0) {
                s = &option_specs[i];
                break;
            }
    if (s->shortopt)
        fprintf(out, "-%c, ", s->shortopt);
    fprintf(out, "--%s", s->longopt);
    if (s->takes_value)
        fprintf(out, "=%s", s->value_hint);
}

static const char *content_type(const struct option_spec *s)
{
    switch (s->type) {
    case TYPE_SECOND: return "second";
    case TYPE_INTEGER: return "integer";
    case TYPE_BOOLEAN: return "boolean";
    default: return "string";
    }
}

static void print_parameter(FILE *out, const struct option_spec *s)
{
    fprintf(out, "\t<parameter name=\"%s\" unique=\"0\" required=\"%d\"", s->name, s->required);
    if (s->deprecated_for)
        fputs(" deprecated=\"1\"", out);
    else if (strcmp(s->name, "plug") == 0)
        fputs(" obsoletes=\"port\"", out);
    else if (strcmp(s->name, "debug_file") == 0)
        fputs(" obsoletes=\"debug\"", out);
    fputs(">\n\t\t<getopt mixed=\"", out);
    getopt_mixed(out, s);
    fprintf(out, "\" />\n\t\t<content type=\"%s\"", content_type(s));
    if (s->default_text) {
        fputs(" default=\"", out);
        xml_escaped(out, s->default_text);
        fputc('"', out);
    }
    fputs(" />\n\t\t<shortdesc lang=\"en\">", out);
    xml_escaped(out, s->shortdesc);
    fputs("</shortdesc>\n\t</parameter>\n", out);
}

static const char longdesc[] =
    "fence_recorder fences a node by asking an external storage reconciler (such as NNF's "
    "nnf-sos) to detach the node's shared storage. On off or reboot it writes a JSON request "
    "<node>-<uuid>.json to request_dir and waits for the response of the same name in "
    "response_dir; the fence succeeds only if the response says \"success\": true. A "
    "successful response file marks the node as fenced; on (unfence) records and removes "
    "it. Every request, response, filesystem discovery and outcome is recorded in an SQLite "
    "database (see fencectl) and in fence-events.log, fence-events-readable.log and "
    "fence-events-detailed.jsonl under log_dir. "
    "Timeouts: Pacemaker times off with pcmk_off_timeout and reboot with pcmk_reboot_timeout "
    "(also when pcmk_reboot_action=off), both falling back to stonith-timeout (60 s); set both "
    "at least delay + fence_timeout + 5 s (e.g. fence_timeout=60 pcmk_off_timeout=90 "
    "pcmk_reboot_timeout=90) so the agent records its own timeout instead of being killed, and "
    "pcmk_off_retries=1 pcmk_reboot_retries=1, since a retry only gets what is left of that "
    "timeout. Targets: give pcmk_host_list (or plug); without them Pacemaker asks list, which "
    "answers plug, else the cluster's nodes from crm_node -l.";

void print_metadata(FILE *out)
{
    fputs("<?xml version=\"1.0\" ?>\n"
          "<resource-agent name=\"fence_recorder\" shortdesc=\"Fence agent coordinating "
          "storage fencing with an external reconciler through request/response files\" >\n"
          "<longdesc>", out);
    xml_escaped(out, longdesc);
    fputs("</longdesc>\n<vendor-url>https://github.com/NearNodeFlash/nnf-sos</vendor-url>\n"
          "<parameters>\n", out);
    for (int i = 0; i < OPT_COUNT; i++)
        print_parameter(out, &option_specs[i]);
    fputs("</parameters>\n<actions>\n"
          "\t<action name=\"on\" automatic=\"1\"/>\n"
          "\t<action name=\"off\" />\n"
          "\t<action name=\"reboot\" />\n"
          "\t<action name=\"status\" />\n"
          "\t<action name=\"list\" />\n"
          "\t<action name=\"list-status\" />\n"
          "\t<action name=\"monitor\" />\n"
          "\t<action name=\"metadata\" />\n"
          "\t<action name=\"manpage\" />\n"
          "\t<action name=\"validate-all\" />\n"
          "</actions>\n</resource-agent>\n", out);
}

void print_help(FILE *out)
{
    fputs("Usage:\n\tfence_recorder [options]\n"
          "\tor, as Pacemaker calls it, key=value lines on stdin\n"
          "Options:\n", out);
    for (int i = 0; i < OPT_COUNT; i++) {
        const struct option_spec *s = &option_specs[i];
        if (!s->longopt)
            continue;   /* stdin-only old name */
        char mixed[96];
        FILE *m = fmemopen(mixed, sizeof mixed, "w");
        if (m) {
            getopt_mixed(m, s);
            fclose(m);
        } else {
            snprintf(mixed, sizeof mixed, "--%s", s->longopt);
        }
        fprintf(out, "   %-32s %s", mixed, s->shortdesc);
        if (s->default_text)
            fprintf(out, " (default: %s)", s->default_text);
        if (s->env)
            fprintf(out, " [env %s]", s->env);
        fputc('\n', out);
    }
    fputs("Actions: off, reboot, on (unfence), status, list, list-status, monitor, metadata, "
          "manpage, validate-all\n"
          "Timeouts: Pacemaker times off with pcmk_off_timeout and reboot with pcmk_reboot_timeout\n"
          "  (even with pcmk_reboot_action=off), both defaulting to stonith-timeout (60 s). Set both\n"
          "  to at least delay + fence_timeout + 5 s, e.g. fence_timeout=60 pcmk_off_timeout=90\n"
          "  pcmk_reboot_timeout=90, and pcmk_off_retries=1 pcmk_reboot_retries=1.\n"
          "Exit codes: 0 success; 1 failure, timeout or error; 2 status: the node is fenced (off)\n",
          out);
}
