/*
 * alloc.h -- the core's only route to the heap, with a test hook that fails
 * the Nth allocation so every out-of-memory path can be exercised.
 */
#ifndef IK_ALLOC_H
#define IK_ALLOC_H

#include <stddef.h>

void *ik_malloc(size_t n);
void *ik_calloc(size_t n, size_t size); /* NULL on overflow too */
void *ik_realloc(void *p, size_t n);
void ik_free(void *p);
char *ik_strdup(const char *s);

/*
 * Test hook: the nth allocation from now (1-based) and every one after it
 * fail; 0 turns the hook off. Returns how many allocations have been made
 * since the last call, so a test can loop n = 1, 2, ... until it passes.
 */
long ik_alloc_fail_after(long n);

/* Route cJSON's allocations through ik_malloc/ik_free. Idempotent. */
void ik_alloc_init_cjson(void);

#endif
