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
 */

typedef struct reader {
    const char *s;
    size_t len, i;
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

static bool rd_fail(reader *r, ik_status code, size_t at, const char *fmt, ...)
    IK_PRINTF(4, 5);

static bool rd_fail(reader *r, ik_status code, size_t at, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    int line = 0, col = 0;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (at != SIZE_MAX)
        ik_json_linecol(r->s, r->len, at, &line, &col);
    r->st = ik_fail_at(r->err, code, r->file, line, col, "%s", msg);
    return false;
}

static bool rd_unclosed(reader *r, size_t open)
{
    r->st = ik_json_fail_unclosed(r->s, r->len, r->file, open, r->err);
    return false;
}

static bool rd_oom(reader *r)
{
    r->st = ik_fail(r->err, IK_ENOMEM, "out of memory reading answers");
    return false;
}

static void rd_ws(reader *r)
{
    if (r->i < r->len && (unsigned char)r->s[r->i] > ' ')
        return; /* the common case: no space */
    while (r->i < r->len) {
        char c = r->s[r->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        r->i++;
    }
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

/* One escape at r->i (the backslash): checked, decoded into o when o is
 * not NULL; returns the bytes written, or -1 after failing. */
static int rd_escape(reader *r, char *o)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    size_t at = r->i;
    char e = r->i + 1 < r->len ? r->s[r->i + 1] : '\0';
    const char *k = e ? strchr(from, e) : NULL;
    long u, lo;

    if (k) {
        if (o)
            o[0] = to[k - from];
        r->i += 2;
        return 1;
    }
    if (e != 'u')
        return rd_fail(r, IK_ESYNTAX, at, "invalid escape in string") - 1;
    u = ik_hex4(r->s + at + 2, r->len - at - 2);
    if (u < 0)
        return rd_fail(r, IK_ESYNTAX, at, "\\u needs four hex digits") - 1;
    if (u == 0)
        return rd_fail(r, IK_ESYNTAX, at, "\\u0000 is not allowed in strings") -
               1;
    r->i = at + 6;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return rd_fail(r, IK_ESYNTAX, at, "unpaired low surrogate in string") -
               1;
    if (u >= 0xD800 && u <= 0xDBFF) {
        if (r->len - r->i < 6 || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u')
            return rd_fail(r, IK_ESYNTAX, at,
                           "unpaired high surrogate in string") -
                   1;
        lo = ik_hex4(r->s + r->i + 2, r->len - r->i - 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return rd_fail(r, IK_ESYNTAX, at,
                           "unpaired high surrogate in string") -
                   1;
        r->i += 6;
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    }
    return o ? (int)put_utf8(o, (uint32_t)u) : 0;
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

/* A string at r->i (the opening quote) into *out (copied into the arena;
 * escapes decoded; borrow: one without escapes points into the text,
 * without a NUL). Validates first, then copies or decodes. */
static bool rd_string(reader *r, ik_value *out, bool borrow)
{
    size_t start = r->i, end, n = 0;
    bool escapes = false;
    char *d;

    r->i++;
    for (;;) {
        unsigned char c;

        if (r->i >= r->len)
            return rd_fail(r, IK_ESYNTAX, start, "unterminated string");
        c = (unsigned char)r->s[r->i];
        if (c == '"')
            break;
        if (c == '\\') {
            escapes = true;
            if (rd_escape(r, NULL) < 0)
                return false;
        } else if (c == '\n' || c == '\r') {
            return rd_fail(r, IK_ESYNTAX, start, IK_JSON_MSG_STRING_LINE);
        } else if (c < 0x20) {
            return rd_fail(r, IK_ESYNTAX, r->i,
                           "control character in string (use an escape)");
        } else if (c < 0x80) {
            const unsigned char *p = (const unsigned char *)r->s + r->i + 1;

            /* the common case: plain ASCII. The text ends in its only NUL
             * (read_object checked), which is not plain: no bound test */
            while (plain_ascii[*p])
                p++;
            r->i = (size_t)(p - (const unsigned char *)r->s);
        } else {
            size_t k = ik_utf8_decode((const unsigned char *)r->s + r->i,
                                      r->len - r->i, NULL);
            if (k == 0)
                return rd_fail(r, IK_ESYNTAX, r->i, "invalid UTF-8 in string");
            r->i += k;
        }
    }
    end = r->i++;
    if (end - start - 1 > UINT32_MAX)
        return rd_fail(r, IK_ELIMIT, start, "string too long");
    if (!escapes && borrow) {
        *out = ik_str(r->s + start + 1, (uint32_t)(end - start - 1));
        return true;
    }
    if (!escapes) {
        d = ik_arena_strndup(r->a, r->s + start + 1, end - start - 1);
        if (!d)
            return rd_oom(r);
        *out = ik_str(d, (uint32_t)(end - start - 1));
        return true;
    }
    d = ik_arena_alloc(r->a, end - start);
    if (!d)
        return rd_oom(r);
    for (r->i = start + 1; r->i < end;) {
        if (r->s[r->i] == '\\')
            n += (size_t)rd_escape(r, d + n);
        else
            d[n++] = r->s[r->i++];
    }
    r->i = end + 1;
    d[n] = '\0';
    *out = ik_str(d, (uint32_t)n);
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool rd_number(reader *r, ik_value *out)
{
    size_t at = r->i;
    const char *s = r->s;
    double d;

    if (r->i < r->len && s[r->i] == '-')
        r->i++;
    if (r->i >= r->len || !is_digit(s[r->i]))
        return rd_fail(r, IK_ESYNTAX, at, "invalid number");
    if (s[r->i] == '0' && r->i + 1 < r->len && is_digit(s[r->i + 1]))
        return rd_fail(r, IK_ESYNTAX, at, "numbers may not start with 0");
    while (r->i < r->len && is_digit(s[r->i]))
        r->i++;
    if (r->i < r->len && s[r->i] == '.') {
        r->i++;
        if (r->i >= r->len || !is_digit(s[r->i]))
            return rd_fail(r, IK_ESYNTAX, at,
                           "a digit must follow the decimal point");
        while (r->i < r->len && is_digit(s[r->i]))
            r->i++;
    }
    if (r->i < r->len && (s[r->i] == 'e' || s[r->i] == 'E')) {
        r->i++;
        if (r->i < r->len && (s[r->i] == '+' || s[r->i] == '-'))
            r->i++;
        if (r->i >= r->len || !is_digit(s[r->i]))
            return rd_fail(r, IK_ESYNTAX, at, "invalid exponent in number");
        while (r->i < r->len && is_digit(s[r->i]))
            r->i++;
    }
    /* value.c's one number reader, for any length of literal; a JSON
     * literal is never NaN, so NAN says a long one found no memory */
    d = ik_num_read(s + at, r->i - at);
    if (isnan(d))
        return rd_oom(r);
    if (!isfinite(d))
        return rd_fail(r, IK_ESYNTAX, at, "number is out of range");
    *out = ik_num(d);
    return true;
}

static bool rd_word(reader *r, const char *w, size_t n, ik_value v,
                    ik_value *out)
{
    if (r->len - r->i >= n && memcmp(r->s + r->i, w, n) == 0) {
        r->i += n;
        *out = v;
        return true;
    }
    return rd_fail(r, IK_ESYNTAX, r->i, "unexpected character '%c'",
                   r->s[r->i]);
}

static bool rd_push(reader *r, const ik_member *m)
{
    if (r->nstack == r->capstack) {
        size_t cap = r->capstack ? r->capstack * 2 : 64;
        ik_member *p = ik_arena_alloc(r->a, cap * sizeof *p);

        if (!p)
            return rd_oom(r);
        if (r->nstack)
            memcpy(p, r->stack, r->nstack * sizeof *p);
        r->stack = p; /* the old block stays in the arena until reset */
        r->capstack = cap;
    }
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

static bool rd_value(reader *r, ik_value *out, int depth);

/* Where the key of member k of the object at open (read without error
 * once already) starts: read it again up to there. Only for a message, so
 * the happy path keeps no offsets; open itself if reading fails. */
static size_t key_offset(reader *r, size_t open, size_t k, int depth)
{
    ik_value v;
    size_t j;

    r->i = open + 1;
    for (j = 0;; j++) {
        rd_ws(r);
        if (j == k)
            return r->i;
        if (!rd_string(r, &v, true))
            return open;
        rd_ws(r);
        r->i++; /* ':' */
        if (!rd_value(r, &v, depth + 1))
            return open;
        rd_ws(r);
        r->i++; /* ',' */
    }
}

/* The first of m[0..n) whose key an earlier one has (by position), or
 * NULL: members that name slots collide in their slot (stored as they
 * are checked), the rest are compared among themselves by key, and
 * where[] keeps each one's position among all members. */
static const ik_member *store_members(reader *r, const ik_member *m, size_t n,
                                      bool *oom)
{
    const ik_member *dup = NULL, *odup;
    ik_member *other = NULL;
    size_t *where = NULL;
    size_t k, nother = 0;

    *oom = false;
    for (k = 0; k < n; k++) {
        uint32_t slot =
            r->slot_of(r->slot_ctx, (uint32_t)k, m[k].key, m[k].klen);

        if (slot >= r->nslots) {
            if (!other && (!(other = ik_arena_alloc(r->a, n * sizeof *other)) ||
                           !(where = ik_arena_alloc(r->a, n * sizeof *where)))) {
                *oom = true;
                return NULL;
            }
            where[nother] = k;
            other[nother++] = m[k];
        } else if (r->slots[slot].kind != IK_UNDEF) {
            dup = dup ? dup : &m[k];
        } else {
            r->slots[slot] = m[k].val;
        }
    }
    odup = nother ? duplicate_key(r, other, nother, oom) : NULL;
    if (odup && (!dup || &m[where[odup - other]] < dup))
        dup = &m[where[odup - other]];
    return dup;
}

/* The top-level object of ik_json_read_slots, its n members on the stack
 * from base: refused for a duplicate key as any object is, else each
 * member that names a slot is stored there; *out is an empty object. */
static bool slots_of_members(reader *r, size_t open, size_t base, size_t n,
                             ik_value *out)
{
    const ik_member *m = r->stack + base, *dup;
    bool oom;

    dup = store_members(r, m, n, &oom);
    if (oom)
        return rd_oom(r);
    if (dup)
        return rd_fail(r, IK_ESYNTAX, key_offset(r, open, (size_t)(dup - m), 0),
                       "duplicate key \"%.*s\"",
                       (int)(dup->klen > 100 ? 100 : dup->klen), dup->key);
    r->nstack = base;
    *out = (ik_value){IK_OBJ, 0, {.members = NULL}};
    return true;
}

static bool rd_container(reader *r, ik_value *out, int depth)
{
    char close = r->s[r->i] == '{' ? '}' : ']';
    bool obj = close == '}';
    size_t open = r->i, base = r->nstack, n;
    ik_member m;
    const ik_member *dup;
    bool oom;

    if (depth >= IK_JSON_MAX_DEPTH)
        return rd_fail(r, IK_ESYNTAX, open, "nested deeper than %d levels",
                       IK_JSON_MAX_DEPTH);
    r->i++;
    rd_ws(r);
    if (r->i < r->len && r->s[r->i] == close) {
        r->i++;
        *out = obj ? (ik_value){IK_OBJ, 0, {.members = NULL}}
                   : (ik_value){IK_ARR, 0, {.items = NULL}};
        return true;
    }
    for (;;) {
        memset(&m, 0, sizeof m);
        rd_ws(r);
        if (obj) {
            ik_value k;

            if (r->i >= r->len)
                return rd_unclosed(r, open);
            if (r->s[r->i] != '"')
                return rd_fail(r, IK_ESYNTAX, r->i, "expected a quoted key");
            if (!rd_string(r, &k, r->slot_of != NULL)) /* used in the read */
                return false;
            m.key = k.u.str;
            m.klen = k.len;
            rd_ws(r);
            if (r->i >= r->len)
                return rd_unclosed(r, open);
            if (r->s[r->i] != ':')
                return rd_fail(r, IK_ESYNTAX, r->i,
                               "expected ':' after the key");
            r->i++;
        }
        if (!rd_value(r, &m.val, depth + 1) || !rd_push(r, &m))
            return false;
        rd_ws(r);
        if (r->i >= r->len)
            return rd_unclosed(r, open);
        if (r->s[r->i] == close) {
            r->i++;
            break;
        }
        if (r->s[r->i] != ',')
            return rd_fail(r, IK_ESYNTAX, r->i,
                           obj ? "expected ',' or '}'" : "expected ',' or ']'");
        r->i++;
        rd_ws(r);
        if (r->i < r->len && r->s[r->i] == close)
            return rd_fail(r, IK_ESYNTAX, r->i, "trailing comma");
    }
    n = r->nstack - base;
    if (n > UINT32_MAX)
        return rd_fail(r, IK_ELIMIT, open, "too many items");
    if (obj && r->slot_of && depth == 0)
        return slots_of_members(r, open, base, n, out);
    if (obj) {
        ik_member *ms = ik_arena_alloc(r->a, n * sizeof *ms);

        if (!ms)
            return rd_oom(r);
        memcpy(ms, r->stack + base, n * sizeof *ms);
        dup = duplicate_key(r, ms, n, &oom);
        if (oom)
            return rd_oom(r);
        if (dup)
            return rd_fail(r, IK_ESYNTAX,
                           key_offset(r, open, (size_t)(dup - ms), depth),
                           "duplicate key \"%.*s\"",
                           (int)(dup->klen > 100 ? 100 : dup->klen), dup->key);
        *out = (ik_value){IK_OBJ, (uint32_t)n, {.members = ms}};
    } else {
        ik_value *items = ik_arena_alloc(r->a, n * sizeof *items);
        size_t k;

        if (!items)
            return rd_oom(r);
        for (k = 0; k < n; k++)
            items[k] = r->stack[base + k].val;
        *out = (ik_value){IK_ARR, (uint32_t)n, {.items = items}};
    }
    r->nstack = base;
    return true;
}

static bool rd_value(reader *r, ik_value *out, int depth)
{
    rd_ws(r);
    if (r->i >= r->len)
        return rd_fail(r, IK_ESYNTAX, r->len, "unexpected end of input");
    switch (r->s[r->i]) {
    case '{':
    case '[':
        return rd_container(r, out, depth);
    case '"':
        return rd_string(r, out, r->borrow);
    case 't':
        return rd_word(r, "true", 4, ik_bool(true), out);
    case 'f':
        return rd_word(r, "false", 5, ik_bool(false), out);
    case 'n':
        return rd_word(r, "null", 4, ik_null(), out);
    default:
        if (r->s[r->i] == '-' || is_digit(r->s[r->i]))
            return rd_number(r, out);
        if ((unsigned char)r->s[r->i] >= 0x80)
            return rd_fail(r, IK_ESYNTAX, r->i,
                           "unexpected non-ASCII character");
        return rd_fail(r, IK_ESYNTAX, r->i, "unexpected character '%c'",
                       r->s[r->i]);
    }
}

/* Read text as one JSON object into *obj (in a); with r->slot_of set,
 * its members into r->slots instead. */
static ik_status read_object(reader *r0, const char *text, size_t len,
                             const char *file, ik_arena *a, ik_value *obj,
                             ik_error *err)
{
    reader r = *r0;
    const char *nul = memchr(text, '\0', len);

    r.s = text;
    r.len = len;
    r.a = a;
    r.file = file ? file : "";
    r.err = err;
    if (nul) {
        rd_fail(&r, IK_ESYNTAX, (size_t)(nul - text), "NUL byte in JSON text");
        return r.st;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r.i = 3;
    if (!rd_value(&r, obj, 0))
        return r.st;
    rd_ws(&r);
    if (r.i < len) {
        rd_fail(&r, IK_ESYNTAX, r.i, "unexpected text after the JSON value");
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
    uint32_t i;

    for (i = 0; i < nslots; i++)
        slots[i] = ik_undef();
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
                if (strlen(qq->options[k].value) == v.u.items[i].len &&
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
            size_t ol = strlen(qq->options[k].value);
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
