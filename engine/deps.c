/*
 * deps.c -- the dependency model of a pack (see deps.h): one static
 * analysis of the compiled conditions, made once at load, that every other
 * module reads. Never evaluates a condition; no I/O; linear in the size of
 * the pack's conditions plus their closures.
 */
#include "deps.h"

#include "alloc.h"

#include <stdlib.h>
#include <string.h>

/* Lists by key: items[off[k] .. off[k + 1]). */
typedef struct csr {
    uint32_t *off, *items;
} csr;

struct ik_deps {
    uint32_t nq, nd, nslots;
    bool ordered;
    uint32_t base[IK_OWN__COUNT + 1]; /* condition (o, i) is base[o] + i */
    csr reads, needs, asks;           /* per condition */
    csr readers[IK_OWN__COUNT];       /* per slot */
    uint32_t *latest;                 /* per derived value */
    uint32_t *qof, *dof;              /* per slot */
};

static const char *const fields[IK_OWN__COUNT] = {
    "enable_when", "value", "when", "when", "show_when", "when", "when"};

static uint32_t owner_count(const ik_rulebook *rb, ik_owner o)
{
    switch (o) {
    case IK_OWN_QUESTION:
        return rb->nquestions;
    case IK_OWN_DERIVED:
        return rb->nderived;
    case IK_OWN_RED_FLAG:
        return rb->nred_flags;
    case IK_OWN_RUNG:
        return rb->nladder;
    case IK_OWN_SECTION:
        return rb->nsections;
    case IK_OWN_RULE:
        return rb->nrules;
    case IK_OWN_INVARIANT:
        return rb->ninvariants;
    case IK_OWN__COUNT:
        break;
    }
    return 0;
}

static const char *owner_id(const ik_rulebook *rb, ik_owner o, uint32_t i)
{
    switch (o) {
    case IK_OWN_QUESTION:
        return rb->questions[i].id;
    case IK_OWN_DERIVED:
        return rb->derived[i].id;
    case IK_OWN_RED_FLAG:
        return rb->red_flags[i].id;
    case IK_OWN_RUNG:
        return rb->ladder[i].id;
    case IK_OWN_SECTION:
        return rb->sections[i].id;
    case IK_OWN_RULE:
        return rb->rules[i].id;
    case IK_OWN_INVARIANT:
        return rb->invariants[i].id;
    case IK_OWN__COUNT:
        break;
    }
    return NULL;
}

ik_expr ik_condition_of(const ik_rulebook *rb, ik_owner o, uint32_t i)
{
    switch (o) {
    case IK_OWN_QUESTION:
        return rb->questions[i].enable_when;
    case IK_OWN_DERIVED:
        return rb->derived[i].value;
    case IK_OWN_RED_FLAG:
        return rb->red_flags[i].when;
    case IK_OWN_RUNG:
        return rb->ladder[i].when;
    case IK_OWN_SECTION:
        return rb->sections[i].show_when;
    case IK_OWN_RULE:
        return rb->rules[i].when;
    case IK_OWN_INVARIANT:
        return rb->invariants[i].when;
    case IK_OWN__COUNT:
        break;
    }
    return IK_NO_EXPR;
}

void ik_rulebook_each_condition(const ik_rulebook *rb, unsigned owners,
                                void (*fn)(const ik_condition *c, void *ctx),
                                void *ctx)
{
    ik_condition c;
    int o;

    for (o = 0; o < IK_OWN__COUNT; o++) {
        uint32_t i, n = owner_count(rb, (ik_owner)o);
        if (owners && !(owners & (1u << o)))
            continue;
        c.owner = (ik_owner)o;
        c.field = fields[o];
        for (i = 0; i < n; i++) {
            c.expr = ik_condition_of(rb, (ik_owner)o, i);
            if (c.expr == IK_NO_EXPR)
                continue;
            c.index = i;
            c.id = owner_id(rb, (ik_owner)o, i);
            fn(&c, ctx);
        }
    }
}

/* ---- Building ---- */

/* A growing array of uint32_t. */
typedef struct vec {
    uint32_t *a;
    size_t n, cap;
} vec;

static bool vec_push(vec *v, uint32_t x)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        uint32_t *a = ik_realloc(v->a, cap * sizeof *a);
        if (!a)
            return false;
        v->a = a;
        v->cap = cap;
    }
    v->a[v->n++] = x;
    return true;
}

/* The slots expr reads into *tmp (grown as needed); SIZE_MAX: no memory. */
static size_t reads_into(const ik_rulebook *rb, ik_expr e, uint32_t **tmp,
                         size_t *cap)
{
    size_t n;

    if (e == IK_NO_EXPR)
        return 0;
    n = ik_logic_reads(rb->logic, e, *tmp, *cap);
    if (n > *cap) {
        uint32_t *p = ik_realloc(*tmp, n * sizeof *p);
        if (!p)
            return SIZE_MAX;
        *tmp = p;
        *cap = n;
        n = ik_logic_reads(rb->logic, e, *tmp, *cap);
    }
    return n;
}

/* Derived index behind slot s (by position: slots may not be laid out
 * yet while the loader orders the derived values), IK_NONE if none. */
static void slot_maps(const ik_rulebook *rb, uint32_t nslots, uint32_t *qof,
                      uint32_t *dof)
{
    uint32_t i;

    for (i = 0; i < nslots; i++)
        qof[i] = dof[i] = IK_NONE;
    for (i = 0; i < rb->nquestions; i++)
        if (rb->questions[i].slot < nslots)
            qof[rb->questions[i].slot] = i;
    for (i = 0; i < rb->nderived; i++)
        if (rb->derived[i].slot < nslots && qof[rb->derived[i].slot] == IK_NONE)
            dof[rb->derived[i].slot] = i;
}

static uint32_t slot_count(const ik_rulebook *rb)
{
    uint32_t n = rb->logic ? ik_logic_nslots(rb->logic) : 0;

    return n > rb->nquestions + rb->nderived ? n
                                             : rb->nquestions + rb->nderived;
}

/*
 * Depth-first over the derived values' reads, dependencies before users,
 * otherwise pack order; a back edge is a cycle, reported once.
 * Iterative: a chain of 100,000 derived values must not exhaust the
 * stack. edges: start[v]..start[v+1] into dep.
 */
static bool topo(uint32_t nd, const uint32_t *start, const uint32_t *dep,
                 uint32_t *order,
                 void (*on_cycle)(const uint32_t *, size_t, void *), void *ctx,
                 bool *nomem)
{
    uint32_t *stack = ik_malloc((nd + 1) * sizeof *stack);
    uint32_t *next = ik_calloc(nd + 1, sizeof *next);
    uint8_t *color = ik_calloc(nd + 1, 1); /* 0 new, 1 open, 2 done */
    size_t *at = ik_malloc((nd + 1) * sizeof *at);
    uint32_t s, n = 0;
    bool changed = false;
    size_t top;

    if (!stack || !next || !color || !at) {
        *nomem = true;
        nd = 0;
    }
    for (s = 0; s < nd; s++) {
        if (color[s])
            continue;
        top = 0;
        stack[0] = s;
        at[s] = 0;
        color[s] = 1;
        for (;;) {
            uint32_t v = stack[top];
            if (next[v] < start[v + 1] - start[v]) {
                uint32_t w = dep[start[v] + next[v]++];
                if (color[w] == 0) {
                    stack[++top] = w;
                    at[w] = top;
                    color[w] = 1;
                } else if (color[w] == 1 && on_cycle) {
                    on_cycle(stack + at[w], top - at[w] + 1, ctx);
                }
                continue;
            }
            color[v] = 2;
            order[n] = v;
            changed |= v != n;
            n++;
            if (top == 0)
                break;
            top--;
        }
    }
    ik_free(stack);
    ik_free(next);
    ik_free(color);
    ik_free(at);
    return changed;
}

/* The derived-to-derived edges of rb, by derived index. */
static bool derived_edges(const ik_rulebook *rb, const uint32_t *dof,
                          uint32_t nslots, uint32_t **start, vec *dep)
{
    uint32_t *tmp = NULL, v;
    size_t cap = 0, n, k;
    bool ok = true;

    *start = ik_calloc((size_t)rb->nderived + 1, sizeof **start);
    if (!*start)
        return false;
    for (v = 0; ok && v < rb->nderived; v++) {
        (*start)[v] = (uint32_t)dep->n;
        n = reads_into(rb, rb->derived[v].value, &tmp, &cap);
        ok = n != SIZE_MAX;
        for (k = 0; ok && k < n; k++)
            if (tmp[k] < nslots && dof[tmp[k]] != IK_NONE)
                ok = vec_push(dep, dof[tmp[k]]);
    }
    (*start)[rb->nderived] = (uint32_t)dep->n;
    ik_free(tmp);
    return ok;
}

bool ik_deps_order_derived(const ik_rulebook *rb, uint32_t *order,
                           void (*on_cycle)(const uint32_t *path, size_t n,
                                            void *ctx),
                           void *ctx, bool *nomem)
{
    uint32_t nslots = slot_count(rb), *start = NULL;
    uint32_t *qof = ik_malloc(((size_t)nslots + 1) * sizeof *qof);
    uint32_t *dof = ik_malloc(((size_t)nslots + 1) * sizeof *dof);
    vec dep = {0};
    bool changed = false;

    *nomem = false;
    if (qof && dof) {
        slot_maps(rb, nslots, qof, dof);
        if (derived_edges(rb, dof, nslots, &start, &dep))
            changed = topo(rb->nderived, start, dep.a ? dep.a : qof, order,
                           on_cycle, ctx, nomem);
        else
            *nomem = true;
    } else {
        *nomem = true;
    }
    ik_free(start);
    ik_free(dep.a);
    ik_free(qof);
    ik_free(dof);
    return changed && !*nomem;
}

static bool csr_from(csr *c, const vec *items, const vec *off)
{
    c->off = ik_malloc((off->n + 1) * sizeof *c->off);
    c->items = ik_malloc((items->n + 1) * sizeof *c->items);
    if (!c->off || !c->items)
        return false;
    if (off->n)
        memcpy(c->off, off->a, off->n * sizeof *c->off);
    if (items->n)
        memcpy(c->items, items->a, items->n * sizeof *c->items);
    return true;
}

static void csr_free(csr *c)
{
    ik_free(c->off);
    ik_free(c->items);
}

static ik_span csr_get(const csr *c, uint32_t k)
{
    ik_span s;

    s.items = c->items + c->off[k];
    s.n = c->off[k + 1] - c->off[k];
    return s;
}

/* Every condition's direct reads (below nslots). */
static bool build_reads(ik_deps *d, const ik_rulebook *rb)
{
    vec items = {0}, off = {0};
    uint32_t *tmp = NULL, i;
    size_t cap = 0, n, k;
    bool ok = true;
    int o;

    for (o = 0; o < IK_OWN__COUNT; o++) {
        uint32_t cnt = owner_count(rb, (ik_owner)o);
        d->base[o] = (uint32_t)off.n;
        for (i = 0; ok && i < cnt; i++) {
            ok = vec_push(&off, (uint32_t)items.n);
            n = reads_into(rb, ik_condition_of(rb, (ik_owner)o, i), &tmp, &cap);
            ok = ok && n != SIZE_MAX;
            for (k = 0; ok && k < n; k++)
                if (tmp[k] < d->nslots)
                    ok = vec_push(&items, tmp[k]);
        }
    }
    d->base[IK_OWN__COUNT] = (uint32_t)off.n;
    ok = ok && vec_push(&off, (uint32_t)items.n) &&
         csr_from(&d->reads, &items, &off);
    ik_free(items.a);
    ik_free(off.a);
    ik_free(tmp);
    return ok;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* The latest question behind each derived value, in evaluation order. */
static bool build_latest(ik_deps *d, const ik_rulebook *rb)
{
    uint32_t *order = ik_malloc(((size_t)d->nd + 1) * sizeof *order);
    uint32_t *start = NULL, i, k;
    vec dep = {0};
    bool nomem = false;

    d->latest = ik_malloc(((size_t)d->nd + 1) * sizeof *d->latest);
    if (!order || !d->latest ||
        !derived_edges(rb, d->dof, d->nslots, &start, &dep)) {
        ik_free(order);
        ik_free(start);
        ik_free(dep.a);
        return false;
    }
    (void)topo(d->nd, start, dep.a ? dep.a : order, order, NULL, NULL, &nomem);
    for (i = 0; !nomem && i < d->nd; i++) {
        uint32_t v = order[i], best = IK_NONE;
        ik_span r = ik_deps_reads(d, IK_OWN_DERIVED, v);
        d->latest[v] = IK_NONE; /* a cycle (reported) reads as nothing */
        for (k = 0; k < r.n; k++) {
            uint32_t s = r.items[k], q = d->qof[s];
            if (q == IK_NONE && d->dof[s] != IK_NONE)
                q = d->latest[d->dof[s]];
            if (q != IK_NONE && (best == IK_NONE || q > best))
                best = q;
        }
        d->latest[v] = best;
    }
    ik_free(order);
    ik_free(start);
    ik_free(dep.a);
    return !nomem;
}

/* The derived values and questions behind the conditions of questions
 * and red flags, the two kinds whose lists are read (the outcome and the
 * interview, batch's stop checks); each visited once per condition (a
 * stamp per slot). Only those: a list per rule, section or rung would
 * make loading quadratic in a chain of derived values that many rules
 * read (6,000 of each: 3.3 s and 580 MB). */
static bool build_closures(ik_deps *d)
{
    vec needs = {0}, asks = {0}, noff = {0}, aoff = {0}, stack = {0};
    uint32_t *stamp = ik_calloc((size_t)d->nslots + 1, sizeof *stamp);
    uint32_t c, k, nc = d->base[IK_OWN__COUNT];
    bool ok = stamp != NULL;

    for (c = 0; ok && c < nc; c++) {
        size_t n0 = needs.n, a0 = asks.n;
        ok = vec_push(&noff, (uint32_t)needs.n) &&
             vec_push(&aoff, (uint32_t)asks.n);
        if (!(c >= d->base[IK_OWN_QUESTION] && c < d->base[IK_OWN_QUESTION + 1]) &&
            !(c >= d->base[IK_OWN_RED_FLAG] && c < d->base[IK_OWN_RED_FLAG + 1]))
            continue;
        stack.n = 0;
        for (k = d->reads.off[c]; ok && k < d->reads.off[c + 1]; k++)
            if (stamp[d->reads.items[k]] != c + 1) {
                stamp[d->reads.items[k]] = c + 1;
                ok = vec_push(&stack, d->reads.items[k]);
            }
        while (ok && stack.n) {
            uint32_t s = stack.a[--stack.n], v = d->dof[s];
            if (d->qof[s] != IK_NONE)
                ok = vec_push(&asks, d->qof[s]);
            if (v == IK_NONE)
                continue;
            ok = vec_push(&needs, v);
            for (k = d->reads.off[d->base[IK_OWN_DERIVED] + v];
                 ok && k < d->reads.off[d->base[IK_OWN_DERIVED] + v + 1]; k++)
                if (stamp[d->reads.items[k]] != c + 1) {
                    stamp[d->reads.items[k]] = c + 1;
                    ok = vec_push(&stack, d->reads.items[k]);
                }
        }
        if (ok && needs.n > n0 + 1)
            qsort(needs.a + n0, needs.n - n0, sizeof *needs.a, cmp_u32);
        if (ok && asks.n > a0 + 1)
            qsort(asks.a + a0, asks.n - a0, sizeof *asks.a, cmp_u32);
    }
    ok = ok && vec_push(&noff, (uint32_t)needs.n) &&
         vec_push(&aoff, (uint32_t)asks.n) &&
         csr_from(&d->needs, &needs, &noff) && csr_from(&d->asks, &asks, &aoff);
    ik_free(needs.a);
    ik_free(asks.a);
    ik_free(noff.a);
    ik_free(aoff.a);
    ik_free(stack.a);
    ik_free(stamp);
    return ok;
}

/* Who reads each slot, per kind of owner. */
static bool build_readers(ik_deps *d, csr *r, ik_owner o)
{
    uint32_t from = d->base[o], to = d->base[o + 1], c, k, s;
    uint32_t *fill;

    r->off = ik_calloc((size_t)d->nslots + 2, sizeof *r->off);
    r->items = ik_malloc(((size_t)(d->reads.off[to] - d->reads.off[from]) + 1) *
                         sizeof *r->items);
    fill = ik_calloc((size_t)d->nslots + 1, sizeof *fill);
    if (!r->off || !r->items || !fill) {
        ik_free(fill);
        return false;
    }
    for (k = d->reads.off[from]; k < d->reads.off[to]; k++)
        r->off[d->reads.items[k] + 1]++;
    for (s = 0; s < d->nslots; s++)
        r->off[s + 1] += r->off[s];
    for (c = from; c < to; c++)
        for (k = d->reads.off[c]; k < d->reads.off[c + 1]; k++) {
            s = d->reads.items[k];
            r->items[r->off[s] + fill[s]++] = c - from;
        }
    ik_free(fill);
    return true;
}

/* The pack is ordered (deps.h). */
static bool is_ordered(const ik_deps *d, const ik_rulebook *rb)
{
    uint32_t i, k;

    for (i = 0; i < d->nq; i++)
        if (rb->questions[i].slot != i)
            return false;
    for (i = 0; i < d->nd; i++) {
        ik_span r = ik_deps_reads(d, IK_OWN_DERIVED, i);
        if (rb->derived[i].slot != d->nq + i)
            return false;
        for (k = 0; k < r.n; k++)
            if (r.items[k] >= d->nq + i)
                return false; /* itself, a later one, or no value at all */
    }
    for (i = 0; i < d->nq; i++) {
        ik_span r = ik_deps_reads(d, IK_OWN_QUESTION, i);
        for (k = 0; k < r.n; k++) {
            uint32_t s = r.items[k];
            uint32_t q = s < d->nq           ? s
                         : s < d->nq + d->nd ? d->latest[s - d->nq]
                                             : i;
            if (q != IK_NONE && q >= i)
                return false;
        }
    }
    return true;
}

ik_status ik_deps_new(const ik_rulebook *rb, ik_deps **out)
{
    ik_deps *d = ik_calloc(1, sizeof *d);
    bool ok;
    int o;

    *out = NULL;
    if (!d)
        return IK_ENOMEM;
    d->nq = rb->nquestions;
    d->nd = rb->nderived;
    d->nslots = slot_count(rb);
    d->qof = ik_malloc(((size_t)d->nslots + 1) * sizeof *d->qof);
    d->dof = ik_malloc(((size_t)d->nslots + 1) * sizeof *d->dof);
    ok = d->qof && d->dof;
    if (ok)
        slot_maps(rb, d->nslots, d->qof, d->dof);
    ok = ok && build_reads(d, rb) && build_latest(d, rb) && build_closures(d);
    for (o = 0; ok && o < IK_OWN__COUNT; o++)
        ok = build_readers(d, &d->readers[o], (ik_owner)o);
    if (!ok) {
        ik_deps_free(d);
        return IK_ENOMEM;
    }
    d->ordered = is_ordered(d, rb);
    *out = d;
    return IK_OK;
}

void ik_deps_free(ik_deps *d)
{
    int o;

    if (!d)
        return;
    csr_free(&d->reads);
    csr_free(&d->needs);
    csr_free(&d->asks);
    for (o = 0; o < IK_OWN__COUNT; o++)
        csr_free(&d->readers[o]);
    ik_free(d->latest);
    ik_free(d->qof);
    ik_free(d->dof);
    ik_free(d);
}

/* ---- Reading ---- */

bool ik_deps_ordered(const ik_deps *d)
{
    return d->ordered;
}

ik_span ik_deps_reads(const ik_deps *d, ik_owner o, uint32_t i)
{
    return csr_get(&d->reads, d->base[o] + i);
}

ik_span ik_deps_needs(const ik_deps *d, ik_owner o, uint32_t i)
{
    return csr_get(&d->needs, d->base[o] + i);
}

ik_span ik_deps_asks(const ik_deps *d, ik_owner o, uint32_t i)
{
    return csr_get(&d->asks, d->base[o] + i);
}

ik_span ik_deps_readers(const ik_deps *d, ik_owner o, uint32_t s)
{
    ik_span none = {NULL, 0};

    return s < d->nslots ? csr_get(&d->readers[o], s) : none;
}

uint32_t ik_deps_latest_question(const ik_deps *d, uint32_t i)
{
    return i < d->nd ? d->latest[i] : IK_NONE;
}

uint32_t ik_deps_question_of(const ik_deps *d, uint32_t s)
{
    return s < d->nslots ? d->qof[s] : IK_NONE;
}

uint32_t ik_deps_derived_of(const ik_deps *d, uint32_t s)
{
    return s < d->nslots ? d->dof[s] : IK_NONE;
}

uint32_t ik_deps_nslots(const ik_deps *d)
{
    return d->nslots;
}

/* ---- For the front end ---- */

ik_status ik_rulebook_questions_behind(const ik_rulebook *rb,
                                       const uint32_t *slots, uint32_t n,
                                       uint32_t *qs, uint32_t *nqs)
{
    const ik_deps *d = rb->deps;
    uint8_t *seen = ik_calloc((size_t)d->nslots + 1, 1);
    vec stack = {0};
    uint32_t i, k;
    bool ok = seen != NULL;

    *nqs = 0;
    /* depth first, in read order: a stack of slots, reads pushed last
     * first */
    for (i = n; ok && i-- > 0;)
        ok = vec_push(&stack, slots[i]);
    while (ok && stack.n) {
        uint32_t s = stack.a[--stack.n];
        ik_span r;
        if (s >= d->nslots || seen[s])
            continue;
        seen[s] = 1;
        if (d->qof[s] != IK_NONE) {
            qs[(*nqs)++] = d->qof[s];
            continue;
        }
        if (d->dof[s] == IK_NONE)
            continue;
        r = ik_deps_reads(d, IK_OWN_DERIVED, d->dof[s]);
        for (k = r.n; ok && k-- > 0;)
            ok = vec_push(&stack, r.items[k]);
    }
    ik_free(stack.a);
    ik_free(seen);
    return ok ? IK_OK : IK_ENOMEM;
}
