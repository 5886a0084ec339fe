/*
 * utf8.h -- the one UTF-8 decoder of the core (JSON readers, answers,
 * sessions); the decoder and the unsafe-character rule are public
 * (intake/utf8.h). Pure functions; no allocation, no I/O.
 */
#ifndef IK_UTF8_H
#define IK_UTF8_H

#include "intake/utf8.h"

/* Value of the four hex digits at s (avail bytes left), or -1. */
long ik_hex4(const char *s, size_t avail);

#endif
