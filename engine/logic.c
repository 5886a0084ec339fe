/*
 * logic.c -- compile JsonLogic into node arrays and evaluate them with
 * json-logic-js 2.0.5 semantics.
 * Reads data, never writes it; no I/O; evaluation allocates only from the
 * caller's scratch arena and recurses at most IK_LOGIC_MAX_DEPTH deep.
 */
#define _GNU_SOURCE /* memmem: a linear-time substring search for `in` */
#include "logic.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
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

static const struct op_info {
    const char *name;
    int min, max;
    unsigned flags;
} op_table[IK_OP__COUNT] = {
    [IK_OP_LIT] = {"(literal)", 0, 0, 0},
    [IK_OP_ARRAY] = {"(array)", 0, -1, 0},
    [IK_OP_VARD] = {"var", 0, -1, IK_DATA},
    [IK_OP_CMP] = {"(comparison)", 2, 3, 0},
#define IK_OP(e, nm, mn, mx, fl) [IK_OP_##e] = {nm, mn, mx, fl},
#include "logic_ops.h"
#undef IK_OP
};

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
};

#define DEFAULT_BUDGET IK_LOGIC_BUDGET

/* ---- Small helpers ---- */

static bool grow(void **p, uint32_t *cap, uint32_t need, size_t size)
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

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;

    while (n--)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* The array index a path segment names, as JavaScript's canonical
 * numeric strings do ("0", "12"; not "01" or "-1"). */
static uint32_t seg_index(const char *s, size_t n)
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

static uint32_t find_sym(const ik_logic *lg, const char *s, size_t n)
{
    uint32_t mask, i;

    if (!lg->hash_cap)
        return UINT32_MAX;
    mask = lg->hash_cap - 1;
    for (i = hash_bytes(s, n) & mask; lg->hash[i]; i = (i + 1) & mask) {
        const seg *y = &lg->syms[lg->hash[i] - 1];

        if (y->len == n && memcmp(y->s, s, n) == 0)
            return lg->hash[i] - 1;
    }
    return UINT32_MAX;
}

static bool rehash(ik_logic *lg, uint32_t cap)
{
    uint32_t *h = ik_calloc(cap, sizeof *h);
    uint32_t k;

    if (!h)
        return false;
    ik_free(lg->hash);
    lg->hash = h;
    lg->hash_cap = cap;
    for (k = 0; k < lg->nsyms; k++) {
        uint32_t i = hash_bytes(lg->syms[k].s, lg->syms[k].len) & (cap - 1);

        while (h[i])
            i = (i + 1) & (cap - 1);
        h[i] = k + 1;
    }
    return true;
}

static ik_status define(ik_logic *lg, const char *s, size_t n, uint32_t *slot,
                        ik_error *err)
{
    uint32_t k = find_sym(lg, s, n);
    char *copy;

    if (k != UINT32_MAX) {
        *slot = k;
        return IK_OK;
    }
    if (n > UINT32_MAX || lg->nsyms >= UINT32_MAX / 4)
        return ik_fail(err, IK_ELIMIT, "too many names");
    if (!grow((void **)&lg->syms, &lg->cap_syms, lg->nsyms + 1,
              sizeof *lg->syms))
        return ik_fail(err, IK_ENOMEM, "out of memory");
    if ((lg->nsyms + 1) * 2 > lg->hash_cap &&
        !rehash(lg, lg->hash_cap ? lg->hash_cap * 2 : 64))
        return ik_fail(err, IK_ENOMEM, "out of memory");
    copy = ik_arena_strndup(&lg->arena, s, n);
    if (!copy)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    lg->syms[lg->nsyms] = (seg){copy, (uint32_t)n, UINT32_MAX};
    k = hash_bytes(s, n) & (lg->hash_cap - 1);
    while (lg->hash[k])
        k = (k + 1) & (lg->hash_cap - 1);
    lg->hash[k] = ++lg->nsyms;
    *slot = lg->nsyms - 1;
    return IK_OK;
}

/* ---- Public: program and symbols ---- */

ik_status ik_logic_new(ik_logic **out, ik_error *err)
{
    ik_logic *lg = ik_calloc(1, sizeof *lg);

    *out = NULL;
    if (!lg)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    ik_arena_init(&lg->arena);
    *out = lg;
    return IK_OK;
}

void ik_logic_free(ik_logic *lg)
{
    if (!lg)
        return;
    ik_free(lg->nodes);
    ik_free(lg->consts);
    ik_free(lg->paths);
    ik_free(lg->segs);
    ik_free(lg->syms);
    ik_free(lg->hash);
    ik_arena_fini(&lg->arena);
    ik_free(lg);
}

void ik_logic_set_strict(ik_logic *lg, bool strict)
{
    lg->strict = strict;
}

ik_status ik_logic_define(ik_logic *lg, const char *name, uint32_t *slot,
                          ik_error *err)
{
    return define(lg, name, strlen(name), slot, err);
}

uint32_t ik_logic_find(const ik_logic *lg, const char *name)
{
    return find_sym(lg, name, strlen(name));
}

uint32_t ik_logic_nslots(const ik_logic *lg)
{
    return lg->nsyms;
}

const char *ik_logic_slot_name(const ik_logic *lg, uint32_t slot)
{
    return slot < lg->nsyms ? lg->syms[slot].s : NULL;
}

/* ---- Compilation ---- */

typedef struct comp {
    ik_logic *lg;
    const ik_json_doc *doc;
    ik_error *err;
} comp;

static ik_status cfail(comp *c, const cJSON *at, bool key, ik_status code,
                       const char *fmt, ...) IK_PRINTF(5, 6);

static ik_status cfail(comp *c, const cJSON *at, bool key, ik_status code,
                       const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->doc)
        return ik_json_fail(c->doc, at, key, c->err, code, "%s", msg);
    return ik_fail(c->err, code, "%s", msg);
}

static uint32_t src_of(const comp *c, const cJSON *j)
{
    size_t off = c->doc ? ik_json_offset(c->doc, j, false) : SIZE_MAX;

    return off >= UINT32_MAX ? UINT32_MAX : (uint32_t)off;
}

static ik_status add_const(comp *c, ik_value v, uint32_t *idx)
{
    ik_logic *lg = c->lg;

    if (!grow((void **)&lg->consts, &lg->cap_consts, lg->nconsts + 1,
              sizeof *lg->consts))
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    lg->consts[lg->nconsts] = v;
    *idx = lg->nconsts++;
    return IK_OK;
}

/* Reserve n contiguous nodes; *first receives the index of the first. */
static ik_status reserve(comp *c, uint32_t n, uint32_t *first)
{
    ik_logic *lg = c->lg;

    if (n > UINT32_MAX - lg->nnodes ||
        !grow((void **)&lg->nodes, &lg->cap_nodes, lg->nnodes + n,
              sizeof *lg->nodes))
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    memset(lg->nodes + lg->nnodes, 0, n * sizeof *lg->nodes);
    *first = lg->nnodes;
    lg->nnodes += n;
    return IK_OK;
}

static ik_status set_lit(comp *c, uint32_t at, ik_value v, uint32_t src)
{
    uint32_t k = 0;
    ik_status st = add_const(c, v, &k);

    if (st != IK_OK)
        return st;
    c->lg->nodes[at] = (ik_node){IK_OP_LIT, 0, 0, 0, k, src};
    return IK_OK;
}

static ik_op find_op(const char *name)
{
    int k;

    for (k = IK_OP_CMP + 1; k < IK_OP__COUNT; k++)
        if (strcmp(op_table[k].name, name) == 0)
            return (ik_op)k;
    return IK_OP__COUNT;
}

/* Split text at '.' into interned segments; returns the path index. */
/* bind: 0 no symbol (iteration context), 1 bind the first segment (strict
 * mode: it must be defined), 2 bind it only if it is already defined */
static ik_status add_path(comp *c, const char *s, size_t n, int bind,
                          const cJSON *at, uint32_t *out)
{
    ik_logic *lg = c->lg;
    path p = {UINT32_MAX, lg->nsegs, 0};
    size_t i = 0;

    if (n > 0) {
        for (;;) {
            const char *dot = memchr(s + i, '.', n - i);
            size_t len = dot ? (size_t)(dot - (s + i)) : n - i;
            char *copy = ik_arena_strndup(&lg->arena, s + i, len);

            if (!copy || !grow((void **)&lg->segs, &lg->cap_segs, lg->nsegs + 1,
                               sizeof *lg->segs))
                return ik_fail(c->err, IK_ENOMEM, "out of memory");
            lg->segs[lg->nsegs++] =
                (seg){copy, (uint32_t)len, seg_index(copy, len)};
            p.nseg++;
            if (!dot)
                break;
            i += len + 1;
        }
    }
    if (bind && p.nseg) {
        const seg *first = &lg->segs[p.seg0];

        if (lg->strict || bind == 2) {
            p.slot = find_sym(lg, first->s, first->len);
            if (p.slot == UINT32_MAX && bind == 1) /* else: read by name */
                return cfail(c, at, false, IK_ELOGIC, "unknown name '%s'",
                             first->s);
        } else {
            ik_status st = define(lg, first->s, first->len, &p.slot, c->err);

            if (st != IK_OK)
                return st;
        }
    }
    if (!grow((void **)&lg->paths, &lg->cap_paths, lg->npaths + 1,
              sizeof *lg->paths))
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    lg->paths[lg->npaths] = p;
    *out = lg->npaths++;
    return IK_OK;
}

static ik_status compile_node(comp *c, const cJSON *j, uint32_t at, int depth,
                              bool in_iter);

static ik_status eval_node(const ik_logic *lg, uint32_t ni, ik_value *out,
                           ik_arena *scratch, ik_error *err);

/* Replace nodes[at] by its value when it and its children read no data.
 * Nothing that reads no data nests deeper than 128 + IK_LOGIC_MAX_DEPTH,
 * far within IK_VALUE_MAX_DEPTH (an accumulator is data: not folded). */
static ik_status fold(comp *c, uint32_t at)
{
    ik_logic *lg = c->lg;
    ik_node n = lg->nodes[at];
    ik_arena scratch;
    ik_error e;
    ik_value v;
    uint32_t i;
    ik_status st;

    if (op_table[n.op].flags & IK_DATA)
        return IK_OK;
    for (i = 0; i < n.nkids; i++)
        if (lg->nodes[n.kid + i].op != IK_OP_LIT)
            return IK_OK;
    ik_arena_init(&scratch);
    ik_error_clear(&e);
    st = eval_node(lg, at, &v, &scratch, &e);
    if (st == IK_OK) {
        st = ik_value_copy(v, &lg->arena, &v);
        if (st == IK_OK)
            st = set_lit(c, at, v, n.src);
        if (st == IK_OK)
            lg->nnodes = n.kid ? n.kid : lg->nnodes;
    }
    ik_arena_fini(&scratch);
    if (st == IK_ENOMEM)
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    return IK_OK; /* a runtime error stays for run time */
}

/* The path text of a constant var argument, as var reads a literal one
 * (a string, a number as JavaScript prints it, true or false); false for
 * other constants and strings holding NUL (left to run time). */
static bool const_path(ik_value v, char *num, const char **text, size_t *len)
{
    switch ((ik_kind)v.kind) {
    case IK_STR:
        if (memchr(v.u.str, '\0', v.len))
            return false;
        *text = v.u.str;
        *len = v.len;
        return true;
    case IK_NUM:
        *len = ik_num_format(v.u.num, num);
        *text = num;
        return true;
    case IK_BOOL:
        *text = v.u.b ? "true" : "false";
        *len = strlen(*text);
        return true;
    case IK_UNDEF:
    case IK_NULL:
    case IK_ARR:
    case IK_OBJ:
    case IK_KIND__COUNT:
        break;
    }
    return false;
}

static ik_status compile_var(comp *c, const cJSON *args, uint32_t nargs,
                             const cJSON *first, uint32_t at, int depth,
                             bool in_iter)
{
    ik_logic *lg = c->lg;
    char num[32];
    const char *text = NULL;
    size_t len = 0;
    uint32_t kid = 0, p = 0, i;
    const cJSON *a;
    ik_status st;

    if (nargs == 0 || cJSON_IsNull(first)) {
        text = "";
    } else if (cJSON_IsString(first)) {
        text = first->valuestring;
        len = strlen(text);
    } else if (cJSON_IsNumber(first)) {
        len = ik_num_format(first->valuedouble, num);
        text = num;
    } else if (cJSON_IsBool(first)) {
        text = cJSON_IsTrue(first) ? "true" : "false";
        len = strlen(text);
    }
    if (!text) { /* computed path */
        st = reserve(c, nargs, &kid);
        for (a = first, i = 0; st == IK_OK && a; a = a->next, i++)
            st = compile_node(c, a, kid + i, depth + 1, in_iter);
        if (st != IK_OK)
            return st;
        if (lg->nodes[kid].op != IK_OP_LIT ||
            !const_path(lg->consts[lg->nodes[kid].arg], num, &text, &len)) {
            lg->nodes[at] = (ik_node){
                IK_OP_VARD, in_iter ? NODE_CTX : 0, (uint16_t)nargs, kid,
                0,          src_of(c, args)};
            return IK_OK;
        }
        /* folded to a constant: a plain var (strict mode checks the
         * name), whose default, if any, is already compiled after it */
        st = add_path(c, text, len, in_iter ? 0 : 1, first, &p);
        kid++;
    } else {
        st = add_path(c, text, len, in_iter ? 0 : 1, nargs ? first : args, &p);
        if (st == IK_OK && nargs > 1)
            st = reserve(c, nargs - 1, &kid);
        for (a = nargs ? first->next : NULL, i = 0; st == IK_OK && a;
             a = a->next, i++)
            st = compile_node(c, a, kid + i, depth + 1, in_iter);
    }
    if (st != IK_OK)
        return st;
    lg->nodes[at] = (ik_node){IK_OP_VAR,
                              in_iter                  ? NODE_CTX
                              : lg->paths[p].nseg == 1 ? NODE_SLOT
                                                       : 0,
                              (uint16_t)(nargs > 1 ? nargs - 1 : 0),
                              kid,
                              p,
                              src_of(c, args)};
    return IK_OK;
}

/* missing / missing_some with constant keys: compile each key's path now
 * (contiguous in lg->paths, arg = first + 1) so no name is split or
 * searched at run time. Other forms stay as they are. */
static ik_status compile_keys(comp *c, uint32_t at, bool in_iter)
{
    ik_logic *lg = c->lg;
    ik_node n = lg->nodes[at];
    uint32_t first = n.op == IK_OP_MISSING ? 0 : 1, i, nkeys, p0 = 0, p;
    const ik_value *keys;
    ik_value v, one[1];

    if (n.nkids <= first)
        return IK_OK;
    for (i = first; i < n.nkids; i++)
        if (lg->nodes[n.kid + i].op != IK_OP_LIT)
            return IK_OK;
    v = lg->consts[lg->nodes[n.kid + first].arg];
    if (v.kind == IK_ARR) {
        keys = v.u.items;
        nkeys = v.len;
    } else if (n.op == IK_OP_MISSING) {
        keys = &lg->consts[lg->nodes[n.kid].arg];
        nkeys = n.nkids;
        for (i = 1; i < n.nkids; i++) /* LIT args have consecutive consts */
            if (lg->nodes[n.kid + i].arg != lg->nodes[n.kid].arg + i)
                return IK_OK;
    } else {
        one[0] = v;
        keys = one;
        nkeys = 1;
    }
    for (i = 0; i < nkeys; i++)
        if (keys[i].kind != IK_STR || memchr(keys[i].u.str, '\0', keys[i].len))
            return IK_OK;
    for (i = 0; i < nkeys; i++) {
        ik_status st =
            add_path(c, keys[i].u.str, keys[i].len, in_iter ? 0 : 2, NULL, &p);

        if (st != IK_OK)
            return st;
        if (i == 0)
            p0 = p;
    }
    if (nkeys == 0)
        return IK_OK;
    lg->nodes[at].arg = p0 + 1;
    lg->nodes[at].flags |= NODE_KEYS;
    return IK_OK;
}

/* A constant, or a var that needs no walk: one slot, or the iteration
 * element or one member of it, with a constant default if any. */
static bool is_simple(const ik_logic *lg, const ik_node *k)
{
    if (k->op == IK_OP_LIT)
        return true;
    if (k->op != IK_OP_VAR || k->nkids > 1 ||
        (k->nkids && lg->nodes[k->kid].op != IK_OP_LIT))
        return false;
    if (k->flags & NODE_SLOT)
        return true;
    return (k->flags & NODE_CTX) && lg->paths[k->arg].nseg <= 1;
}

/* Comparisons of simple operands become one IK_OP_CMP node that reads its
 * operands in place: the commonest shape in rule packs. */
static void specialise(ik_logic *lg, uint32_t at)
{
    ik_node *n = &lg->nodes[at];
    uint32_t i, max = (n->op == IK_OP_LT || n->op == IK_OP_LE) ? 3 : 2;

    switch (n->op) {
    case IK_OP_EQ:
    case IK_OP_NE:
    case IK_OP_SEQ:
    case IK_OP_SNE:
    case IK_OP_LT:
    case IK_OP_LE:
    case IK_OP_GT:
    case IK_OP_GE:
    case IK_OP_IN:
        break;
    default:
        return;
    }
    if (n->nkids < 2 || n->nkids > max)
        return;
    for (i = 0; i < n->nkids; i++)
        if (!is_simple(lg, &lg->nodes[n->kid + i]))
            return;
    if (n->nkids == 2 && n->op != IK_OP_SEQ && n->op != IK_OP_SNE &&
        n->op != IK_OP_IN && (lg->nodes[n->kid].flags & NODE_SLOT) &&
        lg->nodes[n->kid].nkids == 0 && lg->nodes[n->kid + 1].op == IK_OP_LIT)
        n->flags |= NODE_SC;
    n->arg = n->op;
    n->op = IK_OP_CMP;
}

/* The operator a node stands for (IK_OP_CMP keeps it in arg). */
static ik_op node_op(const ik_node *n)
{
    return n->op == IK_OP_CMP ? (ik_op)n->arg : (ik_op)n->op;
}

static uint32_t count_items(const cJSON *j)
{
    uint32_t n = 0;

    for (j = j->child; j; j = j->next)
        n++;
    return n;
}

static ik_status compile_op(comp *c, const cJSON *j, uint32_t at, int depth,
                            bool in_iter)
{
    const cJSON *m = j->child, *args = m, *a;
    ik_op op = find_op(m->string);
    uint32_t nargs = 1, kid = 0, i;
    ik_status st;

    if (op == IK_OP__COUNT)
        return cfail(c, m, true, IK_ELOGIC, "unknown operator '%s'", m->string);
    if (cJSON_IsArray(m)) {
        nargs = count_items(m);
        args = m->child;
    }
    if (nargs > UINT16_MAX)
        return cfail(c, m, true, IK_ELIMIT, "too many arguments for '%s'",
                     m->string);
    if (op == IK_OP_VAR) {
        st = compile_var(c, m, nargs, args, at, depth, in_iter);
        if (st == IK_OK)
            c->lg->nodes[at].src = src_of(c, j);
        return st;
    }
    st = reserve(c, nargs, &kid);
    for (a = args, i = 0; st == IK_OK && i < nargs; a = a->next, i++) {
        bool body = (op_table[op].flags & IK_ITER) && i == 1;

        st = compile_node(c, a, kid + i, depth + 1, in_iter || body);
    }
    if (st != IK_OK)
        return st;
    c->lg->nodes[at] = (ik_node){(uint8_t)op,
                                 in_iter ? NODE_CTX : 0,
                                 (uint16_t)nargs,
                                 nargs ? kid : 0,
                                 0,
                                 src_of(c, j)};
    if (op == IK_OP_MISSING || op == IK_OP_MISSING_SOME)
        return compile_keys(c, at, in_iter);
    st = fold(c, at);
    if (st == IK_OK)
        specialise(c->lg, at);
    return st;
}

/*
 * JsonLogic's rule is one key per operation. json-logic-js reads an object
 * of two or more keys as data, always true, so {"==": [..], "!=": [..]}
 * would silently be a condition that holds whatever the answers: when any
 * key names an operator, that is an error at the second key. An object
 * of keys that are no operator stays data, as json-logic-js reads it.
 */
static ik_status check_one_key(comp *c, const cJSON *j)
{
    const cJSON *m;

    for (m = j->child; m; m = m->next)
        if (find_op(m->string) != IK_OP__COUNT)
            return cfail(c, j->child->next, true, IK_ELOGIC,
                         "an operation has one key, but this object has "
                         "%u (\"%s\", \"%s\"%s); write each operation as "
                         "its own object",
                         count_items(j), j->child->string,
                         j->child->next->string,
                         j->child->next->next ? ", ..." : "");
    return IK_OK;
}

static ik_status compile_node(comp *c, const cJSON *j, uint32_t at, int depth,
                              bool in_iter)
{
    ik_value v;
    ik_status st;

    if (depth > IK_LOGIC_MAX_DEPTH)
        return cfail(c, j, false, IK_ELOGIC,
                     "logic nested deeper than %d levels", IK_LOGIC_MAX_DEPTH);
    if (cJSON_IsObject(j) && j->child && !j->child->next)
        return compile_op(c, j, at, depth, in_iter);
    if (cJSON_IsObject(j) && j->child && (st = check_one_key(c, j)) != IK_OK)
        return st;
    if (cJSON_IsArray(j)) {
        uint32_t n = count_items(j), kid = 0, i;
        const cJSON *a;

        if (n > UINT16_MAX)
            return cfail(c, j, false, IK_ELIMIT, "array too long");
        st = reserve(c, n, &kid);
        for (a = j->child, i = 0; st == IK_OK && a; a = a->next, i++)
            st = compile_node(c, a, kid + i, depth + 1, in_iter);
        if (st != IK_OK)
            return st;
        c->lg->nodes[at] = (ik_node){IK_OP_ARRAY, 0, (uint16_t)n,
                                     n ? kid : 0, 0, src_of(c, j)};
        return fold(c, at);
    }
    if (!ik_value_from_cjson(j, &c->lg->arena, &v))
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    return set_lit(c, at, v, src_of(c, j));
}

ik_status ik_logic_compile_json(ik_logic *lg, const cJSON *node,
                                const ik_json_doc *doc, ik_expr *out,
                                ik_error *err)
{
    comp c = {lg, doc, err};
    uint32_t nn = lg->nnodes, nc = lg->nconsts, np = lg->npaths;
    uint32_t ns = lg->nsegs, ny = lg->nsyms, at;
    ik_arena_mark mark = ik_arena_save(&lg->arena);
    ik_status st;

    st = reserve(&c, 1, &at);
    if (st == IK_OK)
        st = compile_node(&c, node, at, 0, false);
    if (st == IK_OK) {
        *out = at;
        return IK_OK;
    }
    lg->nnodes = nn;
    lg->nconsts = nc;
    lg->npaths = np;
    lg->nsegs = ns;
    if (lg->nsyms != ny) {
        lg->nsyms = ny;
        rehash(lg, lg->hash_cap); /* same size: cannot need more memory */
    }
    ik_arena_rewind(&lg->arena, mark);
    return st;
}

ik_status ik_logic_compile_text(ik_logic *lg, const char *text, size_t len,
                                ik_expr *out, ik_error *err)
{
    ik_json_doc doc;
    ik_status st;
    char *copy = ik_malloc(len + 1);

    memset(&doc, 0, sizeof doc);
    if (!copy)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    st = ik_json_parse(copy, len, "", IK_JSON_POSITIONS, &doc, err);
    if (st == IK_OK)
        st = ik_logic_compile_json(lg, doc.root, &doc, out, err);
    ik_json_doc_fini(&doc);
    ik_free(copy);
    return st;
}

/* ---- Evaluation ---- */

typedef struct est {
    const ik_logic *lg;
    const ik_env *env;
    ik_arena *scratch;
    uint64_t left; /* node visits still allowed */
    ik_error *err;
    const ik_value *slots; /* NULL unless top-level names read slots */
    uint32_t nslots;
    size_t cap; /* scratch->used may not pass this (IK_LOGIC_MAX_SCRATCH) */
    bool over;  /* an allocation was refused for the cap, not the heap */
    struct depths *depths; /* nesting of arrays and objects seen, or NULL */
    ik_status late;        /* a conversion failed where no status could be
                            * returned (an operand's text): its operator returns it */
} est;

static ik_status ev(est *s, uint32_t ni, const ik_value *ctx, ik_value *out);
static inline ik_status arg(est *s, uint32_t ni, const ik_value *ctx,
                            ik_value *out);
static ik_status eval_cmp(est *s, const ik_node *n, const ik_value *ctx,
                          ik_value *out);
static inline bool less(est *s, ik_value a, ik_value b, bool or_equal);

static ik_status nomem(est *s)
{
    if (s->over)
        return ik_fail(s->err, IK_ELIMIT,
                       "evaluation needs more than %u MiB of memory",
                       (unsigned)(IK_LOGIC_MAX_SCRATCH >> 20));
    return ik_fail(s->err, IK_ENOMEM, "out of memory during evaluation");
}

static ik_status too_deep(est *s)
{
    return ik_fail(s->err, IK_ELIMIT, "value nested deeper than %d levels",
                   IK_VALUE_MAX_DEPTH);
}

/* The scratch level past which this evaluation may not allocate. */
static size_t scratch_cap(const ik_arena *a)
{
    size_t used = a ? a->used : 0;

    return used > SIZE_MAX - IK_LOGIC_MAX_SCRATCH ? SIZE_MAX
                                                  : used + IK_LOGIC_MAX_SCRATCH;
}

/* ik_arena_alloc with its common case inline: same alignment, same
 * accounting; anything unusual goes to the arena itself. */
static inline void *salloc(est *s, size_t n)
{
    ik_arena *a = s->scratch;
    size_t pad;
    char *p;

    if (!a)
        return NULL;
    if (a->used >= s->cap || n > s->cap - a->used) {
        s->over = true; /* no exponential growth from doubling a value */
        return NULL;
    }
    pad = (size_t)(-(uintptr_t)a->cur & 15);
    if (a->cur && !a->limit && n && pad + n <= (size_t)(a->end - a->cur)) {
        p = a->cur + pad;
        a->cur = p + n;
        a->used += n;
        return p;
    }
    return ik_arena_alloc(a, n ? n : 1);
}

static ik_value make_array(ik_value *items, uint32_t n)
{
    ik_value v = {IK_ARR, n, {.items = items}};
    return v;
}

/* String(v) in scratch, within this evaluation's memory bound (the text
 * of a shared array can be far larger than the array) and its budget:
 * each byte of an array's text costs one node visit, so making text is
 * as bounded in time as evaluating is. */
static ik_status to_text(est *s, ik_value v, ik_value *out)
{
    size_t used = s->scratch ? s->scratch->used : 0;
    size_t mem = used < s->cap ? s->cap - used : 0, max = mem;

    if (v.kind == IK_STR) {
        *out = v;
        return IK_OK;
    }
    if (v.kind == IK_ARR && s->left < max)
        max = (size_t)s->left;
    switch (ik_value_to_string(v, s->scratch, max, out)) {
    case IK_TEXT_OK:
        if (v.kind == IK_ARR)
            s->left -= out->len;
        return IK_OK;
    case IK_TEXT_DEEP:
        return too_deep(s);
    case IK_TEXT_LONG:
        if (max < mem) {
            s->left = 0;
            return ik_fail(s->err, IK_ELOGIC, "evaluation exceeded its budget");
        }
        s->over = true;
        return nomem(s);
    case IK_TEXT_NOMEM:
        break;
    }
    return nomem(s);
}

/* Each array operand as its String(), made by to_text, for operators
 * that would convert it anyway (<, arithmetic, loose == with a
 * primitive): the text then counts against the memory bound. */
static IK_NOINLINE ik_status arrays_to_text(est *s, ik_value *v, uint32_t n)
{
    uint32_t i;
    ik_status st;

    for (i = 0; i < n; i++)
        if (v[i].kind == IK_ARR && (st = to_text(s, v[i], &v[i])) != IK_OK)
            return st;
    return IK_OK;
}

/* v's String() for a conversion that cannot return a status: on
 * failure s->late holds it and the result is undefined. */
static IK_NOINLINE ik_value text_or_undef(est *s, ik_value v)
{
    ik_status st = to_text(s, v, &v);

    if (st == IK_OK)
        return v;
    s->late = st;
    return ik_undef();
}

/* ---- Nesting of values built ---- */

/*
 * How deeply arrays and objects nest in the values an evaluation builds,
 * so that none deeper than IK_VALUE_MAX_DEPTH is made. Each array or
 * object is walked once per evaluation, however often it is shared
 * ({"reduce": [xs, [acc, acc], 0]}): its depth is remembered by the
 * address of its items, in a table in scratch.
 */
typedef struct depths {
    struct dm {
        const void *key; /* items or members; NULL: empty entry */
        uint32_t len;
        uint32_t depth;
    } * e;
    uint32_t cap, n; /* cap: a power of two */
} depths;

enum { DEPTH_OVER = IK_VALUE_MAX_DEPTH + 1 };

static struct dm *depth_slot(const depths *d, const void *key, uint32_t len)
{
    uint32_t mask = d->cap - 1;
    uint32_t i = (uint32_t)(((uintptr_t)key >> 4) * 2654435761u) & mask;

    while (d->e[i].key && (d->e[i].key != key || d->e[i].len != len))
        i = (i + 1) & mask;
    return &d->e[i];
}

static bool depth_grow(est *s)
{
    depths *d = s->depths, old;
    uint32_t i;

    if (!d) {
        d = s->depths = salloc(s, sizeof *d);
        if (!d)
            return false;
        memset(d, 0, sizeof *d);
    }
    if ((d->n + 1) * 2 <= d->cap)
        return true;
    old = *d;
    d->cap = old.cap ? old.cap * 2 : 64;
    d->e = salloc(s, d->cap * sizeof *d->e);
    if (!d->e || d->cap > UINT32_MAX / 4) {
        *d = old;
        return false;
    }
    memset(d->e, 0, d->cap * sizeof *d->e);
    for (i = 0; i < old.cap; i++)
        if (old.e[i].key)
            *depth_slot(d, old.e[i].key, old.e[i].len) = old.e[i];
    return true;
}

/* *out: the nesting of v, or DEPTH_OVER when deeper than the bound;
 * level counts the arrays and objects around v in this walk, which stops
 * past the bound (*cut then says a depth is a lower bound, not kept). */
static ik_status depth_of(est *s, ik_value v, unsigned level, uint32_t *out,
                          bool *cut)
{
    const void *key =
        v.kind == IK_ARR ? (const void *)v.u.items : (const void *)v.u.members;
    uint32_t i, d = 0, k;
    bool below = false;
    struct dm *e;
    ik_status st;

    *out = 0;
    if (v.kind != IK_ARR && v.kind != IK_OBJ)
        return IK_OK;
    *out = 1;
    if (v.len == 0)
        return IK_OK;
    if (s->depths && s->depths->cap &&
        (e = depth_slot(s->depths, key, v.len))->key) {
        *out = e->depth;
        return IK_OK;
    }
    if (level >= DEPTH_OVER) {
        *out = DEPTH_OVER;
        *cut = true;
        return IK_OK;
    }
    for (i = 0; i < v.len && d < DEPTH_OVER - 1; i++) {
        st = depth_of(s, v.kind == IK_ARR ? v.u.items[i] : v.u.members[i].val,
                      level + 1, &k, &below);
        if (st != IK_OK)
            return st;
        d = k > d ? k : d;
    }
    *out = d + 1 > DEPTH_OVER ? DEPTH_OVER : d + 1;
    if (below) {
        *cut = true;
        return IK_OK;
    }
    if (!depth_grow(s))
        return nomem(s);
    *depth_slot(s->depths, key, v.len) = (struct dm){key, v.len, *out};
    s->depths->n++;
    return IK_OK;
}

/* IK_ELIMIT unless v, inside `extra` more arrays, nests within the
 * bound. */
static IK_NOINLINE ik_status check_depth(est *s, ik_value v, uint32_t extra)
{
    uint32_t d = 0;
    bool cut = false;
    ik_status st = depth_of(s, v, 0, &d, &cut);

    if (st == IK_OK && d + extra > IK_VALUE_MAX_DEPTH)
        return too_deep(s);
    return st;
}

/* Before an array of items[0..n) is handed out: refuse it when it would
 * nest deeper than the bound. Items that are not arrays or objects (most)
 * cost one test each. */
static inline ik_status check_items(est *s, const ik_value *items, uint32_t n)
{
    uint32_t i;
    ik_status st;

    for (i = 0; i < n; i++)
        if ((items[i].kind == IK_ARR || items[i].kind == IK_OBJ) &&
            (st = check_depth(s, items[i], 1)) != IK_OK)
            return st;
    return IK_OK;
}

/* Length of a UTF-8 string in UTF-16 code units. */
static uint32_t utf16_len(const char *s, uint32_t n)
{
    uint32_t i, u = 0;

    for (i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];

        if ((b & 0xC0) != 0x80)
            u += b >= 0xF0 ? 2 : 1;
    }
    return u;
}

/* Byte offset of UTF-16 unit k (clamped to n). */
static uint32_t utf16_off(const char *s, uint32_t n, double k)
{
    uint32_t i = 0;
    double u = 0;

    while (i < n && u < k) {
        unsigned char b = (unsigned char)s[i];

        u += b >= 0xF0 ? 2 : 1;
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* One property access: cur[key] as JavaScript does it for our kinds. */
static ik_value step(ik_value cur, const char *key, uint32_t klen, uint32_t idx)
{
    switch ((ik_kind)cur.kind) {
    case IK_OBJ:
        return ik_value_get(cur, key, klen);
    case IK_ARR:
        if (idx < cur.len)
            return cur.u.items[idx];
        if (klen == 6 && memcmp(key, "length", 6) == 0)
            return ik_num(cur.len);
        return ik_undef();
    case IK_STR:
        if (idx != UINT32_MAX && idx < utf16_len(cur.u.str, cur.len)) {
            uint32_t a = utf16_off(cur.u.str, cur.len, idx);
            uint32_t b = utf16_off(cur.u.str, cur.len, idx + 1.0);

            return ik_str(cur.u.str + a, b - a);
        }
        if (klen == 6 && memcmp(key, "length", 6) == 0)
            return ik_num(utf16_len(cur.u.str, cur.len));
        return ik_undef();
    case IK_UNDEF:
    case IK_NULL:
    case IK_BOOL:
    case IK_NUM:
    case IK_KIND__COUNT:
        break;
    }
    return ik_undef();
}

/* The whole top-level data: env->root, or an object of the slots. */
static IK_NOINLINE ik_status whole_data(est *s, ik_value *out)
{
    const ik_env *env = s->env;
    ik_member *m;
    uint32_t i, n = 0, lim;
    ik_status st;

    if (env->root.kind != IK_UNDEF || !env->slots) {
        *out = env->root;
        return IK_OK;
    }
    lim = env->nslots < s->lg->nsyms ? env->nslots : s->lg->nsyms;
    m = salloc(s, lim * sizeof *m);
    if (!m)
        return nomem(s);
    for (i = 0; i < lim; i++) {
        if (env->slots[i].kind == IK_UNDEF)
            continue;
        m[n].key = s->lg->syms[i].s;
        m[n].klen = s->lg->syms[i].len;
        m[n++].val = env->slots[i];
        if ((m[n - 1].val.kind == IK_ARR || m[n - 1].val.kind == IK_OBJ) &&
            (st = check_depth(s, m[n - 1].val, 1)) != IK_OK)
            return st;
    }
    *out = (ik_value){IK_OBJ, n, {.members = m}};
    return IK_OK;
}

/* First step from the top-level data by name. */
static ik_value top_get(est *s, uint32_t slot, const char *key, uint32_t klen,
                        uint32_t idx)
{
    const ik_env *env = s->env;

    if (env->root.kind != IK_UNDEF && env->root.kind != IK_OBJ)
        return step(env->root, key, klen, idx);
    if (env->slots) {
        if (slot == UINT32_MAX)
            slot = find_sym(s->lg, key, klen);
        return slot < env->nslots ? env->slots[slot] : ik_undef();
    }
    return step(env->root, key, klen, idx);
}

/* A var path given as text at run time; found says whether it resolved. */
static ik_status lookup_text(est *s, const ik_value *ctx, ik_value key,
                             ik_value *out)
{
    ik_value cur;
    const char *p;
    uint32_t n, i = 0;
    bool first = true;
    ik_status st;

    if (key.kind == IK_UNDEF || key.kind == IK_NULL ||
        (key.kind == IK_STR && key.len == 0)) {
        if (ctx) {
            *out = *ctx;
            return IK_OK;
        }
        return whole_data(s, out);
    }
    if ((st = to_text(s, key, &key)) != IK_OK)
        return st;
    p = key.u.str;
    n = key.len;
    cur = ctx ? *ctx : s->env->root;
    for (;;) {
        const char *dot = n > i ? memchr(p + i, '.', n - i) : NULL;
        uint32_t len = dot ? (uint32_t)(dot - (p + i)) : n - i;
        uint32_t idx = seg_index(p + i, len);

        if (!first || ctx)
            cur = (cur.kind == IK_UNDEF || cur.kind == IK_NULL)
                      ? ik_undef()
                      : step(cur, p + i, len, idx);
        else
            cur = top_get(s, UINT32_MAX, p + i, len, idx);
        first = false;
        if (cur.kind == IK_UNDEF || !dot)
            break;
        i += len + 1;
    }
    *out = cur;
    return IK_OK;
}

static ik_status eval_default(est *s, const ik_node *n, uint32_t k,
                              const ik_value *ctx, ik_value *out)
{
    if (n->nkids <= k) {
        *out = ik_null();
        return IK_OK;
    }
    return ev(s, n->kid + k, ctx, out);
}

/* The value at a compiled path with one or more segments (UNDEF: none). */
static ik_value resolve_path(est *s, const path *p, const ik_value *ctx)
{
    const seg *g = &s->lg->segs[p->seg0];
    ik_value cur;
    uint32_t i;

    if (ctx)
        cur = (ctx->kind == IK_UNDEF || ctx->kind == IK_NULL)
                  ? ik_undef()
                  : step(*ctx, g->s, g->len, g->idx);
    else
        cur = top_get(s, p->slot, g->s, g->len, g->idx);
    for (i = 1; i < p->nseg && cur.kind != IK_UNDEF; i++) {
        if (cur.kind == IK_NULL) {
            cur = ik_undef();
            break;
        }
        cur = step(cur, g[i].s, g[i].len, g[i].idx);
    }
    return cur;
}

static IK_NOINLINE ik_status eval_var(est *s, const ik_node *n,
                                      const ik_value *ctx, ik_value *out)
{
    const path *p = &s->lg->paths[n->arg];
    ik_value cur;

    if ((n->flags & NODE_SLOT) && s->slots) {
        cur = p->slot < s->nslots ? s->slots[p->slot] : ik_undef();
        if (cur.kind == IK_UNDEF)
            return eval_default(s, n, 0, NULL, out);
        *out = cur;
        return IK_OK;
    }
    if (p->nseg == 0) {
        if (ctx) {
            *out = *ctx;
            return IK_OK;
        }
        return whole_data(s, out);
    }
    cur = resolve_path(s, p, ctx);
    if (cur.kind == IK_UNDEF)
        return eval_default(s, n, 0, ctx, out);
    *out = cur;
    return IK_OK;
}

static IK_NOINLINE ik_status eval_vard(est *s, const ik_node *n,
                                       const ik_value *ctx, ik_value *out)
{
    ik_value key = ik_undef(), v;
    ik_status st = IK_OK;

    if (n->nkids)
        st = ev(s, n->kid, ctx, &key);
    if (st == IK_OK)
        st = lookup_text(s, ctx, key, &v);
    if (st != IK_OK)
        return st;
    if (v.kind == IK_UNDEF)
        return eval_default(s, n, 1, ctx, out);
    *out = v;
    return IK_OK;
}

/* Keys from evaluated arguments (an array first argument stands for all). */
static void missing_keys(const ik_value *args, uint32_t n,
                         const ik_value **keys, uint32_t *nkeys)
{
    if (n && args[0].kind == IK_ARR) {
        *keys = args[0].u.items;
        *nkeys = args[0].len;
    } else {
        *keys = args;
        *nkeys = n;
    }
}

/* paths: the keys compiled (NODE_KEYS), or NULL to read them at run time */
static ik_status eval_missing(est *s, const ik_value *keys, uint32_t nkeys,
                              const path *paths, const ik_value *ctx,
                              ik_value *out)
{
    ik_value *miss = salloc(s, nkeys * sizeof *miss), v;
    uint32_t i, k = 0;
    ik_status st;

    if (!miss)
        return nomem(s);
    for (i = 0; i < nkeys; i++) {
        if (paths && paths[i].nseg)
            v = resolve_path(s, &paths[i], ctx);
        else if ((st = lookup_text(s, ctx, keys[i], &v)) != IK_OK)
            return st;
        if (v.kind == IK_UNDEF || v.kind == IK_NULL ||
            (v.kind == IK_STR && v.len == 0))
            miss[k++] = keys[i];
    }
    *out = make_array(miss, k);
    return check_items(s, miss, k);
}

static const path *key_paths(const est *s, const ik_node *n)
{
    return (n->flags & NODE_KEYS) ? &s->lg->paths[n->arg - 1] : NULL;
}

static ik_status eval_missing_some(est *s, const ik_value *args, uint32_t n,
                                   const path *paths, const ik_value *ctx,
                                   ik_value *out)
{
    ik_value need = n > 0 ? args[0] : ik_undef();
    ik_value opts = n > 1 ? args[1] : ik_undef();
    const ik_value *keys;
    uint32_t nkeys;
    double len = NAN;
    ik_status st;

    missing_keys(&opts, 1, &keys, &nkeys);
    st = eval_missing(s, keys, nkeys, paths, ctx, out);
    if (st != IK_OK)
        return st;
    if (opts.kind == IK_ARR)
        len = opts.len;
    else if (opts.kind == IK_STR)
        len = utf16_len(opts.u.str, opts.len);
    if (less(s, need, ik_num(len - out->len), true))
        *out = make_array(salloc(s, 1), 0);
    return s->late;
}

/* Equal bytes; answers short strings (most answers) without a call. */
static inline bool same_bytes(const char *a, const char *b, uint32_t n)
{
    uint32_t i;

    if (n > 16)
        return memcmp(a, b, n) == 0;
    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* JsonLogic truthiness with the boolean case inline. */
static inline bool truthy(ik_value v)
{
    return v.kind == IK_BOOL ? v.u.b : ik_value_truthy(v);
}

/* ---- Iterators ---- */

static IK_NOINLINE ik_status eval_iter(est *s, const ik_node *n,
                                       const ik_value *ctx, ik_value *out)
{
    ik_value arr = ik_undef(), r, *res = NULL;
    uint32_t i, k = 0, body = n->kid + 1;
    ik_status st = IK_OK;
    ik_op op = (ik_op)n->op;

    if (n->nkids)
        st = arg(s, n->kid, ctx, &arr);
    if (st != IK_OK)
        return st;
    if (op == IK_OP_REDUCE) {
        ik_value acc = ik_null();

        if (n->nkids > 2 && (st = arg(s, n->kid + 2, ctx, &acc)) != IK_OK)
            return st;
        if (arr.kind != IK_ARR || n->nkids < 2) {
            *out = acc;
            return IK_OK;
        }
        for (i = 0; i < arr.len; i++) {
            ik_member *m = salloc(s, 2 * sizeof *m);
            ik_value frame;

            if (!m)
                return nomem(s);
            m[0] = (ik_member){"current", 7, arr.u.items[i]};
            m[1] = (ik_member){"accumulator", 11, acc};
            frame = (ik_value){IK_OBJ, 2, {.members = m}};
            if ((st = arg(s, body, &frame, &acc)) != IK_OK)
                return st;
            /* the frame is not checked: it escapes only as acc */
            if ((acc.kind == IK_ARR || acc.kind == IK_OBJ) &&
                (st = check_depth(s, acc, 0)) != IK_OK)
                return st;
        }
        *out = acc;
        return IK_OK;
    }
    if (arr.kind != IK_ARR) {
        *out = (op == IK_OP_MAP || op == IK_OP_FILTER)
                   ? make_array(salloc(s, 1), 0)
                   : ik_bool(op == IK_OP_NONE);
        return IK_OK;
    }
    if (op == IK_OP_MAP || op == IK_OP_FILTER) {
        res = salloc(s, arr.len * sizeof *res);
        if (!res)
            return nomem(s);
    }
    if (op == IK_OP_ALL && arr.len == 0) {
        *out = ik_bool(false);
        return IK_OK;
    }
    for (i = 0; i < arr.len; i++) {
        bool t;

        r = ik_undef();
        if (n->nkids > 1 && (st = arg(s, body, &arr.u.items[i], &r)) != IK_OK)
            return st;
        if (op == IK_OP_MAP) {
            res[k++] = r;
            continue;
        }
        t = truthy(r);
        if (op == IK_OP_FILTER) {
            if (t)
                res[k++] = arr.u.items[i];
        } else if (op == IK_OP_ALL ? !t : t) {
            *out = ik_bool(op == IK_OP_SOME);
            return IK_OK;
        }
    }
    if (res) {
        *out = make_array(res, k);
        return op == IK_OP_MAP ? check_items(s, res, k) : IK_OK;
    }
    *out = ik_bool(op != IK_OP_SOME);
    return IK_OK;
}

/* ---- Strings and arrays ---- */

static ik_status eval_cat(est *s, ik_value *args, uint32_t n, ik_value *out)
{
    size_t total = 0;
    uint32_t i;
    char *buf, *p;
    ik_status st;

    for (i = 0; i < n; i++) {
        if (args[i].kind == IK_UNDEF || args[i].kind == IK_NULL)
            args[i] = ik_str("", 0);
        else if ((st = to_text(s, args[i], &args[i])) != IK_OK)
            return st;
        total += args[i].len;
    }
    if (total > UINT32_MAX)
        return ik_fail(s->err, IK_ELIMIT, "string too long");
    if (n == 1) {
        *out = args[0];
        return IK_OK;
    }
    p = buf = salloc(s, total + 1);
    if (!buf)
        return nomem(s);
    for (i = 0; i < n; i++) {
        if (args[i].len)
            memcpy(p, args[i].u.str, args[i].len);
        p += args[i].len;
    }
    *p = '\0';
    *out = ik_str(buf, (uint32_t)total);
    return IK_OK;
}

/* ToIntegerOrInfinity */
static double to_integer(ik_value v)
{
    double d = ik_value_to_number(v);

    return isnan(d) ? 0 : trunc(d);
}

/* String.prototype.substr(start, length) over UTF-16 units. */
static ik_value js_substr(ik_value str, double start, double length)
{
    double size = utf16_len(str.u.str, str.len), end;
    uint32_t a, b;

    if (start < 0)
        start = fmax(size + start, 0);
    start = fmin(start, size);
    end = fmin(start + fmax(length, 0), size);
    if (end <= start)
        return ik_str("", 0);
    a = utf16_off(str.u.str, str.len, start);
    b = utf16_off(str.u.str, str.len, end);
    return ik_str(str.u.str + a, b - a);
}

static ik_status eval_substr(est *s, ik_value *args, uint32_t n, ik_value *out)
{
    ik_value src, start, len;
    ik_status st = to_text(s, n ? args[0] : ik_undef(), &src);

    if (st == IK_OK && n > 1)
        st = arrays_to_text(s, args + 1, n - 1);
    if (st != IK_OK)
        return st;
    start = n > 1 ? args[1] : ik_undef();
    len = n > 2 ? args[2] : ik_undef();
    if (ik_value_less(len, ik_num(0), false)) {
        ik_value tail = js_substr(src, to_integer(start), INFINITY);

        *out = js_substr(tail, 0,
                         utf16_len(tail.u.str, tail.len) + to_integer(len));
        return IK_OK;
    }
    *out = js_substr(src, to_integer(start),
                     len.kind == IK_UNDEF ? INFINITY : to_integer(len));
    return IK_OK;
}

static ik_status eval_merge(est *s, const ik_value *args, uint32_t n,
                            ik_value *out)
{
    size_t total = 0;
    uint32_t i, j, k = 0;
    ik_value *items;

    for (i = 0; i < n; i++)
        total += args[i].kind == IK_ARR ? args[i].len : 1;
    if (total > UINT32_MAX)
        return ik_fail(s->err, IK_ELIMIT, "array too long");
    items = salloc(s, total * sizeof *items);
    if (!items)
        return nomem(s);
    for (i = 0; i < n; i++) {
        if (args[i].kind != IK_ARR) {
            items[k++] = args[i];
            continue;
        }
        for (j = 0; j < args[i].len; j++)
            items[k++] = args[i].u.items[j];
    }
    *out = make_array(items, k);
    return IK_OK;
}

/* needle in hay: a substring test for a string hay (memmem is linear in
 * the lengths, so a long needle that almost matches everywhere costs no
 * more than a short one), strict equality for an array. */
static ik_status eval_in(est *s, ik_value needle, ik_value hay, bool *r)
{
    uint32_t i;
    ik_status st;

    *r = false;
    if (!ik_value_truthy(hay))
        return IK_OK;
    if (hay.kind == IK_ARR && needle.kind == IK_STR) {
        for (i = 0; i < hay.len; i++) {
            const ik_value *it = &hay.u.items[i];

            if (it->kind == IK_STR && it->len == needle.len &&
                same_bytes(it->u.str, needle.u.str, needle.len)) {
                *r = true;
                break;
            }
        }
        return IK_OK;
    }
    if (hay.kind == IK_ARR) {
        for (i = 0; i < hay.len; i++)
            if (ik_value_strict_eq(needle, hay.u.items[i])) {
                *r = true;
                break;
            }
        return IK_OK;
    }
    if (hay.kind != IK_STR)
        return IK_OK;
    if ((st = to_text(s, needle, &needle)) != IK_OK)
        return st;
    if (hay.len > 64) {
        *r = needle.len == 0 ||
             memmem(hay.u.str, hay.len, needle.u.str, needle.len) != NULL;
        return IK_OK;
    }
    /* a short hay (most answers): at most 64 x 64 steps, no call */
    for (i = 0; !*r && i + needle.len <= hay.len; i++)
        *r = same_bytes(hay.u.str + i, needle.u.str, needle.len);
    return IK_OK;
}

/* ---- Arithmetic ---- */

/* ToNumber or parseFloat of an array: one that JavaScript reads through
 * its String() is made text by to_text first. */
static IK_NOINLINE double array_number(est *s, ik_value v, bool parse)
{
    if (v.len > 1 || (v.len == 1 && v.u.items[0].kind != IK_NUM))
        v = text_or_undef(s, v);
    return parse ? ik_value_parse_float(v) : ik_value_to_number(v);
}

static inline double to_number(est *s, ik_value v)
{
    if (v.kind == IK_NUM)
        return v.u.num;
    return v.kind == IK_ARR ? array_number(s, v, false) : ik_value_to_number(v);
}

static inline double parse_float(est *s, ik_value v)
{
    if (v.kind == IK_NUM && v.u.num != 0) /* parseFloat(String(-0)) is 0 */
        return v.u.num;
    return v.kind == IK_ARR ? array_number(s, v, true)
                            : ik_value_parse_float(v);
}

static ik_status eval_arith(est *s, ik_op op, const ik_value *args, uint32_t n,
                            ik_value *out)
{
    double r = 0, a = NAN, b = NAN;
    uint32_t i;

    if (op == IK_OP_SUB || op == IK_OP_DIV || op == IK_OP_MOD) {
        a = n > 0 ? to_number(s, args[0]) : NAN;
        b = n > 1 ? to_number(s, args[1]) : NAN;
    }
    switch (op) {
    case IK_OP_ADD:
        for (i = 0; i < n; i++)
            r += parse_float(s, args[i]);
        break;
    case IK_OP_MUL:
        if (n == 0)
            return ik_fail(s->err, IK_ELOGIC,
                           "'*' needs at least one argument");
        if (n == 1) {
            *out = args[0];
            return IK_OK;
        }
        r = parse_float(s, args[0]);
        for (i = 1; i < n; i++)
            r = (r == 0 ? 0 : r) * parse_float(s, args[i]);
        break;
    case IK_OP_SUB: /* json-logic-js: b === undefined ? -a : a - b */
        r = n == 1 || (n > 1 && args[1].kind == IK_UNDEF) ? -a : a - b;
        break;
    case IK_OP_DIV:
        r = a / b;
        break;
    case IK_OP_MOD:
        r = fmod(a, b);
        break;
    case IK_OP_MAX:
    case IK_OP_MIN:
        r = op == IK_OP_MAX ? -INFINITY : INFINITY;
        for (i = 0; i < n; i++) {
            double d = to_number(s, args[i]);

            if (isnan(d) || isnan(r))
                r = NAN;
            else if (op == IK_OP_MAX
                         ? (d > r || (d == 0 && r == 0 && !signbit(d)))
                         : (d < r || (d == 0 && r == 0 && signbit(d))))
                r = d;
        }
        break;
    default:
        assert(!"not arithmetic");
        break;
    }
    *out = ik_num(r);
    return s->late;
}

/* ---- The evaluator ---- */

static IK_NOINLINE ik_status eval_lazy(est *s, const ik_node *n,
                                       const ik_value *ctx, ik_value *out)
{
    uint32_t i, k = n->nkids;
    ik_value v = ik_undef();
    ik_status st;

    switch ((ik_op)n->op) {
    case IK_OP_IF:
    case IK_OP_TERNARY:
        for (i = 0; i + 1 < k; i += 2) {
            if ((st = arg(s, n->kid + i, ctx, &v)) != IK_OK)
                return st;
            if (truthy(v))
                return arg(s, n->kid + i + 1, ctx, out);
        }
        if (i + 1 == k)
            return arg(s, n->kid + i, ctx, out);
        *out = ik_null();
        return IK_OK;
    case IK_OP_AND:
    case IK_OP_OR:
        for (i = 0; i < k; i++) {
            if ((st = arg(s, n->kid + i, ctx, &v)) != IK_OK)
                return st;
            if (truthy(v) == (n->op == IK_OP_OR))
                break;
        }
        *out = v;
        return IK_OK;
    default:
        return eval_iter(s, n, ctx, out);
    }
}

/* Operand evaluation with the two commonest cases inline. */
static inline bool cmp_fast(const est *s, const ik_node *n, ik_value *out);

static inline ik_status arg(est *s, uint32_t ni, const ik_value *ctx,
                            ik_value *out)
{
    const ik_node *n = &s->lg->nodes[ni];

    if (n->op == IK_OP_LIT && s->left) {
        s->left--;
        *out = s->lg->consts[n->arg];
        return IK_OK;
    }
    if ((n->flags & NODE_SLOT) && s->slots && s->left) {
        uint32_t slot = s->lg->paths[n->arg].slot;

        s->left--;
        *out = slot < s->nslots ? s->slots[slot] : ik_undef();
        if (out->kind != IK_UNDEF)
            return IK_OK;
        return eval_default(s, n, 0, NULL, out);
    }
    if (n->op == IK_OP_CMP && s->left) {
        s->left--;
        if ((n->flags & NODE_SC) && cmp_fast(s, n, out))
            return IK_OK;
        return eval_cmp(s, n, ctx, out);
    }
    return ev(s, ni, ctx, out);
}

/* A NODE_SC comparison when the slot and the constant are both numbers
 * or both strings (what JavaScript's operators do with those, no
 * conversions); false when it is not that case, for eval_cmp to answer. */
static inline bool cmp_fast(const est *s, const ik_node *n, ik_value *out)
{
    const ik_logic *lg = s->lg;
    const ik_node *k = &lg->nodes[n->kid];
    uint32_t slot = lg->paths[k->arg].slot;
    const ik_value *a, *b;
    bool r;

    if (!s->slots || slot >= s->nslots)
        return false;
    a = &s->slots[slot];
    b = &lg->consts[k[1].arg];
    if (a->kind == IK_NUM && b->kind == IK_NUM) {
        switch ((ik_op)n->arg) {
        case IK_OP_EQ:
            r = a->u.num == b->u.num;
            break;
        case IK_OP_NE:
            r = !(a->u.num == b->u.num);
            break;
        case IK_OP_LT:
            r = a->u.num < b->u.num;
            break;
        case IK_OP_LE:
            r = a->u.num <= b->u.num;
            break;
        case IK_OP_GT:
            r = b->u.num < a->u.num;
            break;
        case IK_OP_GE:
            r = b->u.num <= a->u.num;
            break;
        default:
            return false;
        }
    } else if (a->kind == IK_STR && b->kind == IK_STR &&
               (n->arg == IK_OP_EQ || n->arg == IK_OP_NE)) {
        r = a->len == b->len && same_bytes(a->u.str, b->u.str, a->len);
        r = r == (n->arg == IK_OP_EQ);
    } else {
        return false;
    }
    *out = ik_bool(r);
    return true;
}

/* An array compared with a primitive (not null or undefined) is
 * compared by its String(): made by to_text, so its cost counts against
 * the memory bound. A failure is left in s->late. */
static IK_NOINLINE bool loose_eq_slow(est *s, ik_value a, ik_value b)
{
    if (a.kind != b.kind && a.kind > IK_NULL && b.kind > IK_NULL &&
        a.kind != IK_OBJ && b.kind != IK_OBJ) {
        if (a.kind == IK_ARR)
            a = text_or_undef(s, a);
        if (b.kind == IK_ARR)
            b = text_or_undef(s, b);
    }
    return ik_value_loose_eq(a, b);
}

static inline bool loose_eq(est *s, ik_value a, ik_value b)
{
    if (a.kind == b.kind && a.kind == IK_STR)
        return a.len == b.len && same_bytes(a.u.str, b.u.str, a.len);
    if (a.kind == b.kind && a.kind == IK_NUM)
        return a.u.num == b.u.num;
    return loose_eq_slow(s, a, b);
}

/* < of anything but two numbers; arrays compare by their String(). */
static IK_NOINLINE bool less_slow(est *s, ik_value a, ik_value b, bool or_equal)
{
    if (a.kind == IK_ARR)
        a = text_or_undef(s, a);
    if (b.kind == IK_ARR)
        b = text_or_undef(s, b);
    return ik_value_less(a, b, or_equal);
}

static inline bool less(est *s, ik_value a, ik_value b, bool or_equal)
{
    if (a.kind == IK_NUM && b.kind == IK_NUM)
        return or_equal ? a.u.num <= b.u.num : a.u.num < b.u.num;
    return less_slow(s, a, b, or_equal);
}

/* Operators that look at no more than three arguments: those are kept in
 * locals; any further arguments are still evaluated, as JavaScript does. */
static IK_NOINLINE ik_status eval_small(est *s, const ik_node *n,
                                        const ik_value *ctx, ik_value *out)
{
    ik_value a[3] = {{0}, {0}, {0}}, junk;
    uint32_t i, k = n->nkids;
    ik_status st;
    bool r;

    for (i = 0; i < k; i++)
        if ((st = arg(s, n->kid + i, ctx, i < 3 ? &a[i] : &junk)) != IK_OK)
            return st;
    switch ((ik_op)n->op) {
    case IK_OP_EQ:
        *out = ik_bool(loose_eq(s, a[0], a[1]));
        return s->late;
    case IK_OP_NE:
        *out = ik_bool(!loose_eq(s, a[0], a[1]));
        return s->late;
    case IK_OP_SEQ:
    case IK_OP_SNE:
        *out = ik_bool(ik_value_strict_eq(a[0], a[1]) == (n->op == IK_OP_SEQ));
        return IK_OK;
    case IK_OP_NOT:
    case IK_OP_NOTNOT:
        *out = ik_bool(ik_value_truthy(a[0]) == (n->op == IK_OP_NOTNOT));
        return IK_OK;
    case IK_OP_LT:
    case IK_OP_LE:
        r = less(s, a[0], a[1], n->op == IK_OP_LE);
        if (k > 2 && a[2].kind != IK_UNDEF)
            r = r && less(s, a[1], a[2], n->op == IK_OP_LE);
        *out = ik_bool(r);
        return s->late;
    case IK_OP_GT:
    case IK_OP_GE:
        *out = ik_bool(less(s, a[1], a[0], n->op == IK_OP_GE));
        return s->late;
    case IK_OP_SUB:
    case IK_OP_DIV:
    case IK_OP_MOD:
        return eval_arith(s, (ik_op)n->op, a, k < 3 ? k : 2, out);
    case IK_OP_MISSING_SOME:
        return eval_missing_some(s, a, k < 3 ? k : 2, key_paths(s, n),
                                 (n->flags & NODE_CTX) ? ctx : NULL, out);
    case IK_OP_IN:
        st = eval_in(s, a[0], a[1], &r);
        *out = ik_bool(r);
        return st;
    case IK_OP_SUBSTR:
        return eval_substr(s, a, k < 3 ? k : 3, out);
    case IK_OP_LOG:
        *out = a[0]; /* the core prints nothing: log only passes through */
        return IK_OK;
    default:
        assert(!"not a small operator");
        return IK_OK;
    }
}

enum { ARGS_ON_STACK = 8 };

/* Operators over any number of arguments. */
static IK_NOINLINE ik_status eval_eager(est *s, const ik_node *n,
                                        const ik_value *ctx, ik_value *out)
{
    ik_value stack[ARGS_ON_STACK], *a = stack;
    uint32_t i, k = n->nkids;
    ik_status st;

    if (k > ARGS_ON_STACK && !(a = salloc(s, k * sizeof *a)))
        return nomem(s);
    for (i = 0; i < k; i++)
        if ((st = arg(s, n->kid + i, ctx, &a[i])) != IK_OK)
            return st;
    switch ((ik_op)n->op) {
    case IK_OP_ADD:
    case IK_OP_MUL:
    case IK_OP_MAX:
    case IK_OP_MIN:
        return eval_arith(s, (ik_op)n->op, a, k, out);
    case IK_OP_MISSING: {
        const ik_value *keys;
        uint32_t nkeys;

        missing_keys(a, k, &keys, &nkeys);
        return eval_missing(s, keys, nkeys, key_paths(s, n),
                            (n->flags & NODE_CTX) ? ctx : NULL, out);
    }
    case IK_OP_MERGE:
        return eval_merge(s, a, k, out);
    case IK_OP_CAT:
        return eval_cat(s, a, k, out);
    case IK_OP_ARRAY: {
        ik_value *items = salloc(s, k * sizeof *items);

        if (!items)
            return nomem(s);
        if (k)
            memcpy(items, a, k * sizeof *items);
        *out = make_array(items, k);
        return check_items(s, items, k);
    }
    default:
        assert(!"not an eager operator");
        return IK_OK;
    }
}

/* A simple operand read from the iteration element, or through the
 * general var code when there are no slots. */
static IK_NOINLINE ik_status simple_slow(est *s, const ik_node *k,
                                         const ik_value *ctx, ik_value *out)
{
    const ik_logic *lg = s->lg;
    const path *p;
    const seg *g;

    if (!(k->flags & NODE_CTX))
        return eval_var(s, k, NULL, out);
    p = &lg->paths[k->arg];
    if (p->nseg == 0) {
        *out = *ctx;
        return IK_OK;
    }
    g = &lg->segs[p->seg0]; /* segs is NULL when no path has any */
    *out = (ctx->kind == IK_UNDEF || ctx->kind == IK_NULL)
               ? ik_undef()
               : step(*ctx, g->s, g->len, g->idx);
    if (out->kind == IK_UNDEF)
        *out = k->nkids ? lg->consts[lg->nodes[k->kid].arg] : ik_null();
    return IK_OK;
}

/* An operand that is_simple accepted. */
static inline ik_status simple(est *s, const ik_node *k, const ik_value *ctx,
                               ik_value *out)
{
    const ik_logic *lg = s->lg;

    if (k->op == IK_OP_LIT) {
        *out = lg->consts[k->arg];
        return IK_OK;
    }
    if (!(k->flags & NODE_SLOT) || !s->slots)
        return simple_slow(s, k, ctx, out);
    {
        uint32_t slot = lg->paths[k->arg].slot;

        *out = slot < s->nslots ? s->slots[slot] : ik_undef();
    }
    if (out->kind == IK_UNDEF)
        *out = k->nkids ? lg->consts[lg->nodes[k->kid].arg] : ik_null();
    return IK_OK;
}

static IK_NOINLINE ik_status eval_cmp(est *s, const ik_node *n,
                                      const ik_value *ctx, ik_value *out)
{
    const ik_node *k = &s->lg->nodes[n->kid];
    ik_value a, b, c;
    ik_status st;
    bool r;

    if ((st = simple(s, k, ctx, &a)) != IK_OK ||
        (st = simple(s, k + 1, ctx, &b)) != IK_OK)
        return st;
    switch ((ik_op)n->arg) {
    case IK_OP_EQ:
        r = loose_eq(s, a, b);
        break;
    case IK_OP_NE:
        r = !loose_eq(s, a, b);
        break;
    case IK_OP_SEQ:
        r = ik_value_strict_eq(a, b);
        break;
    case IK_OP_SNE:
        r = !ik_value_strict_eq(a, b);
        break;
    case IK_OP_LT:
    case IK_OP_LE:
        r = less(s, a, b, n->arg == IK_OP_LE);
        if (r && n->nkids > 2) {
            if ((st = simple(s, k + 2, ctx, &c)) != IK_OK)
                return st;
            if (c.kind != IK_UNDEF)
                r = less(s, b, c, n->arg == IK_OP_LE);
        }
        break;
    case IK_OP_GT:
    case IK_OP_GE:
        r = less(s, b, a, n->arg == IK_OP_GE);
        break;
    case IK_OP_IN:
        if ((st = eval_in(s, a, b, &r)) != IK_OK)
            return st;
        break;
    default:
        assert(!"not a comparison");
        r = false;
        break;
    }
    *out = ik_bool(r);
    return s->late;
}

static ik_status ev(est *s, uint32_t ni, const ik_value *ctx, ik_value *out)
{
    const ik_node *n = &s->lg->nodes[ni];

    if (s->left-- == 0) {
        s->left = 0;
        return ik_fail(s->err, IK_ELOGIC, "evaluation exceeded its budget");
    }
    switch ((ik_op)n->op) {
    case IK_OP_LIT:
        *out = s->lg->consts[n->arg];
        return IK_OK;
    case IK_OP_VAR:
        return eval_var(s, n, (n->flags & NODE_CTX) ? ctx : NULL, out);
    case IK_OP_VARD:
        return eval_vard(s, n, (n->flags & NODE_CTX) ? ctx : NULL, out);
    case IK_OP_CMP:
        if ((n->flags & NODE_SC) && cmp_fast(s, n, out))
            return IK_OK;
        return eval_cmp(s, n, ctx, out);
    case IK_OP_IF:
    case IK_OP_TERNARY:
    case IK_OP_AND:
    case IK_OP_OR:
    case IK_OP_MAP:
    case IK_OP_FILTER:
    case IK_OP_REDUCE:
    case IK_OP_ALL:
    case IK_OP_NONE:
    case IK_OP_SOME:
        return eval_lazy(s, n, ctx, out);
    case IK_OP_EQ:
    case IK_OP_SEQ:
    case IK_OP_NE:
    case IK_OP_SNE:
    case IK_OP_NOT:
    case IK_OP_NOTNOT:
    case IK_OP_LT:
    case IK_OP_LE:
    case IK_OP_GT:
    case IK_OP_GE:
    case IK_OP_SUB:
    case IK_OP_DIV:
    case IK_OP_MOD:
    case IK_OP_MISSING_SOME:
    case IK_OP_IN:
    case IK_OP_SUBSTR:
    case IK_OP_LOG:
        return eval_small(s, n, ctx, out);
    case IK_OP_ARRAY:
    case IK_OP_MISSING:
    case IK_OP_MAX:
    case IK_OP_MIN:
    case IK_OP_ADD:
    case IK_OP_MUL:
    case IK_OP_MERGE:
    case IK_OP_CAT:
        return eval_eager(s, n, ctx, out);
    case IK_OP__COUNT:
        break;
    }
    assert(!"bad operator");
    return ik_fail(s->err, IK_ELOGIC, "bad operator");
}

/* Constant folding: evaluate a data-free node at compile time. */
static ik_status eval_node(const ik_logic *lg, uint32_t ni, ik_value *out,
                           ik_arena *scratch, ik_error *err)
{
    ik_env env = {ik_undef(), NULL, 0, scratch, 0, NULL};
    est s = {lg, &env, scratch, DEFAULT_BUDGET, err,  NULL,
             0,  0,    false,   NULL,           IK_OK};

    s.cap = scratch_cap(scratch);
    return ev(&s, ni, NULL, out);
}

ik_status ik_logic_eval(const ik_logic *lg, ik_expr expr, const ik_env *env,
                        ik_value *out, ik_error *err)
{
    uint64_t cap = env->budget ? env->budget : DEFAULT_BUDGET;
    bool pooled = env->pool && *env->pool < cap;
    est s = {lg,    env,  env->scratch, 0,    err, NULL,
             0,     scratch_cap(env->scratch),  false, NULL, IK_OK};
    ik_status st;

    *out = ik_undef();
    if (expr >= lg->nnodes)
        return ik_fail(err, IK_EMISUSE, "no such expression");
    if (pooled)
        cap = *env->pool;
    s.left = cap;
    if (env->slots &&
        (env->root.kind == IK_UNDEF || env->root.kind == IK_OBJ)) {
        s.slots = env->slots;
        s.nslots = env->nslots;
    }
    st = ev(&s, expr, NULL, out);
    if (env->pool)
        *env->pool -= cap - s.left;
    if (st == IK_ELOGIC && pooled && s.left == 0)
        return ik_fail(err, IK_ELOGIC,
                       "evaluation exceeded the total budget of one answer "
                       "or record (%u node visits for all its conditions "
                       "and derived values)",
                       IK_LOGIC_TOTAL_BUDGET);
    return st;
}

/* ---- Cost estimate ---- */

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* How many elements the array node n may have. */
static uint64_t length_bound(const ik_logic *lg, const ik_node *n,
                             uint32_t unknown)
{
    uint64_t len = 0;
    uint32_t i;

    switch (n->op) {
    case IK_OP_LIT:
        return lg->consts[n->arg].kind == IK_ARR ? lg->consts[n->arg].len : 0;
    case IK_OP_ARRAY:
        return n->nkids;
    case IK_OP_MERGE:
        for (i = 0; i < n->nkids; i++)
            len = add_sat(len,
                          length_bound(lg, &lg->nodes[n->kid + i], unknown));
        return len;
    default:
        return unknown;
    }
}

static uint64_t cost(const ik_logic *lg, uint32_t ni, uint32_t unknown)
{
    const ik_node *n = &lg->nodes[ni];
    uint64_t c = 1, k, len;
    uint32_t i;

    for (i = 0; i < n->nkids; i++) {
        k = cost(lg, n->kid + i, unknown);
        if (i == 1 && (op_table[n->op].flags & IK_ITER)) {
            len = length_bound(lg, &lg->nodes[n->kid], unknown);
            k = len && k > UINT64_MAX / len ? UINT64_MAX : k * len;
        }
        c = add_sat(c, k);
    }
    return c;
}

uint64_t ik_logic_cost(const ik_logic *lg, ik_expr expr, uint32_t unknown)
{
    return expr < lg->nnodes ? cost(lg, expr, unknown) : 0;
}

void ik_logic_bind(const ik_logic *lg, ik_value root, ik_value *slots)
{
    uint32_t i;

    if (lg->nsyms)
        memset(slots, 0, lg->nsyms * sizeof *slots);
    if (root.kind != IK_OBJ)
        return;
    for (i = 0; i < root.len; i++) {
        const ik_member *m = &root.u.members[i];
        uint32_t k = find_sym(lg, m->key, m->klen);

        if (k != UINT32_MAX && slots[k].kind == IK_UNDEF)
            slots[k] = m->val;
    }
}

/* Does cache entry j hold key (NUL-terminated)? */
static bool cache_has(const ik_bind_cache *cache, uint32_t j, const char *key)
{
    const char *want;
    uint32_t n;

    if (j >= 64 || !cache->pos[j].klen1)
        return false;
    want = cache->pos[j].key ? cache->pos[j].key : cache->pos[j].other;
    n = cache->pos[j].klen1 - 1;
    return memcmp(want, key, n) == 0 && key[n] == '\0';
}

static void cache_put(const ik_logic *lg, ik_bind_cache *cache, uint32_t j,
                      const char *key, uint32_t klen, uint32_t slot)
{
    if (j >= 64)
        return;
    cache->pos[j].key = slot == UINT32_MAX ? NULL : lg->syms[slot].s;
    cache->pos[j].klen1 = klen + 1;
    cache->pos[j].slot = slot;
    if (slot == UINT32_MAX && klen < sizeof cache->pos[j].other)
        memcpy(cache->pos[j].other, key, klen);
    else if (slot == UINT32_MAX)
        cache->pos[j].klen1 = 0; /* too long to remember */
}

/*
 * The cache holds the key order of earlier records. Walking it alongside
 * this record's members, an optional member that is absent here or new
 * here costs one hash lookup, not a lookup for every member after it.
 */
bool ik_logic_bind_cjson(const ik_logic *lg, const cJSON *obj, ik_value *slots,
                         ik_arena *a, ik_bind_cache *cache)
{
    const cJSON *c;
    uint32_t j = 0, k;

    if (lg->nsyms)
        memset(slots, 0, lg->nsyms * sizeof *slots);
    if (!cJSON_IsObject(obj))
        return true;
    for (c = obj->child; c; c = c->next) {
        if (cache && cache_has(cache, j, c->string)) {
            k = cache->pos[j++].slot;
        } else if (cache && cache_has(cache, j + 1, c->string)) {
            j++; /* the earlier record had a member this one lacks */
            k = cache->pos[j++].slot;
        } else {
            uint32_t klen = (uint32_t)strlen(c->string);

            k = find_sym(lg, c->string, klen);
            if (cache && (j >= 64 || !cache->pos[j].klen1))
                cache_put(lg, cache, j++, c->string, klen, k);
        }
        if (k == UINT32_MAX || slots[k].kind != IK_UNDEF)
            continue;
        switch (c->type & 0xFF) { /* scalars without the general walk */
        case cJSON_Number:
            slots[k] = ik_num(c->valuedouble);
            continue;
        case cJSON_String:
            slots[k] = ik_str(c->valuestring, (uint32_t)strlen(c->valuestring));
            continue;
        case cJSON_True:
        case cJSON_False:
            slots[k] = ik_bool((c->type & 0xFF) == cJSON_True);
            continue;
        default:
            break;
        }
        if (!ik_value_from_cjson_borrow(c, a, &slots[k]))
            return false;
    }
    return true;
}

/* ---- Static inspection ---- */

typedef struct reads {
    uint32_t *slots;
    size_t cap, n;
} reads;

static void add_read(reads *r, uint32_t slot)
{
    size_t i, lim = r->n < r->cap ? r->n : r->cap;

    for (i = 0; i < lim; i++)
        if (r->slots[i] == slot)
            return;
    if (r->n >= r->cap) {
        /* counted past cap: cannot deduplicate what is not stored */
        r->n++;
        return;
    }
    r->slots[r->n++] = slot;
}

static void walk_reads(const ik_logic *lg, uint32_t ni, reads *r)
{
    const ik_node *n = &lg->nodes[ni];
    uint32_t i;

    if (n->op == IK_OP_VAR && !(n->flags & NODE_CTX)) {
        const path *p = &lg->paths[n->arg];

        if (p->nseg)
            add_read(r, p->slot);
    }
    if ((n->op == IK_OP_MISSING || n->op == IK_OP_MISSING_SOME) &&
        !(n->flags & NODE_CTX)) {
        /* missing: every argument names keys; missing_some: the second */
        uint32_t from = n->op == IK_OP_MISSING ? 0 : 1;
        uint32_t to = n->op == IK_OP_MISSING ? n->nkids : n->nkids > 1 ? 2 : 0;

        for (i = from; i < to; i++) {
            const ik_node *k = &lg->nodes[n->kid + i];
            ik_value v = k->op == IK_OP_LIT ? lg->consts[k->arg] : ik_undef();
            const ik_value *items = &v;
            uint32_t m = 1, j;

            if (v.kind == IK_ARR) {
                items = v.u.items;
                m = v.len;
            }
            for (j = 0; j < m; j++) {
                const char *dot;
                uint32_t slot;

                if (items[j].kind != IK_STR)
                    continue;
                dot = memchr(items[j].u.str, '.', items[j].len);
                slot = find_sym(lg, items[j].u.str,
                                dot ? (size_t)(dot - items[j].u.str)
                                    : items[j].len);
                if (slot != UINT32_MAX)
                    add_read(r, slot);
            }
        }
    }
    if (n->op == IK_OP_LIT)
        return;
    for (i = 0; i < n->nkids; i++)
        walk_reads(lg, n->kid + i, r);
}

size_t ik_logic_reads(const ik_logic *lg, ik_expr expr, uint32_t *slots,
                      size_t cap)
{
    reads r = {slots, cap, 0};

    if (expr < lg->nnodes)
        walk_reads(lg, expr, &r);
    return r.n;
}

/* The first node under ni (depth first) that reads a name known only at
 * run time, or the whole data, outside an iteration; UINT32_MAX if none. */
static uint32_t find_dynamic(const ik_logic *lg, uint32_t ni)
{
    const ik_node *n = &lg->nodes[ni];
    uint32_t i, at;

    if (n->op == IK_OP_LIT)
        return UINT32_MAX;
    if (!(n->flags & NODE_CTX)) {
        if (n->op == IK_OP_VARD ||
            (n->op == IK_OP_VAR && lg->paths[n->arg].nseg == 0))
            return ni;
        if (n->op == IK_OP_MISSING || n->op == IK_OP_MISSING_SOME) {
            uint32_t from = n->op == IK_OP_MISSING ? 0 : 1;
            uint32_t to = n->op == IK_OP_MISSING ? n->nkids
                          : n->nkids > 1         ? 2
                                                 : 0;

            for (i = from; i < to; i++)
                if (lg->nodes[n->kid + i].op != IK_OP_LIT)
                    return ni;
        }
    }
    for (i = 0; i < n->nkids; i++)
        if ((at = find_dynamic(lg, n->kid + i)) != UINT32_MAX)
            return at;
    return UINT32_MAX;
}

bool ik_logic_dynamic_read(const ik_logic *lg, ik_expr expr, size_t *src)
{
    uint32_t at = expr < lg->nnodes ? find_dynamic(lg, expr) : UINT32_MAX;

    if (at == UINT32_MAX)
        return false;
    *src = lg->nodes[at].src == UINT32_MAX ? SIZE_MAX : lg->nodes[at].src;
    return true;
}

bool ik_logic_is_const(const ik_logic *lg, ik_expr expr, ik_value *v)
{
    if (expr >= lg->nnodes || lg->nodes[expr].op != IK_OP_LIT)
        return false;
    *v = lg->consts[lg->nodes[expr].arg];
    return true;
}

size_t ik_logic_src(const ik_logic *lg, ik_expr expr)
{
    if (expr >= lg->nnodes || lg->nodes[expr].src == UINT32_MAX)
        return SIZE_MAX;
    return lg->nodes[expr].src;
}

static bool plain_var(const ik_logic *lg, const ik_node *n, uint32_t *slot)
{
    const path *p;

    if (n->op != IK_OP_VAR || (n->flags & NODE_CTX) || n->nkids)
        return false;
    p = &lg->paths[n->arg];
    if (p->nseg != 1)
        return false;
    *slot = p->slot;
    return true;
}

void ik_logic_visit_cmps(const ik_logic *lg, ik_expr expr,
                         void (*fn)(const ik_logic_cmp *cmp, void *ctx),
                         void *ctx)
{
    const ik_node *n;
    ik_logic_cmp c;
    uint32_t i;
    ik_op op;

    if (expr >= lg->nnodes)
        return;
    n = &lg->nodes[expr];
    op = node_op(n);
    c.src = n->src == UINT32_MAX ? SIZE_MAX : n->src;
    c.op = op_table[op].name;
    if (n->nkids == 2 && op >= IK_OP_EQ && op <= IK_OP_GE && op != IK_OP_NOT &&
        op != IK_OP_NOTNOT && op != IK_OP_OR && op != IK_OP_AND) {
        const ik_node *l = &lg->nodes[n->kid], *r = &lg->nodes[n->kid + 1];

        if (plain_var(lg, l, &c.slot) && r->op == IK_OP_LIT) {
            c.cst = lg->consts[r->arg];
            c.var_left = true;
            fn(&c, ctx);
        } else if (plain_var(lg, r, &c.slot) && l->op == IK_OP_LIT) {
            c.cst = lg->consts[l->arg];
            c.var_left = false;
            fn(&c, ctx);
        }
    } else if (op == IK_OP_IN && n->nkids == 2 &&
               plain_var(lg, &lg->nodes[n->kid], &c.slot) &&
               lg->nodes[n->kid + 1].op == IK_OP_LIT &&
               lg->consts[lg->nodes[n->kid + 1].arg].kind == IK_ARR) {
        c.cst = lg->consts[lg->nodes[n->kid + 1].arg];
        c.var_left = true;
        fn(&c, ctx);
    } else if ((op == IK_OP_NOT || op == IK_OP_NOTNOT) && n->nkids >= 1 &&
               plain_var(lg, &lg->nodes[n->kid], &c.slot)) {
        c.cst = ik_undef();
        c.var_left = true;
        fn(&c, ctx);
    }
    if (n->op == IK_OP_LIT)
        return;
    for (i = 0; i < n->nkids; i++)
        ik_logic_visit_cmps(lg, n->kid + i, fn, ctx);
}

void ik_logic_node_get(const ik_logic *lg, ik_expr expr, ik_logic_node *out)
{
    const ik_node *n;

    memset(out, 0, sizeof *out);
    out->slot = UINT32_MAX;
    out->src = SIZE_MAX;
    if (expr >= lg->nnodes) { /* an absent expression reads as null */
        out->kind = IK_LN_CONST;
        out->cst = ik_null();
        return;
    }
    n = &lg->nodes[expr];
    out->src = n->src == UINT32_MAX ? SIZE_MAX : n->src;
    out->nkids = n->op == IK_OP_LIT ? 0 : n->nkids;
    if (n->op == IK_OP_LIT) {
        out->kind = IK_LN_CONST;
        out->cst = lg->consts[n->arg];
    } else if (n->op == IK_OP_ARRAY) {
        out->kind = IK_LN_ARRAY;
    } else if (n->op == IK_OP_VAR || n->op == IK_OP_VARD) {
        out->kind = IK_LN_VAR;
        out->op = "var";
        if (n->op == IK_OP_VAR && !(n->flags & NODE_CTX) &&
            lg->paths[n->arg].nseg == 1)
            out->slot = lg->paths[n->arg].slot;
    } else {
        out->kind = IK_LN_OP;
        out->op = op_table[node_op(n)].name;
    }
}

ik_expr ik_logic_node_kid(const ik_logic *lg, ik_expr expr, uint32_t i)
{
    if (expr >= lg->nnodes || lg->nodes[expr].op == IK_OP_LIT ||
        i >= lg->nodes[expr].nkids)
        return UINT32_MAX;
    return lg->nodes[expr].kid + i;
}

void ik_logic_write_json(const ik_logic *lg, ik_expr expr, ik_buf *b)
{
    const ik_node *n;
    uint32_t i;

    if (expr >= lg->nnodes) {
        ik_buf_puts(b, "null");
        return;
    }
    n = &lg->nodes[expr];
    if (n->op == IK_OP_LIT) {
        ik_value v = lg->consts[n->arg];

        if (v.kind == IK_UNDEF)
            ik_buf_puts(b, "null");
        else
            ik_value_write_json(b, v);
        return;
    }
    if (n->op != IK_OP_ARRAY) {
        ik_buf_putc(b, '{');
        ik_buf_put_json_string(b, op_table[node_op(n)].name,
                               strlen(op_table[node_op(n)].name));
        ik_buf_putc(b, ':');
    }
    ik_buf_putc(b, '[');
    if (n->op == IK_OP_VAR) {
        const path *p = &lg->paths[n->arg];
        ik_buf tmp;

        ik_buf_init(&tmp);
        for (i = 0; i < p->nseg; i++) {
            if (i)
                ik_buf_putc(&tmp, '.');
            ik_buf_put(&tmp, lg->segs[p->seg0 + i].s,
                       lg->segs[p->seg0 + i].len);
        }
        ik_buf_put_json_string(b, tmp.data ? tmp.data : "", tmp.len);
        ik_buf_fini(&tmp);
        if (n->nkids)
            ik_buf_putc(b, ',');
    }
    for (i = 0; i < n->nkids; i++) {
        if (i)
            ik_buf_putc(b, ',');
        ik_logic_write_json(lg, n->kid + i, b);
    }
    ik_buf_putc(b, ']');
    if (n->op != IK_OP_ARRAY)
        ik_buf_putc(b, '}');
}

/* ---- Convenience: text in, text out ---- */

static ik_status parse_named(const char *text, size_t len, const char *file,
                             ik_json_doc *doc, char **copy, ik_error *err)
{
    *copy = ik_malloc(len + 1);
    if (!*copy)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    if (len)
        memcpy(*copy, text, len);
    (*copy)[len] = '\0';
    return ik_json_parse(*copy, len, file, IK_JSON_POSITIONS, doc, err);
}

/* Compile lroot, evaluate it against droot (NULL: null), print the result. */
static ik_status eval_trees(const cJSON *lroot, const ik_json_doc *ldoc,
                            const cJSON *droot, char **result, ik_error *err)
{
    ik_logic *lg = NULL;
    ik_arena scratch;
    ik_env env = {ik_null(), NULL, 0, NULL, 0, NULL};
    ik_value v;
    ik_expr e;
    ik_buf b;
    ik_status st = IK_OK;
    bool long_text;

    ik_arena_init(&scratch);
    env.scratch = &scratch;
    if (droot && !ik_value_from_cjson(droot, &scratch, &env.root))
        st = ik_fail(err, IK_ENOMEM, "out of memory");
    if (st == IK_OK)
        st = ik_logic_new(&lg, err);
    if (st == IK_OK)
        st = ik_logic_compile_json(lg, lroot, ldoc, &e, err);
    if (st == IK_OK)
        st = ik_logic_eval(lg, e, &env, &v, err);
    if (st == IK_OK) {
        ik_buf_init(&b);
        if (v.kind == IK_UNDEF)
            v = ik_null(); /* JSON.stringify(undefined) has no text */
        st = ik_value_write_json(&b, v);
        long_text = b.len > IK_VALUE_MAX_TEXT;
        if (st == IK_OK)
            *result = ik_buf_take(&b, NULL);
        else
            ik_buf_fini(&b);
        if (st == IK_ELIMIT && long_text)
            st = ik_fail(err, st, "result longer than %u MiB as JSON",
                         (unsigned)(IK_VALUE_MAX_TEXT >> 20));
        else if (st == IK_ELIMIT)
            st = ik_fail(err, st, "value nested deeper than %d levels",
                         IK_VALUE_MAX_DEPTH);
        else if (st != IK_OK || !*result)
            st = ik_fail(err, IK_ENOMEM, "out of memory");
    }
    ik_logic_free(lg);
    ik_arena_fini(&scratch);
    return st;
}

ik_status ik_logic_eval_json(const char *logic, size_t logic_len,
                             const char *data, size_t data_len, char **result,
                             ik_error *err)
{
    ik_json_doc ldoc, ddoc;
    char *lcopy = NULL, *dcopy = NULL;
    ik_status st;

    *result = NULL;
    memset(&ldoc, 0, sizeof ldoc);
    memset(&ddoc, 0, sizeof ddoc);
    st = parse_named(logic, logic_len, "logic", &ldoc, &lcopy, err);
    if (st == IK_OK && data)
        st = parse_named(data, data_len, "data", &ddoc, &dcopy, err);
    if (st == IK_OK)
        st = eval_trees(ldoc.root, &ldoc, data ? ddoc.root : NULL, result, err);
    ik_json_doc_fini(&ldoc);
    ik_json_doc_fini(&ddoc);
    ik_free(lcopy);
    ik_free(dcopy);
    return st;
}

ik_status ik_logic_eval_pair(const char *line, size_t len, char **result,
                             ik_error *err)
{
    ik_json_doc doc;
    char *copy = NULL;
    ik_status st;

    *result = NULL;
    memset(&doc, 0, sizeof doc);
    st = parse_named(line, len, "", &doc, &copy, err);
    if (st == IK_OK && (!cJSON_IsArray(doc.root) || !doc.root->child ||
                        (doc.root->child->next && doc.root->child->next->next)))
        st = ik_json_fail(&doc, doc.root, false, err, IK_ESYNTAX,
                          "expected [logic, data]");
    if (st == IK_OK)
        st = eval_trees(doc.root->child, &doc, doc.root->child->next, result,
                        err);
    ik_json_doc_fini(&doc);
    ik_free(copy);
    return st;
}

void ik_logic_free_string(char *s)
{
    ik_free(s);
}
