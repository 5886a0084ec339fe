/*
 * buf.h -- a growable byte buffer for building text (JSON, reports).
 * Out of memory is sticky: later appends do nothing and ik_buf_status
 * says IK_ENOMEM, so callers check once at the end.
 */
#ifndef IK_BUF_H
#define IK_BUF_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct ik_buf {
    char *data; /* NUL-terminated when len > 0 or after ik_buf_cstr */
    size_t len, cap;
    bool oom;
} ik_buf;

void ik_buf_init(ik_buf *b);
void ik_buf_fini(ik_buf *b);
void ik_buf_clear(ik_buf *b); /* len = 0, keeps memory */
void ik_buf_put(ik_buf *b, const char *s, size_t n);
void ik_buf_puts(ik_buf *b, const char *s);
void ik_buf_putc(ik_buf *b, char c);
void ik_buf_printf(ik_buf *b, const char *fmt, ...) IK_PRINTF(2, 3);
/* Append s[0..n) as a JSON string literal with quotes and escapes. */
void ik_buf_put_json_string(ik_buf *b, const char *s, size_t n);
/* "" when empty; never NULL unless out of memory. */
const char *ik_buf_cstr(ik_buf *b);
ik_status ik_buf_status(const ik_buf *b);
/* Hand the data to the caller (free with ik_free); the buffer is reset. */
char *ik_buf_take(ik_buf *b, size_t *len);

#endif
