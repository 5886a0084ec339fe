/*
 * utf8.h -- the one UTF-8 decoder of the core (JSON readers, answers,
 * sessions). Pure functions; no allocation, no I/O.
 */
#ifndef IK_UTF8_H
#define IK_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length (1 to 4) of the valid UTF-8 sequence at p, with avail bytes left
 * (at least 1); 0 when it is invalid: a stray continuation byte, an
 * overlong form, a surrogate, past U+10FFFF or cut short. *cp (may be
 * NULL) receives the code point.
 */
size_t ik_utf8_decode(const unsigned char *p, size_t avail, uint32_t *cp);

/* Value of the four hex digits at s (avail bytes left), or -1. */
long ik_hex4(const char *s, size_t avail);

#endif
