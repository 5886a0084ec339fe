/*
 * value.c -- JavaScript semantics over ik_value as json-logic-js applies
 * them: truthiness, ToNumber, parseFloat, String(), ==, ===, <, and
 * JSON.stringify output. Pure functions; no I/O; allocates only from the
 * arena it is given.
 */
#define _GNU_SOURCE /* strtod_l, newlocale: the C locale's numbers */
#include "value.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* ---- Reading numbers ---- */

/* The "C" numeric locale, made once and never freed (an immutable
 * handle, shared by every thread; the process's locale is not touched). */
static locale_t c_numeric(void)
{
    static _Atomic(locale_t) made;
    locale_t l = atomic_load(&made), fresh, none = (locale_t)0;

    if (l)
        return l;
    fresh = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!fresh)
        return (locale_t)0;
    if (!atomic_compare_exchange_strong(&made, &none, fresh)) {
        freelocale(fresh); /* another thread made it first */
        return none;
    }
    return fresh;
}

double ik_strtod(const char *s, char **end)
{
    locale_t c = c_numeric();

    /* without a locale object (out of memory) strtod is right whenever
     * the host's decimal point is '.', as in the C locale */
    return c ? strtod_l(s, end, c) : strtod(s, end);
}

bool ik_value_truthy(ik_value v)
{
    switch ((ik_kind)v.kind) {
    case IK_UNDEF:
    case IK_NULL:
        return false;
    case IK_BOOL:
        return v.u.b;
    case IK_NUM:
        return v.u.num != 0 && !isnan(v.u.num);
    case IK_STR:
    case IK_ARR:
        return v.len != 0;
    case IK_OBJ:
        return true;
    case IK_KIND__COUNT:
        break;
    }
    return false;
}

/* ---- Numbers from text ---- */

/* JavaScript's StrWhiteSpaceChar in UTF-8 (ASCII, NBSP, BOM, Zs, LS, PS). */
static size_t space_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;

    if (n == 0)
        return 0;
    if (p[0] == ' ' || (p[0] >= 9 && p[0] <= 13))
        return 1;
    if (n >= 2 && p[0] == 0xC2 && (p[1] == 0xA0 || p[1] == 0x85))
        return p[1] == 0xA0 ? 2 : 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return 3;
    if (n >= 3 && p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80)
        return 3;
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xA8 || p[2] == 0xA9 ||
         p[2] == 0xAF))
        return 3;
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F)
        return 3;
    if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
        return 3;
    return 0;
}

static void trim(const char **s, size_t *n)
{
    size_t k;

    while (*n && (k = space_len(*s, *n)) != 0) {
        *s += k;
        *n -= k;
    }
    /* Trailing: step back over one-byte and multi-byte spaces. */
    for (;;) {
        size_t cut = 0;

        if (*n >= 1 && space_len(*s + *n - 1, 1) == 1)
            cut = 1;
        else if (*n >= 2 && space_len(*s + *n - 2, 2) == 2)
            cut = 2;
        else if (*n >= 3 && space_len(*s + *n - 3, 3) == 3)
            cut = 3;
        if (!cut)
            break;
        *n -= cut;
    }
}

/* Length of the longest StrDecimalLiteral prefix (digits, '.', exponent)
 * after an optional sign; 0 when there is none. */
static size_t decimal_prefix(const char *s, size_t n)
{
    size_t i = 0, digits = 0;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (n - i >= 8 && memcmp(s + i, "Infinity", 8) == 0)
        return i + 8;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        size_t j = i + 1, frac = 0;

        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++, frac++;
        if (digits + frac == 0)
            return 0;
        digits += frac;
        i = j;
    }
    if (!digits)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1, exp = 0;

        if (j < n && (s[j] == '+' || s[j] == '-'))
            j++;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++, exp++;
        if (exp)
            i = j;
    }
    return i;
}

/*
 * Clinger's fast path: v <= 2^53 is exact in a double, and so is 10^k for
 * k <= 22, so one IEEE multiplication or division rounds the exact value
 * once, to the same double strtod gives. Needs double arithmetic without
 * extra precision (FLT_EVAL_METHOD 0: SSE2, not the x87).
 */
bool ik_num_from_parts(uint64_t v, int exp10, bool neg, double *out)
{
    static const double pow10[] = {
        1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double d;

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
    return false;
#endif
    if (v > ((uint64_t)1 << 53) || exp10 < -22 || exp10 > 22)
        return false;
    d = (double)v;
    d = exp10 < 0 ? d / pow10[-exp10] : d * pow10[exp10];
    *out = neg ? -d : d;
    return true;
}

/* Plain decimals of at most 19 digits without an exponent, through
 * ik_num_from_parts; false for the rest. */
static bool fast_decimal(const char *s, size_t n, double *out)
{
    uint64_t v = 0;
    size_t i = 0;
    int digits = 0, frac = -1;
    bool neg = false;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        if (s[i] == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || ++digits > 19)
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (frac >= 0)
            frac++;
    }
    if (digits == 0)
        return false;
    return ik_num_from_parts(v, frac > 0 ? -frac : 0, neg, out);
}

/* ik_num_read past fast_decimal: strtod of a NUL-ended copy (its buffer
 * kept out of the common case's frame). */
static IK_NOINLINE double num_read_strtod(const char *s, size_t n)
{
    char small[64];
    char *tmp = small;
    double d;

    if (n >= sizeof small) {
        tmp = ik_malloc(n + 1);
        if (!tmp)
            return NAN;
    }
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    d = ik_strtod(tmp, NULL);
    if (tmp != small)
        ik_free(tmp);
    return d;
}

double ik_num_read(const char *s, size_t n)
{
    double d;
    const char *inf = s;

    if (n && (*inf == '+' || *inf == '-'))
        inf++;
    if (*inf == 'I')
        return s[0] == '-' ? -INFINITY : INFINITY;
    if (fast_decimal(s, n, &d))
        return d;
    return num_read_strtod(s, n);
}

static double radix_value(const char *s, size_t n, int base)
{
    double d = 0;
    size_t i;

    if (n == 0)
        return NAN;
    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i], v;

        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else
            return NAN;
        if (v >= base)
            return NAN;
        d = d * base + v;
    }
    return d;
}

static double string_to_number(const char *s, size_t n)
{
    size_t k;

    trim(&s, &n);
    if (n == 0)
        return 0;
    if (n > 2 && s[0] == '0') {
        int base = (s[1] == 'x' || s[1] == 'X')   ? 16
                   : (s[1] == 'o' || s[1] == 'O') ? 8
                   : (s[1] == 'b' || s[1] == 'B') ? 2
                                                  : 0;
        if (base)
            return radix_value(s + 2, n - 2, base);
    }
    k = decimal_prefix(s, n);
    if (k != n)
        return NAN;
    return ik_num_read(s, n);
}

static double string_parse_float(const char *s, size_t n)
{
    size_t k;

    while (n && (k = space_len(s, n)) != 0) {
        s += k;
        n -= k;
    }
    k = decimal_prefix(s, n);
    return k ? ik_num_read(s, k) : NAN;
}

/* ---- String() ---- */

/* String(v) being made: stops at the depth bound or past max bytes, so
 * a value whose parts are shared (an array holding the same array twice,
 * forty times over) cannot make the work or the text exponential. */
typedef struct text {
    ik_buf b;
    size_t max;
    size_t visits; /* values visited: at most 2 * max + the depth bound */
    ik_text_end why;
} text;

/* Append String(v) (arrays joined with ",", null/undefined inside an
 * array give ""); level counts the arrays around v. */
static void put_string(text *t, ik_value v, bool in_array, unsigned level)
{
    char num[32];
    uint32_t i;

    /* a chain of one-item arrays writes nothing: count visits as well */
    if (++t->visits > 2 * t->max + IK_VALUE_MAX_DEPTH) {
        t->why = IK_TEXT_LONG;
        return;
    }
    switch ((ik_kind)v.kind) {
    case IK_UNDEF:
        if (!in_array)
            ik_buf_puts(&t->b, "undefined");
        break;
    case IK_NULL:
        if (!in_array)
            ik_buf_puts(&t->b, "null");
        break;
    case IK_BOOL:
        ik_buf_puts(&t->b, v.u.b ? "true" : "false");
        break;
    case IK_NUM:
        ik_buf_put(&t->b, num, ik_num_format(v.u.num, num));
        break;
    case IK_STR:
        if (t->b.len > t->max || v.len > t->max - t->b.len) {
            t->why = IK_TEXT_LONG;
            return;
        }
        ik_buf_put(&t->b, v.u.str, v.len);
        break;
    case IK_ARR:
        if (level >= IK_VALUE_MAX_DEPTH) {
            t->why = IK_TEXT_DEEP;
            return;
        }
        for (i = 0; i < v.len && t->why == IK_TEXT_OK; i++) {
            if (i)
                ik_buf_putc(&t->b, ',');
            put_string(t, v.u.items[i], true, level + 1);
        }
        break;
    case IK_OBJ:
        ik_buf_puts(&t->b, "[object Object]");
        break;
    case IK_KIND__COUNT:
        break;
    }
    if (t->why == IK_TEXT_OK && t->b.oom)
        t->why = IK_TEXT_NOMEM;
    else if (t->why == IK_TEXT_OK && t->b.len > t->max)
        t->why = IK_TEXT_LONG;
}

/* String(v) of an array into t->b, NUL-terminated; t->b is freed unless
 * IK_TEXT_OK. */
static ik_text_end array_string(text *t, ik_value v, size_t max)
{
    ik_buf_init(&t->b);
    t->max = max < UINT32_MAX - 1 ? max : UINT32_MAX - 1;
    t->visits = 0;
    t->why = IK_TEXT_OK;
    put_string(t, v, false, 0);
    if (t->why == IK_TEXT_OK) {
        ik_buf_putc(&t->b, '\0');
        if (t->b.oom)
            t->why = IK_TEXT_NOMEM;
    }
    if (t->why != IK_TEXT_OK)
        ik_buf_fini(&t->b);
    return t->why;
}

ik_text_end ik_value_to_string(ik_value v, ik_arena *a, size_t max,
                               ik_value *out)
{
    char num[32];
    text t;
    char *s;
    size_t n;

    switch ((ik_kind)v.kind) {
    case IK_STR:
        if (v.len > max)
            return IK_TEXT_LONG;
        *out = v;
        return IK_TEXT_OK;
    case IK_UNDEF:
        *out = ik_str("undefined", 9);
        return IK_TEXT_OK;
    case IK_NULL:
        *out = ik_str("null", 4);
        return IK_TEXT_OK;
    case IK_BOOL:
        *out = v.u.b ? ik_str("true", 4) : ik_str("false", 5);
        return IK_TEXT_OK;
    case IK_OBJ:
        *out = ik_str("[object Object]", 15);
        return IK_TEXT_OK;
    case IK_NUM:
        n = ik_num_format(v.u.num, num);
        s = ik_arena_strndup(a, num, n);
        if (!s)
            return IK_TEXT_NOMEM;
        *out = ik_str(s, (uint32_t)n);
        return IK_TEXT_OK;
    case IK_ARR:
    case IK_KIND__COUNT:
        break;
    }
    if (array_string(&t, v, max) != IK_TEXT_OK)
        return t.why;
    n = t.b.len - 1;
    s = ik_arena_strndup(a, t.b.data, n);
    ik_buf_fini(&t.b);
    if (!s)
        return IK_TEXT_NOMEM;
    *out = ik_str(s, (uint32_t)n);
    return IK_TEXT_OK;
}

/* String(v) of an array into a buffer the caller frees; NULL when it
 * cannot be made (out of memory, too deep, longer than
 * IK_VALUE_MAX_TEXT). The evaluator turns arrays into text itself, within
 * its memory bound, before it compares or converts them; this serves
 * other callers. */

static char *array_text(ik_value v, size_t *n)
{
    text t;

    if (array_string(&t, v, IK_VALUE_MAX_TEXT) != IK_TEXT_OK)
        return NULL;
    return ik_buf_take(&t.b, n);
}

/* A number read from an array's String() form by `conv` (ToNumber or
 * parseFloat); NaN when the text cannot be made. */
static double array_number(ik_value v, double (*conv)(const char *, size_t))
{
    size_t n;
    char *s = array_text(v, &n);
    double d;

    if (!s)
        return NAN;
    d = conv(s, n - 1);
    ik_free(s);
    return d;
}

double ik_value_to_number(ik_value v)
{
    switch ((ik_kind)v.kind) {
    case IK_UNDEF:
        return NAN;
    case IK_NULL:
        return 0;
    case IK_BOOL:
        return v.u.b ? 1 : 0;
    case IK_NUM:
        return v.u.num;
    case IK_STR:
        return string_to_number(v.u.str, v.len);
    case IK_ARR: {
        if (v.len == 0)
            return 0;
        if (v.len == 1 && v.u.items[0].kind == IK_NUM) /* String([-0]): "0" */
            return ik_value_parse_float(v.u.items[0]);
        return array_number(v, string_to_number);
    }
    case IK_OBJ:
    case IK_KIND__COUNT:
        break;
    }
    return NAN;
}

double ik_value_parse_float(ik_value v)
{
    switch ((ik_kind)v.kind) {
    case IK_NUM:
        return v.u.num == 0 ? 0 : v.u.num; /* String(-0) is "0" */
    case IK_STR:
        return string_parse_float(v.u.str, v.len);
    case IK_ARR: {
        if (v.len == 0)
            return NAN;
        if (v.u.items[0].kind == IK_NUM)
            return ik_value_parse_float(v.u.items[0]);
        return array_number(v, string_parse_float);
    }
    case IK_UNDEF:
    case IK_NULL:
    case IK_BOOL:
    case IK_OBJ:
    case IK_KIND__COUNT:
        break;
    }
    return NAN;
}

/* ---- Comparison ---- */

bool ik_value_strict_eq(ik_value a, ik_value b)
{
    if (a.kind != b.kind)
        return false;
    switch ((ik_kind)a.kind) {
    case IK_UNDEF:
    case IK_NULL:
        return true;
    case IK_BOOL:
        return a.u.b == b.u.b;
    case IK_NUM:
        return a.u.num == b.u.num;
    case IK_STR:
        return a.len == b.len &&
               (a.len == 0 || memcmp(a.u.str, b.u.str, a.len) == 0);
    case IK_ARR:
        return a.u.items == b.u.items && a.len == b.len;
    case IK_OBJ:
        return a.u.members == b.u.members && a.len == b.len;
    case IK_KIND__COUNT:
        break;
    }
    return false;
}

static bool is_object_like(ik_value v)
{
    return v.kind == IK_ARR || v.kind == IK_OBJ;
}

/* Compare strings by UTF-16 code units; UTF-8 byte order agrees except
 * when supplementary characters meet U+E000..U+FFFF, which we accept. */
static int compare_strings(ik_value a, ik_value b)
{
    uint32_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.u.str, b.u.str, n) : 0;

    if (c)
        return c;
    return a.len < b.len ? -1 : a.len > b.len;
}

/* ToPrimitive for arrays/objects, as text compared by the callers. */
static bool with_primitive(ik_value v, ik_value *out, char **owned)
{
    size_t n;

    *owned = NULL;
    if (v.kind == IK_OBJ) {
        *out = ik_str("[object Object]", 15);
        return true;
    }
    if (v.kind != IK_ARR) {
        *out = v;
        return true;
    }
    *owned = array_text(v, &n);
    if (!*owned)
        return false;
    *out = ik_str(*owned, (uint32_t)(n - 1));
    return true;
}

bool ik_value_loose_eq(ik_value a, ik_value b)
{
    bool r;
    char *oa, *ob;
    ik_value pa, pb;

    if (a.kind == b.kind)
        return ik_value_strict_eq(a, b);
    if ((a.kind == IK_NULL || a.kind == IK_UNDEF) &&
        (b.kind == IK_NULL || b.kind == IK_UNDEF))
        return true;
    if (a.kind == IK_NULL || a.kind == IK_UNDEF || b.kind == IK_NULL ||
        b.kind == IK_UNDEF)
        return false;
    if (is_object_like(a) && is_object_like(b))
        return false; /* different kinds: never the same object */
    if (a.kind == IK_BOOL)
        return ik_value_loose_eq(ik_num(a.u.b), b);
    if (b.kind == IK_BOOL)
        return ik_value_loose_eq(a, ik_num(b.u.b));
    if (!with_primitive(a, &pa, &oa))
        return false;
    if (!with_primitive(b, &pb, &ob)) {
        ik_free(oa);
        return false;
    }
    if (pa.kind == IK_STR && pb.kind == IK_STR)
        r = compare_strings(pa, pb) == 0;
    else
        r = ik_value_to_number(pa) == ik_value_to_number(pb);
    ik_free(oa);
    ik_free(ob);
    return r;
}

bool ik_value_less(ik_value a, ik_value b, bool or_equal)
{
    char *oa, *ob;
    ik_value pa, pb;
    bool r;

    if (a.kind == IK_NUM && b.kind == IK_NUM)
        return or_equal ? a.u.num <= b.u.num : a.u.num < b.u.num;
    if (!with_primitive(a, &pa, &oa))
        return false;
    if (!with_primitive(b, &pb, &ob)) {
        ik_free(oa);
        return false;
    }
    if (pa.kind == IK_STR && pb.kind == IK_STR) {
        int c = compare_strings(pa, pb);

        r = or_equal ? c <= 0 : c < 0;
    } else {
        double x = ik_value_to_number(pa), y = ik_value_to_number(pb);

        r = or_equal ? x <= y : x < y;
    }
    ik_free(oa);
    ik_free(ob);
    return r;
}

/* ---- Copying ---- */

/* depth: the arrays and objects around v. Evaluation builds nothing
 * deeper than IK_VALUE_MAX_DEPTH; a deeper value handed in is refused
 * with IK_ELIMIT instead of overflowing the stack. *left: bytes the copy
 * may still take, since a value whose parts are shared ([acc, acc] 40
 * times over) would copy into far more than memory holds. */
static ik_status copy_within(ik_value v, ik_arena *a, ik_value *out,
                             unsigned depth, size_t *left)
{
    ik_value *items;
    ik_member *members;
    uint32_t i;
    ik_status st;
    char *s;
    size_t need = v.kind == IK_STR   ? (size_t)v.len + 1
                  : v.kind == IK_ARR ? (size_t)v.len * sizeof *items
                  : v.kind == IK_OBJ ? (size_t)v.len * sizeof *members
                                     : 0;

    *out = v;
    if (depth >= IK_VALUE_MAX_DEPTH && (v.kind == IK_ARR || v.kind == IK_OBJ))
        return IK_ELIMIT;
    if (need > *left)
        return IK_ELIMIT;
    *left -= need;
    switch (v.kind) {
    case IK_STR:
        s = ik_arena_strndup(a, v.u.str, v.len);
        if (!s)
            return IK_ENOMEM;
        out->u.str = s;
        return IK_OK;
    case IK_ARR:
        if (v.len == 0)
            return IK_OK;
        items = ik_arena_alloc(a, v.len * sizeof *items);
        if (!items)
            return IK_ENOMEM;
        for (i = 0; i < v.len; i++)
            if ((st = copy_within(v.u.items[i], a, &items[i], depth + 1,
                                  left)) != IK_OK)
                return st;
        out->u.items = items;
        return IK_OK;
    case IK_OBJ:
        if (v.len == 0)
            return IK_OK;
        members = ik_arena_alloc(a, v.len * sizeof *members);
        if (!members)
            return IK_ENOMEM;
        for (i = 0; i < v.len; i++) {
            members[i] = v.u.members[i];
            if ((size_t)members[i].klen + 1 > *left)
                return IK_ELIMIT;
            *left -= (size_t)members[i].klen + 1;
            s = ik_arena_strndup(a, v.u.members[i].key, v.u.members[i].klen);
            if (!s)
                return IK_ENOMEM;
            st = copy_within(v.u.members[i].val, a, &members[i].val, depth + 1,
                             left);
            if (st != IK_OK)
                return st;
            members[i].key = s;
        }
        out->u.members = members;
        return IK_OK;
    default:
        return IK_OK;
    }
}

ik_status ik_value_copy(ik_value v, ik_arena *a, ik_value *out)
{
    size_t left = IK_VALUE_MAX_TEXT;

    return copy_within(v, a, out, 0, &left);
}

ik_status ik_value_copy_within(ik_value v, ik_arena *a, ik_value *out,
                               size_t *left)
{
    return copy_within(v, a, out, 0, left);
}

/* ---- Number formatting ---- */

/* Shortest digits that read back as d (d finite, > 0): digits into dig,
 * returns the count, *exp10 the decimal exponent of the first digit. */
static int shortest_digits(double d, char *dig, int *exp10)
{
    char tmp[40], back[48];
    int prec, n = 0, i;

    for (prec = 1; prec <= 17; prec++) {
        /* %e writes the locale's decimal point: read the digits and the
         * exponent, and check them as "D.DDDeX" in the C locale */
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        n = 0;
        for (const char *p = tmp; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9')
                dig[n++] = *p;
        *exp10 = atoi(strchr(tmp, 'e') + 1);
        back[0] = dig[0];
        back[1] = '.';
        for (i = 1; i < n; i++)
            back[i + 1] = dig[i];
        snprintf(back + n + 1, sizeof back - (size_t)n - 1, "e%d", *exp10);
        if (ik_strtod(back, NULL) == d)
            break;
    }
    while (n > 1 && dig[n - 1] == '0')
        n--;
    return n;
}

size_t ik_num_format(double d, char *buf)
{
    char dig[24];
    int k, e, n, i;
    char *p = buf;

    if (isnan(d))
        return (size_t)(memcpy(buf, "NaN", 4), 3);
    if (isinf(d))
        return d > 0 ? (memcpy(buf, "Infinity", 9), 8)
                     : (memcpy(buf, "-Infinity", 10), 9);
    if (d == 0)
        return (size_t)(memcpy(buf, "0", 2), 1);
    if (d < 0) {
        *p++ = '-';
        d = -d;
    }
    if (d < 9007199254740992.0 && d == floor(d)) {
        /* an exact integer below 2^53: its decimal digits, as %.0f gives
         * them, without snprintf (the common case of every array's text) */
        uint64_t u = (uint64_t)d;

        k = 0;
        do {
            dig[k++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        while (k)
            *p++ = dig[--k];
        *p = '\0';
        return (size_t)(p - buf);
    }
    k = shortest_digits(d, dig, &e);
    n = e + 1; /* position of the decimal point, as in ECMA-262 ToString */
    if (k <= n && n <= 21) {
        memcpy(p, dig, (size_t)k);
        p += k;
        for (i = k; i < n; i++)
            *p++ = '0';
    } else if (0 < n && n <= 21) {
        memcpy(p, dig, (size_t)n);
        p += n;
        *p++ = '.';
        memcpy(p, dig + n, (size_t)(k - n));
        p += k - n;
    } else if (-6 < n && n <= 0) {
        *p++ = '0';
        *p++ = '.';
        for (i = 0; i < -n; i++)
            *p++ = '0';
        memcpy(p, dig, (size_t)k);
        p += k;
    } else {
        *p++ = dig[0];
        if (k > 1) {
            *p++ = '.';
            memcpy(p, dig + 1, (size_t)(k - 1));
            p += k - 1;
        }
        p += snprintf(p, 8, "e%c%d", n - 1 >= 0 ? '+' : '-',
                      n - 1 >= 0 ? n - 1 : 1 - n);
    }
    *p = '\0';
    return (size_t)(p - buf);
}

/* ---- JSON output ---- */

/* level: the arrays and objects around v */
static ik_status write_json(ik_buf *b, ik_value v, unsigned level, size_t stop)
{
    char num[32];
    uint32_t i;
    bool first = true;
    ik_status st = IK_OK;

    if (b->oom) /* the buffer could not grow: stop at once, not after
                 * visiting every leaf of a value of shared parts */
        return IK_ENOMEM;
    if (b->len > stop || ((v.kind == IK_ARR || v.kind == IK_OBJ) &&
                          level >= IK_VALUE_MAX_DEPTH)) {
        b->oom = true; /* callers that only check the buffer fail too */
        return IK_ELIMIT;
    }
    switch ((ik_kind)v.kind) {
    case IK_UNDEF:
        if (level > 0) /* undefined at the top level writes nothing */
            ik_buf_puts(b, "null");
        break;
    case IK_NULL:
        ik_buf_puts(b, "null");
        break;
    case IK_BOOL:
        ik_buf_puts(b, v.u.b ? "true" : "false");
        break;
    case IK_NUM:
        if (!isfinite(v.u.num))
            ik_buf_puts(b, "null");
        else
            ik_buf_put(b, num, ik_num_format(v.u.num, num));
        break;
    case IK_STR:
        ik_buf_put_json_string(b, v.u.str, v.len);
        break;
    case IK_ARR:
        ik_buf_putc(b, '[');
        for (i = 0; i < v.len && st == IK_OK; i++) {
            if (i)
                ik_buf_putc(b, ',');
            st = write_json(b, v.u.items[i], level + 1, stop);
        }
        ik_buf_putc(b, ']');
        break;
    case IK_OBJ:
        ik_buf_putc(b, '{');
        for (i = 0; i < v.len && st == IK_OK; i++) {
            if (v.u.members[i].val.kind == IK_UNDEF)
                continue;
            if (!first)
                ik_buf_putc(b, ',');
            first = false;
            ik_buf_put_json_string(b, v.u.members[i].key, v.u.members[i].klen);
            ik_buf_putc(b, ':');
            st = write_json(b, v.u.members[i].val, level + 1, stop);
        }
        ik_buf_putc(b, '}');
        break;
    case IK_KIND__COUNT:
        break;
    }
    return st;
}

ik_status ik_value_write_json(ik_buf *b, ik_value v)
{
    ik_status st = write_json(b, v, 0, b->len + IK_VALUE_MAX_TEXT);

    return st != IK_OK ? st : ik_buf_status(b);
}

/* ---- Conversion from cJSON ---- */

bool ik_value_from_cjson(const cJSON *j, ik_arena *a, ik_value *out)
{
    const cJSON *c;
    uint32_t n = 0, i = 0;

    if (cJSON_IsNull(j)) {
        *out = ik_null();
    } else if (cJSON_IsBool(j)) {
        *out = ik_bool(cJSON_IsTrue(j));
    } else if (cJSON_IsNumber(j)) {
        *out = ik_num(j->valuedouble);
    } else if (cJSON_IsString(j)) {
        size_t len = strlen(j->valuestring);
        char *s = ik_arena_strndup(a, j->valuestring, len);

        if (!s)
            return false;
        *out = ik_str(s, (uint32_t)len);
    } else if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
        bool obj = cJSON_IsObject(j);

        for (c = j->child; c; c = c->next)
            n++;
        if (obj) {
            ik_member *m = ik_arena_alloc(a, n * sizeof *m);

            if (!m)
                return false;
            for (c = j->child; c; c = c->next, i++) {
                size_t kl = strlen(c->string);

                m[i].key = ik_arena_strndup(a, c->string, kl);
                m[i].klen = (uint32_t)kl;
                if (!m[i].key || !ik_value_from_cjson(c, a, &m[i].val))
                    return false;
            }
            *out = (ik_value){IK_OBJ, n, {.members = m}};
        } else {
            ik_value *items = ik_arena_alloc(a, n * sizeof *items);

            if (!items)
                return false;
            for (c = j->child; c; c = c->next, i++)
                if (!ik_value_from_cjson(c, a, &items[i]))
                    return false;
            *out = (ik_value){IK_ARR, n, {.items = items}};
        }
    } else {
        *out = ik_undef();
    }
    return true;
}

bool ik_value_from_cjson_borrow(const cJSON *j, ik_arena *a, ik_value *out)
{
    const cJSON *c;
    uint32_t n = 0, i = 0;

    switch (j->type & 0xFF) {
    case cJSON_NULL:
        *out = ik_null();
        return true;
    case cJSON_False:
        *out = ik_bool(false);
        return true;
    case cJSON_True:
        *out = ik_bool(true);
        return true;
    case cJSON_Number:
        *out = ik_num(j->valuedouble);
        return true;
    case cJSON_String:
        *out = ik_str(j->valuestring, (uint32_t)strlen(j->valuestring));
        return true;
    case cJSON_Array: {
        ik_value *items;

        for (c = j->child; c; c = c->next)
            n++;
        items = ik_arena_alloc(a, n * sizeof *items);
        if (!items)
            return false;
        for (c = j->child; c; c = c->next, i++)
            if (!ik_value_from_cjson_borrow(c, a, &items[i]))
                return false;
        *out = (ik_value){IK_ARR, n, {.items = items}};
        return true;
    }
    case cJSON_Object: {
        ik_member *m;

        for (c = j->child; c; c = c->next)
            n++;
        m = ik_arena_alloc(a, n * sizeof *m);
        if (!m)
            return false;
        for (c = j->child; c; c = c->next, i++) {
            m[i].key = c->string;
            m[i].klen = (uint32_t)strlen(c->string);
            if (!ik_value_from_cjson_borrow(c, a, &m[i].val))
                return false;
        }
        *out = (ik_value){IK_OBJ, n, {.members = m}};
        return true;
    }
    default:
        *out = ik_undef();
        return true;
    }
}

ik_value ik_value_get(ik_value obj, const char *key, size_t klen)
{
    uint32_t i;

    if (obj.kind != IK_OBJ)
        return ik_undef();
    for (i = 0; i < obj.len; i++) {
        const ik_member *m = &obj.u.members[i];

        if (m->klen == klen && ik_same_bytes(m->key, key, (uint32_t)klen))
            return m->val;
    }
    return ik_undef();
}
