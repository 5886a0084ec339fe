/*
 * outcome.c -- the outcome of a set of answers (which questions apply,
 * derived values, red flags, disposition, ladder, sections, notes,
 * because) and its JSON form. A pure function of (rulebook, answers): no
 * I/O, no global state; memory comes from the outcome's own arenas, which
 * are reset, not freed, between computations.
 */
#include "outcome.h"

#include "alloc.h"
#include "answer.h"
#include "deps.h"
#include "error.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ik_outcome_init(ik_outcome *o)
{
    memset(o, 0, sizeof *o);
    ik_arena_init(&o->arena);
    ik_arena_init(&o->scratch);
    o->disposition = IK_NONE;
    o->rung = IK_NONE;
    o->stop_flag = IK_NONE;
}

void ik_outcome_fini(ik_outcome *o)
{
    ik_arena_fini(&o->arena);
    ik_arena_fini(&o->scratch);
    ik_outcome_init(o);
}

/* Empty o but keep its arenas' memory for reuse. */
static void outcome_clear(ik_outcome *o)
{
    ik_arena arena = o->arena, scratch = o->scratch;
    uint64_t *pool = o->pool, own_pool = o->own_pool;
    bool borrow = o->borrow_answers;

    ik_arena_reset(&arena);
    ik_arena_reset(&scratch);
    memset(o, 0, sizeof *o);
    o->arena = arena;
    o->scratch = scratch;
    o->pool = pool;
    o->own_pool = own_pool;
    o->borrow_answers = borrow;
    o->disposition = IK_NONE;
    o->rung = IK_NONE;
    o->stop_flag = IK_NONE;
}

const char *ik_outcome_slot_id(const ik_rulebook *rb, uint32_t s)
{
    if (s < rb->nquestions)
        return rb->questions[s].id;
    return ik_logic_slot_name(rb->logic, s);
}

/* ---- The per-pack plan ---- */

/* JSON text ready to copy. */
typedef struct jtext {
    const char *s;
    size_t n;
} jtext;

struct ik_outcome_plan {
    const ik_rulebook *rb;
    ik_arena arena; /* everything below */
    uint32_t nslots;
    /* each padded (plan_pad); ids and members after a ',' (skipped
     * where none goes) */
    jtext head;            /* {"rules":"id@version","complete": */
    jtext *question_key;   /* ,"id": per question */
    jtext *derived_key;    /* ,"id": per derived value */
    jtext *flag, *section; /* ,"id" */
    jtext *disposition, *rung;
    jtext *slot;                 /* ,"id" per slot */
    jtext *note[IK_AUD__COUNT];  /* per rule: ,"text"; n == 0 when none */
    jtext notice[IK_AUD__COUNT]; /* "text" */
    /* Whether the interview stops before anything is answered (the same
     * for every set of answers, found once): 1 yes, 0 no, -1 not known
     * (a condition failed: each pass makes the check, to say why). */
    int stop_at_start;
};

void ik_outcome_plan_free(ik_outcome_plan *p)
{
    if (!p)
        return;
    ik_arena_fini(&p->arena);
    ik_free(p);
}

/* s[0..n) in the plan's arena, padded: IK_BUF_PAD zero bytes after its
 * NUL (the writer copies a short text in one fixed-size copy). */
static bool plan_pad(ik_outcome_plan *p, const char *s, size_t n, jtext *out)
{
    char *d = ik_arena_alloc(&p->arena, n + 1 + IK_BUF_PAD);

    if (!d)
        return false;
    if (n)
        memcpy(d, s, n);
    memset(d + n, 0, 1 + IK_BUF_PAD);
    out->s = d;
    out->n = n;
    return true;
}

/* pre + s + post as JSON text in the plan's arena (plan_pad): s quoted
 * and escaped when quote, else copied as is. */
static bool plan_text(ik_outcome_plan *p, ik_buf *tmp, const char *pre,
                      const char *s, bool quote, const char *post, jtext *out)
{
    ik_buf_clear(tmp);
    ik_buf_puts(tmp, pre);
    if (quote)
        ik_buf_put_json_string(tmp, s, strlen(s));
    else
        ik_buf_puts(tmp, s);
    ik_buf_puts(tmp, post);
    return ik_buf_status(tmp) == IK_OK &&
           plan_pad(p, tmp->data ? tmp->data : "", tmp->len, out);
}

static void *plan_array(ik_outcome_plan *p, size_t n, size_t size)
{
    void *a = ik_arena_alloc(&p->arena, (n ? n : 1) * size);

    if (a)
        memset(a, 0, (n ? n : 1) * size);
    return a;
}

static bool plan_texts(ik_outcome_plan *p, ik_buf *t)
{
    const ik_rulebook *rb = p->rb;
    uint32_t i, a;
    bool ok;

    /* the head as ik_outcome_write_json writes it: id@version unescaped */
    ik_buf_clear(t);
    ik_buf_puts(t, "{\"rules\":\"");
    ik_buf_puts(t, rb->id ? rb->id : "");
    ik_buf_putc(t, '@');
    ik_buf_puts(t, rb->version ? rb->version : "");
    ik_buf_puts(t, "\",\"complete\":");
    if (ik_buf_status(t) != IK_OK)
        return false;
    ok = plan_pad(p, t->data, t->len, &p->head);
    p->question_key = plan_array(p, rb->nquestions, sizeof(jtext));
    p->derived_key = plan_array(p, rb->nderived, sizeof(jtext));
    p->flag = plan_array(p, rb->nred_flags, sizeof(jtext));
    p->section = plan_array(p, rb->nsections, sizeof(jtext));
    p->disposition = plan_array(p, rb->ndispositions, sizeof(jtext));
    p->rung = plan_array(p, rb->nladder, sizeof(jtext));
    p->slot = plan_array(p, p->nslots, sizeof(jtext));
    for (a = 0; a < IK_AUD__COUNT; a++)
        ok = ok && (p->note[a] = plan_array(p, rb->nrules, sizeof(jtext)));
    ok = ok && p->question_key && p->derived_key && p->flag && p->section &&
         p->disposition && p->rung && p->slot;
    for (i = 0; ok && i < rb->nquestions; i++)
        ok = plan_text(p, t, ",", rb->questions[i].id, true, ":",
                       &p->question_key[i]);
    for (i = 0; ok && i < rb->nderived; i++)
        ok = plan_text(p, t, ",", rb->derived[i].id, true, ":",
                       &p->derived_key[i]);
    for (i = 0; ok && i < rb->nred_flags; i++)
        ok = plan_text(p, t, ",", rb->red_flags[i].id, true, "", &p->flag[i]);
    for (i = 0; ok && i < rb->nsections; i++)
        ok = plan_text(p, t, ",", rb->sections[i].id, true, "",
                       &p->section[i]);
    for (i = 0; ok && i < rb->ndispositions; i++)
        ok = plan_text(p, t, ",", rb->dispositions[i].id, true, "",
                       &p->disposition[i]);
    for (i = 0; ok && i < rb->nladder; i++)
        ok = plan_text(p, t, ",", rb->ladder[i].id, true, "", &p->rung[i]);
    for (i = 0; ok && i < p->nslots; i++) {
        const char *id = ik_outcome_slot_id(rb, i);
        ok = plan_text(p, t, ",", id ? id : "", true, "", &p->slot[i]);
    }
    for (a = 0; ok && a < IK_AUD__COUNT; a++)
        ok = plan_text(p, t, "", ik_text_get(&rb->notice, (ik_audience)a), true,
                       "", &p->notice[a]);
    for (a = 0; ok && a < IK_AUD__COUNT; a++)
        for (i = 0; ok && i < rb->nrules; i++) {
            const char *n = ik_text_get(&rb->rules[i].note, (ik_audience)a);
            if (n && n[0])
                ok = plan_text(p, t, ",", n, true, "", &p->note[a][i]);
        }
    return ok;
}

static int start_stops(const ik_rulebook *rb);

ik_status ik_outcome_plan_new(const ik_rulebook *rb, ik_outcome_plan **out,
                              ik_error *err)
{
    ik_outcome_plan *p = ik_calloc(1, sizeof *p);
    ik_buf t;
    bool ok;

    *out = NULL;
    if (!p)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    ik_arena_init(&p->arena);
    ik_buf_init(&t);
    p->rb = rb;
    p->nslots = ik_deps_nslots(rb->deps);
    ok = plan_texts(p, &t) && (p->stop_at_start = start_stops(rb)) != -2;
    ik_buf_fini(&t);
    if (!ok) {
        ik_outcome_plan_free(p);
        return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    *out = p;
    return IK_OK;
}

/* ---- Evaluation ---- */

typedef struct ctx {
    const ik_rulebook *rb;
    const ik_deps *deps; /* rb's */
    ik_outcome *o;
    ik_env env;
    ik_error *err;
    bool *mark; /* per slot: already in the list being built */
} ctx;

/*
 * A condition or derived value that failed to evaluate (a spent budget, a
 * value too large) is named in the message, with its field, so the pack
 * author knows which expression to look at: `derived value "x": ...`.
 */
static ik_status name_failure(ik_error *err, ik_status st, const char *kind,
                              const char *id, const char *field)
{
    char msg[sizeof err->msg];

    if (st == IK_OK || st == IK_ENOMEM || !err)
        return st;
    ik_strlcpy(msg, err->msg, sizeof msg);
    return ik_fail(err, st, "%s \"%s\"%s%s: %s", kind, id, field ? ": " : "",
                   field ? field : "", msg);
}

static ik_status named(ctx *c, ik_status st, const char *kind, const char *id,
                       const char *field)
{
    return name_failure(c->err, st, kind, id, field);
}

/* Condition e on env (absent: true). */
static ik_status truthy_on(const ik_rulebook *rb, const ik_env *env, ik_expr e,
                           bool *out, ik_error *err)
{
    ik_value v;
    ik_status st;

    if (e == IK_NO_EXPR) {
        *out = true;
        return IK_OK;
    }
    st = ik_logic_eval(rb->logic, e, env, &v, err);
    if (st != IK_OK)
        return st;
    *out = ik_value_truthy(v);
    return IK_OK;
}

static ik_status eval_truthy(ctx *c, ik_expr e, bool *out)
{
    return truthy_on(c->rb, &c->env, e, out, c->err);
}

/*
 * The one definition of where an interview stops. Right after question q
 * is settled (answered, skipped or acknowledged, going forward) it stops
 * when a red flag with stop that reads q, directly or through derived
 * values (ik_deps_stops_after), is true on the answers so far (the later
 * ones UNDEF); before anything is answered (q == IK_NONE) when any red
 * flag with stop is. (An interview never asks past a stop, so no stop
 * flag was true before q, and those that do not read q see what they saw
 * then: "one that reads q is true" is "one is true".) The interview's
 * forward step (ik_outcome_stops_after) and the one pass that finds which
 * questions apply (settle, for batch and the interview's restart) both
 * ask this.
 *
 * Evaluated over env, whose slots are `slots`. The derived values a flag
 * needs: done == NULL: all are current in slots (the interview's step
 * brought them up to date); else each is evaluated into slots unless
 * done[d] (final) or stamp[d] == now (evaluated for this check already);
 * one whose inputs are all settled (the latest question it reads is no
 * later than q) is final from here on (done[d]), the others are stamped
 * with now (anything needing them later evaluates them again). *stops:
 * whether it stops. A failure names the flag or derived value.
 */
static ik_status stop_check(const ik_rulebook *rb, uint32_t q,
                            const ik_env *env, ik_value *slots, bool *done,
                            uint32_t *stamp, uint32_t now, bool *stops,
                            ik_error *err)
{
    ik_span fs = ik_deps_stops_after(rb->deps, q);
    uint32_t i, k;
    ik_status st;

    *stops = false;
    for (i = 0; i < fs.n && !*stops; i++) {
        uint32_t f = fs.items[i];
        ik_span ds = ik_deps_needs(rb->deps, IK_OWN_RED_FLAG, f);

        for (k = 0; done && k < ds.n; k++) {
            uint32_t d = ds.items[k], latest;

            if (done[d] || stamp[d] == now)
                continue;
            st = ik_logic_eval(rb->logic, rb->derived[d].value, env,
                               &slots[rb->derived[d].slot], err);
            if (st != IK_OK)
                return name_failure(err, st, "derived value",
                                    rb->derived[d].id, NULL);
            latest = ik_deps_latest_question(rb->deps, d);
            if (q != IK_NONE && (latest == IK_NONE || latest <= q))
                done[d] = true;
            else
                stamp[d] = now;
        }
        st = truthy_on(rb, env, rb->red_flags[f].when, stops, err);
        if (st != IK_OK)
            return name_failure(err, st, "red flag", rb->red_flags[f].id,
                                "when");
    }
    return IK_OK;
}

ik_status ik_outcome_stops_after(const ik_rulebook *rb, uint32_t q,
                                 const ik_env *env, bool *stops,
                                 ik_error *err)
{
    return stop_check(rb, q, env, NULL, NULL, NULL, 0, stops, err);
}

/*
 * Find which questions apply. The pack is ordered (the loader refuses
 * one that is not): question q's enable_when reads only answers before q
 * (through derived values that read only those), so one pass in pack
 * order decides each question for good, evaluating first the derived
 * values its condition needs (the dependency model lists them); then
 * every derived value not yet evaluated is evaluated once on the final
 * answers. An answer to a question that does not apply does not count.
 * (tests/unit/oracle.h keeps the general fixed point as a reference.)
 *
 * With stop, the pass also finds where the interview stops (stop_check
 * before anything is answered, from p when it knows, and after each
 * question that has an answer; each check draws its node visits from a
 * pool of its own, one answer's IK_LOGIC_TOTAL_BUDGET, as the interview's
 * step after that answer does, so that the pass does not run out where
 * the steps it replays did not): from there on the answers are taken as
 * never given. *stop:
 * the question after which it stops, IK_STOP_AT_START or IK_STOP_NEVER.
 * A check that fails fails the pass. With asked, each question that
 * applies before the stop gets what an interview run on the answers
 * records when it asks it (ik_outcome_answer_as_asked).
 */
static ik_status settle(ctx *c, const ik_value *answers, bool asked,
                        const ik_outcome_plan *p, int64_t *stop)
{
    const ik_rulebook *rb = c->rb;
    ik_outcome *o = c->o;
    bool *done = ik_arena_alloc(&o->scratch, rb->nderived + 1), en;
    bool checking = stop != NULL, stopped = false, fires = false;
    uint32_t *stamp = NULL;
    uint64_t pool = IK_LOGIC_TOTAL_BUDGET;
    ik_env senv = c->env;
    ik_span by_latest = ik_deps_derived_by_latest(c->deps);
    uint32_t q, k, d, ready;
    ik_status st;

    if (!done)
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    memset(done, 0, rb->nderived + 1);
    for (q = 0; q < rb->nquestions; q++)
        o->slots[q] = ik_undef();
    if (checking) {
        *stop = IK_STOP_NEVER;
        stamp = ik_arena_alloc(&o->scratch,
                               (rb->nderived + 1) * sizeof *stamp);
        if (!stamp)
            return ik_fail(c->err, IK_ENOMEM, "out of memory");
        memset(stamp, 0, (rb->nderived + 1) * sizeof *stamp);
        senv.pool = &pool;
        if (p && p->stop_at_start >= 0)
            fires = p->stop_at_start > 0;
        else if ((pool = IK_LOGIC_TOTAL_BUDGET,
                  st = stop_check(rb, IK_NONE, &senv, o->slots, done, stamp,
                                  1, &fires, c->err)) != IK_OK)
            return st;
    }
    for (q = 0, k = 0; q <= rb->nquestions; q++) {
        if (fires) { /* the rest is never asked: these values are final */
            *stop = q == 0 ? IK_STOP_AT_START : (int64_t)q - 1;
            stopped = true;
            checking = fires = false;
            for (d = 0; d < rb->nderived; d++)
                done[d] = done[d] || stamp[d] == q + 1;
        }
        if (q == rb->nquestions)
            break;
        /* the derived values with no question from q on behind them:
         * what q's enable_when reads among them (the pack is ordered) */
        for (ready = ik_deps_derived_before(c->deps, q); k < ready; k++) {
            d = by_latest.items[k];
            if (done[d])
                continue;
            st = ik_logic_eval(rb->logic, rb->derived[d].value, &c->env,
                               &o->slots[rb->derived[d].slot], c->err);
            if (st != IK_OK)
                return named(c, st, "derived value", rb->derived[d].id, NULL);
            done[d] = true;
        }
        if ((st = eval_truthy(c, rb->questions[q].enable_when, &en)) != IK_OK)
            return named(c, st, "question", rb->questions[q].id, "enable_when");
        o->enabled[q] = en;
        o->slots[q] = en && !stopped ? answers[q] : ik_undef();
        if (asked && en && !stopped &&
            (st = ik_outcome_answer_as_asked(rb, q, answers[q], &o->slots[q],
                                             c->err)) != IK_OK)
            return st;
        if (checking && o->slots[q].kind != IK_UNDEF &&
            (pool = IK_LOGIC_TOTAL_BUDGET, /* as the step after q's answer */
             st = stop_check(rb, q, &senv, o->slots, done, stamp, q + 2,
                             &fires, c->err)) != IK_OK)
            return st;
    }
    for (d = 0; d < rb->nderived; d++) {
        if (done[d])
            continue;
        st = ik_logic_eval(rb->logic, rb->derived[d].value, &c->env,
                           &o->slots[rb->derived[d].slot], c->err);
        if (st != IK_OK)
            return named(c, st, "derived value", rb->derived[d].id, NULL);
    }
    return IK_OK;
}

static ik_status list_new(ctx *c, ik_idlist *l, uint32_t cap)
{
    l->n = 0;
    l->items = ik_arena_alloc(&c->o->arena, (cap ? cap : 1) * sizeof *l->items);
    return l->items ? IK_OK : ik_fail(c->err, IK_ENOMEM, "out of memory");
}

/* Add the slots condition (owner, i) reads to l (each once; c->mark
 * tracks). */
static void add_reads_of(ctx *c, ik_owner owner, uint32_t i, ik_idlist *l)
{
    ik_span r = ik_deps_reads(c->deps, owner, i);
    uint32_t k;

    for (k = 0; k < r.n; k++) {
        uint32_t s = r.items[k];
        if (!c->mark[s]) {
            c->mark[s] = true;
            l->items[l->n++] = s;
        }
    }
}

static void unmark(ctx *c, const ik_idlist *l)
{
    uint32_t i;

    for (i = 0; i < l->n; i++)
        c->mark[l->items[i]] = false;
}

static ik_status fire_flags_and_rules(ctx *c)
{
    const ik_rulebook *rb = c->rb;
    ik_outcome *o = c->o;
    uint32_t nf = rb->nred_flags, n = nf + rb->nrules, i, m = 0;
    ik_expr *ex = ik_arena_alloc(&o->scratch, (n + 1) * sizeof *ex);
    ik_value *v = ik_arena_alloc(&o->scratch, (n + 1) * sizeof *v);
    ik_status *sts = ik_arena_alloc(&o->scratch, (n + 1) * sizeof *sts);
    ik_status st;

    if (!ex || !v || !sts)
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    if ((st = list_new(c, &o->red_flags, nf)) != IK_OK ||
        (st = list_new(c, &o->rules, rb->nrules)) != IK_OK)
        return st;
    /* every condition in one call (each as ik_logic_eval would); one
     * absent is true */
    for (i = 0; i < n; i++) {
        ik_expr e = i < nf ? rb->red_flags[i].when : rb->rules[i - nf].when;
        if (e != IK_NO_EXPR)
            ex[m++] = e;
    }
    if (m && ik_logic_eval_each(rb->logic, ex, m, &c->env, v, sts, c->err)) {
        for (i = 0, m = 0; i < n; i++) { /* the first that failed */
            ik_expr e = i < nf ? rb->red_flags[i].when : rb->rules[i - nf].when;
            if (e == IK_NO_EXPR)
                continue;
            if ((st = sts[m++]) == IK_OK)
                continue;
            if (i < nf)
                return named(c, st, "red flag", rb->red_flags[i].id, "when");
            return named(c, st, "rule", rb->rules[i - nf].id, "when");
        }
    }
    for (i = 0, m = 0; i < n; i++) {
        ik_expr e = i < nf ? rb->red_flags[i].when : rb->rules[i - nf].when;
        if (e != IK_NO_EXPR && !ik_value_truthy(v[m++]))
            continue;
        if (i >= nf) {
            o->rules.items[o->rules.n++] = i - nf;
            continue;
        }
        o->red_flags.items[o->red_flags.n++] = i;
        if (rb->red_flags[i].stop && o->stop_flag == IK_NONE)
            o->stop_flag = i;
    }
    return IK_OK;
}

static void choose_disposition(ctx *c)
{
    const ik_rulebook *rb = c->rb;
    ik_outcome *o = c->o;
    ik_idlist *because = &o->because[IK_PART_DISPOSITION];
    uint32_t i, best = IK_NONE;

    for (i = 0; i < o->red_flags.n; i++) {
        uint32_t d = rb->red_flags[o->red_flags.items[i]].disposition;
        if (d < best)
            best = d;
    }
    for (i = 0; i < o->rules.n; i++) {
        uint32_t d = rb->rules[o->rules.items[i]].disposition;
        if (d != IK_NONE && d < best)
            best = d;
    }
    if (best == IK_NONE) { /* nothing fired: the least urgent */
        o->disposition = rb->ndispositions ? rb->ndispositions - 1 : IK_NONE;
        return;
    }
    o->disposition = best;
    for (i = 0; i < o->red_flags.n; i++) {
        const ik_red_flag *f = &rb->red_flags[o->red_flags.items[i]];
        if (f->disposition == best)
            add_reads_of(c, IK_OWN_RED_FLAG, o->red_flags.items[i], because);
    }
    for (i = 0; i < o->rules.n; i++) {
        const ik_rule *r = &rb->rules[o->rules.items[i]];
        if (r->disposition == best)
            add_reads_of(c, IK_OWN_RULE, o->rules.items[i], because);
    }
    unmark(c, because);
}

static ik_status choose_rung(ctx *c)
{
    const ik_rulebook *rb = c->rb;
    ik_outcome *o = c->o;
    uint32_t i;
    bool on;
    ik_status st;

    for (i = rb->nladder; i-- > 0;) {
        if ((st = eval_truthy(c, rb->ladder[i].when, &on)) != IK_OK)
            return named(c, st, "rung", rb->ladder[i].id, "when");
        if (on) {
            o->rung = i;
            add_reads_of(c, IK_OWN_RUNG, i, &o->because[IK_PART_LADDER]);
            unmark(c, &o->because[IK_PART_LADDER]);
            return IK_OK;
        }
    }
    return IK_OK;
}

/* Insertion sort: stable and needs no global; sections are few. */
static void sort_sections(const ik_rulebook *rb, uint32_t *s, uint32_t n)
{
    uint32_t i, j;

    for (i = 1; i < n; i++) {
        uint32_t v = s[i];
        double pv = rb->sections[v].priority;
        for (j = i; j > 0 && rb->sections[s[j - 1]].priority > pv; j--)
            s[j] = s[j - 1];
        s[j] = v;
    }
}

static ik_status choose_sections(ctx *c)
{
    const ik_rulebook *rb = c->rb;
    ik_outcome *o = c->o;
    ik_idlist *because = &o->because[IK_PART_SECTIONS];
    bool *shown;
    uint32_t i, k;
    ik_status st;

    shown = ik_arena_alloc(&o->scratch, rb->nsections ? rb->nsections : 1);
    if (!shown || (st = list_new(c, &o->sections, rb->nsections)) != IK_OK)
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    memset(shown, 0, rb->nsections);
    for (i = 0; i < rb->nsections; i++) {
        bool on = false;
        if (rb->sections[i].show_when == IK_NO_EXPR)
            continue;
        if ((st = eval_truthy(c, rb->sections[i].show_when, &on)) != IK_OK)
            return named(c, st, "section", rb->sections[i].id, "show_when");
        if (on) {
            shown[i] = true;
            add_reads_of(c, IK_OWN_SECTION, i, because);
        }
    }
    for (i = 0; i < o->rules.n; i++) {
        const ik_rule *r = &rb->rules[o->rules.items[i]];
        for (k = 0; k < r->nsections; k++)
            shown[r->sections[k]] = true;
        if (r->nsections)
            add_reads_of(c, IK_OWN_RULE, o->rules.items[i], because);
    }
    unmark(c, because);
    for (i = 0; i < rb->nsections; i++)
        if (shown[i])
            o->sections.items[o->sections.n++] = i;
    sort_sections(rb, o->sections.items, o->sections.n);
    return IK_OK;
}

static ik_status explain_red_flags(ctx *c)
{
    ik_outcome *o = c->o;
    uint32_t i;

    for (i = 0; i < o->red_flags.n; i++)
        add_reads_of(c, IK_OWN_RED_FLAG, o->red_flags.items[i],
                     &o->because[IK_PART_RED_FLAGS]);
    unmark(c, &o->because[IK_PART_RED_FLAGS]);
    return IK_OK;
}

/* Deep-copy the slots into the outcome's arena so it owns them (but the
 * answers, when the caller keeps them: borrow_answers). */
static ik_status own_slots(ctx *c)
{
    uint32_t s;
    ik_status st;

    for (s = c->o->borrow_answers ? c->rb->nquestions : 0; s < c->o->nslots;
         s++) {
        if (c->o->slots[s].kind < IK_STR)
            continue; /* no text or parts: nothing to copy */
        st = ik_value_copy(c->o->slots[s], &c->o->arena, &c->o->slots[s]);
        if (st == IK_ELIMIT) /* names the slot, never the value */
            return ik_fail(c->err, IK_ELIMIT,
                           "the value of \"%s\" is nested deeper than %d "
                           "levels or larger than 128 MiB",
                           ik_outcome_slot_id(c->rb, s), IK_VALUE_MAX_DEPTH);
        if (st != IK_OK)
            return ik_fail(c->err, IK_ENOMEM, "out of memory");
    }
    return IK_OK;
}

static ik_status alloc_all(ctx *c)
{
    const ik_rulebook *rb = c->rb;
    ik_outcome *o = c->o;
    uint32_t nslots = ik_deps_nslots(rb->deps), p;

    o->nslots = nslots;
    o->slots = ik_arena_alloc(&o->arena, (nslots + 1) * sizeof *o->slots);
    o->enabled = ik_arena_alloc(&o->arena, rb->nquestions + 1);
    if (!o->slots || !o->enabled)
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    memset(o->slots, 0, (nslots + 1) * sizeof *o->slots);
    for (p = 0; p < IK_PART__COUNT; p++)
        if (list_new(c, &o->because[p], nslots) != IK_OK)
            return IK_ENOMEM;
    return IK_OK;
}

static bool is_complete(const ik_rulebook *rb, const ik_outcome *o)
{
    uint32_t q;

    for (q = 0; q < rb->nquestions; q++)
        if (o->enabled[q] && rb->questions[q].type != IK_Q_INFO &&
            o->slots[rb->questions[q].slot].kind == IK_UNDEF)
            return false;
    return true;
}

/* The scratch arrays of c and its evaluation environment over o. */
static ik_status ctx_start(ctx *c, const ik_rulebook *rb, ik_outcome *o,
                           ik_error *err)
{
    memset(c, 0, sizeof *c);
    c->rb = rb;
    c->deps = rb->deps;
    c->o = o;
    c->err = err;
    c->env.root = ik_undef();
    c->env.scratch = &o->scratch;
    c->mark = ik_arena_alloc(&o->scratch, (size_t)o->nslots + 1);
    if (!c->mark)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    memset(c->mark, 0, (size_t)o->nslots + 1);
    c->env.slots = o->slots;
    c->env.nslots = o->nslots;
    c->env.pool = o->pool ? o->pool : &o->own_pool;
    return IK_OK;
}

static ik_status fail_clear(ik_outcome *o, ik_status st, ik_error *err)
{
    if (st == IK_ENOMEM && err && err->code != IK_ENOMEM)
        ik_fail(err, IK_ENOMEM, "out of memory");
    outcome_clear(o);
    return st;
}

static ik_status compute_applied(const ik_rulebook *rb,
                                 const ik_outcome_plan *p,
                                 const ik_value *answers, bool asked,
                                 ik_outcome *o, int64_t *stop, ik_error *err)
{
    ctx c;
    ik_status st;

    outcome_clear(o); /* the pack is ordered: the loader refuses another */
    o->own_pool = IK_LOGIC_TOTAL_BUDGET; /* a record's, or a compute's */
    memset(&c, 0, sizeof c);
    c.rb = rb;
    c.o = o;
    c.err = err;
    if ((st = alloc_all(&c)) != IK_OK ||
        (st = ctx_start(&c, rb, o, err)) != IK_OK ||
        (st = settle(&c, answers, asked, p, stop)) != IK_OK)
        return fail_clear(o, st, err);
    return IK_OK;
}

/* Whether the interview stops before anything is answered, once for a
 * plan: the one pass over no answers. 1 yes, 0 no, -1 a condition failed
 * (each pass will say which), -2 out of memory. */
static int start_stops(const ik_rulebook *rb)
{
    ik_value *none = ik_calloc((size_t)rb->nquestions + 1, sizeof *none);
    ik_outcome o;
    ik_error e;
    int64_t stop = IK_STOP_NEVER;
    ik_status st = IK_ENOMEM;

    ik_outcome_init(&o);
    if (none)
        st = compute_applied(rb, NULL, none, false, &o, &stop, &e);
    ik_outcome_fini(&o);
    ik_free(none);
    if (st == IK_ENOMEM)
        return -2;
    return st != IK_OK ? -1 : stop == IK_STOP_AT_START;
}

ik_status ik_outcome_compute_applied(const ik_rulebook *rb,
                                     const ik_value *answers, ik_outcome *o,
                                     ik_error *err)
{
    return compute_applied(rb, NULL, answers, false, o, NULL, err);
}

ik_status ik_outcome_compute_applied_stopping(const ik_rulebook *rb,
                                              const ik_outcome_plan *p,
                                              const ik_value *answers,
                                              bool asked, ik_outcome *o,
                                              int64_t *stop, ik_error *err)
{
    return compute_applied(rb, p, answers, asked, o, stop, err);
}

ik_status ik_outcome_compute_rest(const ik_rulebook *rb, ik_outcome *o,
                                  ik_error *err)
{
    ctx c;
    ik_status st;

    if (!o->slots || !o->enabled)
        return ik_fail(err, IK_EMISUSE, "no applied answers to go on from");
    if ((st = ctx_start(&c, rb, o, err)) != IK_OK ||
        (st = fire_flags_and_rules(&c)) != IK_OK)
        return fail_clear(o, st, err);
    choose_disposition(&c);
    if ((st = choose_rung(&c)) != IK_OK ||
        (st = choose_sections(&c)) != IK_OK ||
        (st = explain_red_flags(&c)) != IK_OK || (st = own_slots(&c)) != IK_OK)
        return fail_clear(o, st, err);
    o->complete = is_complete(rb, o);
    return IK_OK;
}

ik_status ik_outcome_compute(const ik_rulebook *rb, const ik_value *answers,
                             ik_outcome *o, ik_error *err)
{
    ik_status st = ik_outcome_compute_applied(rb, answers, o, err);

    return st == IK_OK ? ik_outcome_compute_rest(rb, o, err) : st;
}

/* ---- JSON ---- */

/*
 * The one outcome writer. With a plan (batch) every id, key and note is
 * JSON text made when the pack loaded, padded (IK_BUF_PAD) so that a
 * short one is one copy of a fixed size, and the texts of ids and members
 * start with a ',' (skipped where none goes); without one (the
 * interview, a session) the same bytes are escaped as they are written.
 * Both ways go through the same code, so the two can never write
 * different JSON. Appends go through a cursor (ik_bufw), synced around
 * the writers of other modules.
 */

#define PUT_LIT(x, lit) ik_bufw_add((x), (lit), sizeof(lit) - 1)

/* t, without its leading ',' when first */
static void put_jt(ik_bufw *x, jtext t, bool first)
{
    ik_bufw_add_padded(x, t.s + first, t.n - first);
}

static void put_json_string(ik_bufw *x, const char *s, size_t n)
{
    ik_bufw_sync(x);
    ik_buf_put_json_string(x->b, s, n);
    ik_bufw_start(x, x->b);
}

static void write_str(ik_bufw *x, const char *s)
{
    if (s)
        put_json_string(x, s, strlen(s));
    else
        PUT_LIT(x, "null");
}

/* id i as a JSON string, after a ',' unless first (an id alone is
 * first): pre[i] when there is a plan */
static void put_id(ik_bufw *x, const jtext *pre, uint32_t i, const char *id,
                   bool first)
{
    if (pre) {
        put_jt(x, pre[i], first);
        return;
    }
    if (!first)
        PUT_LIT(x, ",");
    write_str(x, id);
}

/* "id": as a member name (after a ',' unless first): the plan's text
 * holds the ':' */
static void put_key(ik_bufw *x, const jtext *pre, uint32_t i, const char *id,
                    bool first)
{
    put_id(x, pre, i, id, first);
    if (!pre)
        PUT_LIT(x, ":");
}

static const char *flag_id(const ik_rulebook *rb, uint32_t i)
{
    return rb->red_flags[i].id;
}

static const char *section_id(const ik_rulebook *rb, uint32_t i)
{
    return rb->sections[i].id;
}

bool ik_outcome_note_shown(const ik_rulebook *rb, const ik_outcome *o,
                           uint32_t rule)
{
    const ik_rule *r = &rb->rules[rule];
    uint32_t i;

    if (!r->note.by[IK_AUD_PATIENT])
        return false;
    if (r->nnote_for) {
        for (i = 0; i < r->nnote_for; i++)
            if (r->note_for[i] == o->disposition)
                return true;
        return false;
    }
    return r->disposition == IK_NONE || o->disposition == IK_NONE ||
           r->disposition <= o->disposition;
}

static void put_list(ik_bufw *x, const ik_idlist *l, const jtext *pre,
                     const char *(*id)(const ik_rulebook *, uint32_t),
                     const ik_rulebook *rb)
{
    uint32_t i;

    PUT_LIT(x, "[");
    for (i = 0; i < l->n; i++)
        put_id(x, pre, l->items[i], pre ? NULL : id(rb, l->items[i]), i == 0);
    PUT_LIT(x, "]");
}

/* A value but a scalar's (put_value), by value.c */
static void put_other(ik_bufw *x, ik_value v)
{
    ik_bufw_sync(x);
    ik_value_write_json(x->b, v);
    ik_bufw_start(x, x->b);
}

/* A value; undefined (a derived value not computed) as null. The scalar
 * kinds here, the rest by value.c. */
static inline void put_value(ik_bufw *x, ik_value v)
{
    switch (v.kind) {
    case IK_UNDEF:
    case IK_NULL:
        PUT_LIT(x, "null");
        return;
    case IK_BOOL:
        if (v.u.b)
            PUT_LIT(x, "true");
        else
            PUT_LIT(x, "false");
        return;
    case IK_STR:
        put_json_string(x, v.u.str, v.len);
        return;
    default:
        put_other(x, v);
    }
}

static void write_outcome(const ik_rulebook *rb, const ik_outcome_plan *p,
                          const ik_outcome *o, ik_audience aud, ik_buf *b)
{
    const jtext *notes = p ? p->note[aud] : NULL;
    uint32_t i;
    bool first;
    ik_bufw x;

    ik_bufw_start(&x, b);
    if (p) {
        put_jt(&x, p->head, false);
    } else {
        /* id@version unescaped, as plan_texts makes the head */
        PUT_LIT(&x, "{\"rules\":\"");
        ik_bufw_add(&x, rb->id ? rb->id : "", rb->id ? strlen(rb->id) : 0);
        PUT_LIT(&x, "@");
        ik_bufw_add(&x, rb->version ? rb->version : "",
                    rb->version ? strlen(rb->version) : 0);
        PUT_LIT(&x, "\",\"complete\":");
    }
    if (o->complete)
        PUT_LIT(&x, "true,\"disposition\":");
    else
        PUT_LIT(&x, "false,\"disposition\":");
    if (o->disposition == IK_NONE)
        PUT_LIT(&x, "null");
    else
        put_id(&x, p ? p->disposition : NULL, o->disposition,
               rb->dispositions[o->disposition].id, true);
    PUT_LIT(&x, ",\"red_flags\":");
    put_list(&x, &o->red_flags, p ? p->flag : NULL, flag_id, rb);
    PUT_LIT(&x, ",\"ladder\":");
    if (o->rung == IK_NONE)
        PUT_LIT(&x, "null");
    else
        put_id(&x, p ? p->rung : NULL, o->rung, rb->ladder[o->rung].id, true);
    PUT_LIT(&x, ",\"sections\":");
    put_list(&x, &o->sections, p ? p->section : NULL, section_id, rb);
    PUT_LIT(&x, ",\"notes\":[");
    for (i = 0, first = true; i < o->rules.n; i++) {
        uint32_t r = o->rules.items[i];
        const char *t = notes ? NULL : ik_text_get(&rb->rules[r].note, aud);
        if ((notes ? !notes[r].n : !t || !t[0]) ||
            !ik_outcome_note_shown(rb, o, r))
            continue;
        put_id(&x, notes, r, t, first);
        first = false;
    }
    PUT_LIT(&x, "],\"notice\":");
    if (p)
        put_jt(&x, p->notice[aud], false);
    else
        write_str(&x, ik_text_get(&rb->notice, aud));
    PUT_LIT(&x, ",\"answers\":{");
    for (i = 0, first = true; o->enabled && i < rb->nquestions; i++) {
        ik_value v;
        if (!o->enabled[i] || rb->questions[i].type == IK_Q_INFO ||
            (v = o->slots[rb->questions[i].slot]).kind == IK_UNDEF)
            continue;
        put_key(&x, p ? p->question_key : NULL, i, rb->questions[i].id, first);
        first = false;
        put_value(&x, v);
    }
    PUT_LIT(&x, "},\"derived\":{");
    for (i = 0; o->slots && i < rb->nderived; i++) {
        put_key(&x, p ? p->derived_key : NULL, i, rb->derived[i].id, i == 0);
        put_value(&x, o->slots[rb->derived[i].slot]);
    }
    PUT_LIT(&x, "},\"because\":{\"disposition\":");
    put_list(&x, &o->because[IK_PART_DISPOSITION], p ? p->slot : NULL,
             ik_outcome_slot_id, rb);
    PUT_LIT(&x, ",\"ladder\":");
    put_list(&x, &o->because[IK_PART_LADDER], p ? p->slot : NULL,
             ik_outcome_slot_id, rb);
    PUT_LIT(&x, ",\"red_flags\":");
    put_list(&x, &o->because[IK_PART_RED_FLAGS], p ? p->slot : NULL,
             ik_outcome_slot_id, rb);
    PUT_LIT(&x, ",\"sections\":");
    put_list(&x, &o->because[IK_PART_SECTIONS], p ? p->slot : NULL,
             ik_outcome_slot_id, rb);
    PUT_LIT(&x, "}}");
    ik_bufw_sync(&x);
}

void ik_outcome_write_json(const ik_rulebook *rb, const ik_outcome *o,
                           ik_audience aud, ik_buf *b)
{
    write_outcome(rb, NULL, o, aud, b);
}

void ik_outcome_plan_write_json(const ik_outcome_plan *p, const ik_outcome *o,
                                ik_audience aud, ik_buf *b)
{
    /* an audience the plan has no notes for is written without it */
    write_outcome(p->rb, (unsigned)aud < IK_AUD__COUNT ? p : NULL, o, aud, b);
}

/* ---- Answers from an object ---- */

ik_status ik_outcome_refuse_member(const ik_rulebook *rb, const char *key,
                                   size_t klen, ik_error *err)
{
    char id[128];
    size_t n = klen < sizeof id - 1 ? klen : sizeof id - 1;
    bool derived;

    memcpy(id, key, n);
    id[n] = '\0';
    derived = rb->logic && ik_logic_find(rb->logic, id) != UINT32_MAX;
    if (err)
        snprintf(err->path, sizeof err->path, "/%.120s", id);
    return ik_fail(err, IK_EANSWER,
                   derived ? "'%s' is a derived value, not an answer"
                           : "no question has the id '%s'",
                   id);
}

ik_status ik_outcome_check_answer(const ik_rulebook *rb, uint32_t q,
                                  ik_value v, ik_error *err)
{
    ik_status st = ik_answer_check(&rb->questions[q], v, err);

    if (st != IK_OK && err)
        snprintf(err->path, sizeof err->path, "/%.120s", rb->questions[q].id);
    return st;
}

ik_status ik_outcome_answer_as_asked(const ik_rulebook *rb, uint32_t q,
                                     ik_value v, ik_value *out, ik_error *err)
{
    const ik_question *qq = &rb->questions[q];

    *out = v;
    if (qq->type == IK_Q_INFO) {
        *out = ik_null(); /* acknowledged */
        return IK_OK;
    }
    if (v.kind != IK_UNDEF && v.kind != IK_NULL)
        return IK_OK;
    *out = ik_null(); /* skipped */
    if (!qq->required)
        return IK_OK;
    ik_fail(err, IK_EANSWER, "'%s' is required but the answers %s", qq->id,
            v.kind == IK_NULL ? "skip it" : "leave it out");
    if (err)
        snprintf(err->path, sizeof err->path, "/%.120s", qq->id);
    return IK_EANSWER;
}

uint32_t ik_outcome_question_lookup(const ik_rulebook *rb, const char *key,
                                    size_t klen)
{
    ik_slot_map map = {rb->logic, NULL, 0};
    uint32_t q;

    /* a key of 127 bytes or more names no question (but the guess) */
    if (!rb->logic || klen >= 127)
        return IK_NONE;
    q = ik_logic_slot_of(&map, 0, key, (uint32_t)klen);
    return q < rb->nquestions && rb->questions[q].slot == q ? q : IK_NONE;
}

ik_status ik_outcome_bind_answers(const ik_rulebook *rb, ik_value obj,
                                  ik_value *answers, ik_error *err)
{
    uint32_t i, q;
    ik_status st;

    for (q = 0; q < rb->nquestions; q++)
        answers[q] = ik_undef();
    if (obj.kind != IK_OBJ)
        return ik_fail(err, IK_EANSWER,
                       "answers must be an object of question ids");
    for (i = 0, q = IK_NONE; i < obj.len; i++) {
        const ik_member *m = &obj.u.members[i];

        if (memchr(m->key, '\0', m->klen)) /* from cJSON: no id */
            q = IK_NONE;
        else
            q = ik_outcome_question_of(rb, q == IK_NONE ? 0 : q + 1, m->key,
                                       m->klen);
        if (q == IK_NONE)
            return ik_outcome_refuse_member(rb, m->key, m->klen, err);
        if ((st = ik_outcome_check_answer(rb, q, m->val, err)) != IK_OK)
            return st;
        answers[q] = m->val;
    }
    return IK_OK;
}
