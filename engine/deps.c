/*
 * deps.c -- the dependency model of a pack (see deps.h): one static
 * analysis of the compiled conditions, made once at load, that every other
 * module reads. Never evaluates a condition; no I/O; linear in the size of
 * the pack's conditions plus their closures.
 */
#include "deps.h"

#include "alloc.h"
#include "answer.h"
#include "logic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Lists by key: items[off[k] .. off[k + 1]). */
typedef struct csr {
    uint32_t *off, *items;
} csr;

struct ik_deps {
    uint32_t nq, nd, nslots;
    uint32_t base[IK_OWN__COUNT + 1]; /* condition (o, i) is base[o] + i */
    csr reads, needs, asks;           /* per condition */
    csr readers[IK_OWN__COUNT];       /* per slot */
    uint32_t *latest;                 /* per derived value */
    uint32_t *qof, *dof;              /* per slot */
    /* the exact progress bound: question q's answer classes are
     * reps[coff[q] .. coff[q + 1]) (none: not known); slot s is live at
     * questions live_from[s] .. live_to[s] */
    ik_arena arena; /* the classes' multi answers */
    ik_value *reps;
    uint32_t *coff;
    uint32_t *live_from, *live_to;
    uint32_t *by_end, nby_end; /* live slots, latest live_to first */
    /* per question: the latest question behind its enable_when (IK_NONE:
     * none), and whether it reads a derived value; the questions by that
     * latest one: by_qlatest[qfirst[p] .. qfirst[p + 1]) */
    uint32_t *qlatest, *by_qlatest, *qfirst;
    uint8_t *qvia;
    uint32_t *dorder; /* derived values by their latest question */
    uint32_t *dbefore; /* per question q: the first dbefore[q] of dorder
                        * read no question from q on */
    /* where an interview may stop: the red flags with stop that read
     * question q are stops[soff[q] .. soff[q + 1]), ascending; every one
     * is stops[soff[nq] ..) (the check before anything is answered) */
    uint32_t *stops, *soff;
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
    for (i = 0; i < d->nd; i++)
        d->latest[i] = IK_NONE; /* a cycle (reported) reads as nothing */
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

/* The derived values and questions behind the conditions of red flags,
 * the lists that are read (the outcome's and batch's stop checks); each
 * visited once per condition (a stamp per slot). Only those: a list per
 * question, rule, section or rung would make loading quadratic in a chain
 * of derived values that many of them read (6,000 questions whose
 * enable_when each reads the next link of a chain: 1.0 s and 299 MB);
 * a question keeps its latest question instead (build_enable). */
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
        if (!(c >= d->base[IK_OWN_RED_FLAG] && c < d->base[IK_OWN_RED_FLAG + 1]))
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

/* The red flags with stop by the questions they read (directly or
 * through derived values: their asks), each list ascending, then all of
 * them: where an interview may stop (ik_deps_stops_after). */
static bool build_stops(ik_deps *d, const ik_rulebook *rb)
{
    uint32_t f, k, q, n = 0, nstop = 0;

    d->soff = ik_calloc((size_t)d->nq + 2, sizeof *d->soff);
    if (!d->soff)
        return false;
    for (f = 0; f < rb->nred_flags; f++) {
        ik_span a = ik_deps_asks(d, IK_OWN_RED_FLAG, f);
        if (!rb->red_flags[f].stop)
            continue;
        nstop++;
        for (k = 0; k < a.n; k++)
            d->soff[a.items[k] + 1]++;
    }
    for (q = 0; q < d->nq; q++)
        d->soff[q + 1] += d->soff[q];
    d->soff[d->nq + 1] = d->soff[d->nq] + nstop;
    d->stops = ik_malloc(((size_t)d->soff[d->nq + 1] + 1) * sizeof *d->stops);
    if (!d->stops)
        return false;
    for (f = 0; f < rb->nred_flags; f++) { /* ascending per question */
        ik_span a = ik_deps_asks(d, IK_OWN_RED_FLAG, f);
        if (!rb->red_flags[f].stop)
            continue;
        for (k = 0; k < a.n; k++)
            d->stops[d->soff[a.items[k]]++] = f;
        d->stops[d->soff[d->nq] + n++] = f;
    }
    for (q = d->nq; q > 0; q--) /* back to starts */
        d->soff[q] = d->soff[q - 1];
    d->soff[0] = 0;
    return true;
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

/* ---- Answer classes and live slots (the exact progress bound) ---- */

/* The comparisons of question answers with constants in the conditions
 * that steer an interview (enable_when, derived values, stop red flags),
 * and whether each answer is also read some other way. */
typedef struct cls_walk {
    const ik_deps *d;
    const ik_rulebook *rb;
    uint32_t cond;     /* the condition walked: base[owner] + index */
    uint32_t *nvar;    /* per question: plain var reads */
    uint8_t *opaque;   /* per question: read some other way */
    uint8_t *steer;    /* per derived value: an enable_when or a stop red
                          flag needs it */
    ik_logic_cmp *cmp; /* the comparisons, sorted by question later */
    size_t ncmp, capcmp;
    bool oom;
} cls_walk;

/* Room for one more item in *items (n used of *cap, each size bytes). */
static bool room(void *items, size_t n, size_t *cap, size_t size)
{
    void **p = items, *q;

    if (n < *cap)
        return true;
    q = ik_realloc(*p, (*cap ? 2 * *cap : 16) * size);
    if (!q)
        return false;
    *p = q;
    *cap = *cap ? 2 * *cap : 16;
    return true;
}

static void cls_on_cmp(const ik_logic_cmp *c, void *ctx)
{
    cls_walk *w = ctx;

    if (c->slot >= w->d->nq)
        return;
    if (!room(&w->cmp, w->ncmp, &w->capcmp, sizeof *w->cmp)) {
        w->oom = true;
        return;
    }
    w->cmp[w->ncmp++] = *c;
}

/* Every answer the condition reads counts as read some other way. */
static void cls_all_opaque(cls_walk *w)
{
    uint32_t k;

    for (k = w->d->reads.off[w->cond]; k < w->d->reads.off[w->cond + 1]; k++)
        if (w->d->reads.items[k] < w->d->nq)
            w->opaque[w->d->reads.items[k]] = 1;
}

/* Count the plain var reads; a var with a path or a default, an
 * iteration's element, missing: opaque. (Depth is bounded by the
 * compiler's IK_LOGIC_MAX_DEPTH.) */
static void cls_nodes(cls_walk *w, ik_expr e)
{
    ik_logic_node n;
    uint32_t i;

    ik_logic_node_get(w->rb->logic, e, &n);
    if (n.kind == IK_LN_VAR) {
        if (n.slot == UINT32_MAX || n.nkids)
            cls_all_opaque(w);
        else if (n.slot < w->d->nq)
            w->nvar[n.slot]++;
    } else if (n.kind == IK_LN_OP && (strcmp(n.op, "missing") == 0 ||
                                      strcmp(n.op, "missing_some") == 0)) {
        cls_all_opaque(w);
    }
    for (i = 0; i < n.nkids; i++)
        cls_nodes(w, ik_logic_node_kid(w->rb->logic, e, i));
}

static void cls_visit(const ik_condition *c, void *ctx)
{
    cls_walk *w = ctx;

    if ((c->owner == IK_OWN_RED_FLAG && !w->rb->red_flags[c->index].stop) ||
        (c->owner == IK_OWN_DERIVED && !w->steer[c->index]))
        return; /* only these change which questions come */
    w->cond = w->d->base[c->owner] + c->index;
    ik_logic_visit_cmps(w->rb->logic, c->expr, cls_on_cmp, w);
    cls_nodes(w, c->expr);
}

static int cmp_by_slot(const void *a, const void *b)
{
    const ik_logic_cmp *x = a, *y = b;

    if (x->slot != y->slot)
        return (x->slot > y->slot) - (x->slot < y->slot);
    return (x->src > y->src) - (x->src < y->src);
}

/* The representatives of one question under construction. */
typedef struct cands {
    const ik_question *q;
    ik_arena *arena;
    ik_value *v;
    size_t n, cap;
    bool unknown, oom;
} cands;

static void cand(cands *c, ik_value v)
{
    uint32_t i;

    if (v.kind != IK_NULL && ik_answer_check(c->q, v, NULL) != IK_OK)
        return;
    for (i = 0; i < c->n; i++)
        if (v.kind != IK_ARR && ik_value_strict_eq(c->v[i], v))
            return;
    if (!room(&c->v, c->n, &c->cap, sizeof *c->v)) {
        c->oom = true;
        return;
    }
    c->v[c->n++] = v;
}

static ik_value opt(const ik_question *q, uint32_t k)
{
    return ik_str(q->options[k].value, (uint32_t)strlen(q->options[k].value));
}

static bool is_eq_op(const char *op)
{
    return strcmp(op, "==") == 0 || strcmp(op, "===") == 0 ||
           strcmp(op, "!=") == 0 || strcmp(op, "!==") == 0;
}

static bool is_truth_op(const char *op)
{
    return strcmp(op, "!") == 0 || strcmp(op, "!!") == 0;
}

/* A multi answer of the options in mask (bits over the option list). */
static void cand_subset(cands *c, const uint32_t *opts, uint32_t nopts,
                        uint64_t mask)
{
    ik_value *items = ik_arena_alloc(c->arena, (nopts + 1) * sizeof *items);
    uint32_t k, n = 0;

    if (!items) {
        c->oom = true;
        return;
    }
    for (k = 0; k < nopts; k++)
        if (mask & ((uint64_t)1 << k))
            items[n++] = opt(c->q, opts[k]);
    cand(c, (ik_value){IK_ARR, n, {.items = items}});
}

#define CLS_MULTI_ALL 6  /* options: every subset of an opaque multi */
#define CLS_TESTED_MAX 8 /* options a multi's conditions may test */
#define CLS_RANGE_ALL 31 /* whole numbers: each of an opaque range */

static void multi_classes(cands *c, const ik_logic_cmp *cm, uint32_t ncm,
                          bool opaque)
{
    const ik_question *q = c->q;
    uint32_t opts[CLS_TESTED_MAX + 2], n = 0, k, i, untested = IK_NONE;
    uint64_t m;

    for (i = 0; !opaque && i < ncm; i++)
        opaque = !is_truth_op(cm[i].op) &&
                 !(strcmp(cm[i].op, "in") == 0 && !cm[i].var_left &&
                   cm[i].cst.kind == IK_STR);
    if (opaque) { /* every subset, when there are few */
        if (q->noptions > CLS_MULTI_ALL) {
            c->unknown = true;
            return;
        }
        for (k = 0; k < q->noptions; k++)
            opts[k] = k;
        for (m = 0; m < ((uint64_t)1 << q->noptions); m++)
            cand_subset(c, opts, q->noptions, m);
        return;
    }
    /* the tested options, each in or out, and one untested option in
     * or out (a truth test tells an empty answer from another) */
    for (k = 0; k < q->noptions; k++) {
        ik_value o = opt(q, k);
        for (i = 0; i < ncm; i++)
            if (cm[i].cst.kind == IK_STR && ik_value_strict_eq(cm[i].cst, o))
                break;
        if (i == ncm) {
            if (untested == IK_NONE)
                untested = k;
            continue;
        }
        if (n == CLS_TESTED_MAX) {
            c->unknown = true;
            return;
        }
        opts[n++] = k;
    }
    if (untested != IK_NONE)
        opts[n++] = untested;
    for (m = 0; m < ((uint64_t)1 << n); m++)
        cand_subset(c, opts, n, m);
}

/* Whether the comparisons tell the answers of a yes_no or choice
 * question apart only by which constants each equals (strictly: loose
 * equality with a string or null is strict for these answers; with a
 * boolean too for a yes_no answer, never "1") and by truth. */
static bool finite_simple(const ik_question *q, const ik_logic_cmp *cm,
                          uint32_t ncm)
{
    uint32_t i, j;

    for (i = 0; i < ncm; i++) {
        ik_value v = cm[i].cst;
        bool strict = strcmp(cm[i].op, "===") == 0 ||
                      strcmp(cm[i].op, "!==") == 0;
        const ik_value *it = &v;
        uint32_t n = 1;
        if (is_truth_op(cm[i].op))
            continue;
        if (strcmp(cm[i].op, "in") == 0 && cm[i].var_left &&
            v.kind == IK_ARR) {
            it = v.u.items;
            n = v.len;
            strict = true;
        } else if (!is_eq_op(cm[i].op)) {
            return false;
        }
        for (j = 0; j < n; j++)
            if (it[j].kind != IK_STR && it[j].kind != IK_NULL &&
                !(it[j].kind == IK_BOOL &&
                  (strict || q->type == IK_Q_YES_NO)))
                return false;
    }
    return true;
}

/* Keep one answer of each class: answers that equal the same constants
 * and have the same truth. */
static void finite_merge(cands *c, const ik_logic_cmp *cm, uint32_t ncm)
{
    uint32_t a, b, i, j, n = 0;

    for (a = 0; a < c->n; a++) {
        for (b = 0; b < n; b++) {
            for (i = 0; i < ncm; i++) {
                ik_value v = cm[i].cst;
                if (is_truth_op(cm[i].op)) {
                    if (ik_value_truthy(c->v[a]) != ik_value_truthy(c->v[b]))
                        break;
                } else if (v.kind == IK_ARR) {
                    for (j = 0; j < v.len; j++)
                        if (ik_value_strict_eq(v.u.items[j], c->v[a]) !=
                            ik_value_strict_eq(v.u.items[j], c->v[b]))
                            break;
                    if (j < v.len)
                        break;
                } else if (ik_value_strict_eq(v, c->v[a]) !=
                           ik_value_strict_eq(v, c->v[b])) {
                    break;
                }
            }
            if (i == ncm)
                break; /* the same class as c->v[b] */
        }
        if (b == n)
            c->v[n++] = c->v[a];
    }
    c->n = n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static void num_point(double *p, uint32_t *n, double x)
{
    if (isfinite(x))
        p[(*n)++] = x;
}

/* Numbers: every comparison with a constant (and a truth test) is
 * decided by where the answer lies among the constants (as numbers): one
 * answer at each constant and one between each two, within the range. */
static void number_classes(cands *c, const ik_logic_cmp *cm, uint32_t ncm,
                           bool opaque)
{
    const ik_question *q = c->q;
    uint32_t i, j, n = 0, cap = 3;
    double *p, x;

    if (opaque) {
        if (!q->integer || !isfinite(q->min) || !isfinite(q->max) ||
            q->max - q->min > CLS_RANGE_ALL) {
            c->unknown = true;
            return;
        }
        for (x = ceil(q->min); x <= q->max; x++)
            cand(c, ik_num(x));
        /* -0 is an answer too, and arithmetic tells it from 0 (1 / x);
         * cand's strict equality would merge the two */
        if (q->min <= 0 && q->max >= 0 && !c->oom &&
            ik_answer_check(q, ik_num(-0.0), NULL) == IK_OK) {
            if (!room(&c->v, c->n, &c->cap, sizeof *c->v))
                c->oom = true;
            else
                c->v[c->n++] = ik_num(-0.0);
        }
        return;
    }
    for (i = 0; i < ncm; i++)
        cap += cm[i].cst.kind == IK_ARR ? cm[i].cst.len : 1;
    p = ik_malloc(cap * sizeof *p);
    if (!p) {
        c->oom = true;
        return;
    }
    num_point(p, &n, 0); /* a truth test */
    num_point(p, &n, q->min);
    num_point(p, &n, q->max);
    for (i = 0; i < ncm; i++) {
        ik_value v = cm[i].cst;
        if (v.kind == IK_ARR)
            for (j = 0; j < v.len; j++)
                num_point(p, &n, ik_value_to_number(v.u.items[j]));
        else if (v.kind != IK_UNDEF)
            num_point(p, &n, ik_value_to_number(v));
    }
    qsort(p, n, sizeof *p, cmp_double);
    for (i = 0; i < n; i++) {
        if (i == 0)
            cand(c, ik_num(q->integer ? ceil(p[0]) - 1 : p[0] - 1));
        cand(c, ik_num(p[i]));
        if (i + 1 < n && p[i + 1] > p[i]) {
            x = q->integer ? floor(p[i]) + 1 : p[i] + (p[i + 1] - p[i]) / 2;
            if (x > p[i] && x < p[i + 1])
                cand(c, ik_num(x));
        }
        if (i + 1 == n)
            cand(c, ik_num(q->integer ? floor(p[i]) + 1 : p[i] + 1));
    }
    ik_free(p);
}

/* Texts compared for equality with strings, or tested for truth: each
 * string, the empty text and another. */
static void text_classes(cands *c, const ik_logic_cmp *cm, uint32_t ncm,
                         bool opaque)
{
    static const char *const other[] = {"x", "y", "z"};
    uint32_t i, j, n0;

    for (i = 0; !opaque && i < ncm; i++) {
        ik_value v = cm[i].cst;
        if (is_truth_op(cm[i].op) ||
            (is_eq_op(cm[i].op) && (v.kind == IK_STR || v.kind == IK_NULL)))
            continue;
        if (strcmp(cm[i].op, "in") == 0 && cm[i].var_left && v.kind == IK_ARR) {
            for (j = 0; j < v.len && v.u.items[j].kind == IK_STR; j++)
                ;
            if (j == v.len)
                continue;
        }
        opaque = true;
    }
    if (opaque) {
        c->unknown = true;
        return;
    }
    for (i = 0; i < ncm; i++) {
        ik_value v = cm[i].cst;
        if (v.kind == IK_STR)
            cand(c, v);
        for (j = 0; v.kind == IK_ARR && j < v.len; j++)
            cand(c, v.u.items[j]);
    }
    cand(c, ik_str("", 0));
    for (i = 0; i < 3; i++) { /* one text equal to no constant */
        n0 = c->n;
        cand(c, ik_str(other[i], 1));
        if (c->n > n0)
            break;
    }
}

/* The classes of question q's answers into c (c->unknown: not known). */
static void question_classes(cands *c, const ik_logic_cmp *cm, uint32_t ncm,
                             bool opaque, uint32_t nvar)
{
    const ik_question *q = c->q;
    uint32_t k;

    if (q->type == IK_Q_INFO) {
        cand(c, ik_null());
        return;
    }
    if (!q->required)
        cand(c, ik_null()); /* skipped */
    switch (q->type) {
    case IK_Q_YES_NO:
        cand(c, ik_bool(true));
        cand(c, ik_bool(false));
        cand(c, ik_str("unknown", 7));
        if (!opaque && finite_simple(q, cm, ncm))
            finite_merge(c, cm, ncm);
        break;
    case IK_Q_CHOICE:
        for (k = 0; k < q->noptions; k++)
            cand(c, opt(q, k));
        if (!opaque && finite_simple(q, cm, ncm))
            finite_merge(c, cm, ncm);
        break;
    case IK_Q_MULTI:
        multi_classes(c, cm, ncm, opaque);
        break;
    case IK_Q_NUMBER:
        number_classes(c, cm, ncm, opaque);
        break;
    case IK_Q_TEXT:
        text_classes(c, cm, ncm, opaque);
        break;
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    if (nvar == 0 && !opaque && c->n > 1) {
        c->unknown = false; /* nothing that steers reads it: one will do */
        c->n = 1;
    }
}

static bool options_ok(const ik_question *q)
{
    uint32_t k;

    if (!q->id)
        return false;
    for (k = 0; k < q->noptions; k++)
        if (!q->options[k].value)
            return false;
    return true;
}

static bool build_classes(ik_deps *d, const ik_rulebook *rb)
{
    cls_walk w;
    cands c;
    uint32_t q, k;
    size_t total = 0, i;
    bool ok;

    memset(&w, 0, sizeof w);
    memset(&c, 0, sizeof c);
    w.d = d;
    w.rb = rb;
    w.nvar = ik_calloc((size_t)d->nq + 1, sizeof *w.nvar);
    w.opaque = ik_calloc((size_t)d->nq + 1, 1);
    w.steer = ik_calloc((size_t)d->nd + 1, 1);
    d->coff = ik_calloc((size_t)d->nq + 1, sizeof *d->coff);
    ok = w.nvar && w.opaque && w.steer && d->coff && rb->logic;
    for (q = 0; ok && q < rb->nred_flags; q++) {
        ik_span n = rb->red_flags[q].stop ? ik_deps_needs(d, IK_OWN_RED_FLAG, q)
                                          : (ik_span){NULL, 0};
        for (k = 0; k < n.n; k++)
            w.steer[n.items[k]] = 1;
    }
    /* and what enable_when reads, directly or through others: from the
     * last derived value down (each reads only earlier ones) */
    for (q = 0; ok && q < d->nq; q++) {
        ik_span r = ik_deps_reads(d, IK_OWN_QUESTION, q);
        for (k = 0; k < r.n; k++)
            if (d->dof[r.items[k]] != IK_NONE)
                w.steer[d->dof[r.items[k]]] = 1;
    }
    for (q = d->nd; ok && q-- > 0;) {
        ik_span r = ik_deps_reads(d, IK_OWN_DERIVED, q);
        for (k = 0; w.steer[q] && k < r.n; k++)
            if (d->dof[r.items[k]] != IK_NONE)
                w.steer[d->dof[r.items[k]]] = 1;
    }
    if (ok) {
        ik_rulebook_each_condition(rb,
                                   (1u << IK_OWN_QUESTION) |
                                       (1u << IK_OWN_DERIVED) |
                                       (1u << IK_OWN_RED_FLAG),
                                   cls_visit, &w);
        ok = !w.oom;
    }
    if (ok && w.ncmp > 1)
        qsort(w.cmp, w.ncmp, sizeof *w.cmp, cmp_by_slot);
    c.arena = &d->arena;
    for (q = 0, i = 0; ok && q < d->nq; q++) {
        size_t from = i;
        uint32_t ncmp;
        while (i < w.ncmp && w.cmp[i].slot == q)
            i++;
        ncmp = (uint32_t)(i - from);
        d->coff[q] = (uint32_t)total;
        c.n = 0;
        c.unknown = false;
        c.q = &rb->questions[q];
        if (!options_ok(c.q))
            continue;
        question_classes(&c, ncmp ? w.cmp + from : NULL, ncmp,
                         w.opaque[q] || w.nvar[q] > ncmp, w.nvar[q]);
        ok = !c.oom;
        if (!ok || c.unknown || c.n == 0)
            continue;
        {
            ik_value *p = ik_realloc(d->reps, (total + c.n + 1) * sizeof *p);
            ok = p != NULL;
            if (!ok)
                break;
            d->reps = p;
        }
        for (k = 0; k < c.n; k++)
            d->reps[total++] = c.v[k];
    }
    if (ok)
        d->coff[d->nq] = (uint32_t)total;
    ik_free(c.v);
    ik_free(w.cmp);
    ik_free(w.nvar);
    ik_free(w.opaque);
    ik_free(w.steer);
    return ok;
}

/* Slot s is part of the state that decides the rest of an interview at
 * question c when it is settled (its question is before c, or the latest
 * question behind its derived value is) and something still unsettled
 * reads it: the enable_when of a question c or later, a derived value or
 * a stop red flag whose latest question is c or later. */
static bool build_live(ik_deps *d, const ik_rulebook *rb)
{
    uint32_t s, i, k, *cnt;

    d->live_from = ik_malloc(((size_t)d->nslots + 1) * sizeof *d->live_from);
    d->live_to = ik_calloc((size_t)d->nslots + 1, sizeof *d->live_to);
    if (!d->live_from || !d->live_to)
        return false;
    for (s = 0; s < d->nslots; s++) {
        uint32_t v = d->dof[s];
        d->live_from[s] = d->qof[s] != IK_NONE ? d->qof[s] + 1
                          : v != IK_NONE && d->latest[v] != IK_NONE
                              ? d->latest[v] + 1
                              : IK_NONE;
    }
    for (i = 0; i < d->nq; i++) {
        ik_span r = ik_deps_reads(d, IK_OWN_QUESTION, i);
        for (k = 0; k < r.n; k++)
            if (d->live_to[r.items[k]] < i)
                d->live_to[r.items[k]] = i;
    }
    for (i = 0; i < d->nd; i++) {
        ik_span r = ik_deps_reads(d, IK_OWN_DERIVED, i);
        for (k = 0; d->latest[i] != IK_NONE && k < r.n; k++)
            if (d->live_to[r.items[k]] < d->latest[i])
                d->live_to[r.items[k]] = d->latest[i];
    }
    for (i = 0; i < rb->nred_flags; i++) {
        ik_span r = ik_deps_reads(d, IK_OWN_RED_FLAG, i);
        ik_span a = ik_deps_asks(d, IK_OWN_RED_FLAG, i);
        uint32_t last = a.n ? a.items[a.n - 1] : IK_NONE;
        for (k = 0; rb->red_flags[i].stop && last != IK_NONE && k < r.n; k++)
            if (d->live_to[r.items[k]] < last)
                d->live_to[r.items[k]] = last;
    }
    /* by live_to, latest first: a counting sort */
    d->by_end = ik_malloc(((size_t)d->nslots + 1) * sizeof *d->by_end);
    cnt = ik_calloc((size_t)d->nq + 2, sizeof *cnt);
    if (!d->by_end || !cnt) {
        ik_free(cnt);
        return false;
    }
    for (s = 0; s < d->nslots; s++)
        if (d->live_from[s] <= d->live_to[s])
            cnt[d->nq - d->live_to[s] + 1]++;
    for (i = 0; i <= d->nq; i++)
        cnt[i + 1] += cnt[i];
    for (s = 0; s < d->nslots; s++)
        if (d->live_from[s] <= d->live_to[s])
            d->by_end[cnt[d->nq - d->live_to[s]]++] = s;
    d->nby_end = cnt[d->nq];
    ik_free(cnt);
    return true;
}

/* Per question: the latest question behind its enable_when (directly
 * or through derived values: linear, from each derived value's latest)
 * and whether it reads a derived value; the questions by it (a counting
 * sort); the derived values by their latest question, stable (a derived
 * value's dependencies come before it: they have no later one). */
static bool build_enable(ik_deps *d)
{
    uint32_t i, k, *cnt;

    d->qlatest = ik_malloc(((size_t)d->nq + 1) * sizeof *d->qlatest);
    d->qvia = ik_calloc((size_t)d->nq + 1, 1);
    d->qfirst = ik_calloc((size_t)d->nq + 2, sizeof *d->qfirst);
    d->by_qlatest = ik_malloc(((size_t)d->nq + 1) * sizeof *d->by_qlatest);
    d->dorder = ik_malloc(((size_t)d->nd + 1) * sizeof *d->dorder);
    d->dbefore = ik_malloc(((size_t)d->nq + 1) * sizeof *d->dbefore);
    cnt = ik_calloc((size_t)d->nq + 2, sizeof *cnt);
    if (!d->qlatest || !d->qvia || !d->qfirst || !d->by_qlatest ||
        !d->dorder || !d->dbefore || !cnt) {
        ik_free(cnt);
        return false;
    }
    for (i = 0; i < d->nq; i++) {
        ik_span r = ik_deps_reads(d, IK_OWN_QUESTION, i);
        uint32_t best = IK_NONE;
        for (k = 0; k < r.n; k++) {
            uint32_t s = r.items[k], q = d->qof[s];
            if (q == IK_NONE && d->dof[s] != IK_NONE) {
                q = d->latest[d->dof[s]];
                d->qvia[i] = 1;
            }
            if (q != IK_NONE && (best == IK_NONE || q > best))
                best = q;
        }
        d->qlatest[i] = best;
        if (best != IK_NONE && best < d->nq)
            d->qfirst[best + 2]++;
    }
    for (i = 0; i < d->nq; i++)
        d->qfirst[i + 2] += d->qfirst[i + 1];
    for (i = 0; i < d->nq; i++)
        if (d->qlatest[i] != IK_NONE && d->qlatest[i] < d->nq)
            d->by_qlatest[d->qfirst[d->qlatest[i] + 1]++] = i;
    /* derived values: none first (key 0), then by latest + 1 */
    for (i = 0; i < d->nd; i++)
        cnt[d->latest[i] == IK_NONE ? 1 : d->latest[i] + 2]++;
    for (i = 0; i <= d->nq; i++)
        cnt[i + 1] += cnt[i];
    for (i = 0; i <= d->nq; i++) /* where the key i + 1 (latest i) starts */
        d->dbefore[i] = cnt[i + 1];
    for (i = 0; i < d->nd; i++)
        d->dorder[cnt[d->latest[i] == IK_NONE ? 0 : d->latest[i] + 1]++] = i;
    ik_free(cnt);
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
    ik_arena_init(&d->arena);
    d->qof = ik_malloc(((size_t)d->nslots + 1) * sizeof *d->qof);
    d->dof = ik_malloc(((size_t)d->nslots + 1) * sizeof *d->dof);
    ok = d->qof && d->dof;
    if (ok)
        slot_maps(rb, d->nslots, d->qof, d->dof);
    ok = ok && build_reads(d, rb) && build_latest(d, rb) &&
         build_closures(d) && build_stops(d, rb) && build_enable(d);
    for (o = 0; ok && o < IK_OWN__COUNT; o++)
        ok = build_readers(d, &d->readers[o], (ik_owner)o);
    ok = ok && build_classes(d, rb) && build_live(d, rb);
    if (!ok) {
        ik_deps_free(d);
        return IK_ENOMEM;
    }
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
    ik_free(d->reps);
    ik_free(d->coff);
    ik_free(d->live_from);
    ik_free(d->live_to);
    ik_free(d->by_end);
    ik_free(d->qlatest);
    ik_free(d->qvia);
    ik_free(d->qfirst);
    ik_free(d->by_qlatest);
    ik_free(d->dorder);
    ik_free(d->dbefore);
    ik_free(d->stops);
    ik_free(d->soff);
    ik_arena_fini(&d->arena);
    ik_free(d->qof);
    ik_free(d->dof);
    ik_free(d);
}

/* ---- Reading ---- */

uint32_t ik_deps_enable_latest(const ik_deps *d, uint32_t q)
{
    return q < d->nq ? d->qlatest[q] : IK_NONE;
}

bool ik_deps_enable_via_derived(const ik_deps *d, uint32_t q)
{
    return q < d->nq && d->qvia[q];
}

ik_span ik_deps_by_enable_latest(const ik_deps *d, uint32_t p)
{
    ik_span sp = {NULL, 0};

    if (p < d->nq) {
        sp.items = d->by_qlatest + d->qfirst[p];
        sp.n = d->qfirst[p + 1] - d->qfirst[p];
    }
    return sp;
}

ik_span ik_deps_derived_by_latest(const ik_deps *d)
{
    ik_span sp;

    sp.items = d->dorder;
    sp.n = d->nd;
    return sp;
}

uint32_t ik_deps_derived_before(const ik_deps *d, uint32_t q)
{
    return d->dbefore[q < d->nq ? q : d->nq];
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

ik_span ik_deps_stops_after(const ik_deps *d, uint32_t q)
{
    ik_span sp;

    if (q >= d->nq)
        q = d->nq; /* IK_NONE: every one */
    sp.items = d->stops + d->soff[q];
    sp.n = d->soff[q + 1] - d->soff[q];
    return sp;
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

ik_vspan ik_deps_classes(const ik_deps *d, uint32_t q)
{
    ik_vspan none = {NULL, 0};

    if (q >= d->nq || !d->coff)
        return none;
    none.items = d->reps + d->coff[q];
    none.n = d->coff[q + 1] - d->coff[q];
    return none;
}

bool ik_deps_live(const ik_deps *d, uint32_t s, uint32_t c)
{
    return s < d->nslots && d->live_from[s] <= c && c <= d->live_to[s];
}

ik_span ik_deps_live_by_end(const ik_deps *d)
{
    ik_span sp;

    sp.items = d->by_end;
    sp.n = d->nby_end;
    return sp;
}

uint32_t ik_deps_live_end(const ik_deps *d, uint32_t s)
{
    return s < d->nslots ? d->live_to[s] : 0;
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
