/* Test hook for the hardening suite: FENCE_RECORDER_TEST_CRASH_AT=<phase>
 * makes the agent SIGKILL itself when it reaches that phase, so a test
 * can kill it at an exact point instead of racing a timer. Unset (as in
 * every real deployment) it costs one getenv per phase. */
#ifndef FR_CRASH_POINT_H
#define FR_CRASH_POINT_H

#define CRASH_ENV "FENCE_RECORDER_TEST_CRASH_AT"

/* Phases, in order: "before-request" (recorder started), "after-request"
 * (written and renamed, not yet handed over), "waiting" (handed over),
 * "after-response" (read, outcome not yet handed over). */
void crash_point(const char *phase);

/* FENCE_RECORDER_TEST_RECORDERS=<file>: each recorder's pid is appended
 * there, so a test can wait until the record is written (the recorder
 * outlives the agent by design). Unset, one getenv per fence. */
#define RECORDERS_ENV "FENCE_RECORDER_TEST_RECORDERS"
void test_note_recorder(long pid);

#endif
