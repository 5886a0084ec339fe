/*
 * logic_compile.c -- compile JsonLogic (a cJSON tree, with positions from
 * its ik_json_doc) into an ik_logic's node array: var paths split and
 * bound to slots, constant subtrees folded, comparisons of simple operands
 * specialised. Errors name file:line:col; a failed compile adds nothing.
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

    for (k = IK_OP_CMP + 1; k < IK_OP__COUNT; k++)
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

    if (ik_logic_op_table[n.op].flags & IK_DATA)
        return IK_OK;
    for (i = 0; i < n.nkids; i++)
        if (lg->nodes[n.kid + i].op != IK_OP_LIT)
            return IK_OK;
    ik_arena_init(&scratch);
    ik_error_clear(&e);
    st = ik_logic_eval_const(lg, at, &v, &scratch, &e);
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

    ik_free(lg->unknown);
    lg->unknown = NULL;
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
