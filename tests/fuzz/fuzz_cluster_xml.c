/* The hand-written XML scanner (agent/cluster_xml.c) reads whatever
 * crm_mon and cibadmin print: discovery's two extractors and the scanner
 * itself with a handler that looks at every element. */
#include <stdlib.h>
#include <string.h>

#include "cluster_xml.h"
#include "fuzz.h"

static void on_start(void *ctx, const char *name, const struct xml_attr *attrs, int n, int depth)
{
    size_t *seen = ctx;
    *seen += strlen(name) + (size_t)depth;
    for (int i = 0; i < n; i++)
        *seen += strlen(attrs[i].name) + strlen(attrs[i].value);
    (void)xml_attr_get(attrs, n, "id");
}

static void on_end(void *ctx, const char *name, int depth)
{
    size_t *seen = ctx;
    *seen += strlen(name) + (size_t)depth;
}

int fuzz_cluster_xml(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';   /* as command_run hands the output over */
    struct error err;
    struct fs_list *found = malloc(sizeof *found);
    if (found) {
        fs_from_crm_mon(text, size, "node2", found, &err);
        fs_from_cib(text, size, found, &err);
        free(found);
    }
    size_t seen = 0;
    struct xml_handler h = { on_start, on_end, &seen };
    xml_scan(text, size, &h, &err);
    free(text);
    return 0;
}

FUZZ_ENTRY(fuzz_cluster_xml)
