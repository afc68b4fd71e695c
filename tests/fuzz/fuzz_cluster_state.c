/* The recorder's cluster-state parser (recorder/cluster_state.c, libxml2) on
 * whatever crm_mon prints, and its rendering within the output bound. */
#include <stdlib.h>

#include "cluster_state.h"
#include "fuzz.h"

int fuzz_cluster_state(const uint8_t *data, size_t size)
{
    cJSON *state = NULL;
    struct error err;
    if (cluster_state_parse((const char *)data, size, "node2", &state, &err) == 0) {
        char *text = NULL;
        if (cluster_state_render(state, &text, &err) == 0)
            free(text);
        cJSON_Delete(state);
    }
    return 0;
}

FUZZ_ENTRY(fuzz_cluster_state)
