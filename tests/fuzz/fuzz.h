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

/* Non-zero while replay.c --oom makes allocations fail (never under
 * libFuzzer): a target's oracle that allocates may then fail for no fault
 * of the code under test. Weak, so each program has exactly one. */
__attribute__((weak)) int fuzz_failing_allocations;

/* Stop the run: libFuzzer and the replayer both report an abort. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            abort();                                                           \
    } while (0)

/*
 * The bundled Failed Back Syndrome pack, loaded once for the whole run
 * (targets that restore or replay against a real pack). Include only in
 * targets that link the rulebook; the harness cannot work without it.
 */
#ifdef FUZZ_WANT_PACK
#include "rulebook.h"

#ifndef IK_SOURCE_DIR
#error "IK_SOURCE_DIR must name the source tree"
#endif

static inline const ik_rulebook *fuzz_bundled_pack(void)
{
    static ik_rulebook *pack;
    static int tried;
    ik_error err;

    if (!tried) {
        tried = 1;
        if (ik_rulebook_load_file(IK_SOURCE_DIR
                                  "/rules/failed-back-syndrome.json",
                                  &pack, &err) != IK_OK)
            abort();
    }
    return pack;
}
#endif

#endif
