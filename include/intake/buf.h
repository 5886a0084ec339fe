/*
 * buf.h -- a growable text buffer, the one the library writes its JSON,
 * reports and documents into, for a program to build its own output the
 * same way (as SQLite's sqlite3_str). Out of memory is sticky: later
 * appends do nothing and ik_buf_status says IK_ENOMEM, so a caller checks
 * once at the end. The struct is plain data: read data and len, never
 * write them.
 */
#ifndef INTAKE_BUF_H
#define INTAKE_BUF_H

#include "intake/error.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ik_buf {
    char *data; /* NUL-terminated when len > 0 or after ik_buf_cstr */
    size_t len, cap;
    bool oom;
} ik_buf;

/* An empty buffer in the caller's storage; ik_buf_fini frees its memory. */
IK_API void ik_buf_init(ik_buf *b);
IK_API void ik_buf_fini(ik_buf *b);
IK_API void ik_buf_clear(ik_buf *b); /* len = 0, keeps memory */
IK_API void ik_buf_put(ik_buf *b, const char *s, size_t n);
IK_API void ik_buf_puts(ik_buf *b, const char *s);
IK_API void ik_buf_putc(ik_buf *b, char c);
IK_API void ik_buf_printf(ik_buf *b, const char *fmt, ...) IK_PRINTF(2, 3);
/* Append s[0..n) as a JSON string literal with quotes and escapes. */
IK_API void ik_buf_put_json_string(ik_buf *b, const char *s, size_t n);
/* "" when empty; never NULL unless out of memory. */
IK_API const char *ik_buf_cstr(ik_buf *b);
IK_API ik_status ik_buf_status(const ik_buf *b);
/* Hand the data to the caller (free with ik_free); the buffer is reset. */
IK_API char *ik_buf_take(ik_buf *b, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
