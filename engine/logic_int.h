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
    NODE_KEYS = 4  /* MISSING*: constant keys, paths from arg - 1 */
};

/* A switch case that goes on into the next on purpose. */
#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 7)
#define IK_FALLTHROUGH __attribute__((fallthrough))
#else
#define IK_FALLTHROUGH ((void)0)
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

/*
 * The code the evaluator runs (logic_eval.c), emitted by the compiler
 * (logic_compile.c) from the node tree after constant folding. An
 * accumulator machine: each instruction reads or replaces the
 * accumulator (acc); operands of operators that take several are pushed
 * on a value stack. Jumps are forward only (absolute indexes into
 * lg->code), so a program runs each instruction at most once; only an
 * iteration's body (a sub-program of its own, entered with each element
 * as the context) runs more than once.
 */
typedef enum ik_opc {
    OPC_ENTER, /* a program or body starts: charge a units of budget (its
                * nodes); a program's: b = stack slots it needs */
    OPC_RET,   /* the program ends: its value is acc */
    /* A body ends with its value in acc: on to the next element of the
     * ITER at a, or past it; one instruction for each iterator. */
    OPC_NEXT_MAP,
    OPC_NEXT_FILTER,
    OPC_NEXT_REDUCE,
    OPC_NEXT_ALL,
    OPC_NEXT_SOME,
    OPC_NEXT_NONE,
    OPC_CONST, /* acc = consts[a]; CONST, SLOT, ELEM: sub 1: push acc
                * first (a PUSH merged in) */
    OPC_UNDEF, /* acc = undefined */
    OPC_NULL,  /* acc = null */
    OPC_SLOT,  /* acc = slot a (a top-level one-segment var), default c */
    OPC_VAR,   /* acc = path a (sub: of the iteration element), default c */
    OPC_ELEM,  /* acc = the iteration element ({"var": ""} in a body) */
    OPC_RVAR,  /* acc = path a of a reduce body's current (sub 0) or
                * accumulator (sub 1), read from the reduce's cells;
                * default c */
    OPC_VARD,  /* acc = the path named by acc (sub: element), default c */
    OPC_JDEF,  /* jump to a when acc is not undefined */
    OPC_PUSH,  /* push acc */
    OPC_JT,    /* jump to a when acc is truthy (acc kept) */
    OPC_JF,    /* jump to a when acc is falsy (acc kept) */
    OPC_JMP,   /* jump to a */
    OPC_NOT,   /* acc = !acc (sub 0) or !!acc (sub 1) */
    /*
     * Comparisons with a constant b, the left operand the accumulator
     * (K_) or slot a with default c (S_: read into acc first; a
     * SLOT_ELEM: the iteration element, {"var": ""} in a body). N: the
     * constant is a number, S: a string; CMP: any constant, operator sub
     * (the generic comparison); IN: left `in` the constant; SEQ: === or
     * !== (sub) the constant; BETWEEN:
     * constant b < acc < constant c (sub: < or <=).
     */
    OPC_S_EQN,
    OPC_K_EQN,
    OPC_S_NEN,
    OPC_K_NEN,
    OPC_S_LTN,
    OPC_K_LTN,
    OPC_S_LEN,
    OPC_K_LEN,
    OPC_S_GTN,
    OPC_K_GTN,
    OPC_S_GEN,
    OPC_K_GEN,
    OPC_S_EQS,
    OPC_K_EQS,
    OPC_S_NES,
    OPC_K_NES,
    OPC_S_CMP,
    OPC_K_CMP,
    OPC_S_IN,
    OPC_K_IN,
    OPC_S_SEQ, /* === (sub IK_OP_SEQ) or !== (IK_OP_SNE) the constant */
    OPC_K_SEQ,
    /* The typed comparisons above (S_EQN .. K_NES, in that order) fused
     * with the JT (n 1) or JF (n 0) right after them: the comparison, then
     * that jump, in one dispatch (the JT/JF stays in the code for jumps
     * that land on it). OPC_JUMPING(opc) is the fused form of opc. */
    OPC_S_EQN_J,
    OPC_K_EQN_J,
    OPC_S_NEN_J,
    OPC_K_NEN_J,
    OPC_S_LTN_J,
    OPC_K_LTN_J,
    OPC_S_LEN_J,
    OPC_K_LEN_J,
    OPC_S_GTN_J,
    OPC_K_GTN_J,
    OPC_S_GEN_J,
    OPC_K_GEN_J,
    OPC_S_EQS_J,
    OPC_K_EQS_J,
    OPC_S_NES_J,
    OPC_K_NES_J,
    /* The same comparisons fused with the RET right after them (which
     * stays for jumps that land on it): OPC_RETURNING(opc). */
    OPC_S_EQN_R,
    OPC_K_EQN_R,
    OPC_S_NEN_R,
    OPC_K_NEN_R,
    OPC_S_LTN_R,
    OPC_K_LTN_R,
    OPC_S_LEN_R,
    OPC_K_LEN_R,
    OPC_S_GTN_R,
    OPC_K_GTN_R,
    OPC_S_GEN_R,
    OPC_K_GEN_R,
    OPC_S_EQS_R,
    OPC_K_EQS_R,
    OPC_S_NES_R,
    OPC_K_NES_R,
    OPC_INR,     /* acc = constant b `in` acc */
    OPC_BETWEEN, /* see above */
    /* two computed operands: the left popped, the right acc */
    OPC_CMP2, /* comparison sub */
    OPC_IN2,  /* in */
    /* + - * / % max min of n (1 or 2) operands, the last in acc, the
     * first of two popped; one instruction for each operator */
    OPC_ADD,
    OPC_SUB,
    OPC_MUL,
    OPC_DIV,
    OPC_MOD,
    OPC_MAX,
    OPC_MIN,
    OPC_ADDK, /* + of acc and the constant b */
    /* acc = operator sub over n arguments: n - 1 on the stack (popped),
     * the last in acc; a: MISSING* key paths + 1 (0: none); b: read the
     * element (NODE_CTX) */
    OPC_OP,
    /* missing (sub) or missing_some of the top-level data with compiled
     * keys (a as OP's), its n constant arguments read in place (no
     * argument pushed): missing's from b on, missing_some's b and c */
    OPC_MISSINGK,
    /* acc = an array of n plain slots, [{"var": "a"}, {"var": ["b", 0]}]:
     * the n SLOT instructions after it are its items, each read as SLOT
     * reads it, then skipped (nothing jumps between them) */
    OPC_SLOTS,
    /* iterator sub with n arguments: acc the array (reduce: the array
     * pushed, acc the initial value); body at a (UINT32_MAX: none), then
     * continue at b; reduce: c 1 when the body reads its context other
     * than by RVAR (the object of current and accumulator is made) */
    OPC_ITER
} ik_opc;

#define OPC_JUMPING(opc)   ((opc) + (OPC_S_EQN_J - OPC_S_EQN))
#define OPC_RETURNING(opc) ((opc) + (OPC_S_EQN_R - OPC_S_EQN))

/* The operand of an S_ comparison that is the iteration element, not a
 * slot (no slot index reaches it). */
#define SLOT_ELEM UINT32_MAX

/* Defaults of SLOT, VAR, VARD and CMP*: c is a constant index or one of
 * these. */
#define DFLT_NULL UINT32_MAX       /* absent: null (var's own default) */
#define DFLT_KEEP (UINT32_MAX - 1) /* absent: undefined (a JDEF follows) */

typedef struct ik_ins {
    uint8_t opc; /* ik_opc */
    uint8_t sub;
    uint16_t n;
    uint32_t a, b, c;
} ik_ins;

struct ik_logic {
    ik_ins *code;
    uint32_t ncode, cap_code;
    uint32_t *entry; /* by node: the code of the expression rooted there,
                        UINT32_MAX when none */
    uint32_t nentry, cap_entry;
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
    size_t folded;  /* bytes of arena the folds took (IK_LOGIC_MAX_FOLDED) */
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

/* Emit the program of the expression rooted at node ni at the end of
 * lg->code; *entry receives its first instruction (logic_compile.c). */
ik_status ik_logic_emit(ik_logic *lg, uint32_t ni, uint32_t *entry,
                        ik_error *err);

/* Run the program at entry, which reads no data, for constant folding at
 * compile time (logic_eval.c). */
ik_status ik_logic_eval_const(const ik_logic *lg, uint32_t entry, ik_value *out,
                              ik_arena *scratch, ik_error *err);

#endif
