/*
 * fuzz.h -- what every fuzz target shares: the libFuzzer entry point's
 * prototype and a helper that copies the input into an exact-size,
 * NUL-terminated buffer (so ASan sees any read past the end). Targets must
 * not print, keep state between inputs, or treat a clean error as a bug.
 */
#ifndef IK_FUZZ_H
#define IK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of data[0..size) plus a NUL; NULL when out of memory. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s) {
        if (size)
            memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* Stop the run: libFuzzer and the replayer both report an abort. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            abort();                                                           \
    } while (0)

#endif
