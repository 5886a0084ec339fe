/*
 * value.h (internal) -- JavaScript semantics over ik_value, one small
 * function per coercion rule, as json-logic-js applies them. No I/O.
 * Functions that make strings or arrays allocate from the arena given.
 */
#ifndef IK_VALUE_H
#define IK_VALUE_H

#include "intake/value.h"

#include "arena.h"
#include "buf.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline ik_value ik_undef(void)
{
    ik_value v = {IK_UNDEF, 0, {0}};
    return v;
}
static inline ik_value ik_null(void)
{
    ik_value v = {IK_NULL, 0, {0}};
    return v;
}
static inline ik_value ik_bool(bool b)
{
    ik_value v = {IK_BOOL, 0, {0}};
    v.u.b = b;
    return v;
}
static inline ik_value ik_num(double d)
{
    ik_value v = {IK_NUM, 0, {0}};
    v.u.num = d;
    return v;
}
static inline ik_value ik_str(const char *s, uint32_t len)
{
    ik_value v = {IK_STR, len, {0}};
    v.u.str = s;
    return v;
}

/* JsonLogic truthiness: false, null, undefined, 0, -0, NaN, "" and [] are
 * falsy; everything else (including {} and "0") is truthy. */
bool ik_value_truthy(ik_value v);
/* JavaScript ToNumber (strings trimmed, "" -> 0, hex, Infinity). */
double ik_value_to_number(ik_value v);
/* JavaScript parseFloat(String(v)). */
double ik_value_parse_float(ik_value v);
/* The longest String() of an array made for callers other than the
 * evaluator, and the longest JSON text of one value written: a value
 * whose parts are shared ({"reduce": [xs, [acc, acc], 0]}) can stand for
 * far more text than memory holds. */
#define IK_VALUE_MAX_TEXT ((size_t)128 * 1024 * 1024)

/* How String() of a value ended. */
typedef enum ik_text_end {
    IK_TEXT_OK = 0,
    IK_TEXT_NOMEM, /* the heap or the arena could not grow */
    IK_TEXT_DEEP,  /* nested deeper than IK_VALUE_MAX_DEPTH */
    IK_TEXT_LONG   /* longer than max bytes (or 2^32 - 2) */
} ik_text_end;

/* JavaScript String(v) into the arena, at most max bytes long; *out is
 * unchanged unless IK_TEXT_OK. The work is bounded by max and the depth
 * bound, however much of v is shared. */
ik_text_end ik_value_to_string(ik_value v, ik_arena *a, size_t max,
                               ik_value *out);
/* JavaScript ==, ===, and < / <= (abstract relational comparison). */
bool ik_value_loose_eq(ik_value a, ik_value b);
bool ik_value_strict_eq(ik_value a, ik_value b);
bool ik_value_less(ik_value a, ik_value b, bool or_equal);

/* strtod in the C locale whatever the host's locale (a host in de_DE
 * reads "38.4" as 38.4, not 38); every number the core reads goes here. */
double ik_strtod(const char *s, char **end);

/* The value of a validated decimal literal s[0..n) (JSON's or
 * JavaScript's: sign, digits, point, exponent, "Infinity"); plain
 * decimals of at most 19 digits through ik_num_from_parts, the rest
 * through ik_strtod. NAN only when a copy of a long literal cannot be
 * allocated. */
double ik_num_read(const char *s, size_t n);

/* The number (neg ? -v : v) * 10^exp10, exactly as strtod rounds it,
 * when one IEEE operation gives that (v <= 2^53, -22 <= exp10 <= 22:
 * Clinger's fast path); false otherwise, and the caller reads the
 * literal with ik_num_read. The one conversion of a literal's digits,
 * for ik_num_read and for a reader that gathers the digits as it scans
 * them (answers_json.c). */
bool ik_num_from_parts(uint64_t v, int exp10, bool neg, double *out);

/* Shortest round-trip JavaScript number text ("1", "1.5", "1e+21", "NaN");
 * buf needs 32 bytes; returns the length. */
size_t ik_num_format(double d, char *buf);

/* Append v as JSON.stringify would write it (compact; NaN/Inf -> null,
 * undefined at top level -> nothing, inside arrays -> null). IK_ELIMIT
 * when v nests deeper than IK_VALUE_MAX_DEPTH or its text would pass
 * IK_VALUE_MAX_TEXT bytes (b is then failed too, so callers that check
 * only ik_buf_status still fail); IK_ENOMEM when b cannot grow. */
ik_status ik_value_write_json(ik_buf *b, ik_value v);

/* Convert a cJSON tree to a value in the arena (strings are copied). */
bool ik_value_from_cjson(const cJSON *j, ik_arena *a, ik_value *out);

/* The one deep copy of a value (strings, arrays, objects) into a.
 * IK_ENOMEM, or IK_ELIMIT when v nests deeper than IK_VALUE_MAX_DEPTH or
 * the copy would take more than IK_VALUE_MAX_TEXT bytes (a value whose
 * parts are shared, [acc, acc] 40 times over, would copy into far more
 * than memory holds). */
ik_status ik_value_copy(ik_value v, ik_arena *a, ik_value *out);
/* As ik_value_copy, but within *left bytes of a instead of
 * IK_VALUE_MAX_TEXT; *left is lowered by what the copy took. */
ik_status ik_value_copy_within(ik_value v, ik_arena *a, ik_value *out,
                               size_t *left);

/* As ik_value_from_cjson, but strings and keys are borrowed from j (valid
 * while the cJSON tree lives); only arrays and members are allocated. */
bool ik_value_from_cjson_borrow(const cJSON *j, ik_arena *a, ik_value *out);

/* Member `key` of an object value, or undefined. */
ik_value ik_value_get(ik_value obj, const char *key, size_t klen);

/* A function kept out of line (a rare path out of a hot one's frame),
 * or always inlined (a hot path's parts). */
#if defined(__GNUC__)
#define IK_NOINLINE      __attribute__((noinline))
#define IK_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define IK_NOINLINE
#define IK_ALWAYS_INLINE inline
#endif

/* a[0..n) == b[0..n) without a call (keys and most answers are short):
 * words of 8 bytes, the last two overlapping (or of 4 bytes), bytes below
 * 4. The one byte comparison of the evaluator's files and of member
 * look-up (ik_value_get). */
static inline bool ik_same_bytes(const char *a, const char *b, uint32_t n)
{
    uint64_t x, y, u, v;
    uint32_t i;

    for (; n > 16; a += 8, b += 8, n -= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return false;
    }
    if (n >= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        memcpy(&u, a + n - 8, 8);
        memcpy(&v, b + n - 8, 8);
        return ((x ^ y) | (u ^ v)) == 0;
    }
    if (n >= 4) {
        uint32_t x4, y4, u4, v4;

        memcpy(&x4, a, 4);
        memcpy(&y4, b, 4);
        memcpy(&u4, a + n - 4, 4);
        memcpy(&v4, b + n - 4, 4);
        return ((x4 ^ y4) | (u4 ^ v4)) == 0;
    }
    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

#endif
