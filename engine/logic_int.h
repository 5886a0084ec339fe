/*
 * logic_int.h (private to engine/logic_*.c) -- the representation of a
 * compiled ik_logic that its compiler, evaluator, binder and inspections
 * share: operators, nodes, paths, the symbol table, and the small helpers
 * each of them needs. Nothing outside engine/logic_*.c includes it.
 */
#ifndef IK_LOGIC_INT_H
#define IK_LOGIC_INT_H

#include "logic.h"

#include <string.h>

#include "alloc.h"
#include "error.h"

enum { IK_LAZY = 1, IK_DATA = 2, IK_ITER = 4 };

typedef enum ik_op {
    IK_OP_LIT,   /* a constant: arg indexes consts */
    IK_OP_ARRAY, /* an array whose items are evaluated */
    IK_OP_VARD,  /* var with a computed path: kids path [, default] */
    IK_OP_CMP,   /* a comparison (op in arg) of constants and plain vars */
#define IK_OP(e, name, min, max, flags) IK_OP_##e,
#include "logic_ops.h"
#undef IK_OP
    IK_OP__COUNT
} ik_op;

/* The name, argument counts and IK_LAZY/IK_DATA/IK_ITER flags of each
 * operator (logic_symbols.c). */
typedef struct ik_op_info {
    const char *name;
    int min, max;
    unsigned flags;
} ik_op_info;

extern const ik_op_info ik_logic_op_table[IK_OP__COUNT];

enum {
    NODE_CTX = 1,  /* VAR/VARD/MISSING*: read the iteration element */
    NODE_SLOT = 2, /* VAR: one segment, top level: a plain slot read */
    NODE_KEYS = 4, /* MISSING*: constant keys, paths from arg - 1 */
    NODE_SC = 8    /* CMP: == != < <= > >= of a plain slot var (no
                    * default) and a constant, in that order */
};

#if defined(__GNUC__)
#define IK_NOINLINE __attribute__((noinline))
#else
#define IK_NOINLINE
#endif

/* 16 bytes; all nodes of an ik_logic live in one array */
typedef struct ik_node {
    uint8_t op;     /* ik_op */
    uint8_t flags;  /* NODE_* */
    uint16_t nkids; /* children: nodes[kid] .. nodes[kid + nkids - 1] */
    uint32_t kid;   /* index of the first child */
    uint32_t arg;   /* LIT: index into consts; VAR: index into paths */
    uint32_t src;   /* byte offset in the source text; UINT32_MAX unknown */
} ik_node;

/* One step of a var path; idx is the array index it names, if any. */
typedef struct seg {
    const char *s; /* in lg->arena */
    uint32_t len;
    uint32_t idx; /* UINT32_MAX: not a canonical array index */
} seg;

typedef struct path {
    uint32_t slot; /* symbol of segs[seg0] (top-level vars only) */
    uint32_t seg0; /* first segment in lg->segs */
    uint32_t nseg; /* 0: the whole data */
} path;

struct ik_logic {
    ik_node *nodes;
    uint32_t nnodes, cap_nodes;
    ik_value *consts;
    uint32_t nconsts, cap_consts;
    path *paths;
    uint32_t npaths, cap_paths;
    seg *segs;
    uint32_t nsegs, cap_segs;
    seg *syms; /* symbol names (idx unused) */
    uint32_t nsyms, cap_syms;
    uint32_t *hash; /* open addressing: slot + 1, 0 empty */
    uint32_t hash_cap;
    ik_arena arena; /* constants, names */
    bool strict;
    char *unknown; /* the last failed compile's unknown name (any length:
                      ik_malloc'd), or NULL */
};

#define DEFAULT_BUDGET IK_LOGIC_BUDGET

/* ---- Small helpers ---- */

static inline bool ik_logic_grow(void **p, uint32_t *cap, uint32_t need,
                                 size_t size)
{
    uint32_t n = *cap ? *cap : 16;
    void *q;

    if (need <= *cap)
        return true;
    while (n < need) {
        if (n > UINT32_MAX / 2)
            return false;
        n *= 2;
    }
    q = ik_realloc(*p, (size_t)n * size);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static inline uint32_t ik_logic_hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;

    while (n--)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* The array index a path segment names, as JavaScript's canonical
 * numeric strings do ("0", "12"; not "01" or "-1"). */
static inline uint32_t ik_logic_seg_index(const char *s, size_t n)
{
    uint32_t v = 0;
    size_t i;

    if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
        return UINT32_MAX;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return UINT32_MAX;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    return v;
}

/* ---- Symbols ---- */

static inline uint32_t ik_logic_find_sym(const ik_logic *lg, const char *s,
                                         size_t n)
{
    uint32_t mask, i;

    if (!lg->hash_cap)
        return UINT32_MAX;
    mask = lg->hash_cap - 1;
    for (i = ik_logic_hash_bytes(s, n) & mask; lg->hash[i];
         i = (i + 1) & mask) {
        const seg *y = &lg->syms[lg->hash[i] - 1];

        if (y->len == n && memcmp(y->s, s, n) == 0)
            return lg->hash[i] - 1;
    }
    return UINT32_MAX;
}

/* Rebuild the symbol hash at cap (a power of two); false without memory. */
bool ik_logic_rehash(ik_logic *lg, uint32_t cap);

/* Find or add symbol s[0..n); *slot receives its index. */
ik_status ik_logic_define_sym(ik_logic *lg, const char *s, size_t n,
                              uint32_t *slot, ik_error *err);

/* The operator a node stands for (IK_OP_CMP keeps it in arg). */
static inline ik_op ik_logic_node_op(const ik_node *n)
{
    return n->op == IK_OP_CMP ? (ik_op)n->arg : (ik_op)n->op;
}

/* Evaluate node ni, which reads no data, for constant folding at compile
 * time (logic_eval.c). */
ik_status ik_logic_eval_const(const ik_logic *lg, uint32_t ni, ik_value *out,
                              ik_arena *scratch, ik_error *err);

#endif
