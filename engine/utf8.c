/*
 * utf8.c -- UTF-8 decoding and the \uXXXX hex digits of JSON escapes.
 */
#include "utf8.h"

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
