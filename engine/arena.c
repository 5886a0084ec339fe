/*
 * arena.c -- chunked bump allocator. No I/O.
 */
#include "arena.h"

#include "alloc.h"

#include <stdint.h>
#include <string.h>

struct ik_chunk {
    ik_chunk *next;
    size_t size; /* bytes of data after the header */
    _Alignas(16) char data[];
};

/* Chunks double from CHUNK_MIN up to CHUNK_MAX; from HUGE_FROM on (an
 * arena that already holds a few megabytes: a big pack's tree) they are
 * 2 MiB-aligned and advised for huge pages, so a 100 MB tree takes a few
 * hundred page faults instead of tens of thousands. Not sooner: a huge
 * page is cleared whole on first touch, and a small arena would pay for
 * the 2 MiB it does not use. */
enum { CHUNK_MIN = 16 * 1024 - 64 };
#define CHUNK_MAX ((size_t)32 * 1024 * 1024)
#define HUGE_FROM (2 * IK_HUGE_PAGE)

void ik_arena_init(ik_arena *a)
{
    memset(a, 0, sizeof *a);
}

static int grow(ik_arena *a, size_t n)
{
    size_t size = a->head ? a->head->size * 2 : CHUNK_MIN;
    ik_chunk *c;

    if (size > CHUNK_MAX - 64) /* header included: 32 MiB, not 34 */
        size = CHUNK_MAX - 64;
    if (size < n)
        size = n;
    if (size > SIZE_MAX - sizeof *c - IK_HUGE_PAGE)
        return -1;
    if (size + sizeof *c >= HUGE_FROM) {
        size_t got;
        c = ik_malloc_huge(sizeof *c + size, &got);
        size = got - sizeof *c;
    } else {
        c = ik_malloc(sizeof *c + size);
    }
    if (!c)
        return -1;
    c->next = a->head;
    c->size = size;
    a->head = c;
    a->cur = c->data;
    a->end = c->data + size;
    return 0;
}

void *ik_arena_alloc(ik_arena *a, size_t n)
{
    size_t pad = (size_t)(-(uintptr_t)a->cur & 15);
    void *p;

    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - 16)
        return NULL;
    if (a->limit && (a->used > a->limit || n > a->limit - a->used))
        return NULL;
    if (!a->cur || pad + n > (size_t)(a->end - a->cur)) {
        if (grow(a, n) != 0)
            return NULL;
        pad = 0;
    }
    p = a->cur + pad;
    a->cur += pad + n;
    a->used += n;
    return p;
}

char *ik_arena_strndup(ik_arena *a, const char *s, size_t n)
{
    char *d = ik_arena_alloc(a, n + 1);

    if (!d)
        return NULL;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

ik_arena_mark ik_arena_save(const ik_arena *a)
{
    ik_arena_mark m = {a->head, a->cur, a->end, a->used};
    return m;
}

void ik_arena_rewind(ik_arena *a, ik_arena_mark m)
{
    while (a->head != m.head) {
        ik_chunk *next = a->head->next;
        ik_free(a->head);
        a->head = next;
    }
    a->cur = m.cur;
    a->end = m.end;
    a->used = m.used;
}

void ik_arena_reset(ik_arena *a)
{
    ik_chunk *keep = a->head;

    if (!keep)
        return;
    while (keep->next) {
        ik_chunk *next = keep->next->next;
        ik_free(keep->next);
        keep->next = next;
    }
    a->cur = keep->data;
    a->end = keep->data + keep->size;
    a->used = 0;
}

void ik_arena_fini(ik_arena *a)
{
    while (a->head) {
        ik_chunk *next = a->head->next;
        ik_free(a->head);
        a->head = next;
    }
    ik_arena_init(a);
}
