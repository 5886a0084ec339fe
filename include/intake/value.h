/*
 * value.h -- ik_value, the JSON-like value JsonLogic computes with.
 * 16 bytes, passed by value. Strings, items and members are borrowed from
 * whoever made the value (a rulebook, a scratch arena, an answers store).
 */
#ifndef INTAKE_VALUE_H
#define INTAKE_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ik_kind {
    IK_UNDEF = 0, /* JavaScript undefined: absent; zeroed memory is this */
    IK_NULL,
    IK_BOOL,
    IK_NUM, /* a double; NaN and infinities are possible results */
    IK_STR, /* UTF-8, len bytes, not necessarily NUL-terminated */
    IK_ARR,
    IK_OBJ,
    IK_KIND__COUNT
} ik_kind;

typedef struct ik_member ik_member;

/*
 * Arrays and objects nested in one value (a scalar is 0, [1] is 1, [[1]]
 * is 2). JSON input stops at 128; evaluation refuses to build a value
 * deeper than this (IK_ELIMIT), and writing, String() and copying refuse
 * one, so no recursion over a value can exhaust the stack.
 */
#define IK_VALUE_MAX_DEPTH 1000

typedef struct ik_value {
    uint8_t kind; /* ik_kind */
    uint32_t len; /* STR: bytes; ARR: items; OBJ: members */
    union {
        bool b;
        double num;
        const char *str;
        const struct ik_value *items;
        const ik_member *members;
    } u;
} ik_value;

struct ik_member {
    const char *key; /* UTF-8, klen bytes */
    uint32_t klen;
    ik_value val;
};

#ifdef __cplusplus
}
#endif

#endif
