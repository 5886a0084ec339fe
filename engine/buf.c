/*
 * buf.c -- growable text buffer. No I/O.
 */
#include "buf.h"

#include "alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void ik_buf_init(ik_buf *b)
{
    memset(b, 0, sizeof *b);
}

void ik_buf_fini(ik_buf *b)
{
    ik_free(b->data);
    ik_buf_init(b);
}

void ik_buf_clear(ik_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static bool reserve(ik_buf *b, size_t n)
{
    size_t cap;
    char *p;

    if (b->oom)
        return false;
    if (n < SIZE_MAX - b->len - 1 && b->len + n + 1 <= b->cap)
        return true;
    if (n >= SIZE_MAX / 2 - b->len) {
        b->oom = true;
        return false;
    }
    cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
        cap *= 2;
    p = ik_realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void ik_buf_grow_put(ik_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ik_bufw_start(ik_bufw *x, ik_buf *b)
{
    x->b = b;
    if (!b->data && !b->oom)
        reserve(b, 0); /* some room to start with */
    if (b->oom || !b->data) {
        x->w = x->end = x->none; /* no room: every append is dropped */
        return;
    }
    x->w = b->data + b->len;
    x->end = b->data + b->cap - 1;
}

void ik_bufw_sync(ik_bufw *x)
{
    ik_buf *b = x->b;

    if (b->oom || !b->data) /* nothing appended since */
        return;
    b->len = (size_t)(x->w - b->data);
    b->data[b->len] = '\0';
}

void ik_bufw_grow_add(ik_bufw *x, const char *s, size_t n)
{
    ik_bufw_sync(x);
    ik_buf_grow_put(x->b, s, n);
    ik_bufw_start(x, x->b);
}

void ik_buf_put(ik_buf *b, const char *s, size_t n)
{
    ik_buf_add(b, s, n);
}

void ik_buf_puts(ik_buf *b, const char *s)
{
    ik_buf_add(b, s, strlen(s));
}

void ik_buf_putc(ik_buf *b, char c)
{
    ik_buf_add(b, &c, 1);
}

void ik_buf_printf(ik_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Bytes that a JSON string must escape: controls, '"' and '\\'. */
static bool needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

void ik_buf_put_json_string(ik_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;

    /* the common case, nothing to escape: one reservation, one copy */
    for (i = 0; i < n && !needs_escape((unsigned char)s[i]); i++)
        ;
    if (i == n) {
        if (!reserve(b, n + 2))
            return;
        b->data[b->len] = '"';
        if (n)
            memcpy(b->data + b->len + 1, s, n);
        b->data[b->len + n + 1] = '"';
        b->len += n + 2;
        b->data[b->len] = '\0';
        return;
    }
    ik_buf_putc(b, '"');
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[7];
        const char *rep = NULL;
        size_t rlen = 2;

        if (!needs_escape(c))
            continue;
        ik_buf_put(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            rep = "\\\"";
            break;
        case '\\':
            rep = "\\\\";
            break;
        case '\b':
            rep = "\\b";
            break;
        case '\f':
            rep = "\\f";
            break;
        case '\n':
            rep = "\\n";
            break;
        case '\r':
            rep = "\\r";
            break;
        case '\t':
            rep = "\\t";
            break;
        default:
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            esc[6] = '\0';
            rep = esc;
            rlen = 6;
        }
        ik_buf_put(b, rep, rlen);
    }
    ik_buf_put(b, s + run, n - run);
    ik_buf_putc(b, '"');
}

const char *ik_buf_cstr(ik_buf *b)
{
    if (!b->data && !reserve(b, 0))
        return NULL;
    b->data[b->len] = '\0';
    return b->data;
}

ik_status ik_buf_status(const ik_buf *b)
{
    return b->oom ? IK_ENOMEM : IK_OK;
}

char *ik_buf_take(ik_buf *b, size_t *len)
{
    char *p;

    if (b->oom || !ik_buf_cstr(b)) {
        ik_buf_fini(b);
        return NULL;
    }
    p = b->data;
    if (len)
        *len = b->len;
    ik_buf_init(b);
    return p;
}
