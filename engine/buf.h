/*
 * buf.h -- a growable byte buffer for building text (JSON, reports).
 * All of it is public: intake/buf.h.
 */
#ifndef IK_BUF_H
#define IK_BUF_H

#include "intake/buf.h"

#include "error.h"

#include <string.h>

/* The slow half of ik_buf_add: grow, then append (or mark out of
 * memory). */
void ik_buf_grow_put(ik_buf *b, const char *s, size_t n);

/* Append s[0..n): the one append (ik_buf_put, ik_buf_putc and the core's
 * writers are this), inline so that a writer of many small pieces pays a
 * room check and a copy for each, not a call. */
static inline void ik_buf_add(ik_buf *b, const char *s, size_t n)
{
    if (!b->oom && n < b->cap - b->len) { /* room for n and the NUL */
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    ik_buf_grow_put(b, s, n);
}

/*
 * A cursor over b's free room, for a writer of many small pieces (the
 * outcome writer): an append is a room check and a copy, with no length,
 * NUL or out-of-memory bookkeeping; ik_bufw_sync puts b's length and NUL
 * back, and must come before anything else appends to b or reads it
 * (then ik_bufw_start again). Out of memory as ik_buf_add: b->oom set,
 * every later append dropped. The appends are ik_buf_add's (the slow
 * half grows b through ik_buf_grow_put).
 */
typedef struct ik_bufw {
    ik_buf *b;
    char *w, *end; /* the next byte; end: the last the NUL may take */
    char none[1];  /* w and end when b has no room (out of memory) */
} ik_bufw;

/* What ik_bufw_add_padded may read past a text's end (its padding). */
#define IK_BUF_PAD 32

void ik_bufw_start(ik_bufw *x, ik_buf *b);
void ik_bufw_sync(ik_bufw *x);
/* The slow half of ik_bufw_add: sync, ik_buf_grow_put, start again. */
void ik_bufw_grow_add(ik_bufw *x, const char *s, size_t n);

static inline void ik_bufw_add(ik_bufw *x, const char *s, size_t n)
{
    if (n <= (size_t)(x->end - x->w)) {
        memcpy(x->w, s, n);
        x->w += n;
        return;
    }
    ik_bufw_grow_add(x, s, n);
}

/* s[0..n) where IK_BUF_PAD bytes from s may be read: a short one in one
 * copy of a fixed size (no call), the bytes past n left as free room. */
static inline void ik_bufw_add_padded(ik_bufw *x, const char *s, size_t n)
{
    if (n <= IK_BUF_PAD && IK_BUF_PAD <= (size_t)(x->end - x->w)) {
        memcpy(x->w, s, IK_BUF_PAD);
        x->w += n;
        return;
    }
    ik_bufw_add(x, s, n);
}

#endif
