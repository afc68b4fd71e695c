/* Fuzz targets, built two ways: with clang's libFuzzer (make fuzz, which
 * defines LIBFUZZER) to explore, and into the cmocka suite
 * (test_fuzz_corpus) to replay every corpus file on every `make check`,
 * so a crash found once stays fixed. */
#ifndef FR_FUZZ_H
#define FR_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int fuzz_response(const uint8_t *data, size_t size);
int fuzz_stdin_options(const uint8_t *data, size_t size);
int fuzz_timeparse(const uint8_t *data, size_t size);
int fuzz_pcmk_xml(const uint8_t *data, size_t size);
int fuzz_cluster_state(const uint8_t *data, size_t size);
int fuzz_handoff_job(const uint8_t *data, size_t size);

#ifdef LIBFUZZER
#define FUZZ_ENTRY(fn) \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fn(data, size); }
#else
#define FUZZ_ENTRY(fn)
#endif

#endif
