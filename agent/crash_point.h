/* Test hook for the hardening suite: FENCE_RECORDER_TEST_CRASH_AT=<phase>
 * makes the agent SIGKILL itself when it reaches that phase, so a test
 * can kill it at an exact point instead of racing a timer. Unset (as in
 * every real deployment) it costs one getenv per phase. */
#ifndef FR_CRASH_POINT_H
#define FR_CRASH_POINT_H

#define CRASH_ENV "FENCE_RECORDER_TEST_CRASH_AT"

/* Phases, in order: "before-request", "after-request" (written, not yet
 * recorded), "waiting" (recorded, companion started), "after-response"
 * (read, outcome not yet recorded). */
void crash_point(const char *phase);

#endif
