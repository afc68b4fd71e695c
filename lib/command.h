/* Running an external program (no shell) with a deadline, capturing its
 * output: the discovery methods' crm_mon and cibadmin, the cluster-state
 * helper fed crm_mon's output, and fencectl's reads of the cluster (audit,
 * the CIB's devices). */
#ifndef FR_COMMAND_H
#define FR_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct command_result {
    bool exec_failed;        /* the program could not be started */
    bool timed_out;          /* killed at the deadline */
    int exit_status;         /* valid when neither of the above; -1 if killed by a signal */
    char *out;               /* stdout, NUL-terminated; free() it */
    size_t out_len;
    char err[2048];          /* the start of stderr, for messages */
};

/* Runs argv[0] (searched in PATH) with stdin on /dev/null, in its own
 * process group, killing the group at timeout_ms. Output beyond max_out
 * bytes is an error. Returns 0 when the program ran (whatever its exit
 * status) and -1 with err otherwise; r is filled in both cases. */
int command_run(char *const argv[], int64_t timeout_ms, size_t max_out,
                struct command_result *r, struct error *err);
/* The same with input_len bytes of input on the program's stdin (written
 * as the program reads, within the same deadline; a program that stops
 * reading early just gets the rest of its pipe closed). */
int command_run_input(char *const argv[], const char *input, size_t input_len,
                      int64_t timeout_ms, size_t max_out, struct command_result *r,
                      struct error *err);
void command_result_free(struct command_result *r);

/* "crm_mon --output-as=xml": argv joined for the record. */
void command_line_text(char *const argv[], char *out, size_t size);

#endif
