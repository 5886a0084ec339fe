/*
 * logic_inspect.c -- what a compiled expression is, without evaluating
 * it: its cost estimate, the slots it reads, dynamic reads, comparisons
 * with constants, its nodes for translators, and its JSON text. For lint,
 * `because`, graphs and exports. No I/O.
 */
#include "logic_int.h"

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
            len =
                add_sat(len, length_bound(lg, &lg->nodes[n->kid + i], unknown));
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
        if (i == 1 && (ik_logic_op_table[n->op].flags & IK_ITER)) {
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
                slot = ik_logic_find_sym(lg, items[j].u.str,
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
    op = (ik_op)n->op;
    c.src = n->src == UINT32_MAX ? SIZE_MAX : n->src;
    c.op = ik_logic_op_table[op].name;
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
    } else if (op == IK_OP_IN && n->nkids == 2 &&
               lg->nodes[n->kid].op == IK_OP_LIT &&
               plain_var(lg, &lg->nodes[n->kid + 1], &c.slot)) {
        /* a constant in an answer: a multi answer's option, or a part of
         * a text */
        c.cst = lg->consts[lg->nodes[n->kid].arg];
        c.var_left = false;
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
        out->op = ik_logic_op_table[(ik_op)n->op].name;
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
        ik_buf_put_json_string(b, ik_logic_op_table[(ik_op)n->op].name,
                               strlen(ik_logic_op_table[(ik_op)n->op].name));
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
