/*
 * answers_json.c -- answers objects in JSON text <-> answer slots, shared
 * by batch and `run --answers`. A strict JSON reader (json.c's rules,
 * without cJSON's malloc per node) reads an answers object straight into
 * its questions' slots (or builds values in the caller's arena); binding
 * and checking each member is outcome.c's. No I/O.
 */
#include "answers_json.h"

#include "answer.h"
#include "error.h"
#include "json.h"
#include "outcome.h"
#include "utf8.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- A strict JSON reader straight into values ----
 *
 * batch reads one answers object per record; going through cJSON (a
 * malloc per node, then a copy into values) was half of a record's cost.
 * This reader accepts and refuses exactly what json.c does (same rules,
 * same messages: no NUL, valid UTF-8, no \u0000 or lone surrogates,
 * strict numbers, finite values, no duplicate keys, nesting limit, nothing
 * after the value) and builds ik_values in the arena, with no malloc.
 *
 * It walks a pointer over the text, whose end is its only NUL (text[len]
 * is '\0'): every test for the end is the test for that byte, and a text
 * with a NUL inside fails at or before it, where the failure reports the
 * first NUL instead (as if checked first). Strings are scanned 16 bytes at
 * a time where the processor has SSE2. A member's slot is known before
 * its value is read, so the value is read straight into the slot, and
 * one no slot takes is checked without being built.
 */

#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct reader {
    const char *s;   /* the text; s[len] is '\0' */
    const char *end; /* s + len */
    size_t len;
    ik_arena *a;
    const char *file;
    ik_error *err;
    ik_status st;
    ik_member *stack; /* items of the containers being read, innermost last */
    size_t nstack, capstack;
    /* ik_json_read_slots: the top-level members go to slots, strings
     * without escapes are borrowed from s, no top-level object is built */
    ik_slot_fn slot_of;
    void *slot_ctx;
    bool borrow; /* string values without escapes point into s */
    ik_value *slots;
    uint32_t nslots;
} reader;

/* A text with a NUL inside is refused there, whatever failed first. */
static bool rd_nul(reader *r)
{
    const char *nul = memchr(r->s, '\0', r->len);
    int line, col;

    if (!nul)
        return false;
    ik_json_linecol(r->s, r->len, (size_t)(nul - r->s), &line, &col);
    r->st = ik_fail_at(r->err, IK_ESYNTAX, r->file, line, col, "%s",
                       "NUL byte in JSON text");
    return true;
}

static const char *rd_fail(reader *r, ik_status code, const char *at,
                           const char *fmt, ...) IK_PRINTF(4, 5);

/* Fail at byte at (NULL: no position); returns NULL. */
static const char *rd_fail(reader *r, ik_status code, const char *at,
                           const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    int line = 0, col = 0;

    if (rd_nul(r))
        return NULL;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (at)
        ik_json_linecol(r->s, r->len, (size_t)(at - r->s), &line, &col);
    r->st = ik_fail_at(r->err, code, r->file, line, col, "%s", msg);
    return NULL;
}

static const char *rd_unclosed(reader *r, const char *open)
{
    if (!rd_nul(r))
        r->st = ik_json_fail_unclosed(r->s, r->len, r->file,
                                      (size_t)(open - r->s), r->err);
    return NULL;
}

static const char *rd_oom(reader *r)
{
    if (!rd_nul(r))
        r->st = ik_fail(r->err, IK_ENOMEM, "out of memory reading answers");
    return NULL;
}

/* JSON's whitespace: space, tab, line feed, carriage return. */
static const char *rd_ws(const char *p)
{
    if ((unsigned char)*p > ' ')
        return p; /* the common case: no space */
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One escape at p (the backslash): checked, decoded into o + *n when o
 * is not NULL; returns past it, or NULL after failing. */
static const char *rd_escape(reader *r, const char *p, char *o, size_t *n)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *at = p;
    char e = p[1]; /* the text's final NUL at the end */
    const char *k = e ? strchr(from, e) : NULL;
    size_t avail = (size_t)(r->end - at) - 2;
    long u, lo;

    if (k) {
        if (o)
            o[(*n)++] = to[k - from];
        return p + 2;
    }
    if (e != 'u')
        return rd_fail(r, IK_ESYNTAX, at, "invalid escape in string");
    u = ik_hex4(at + 2, avail);
    if (u < 0)
        return rd_fail(r, IK_ESYNTAX, at, "\\u needs four hex digits");
    if (u == 0)
        return rd_fail(r, IK_ESYNTAX, at, "\\u0000 is not allowed in strings");
    p = at + 6;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return rd_fail(r, IK_ESYNTAX, at, "unpaired low surrogate in string");
    if (u >= 0xD800 && u <= 0xDBFF) {
        if (r->end - p < 6 || p[0] != '\\' || p[1] != 'u')
            return rd_fail(r, IK_ESYNTAX, at,
                           "unpaired high surrogate in string");
        lo = ik_hex4(p + 2, (size_t)(r->end - p) - 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return rd_fail(r, IK_ESYNTAX, at,
                           "unpaired high surrogate in string");
        p += 6;
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (o)
        *n += put_utf8(o + *n, (uint32_t)u);
    return p;
}

/* 1 for the bytes a string holds as they are: printable ASCII but '"'
 * and '\\'. */
/* clang-format off */
static const unsigned char plain_ascii[256] = {
    ['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* '"' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x30 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50: '\\' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x70 */
};
/* clang-format on */

/* The first byte from p on that is not plain_ascii (there is one: the
 * text ends in a NUL). Whole blocks of 16 plain bytes are passed at once
 * where SSE2 has them (a byte is flagged when it is '"', '\\', or below
 * 0x20 or from 0x80 as a signed byte: exactly the bytes that are not
 * plain); the byte loop finds the rest. */
static inline const unsigned char *skip_plain(const reader *r,
                                              const unsigned char *p)
{
#ifdef __SSE2__
    const unsigned char *stop = (const unsigned char *)r->end + 1;
    const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'),
                  space = _mm_set1_epi8(' ');

    while (stop - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bs)),
            _mm_cmplt_epi8(v, space));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);

        if (bits)
            return p + __builtin_ctz(bits);
        p += 16;
    }
#else
    (void)r;
#endif
    while (plain_ascii[*p])
        p++;
    return p;
}

/* The rest of rd_string: the string at p, scanned up to q (its first
 * byte that is not plain). */
static const char *rd_string_rest(reader *r, const char *p,
                                  const unsigned char *q, ik_value *out,
                                  bool borrow)
{
    const char *start = p, *end;
    bool escapes = false;
    size_t n = 0;
    char *d;

    for (;; q = skip_plain(r, q)) {
        unsigned char c = *q;

        if (c == '"')
            break;
        if (c == '\\') {
            escapes = true;
            if (!(q = (const unsigned char *)rd_escape(r, (const char *)q,
                                                       NULL, NULL)))
                return NULL;
        } else if (c == '\0') {
            return rd_fail(r, IK_ESYNTAX, start, "unterminated string");
        } else if (c == '\n' || c == '\r') {
            return rd_fail(r, IK_ESYNTAX, start, IK_JSON_MSG_STRING_LINE);
        } else if (c < 0x20) {
            return rd_fail(r, IK_ESYNTAX, (const char *)q,
                           "control character in string (use an escape)");
        } else {
            size_t k = ik_utf8_decode(
                q, (size_t)((const unsigned char *)r->end - q), NULL);
            if (k == 0)
                return rd_fail(r, IK_ESYNTAX, (const char *)q,
                               "invalid UTF-8 in string");
            q += k;
        }
    }
    end = (const char *)q;
    if ((size_t)(end - start - 1) > UINT32_MAX)
        return rd_fail(r, IK_ELIMIT, start, "string too long");
    if (!out)
        return end + 1;
    if (!escapes && borrow) {
        *out = ik_str(start + 1, (uint32_t)(end - start - 1));
        return end + 1;
    }
    if (!escapes) {
        d = ik_arena_strndup(r->a, start + 1, (size_t)(end - start - 1));
        if (!d)
            return rd_oom(r);
        *out = ik_str(d, (uint32_t)(end - start - 1));
        return end + 1;
    }
    d = ik_arena_alloc(r->a, (size_t)(end - start));
    if (!d)
        return rd_oom(r);
    for (p = start + 1; p < end;) {
        if (*p == '\\')
            p = rd_escape(r, p, d, &n);
        else
            d[n++] = *p++;
    }
    d[n] = '\0';
    *out = ik_str(d, (uint32_t)n);
    return end + 1;
}

/* A string at p (the opening quote) into *out (out NULL: checked only;
 * copied into the arena, escapes decoded; borrow: one without escapes
 * points into the text, without a NUL). Validates first, then copies or
 * decodes. Returns past the closing quote, NULL after failing. Inline:
 * a plain string borrowed or only checked; the rest in rd_string_rest. */
static inline const char *rd_string(reader *r, const char *p, ik_value *out,
                                    bool borrow)
{
    const unsigned char *q = skip_plain(r, (const unsigned char *)p + 1);
    size_t n = (size_t)((const char *)q - p - 1);

    if (*q == '"' && (borrow || !out) && n <= UINT32_MAX) {
        if (out)
            *out = ik_str(p + 1, (uint32_t)n);
        return (const char *)q + 1;
    }
    return rd_string_rest(r, p, q, out, borrow);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number at p, its digits gathered as they are checked: up to 19
 * digits with a small exponent are converted by value.c's
 * ik_num_from_parts, the rest by ik_num_read (the same rounding). */
static const char *rd_number(reader *r, const char *p, ik_value *out)
{
    const char *at = p;
    uint64_t v = 0;
    size_t digits = 0, frac = 0; /* a text may hold more than INT_MAX */
    long e = 0;
    bool neg = *p == '-', eneg = false;
    double d;

    p += neg;
    if (!is_digit(*p))
        return rd_fail(r, IK_ESYNTAX, at, "invalid number");
    if (*p == '0' && is_digit(p[1]))
        return rd_fail(r, IK_ESYNTAX, at, "numbers may not start with 0");
    do {
        v = v * 10 + (uint64_t)(*p++ - '0'); /* wraps past 19 digits: */
        digits++;                            /* not used then */
    } while (is_digit(*p));
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return rd_fail(r, IK_ESYNTAX, at,
                           "a digit must follow the decimal point");
        do {
            v = v * 10 + (uint64_t)(*p++ - '0');
            digits++;
            frac++;
        } while (is_digit(*p));
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        if (!is_digit(*p))
            return rd_fail(r, IK_ESYNTAX, at, "invalid exponent in number");
        do {
            if (e < 100000)
                e = e * 10 + (*p - '0');
            p++;
        } while (is_digit(*p));
    }
    if (digits > 19 || /* then frac <= 19 */
        !ik_num_from_parts(v, (int)((eneg ? -e : e) - (long)frac), neg, &d)) {
        /* a JSON literal is never NaN: NAN says a long one found no
         * memory */
        d = ik_num_read(at, (size_t)(p - at));
        if (isnan(d))
            return rd_oom(r);
    }
    if (!isfinite(d))
        return rd_fail(r, IK_ESYNTAX, at, "number is out of range");
    if (out)
        *out = ik_num(d);
    return p;
}

static const char *rd_word(reader *r, const char *p, const char *w, size_t n,
                           ik_value v, ik_value *out)
{
    size_t k;

    for (k = 0; k < n && p[k] == w[k]; k++)
        ; /* stops at the text's final NUL */
    if (k < n)
        return rd_fail(r, IK_ESYNTAX, p, "unexpected character '%c'", *p);
    if (out)
        *out = v;
    return p + n;
}

/* rd_push when the stack is full: a block twice the size. */
static bool rd_grow(reader *r)
{
    size_t cap = r->capstack ? r->capstack * 2 : 64;
    ik_member *p = ik_arena_alloc(r->a, cap * sizeof *p);

    if (!p)
        return rd_oom(r);
    if (r->nstack)
        memcpy(p, r->stack, r->nstack * sizeof *p);
    r->stack = p; /* the old block stays in the arena until reset */
    r->capstack = cap;
    return true;
}

static inline bool rd_push(reader *r, const ik_member *m)
{
    if (r->nstack == r->capstack && !rd_grow(r))
        return false;
    r->stack[r->nstack++] = *m;
    return true;
}

static uint32_t key_hash(const ik_member *m)
{
    uint32_t h = 2166136261u, k;

    for (k = 0; k < m->klen; k++)
        h = (h ^ (unsigned char)m->key[k]) * 16777619u;
    return h;
}

static bool same_key(const ik_member *x, const ik_member *y)
{
    return x->klen == y->klen && memcmp(x->key, y->key, x->klen) == 0;
}

/* The first member (in text order) whose key an earlier one has, or NULL;
 * *oom when the table for a big object could not be allocated. Linear:
 * pairs for small objects, an open-addressed table for big ones. */
static const ik_member *duplicate_key(reader *r, const ik_member *m, size_t n,
                                      bool *oom)
{
    uint32_t *slot, mask, h;
    size_t i, k, cap = 64;

    *oom = false;
    if (n <= 8) {
        for (i = 1; i < n; i++)
            for (k = 0; k < i; k++)
                if (same_key(&m[i], &m[k]))
                    return &m[i];
        return NULL;
    }
    while (cap < 2 * n)
        cap *= 2;
    slot = ik_arena_alloc(r->a, cap * sizeof *slot);
    if (!slot) {
        *oom = true;
        return NULL;
    }
    memset(slot, 0, cap * sizeof *slot); /* 0: empty; else index + 1 */
    mask = (uint32_t)cap - 1;
    for (i = 0; i < n; i++) {
        for (h = key_hash(&m[i]) & mask; slot[h]; h = (h + 1) & mask)
            if (same_key(&m[slot[h] - 1], &m[i]))
                return &m[i];
        slot[h] = (uint32_t)i + 1;
    }
    return NULL;
}

static const char *rd_value(reader *r, const char *p, ik_value *out,
                            int depth);
static const char *rd_other(reader *r, const char *p, ik_value *out, int depth);

/* Where the key of member k of the object at open (read without error
 * once already) starts: read it again up to there. Only for a message, so
 * the happy path keeps no offsets; open itself if reading fails. */
static const char *key_offset(reader *r, const char *open, size_t k, int depth)
{
    const char *p = open + 1;
    size_t j;

    for (j = 0;; j++) {
        p = rd_ws(p);
        if (j == k)
            return p;
        if (!(p = rd_string(r, p, NULL, true)))
            return open;
        p = rd_ws(p) + 1; /* ':' */
        if (!(p = rd_value(r, p, NULL, depth + 1)))
            return open;
        p = rd_ws(p) + 1; /* ',' */
    }
}

/* A duplicate key: the object at open, its member k. */
static const char *rd_duplicate(reader *r, const char *open, size_t k,
                                int depth, const ik_member *dup)
{
    return rd_fail(r, IK_ESYNTAX, key_offset(r, open, k, depth),
                   "duplicate key \"%.*s\"",
                   (int)(dup->klen > 100 ? 100 : dup->klen), dup->key);
}

/* A member's key and its ':' at p (after the object's '{' or ','), into
 * *key; returns past the ':', NULL after failing. */
static inline const char *rd_key(reader *r, const char *p, const char *open,
                                 ik_value *key, bool borrow)
{
    p = rd_ws(p);
    if (*p == '\0')
        return rd_unclosed(r, open);
    if (*p != '"')
        return rd_fail(r, IK_ESYNTAX, p, "expected a quoted key");
    if (!(p = rd_string(r, p, key, borrow)))
        return NULL;
    p = rd_ws(p);
    if (*p == '\0')
        return rd_unclosed(r, open);
    if (*p != ':')
        return rd_fail(r, IK_ESYNTAX, p, "expected ':' after the key");
    return p + 1;
}

/* After a member or item at p: the ',' and the space after it, or at the
 * closing bracket (*done set, p on it); NULL after failing. */
static inline const char *rd_next(reader *r, const char *p, const char *open,
                                  char close, bool *done)
{
    p = rd_ws(p);
    if (*p == '\0')
        return rd_unclosed(r, open);
    if (*p == close) {
        *done = true;
        return p;
    }
    if (*p != ',')
        return rd_fail(r, IK_ESYNTAX, p,
                       close == '}' ? "expected ',' or '}'"
                                    : "expected ',' or ']'");
    p = rd_ws(p + 1);
    if (*p == close)
        return rd_fail(r, IK_ESYNTAX, p, "trailing comma");
    return p;
}

/*
 * The top-level object of ik_json_read_slots at p ('{'): each member's
 * slot is asked for as its key is read, and its value read straight into
 * that slot; a member no slot takes is checked, not built, and its key
 * kept (with its position in val.len) to be compared with the other such
 * keys when the object closes. Refused for a duplicate key as any object
 * is: a slot met twice, or two kept keys alike, the first in text order.
 */
static const char *rd_slot_object(reader *r, const char *p, ik_value *out)
{
    const char *open = p;
    size_t base = r->nstack, k, dupk = SIZE_MAX;
    const ik_member *odup;
    ik_member m, *kept;
    bool oom, done = false;

    p = rd_ws(p + 1);
    if (*p == '}') {
        *out = (ik_value){IK_OBJ, 0, {.members = NULL}};
        return p + 1;
    }
    for (k = 0; !done; k++) {
        ik_value key;
        uint32_t slot;

        if (!(p = rd_key(r, p, open, &key, true)))
            return NULL;
        if (k > UINT32_MAX)
            return rd_fail(r, IK_ELIMIT, open, "too many items");
        slot = r->slot_of(r->slot_ctx, (uint32_t)k, key.u.str, key.len);
        if (slot < r->nslots && r->slots[slot].kind == IK_UNDEF) {
            p = rd_value(r, p, &r->slots[slot], 1);
        } else {
            if (slot < r->nslots) {
                dupk = dupk == SIZE_MAX ? k : dupk;
            } else {
                m.key = key.u.str;
                m.klen = key.len;
                m.val = (ik_value){IK_UNDEF, (uint32_t)k, {0}};
                if (!rd_push(r, &m))
                    return NULL;
            }
            p = rd_value(r, p, NULL, 1);
        }
        if (!p || !(p = rd_next(r, p, open, '}', &done)))
            return NULL;
    }
    kept = r->nstack > base ? r->stack + base : NULL; /* none pushed:
                                                          stack may be NULL */
    odup = duplicate_key(r, kept, r->nstack - base, &oom);
    if (oom)
        return rd_oom(r);
    if (odup && odup->val.len < dupk)
        dupk = odup->val.len;
    if (dupk != SIZE_MAX) {
        size_t j;

        for (j = base; j < r->nstack && r->stack[j].val.len != dupk; j++)
            ;
        if (j < r->nstack) {
            m = r->stack[j];
        } else { /* a slot's key: read it again */
            const char *kp = key_offset(r, open, dupk, 0);
            ik_value kv = ik_undef();

            if (*kp == '"' && !rd_string(r, kp, &kv, true))
                return NULL;
            m.key = kv.u.str;
            m.klen = kv.len;
        }
        return rd_duplicate(r, open, dupk, 0, &m);
    }
    r->nstack = base;
    *out = (ik_value){IK_OBJ, 0, {.members = NULL}};
    return p + 1;
}

/* An array or object at p; out NULL: checked only (an object's keys are
 * still kept on the stack until it closes, for duplicates). */
static const char *rd_container(reader *r, const char *p, ik_value *out,
                                int depth)
{
    char close = *p == '{' ? '}' : ']';
    bool obj = close == '}';
    const char *open = p;
    size_t base = r->nstack, n = 0;
    ik_member m;
    const ik_member *dup;
    bool oom, done = false;

    if (depth >= IK_JSON_MAX_DEPTH)
        return rd_fail(r, IK_ESYNTAX, open, "nested deeper than %d levels",
                       IK_JSON_MAX_DEPTH);
    p = rd_ws(p + 1);
    if (*p == close) {
        if (out)
            *out = obj ? (ik_value){IK_OBJ, 0, {.members = NULL}}
                       : (ik_value){IK_ARR, 0, {.items = NULL}};
        return p + 1;
    }
    while (!done) {
        memset(&m, 0, sizeof m);
        if (obj) {
            ik_value k;

            /* slot_of: keys are used in the read only */
            if (!(p = rd_key(r, p, open, &k, r->slot_of != NULL)))
                return NULL;
            m.key = k.u.str;
            m.klen = k.len;
        }
        if (!(p = rd_value(r, p, out ? &m.val : NULL, depth + 1)))
            return NULL;
        if ((out || obj) && !rd_push(r, &m))
            return NULL;
        n++;
        if (!(p = rd_next(r, p, open, close, &done)))
            return NULL;
    }
    if (n > UINT32_MAX)
        return rd_fail(r, IK_ELIMIT, open, "too many items");
    if (obj) {
        const ik_member *ms = r->stack + base;

        if (out) {
            ik_member *copy = ik_arena_alloc(r->a, n * sizeof *copy);

            if (!copy)
                return rd_oom(r);
            memcpy(copy, ms, n * sizeof *copy);
            ms = copy;
        }
        dup = duplicate_key(r, ms, n, &oom);
        if (oom)
            return rd_oom(r);
        if (dup)
            return rd_duplicate(r, open, (size_t)(dup - ms), depth, dup);
        if (out)
            *out = (ik_value){IK_OBJ, (uint32_t)n, {.members = ms}};
    } else if (out) {
        ik_value *items = ik_arena_alloc(r->a, n * sizeof *items);
        size_t k;

        if (!items)
            return rd_oom(r);
        for (k = 0; k < n; k++)
            items[k] = r->stack[base + k].val;
        *out = (ik_value){IK_ARR, (uint32_t)n, {.items = items}};
    }
    r->nstack = base;
    return p + 1;
}

/* A value at p that is not a string or a number into *out (NULL:
 * checked only). */
static const char *rd_other(reader *r, const char *p, ik_value *out, int depth)
{
    switch (*p) {
    case '{':
        if (r->slot_of && depth == 0)
            return rd_slot_object(r, p, out);
        return rd_container(r, p, out, depth);
    case '[':
        return rd_container(r, p, out, depth);
    case 't':
        return rd_word(r, p, "true", 4, ik_bool(true), out);
    case 'f':
        return rd_word(r, p, "false", 5, ik_bool(false), out);
    case 'n':
        return rd_word(r, p, "null", 4, ik_null(), out);
    case '\0':
        return rd_fail(r, IK_ESYNTAX, r->end, "unexpected end of input");
    default:
        if ((unsigned char)*p >= 0x80)
            return rd_fail(r, IK_ESYNTAX, p, "unexpected non-ASCII character");
        return rd_fail(r, IK_ESYNTAX, p, "unexpected character '%c'", *p);
    }
}

/* A value at p (after any space) into *out (NULL: checked only). */
static inline const char *rd_value(reader *r, const char *p, ik_value *out,
                                   int depth)
{
    p = rd_ws(p);
    if (*p == '"')
        return rd_string(r, p, out, r->borrow);
    if (*p == '-' || is_digit(*p))
        return rd_number(r, p, out);
    return rd_other(r, p, out, depth);
}

/* Read text as one JSON object into *obj (in a); with r->slot_of set,
 * its members into r->slots instead. */
static ik_status read_object(reader *r0, const char *text, size_t len,
                             const char *file, ik_arena *a, ik_value *obj,
                             ik_error *err)
{
    reader r = *r0;
    const char *p = text;

    r.s = text;
    r.end = text + len;
    r.len = len;
    r.a = a;
    r.file = file ? file : "";
    r.err = err;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if (!(p = rd_value(&r, p, obj, 0)))
        return r.st;
    p = rd_ws(p);
    if (p != r.end) {
        rd_fail(&r, IK_ESYNTAX, p, "unexpected text after the JSON value");
        return r.st;
    }
    if (obj->kind != IK_OBJ)
        return ik_fail_at(err, IK_EANSWER, r.file, 1, 1,
                          "answers must be a JSON object of question ids");
    return IK_OK;
}

static ik_status parse_object(const char *text, size_t len, const char *file,
                              ik_arena *a, ik_value *obj, ik_error *err)
{
    reader r;

    memset(&r, 0, sizeof r);
    return read_object(&r, text, len, file, a, obj, err);
}

/* ik_json_read_slots, with string values borrowed from text or not */
static ik_status read_slots(const char *text, size_t len, const char *file,
                            ik_arena *a, ik_slot_fn slot_of, void *ctx,
                            ik_value *slots, uint32_t nslots, bool borrow,
                            ik_error *err)
{
    reader r;
    ik_value obj;

    if (nslots)
        memset(slots, 0, nslots * sizeof *slots); /* IK_UNDEF */
    memset(&r, 0, sizeof r);
    r.borrow = borrow;
    r.slot_of = slot_of;
    r.slot_ctx = ctx;
    r.slots = slots;
    r.nslots = nslots;
    return read_object(&r, text, len, file, a, &obj, err);
}

ik_status ik_json_read_slots(const char *text, size_t len, const char *file,
                             ik_arena *a, ik_slot_fn slot_of, void *ctx,
                             ik_value *slots, uint32_t nslots, ik_error *err)
{
    return read_slots(text, len, file, a, slot_of, ctx, slots, nslots, true,
                      err);
}

/* After a refusal naming err->path "/<id>", point err at that member
 * (parsing again with positions: errors are rare, lines are short). */
static void locate_member(const char *text, size_t len, const char *file,
                          ik_error *err)
{
    ik_json_doc doc;
    ik_error perr;
    const cJSON *m;

    if (err->path[0] != '/' ||
        ik_json_parse(text, len, file, IK_JSON_POSITIONS, &doc, &perr) != IK_OK)
        return;
    m = ik_json_get(doc.root, err->path + 1);
    if (m) {
        ik_json_linecol(text, len, ik_json_offset(&doc, m, true), &err->line,
                        &err->col);
        ik_strlcpy(err->file, file ? file : "", sizeof err->file);
    }
    ik_json_doc_fini(&doc);
}

/* A multi answer is recorded in option order (as the interview records
 * it): reorder any that came in another order, into a copy in a. Every
 * item is already a distinct option (ik_answer_check refuses repeats). */
static ik_status order_multi(const ik_rulebook *rb, ik_arena *a,
                             ik_value *answers, ik_error *err)
{
    uint32_t q, i, k, n;

    for (q = 0; q < rb->nquestions; q++) {
        const ik_question *qq = &rb->questions[q];
        ik_value v = answers[q], *sorted;
        bool in_order = true;
        uint32_t prev = 0;

        if (qq->type != IK_Q_MULTI || v.kind != IK_ARR || v.len < 2)
            continue;
        for (i = 0; i < v.len && in_order; i++) {
            for (k = 0; k < qq->noptions; k++)
                if (ik_option_vlen(&qq->options[k]) == v.u.items[i].len &&
                    memcmp(qq->options[k].value, v.u.items[i].u.str,
                           v.u.items[i].len) == 0)
                    break;
            if (i > 0 && k < prev)
                in_order = false;
            prev = k;
        }
        if (in_order)
            continue;
        sorted = ik_arena_alloc(a, v.len * sizeof *sorted);
        if (!sorted)
            return ik_fail(err, IK_ENOMEM, "out of memory reading answers");
        for (k = 0, n = 0; k < qq->noptions && n < v.len; k++) {
            size_t ol = ik_option_vlen(&qq->options[k]);
            for (i = 0; i < v.len; i++)
                if (v.u.items[i].len == ol &&
                    memcmp(qq->options[k].value, v.u.items[i].u.str, ol) == 0) {
                    sorted[n++] = v.u.items[i];
                    break;
                }
        }
        answers[q].u.items = sorted;
        answers[q].len = n;
    }
    return IK_OK;
}

/* The slot_of of an answers object: a member's slot is its question
 * (the symbols of rb->logic are the question ids first); a member that
 * names no question (or a derived value) is counted and dropped. */
typedef struct answer_keys {
    const ik_rulebook *rb;
    uint32_t guess;  /* the question after the last member's */
    uint32_t nother; /* members that name no question */
} answer_keys;

static uint32_t answer_slot(void *ctx, uint32_t pos, const char *key,
                            uint32_t klen)
{
    answer_keys *k = ctx;
    uint32_t q;

    if (pos == 0)
        k->guess = 0;
    q = ik_outcome_question_of(k->rb, k->guess, key, klen);
    if (q == IK_NONE)
        k->nother++;
    else
        k->guess = q + 1;
    return q;
}

/* The refusal of an answers object whose members do not all bind: the
 * object is read again as one (the same reader) and bound member by
 * member, so the first bad member in text order is the one named, as
 * ik_outcome_bind_answers names it; lenient drops those that name no
 * question first. Errors are rare and lines short. */
static ik_status refuse(const ik_rulebook *rb, const char *text, size_t len,
                        const char *file, ik_arena *a, ik_value *answers,
                        bool lenient, ik_error *err)
{
    ik_value obj;
    ik_member *kept;
    uint32_t i, n = 0;
    ik_status st;

    st = parse_object(text, len, file, a, &obj, err);
    if (st != IK_OK)
        return st;
    if (lenient) {
        kept = ik_arena_alloc(a, (obj.len ? obj.len : 1) * sizeof *kept);
        if (!kept)
            return ik_fail(err, IK_ENOMEM, "out of memory reading answers");
        for (i = 0; i < obj.len; i++)
            if (ik_outcome_question_of(rb, IK_NONE, obj.u.members[i].key,
                                       obj.u.members[i].klen) != IK_NONE)
                kept[n++] = obj.u.members[i];
        obj.u.members = kept;
        obj.len = n;
    }
    st = ik_outcome_bind_answers(rb, obj, answers, err);
    if (st == IK_EANSWER)
        locate_member(text, len, file, err);
    return st;
}

/* The answers reader: borrow says whether string answers without
 * escapes point into text (batch) or are copied into a (the rest). */
static ik_status read_answers(const ik_rulebook *rb, const char *text,
                              size_t len, const char *file, ik_arena *a,
                              ik_value *answers, size_t *ndropped, bool borrow,
                              ik_error *err)
{
    answer_keys keys = {rb, 0, 0};
    ik_error e;
    uint32_t q;
    ik_status st;

    if (ndropped)
        *ndropped = 0;
    st = read_slots(text, len, file, a, answer_slot, &keys, answers,
                    rb->nquestions, borrow, err);
    if (st != IK_OK)
        return st;
    if (keys.nother && !ndropped)
        return refuse(rb, text, len, file, a, answers, false, err);
    for (q = 0; q < rb->nquestions; q++)
        if (answers[q].kind != IK_UNDEF &&
            ik_answer_check(&rb->questions[q], answers[q], &e) != IK_OK)
            return refuse(rb, text, len, file, a, answers, ndropped != NULL,
                          err);
    if (ndropped)
        *ndropped = keys.nother;
    return order_multi(rb, a, answers, err);
}

ik_status ik_answers_json_read(const ik_rulebook *rb, const char *text,
                               size_t len, const char *file, ik_arena *a,
                               ik_value *answers, size_t *ndropped,
                               ik_error *err)
{
    return read_answers(rb, text, len, file, a, answers, ndropped, true, err);
}

ik_status ik_answers_json_parse(const ik_rulebook *rb, const char *text,
                                size_t len, const char *file, ik_arena *a,
                                ik_value *answers, ik_error *err)
{
    return read_answers(rb, text, len, file, a, answers, NULL, false, err);
}

ik_status ik_answers_json_parse_lenient(const ik_rulebook *rb, const char *text,
                                        size_t len, ik_arena *a,
                                        ik_value *answers, size_t *ndropped,
                                        ik_error *err)
{
    return read_answers(rb, text, len, "", a, answers, ndropped, false, err);
}

void ik_answers_json_write(const ik_rulebook *rb, const ik_value *answers,
                           ik_buf *b)
{
    uint32_t i;
    bool first = true;

    ik_buf_putc(b, '{');
    for (i = 0; i < rb->nquestions; i++) {
        if (answers[i].kind == IK_UNDEF)
            continue;
        if (!first)
            ik_buf_putc(b, ',');
        first = false;
        ik_buf_put_json_string(b, rb->questions[i].id,
                               strlen(rb->questions[i].id));
        ik_buf_putc(b, ':');
        ik_value_write_json(b, answers[i]);
    }
    ik_buf_putc(b, '}');
}
