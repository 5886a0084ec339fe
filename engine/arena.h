/*
 * arena.h -- bump allocation in chunks; everything dies together.
 * Rulebooks own one for their lifetime; evaluation uses a scratch arena the
 * caller resets between uses (or rewinds to a mark).
 */
#ifndef IK_ARENA_H
#define IK_ARENA_H

#include <stddef.h>

typedef struct ik_chunk ik_chunk;

typedef struct ik_arena {
    ik_chunk *head; /* newest chunk first */
    char *cur, *end;
    size_t used;    /* bytes handed out since init or reset */
    size_t limit;   /* 0: none; else alloc fails past this many bytes */
} ik_arena;

typedef struct ik_arena_mark {
    ik_chunk *head;
    char *cur, *end;
    size_t used;
} ik_arena_mark;

void ik_arena_init(ik_arena *a);
/* 16-byte aligned; NULL when out of memory or past a->limit. */
void *ik_arena_alloc(ik_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *ik_arena_strndup(ik_arena *a, const char *s, size_t n);
ik_arena_mark ik_arena_save(const ik_arena *a);
/* Free what was allocated after the mark (chunks added since are freed). */
void ik_arena_rewind(ik_arena *a, ik_arena_mark m);
/* Forget everything but keep the newest chunk for reuse. */
void ik_arena_reset(ik_arena *a);
void ik_arena_fini(ik_arena *a);

#endif
