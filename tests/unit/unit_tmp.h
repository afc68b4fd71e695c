/* A scratch directory per test, removed afterwards. */
#ifndef UNIT_TMP_H
#define UNIT_TMP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char scratch[256];

static int make_scratch(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/fr-unit.XXXXXX");
    return mkdtemp(scratch) ? 0 : -1;
}

static int remove_scratch(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

/* scratch + "/" + name, in a rotating static buffer. */
static const char *in_scratch(const char *name)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 512, "%s/%s", scratch, name);
    return b;
}

#endif
