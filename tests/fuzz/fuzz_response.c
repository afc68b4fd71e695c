/* The response parser sees whatever the external system (or anyone who
 * can write the response directory) puts there. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "protocol.h"

#define EXPECT_ID "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

int fuzz_response(const uint8_t *data, size_t size)
{
    char *body = malloc(size + 1);
    if (!body)
        return 0;
    memcpy(body, data, size);
    body[size] = '\0';   /* as file_read_limited hands it over */
    struct response r;
    struct error err;
    response_parse(body, size, EXPECT_ID, "node2", &r, &err);
    response_free(&r);
    response_parse(body, size, NULL, NULL, &r, &err);
    response_free(&r);
    /* The same bytes as a request body (fencectl respond echoes it). */
    struct strbuf sb = STRBUF_INIT;
    response_render(&sb, body, size, true, "fuzz", &err);
    strbuf_release(&sb);
    free(body);
    return 0;
}

FUZZ_ENTRY(fuzz_response)
