/*
 * alloc.c -- malloc wrappers with a fail-the-Nth-allocation hook, and the
 * route cJSON's allocations take (the heap, or a thread's arena while json.c
 * parses). The hook's counters are per thread, so worker threads neither
 * race on them nor see a test's hook; it must not print or exit.
 */
#define _GNU_SOURCE /* madvise's MADV_HUGEPAGE */
#include "alloc.h"

#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cjson/cJSON.h>

/* Per thread: a test sets the hook on the thread it then calls from. */
static _Thread_local long fail_at; /* 0: off; else the count that fails */
static _Thread_local long count;   /* allocations since the hook was set */
static _Thread_local ik_arena *cjson_arena; /* see ik_alloc_cjson_arena */

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

IK_API void ik_free(void *p)
{
    free(p);
}

void *ik_malloc_huge(size_t n, size_t *got)
{
    size_t size;
    void *p;

    *got = 0;
    if (n > SIZE_MAX - IK_HUGE_PAGE)
        return NULL;
    size = (n + IK_HUGE_PAGE - 1) / IK_HUGE_PAGE * IK_HUGE_PAGE;
    if (size == 0)
        size = IK_HUGE_PAGE;
    if (should_fail())
        return NULL;
    p = aligned_alloc(IK_HUGE_PAGE, size);
    if (!p)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, size, MADV_HUGEPAGE); /* advice only: may fail */
#endif
    *got = size;
    return p;
}

char *ik_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = ik_malloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

static void *cjson_malloc(size_t n)
{
    if (cjson_arena)
        return ik_arena_alloc(cjson_arena, n);
    return ik_malloc(n);
}

static void cjson_free(void *p)
{
    if (!cjson_arena) /* an arena's memory dies with the arena */
        ik_free(p);
}

ik_arena *ik_alloc_cjson_arena(ik_arena *a)
{
    ik_arena *prev = cjson_arena;

    cjson_arena = a;
    return prev;
}

void ik_alloc_init_cjson(void)
{
    static int done;
    cJSON_Hooks hooks = {cjson_malloc, cjson_free};

    if (done)
        return;
    cJSON_InitHooks(&hooks);
    done = 1;
}
