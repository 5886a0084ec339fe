/*
 * utf8.h -- the library's one UTF-8 decoder and its rule for text that
 * must not reach a terminal as it is, for a front end that shows pack
 * texts, answers and file names. Pure functions; no allocation, no I/O.
 */
#ifndef INTAKE_UTF8_H
#define INTAKE_UTF8_H

#include "intake/error.h" /* IK_API */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Length (1 to 4) of the valid UTF-8 sequence at p, with avail bytes left
 * (at least 1); 0 when it is invalid: a stray continuation byte, an
 * overlong form, a surrogate, past U+10FFFF or cut short. *cp (may be
 * NULL) receives the code point.
 */
IK_API size_t ik_utf8_decode(const unsigned char *p, size_t avail,
                             uint32_t *cp);

/*
 * Whether code point cp must not reach a terminal as it is: the C0
 * controls, DEL and the C1 controls (ESC and CSI start escape sequences
 * that set window titles, write the clipboard, clear or rewrite the
 * screen) and the bidirectional embeddings, overrides and isolates
 * U+202A-U+202E and U+2066-U+2069, which reorder the text shown around
 * them. The one definition for pack texts, answers, labels and messages.
 */
IK_API bool ik_utf8_is_unsafe(uint32_t cp);

/*
 * Byte offset of the first invalid UTF-8 sequence or unsafe character in
 * s[0..n), or n when there is none. *cp (may be NULL) receives the unsafe
 * code point, or IK_UTF8_INVALID for invalid UTF-8.
 */
#define IK_UTF8_INVALID 0xFFFFFFFFu
IK_API size_t ik_utf8_find_unsafe(const char *s, size_t n, uint32_t *cp);

/*
 * Copy the string src into dst[0..cap) with each unsafe character written
 * as the JSON escape that stands for it (ESC as \u001b) and each byte of
 * invalid UTF-8 as \xff, so quoting text back can never drive a
 * terminal. Truncates (never inside an escape or a character) and always
 * NUL-terminates when cap > 0.
 */
IK_API void ik_utf8_escape(char *dst, size_t cap, const char *src);

#ifdef __cplusplus
}
#endif

#endif
