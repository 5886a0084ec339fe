/*
 * alloc.h -- the core's only route to the heap, with a test hook that fails
 * the Nth allocation so every out-of-memory path can be exercised.
 */
#ifndef IK_ALLOC_H
#define IK_ALLOC_H

#include "intake/error.h" /* IK_API */

#include <stddef.h>

void *ik_malloc(size_t n);
void *ik_calloc(size_t n, size_t size); /* NULL on overflow too */
void *ik_realloc(void *p, size_t n);
IK_API void ik_free(void *p); /* public: intake/intake.h */
char *ik_strdup(const char *s);

/*
 * At least n bytes starting on a 2 MiB boundary, advised for transparent
 * huge pages where the system has MADV_HUGEPAGE (fewer page faults for a
 * big arena chunk or file). *got receives the usable size: n rounded up to
 * a multiple of 2 MiB. Free with ik_free; one allocation for the hook.
 */
#define IK_HUGE_PAGE ((size_t)2 * 1024 * 1024)
void *ik_malloc_huge(size_t n, size_t *got);

/*
 * Test hook: the nth allocation from now (1-based) and every one after it
 * fail; 0 turns the hook off. Returns how many allocations have been made
 * since the last call, so a test can loop n = 1, 2, ... until it passes.
 */
long ik_alloc_fail_after(long n);

/* Route cJSON's allocations through ik_malloc/ik_free (and a thread's
 * arena, below). Sets cJSON's process-wide hooks, so the library never
 * calls it: only a program or a test that owns the process may (for
 * fault injection, or arena-built IK_JSON_FAST trees). Idempotent. */
void ik_alloc_init_cjson(void);

/*
 * While a is set (per thread), cJSON's allocations on this thread come from
 * arena a and its frees do nothing; NULL restores the heap. Returns the
 * previous arena. For json.c's parse only: a tree built this way must be
 * freed with its arena, never with cJSON_Delete.
 */
struct ik_arena;
struct ik_arena *ik_alloc_cjson_arena(struct ik_arena *a);

#endif
