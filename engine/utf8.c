/*
 * utf8.c -- UTF-8 decoding, the characters a terminal must not be sent,
 * and the \uXXXX hex digits of JSON escapes.
 */
#include "utf8.h"

#include <stdio.h>
#include <string.h>

size_t ik_utf8_decode(const unsigned char *p, size_t avail, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t n, k;
    uint32_t v;

    if (c < 0x80) {
        n = 1;
        v = c;
    } else {
        if (c >= 0xC2 && c <= 0xDF)
            n = 2, v = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3, v = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4, v = c & 0x07;
        else
            return 0;
        if (avail < n)
            return 0;
        for (k = 1; k < n; k++) {
            if ((p[k] & 0xC0) != 0x80)
                return 0;
            v = (v << 6) | (p[k] & 0x3F);
        }
        if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF ||
            (v >= 0xD800 && v <= 0xDFFF))
            return 0;
    }
    if (cp)
        *cp = v;
    return n;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long ik_hex4(const char *s, size_t avail)
{
    long v = 0;
    int k;

    if (avail < 4)
        return -1;
    for (k = 0; k < 4; k++) {
        int h = hexval(s[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

bool ik_utf8_is_unsafe(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t ik_utf8_find_unsafe(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t off = 0, k;
    uint32_t c = 0;

    while (off < n) {
        if (u[off] >= 0x20 && u[off] < 0x7F) { /* printable ASCII */
            off++;
            continue;
        }
        k = ik_utf8_decode(u + off, n - off, &c);
        if (k == 0 || ik_utf8_is_unsafe(c)) {
            if (cp)
                *cp = k == 0 ? IK_UTF8_INVALID : c;
            return off;
        }
        off += k;
    }
    return n;
}

void ik_utf8_escape(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src), off = 0, o = 0, k;
    uint32_t cp;
    char esc[12];

    if (cap == 0)
        return;
    while (off < n) {
        size_t at = ik_utf8_find_unsafe(src + off, n - off, &cp);
        const char *put = src + off;

        k = at; /* the safe run first, whole characters only */
        if (o + k >= cap) {
            k = cap - 1 - o;
            while (k > 0 && ((unsigned char)put[k] & 0xC0) == 0x80)
                k--;
            memcpy(dst + o, put, k);
            o += k;
            break;
        }
        memcpy(dst + o, put, k);
        o += k;
        off += at;
        if (off == n)
            break;
        if (cp == IK_UTF8_INVALID) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned char)src[off]);
            off++;
        } else {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
            off += ik_utf8_decode((const unsigned char *)src + off, n - off,
                                  NULL);
        }
        if (o + strlen(esc) >= cap)
            break;
        memcpy(dst + o, esc, strlen(esc));
        o += strlen(esc);
    }
    dst[o] = '\0';
}
