/*
 * logic_compile.c -- compile JsonLogic (a cJSON tree, with positions from
 * its ik_json_doc) into an ik_logic's node array (var paths split and
 * bound to slots, constant subtrees folded by running their code), then
 * emit each expression's code, which the evaluator runs: comparisons with
 * constants typed by the constant, short-circuits as jumps, iteration
 * bodies as sub-programs. Errors name file:line:col; a failed compile
 * adds nothing.
 */
#include "logic_int.h"

#include <stdarg.h>
#include <stdio.h>

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

    if (!ik_logic_grow((void **)&lg->consts, &lg->cap_consts, lg->nconsts + 1,
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
        !ik_logic_grow((void **)&lg->nodes, &lg->cap_nodes, lg->nnodes + n,
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

    for (k = IK_OP_VARD + 1; k < IK_OP__COUNT; k++)
        if (strcmp(ik_logic_op_table[k].name, name) == 0)
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

            if (!copy || !ik_logic_grow((void **)&lg->segs, &lg->cap_segs,
                                        lg->nsegs + 1, sizeof *lg->segs))
                return ik_fail(c->err, IK_ENOMEM, "out of memory");
            lg->segs[lg->nsegs++] =
                (seg){copy, (uint32_t)len, ik_logic_seg_index(copy, len)};
            p.nseg++;
            if (!dot)
                break;
            i += len + 1;
        }
    }
    if (bind && p.nseg) {
        const seg *first = &lg->segs[p.seg0];

        if (lg->strict || bind == 2) {
            p.slot = ik_logic_find_sym(lg, first->s, first->len);
            if (p.slot == UINT32_MAX && bind == 1) { /* else: by name */
                ik_free(lg->unknown); /* NULL when out of memory: the
                                         message still names it */
                lg->unknown = ik_strdup(first->s);
                return cfail(c, at, false, IK_ELOGIC, "unknown name '%s'",
                             first->s);
            }
        } else {
            ik_status st =
                ik_logic_define_sym(lg, first->s, first->len, &p.slot, c->err);

            if (st != IK_OK)
                return st;
        }
    }
    if (!ik_logic_grow((void **)&lg->paths, &lg->cap_paths, lg->npaths + 1,
                       sizeof *lg->paths))
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    lg->paths[lg->npaths] = p;
    *out = lg->npaths++;
    return IK_OK;
}

static ik_status compile_node(comp *c, const cJSON *j, uint32_t at, int depth,
                              bool in_iter);

/* Replace nodes[at] by its value when it and its children read no data:
 * its code is emitted and run by the one evaluator, then dropped. The
 * values kept take at most IK_LOGIC_MAX_FOLDED together (counting the
 * parts a larger fold replaced: the arena keeps them); past it the node
 * stays, to run when used.
 * Nothing that reads no data nests deeper than 128 + IK_LOGIC_MAX_DEPTH,
 * far within IK_VALUE_MAX_DEPTH (an accumulator is data: not folded). */
static ik_status fold(comp *c, uint32_t at)
{
    ik_logic *lg = c->lg;
    ik_node n = lg->nodes[at];
    ik_arena scratch;
    ik_error e;
    ik_value v;
    uint32_t i, ncode, entry = 0;
    ik_status st;

    if (ik_logic_op_table[n.op].flags & IK_DATA)
        return IK_OK;
    for (i = 0; i < n.nkids; i++)
        if (lg->nodes[n.kid + i].op != IK_OP_LIT)
            return IK_OK;
    ik_arena_init(&scratch);
    ik_error_clear(&e);
    ncode = lg->ncode;
    st = ik_logic_emit(lg, at, &entry, c->err);
    if (st == IK_OK)
        st = ik_logic_eval_const(lg, entry, &v, &scratch, &e);
    lg->ncode = ncode; /* the folded code goes with its nodes */
    if (st == IK_OK) {
        ik_arena_mark m = ik_arena_save(&lg->arena);
        size_t left = IK_LOGIC_MAX_FOLDED - lg->folded;

        st = ik_value_copy_within(v, &lg->arena, &v, &left);
        if (st != IK_OK) /* a partial copy (past its bound) goes */
            ik_arena_rewind(&lg->arena, m);
        else
            lg->folded = IK_LOGIC_MAX_FOLDED - left;
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
 * searched at run time. Outside strict mode a key's first segment becomes
 * a symbol, as a var's does, so it is a slot read even when no var names
 * it before; in strict mode only a defined name is (the others are no
 * answer: read by name, which finds none among the slots). Other forms
 * stay as they are. */
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
        ik_status st = add_path(c, keys[i].u.str, keys[i].len,
                                in_iter ? 0 : 1 + c->lg->strict, NULL, &p);

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
        bool body = (ik_logic_op_table[op].flags & IK_ITER) && i == 1;

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
    return fold(c, at);
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

/* ---- Code ---- */

/*
 * The code of one expression (see ik_opc in logic_int.h), emitted from
 * its node tree after folding: operands that are a slot and a constant
 * become one comparison instruction typed by the constant; and, or, if
 * and ?: become jumps; each iteration's body a sub-program of its own.
 * `charge` counts the nodes of the program (or body) being emitted, which
 * its ENTER charges to the budget each time it runs; `depth` the values
 * on the stack, `max` the most at any point (the evaluation's stack).
 */
typedef struct emitter {
    ik_logic *lg;
    ik_error *err;
    uint32_t depth, max;
    uint32_t charge;
    uint32_t label; /* the last jump target set (a PUSH before it is kept) */
    bool in_reduce; /* emitting a reduce's body (not a body inside it) */
    bool reads_ctx; /* the body being emitted reads its context other
                       than by RVAR */
} emitter;

static ik_status emit(emitter *e, ik_ins in, uint32_t *at)
{
    ik_logic *lg = e->lg;

    /* a load right after a PUSH that no jump lands between does both */
    if ((in.opc == OPC_CONST || in.opc == OPC_SLOT || in.opc == OPC_ELEM) &&
        !at && lg->ncode && e->label != lg->ncode &&
        lg->code[lg->ncode - 1].opc == OPC_PUSH) {
        in.sub = 1;
        lg->code[lg->ncode - 1] = in;
        return IK_OK;
    }
    if (lg->ncode >= UINT32_MAX - 2)
        return ik_fail(e->err, IK_ELIMIT, "logic too large");
    if (!ik_logic_grow((void **)&lg->code, &lg->cap_code, lg->ncode + 1,
                       sizeof *lg->code))
        return ik_fail(e->err, IK_ENOMEM, "out of memory");
    if (at)
        *at = lg->ncode;
    lg->code[lg->ncode++] = in;
    return IK_OK;
}

static ik_status emit_op(emitter *e, uint8_t opc, uint8_t sub, uint32_t a)
{
    ik_ins in = {opc, sub, 0, a, 0, 0};

    return emit(e, in, NULL);
}

/* A jump whose target is not known yet: chained through a to *chain
 * (UINT32_MAX ends it) until patch() sets every one to the next pc. */
static ik_status emit_jump(emitter *e, uint8_t opc, uint32_t *chain)
{
    ik_ins in = {opc, 0, 0, *chain, 0, 0};
    ik_ins *prev = e->lg->ncode ? &e->lg->code[e->lg->ncode - 1] : NULL;

    /* a typed comparison right before a JT or JF does that jump too */
    if ((opc == OPC_JT || opc == OPC_JF) && prev && prev->opc >= OPC_S_EQN &&
        prev->opc <= OPC_K_NES) {
        prev->opc = (uint8_t)OPC_JUMPING(prev->opc);
        prev->n = opc == OPC_JT;
    }
    return emit(e, in, chain);
}

/* The RET of a program: a typed comparison right before it does the
 * return too (its _R form). */
static ik_status emit_ret(emitter *e)
{
    ik_ins *prev = &e->lg->code[e->lg->ncode - 1]; /* at least its ENTER */

    if (prev->opc >= OPC_S_EQN && prev->opc <= OPC_K_NES) {
        prev->opc = (uint8_t)OPC_RETURNING(prev->opc);
    }
    return emit_op(e, OPC_RET, 0, 0);
}

static void patch(emitter *e, uint32_t chain)
{
    while (chain != UINT32_MAX) {
        uint32_t next = e->lg->code[chain].a;

        e->lg->code[chain].a = e->lg->ncode;
        e->label = e->lg->ncode;
        chain = next;
    }
}

static ik_status push(emitter *e)
{
    if (++e->depth > e->max)
        e->max = e->depth;
    return emit_op(e, OPC_PUSH, 0, 0);
}

static ik_status gen(emitter *e, uint32_t ni);

/* The default of a var whose value is absent: kid k of n if any. A
 * constant one is c of the read; any other is code after a JDEF. */
static uint32_t default_of(emitter *e, const ik_node *n, uint32_t k)
{
    const ik_node *d;

    if (n->nkids <= k)
        return DFLT_NULL;
    d = &e->lg->nodes[n->kid + k];
    if (d->op != IK_OP_LIT)
        return DFLT_KEEP;
    e->charge++; /* json-logic-js: a default that is undefined is null */
    return e->lg->consts[d->arg].kind == IK_UNDEF ? DFLT_NULL : d->arg;
}

static ik_status gen_default(emitter *e, const ik_node *n, uint32_t k,
                             uint32_t dflt)
{
    uint32_t chain = UINT32_MAX;
    ik_status st;

    if (dflt != DFLT_KEEP)
        return IK_OK;
    st = emit_jump(e, OPC_JDEF, &chain);
    if (st == IK_OK)
        st = gen(e, n->kid + k);
    /* json-logic-js: a default that is undefined is null */
    if (st == IK_OK)
        st = emit_jump(e, OPC_JDEF, &chain);
    if (st == IK_OK)
        st = emit_op(e, OPC_NULL, 0, 0);
    patch(e, chain);
    return st;
}

/* A plain top-level var (no default, or a constant one): an operand an
 * S_ instruction reads itself. */
static bool slot_operand(const ik_logic *lg, const ik_node *v)
{
    return v->op == IK_OP_VAR && (v->flags & NODE_SLOT) && v->nkids <= 1 &&
           (!v->nkids || lg->nodes[v->kid].op == IK_OP_LIT);
}

/* {"var": ""} in an iteration body, with no default: the element, an
 * operand an S_ instruction reads itself (SLOT_ELEM). */
static bool elem_operand(const ik_logic *lg, const ik_node *v)
{
    return v->op == IK_OP_VAR && (v->flags & NODE_CTX) && v->nkids == 0 &&
           lg->paths[v->arg].nseg == 0;
}

/* Node li (op) constant k: one instruction typed by the constant, which
 * reads li itself when it is a plain slot (S_), else after li's code
 * (K_). */
static ik_status gen_const_cmp(emitter *e, ik_op op, uint32_t li, uint32_t k)
{
    static const uint8_t num[] = {
        [IK_OP_EQ] = OPC_K_EQN, [IK_OP_NE] = OPC_K_NEN, [IK_OP_LT] = OPC_K_LTN,
        [IK_OP_LE] = OPC_K_LEN, [IK_OP_GT] = OPC_K_GTN, [IK_OP_GE] = OPC_K_GEN};
    const ik_logic *lg = e->lg;
    const ik_node *l = &lg->nodes[li];
    ik_ins in = {OPC_K_CMP, (uint8_t)op, 0, 0, k, 0};
    ik_kind kind = (ik_kind)lg->consts[k].kind;
    ik_status st = IK_OK;

    if (op == IK_OP_IN)
        in.opc = OPC_K_IN;
    else if (op == IK_OP_SEQ || op == IK_OP_SNE)
        in.opc = OPC_K_SEQ;
    else if (kind == IK_NUM)
        in.opc = num[op];
    else if (kind == IK_STR && (op == IK_OP_EQ || op == IK_OP_NE))
        in.opc = op == IK_OP_EQ ? OPC_K_EQS : OPC_K_NES;
    e->charge++; /* the constant */
    if (slot_operand(lg, l)) {
        in.opc--; /* the S_ form */
        in.a = lg->paths[l->arg].slot;
        e->charge++;
        in.c = default_of(e, l, 0);
    } else if (elem_operand(lg, l)) {
        in.opc--;
        in.a = SLOT_ELEM;
        e->charge++;
        e->reads_ctx = true; /* a reduce's element is its object */
        in.c = DFLT_KEEP;
    } else {
        st = gen(e, li);
    }
    return st == IK_OK ? emit(e, in, NULL) : st;
}

/* Two computed operands: the left pushed, the right in acc. */
static ik_status gen_two(emitter *e, const ik_node *n, uint8_t opc)
{
    ik_ins in = {opc, (uint8_t)n->op, 2, 0, 0, 0};
    ik_status st = gen(e, n->kid);

    if (st == IK_OK)
        st = push(e);
    if (e->depth + 1 > e->max) /* arithmetic stores acc over the top */
        e->max = e->depth + 1;
    if (st == IK_OK)
        st = gen(e, n->kid + 1);
    e->depth--;
    return st == IK_OK ? emit(e, in, NULL) : st;
}

/* Comparisons, `in` and arithmetic of one or two operands (and a < x < b with
 * constant bounds): true when emitted here (*st says how). */
static bool gen_binary(emitter *e, const ik_node *n, ik_status *st)
{
    static const uint8_t flip[] = {
        [IK_OP_EQ] = IK_OP_EQ, [IK_OP_NE] = IK_OP_NE, [IK_OP_LT] = IK_OP_GT,
        [IK_OP_LE] = IK_OP_GE, [IK_OP_GT] = IK_OP_LT, [IK_OP_GE] = IK_OP_LE};
    static const uint8_t arith[] = {
        [IK_OP_ADD] = OPC_ADD, [IK_OP_SUB] = OPC_SUB, [IK_OP_MUL] = OPC_MUL,
        [IK_OP_DIV] = OPC_DIV, [IK_OP_MOD] = OPC_MOD, [IK_OP_MAX] = OPC_MAX,
        [IK_OP_MIN] = OPC_MIN};
    const ik_logic *lg = e->lg;
    const ik_node *l = &lg->nodes[n->kid], *r = l + 1;
    ik_ins in = {OPC_BETWEEN, (uint8_t)n->op, 0, 0, 0, 0};

    switch ((ik_op)n->op) {
    case IK_OP_LT:
    case IK_OP_LE:
        if (n->nkids == 3 && l->op == IK_OP_LIT && r[1].op == IK_OP_LIT) {
            in.b = l->arg;
            in.c = r[1].arg;
            e->charge += 2;
            *st = gen(e, n->kid + 1);
            if (*st == IK_OK)
                *st = emit(e, in, NULL);
            return true;
        }
        IK_FALLTHROUGH;
    case IK_OP_EQ:
    case IK_OP_NE:
    case IK_OP_GT:
    case IK_OP_GE:
        if (n->nkids != 2)
            return false;
        if (r->op == IK_OP_LIT)
            *st = gen_const_cmp(e, (ik_op)n->op, n->kid, r->arg);
        else if (l->op == IK_OP_LIT) /* c < x is x > c: the same less() */
            *st = gen_const_cmp(e, (ik_op)flip[n->op], n->kid + 1, l->arg);
        else
            *st = gen_two(e, n, OPC_CMP2);
        return true;
    case IK_OP_SEQ: /* strict equality is symmetric */
    case IK_OP_SNE:
        if (n->nkids != 2 || (r->op != IK_OP_LIT && l->op != IK_OP_LIT))
            return false;
        if (r->op == IK_OP_LIT)
            *st = gen_const_cmp(e, (ik_op)n->op, n->kid, r->arg);
        else
            *st = gen_const_cmp(e, (ik_op)n->op, n->kid + 1, l->arg);
        return true;
    case IK_OP_IN:
        if (n->nkids != 2)
            return false;
        if (r->op == IK_OP_LIT) {
            *st = gen_const_cmp(e, IK_OP_IN, n->kid, r->arg);
        } else if (l->op == IK_OP_LIT) {
            in.opc = OPC_INR;
            in.b = l->arg;
            e->charge++;
            *st = gen(e, n->kid + 1);
            if (*st == IK_OK)
                *st = emit(e, in, NULL);
        } else {
            *st = gen_two(e, n, OPC_IN2);
        }
        return true;
    case IK_OP_ADD:
    case IK_OP_SUB:
    case IK_OP_MUL:
    case IK_OP_DIV:
    case IK_OP_MOD:
    case IK_OP_MAX:
    case IK_OP_MIN:
        if (n->nkids == 2 && n->op == IK_OP_ADD && r->op == IK_OP_LIT) {
            in = (ik_ins){OPC_ADDK, IK_OP_ADD, 2, 0, r->arg, 0};
            e->charge++; /* the constant */
            *st = gen(e, n->kid);
            if (e->depth + 2 > e->max) /* acc and the constant on top */
                e->max = e->depth + 2;
            if (*st == IK_OK)
                *st = emit(e, in, NULL);
            return true;
        }
        if (n->nkids == 2) {
            *st = gen_two(e, n, arith[n->op]);
            return true;
        }
        if (n->nkids != 1)
            return false;
        in = (ik_ins){arith[n->op], (uint8_t)n->op, 1, 0, 0, 0};
        *st = gen(e, n->kid);
        if (e->depth + 1 > e->max) /* arithmetic stores acc over the top */
            e->max = e->depth + 1;
        if (*st == IK_OK)
            *st = emit(e, in, NULL);
        return true;
    default:
        return false;
    }
}

/* missing / missing_some of the top-level data whose keys are compiled
 * (NODE_KEYS, so their arguments are constants): *in becomes MISSINGK,
 * which reads those constants in place: missing's n from b (consecutive,
 * or one list), missing_some's count b and list c (UINT32_MAX: none);
 * each charged as gen charges a constant. */
static bool const_args(emitter *e, const ik_node *n, ik_ins *in)
{
    const ik_logic *lg = e->lg;
    const ik_node *k = &lg->nodes[n->kid];

    /* the element's keys, or a computed count: the generic operator */
    if (in->b || k[0].op != IK_OP_LIT)
        return false;
    in->opc = OPC_MISSINGK;
    in->b = k[0].arg;
    in->c = UINT32_MAX;
    if (n->op == IK_OP_MISSING_SOME) {
        in->n = n->nkids > 2 ? 2 : n->nkids;
        if (n->nkids > 1)
            in->c = k[1].arg;
    } else {
        in->n = lg->consts[k[0].arg].kind == IK_ARR ? 1 : n->nkids;
    }
    e->charge += n->nkids; /* all of them, as the generic operator's */
    return true;
}

/* An array whose items are all plain top-level slots (slot_operand). */
static bool plain_slots(const ik_logic *lg, const ik_node *n)
{
    uint32_t i;

    for (i = 0; i < n->nkids; i++)
        if (!slot_operand(lg, &lg->nodes[n->kid + i]))
            return false;
    return true;
}

/* Such an array: one SLOTS instruction, its items the SLOT instructions
 * after it (each var and its constant default charged as gen would). */
static ik_status gen_slots(emitter *e, const ik_node *n)
{
    ik_ins in = {OPC_SLOTS, 0, n->nkids, 0, 0, 0};
    ik_status st = emit(e, in, NULL);
    uint32_t i;

    for (i = 0; st == IK_OK && i < n->nkids; i++) {
        const ik_node *v = &e->lg->nodes[n->kid + i];
        ik_ins item = {OPC_SLOT, 0, 0, e->lg->paths[v->arg].slot, 0, 0};

        e->charge++;
        item.c = default_of(e, v, 0);
        st = emit(e, item, NULL); /* after SLOTS or SLOT: no PUSH merged */
    }
    return st;
}

/* In a reduce's body, a path that starts at current or accumulator: 0 or
 * 1 (RVAR's sub), else -1. */
static int reduce_cell(const emitter *e, const path *p)
{
    const seg *g;

    if (!e->in_reduce || p->nseg == 0)
        return -1;
    g = &e->lg->segs[p->seg0];
    if (g->len == 7 && memcmp(g->s, "current", 7) == 0)
        return 0;
    if (g->len == 11 && memcmp(g->s, "accumulator", 11) == 0)
        return 1;
    return -1;
}

static ik_status gen_var(emitter *e, const ik_node *n)
{
    ik_ins in = {OPC_VAR, (uint8_t)((n->flags & NODE_CTX) != 0), 0, n->arg, 0,
                 0};
    const path *p = &e->lg->paths[n->arg];
    int cell = (n->flags & NODE_CTX) ? reduce_cell(e, p) : -1;
    ik_status st;

    if (cell >= 0) {
        in.opc = OPC_RVAR;
        in.sub = (uint8_t)cell;
    } else if (n->flags & NODE_CTX) {
        e->reads_ctx = true;
    }
    if (n->flags & NODE_SLOT) {
        in.opc = OPC_SLOT;
        in.a = e->lg->paths[n->arg].slot;
    }
    in.c = DFLT_KEEP;
    if (e->lg->paths[n->arg].nseg == 0) { /* the element or the whole data:
                                             no default */
        if (n->flags & NODE_CTX) {
            in.opc = OPC_ELEM;
            in.sub = 0;
        }
        return emit(e, in, NULL);
    }
    in.c = default_of(e, n, 0);
    st = emit(e, in, NULL);
    return st == IK_OK ? gen_default(e, n, 0, in.c) : st;
}

static ik_status gen_vard(emitter *e, const ik_node *n)
{
    ik_ins in = {OPC_VARD, (uint8_t)((n->flags & NODE_CTX) != 0), 0, 0, 0, 0};
    ik_status st = gen(e, n->kid);

    if (n->flags & NODE_CTX)
        e->reads_ctx = true;
    in.c = default_of(e, n, 1);
    if (st == IK_OK)
        st = emit(e, in, NULL);
    return st == IK_OK ? gen_default(e, n, 1, in.c) : st;
}

/* if / ?: (cond, then pairs, an else) and and / or (each operand but the
 * last tested; the operand that decides is the value). */
static ik_status gen_branch(emitter *e, const ik_node *n)
{
    uint32_t i, k = n->nkids, end = UINT32_MAX, next;
    ik_status st = IK_OK;

    if (n->op == IK_OP_AND || n->op == IK_OP_OR) {
        if (k == 0)
            return emit_op(e, OPC_UNDEF, 0, 0);
        for (i = 0; st == IK_OK && i + 1 < k; i++) {
            st = gen(e, n->kid + i);
            if (st == IK_OK)
                st = emit_jump(e, n->op == IK_OP_OR ? OPC_JT : OPC_JF, &end);
        }
        if (st == IK_OK)
            st = gen(e, n->kid + k - 1);
        patch(e, end);
        return st;
    }
    for (i = 0; st == IK_OK && i + 1 < k; i += 2) {
        next = UINT32_MAX;
        st = gen(e, n->kid + i);
        if (st == IK_OK)
            st = emit_jump(e, OPC_JF, &next);
        if (st == IK_OK)
            st = gen(e, n->kid + i + 1);
        if (st == IK_OK)
            st = emit_jump(e, OPC_JMP, &end);
        patch(e, next);
    }
    if (st == IK_OK)
        st = i + 1 == k ? gen(e, n->kid + i) : emit_op(e, OPC_NULL, 0, 0);
    patch(e, end);
    return st;
}

/* map, filter, reduce, all, some, none: the array (and reduce's initial
 * value) here, the body a sub-program after the ITER, charged once an
 * element, ending in the NEXT_ instruction of its iterator, which names
 * the ITER; the iteration's cells (ITER_CELLS in logic_eval.c: 4) under
 * the body's stack. Arguments past those are never evaluated. */
static ik_status gen_iter(emitter *e, const ik_node *n)
{
    ik_ins in = {OPC_ITER, (uint8_t)n->op, n->nkids, UINT32_MAX, 0, 0};
    static const uint8_t next[] = {
        [IK_OP_MAP] = OPC_NEXT_MAP,       [IK_OP_FILTER] = OPC_NEXT_FILTER,
        [IK_OP_REDUCE] = OPC_NEXT_REDUCE, [IK_OP_ALL] = OPC_NEXT_ALL,
        [IK_OP_SOME] = OPC_NEXT_SOME,     [IK_OP_NONE] = OPC_NEXT_NONE};
    ik_ins ret = {next[n->op], 0, 0, 0, 0, 0};
    uint32_t at = 0, charge, enter = 0;
    bool in_reduce = e->in_reduce, reads_ctx;
    ik_status st;

    /* the array and a reduce's initial value run in the outer context:
     * what they read of it counts for the outer body (reads_ctx is taken
     * after them) */
    st = n->nkids ? gen(e, n->kid) : emit_op(e, OPC_UNDEF, 0, 0);
    if (st == IK_OK && n->op == IK_OP_REDUCE) {
        st = push(e);
        if (st == IK_OK)
            st = n->nkids > 2 ? gen(e, n->kid + 2) : emit_op(e, OPC_NULL, 0, 0);
        e->depth--;
    }
    if (st == IK_OK)
        st = emit(e, in, &at);
    if (e->depth + 4 > e->max)
        e->max = e->depth + 4;
    if (st != IK_OK || n->nkids < 2) {
        if (st == IK_OK)
            e->lg->code[at].b = e->lg->ncode;
        return st;
    }
    charge = e->charge;
    e->charge = 0;
    e->depth += 4;
    e->in_reduce = n->op == IK_OP_REDUCE;
    reads_ctx = e->reads_ctx;
    e->reads_ctx = false;
    st = emit_op(e, OPC_ENTER, 0, 0);
    enter = e->lg->ncode - 1;
    if (st == IK_OK)
        st = gen(e, n->kid + 1);
    ret.a = at;
    if (st == IK_OK)
        st = emit(e, ret, NULL);
    e->depth -= 4;
    e->lg->code[at].c = e->reads_ctx;
    e->in_reduce = in_reduce;
    e->reads_ctx = reads_ctx;
    if (st != IK_OK)
        return st;
    e->lg->code[enter].a = e->charge;
    e->charge = charge;
    e->lg->code[at].a = enter;
    e->lg->code[at].b = e->lg->ncode;
    return IK_OK;
}

static ik_status gen(emitter *e, uint32_t ni)
{
    const ik_node *n = &e->lg->nodes[ni];
    ik_ins in = {OPC_OP, (uint8_t)n->op, n->nkids, 0, 0, 0};
    uint32_t i;
    ik_status st = IK_OK;

    e->charge++;
    switch ((ik_op)n->op) {
    case IK_OP_LIT:
        return emit_op(e, OPC_CONST, 0, n->arg);
    case IK_OP_VAR:
        return gen_var(e, n);
    case IK_OP_VARD:
        return gen_vard(e, n);
    case IK_OP_IF:
    case IK_OP_TERNARY:
    case IK_OP_AND:
    case IK_OP_OR:
        return gen_branch(e, n);
    case IK_OP_MAP:
    case IK_OP_FILTER:
    case IK_OP_REDUCE:
    case IK_OP_ALL:
    case IK_OP_NONE:
    case IK_OP_SOME:
        return gen_iter(e, n);
    case IK_OP_NOT:
    case IK_OP_NOTNOT:
        if (n->nkids != 1)
            break;
        st = gen(e, n->kid);
        return st == IK_OK ? emit_op(e, OPC_NOT, n->op == IK_OP_NOTNOT, 0) : st;
    case IK_OP_ARRAY:
        if (n->nkids > 1 && plain_slots(e->lg, n))
            return gen_slots(e, n);
        break;
    case IK_OP_MISSING:
    case IK_OP_MISSING_SOME:
        in.a = (n->flags & NODE_KEYS) ? n->arg : 0;
        in.b = (n->flags & NODE_CTX) != 0;
        e->reads_ctx = e->reads_ctx || in.b;
        if (in.a && const_args(e, n, &in))
            return emit(e, in, NULL);
        break;
    default:
        if (gen_binary(e, n, &st))
            return st;
        break;
    }
    /* the arguments but the last pushed, the last in acc (stored over
     * the stack's top when the operator runs) */
    for (i = 0; st == IK_OK && i < n->nkids; i++) {
        st = gen(e, n->kid + i);
        if (st == IK_OK && i + 1 < n->nkids)
            st = push(e);
    }
    if (n->nkids && e->depth + 1 > e->max)
        e->max = e->depth + 1;
    e->depth -= n->nkids ? n->nkids - 1 : 0;
    return st == IK_OK ? emit(e, in, NULL) : st;
}

ik_status ik_logic_emit(ik_logic *lg, uint32_t ni, uint32_t *entry,
                        ik_error *err)
{
    emitter e = {lg, err, 0, 0, 0, UINT32_MAX, false, false};
    uint32_t at = lg->ncode;
    ik_status st = emit_op(&e, OPC_ENTER, 0, 0);

    if (st == IK_OK)
        st = gen(&e, ni);
    if (st == IK_OK)
        st = emit_ret(&e);
    if (st != IK_OK) {
        lg->ncode = at;
        return st;
    }
    lg->code[at].a = e.charge;
    lg->code[at].b = e.max;
    *entry = at;
    return IK_OK;
}

ik_status ik_logic_compile_json(ik_logic *lg, const cJSON *node,
                                const ik_json_doc *doc, ik_expr *out,
                                ik_error *err)
{
    comp c = {lg, doc, err};
    uint32_t nn = lg->nnodes, nc = lg->nconsts, np = lg->npaths;
    uint32_t ns = lg->nsegs, ny = lg->nsyms, at;
    size_t folded = lg->folded; /* what the folds of this one took goes */
    ik_arena_mark mark = ik_arena_save(&lg->arena);
    ik_status st;

    uint32_t nk = lg->ncode, pc = 0;

    ik_free(lg->unknown);
    lg->unknown = NULL;
    st = reserve(&c, 1, &at);
    if (st == IK_OK)
        st = compile_node(&c, node, at, 0, false);
    if (st == IK_OK)
        st = ik_logic_emit(lg, at, &pc, err);
    if (st == IK_OK && !ik_logic_grow((void **)&lg->entry, &lg->cap_entry,
                                      lg->nnodes, sizeof *lg->entry))
        st = ik_fail(err, IK_ENOMEM, "out of memory");
    if (st == IK_OK) {
        while (lg->nentry < lg->nnodes)
            lg->entry[lg->nentry++] = UINT32_MAX;
        lg->entry[at] = pc;
        *out = at;
        return IK_OK;
    }
    lg->ncode = nk;
    lg->nnodes = nn;
    lg->nconsts = nc;
    lg->npaths = np;
    lg->nsegs = ns;
    lg->folded = folded;
    if (lg->nsyms != ny) {
        lg->nsyms = ny;
        ik_logic_rehash(lg,
                        lg->hash_cap); /* same size: cannot need more memory */
    }
    ik_arena_rewind(&lg->arena, mark);
    return st;
}

const char *ik_logic_unknown_name(const ik_logic *lg)
{
    return lg->unknown;
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
