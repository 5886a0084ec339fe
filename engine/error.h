/*
 * error.h (internal) -- one-line failure helpers for engine modules.
 * Each fills *err (which may be NULL) and returns the code, so failing is
 * `return ik_fail(err, IK_ERULES, "unknown id '%s'", id);`.
 */
#ifndef IK_ENGINE_ERROR_H
#define IK_ENGINE_ERROR_H

#include "intake/error.h"

#include <stdarg.h>
#include <stddef.h>

/* ik_fail and ik_fail_at, public: intake/error.h */

/*
 * Format a message into msg[0..cap) with every character a terminal must
 * not be sent escaped (ik_utf8_escape): a message may quote a pack's,
 * a file's or a person's text, and is printed as it is. Every error and
 * diagnostic message of the core is made here.
 */
void ik_error_vformat(char *msg, size_t cap, const char *fmt, va_list ap)
    IK_PRINTF(3, 0);

/* Copy at most cap-1 bytes of src into dst and NUL-terminate. */
void ik_strlcpy(char *dst, const char *src, size_t cap);

#endif
