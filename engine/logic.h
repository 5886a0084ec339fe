/*
 * logic.h (internal) -- compiled JsonLogic for the other engine modules:
 * compile from a parsed cJSON node (positions from its ik_json_doc),
 * evaluate against slots, and inspect expressions statically for lint,
 * `because`, graphs and FHIR export.
 */
#ifndef IK_LOGIC_INTERNAL_H
#define IK_LOGIC_INTERNAL_H

#include "intake/logic.h"

#include "arena.h"
#include "json.h"
#include "value.h"

#include <stdbool.h>

/*
 * Compile node (a cJSON value inside doc; doc may be NULL) into lg. Errors
 * (unknown operator, wrong argument count, unknown var in strict mode,
 * nesting past IK_LOGIC_MAX_DEPTH) carry doc's file and the line:col of the
 * offending part.
 */
ik_status ik_logic_compile_json(ik_logic *lg, const cJSON *node,
                                const ik_json_doc *doc, ik_expr *out,
                                ik_error *err);

/* After ik_logic_compile_json failed because a var names no symbol (an
 * unknown name in strict mode): that name (borrowed until the next
 * compile); NULL after any other outcome. The structured form of the
 * error, so callers never parse the message. */
const char *ik_logic_unknown_name(const ik_logic *lg);

typedef struct ik_env {
    ik_value root;         /* the whole data ({"var": ""}); may be UNDEF */
    const ik_value *slots; /* by symbol slot; UNDEF means absent */
    uint32_t nslots;       /* may be < ik_logic_nslots: the rest are UNDEF */
    ik_arena *scratch;     /* temporaries; the caller resets it */
    uint64_t budget;       /* node visits allowed; 0: the default. A
                            * program charges all its nodes as it
                            * starts, an iteration body its own as each
                            * element starts (docs/LIMITS.md) */
    /* NULL, or the node visits a series of evaluations share (an answer,
     * a record: IK_LOGIC_TOTAL_BUDGET): each evaluation takes at most
     * what is left and leaves the rest; when that runs out, the error says
     * the total budget was spent. */
    uint64_t *pool;
} ik_env;

/*
 * Fill slots[0..ik_logic_nslots(lg)) from the top-level members of an
 * object root (others UNDEF). Values are borrowed from root.
 */
void ik_logic_bind(const ik_logic *lg, ik_value root, ik_value *slots);

/*
 * Remembers which slot each member position of the last records bound, so
 * records that share a key order bind without hashing. Zero it to start;
 * one per thread of binding; no ownership.
 */
typedef struct ik_bind_cache {
    struct {
        const char *key; /* a symbol's name (borrowed from lg), or NULL */
        uint32_t klen1;  /* key length + 1; 0: unused entry */
        uint32_t slot;   /* UINT32_MAX: not a symbol */
        char other[24];  /* a short non-symbol key, when key is NULL */
    } pos[64];
} ik_bind_cache;

/* What ik_logic_slot_of reads: the program and the key order of earlier
 * records. Zero it but lg to start; one per thread of reading. */
typedef struct ik_slot_map {
    const ik_logic *lg;
    ik_bind_cache *cache; /* NULL: every key is looked up */
    uint32_t at;          /* the cache position of the member being read */
} ik_slot_map;

/* The slot of symbol key[0..klen) (no NUL needed), member pos of a
 * record, or UINT32_MAX; ctx is an ik_slot_map. The slot_of of
 * ik_json_read_slots (answers_json.h). */
uint32_t ik_logic_slot_of(void *ctx, uint32_t pos, const char *key,
                          uint32_t klen);

/*
 * ik_logic_bind straight from a parsed cJSON object: only members that
 * are symbols are converted (into arena a; strings borrowed from obj, so
 * the tree must outlive the evaluation). false when a cannot grow.
 * cache may be NULL.
 */
bool ik_logic_bind_cjson(const ik_logic *lg, const cJSON *obj, ik_value *slots,
                         ik_arena *a, ik_bind_cache *cache);

/*
 * Evaluate expr. The result may borrow from lg, env->slots' values and
 * env->scratch. IK_ELOGIC for a runtime error JavaScript would throw
 * ({"*": []}) or a spent budget; IK_ENOMEM when scratch cannot grow.
 */
ik_status ik_logic_eval(const ik_logic *lg, ik_expr expr, const ik_env *env,
                        ik_value *out, ik_error *err);

/*
 * Evaluate exprs[0..n) in order, each as ik_logic_eval would with env
 * (its own budget, the pool shared): out[i] is written before exprs[i + 1]
 * starts, so it may be a slot a later expression reads. sts[i] receives
 * each status, err the first failure's message. Returns how many failed.
 * One call for a record's or an answer's expressions saves entering the
 * evaluator once each.
 */
uint32_t ik_logic_eval_each(const ik_logic *lg, const ik_expr *exprs,
                            uint32_t n, const ik_env *env, ik_value *out,
                            ik_status *sts, ik_error *err);

/*
 * An upper estimate of the node visits one evaluation of expr takes: each
 * node once, the body of map, filter, reduce, all, some and none once an
 * element, an array of unknown length (one the data gives) counted as
 * `unknown` elements. Saturates at UINT64_MAX. For `intake check`.
 */
uint64_t ik_logic_cost(const ik_logic *lg, ik_expr expr, uint32_t unknown);

/* Slots read by expr (each once, in first-read order); returns the total
 * count even when larger than cap. */
size_t ik_logic_reads(const ik_logic *lg, ik_expr expr, uint32_t *slots,
                      size_t cap);

/* True when expr (outside an iteration) reads a name computed from the
 * data ({"var": {"cat": ...}}, missing with computed keys) or the whole
 * data ({"var": ""}): then which answers it reads is not known at load.
 * *src receives the byte offset of the first such read (SIZE_MAX if
 * unknown). ik_logic_reads does not list what such a read may name. */
bool ik_logic_dynamic_read(const ik_logic *lg, ik_expr expr, size_t *src);

/* True when expr reads no data: *v receives its value. */
bool ik_logic_is_const(const ik_logic *lg, ik_expr expr, ik_value *v);

/* Byte offset in the source text of expr's root (SIZE_MAX if unknown). */
size_t ik_logic_src(const ik_logic *lg, ik_expr expr);

/* A comparison of one answer with one constant, found by a static walk. */
typedef struct ik_logic_cmp {
    uint32_t slot;  /* the var's symbol */
    const char *op; /* "==", "===", "!=", "!==", "<", "<=", ">", ">=",
                       "in" (var_left: the answer in a constant array;
                       else the constant in the answer: an option of a
                       multi answer, a part of a text), "!" / "!!" (truthy
                       test: cst is UNDEF) */
    ik_value cst;   /* borrowed from lg */
    bool var_left;  /* var is the left operand */
    size_t src;     /* byte offset of the comparison */
} ik_logic_cmp;

/* Call fn for every comparison of a plain single-segment var with a
 * constant inside expr. */
void ik_logic_visit_cmps(const ik_logic *lg, ik_expr expr,
                         void (*fn)(const ik_logic_cmp *cmp, void *ctx),
                         void *ctx);

/* One node of a compiled expression, for translators (the FHIRPath of
 * engine/fhirpath.c): a walk over these sees the pack's logic as compiled
 * (constant parts folded), never its text. */
typedef enum ik_logic_kind {
    IK_LN_CONST, /* cst holds the value (arrays of constants too) */
    IK_LN_VAR,   /* a var: slot, and a default as kid 0 if nkids */
    IK_LN_ARRAY, /* an array with computed items: the kids */
    IK_LN_OP     /* an operator (op) applied to the kids */
} ik_logic_kind;

typedef struct ik_logic_node {
    ik_logic_kind kind;
    const char *op; /* IK_LN_OP: the JSON name ("==", "in", "and"...) */
    ik_value cst;   /* IK_LN_CONST: borrowed from lg */
    uint32_t slot;  /* IK_LN_VAR: the symbol when the var names one
                       top-level name; UINT32_MAX for a path, a computed
                       name, the whole data or an iteration element */
    uint32_t nkids;
    size_t src; /* byte offset in the source text; SIZE_MAX unknown */
} ik_logic_node;

/* Describe expr; ik_logic_node_kid gives its i-th child (i < nkids). */
void ik_logic_node_get(const ik_logic *lg, ik_expr expr, ik_logic_node *out);
ik_expr ik_logic_node_kid(const ik_logic *lg, ik_expr expr, uint32_t i);

/* Write expr back out as JSON (for graphs, exports, explain). */
void ik_logic_write_json(const ik_logic *lg, ik_expr expr, ik_buf *b);

#endif
