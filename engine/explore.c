/*
 * explore.c -- walk a pack's answer paths, check invariants, count
 * outcomes. Paths follow the interview's own rule (ik_outcome_compute
 * says which questions are enabled; the next is the first enabled one not
 * answered), so a counter-example replays exactly with `run --answers`.
 * No I/O; memory is the report's arena plus per-path scratch.
 */
#include "explore.h"

#include "alloc.h"
#include "answer.h"
#include "answers_json.h"
#include "deps.h"
#include "error.h"
#include "json.h"
#include "logic.h"
#include "outcome.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Answer domains ---- */

typedef struct domain {
    ik_value *v; /* candidate answers, each accepted by ik_answer_check */
    uint32_t n;
    bool random_multi; /* sampling also draws random subsets */
} domain;

typedef struct cmp_const {
    uint32_t slot;
    ik_value cst;
} cmp_const;

typedef struct expect {
    bool *disp_ok; /* per disposition; NULL: any */
    bool has_ladder;
    uint32_t rung;                  /* IK_NONE: no rung expected */
    const uint32_t *shown, *hidden; /* the rulebook's */
    uint32_t nshown, nhidden;
} expect;

typedef struct walk {
    const ik_rulebook *rb;
    const ik_explore_opts *opts;
    ik_explore_report *rep;
    ik_arena *ar; /* rep->arena: domains, expectations, failures */
    domain *dom;
    expect *exp;
    cmp_const *consts;
    size_t nconsts, capconsts;
    ik_value *answers; /* the path so far, by question */
    ik_outcome o;
    ik_arena scratch; /* invariant evaluation; reset per leaf */
    ik_arena path;    /* random subsets; reset per sampled path */
    uint64_t *stamp;  /* per section: leaf number that showed it */
    uint64_t rng;
    bool oom;
} walk;

static void add_const(const ik_logic_cmp *cmp, void *ctx)
{
    walk *w = ctx;

    if (cmp->slot >= w->rb->nquestions ||
        (!cmp->var_left && strcmp(cmp->op, "in") == 0))
        return; /* a constant in an answer is not an answer itself */
    if (w->nconsts == w->capconsts) {
        size_t cap = w->capconsts ? w->capconsts * 2 : 64;
        cmp_const *p = ik_realloc(w->consts, cap * sizeof *p);

        if (!p) {
            w->oom = true;
            return;
        }
        w->consts = p;
        w->capconsts = cap;
    }
    w->consts[w->nconsts].slot = cmp->slot;
    w->consts[w->nconsts].cst = cmp->cst;
    w->nconsts++;
}

static void visit(const ik_condition *c, void *ctx)
{
    walk *w = ctx;

    ik_logic_visit_cmps(w->rb->logic, c->expr, add_const, w);
}

static int by_slot(const void *a, const void *b)
{
    const cmp_const *x = a, *y = b;

    return (x->slot > y->slot) - (x->slot < y->slot);
}

/* Every constant any condition of the pack compares an answer with. */
static void collect_consts(walk *w)
{
    ik_rulebook_each_condition(w->rb, 0, visit, w);
    if (w->nconsts > 1)
        qsort(w->consts, w->nconsts, sizeof *w->consts, by_slot);
}

/* Candidate list under construction (bounded: a question's candidates). */
typedef struct cands {
    ik_value v[96];
    uint32_t n;
} cands;

static void cand(cands *c, const ik_question *q, ik_value v)
{
    uint32_t i;

    if (c->n == sizeof c->v / sizeof c->v[0] ||
        ik_answer_check(q, v, NULL) != IK_OK)
        return;
    for (i = 0; i < c->n; i++)
        if (ik_value_strict_eq(c->v[i], v))
            return;
    c->v[c->n++] = v;
}

static void cand_num(cands *c, const ik_question *q, double d)
{
    if (!isfinite(d))
        return;
    if (q->integer) {
        cand(c, q, ik_num(floor(d)));
        cand(c, q, ik_num(ceil(d)));
    } else {
        cand(c, q, ik_num(d));
    }
}

/* An array value of the options whose bits are set in mask, in option
 * order. */
static bool subset(ik_arena *a, const ik_question *q, uint64_t mask,
                   ik_value *out)
{
    uint32_t k, n = 0;
    ik_value *items = ik_arena_alloc(a, (q->noptions + 1) * sizeof *items);

    if (!items)
        return false;
    for (k = 0; k < q->noptions && k < 64; k++)
        if (mask & ((uint64_t)1 << k))
            items[n++] = ik_str(q->options[k].value,
                                (uint32_t)strlen(q->options[k].value));
    *out = (ik_value){IK_ARR, n, {.items = items}};
    return true;
}

static void consts_for(walk *w, const ik_question *q, uint32_t slot, cands *c)
{
    size_t lo = 0, hi = w->nconsts, i;

    while (lo < hi) { /* first constant of this slot */
        size_t mid = (lo + hi) / 2;

        if (w->consts[mid].slot < slot)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (i = lo; i < w->nconsts && w->consts[i].slot == slot; i++) {
        ik_value k = w->consts[i].cst;
        uint32_t j;

        if (k.kind == IK_ARR) {
            for (j = 0; j < k.len; j++)
                if (q->type == IK_Q_NUMBER && k.u.items[j].kind == IK_NUM)
                    cand_num(c, q, k.u.items[j].u.num);
                else
                    cand(c, q, k.u.items[j]);
        } else if (q->type == IK_Q_NUMBER && k.kind == IK_NUM) {
            cand_num(c, q, k.u.num - 1);
            cand_num(c, q, k.u.num);
            cand_num(c, q, k.u.num + 1);
        } else if (k.kind == IK_STR || k.kind == IK_BOOL) {
            cand(c, q, k);
        }
    }
}

static bool build_domain(walk *w, uint32_t qi)
{
    const ik_question *q = &w->rb->questions[qi];
    domain *d = &w->dom[qi];
    cands c;
    uint32_t k;

    c.n = 0;
    switch (q->type) {
    case IK_Q_YES_NO:
        cand(&c, q, ik_bool(true));
        cand(&c, q, ik_bool(false));
        cand(&c, q, ik_str("unknown", 7));
        break;
    case IK_Q_CHOICE:
        for (k = 0; k < q->noptions; k++)
            cand(&c, q,
                 ik_str(q->options[k].value,
                        (uint32_t)strlen(q->options[k].value)));
        break;
    case IK_Q_MULTI: {
        uint64_t m, all = q->noptions >= 64 ? UINT64_MAX
                                            : ((uint64_t)1 << q->noptions) - 1;
        ik_value v;

        if (q->noptions <= IK_EXPLORE_MULTI_ALL) {
            for (m = 0; m <= all; m++)
                if (subset(w->ar, q, m, &v))
                    cand(&c, q, v);
        } else {
            if (subset(w->ar, q, 0, &v))
                cand(&c, q, v);
            for (k = 0; k < q->noptions && k < 64; k++)
                if (subset(w->ar, q, (uint64_t)1 << k, &v))
                    cand(&c, q, v);
            if (subset(w->ar, q, all, &v))
                cand(&c, q, v);
            d->random_multi = true;
        }
        break;
    }
    case IK_Q_NUMBER:
        cand_num(&c, q, q->min);
        cand_num(&c, q, q->max);
        consts_for(w, q, q->slot, &c);
        if (c.n == 0)
            cand_num(&c, q, isfinite(q->min) ? q->min : 0);
        break;
    case IK_Q_TEXT:
        cand(&c, q, ik_str("some text", 9));
        consts_for(w, q, q->slot, &c);
        break;
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    if (q->type == IK_Q_CHOICE || q->type == IK_Q_YES_NO)
        consts_for(w, q, q->slot, &c); /* already options; dedup keeps 1 */
    if (!q->required || q->type == IK_Q_INFO || c.n == 0) {
        if (c.n == sizeof c.v / sizeof c.v[0])
            c.n--;
        c.v[c.n++] = ik_null(); /* skipped, or an info acknowledged */
    }
    d->n = c.n;
    d->v = ik_arena_alloc(w->ar, c.n * sizeof *d->v);
    if (!d->v)
        return false;
    memcpy(d->v, c.v, c.n * sizeof *d->v);
    return true;
}

/* ---- Expectations ---- */

/* The invariant's expectations as the rulebook holds them (ids resolved
 * at load), with the dispositions as a set. */
static ik_status take_expect(walk *w, uint32_t i, ik_error *err)
{
    const ik_invariant *inv = &w->rb->invariants[i];
    expect *e = &w->exp[i];
    uint32_t k;

    e->has_ladder = inv->expect_ladder;
    e->rung = inv->expect_rung;
    e->shown = inv->expect_sections;
    e->nshown = inv->nexpect_sections;
    e->hidden = inv->expect_not_sections;
    e->nhidden = inv->nexpect_not_sections;
    e->disp_ok = NULL;
    if (!inv->nexpect_dispositions)
        return IK_OK;
    e->disp_ok = ik_arena_alloc(w->ar, w->rb->ndispositions + 1);
    if (!e->disp_ok)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    memset(e->disp_ok, 0, w->rb->ndispositions + 1);
    for (k = 0; k < inv->nexpect_dispositions; k++)
        e->disp_ok[inv->expect_dispositions[k]] = true;
    return IK_OK;
}

/* ---- Leaves ---- */

static const char *rung_name(const ik_rulebook *rb, uint32_t r)
{
    return r < rb->nladder ? rb->ladder[r].id : "none";
}

/* NULL when o meets e; else why not, in the report's arena. */
static const char *broken(walk *w, const expect *e, uint64_t leaf)
{
    const ik_rulebook *rb = w->rb;
    char msg[256];
    uint32_t k;

    msg[0] = '\0';
    if (e->disp_ok && !e->disp_ok[w->o.disposition]) {
        int n = snprintf(msg, sizeof msg, "disposition is %s, expected",
                         rb->dispositions[w->o.disposition].id);

        for (k = 0; k < rb->ndispositions && n > 0 && (size_t)n < sizeof msg;
             k++)
            if (e->disp_ok[k])
                n += snprintf(msg + n, sizeof msg - (size_t)n, " %s",
                              rb->dispositions[k].id);
    } else if (e->has_ladder && w->o.rung != e->rung) {
        snprintf(msg, sizeof msg, "ladder is %s, expected %s",
                 rung_name(rb, w->o.rung), rung_name(rb, e->rung));
    } else {
        for (k = 0; k < e->nshown && !msg[0]; k++)
            if (w->stamp[e->shown[k]] != leaf)
                snprintf(msg, sizeof msg, "section %s is not shown",
                         rb->sections[e->shown[k]].id);
        for (k = 0; k < e->nhidden && !msg[0]; k++)
            if (w->stamp[e->hidden[k]] == leaf)
                snprintf(msg, sizeof msg, "section %s is shown",
                         rb->sections[e->hidden[k]].id);
    }
    return msg[0] ? ik_arena_strndup(w->ar, msg, strlen(msg)) : NULL;
}

static ik_status record_failure(walk *w, uint32_t i, const char *why)
{
    ik_explore_report *rep = w->rep;
    uint32_t max = w->opts->max_examples ? w->opts->max_examples
                                         : IK_EXPLORE_DEFAULT_EXAMPLES;
    ik_explore_failure *f;
    ik_buf b;

    rep->inv_failed[i]++;
    if (rep->inv_failed[i] > max)
        return IK_OK;
    f = &rep->failures[rep->nfailures++];
    ik_buf_init(&b);
    ik_answers_json_write(w->rb, w->answers, &b);
    f->invariant = i;
    f->why = why;
    f->answers = ik_buf_status(&b) == IK_OK
                     ? ik_arena_strndup(w->ar, ik_buf_cstr(&b), b.len)
                     : NULL;
    ik_buf_fini(&b);
    return f->answers ? IK_OK : IK_ENOMEM;
}

static ik_status leaf(walk *w, ik_error *err)
{
    const ik_rulebook *rb = w->rb;
    ik_explore_report *rep = w->rep;
    uint64_t n = ++rep->paths;
    uint32_t i;

    if (w->o.stop_flag != IK_NONE)
        rep->stopped++;
    if (w->o.disposition < rb->ndispositions)
        rep->by_disposition[w->o.disposition]++;
    rep->by_rung[w->o.rung < rb->nladder ? w->o.rung : rb->nladder]++;
    for (i = 0; i < w->o.sections.n; i++) {
        rep->by_section[w->o.sections.items[i]]++;
        w->stamp[w->o.sections.items[i]] = n;
    }
    for (i = 0; i < rb->ninvariants; i++) {
        ik_env env = {ik_undef(),  w->o.slots, w->o.nslots,
                      &w->scratch, 0,          NULL};
        ik_value v;
        const char *why;
        ik_status st;

        ik_arena_reset(&w->scratch);
        if (rb->invariants[i].when != IK_NO_EXPR) { /* absent: every path */
            st =
                ik_logic_eval(rb->logic, rb->invariants[i].when, &env, &v, err);
            if (st != IK_OK)
                return st;
            if (!ik_value_truthy(v))
                continue;
        }
        rep->inv_applied[i]++;
        why = broken(w, &w->exp[i], n);
        if (why && record_failure(w, i, why) != IK_OK)
            return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    return IK_OK;
}

/* The next question to ask after computing the outcome, or IK_NONE when
 * the path is complete. */
static uint32_t next_question(const walk *w)
{
    uint32_t i;

    if (w->o.stop_flag != IK_NONE)
        return IK_NONE;
    for (i = 0; i < w->rb->nquestions; i++)
        if (w->o.enabled[i] && w->answers[i].kind == IK_UNDEF)
            return i;
    return IK_NONE;
}

/* ---- Walking ---- */

/* Exhaustive depth-first walk, iterative (a path can be as long as the
 * pack). IK_ELIMIT when there are more than max paths. */
static ik_status walk_all(walk *w, uint64_t max, ik_error *err)
{
    const ik_rulebook *rb = w->rb;
    uint32_t *sq = ik_malloc((rb->nquestions + 1) * sizeof *sq);
    uint32_t *sc = ik_malloc((rb->nquestions + 1) * sizeof *sc);
    uint32_t depth = 0, q;
    ik_status st = IK_OK;

    if (!sq || !sc) {
        ik_free(sq);
        ik_free(sc);
        return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    for (;;) {
        st = ik_outcome_compute(rb, w->answers, &w->o, err);
        if (st != IK_OK)
            break;
        q = next_question(w);
        if (q != IK_NONE) {
            sq[depth] = q;
            sc[depth] = 0;
            w->answers[q] = w->dom[q].v[0];
            depth++;
            continue;
        }
        if (w->rep->paths >= max) {
            st = IK_ELIMIT;
            break;
        }
        if ((st = leaf(w, err)) != IK_OK)
            break;
        while (depth > 0) { /* next sibling, or back up */
            q = sq[depth - 1];
            if (++sc[depth - 1] < w->dom[q].n) {
                w->answers[q] = w->dom[q].v[sc[depth - 1]];
                break;
            }
            w->answers[q] = ik_undef();
            depth--;
        }
        if (depth == 0)
            break;
    }
    ik_free(sq);
    ik_free(sc);
    return st;
}

static uint64_t next_random(walk *w)
{
    uint64_t z = (w->rng += 0x9E3779B97F4A7C15u);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static ik_value pick(walk *w, uint32_t q)
{
    const domain *d = &w->dom[q];
    const ik_question *qq = &w->rb->questions[q];
    uint64_t r = next_random(w);
    ik_value v;

    /* a quarter of the draws on a large multi are random subsets */
    if (d->random_multi && (r & 3) == 0) {
        uint64_t mask = next_random(w);

        if (subset(&w->path, qq, mask, &v) &&
            ik_answer_check(qq, v, NULL) == IK_OK)
            return v;
    }
    return d->v[(r >> 2) % d->n];
}

/*
 * Uniform draws end most paths at the first red flags, so every other
 * sampled path goes deep: an answer that fires a stop flag is drawn again
 * (a few times) before it is kept, reaching the ladder and sections.
 */
static ik_status redraw_stops(walk *w, uint32_t q, ik_error *err)
{
    int tries;
    ik_status st;

    for (tries = 0; tries < 4; tries++) {
        st = ik_outcome_compute(w->rb, w->answers, &w->o, err);
        if (st != IK_OK || w->o.stop_flag == IK_NONE)
            return st;
        w->answers[q] = pick(w, q);
    }
    return IK_OK;
}

static ik_status walk_sample(walk *w, uint64_t npaths, ik_error *err)
{
    const ik_rulebook *rb = w->rb;
    uint64_t p;
    uint32_t i, q;
    ik_status st;

    for (p = 0; p < npaths; p++) {
        ik_arena_reset(&w->path);
        for (i = 0; i < rb->nquestions; i++)
            w->answers[i] = ik_undef();
        for (;;) {
            st = ik_outcome_compute(rb, w->answers, &w->o, err);
            if (st != IK_OK)
                return st;
            q = next_question(w);
            if (q == IK_NONE)
                break;
            w->answers[q] = pick(w, q);
            if (p % 2 == 1 && (st = redraw_stops(w, q, err)) != IK_OK)
                return st;
        }
        if ((st = leaf(w, err)) != IK_OK)
            return st;
    }
    return IK_OK;
}

/* ---- Report ---- */

static ik_status report_alloc(const ik_rulebook *rb, ik_explore_report *rep,
                              uint32_t max_examples)
{
    ik_arena *a = &rep->arena;
    size_t nf = (size_t)rb->ninvariants * max_examples + 1;

    rep->by_disposition = ik_arena_alloc(a, (rb->ndispositions + 1) * 8);
    rep->by_rung = ik_arena_alloc(a, (rb->nladder + 1) * 8);
    rep->by_section = ik_arena_alloc(a, (rb->nsections + 1) * 8);
    rep->inv_applied = ik_arena_alloc(a, (rb->ninvariants + 1) * 8);
    rep->inv_failed = ik_arena_alloc(a, (rb->ninvariants + 1) * 8);
    rep->failures = ik_arena_alloc(a, nf * sizeof *rep->failures);
    if (!rep->by_disposition || !rep->by_rung || !rep->by_section ||
        !rep->inv_applied || !rep->inv_failed || !rep->failures)
        return IK_ENOMEM;
    return IK_OK;
}

static void report_zero(const ik_rulebook *rb, ik_explore_report *rep)
{
    rep->paths = rep->stopped = 0;
    rep->nfailures = 0;
    memset(rep->by_disposition, 0, (rb->ndispositions + 1) * 8);
    memset(rep->by_rung, 0, (rb->nladder + 1) * 8);
    memset(rep->by_section, 0, (rb->nsections + 1) * 8);
    memset(rep->inv_applied, 0, (rb->ninvariants + 1) * 8);
    memset(rep->inv_failed, 0, (rb->ninvariants + 1) * 8);
}

/* Paths the questions asked whatever the answers span at least. */
static uint64_t lower_bound(const walk *w)
{
    uint64_t n = 1;
    uint32_t i;

    for (i = 0; i < w->rb->nquestions; i++) {
        if (w->rb->questions[i].enable_when != IK_NO_EXPR)
            continue;
        if (n > UINT64_MAX / (w->dom[i].n + 1))
            return UINT64_MAX;
        n *= w->dom[i].n;
    }
    return n;
}

static ik_status prepare(walk *w, ik_error *err)
{
    const ik_rulebook *rb = w->rb;
    uint32_t i, max = w->opts->max_examples ? w->opts->max_examples
                                            : IK_EXPLORE_DEFAULT_EXAMPLES;
    ik_status st;

    w->dom = ik_arena_alloc(w->ar, (rb->nquestions + 1) * sizeof *w->dom);
    w->exp = ik_arena_alloc(w->ar, (rb->ninvariants + 1) * sizeof *w->exp);
    w->answers = ik_calloc(rb->nquestions + 1, sizeof *w->answers);
    w->stamp = ik_calloc(rb->nsections + 1, sizeof *w->stamp);
    if (!w->dom || !w->exp || !w->answers || !w->stamp ||
        report_alloc(rb, w->rep, max) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    memset(w->dom, 0, (rb->nquestions + 1) * sizeof *w->dom);
    memset(w->exp, 0, (rb->ninvariants + 1) * sizeof *w->exp);
    report_zero(rb, w->rep);
    collect_consts(w);
    for (i = 0; i < rb->nquestions && !w->oom; i++)
        if (!build_domain(w, i))
            w->oom = true;
    if (w->oom)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    for (i = 0; i < rb->ninvariants; i++)
        if ((st = take_expect(w, i, err)) != IK_OK)
            return st;
    return IK_OK;
}

ik_status ik_explore_run(const ik_rulebook *rb, const ik_explore_opts *opts,
                         ik_explore_report *rep, ik_error *err)
{
    walk w;
    uint64_t max, sample;
    ik_status st;
    uint32_t i;

    memset(rep, 0, sizeof *rep);
    ik_arena_init(&rep->arena);
    memset(&w, 0, sizeof w);
    w.rb = rb;
    w.opts = opts;
    w.rep = rep;
    w.ar = &rep->arena;
    w.rng = opts->seed;
    ik_outcome_init(&w.o);
    ik_arena_init(&w.scratch);
    ik_arena_init(&w.path);
    max = opts->max_paths ? opts->max_paths : IK_EXPLORE_DEFAULT_MAX;
    sample = opts->sample ? opts->sample : IK_EXPLORE_DEFAULT_SAMPLE;
    st = prepare(&w, err);
    if (st == IK_OK) {
        rep->domain_paths_lb = lower_bound(&w);
        rep->max_paths = max;
        rep->forced_sample = opts->force_sample;
        st = IK_ELIMIT;
        /* Try the whole space unless it is surely too large. */
        if (!opts->force_sample && rep->domain_paths_lb <= max) {
            st = walk_all(&w, max, err);
            rep->exhaustive = st == IK_OK;
        }
        if (st == IK_ELIMIT) {
            report_zero(rb, rep);
            for (i = 0; i < rb->nquestions; i++)
                w.answers[i] = ik_undef();
            st = walk_sample(&w, sample, err);
        }
    }
    ik_free(w.consts);
    ik_free(w.answers);
    ik_free(w.stamp);
    ik_outcome_fini(&w.o);
    ik_arena_fini(&w.scratch);
    ik_arena_fini(&w.path);
    return st;
}

void ik_explore_report_fini(ik_explore_report *rep)
{
    ik_arena_fini(&rep->arena);
    memset(rep, 0, sizeof *rep);
}

uint32_t ik_explore_nfailed(const ik_rulebook *rb, const ik_explore_report *rep)
{
    uint32_t i, n = 0;

    for (i = 0; i < rb->ninvariants; i++)
        n += rep->inv_failed[i] > 0;
    return n;
}

static void counts(ik_buf *b, const char *title, const uint64_t *n,
                   uint32_t count,
                   const char *(*name)(const ik_rulebook *, uint32_t),
                   const ik_rulebook *rb)
{
    uint32_t i;

    ik_buf_printf(b, "%s:", title);
    for (i = 0; i < count; i++)
        ik_buf_printf(b, "%s %s %llu", i ? "," : "", name(rb, i),
                      (unsigned long long)n[i]);
    ik_buf_putc(b, '\n');
}

static const char *disp_name(const ik_rulebook *rb, uint32_t i)
{
    return rb->dispositions[i].id;
}

void ik_explore_write_text(const ik_rulebook *rb, const ik_explore_report *rep,
                           ik_buf *b)
{
    uint32_t i, k, never = 0, nfail = ik_explore_nfailed(rb, rep);

    ik_buf_printf(b, "explore %s@%s: %llu %s paths", rb->id, rb->version,
                  (unsigned long long)rep->paths,
                  rep->exhaustive ? "(all)" : "sampled");
    /* Why a sample: the space is larger than the most walked whole. */
    if (!rep->exhaustive && !rep->forced_sample)
        ik_buf_printf(b,
                      " (the pack has more than %llu paths, the most "
                      "walked whole",
                      (unsigned long long)rep->max_paths);
    if (!rep->exhaustive && !rep->forced_sample &&
        rep->domain_paths_lb > rep->max_paths)
        ik_buf_printf(b, "; at least %llu",
                      (unsigned long long)rep->domain_paths_lb);
    if (!rep->exhaustive && !rep->forced_sample)
        ik_buf_putc(b, ')');
    ik_buf_printf(b, ", %llu ended by a stop red flag\n",
                  (unsigned long long)rep->stopped);
    counts(b, "dispositions", rep->by_disposition, rb->ndispositions, disp_name,
           rb);
    counts(b, "ladder", rep->by_rung, rb->nladder + 1, rung_name, rb);
    ik_buf_puts(b, "sections never shown:");
    for (i = 0; i < rb->nsections; i++)
        if (rep->by_section[i] == 0) {
            ik_buf_printf(b, "%s %s", never ? "," : "", rb->sections[i].id);
            never++;
        }
    ik_buf_puts(b, never ? "\n" : " none\n");
    for (i = 0; i < rb->ninvariants; i++) {
        const ik_invariant *inv = &rb->invariants[i];

        if (rep->inv_failed[i]) {
            ik_buf_printf(b,
                          "FAIL %s: broken on %llu of %llu paths where it "
                          "applies\n",
                          inv->id, (unsigned long long)rep->inv_failed[i],
                          (unsigned long long)rep->inv_applied[i]);
            for (k = 0; k < rep->nfailures; k++)
                if (rep->failures[k].invariant == i)
                    ik_buf_printf(b, "  %s; counter-example:\n%s\n",
                                  rep->failures[k].why,
                                  rep->failures[k].answers);
        } else if (rep->inv_applied[i] == 0) {
            ik_buf_printf(b,
                          "ok   %s: held (but its condition never held "
                          "on these paths)\n",
                          inv->id);
        } else {
            ik_buf_printf(b, "ok   %s: held on %llu paths\n", inv->id,
                          (unsigned long long)rep->inv_applied[i]);
        }
    }
    ik_buf_printf(b, "invariants: %u passed, %u failed\n",
                  rb->ninvariants - nfail, nfail);
}

/* {"id": n, ...} of count counters named by name(). */
static void json_counts(ik_buf *b, const char *key, const uint64_t *n,
                        uint32_t count,
                        const char *(*name)(const ik_rulebook *, uint32_t),
                        const ik_rulebook *rb)
{
    uint32_t i;

    ik_buf_printf(b, ",\n \"%s\": {", key);
    for (i = 0; i < count; i++) {
        const char *id = name(rb, i);

        if (i)
            ik_buf_puts(b, ", ");
        ik_buf_put_json_string(b, id, strlen(id));
        ik_buf_printf(b, ": %llu", (unsigned long long)n[i]);
    }
    ik_buf_putc(b, '}');
}

void ik_explore_write_json(const ik_rulebook *rb, const ik_explore_report *rep,
                           ik_buf *b)
{
    uint32_t i, k, never = 0, nfail = ik_explore_nfailed(rb, rep);
    bool first;

    ik_buf_puts(b, "{\"pack\": ");
    ik_buf_put_json_string(b, rb->id, strlen(rb->id));
    ik_buf_puts(b, ", \"version\": ");
    ik_buf_put_json_string(b, rb->version, strlen(rb->version));
    ik_buf_printf(b,
                  ",\n \"exhaustive\": %s, \"sampled_on_request\": %s, "
                  "\"max_paths\": %llu, \"paths\": %llu, \"stopped\": %llu",
                  rep->exhaustive ? "true" : "false",
                  rep->forced_sample ? "true" : "false",
                  (unsigned long long)rep->max_paths,
                  (unsigned long long)rep->paths,
                  (unsigned long long)rep->stopped);
    json_counts(b, "dispositions", rep->by_disposition, rb->ndispositions,
                disp_name, rb);
    json_counts(b, "ladder", rep->by_rung, rb->nladder + 1, rung_name, rb);
    ik_buf_puts(b, ",\n \"sections_never_shown\": [");
    for (i = 0; i < rb->nsections; i++)
        if (rep->by_section[i] == 0) {
            if (never++)
                ik_buf_puts(b, ", ");
            ik_buf_put_json_string(b, rb->sections[i].id,
                                   strlen(rb->sections[i].id));
        }
    ik_buf_puts(b, "],\n \"invariants\": [");
    for (i = 0; i < rb->ninvariants; i++) {
        const ik_invariant *inv = &rb->invariants[i];

        ik_buf_puts(b, i ? ",\n  {\"id\": " : "\n  {\"id\": ");
        ik_buf_put_json_string(b, inv->id, strlen(inv->id));
        ik_buf_printf(b,
                      ", \"held\": %s, \"applied\": %llu, \"broken\": %llu, "
                      "\"counter_examples\": [",
                      rep->inv_failed[i] ? "false" : "true",
                      (unsigned long long)rep->inv_applied[i],
                      (unsigned long long)rep->inv_failed[i]);
        first = true;
        for (k = 0; k < rep->nfailures; k++) {
            const ik_explore_failure *f = &rep->failures[k];

            if (f->invariant != i)
                continue;
            ik_buf_puts(b, first ? "{\"why\": " : ", {\"why\": ");
            ik_buf_put_json_string(b, f->why, strlen(f->why));
            ik_buf_printf(b, ", \"answers\": %s}", f->answers);
            first = false;
        }
        ik_buf_puts(b, "]}");
    }
    ik_buf_printf(b, "%s],\n \"passed\": %u, \"failed\": %u}\n",
                  rb->ninvariants ? "\n " : "", rb->ninvariants - nfail, nfail);
}
