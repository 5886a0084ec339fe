/*
 * logic_eval.c -- evaluate compiled JsonLogic with json-logic-js 2.0.5
 * semantics: the one evaluator, which runs the code logic_compile.c emits
 * (see ik_opc in logic_int.h and docs/ARCHITECTURE.md). Reads data, never
 * writes it; no I/O; allocates only from the caller's scratch arena (at
 * most IK_LOGIC_MAX_SCRATCH), takes at most the budget's node visits and
 * does not recurse (one loop; iterations keep their state on its stack).
 */
#define _GNU_SOURCE /* memmem: a linear-time substring search for `in` */
#include "logic_int.h"

#include <assert.h>
#include <math.h>

/* ---- Evaluation ---- */

typedef struct est {
    const ik_logic *lg;
    const ik_env *env;
    ik_arena *scratch;
    uint64_t left; /* node visits still allowed */
    ik_error *err;
    const ik_value *slots; /* NULL unless top-level names read slots */
    uint32_t nslots;       /* 0 when slots is NULL */
    size_t cap; /* scratch->used may not pass this (IK_LOGIC_MAX_SCRATCH);
                 * 0 until first needed (cap_of) */
    bool over;  /* an allocation was refused for the cap, not the heap */
    struct depths *depths; /* nesting of arrays and objects seen, or NULL */
    ik_status late;        /* a conversion failed where no status could be
                            * returned (an operand's text): its operator returns it */
} est;

static inline bool less(est *s, ik_value a, ik_value b, bool or_equal);
static inline double to_number(est *s, ik_value v);

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

/* The scratch level this evaluation may not pass, set the first time it
 * is needed: nothing allocates in scratch before, so it is the level at
 * the start plus IK_LOGIC_MAX_SCRATCH. */
static inline size_t cap_of(est *s)
{
    if (!s->cap)
        s->cap = scratch_cap(s->scratch);
    return s->cap;
}

/* ik_arena_alloc with its common case inline: same alignment, same
 * accounting; anything unusual goes to the arena itself. */
static inline void *salloc(est *s, size_t n)
{
    ik_arena *a = s->scratch;
    size_t pad, cap = cap_of(s);
    char *p;

    if (!a)
        return NULL;
    if (a->used >= cap || n > cap - a->used) {
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

/* String(v) of anything but a string (to_text), in scratch, within this
 * evaluation's memory bound (the text of a shared array can be far larger
 * than the array) and its budget: each byte of an array's text costs one
 * node visit, so making text is as bounded in time as evaluating is. */
static IK_NOINLINE ik_status text_of(est *s, ik_value v, ik_value *out)
{
    size_t cap = cap_of(s), used = s->scratch ? s->scratch->used : 0;
    size_t mem = used < cap ? cap - used : 0, max = mem;

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

/* String(v) as text_of makes it; a string (the common case) is itself,
 * answered in place. */
static inline ik_status to_text(est *s, ik_value v, ik_value *out)
{
    if (v.kind == IK_STR) {
        *out = v;
        return IK_OK;
    }
    return text_of(s, v, out);
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
            slot = ik_logic_find_sym(s->lg, key, klen);
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
        uint32_t idx = ik_logic_seg_index(p + i, len);

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

/* A top-level var of one segment read by name, when the evaluation has
 * no slots (the data is not an object, or was given whole). */
static IK_NOINLINE ik_value slot_by_name(est *s, uint32_t slot)
{
    const seg *y = &s->lg->syms[slot];

    return top_get(s, slot, y->s, y->len, ik_logic_seg_index(y->s, y->len));
}

/* The value of slot `slot` (undefined when absent): one test when it is
 * in the slots given (nslots is 0 without slots). */
static inline ik_value slot_value(est *s, uint32_t slot)
{
    if (slot < s->nslots)
        return s->slots[slot];
    return s->slots ? ik_undef() : slot_by_name(s, slot);
}

/* The operand a of an S_ comparison that is not in the slots given: the
 * iteration element (SLOT_ELEM), or as slot_value reads it. */
static inline ik_value slot_or_elem(est *s, uint32_t a, const ik_value *ctx)
{
    return a == SLOT_ELEM ? *ctx : slot_value(s, a);
}

/* cur, the value at the first segment of path p, at the rest of it. */
static inline ik_value path_rest(est *s, const path *p, ik_value cur)
{
    const seg *g = &s->lg->segs[p->seg0];
    uint32_t i;

    for (i = 1; i < p->nseg && cur.kind != IK_UNDEF; i++) {
        if (cur.kind == IK_NULL)
            return ik_undef();
        cur = step(cur, g[i].s, g[i].len, g[i].idx);
    }
    return cur;
}

/* The value at a compiled path with one or more segments (UNDEF: none). */
static IK_ALWAYS_INLINE ik_value resolve_path(est *s, const path *p,
                                              const ik_value *ctx)
{
    const seg *g;
    ik_value cur;

    if (!ctx && p->slot != UINT32_MAX) {
        cur = slot_value(s, p->slot);
        return p->nseg > 1 ? path_rest(s, p, cur) : cur;
    }
    g = &s->lg->segs[p->seg0];
    if (ctx)
        cur = (ctx->kind == IK_UNDEF || ctx->kind == IK_NULL)
                  ? ik_undef()
                  : step(*ctx, g->s, g->len, g->idx);
    else
        cur = top_get(s, p->slot, g->s, g->len, g->idx);
    return path_rest(s, p, cur);
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

    /* json-logic-js applies missing to the options as its arguments: a
     * list whose first option is itself a list names those keys */
    if (opts.kind == IK_ARR)
        missing_keys(opts.u.items, opts.len, &keys, &nkeys);
    else
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

/* JsonLogic truthiness with the boolean case inline. */
static inline bool truthy(ik_value v)
{
    return v.kind == IK_BOOL ? v.u.b : ik_value_truthy(v);
}

/* ---- Iterators ---- */

/*
 * An iteration keeps four stack cells f[0..3] while it runs (its body's
 * stack above them): f[0] the array; f[1] reduce's accumulator, or map's
 * and filter's results so far (an array whose len counts them); f[2]
 * reduce's element (an object of current and accumulator, made only for
 * a body that reads it so; ctx points here in a reduce's body, and RVAR
 * reads the cells around it); f[3].len the elements started, f[3].u.items
 * the context outside the iteration.
 */
enum { ITER_CELLS = 4, ITER_RUN = 0, ITER_DONE, ITER_FAIL };

/*
 * One step of the iterator `it` (an ITER instruction), whose operator is
 * op (a constant where the step is inlined after a body, so that each
 * NEXT_ instruction is this step for its iterator alone): first, its
 * start; after that, with r the body's value for the element last
 * started. ITER_RUN: run the body with *ctx the next element; ITER_DONE:
 * *acc is the iterator's value and *ctx the context outside again;
 * ITER_FAIL: *st says why.
 */
static IK_ALWAYS_INLINE int iter_step(est *s, const ik_ins *it, ik_op op,
                                      ik_value *f, ik_value r, bool first,
                                      ik_value *acc, const ik_value **ctx,
                                      ik_status *st)
{
    ik_value arr = f[0];
    ik_value *res = (ik_value *)(uintptr_t)f[1].u.items; /* ours: scratch */
    uint32_t i = f[3].len;
    bool body = it->a != UINT32_MAX, t;

    *st = IK_OK;
    if (op == IK_OP_REDUCE) {
        ik_member *m;

        if (first) /* the element's object, until one is made */
            f[2] = ik_undef();
        if (first && (arr.kind != IK_ARR || !body)) {
            /* json-logic-js applies the missing logic (undefined) to
             * each element: the initial value only of an empty array */
            *acc = arr.kind == IK_ARR && arr.len ? ik_undef() : f[1];
            goto done;
        }
        if (!first) {
            f[1] = r;
            /* the element is not checked: it escapes only as acc */
            if ((r.kind == IK_ARR || r.kind == IK_OBJ) &&
                (*st = check_depth(s, r, 0)) != IK_OK)
                return ITER_FAIL;
        }
        if (i >= arr.len) {
            *acc = f[1];
            goto done;
        }
        if (it->c) { /* the body reads the object, not only RVAR */
            if (!(m = salloc(s, 2 * sizeof *m))) {
                *st = nomem(s);
                return ITER_FAIL;
            }
            m[0] = (ik_member){"current", 7, arr.u.items[i]};
            m[1] = (ik_member){"accumulator", 11, f[1]};
            f[2] = (ik_value){IK_OBJ, 2, {.members = m}};
        }
        f[3].len = i + 1;
        *ctx = &f[2];
        return ITER_RUN;
    }
    if (first) {
        if (arr.kind != IK_ARR) {
            *acc = (op == IK_OP_MAP || op == IK_OP_FILTER)
                       ? make_array(salloc(s, 1), 0)
                       : ik_bool(op == IK_OP_NONE);
            goto done;
        }
        if (op == IK_OP_MAP || op == IK_OP_FILTER) {
            if (!(res = salloc(s, arr.len * sizeof *res))) {
                *st = nomem(s);
                return ITER_FAIL;
            }
            f[1] = make_array(res, 0);
        }
        if (op == IK_OP_ALL && arr.len == 0) {
            *acc = ik_bool(false);
            goto done;
        }
        if (!body && op != IK_OP_MAP) { /* each element's value: undefined */
            *acc = op == IK_OP_FILTER ? f[1] : ik_bool(op == IK_OP_NONE);
            goto done;
        }
    }
    for (;;) {
        if (!first) { /* r: the value for element i - 1 */
            if (op == IK_OP_MAP) {
                res[f[1].len++] = r;
            } else {
                t = truthy(r);
                if (op == IK_OP_FILTER) {
                    if (t)
                        res[f[1].len++] = arr.u.items[i - 1];
                } else if (op == IK_OP_ALL ? !t : t) {
                    *acc = ik_bool(op == IK_OP_SOME);
                    goto done;
                }
            }
        }
        first = false;
        if (i >= arr.len)
            break;
        f[3].len = ++i;
        if (body) {
            *ctx = &arr.u.items[i - 1];
            return ITER_RUN;
        }
        r = ik_undef();
    }
    if (op == IK_OP_MAP || op == IK_OP_FILTER) {
        *acc = f[1];
        if (op == IK_OP_MAP && (*st = check_items(s, res, f[1].len)) != IK_OK)
            return ITER_FAIL;
    } else {
        *acc = ik_bool(op != IK_OP_SOME);
    }
done:
    *ctx = f[3].u.items;
    return ITER_DONE;
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
static double to_integer(est *s, ik_value v)
{
    double d = to_number(s, v);

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
    if (less(s, len, ik_num(0), false)) {
        ik_value tail = js_substr(src, to_integer(s, start), INFINITY);

        *out = js_substr(tail, 0,
                         utf16_len(tail.u.str, tail.len) + to_integer(s, len));
        return IK_OK;
    }
    *out = js_substr(src, to_integer(s, start),
                     len.kind == IK_UNDEF ? INFINITY : to_integer(s, len));
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

static ik_status over_budget(est *s)
{
    s->left = 0;
    return ik_fail(s->err, IK_ELOGIC, "evaluation exceeded its budget");
}

/* Work in proportion to a value's size (scanning an array or a text of
 * data) costs a unit an item or a byte, charged before it is done, as
 * making text of an array does: so the budget bounds it even where one
 * node repeats it (in, inside a reduce over a growing accumulator). */
static inline ik_status charge(est *s, uint64_t n)
{
    if (s->left < n)
        return over_budget(s);
    s->left -= n;
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
    /* json-logic-js: false when !hay or hay has no indexOf; an empty
     * array (falsy) holds nothing either */
    if (hay.kind == IK_ARR && hay.len > 64 &&
        (st = charge(s, hay.len)) != IK_OK)
        return st;
    if (hay.kind == IK_ARR && needle.kind == IK_STR) {
        for (i = 0; i < hay.len; i++) {
            const ik_value *it = &hay.u.items[i];

            if (it->kind == IK_STR && it->len == needle.len &&
                ik_same_bytes(it->u.str, needle.u.str, needle.len)) {
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
    if (hay.kind != IK_STR || hay.len == 0)
        return IK_OK;
    if ((st = to_text(s, needle, &needle)) != IK_OK)
        return st;
    if (hay.len > 64) {
        if ((st = charge(s, hay.len)) != IK_OK)
            return st;
        *r = needle.len == 0 ||
             memmem(hay.u.str, hay.len, needle.u.str, needle.len) != NULL;
        return IK_OK;
    }
    /* a short hay (most answers): at most 64 x 64 steps, no call */
    for (i = 0; !*r && i + needle.len <= hay.len; i++)
        *r = ik_same_bytes(hay.u.str + i, needle.u.str, needle.len);
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

/* op over its n arguments args: the one definition of JsonLogic's
 * arithmetic, inlined where op is a constant (an arithmetic instruction)
 * and called as eval_arith by the generic operator. */
static IK_ALWAYS_INLINE ik_status arith(est *s, ik_op op, const ik_value *args,
                                        uint32_t n, ik_value *out)
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
        /* json-logic-js reduces with parseFloat(a) * parseFloat(b): the
         * first a is the operand ("-0" keeps its sign), later ones the
         * product so far, whose -0 parseFloat(String()) makes 0 */
        r = parse_float(s, args[0]);
        for (i = 1; i < n; i++)
            r = (i > 1 && r == 0 ? 0 : r) * parse_float(s, args[i]);
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

static IK_NOINLINE ik_status eval_arith(est *s, ik_op op, const ik_value *args,
                                        uint32_t n, ik_value *out)
{
    return arith(s, op, args, n, out);
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
        return a.len == b.len && ik_same_bytes(a.u.str, b.u.str, a.len);
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

/* ---- Operators over evaluated arguments ---- */

/* == != < <= > >= of two values: the one definition of each, for the
 * generic operator and the typed comparisons' other kinds. A failure to
 * make an array's text is left in s->late. */
static bool compare(est *s, ik_op op, ik_value a, ik_value b)
{
    switch (op) {
    case IK_OP_EQ:
        return loose_eq(s, a, b);
    case IK_OP_NE:
        return !loose_eq(s, a, b);
    case IK_OP_LT:
    case IK_OP_LE:
        return less(s, a, b, op == IK_OP_LE);
    case IK_OP_GT:
    case IK_OP_GE:
        return less(s, b, a, op == IK_OP_GE);
    default:
        assert(!"not a comparison");
        return false;
    }
}

/* Operator in->sub over its in->n evaluated arguments args (the stack's
 * top, which it may change). Operators that look at no more than three
 * take them padded with undefined. */
static IK_NOINLINE ik_status apply(est *s, const ik_ins *in, ik_value *args,
                                   const ik_value *ctx, ik_value *out)
{
    ik_value pad[3], *a = args;
    uint32_t k = in->n, i;
    ik_op op = (ik_op)in->sub;
    const path *keys = in->a ? &s->lg->paths[in->a - 1] : NULL;
    const ik_value *mctx = in->b ? ctx : NULL;
    ik_status st;
    bool r;

    if (k < 3) { /* the stack holds k: the others are undefined */
        for (i = 0; i < 3; i++)
            pad[i] = i < k ? args[i] : ik_undef();
        a = pad;
    }
    switch (op) {
    case IK_OP_EQ:
    case IK_OP_NE:
    case IK_OP_GT:
    case IK_OP_GE:
        *out = ik_bool(compare(s, op, a[0], a[1]));
        return s->late;
    case IK_OP_LT:
    case IK_OP_LE:
        r = compare(s, op, a[0], a[1]);
        if (k > 2 && a[2].kind != IK_UNDEF)
            r = r && less(s, a[1], a[2], op == IK_OP_LE);
        *out = ik_bool(r);
        return s->late;
    case IK_OP_SEQ:
    case IK_OP_SNE:
        *out = ik_bool(ik_value_strict_eq(a[0], a[1]) == (op == IK_OP_SEQ));
        return IK_OK;
    case IK_OP_NOT:
    case IK_OP_NOTNOT:
        *out = ik_bool(ik_value_truthy(a[0]) == (op == IK_OP_NOTNOT));
        return IK_OK;
    case IK_OP_SUB:
    case IK_OP_DIV:
    case IK_OP_MOD:
        return eval_arith(s, op, a, k < 3 ? k : 2, out);
    case IK_OP_MISSING_SOME:
        return eval_missing_some(s, a, k < 3 ? k : 2, keys, mctx, out);
    case IK_OP_IN:
        st = eval_in(s, a[0], a[1], &r);
        *out = ik_bool(r);
        return st;
    case IK_OP_SUBSTR:
        return eval_substr(s, a, k < 3 ? k : 3, out);
    case IK_OP_LOG:
        *out = a[0]; /* the core prints nothing: log only passes through */
        return IK_OK;
    case IK_OP_ADD:
    case IK_OP_MUL:
    case IK_OP_MAX:
    case IK_OP_MIN:
        return eval_arith(s, op, args, k, out);
    case IK_OP_MISSING: {
        const ik_value *kv;
        uint32_t nkeys;

        missing_keys(args, k, &kv, &nkeys);
        return eval_missing(s, kv, nkeys, keys, mctx, out);
    }
    case IK_OP_MERGE:
        return eval_merge(s, args, k, out);
    case IK_OP_CAT:
        return eval_cat(s, args, k, out);
    case IK_OP_ARRAY: {
        ik_value *items = salloc(s, k * sizeof *items);

        if (!items)
            return nomem(s);
        if (k)
            memcpy(items, args, k * sizeof *items);
        *out = make_array(items, k);
        return check_items(s, items, k);
    }
    default:
        assert(!"not an eager operator");
        return ik_fail(s->err, IK_ELOGIC, "bad operator");
    }
}

/* MISSINGK: missing or missing_some as apply runs them, over their
 * constant arguments in place instead of the stack. */
static IK_NOINLINE ik_status missing_const(est *s, const ik_ins *in,
                                           ik_value *out)
{
    const ik_value *consts = s->lg->consts, *kv;
    const path *keys = &s->lg->paths[in->a - 1];
    ik_value two[2];
    uint32_t nkeys;

    if (in->sub == IK_OP_MISSING_SOME) {
        two[0] = consts[in->b];
        two[1] = in->n > 1 ? consts[in->c] : ik_undef();
        return eval_missing_some(s, two, in->n, keys, NULL, out);
    }
    missing_keys(&consts[in->b], in->n, &kv, &nkeys);
    return eval_missing(s, kv, nkeys, keys, NULL, out);
}

/* ---- Reading the data ---- */

/* v, or the default c when v is undefined (see DFLT_NULL, DFLT_KEEP). */
static inline ik_value with_default(const est *s, ik_value v, uint32_t c)
{
    if (v.kind != IK_UNDEF || c == DFLT_KEEP)
        return v;
    return c == DFLT_NULL ? ik_null() : s->lg->consts[c];
}

/* What a SLOT instruction reads: slot a, default c. */
static inline ik_value slot_read(est *s, const ik_ins *in)
{
    return with_default(s, slot_value(s, in->a), in->c);
}

/* SLOTS: the array of the in->n slots that the SLOT instructions after
 * it read. */
static IK_NOINLINE ik_status slots_array(est *s, const ik_ins *in,
                                         ik_value *out)
{
    ik_value *items = salloc(s, in->n * sizeof *items);
    uint32_t k;

    if (!items)
        return nomem(s);
    for (k = 0; k < in->n; k++)
        items[k] = slot_read(s, in + 1 + k);
    *out = make_array(items, in->n);
    return check_items(s, items, in->n);
}

/* A var with a compiled path: the element's or the data's. */
static IK_NOINLINE ik_status read_var(est *s, const ik_ins *in,
                                      const ik_value *ctx, ik_value *out)
{
    const path *p = &s->lg->paths[in->a];

    if (!in->sub)
        ctx = NULL;
    if (p->nseg == 0) { /* the element, or the whole data: no default */
        if (ctx) {
            *out = *ctx;
            return IK_OK;
        }
        return whole_data(s, out);
    }
    *out = with_default(s, resolve_path(s, p, ctx), in->c);
    return IK_OK;
}

/* A comparison with a constant whose left operand (acc) is not of the
 * constant's kind, or any K_CMP: the generic comparison. */
static IK_NOINLINE ik_status cmp_const(est *s, const ik_ins *in, ik_value *acc)
{
    *acc = ik_bool(compare(s, (ik_op)in->sub, *acc, s->lg->consts[in->b]));
    return s->late;
}

/* ---- The evaluator ---- */

/*
 * Run the program at entry (its ENTER) with the stack from sp, until its
 * RET. Jumps go forward only, so each instruction runs at most once a
 * run of its program or body; each ENTER has charged all of them (their
 * nodes) to the budget beforehand. An iteration does not recurse: ITER
 * sets up its cells and jumps into the body, whose RET takes the next
 * element or ends the iteration; ctx is the element in a body.
 */
static IK_ALWAYS_INLINE ik_status run(est *s, const ik_ins *code,
                                      const ik_value *consts, uint32_t entry,
                                      ik_value *sp, ik_value *out)
{
    const ik_ins *ip = code + entry + 1, *it;
    const ik_value *ctx = NULL;
    ik_value acc = ik_undef(), a, *f;
    ik_status st;
    double x, y; /* a typed comparison's operands */
    bool r;
    int step;

    if (s->left < code[entry].a) /* the program's ENTER */
        return over_budget(s);
    s->left -= code[entry].a;

    for (;;) {
        const ik_ins *in = ip++;

        switch ((ik_opc)in->opc) {
        case OPC_ENTER:
            if (s->left < in->a)
                return over_budget(s);
            s->left -= in->a;
            break;
        case OPC_RET:
        ret:
            *out = acc;
            return IK_OK;
#define NEXT(opc, op)                                                          \
    case opc:                                                                  \
        it = code + in->a;                                                     \
        f = sp - ITER_CELLS;                                                   \
        step = iter_step(s, it, op, f, acc, false, &acc, &ctx, &st);           \
        goto iterate;
            NEXT(OPC_NEXT_MAP, IK_OP_MAP)
            NEXT(OPC_NEXT_FILTER, IK_OP_FILTER)
            NEXT(OPC_NEXT_REDUCE, IK_OP_REDUCE)
            NEXT(OPC_NEXT_ALL, IK_OP_ALL)
            NEXT(OPC_NEXT_SOME, IK_OP_SOME)
            NEXT(OPC_NEXT_NONE, IK_OP_NONE)
#undef NEXT
        case OPC_CONST:
            if (in->sub) /* PUSH merged in */
                *sp++ = acc;
            acc = consts[in->a];
            break;
        case OPC_UNDEF:
            acc = ik_undef();
            break;
        case OPC_NULL:
            acc = ik_null();
            break;
        case OPC_SLOT:
            if (in->sub)
                *sp++ = acc;
            acc = slot_read(s, in);
            break;
        case OPC_SLOTS:
            if ((st = slots_array(s, in, &acc)) != IK_OK)
                return st;
            ip += in->n;
            break;
        case OPC_VAR:
            if ((st = read_var(s, in, ctx, &acc)) != IK_OK)
                return st;
            break;
        case OPC_RVAR: /* ctx is the reduce's f + 2 */
            acc = in->sub ? ctx[-1] : ctx[-2].u.items[ctx[1].len - 1];
            acc =
                with_default(s, path_rest(s, &s->lg->paths[in->a], acc), in->c);
            break;
        case OPC_VARD:
            if ((st = lookup_text(s, in->sub ? ctx : NULL, acc, &acc)) != IK_OK)
                return st;
            acc = with_default(s, acc, in->c);
            break;
        case OPC_JDEF:
            if (acc.kind != IK_UNDEF)
                ip = code + in->a;
            break;
        case OPC_PUSH:
            *sp++ = acc;
            break;
        case OPC_JT:
            if (truthy(acc))
                ip = code + in->a;
            break;
        case OPC_JF:
            if (!truthy(acc))
                ip = code + in->a;
            break;
        case OPC_JMP:
            ip = code + in->a;
            break;
        case OPC_NOT:
            acc = ik_bool(truthy(acc) == (in->sub != 0));
            break;
        case OPC_ELEM:
            if (in->sub)
                *sp++ = acc;
            acc = *ctx;
            break;
/* S_x reads its slot (or the element) into acc, then is K_x: acc against
 * constant b */
#define SLOT_THEN(kop)                                                         \
    case kop - 1:                                                              \
        acc =                                                                  \
            in->a < s->nslots ? s->slots[in->a] : slot_or_elem(s, in->a, ctx); \
        if (acc.kind == IK_UNDEF)                                              \
            acc = with_default(s, acc, in->c);                                 \
        IK_FALLTHROUGH;                                                        \
    case kop:
/* A typed comparison: where acc is of the constant's kind, its value r
 * (test, value); else the generic comparison. Its _J form (two more
 * cases) is the same comparison, then the JT or JF after it; its _R form
 * the same, then the RET after it. */
#define CMP_FORMS(kop, test, value)                                            \
    SLOT_THEN(kop)                                                             \
    if (test) {                                                                \
        r = (value);                                                           \
        acc = ik_bool(r);                                                      \
        break;                                                                 \
    }                                                                          \
    goto generic_cmp;                                                          \
    SLOT_THEN(OPC_JUMPING(kop))                                                \
    if (test) {                                                                \
        r = (value);                                                           \
        goto cmp_jump;                                                         \
    }                                                                          \
    goto generic_cmp_jump;                                                     \
    SLOT_THEN(OPC_RETURNING(kop))                                              \
    if (test) {                                                                \
        acc = ik_bool(value);                                                  \
        goto ret;                                                              \
    }                                                                          \
    goto generic_cmp_ret;
#define CMPN(kop, expr)                                                        \
    CMP_FORMS(kop, acc.kind == IK_NUM,                                         \
              (x = acc.u.num, y = consts[in->b].u.num, (expr)))
            CMPN(OPC_K_EQN, x == y)
            CMPN(OPC_K_NEN, !(x == y))
            CMPN(OPC_K_LTN, x < y)
            CMPN(OPC_K_LEN, x <= y)
            CMPN(OPC_K_GTN, y < x)
            CMPN(OPC_K_GEN, y <= x)
#undef CMPN
#define CMPS(kop, eq)                                                          \
    CMP_FORMS(kop, acc.kind == IK_STR,                                         \
              (acc.len == consts[in->b].len &&                                 \
               ik_same_bytes(acc.u.str, consts[in->b].u.str, acc.len)) == eq)
            CMPS(OPC_K_EQS, true)
            CMPS(OPC_K_NES, false)
#undef CMPS
#undef CMP_FORMS
        generic_cmp_ret:
            if ((st = cmp_const(s, in, &acc)) != IK_OK)
                return st;
            goto ret;
        generic_cmp_jump:
            if ((st = cmp_const(s, in, &acc)) != IK_OK)
                return st;
            r = acc.u.b;
        cmp_jump: /* r: the comparison's value; then its JT (n 1), JF (n 0)
                   * or RET (n 2) */
            acc = ik_bool(r);
            ip = r == (in->n != 0) ? code + ip->a : ip + 1;
            break;
            SLOT_THEN(OPC_K_CMP)
        generic_cmp:
            if ((st = cmp_const(s, in, &acc)) != IK_OK)
                return st;
            break;
            SLOT_THEN(OPC_K_IN)
            st = eval_in(s, acc, consts[in->b], &r);
            acc = ik_bool(r);
            if (st != IK_OK)
                return st;
            break;
            SLOT_THEN(OPC_K_SEQ)
            acc = ik_bool(ik_value_strict_eq(acc, consts[in->b]) ==
                          (in->sub == IK_OP_SEQ));
            break;
#undef SLOT_THEN
        case OPC_INR: {
            st = eval_in(s, consts[in->b], acc, &r);
            acc = ik_bool(r);
            if (st != IK_OK)
                return st;
            break;
        }
        case OPC_BETWEEN: {
            ik_value lo = consts[in->b], hi = consts[in->c];
            bool le = in->sub == IK_OP_LE;

            r = less(s, lo, acc, le);

            if (hi.kind != IK_UNDEF)
                r = r && less(s, acc, hi, le);
            acc = ik_bool(r);
            if (s->late != IK_OK)
                return s->late;
            break;
        }
        case OPC_CMP2:
            a = *--sp;
            acc = ik_bool(compare(s, (ik_op)in->sub, a, acc));
            if (s->late != IK_OK)
                return s->late;
            break;
        case OPC_IN2: {
            a = *--sp;
            st = eval_in(s, a, acc, &r);
            acc = ik_bool(r);
            if (st != IK_OK)
                return st;
            break;
        }
#define ARITH(opc, op)                                                         \
    case opc:                                                                  \
        sp[0] = acc;                                                           \
        sp -= in->n - 1;                                                       \
        if ((st = arith(s, op, sp, in->n, &acc)) != IK_OK)                     \
            return st;                                                         \
        break;
            ARITH(OPC_ADD, IK_OP_ADD)
        case OPC_ADDK: /* x + constant b: + of acc and b */
            sp[0] = acc;
            sp[1] = consts[in->b];
            if ((st = arith(s, IK_OP_ADD, sp, 2, &acc)) != IK_OK)
                return st;
            break;
            ARITH(OPC_SUB, IK_OP_SUB)
            ARITH(OPC_MUL, IK_OP_MUL)
            ARITH(OPC_DIV, IK_OP_DIV)
            ARITH(OPC_MOD, IK_OP_MOD)
            ARITH(OPC_MAX, IK_OP_MAX)
            ARITH(OPC_MIN, IK_OP_MIN)
#undef ARITH
        case OPC_OP:
            if (in->n) {
                *sp = acc;
                sp -= in->n - 1;
            }
            if ((st = apply(s, in, sp, ctx, &acc)) != IK_OK)
                return st;
            break;
        case OPC_MISSINGK:
            if ((st = missing_const(s, in, &acc)) != IK_OK)
                return st;
            break;
        case OPC_ITER:
            it = in;
            if (in->sub == IK_OP_REDUCE) { /* the array pushed */
                f = sp - 1;
                f[1] = acc;
            } else {
                f = sp;
                f[0] = acc;
            }
            f[3] = (ik_value){IK_UNDEF, 0, {.items = ctx}};
            sp = f + ITER_CELLS;
            step =
                iter_step(s, it, (ik_op)it->sub, f, acc, true, &acc, &ctx, &st);
        iterate:
            if (step == ITER_FAIL)
                return st;
            if (step == ITER_RUN) { /* the body's ENTER, charged here */
                ip = code + it->a;
                if (s->left < ip->a)
                    return over_budget(s);
                s->left -= ip->a;
                ip++;
                break;
            }
            sp = f;
            ip = code + it->b;
            break;
        default: /* the compiler emits no other */
            assert(!"bad instruction");
#if defined(__GNUC__)
            __builtin_unreachable();
#else
            return ik_fail(s->err, IK_ELOGIC, "bad instruction");
#endif
        }
    }
}

enum { STACK_LOCAL = 32 };

/* Run the program at entry of code (s->lg's, as consts) with the est s
 * set up: its stack on the C stack when small, else in scratch. */
static IK_ALWAYS_INLINE ik_status run_program(est *s, const ik_ins *code,
                                              const ik_value *consts,
                                              uint32_t entry, ik_value *out)
{
    ik_value local[STACK_LOCAL], *stack = local;
    uint32_t need = code[entry].b;

    if (need > STACK_LOCAL && !(stack = salloc(s, need * sizeof *stack)))
        return nomem(s);
    return run(s, code, consts, entry, stack, out);
}

/* Constant folding: run the code of a data-free expression at compile
 * time. */
ik_status ik_logic_eval_const(const ik_logic *lg, uint32_t entry, ik_value *out,
                              ik_arena *scratch, ik_error *err)
{
    ik_env env = {ik_undef(), NULL, 0, scratch, 0, NULL};
    est s = {lg, &env, scratch, DEFAULT_BUDGET, err,  NULL,
             0,  0,    false,   NULL,           IK_OK};

    return run_program(&s, lg->code, lg->consts, entry, out);
}

/* The failure of an evaluation stopped by the pool running out. */
static IK_NOINLINE ik_status pool_spent(est *s)
{
    return ik_fail(s->err, IK_ELOGIC,
                   "evaluation exceeded the total budget of one answer "
                   "or record (%u node visits for all its conditions "
                   "and derived values)",
                   IK_LOGIC_TOTAL_BUDGET);
}

/* An est for evaluations in env: top-level names read slots when the
 * data is an object or absent. */
static IK_ALWAYS_INLINE void est_start(est *s, const ik_logic *lg,
                                       const ik_env *env, ik_error *err)
{
    *s = (est){lg, env, env->scratch, 0, err, NULL, 0, 0, false, NULL, IK_OK};
    if (env->slots &&
        (env->root.kind == IK_UNDEF || env->root.kind == IK_OBJ)) {
        s->slots = env->slots;
        s->nslots = env->nslots;
    }
}

/*
 * One expression, as ik_logic_eval evaluates it (ik_logic_eval_each in a
 * loop): as many node visits as the budget allows or the pool has left,
 * its own scratch bound and nesting table, the pool charged with what it
 * took. *out is undefined while it runs (out may be a slot it reads).
 */
typedef struct program_set { /* what eval_one reads of the logic and env */
    const ik_ins *code;
    const ik_value *consts;
    const uint32_t *entry;
    uint32_t nentry;
    uint64_t budget;
    uint64_t *pool;
} program_set;

static IK_ALWAYS_INLINE program_set program_set_of(const ik_logic *lg,
                                                   const ik_env *env)
{
    return (program_set){lg->code,
                         lg->consts,
                         lg->entry,
                         lg->nentry,
                         env->budget ? env->budget : DEFAULT_BUDGET,
                         env->pool};
}

static IK_ALWAYS_INLINE ik_status eval_one(est *s, const program_set *ps,
                                           ik_expr expr, ik_value *out)
{
    const uint64_t budget = ps->budget;
    uint64_t *pool = ps->pool;
    uint64_t cap = pool && *pool < budget ? *pool : budget;
    uint32_t entry = expr < ps->nentry ? ps->entry[expr] : UINT32_MAX;
    ik_status st;

    *out = ik_undef();
    s->left = cap;
    s->cap = 0;
    s->over = false;
    s->depths = NULL;
    s->late = IK_OK;
    if (entry == UINT32_MAX)
        return ik_fail(s->err, IK_EMISUSE, "no such expression");
    st = run_program(s, ps->code, ps->consts, entry, out);
    if (pool) {
        *pool -= cap - s->left;
        if (st == IK_ELOGIC && cap < budget && s->left == 0)
            st = pool_spent(s);
    }
    return st;
}

/* Each expression in turn as ik_logic_eval evaluates it; what does not
 * change from one expression to the next is read once. */
uint32_t ik_logic_eval_each(const ik_logic *lg, const ik_expr *exprs,
                            uint32_t n, const ik_env *env, ik_value *out,
                            ik_status *sts, ik_error *err)
{
    const program_set ps = program_set_of(lg, env);
    ik_error later; /* the failures after the first */
    uint32_t i, failed = 0;
    est s;

    est_start(&s, lg, env, err);
    for (i = 0; i < n; i++) {
        sts[i] = eval_one(&s, &ps, exprs[i], &out[i]);
        if (sts[i] != IK_OK && failed++ == 0 && err)
            s.err = &later;
    }
    return failed;
}

ik_status ik_logic_eval(const ik_logic *lg, ik_expr expr, const ik_env *env,
                        ik_value *out, ik_error *err)
{
    const program_set ps = program_set_of(lg, env);
    est s;

    est_start(&s, lg, env, err);
    return eval_one(&s, &ps, expr, out);
}
