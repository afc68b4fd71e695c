/* Pacemaker's key=value lines on stdin, and what options_resolve makes of
 * them: any bytes must give a configuration or a clear error. */
#include <stdio.h>

#include "fuzz.h"
#include "options.h"

int fuzz_stdin_options(const uint8_t *data, size_t size)
{
    FILE *in = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");
    if (!in)
        return 0;
    struct raw_options raw = { 0 };
    struct agent_config cfg;
    struct error err;
    if (options_parse_stream(&raw, in, &err) == 0)
        options_resolve(&raw, &cfg, &err);
    fclose(in);
    raw_options_free(&raw);
    return 0;
}

FUZZ_ENTRY(fuzz_stdin_options)
