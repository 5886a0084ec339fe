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

#endif
