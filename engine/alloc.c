/*
 * alloc.c -- malloc wrappers with a fail-the-Nth-allocation hook.
 * Not thread-safe by design: the hook is for single-threaded tests.
 */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static long fail_at;  /* 0: off; else the allocation count that fails */
static long count;    /* allocations since the hook was last set */

static int should_fail(void)
{
    count++;
    return fail_at > 0 && count >= fail_at;
}

long ik_alloc_fail_after(long n)
{
    long made = count;

    fail_at = n;
    count = 0;
    return made;
}

void *ik_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *ik_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *ik_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void ik_free(void *p)
{
    free(p);
}

char *ik_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = ik_malloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

void ik_alloc_init_cjson(void)
{
    static int done;
    cJSON_Hooks hooks = {ik_malloc, ik_free};

    if (done)
        return;
    cJSON_InitHooks(&hooks);
    done = 1;
}
