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
#include "error.h"

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
    const ik_outcome_plan *plan = o->plan;
    uint64_t *pool = o->pool, own_pool = o->own_pool;

    ik_arena_reset(&arena);
    ik_arena_reset(&scratch);
    memset(o, 0, sizeof *o);
    o->arena = arena;
    o->scratch = scratch;
    o->plan = plan;
    o->pool = pool;
    o->own_pool = own_pool;
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
    bool ordered;   /* every enable_when reads only earlier questions */
    uint32_t nslots;
    ik_idlist *pre; /* per question: derived values its enable_when needs,
                       in evaluation order */
    ik_idlist *flag_reads, *rule_reads, *rung_reads, *section_reads;
    jtext head;            /* {"rules":"id@version","complete": */
    jtext *question_key;   /* "id": per question */
    jtext *derived_key;    /* "id": per derived value */
    jtext *flag, *section; /* "id" */
    jtext *disposition, *rung;
    jtext *slot;                /* "id" per slot */
    jtext *note[IK_AUD__COUNT]; /* per rule: "text", n == 0 when none */
    jtext notice[IK_AUD__COUNT]; /* "text" */
};

bool ik_outcome_plan_ordered(const ik_outcome_plan *p)
{
    return p && p->ordered;
}

void ik_outcome_set_plan(ik_outcome *o, const ik_outcome_plan *p)
{
    o->plan = p;
}

void ik_outcome_plan_free(ik_outcome_plan *p)
{
    if (!p)
        return;
    ik_arena_fini(&p->arena);
    ik_free(p);
}

/* The slots e reads (below nslots), into the plan's arena. */
static bool plan_reads(ik_outcome_plan *p, ik_expr e, uint32_t *tmp, size_t cap,
                       ik_idlist *out)
{
    size_t n = 0, i;

    out->n = 0;
    out->items = NULL;
    if (e != IK_NO_EXPR)
        n = ik_logic_reads(p->rb->logic, e, tmp, cap);
    if (n > cap)
        return false; /* cap is every slot: cannot happen */
    out->items = ik_arena_alloc(&p->arena, (n ? n : 1) * sizeof *out->items);
    if (!out->items)
        return false;
    for (i = 0; i < n; i++)
        if (tmp[i] < p->nslots)
            out->items[out->n++] = tmp[i];
    return true;
}

/* pre + s + post as JSON text in the plan's arena: s quoted and escaped
 * when quote, else copied as is. */
static bool plan_text(ik_outcome_plan *p, ik_buf *tmp, const char *pre,
                      const char *s, bool quote, const char *post, jtext *out)
{
    char *d;

    ik_buf_clear(tmp);
    ik_buf_puts(tmp, pre);
    if (quote)
        ik_buf_put_json_string(tmp, s, strlen(s));
    else
        ik_buf_puts(tmp, s);
    ik_buf_puts(tmp, post);
    if (ik_buf_status(tmp) != IK_OK)
        return false;
    d = ik_arena_strndup(&p->arena, tmp->data ? tmp->data : "", tmp->len);
    out->s = d;
    out->n = tmp->len;
    return d != NULL;
}

static void *plan_array(ik_outcome_plan *p, size_t n, size_t size)
{
    void *a = ik_arena_alloc(&p->arena, (n ? n : 1) * size);

    if (a)
        memset(a, 0, (n ? n : 1) * size);
    return a;
}

/* Is the pack ordered, and which derived values does each enable_when
 * need (through the derived values they read)? maxq[d]: the last question
 * derived value d reads, INT64_MAX when it reads a later derived value or
 * an unknown slot. */
static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static bool plan_order(ik_outcome_plan *p, uint32_t *tmp, size_t cap)
{
    const ik_rulebook *rb = p->rb;
    int64_t *maxq = ik_calloc(rb->nderived + 1, sizeof *maxq);
    uint8_t *need = ik_calloc(rb->nderived + 1, 1);
    uint32_t *stack = ik_calloc(rb->nderived + 1, sizeof *stack);
    uint32_t *done = ik_calloc(rb->nderived + 1, sizeof *done);
    uint32_t i, d, k;
    size_t n;
    bool ok = maxq && need && stack && done;

    p->ordered = true;
    for (i = 0; ok && i < rb->nderived; i++) {
        maxq[i] = -1;
        n = ik_logic_reads(rb->logic, rb->derived[i].value, tmp, cap);
        for (k = 0; k < n && k < cap; k++) {
            uint32_t s = tmp[k];
            int64_t m = s < rb->nquestions       ? (int64_t)s
                        : s - rb->nquestions < i ? maxq[s - rb->nquestions]
                                                 : INT64_MAX;
            if (m > maxq[i])
                maxq[i] = m;
        }
        if (rb->derived[i].slot != rb->nquestions + i)
            p->ordered = false; /* slots laid out otherwise: stay general */
    }
    for (i = 0; ok && i < rb->nquestions; i++) {
        ik_idlist *pre = &p->pre[i];
        uint32_t top = 0, got = 0;

        if (rb->questions[i].slot != i)
            p->ordered = false;
        n = rb->questions[i].enable_when == IK_NO_EXPR
                ? 0
                : ik_logic_reads(rb->logic, rb->questions[i].enable_when, tmp,
                                 cap);
        for (k = 0; k < n && k < cap; k++) {
            uint32_t s = tmp[k];
            int64_t m = s < rb->nquestions ? (int64_t)s
                        : s - rb->nquestions < rb->nderived
                            ? maxq[s - rb->nquestions]
                            : INT64_MAX;
            if (m >= (int64_t)i)
                p->ordered = false;
            if (s >= rb->nquestions && s - rb->nquestions < rb->nderived &&
                !need[s - rb->nquestions]) {
                need[s - rb->nquestions] = 1;
                stack[top++] = s - rb->nquestions;
            }
        }
        /* close over the derived values those read (they come earlier),
         * visiting each once: the work is the closure's, not the pack's */
        while (top) {
            d = stack[--top];
            done[got++] = d;
            n = ik_logic_reads(rb->logic, rb->derived[d].value, tmp, cap);
            for (k = 0; k < n && k < cap; k++)
                if (tmp[k] >= rb->nquestions &&
                    tmp[k] - rb->nquestions < rb->nderived &&
                    !need[tmp[k] - rb->nquestions]) {
                    need[tmp[k] - rb->nquestions] = 1;
                    stack[top++] = tmp[k] - rb->nquestions;
                }
        }
        qsort(done, got, sizeof *done, cmp_u32); /* evaluation order */
        pre->n = 0;
        pre->items = got ? plan_array(p, got, sizeof *pre->items) : NULL;
        if (got && !pre->items) {
            ok = false;
            break;
        }
        for (k = 0; k < got; k++) {
            pre->items[pre->n++] = done[k];
            need[done[k]] = 0;
        }
    }
    ik_free(maxq);
    ik_free(need);
    ik_free(stack);
    ik_free(done);
    return ok;
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
    p->head.s = ik_arena_strndup(&p->arena, t->data, t->len);
    p->head.n = t->len;
    ok = p->head.s != NULL;
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
        ok = plan_text(p, t, "", rb->questions[i].id, true, ":",
                       &p->question_key[i]);
    for (i = 0; ok && i < rb->nderived; i++)
        ok = plan_text(p, t, "", rb->derived[i].id, true, ":",
                       &p->derived_key[i]);
    for (i = 0; ok && i < rb->nred_flags; i++)
        ok = plan_text(p, t, "", rb->red_flags[i].id, true, "", &p->flag[i]);
    for (i = 0; ok && i < rb->nsections; i++)
        ok = plan_text(p, t, "", rb->sections[i].id, true, "", &p->section[i]);
    for (i = 0; ok && i < rb->ndispositions; i++)
        ok = plan_text(p, t, "", rb->dispositions[i].id, true, "",
                       &p->disposition[i]);
    for (i = 0; ok && i < rb->nladder; i++)
        ok = plan_text(p, t, "", rb->ladder[i].id, true, "", &p->rung[i]);
    for (i = 0; ok && i < p->nslots; i++) {
        const char *id = ik_outcome_slot_id(rb, i);
        ok = plan_text(p, t, "", id ? id : "", true, "", &p->slot[i]);
    }
    for (a = 0; ok && a < IK_AUD__COUNT; a++)
        ok = plan_text(p, t, "", ik_text_get(&rb->notice, (ik_audience)a), true,
                       "", &p->notice[a]);
    for (a = 0; ok && a < IK_AUD__COUNT; a++)
        for (i = 0; ok && i < rb->nrules; i++) {
            const char *n = ik_text_get(&rb->rules[i].note, (ik_audience)a);
            if (n && n[0])
                ok = plan_text(p, t, "", n, true, "", &p->note[a][i]);
        }
    return ok;
}

ik_status ik_outcome_plan_new(const ik_rulebook *rb, ik_outcome_plan **out,
                              ik_error *err)
{
    ik_outcome_plan *p = ik_calloc(1, sizeof *p);
    uint32_t *tmp = NULL, i;
    size_t cap;
    ik_buf t;
    bool ok;

    *out = NULL;
    if (!p)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    ik_arena_init(&p->arena);
    ik_buf_init(&t);
    p->rb = rb;
    p->nslots = ik_logic_nslots(rb->logic);
    if (p->nslots < rb->nquestions + rb->nderived)
        p->nslots = rb->nquestions + rb->nderived;
    cap = (size_t)p->nslots + 1;
    tmp = ik_malloc(cap * sizeof *tmp);
    p->pre = plan_array(p, rb->nquestions, sizeof *p->pre);
    p->flag_reads = plan_array(p, rb->nred_flags, sizeof *p->flag_reads);
    p->rule_reads = plan_array(p, rb->nrules, sizeof *p->rule_reads);
    p->rung_reads = plan_array(p, rb->nladder, sizeof *p->rung_reads);
    p->section_reads = plan_array(p, rb->nsections, sizeof *p->section_reads);
    ok = tmp && p->pre && p->flag_reads && p->rule_reads && p->rung_reads &&
         p->section_reads && plan_order(p, tmp, cap);
    for (i = 0; ok && i < rb->nred_flags; i++)
        ok = plan_reads(p, rb->red_flags[i].when, tmp, cap, &p->flag_reads[i]);
    for (i = 0; ok && i < rb->nrules; i++)
        ok = plan_reads(p, rb->rules[i].when, tmp, cap, &p->rule_reads[i]);
    for (i = 0; ok && i < rb->nladder; i++)
        ok = plan_reads(p, rb->ladder[i].when, tmp, cap, &p->rung_reads[i]);
    for (i = 0; ok && i < rb->nsections; i++)
        ok = plan_reads(p, rb->sections[i].show_when, tmp, cap,
                        &p->section_reads[i]);
    ok = ok && plan_texts(p, &t);
    ik_buf_fini(&t);
    ik_free(tmp);
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
    const ik_outcome_plan *plan; /* NULL: compute everything */
    ik_outcome *o;
    ik_env env;
    ik_error *err;
    bool *mark;    /* per slot: already in the list being built */
    uint32_t *tmp; /* reads of one expression */
    size_t tmp_cap;
} ctx;

/*
 * A condition or derived value that failed to evaluate (a spent budget, a
 * value too large) is named in the message, with its field, so the pack
 * author knows which expression to look at: `derived value "x": ...`.
 */
static ik_status named(ctx *c, ik_status st, const char *kind, const char *id,
                       const char *field)
{
    char msg[sizeof c->err->msg];

    if (st == IK_OK || st == IK_ENOMEM || !c->err)
        return st;
    ik_strlcpy(msg, c->err->msg, sizeof msg);
    return ik_fail(c->err, st, "%s \"%s\"%s%s: %s", kind, id, field ? ": " : "",
                   field ? field : "", msg);
}

static ik_status eval_truthy(ctx *c, ik_expr e, bool *out)
{
    ik_value v;
    ik_status st;

    if (e == IK_NO_EXPR) {
        *out = true;
        return IK_OK;
    }
    st = ik_logic_eval(c->rb->logic, e, &c->env, &v, c->err);
    if (st != IK_OK)
        return st;
    *out = ik_value_truthy(v);
    return IK_OK;
}

/* Evaluate derived values in order into slots. */
static ik_status eval_derived(ctx *c)
{
    const ik_rulebook *rb = c->rb;
    ik_value *slots = c->o->slots;
    uint32_t i;
    ik_status st;

    for (i = 0; i < rb->nderived; i++) {
        ik_value v;
        st =
            ik_logic_eval(rb->logic, rb->derived[i].value, &c->env, &v, c->err);
        if (st != IK_OK)
            return named(c, st, "derived value", rb->derived[i].id, NULL);
        slots[rb->derived[i].slot] = v;
    }
    return IK_OK;
}

/*
 * Find which questions apply. Start with every answer counting; mask the
 * answers of disabled questions and recompute until the set of enabled
 * questions stops changing (bounded: a pack whose conditions oscillate
 * ends on the last round).
 */
static ik_status settle(ctx *c, const ik_value *answers)
{
    const ik_rulebook *rb = c->rb;
    ik_outcome *o = c->o;
    uint32_t q, round;
    bool changed = true;
    ik_status st;

    for (q = 0; q < rb->nquestions; q++)
        o->enabled[q] = true;
    for (round = 0; changed && round <= rb->nquestions + 1; round++) {
        for (q = 0; q < rb->nquestions; q++)
            o->slots[rb->questions[q].slot] =
                o->enabled[q] ? answers[q] : ik_undef();
        st = eval_derived(c);
        if (st != IK_OK)
            return st;
        changed = false;
        for (q = 0; q < rb->nquestions; q++) {
            bool en;
            st = eval_truthy(c, rb->questions[q].enable_when, &en);
            if (st != IK_OK)
                return named(c, st, "question", rb->questions[q].id,
                             "enable_when");
            if (en != o->enabled[q]) {
                o->enabled[q] = en;
                changed = true;
            }
        }
    }
    if (changed) { /* apply the last round's mask */
        for (q = 0; q < rb->nquestions; q++)
            o->slots[rb->questions[q].slot] =
                o->enabled[q] ? answers[q] : ik_undef();
        return eval_derived(c);
    }
    return IK_OK;
}

/*
 * The same for an ordered pack (the plan says so): question q's
 * enable_when reads only answers before q (through derived values that
 * read only those), so one pass in pack order decides each question for
 * good, evaluating first the derived values its condition needs; then
 * every derived value is evaluated once on the final answers. This is the
 * fixed point settle() reaches (the only one an ordered pack has).
 */
static ik_status settle_ordered(ctx *c, const ik_value *answers)
{
    const ik_rulebook *rb = c->rb;
    ik_outcome *o = c->o;
    bool *done = ik_arena_alloc(&o->scratch, rb->nderived + 1), en;
    uint32_t q, k, d;
    ik_status st;

    if (!done)
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    memset(done, 0, rb->nderived + 1);
    for (q = 0; q < rb->nquestions; q++)
        o->slots[q] = ik_undef();
    for (q = 0; q < rb->nquestions; q++) {
        const ik_idlist *pre = &c->plan->pre[q];

        for (k = 0; k < pre->n; k++) {
            d = pre->items[k];
            if (done[d])
                continue;
            st = ik_logic_eval(rb->logic, rb->derived[d].value, &c->env,
                               &o->slots[rb->derived[d].slot], c->err);
            if (st != IK_OK)
                return named(c, st, "derived value", rb->derived[d].id, NULL);
            done[d] = true;
        }
        if ((st = eval_truthy(c, rb->questions[q].enable_when, &en)) != IK_OK)
            return named(c, st, "question", rb->questions[q].id,
                         "enable_when");
        o->enabled[q] = en;
        o->slots[q] = en ? answers[q] : ik_undef();
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

/* Add the slots expression e reads to l (each once; c->mark tracks). */
static void add_reads(ctx *c, ik_expr e, ik_idlist *l)
{
    size_t n, i;

    if (e == IK_NO_EXPR)
        return;
    n = ik_logic_reads(c->rb->logic, e, c->tmp, c->tmp_cap);
    if (n > c->tmp_cap)
        n = c->tmp_cap; /* tmp_cap is every slot: cannot happen */
    for (i = 0; i < n; i++) {
        uint32_t s = c->tmp[i];
        if (s < c->o->nslots && !c->mark[s]) {
            c->mark[s] = true;
            l->items[l->n++] = s;
        }
    }
}

/* add_reads from the plan's list of what the condition reads. */
static void add_list(ctx *c, const ik_idlist *r, ik_idlist *l)
{
    uint32_t i;

    for (i = 0; i < r->n; i++) {
        uint32_t s = r->items[i];
        if (!c->mark[s]) {
            c->mark[s] = true;
            l->items[l->n++] = s;
        }
    }
}

/* What condition e (number i of a kind whose plan lists are reads)
 * reads, into l: from the plan when there is one. */
static void add_reads_of(ctx *c, const ik_idlist *reads, uint32_t i, ik_expr e,
                         ik_idlist *l)
{
    if (c->plan)
        add_list(c, &reads[i], l);
    else
        add_reads(c, e, l);
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
    uint32_t i;
    bool on;
    ik_status st;

    if ((st = list_new(c, &o->red_flags, rb->nred_flags)) != IK_OK ||
        (st = list_new(c, &o->rules, rb->nrules)) != IK_OK)
        return st;
    for (i = 0; i < rb->nred_flags; i++) {
        if ((st = eval_truthy(c, rb->red_flags[i].when, &on)) != IK_OK)
            return named(c, st, "red flag", rb->red_flags[i].id, "when");
        if (!on)
            continue;
        o->red_flags.items[o->red_flags.n++] = i;
        if (rb->red_flags[i].stop && o->stop_flag == IK_NONE)
            o->stop_flag = i;
    }
    for (i = 0; i < rb->nrules; i++) {
        if ((st = eval_truthy(c, rb->rules[i].when, &on)) != IK_OK)
            return named(c, st, "rule", rb->rules[i].id, "when");
        if (on)
            o->rules.items[o->rules.n++] = i;
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
            add_reads_of(c, c->plan ? c->plan->flag_reads : NULL,
                         o->red_flags.items[i], f->when, because);
    }
    for (i = 0; i < o->rules.n; i++) {
        const ik_rule *r = &rb->rules[o->rules.items[i]];
        if (r->disposition == best)
            add_reads_of(c, c->plan ? c->plan->rule_reads : NULL,
                         o->rules.items[i], r->when, because);
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
            add_reads_of(c, c->plan ? c->plan->rung_reads : NULL, i,
                         rb->ladder[i].when, &o->because[IK_PART_LADDER]);
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
            add_reads_of(c, c->plan ? c->plan->section_reads : NULL, i,
                         rb->sections[i].show_when, because);
        }
    }
    for (i = 0; i < o->rules.n; i++) {
        const ik_rule *r = &rb->rules[o->rules.items[i]];
        for (k = 0; k < r->nsections; k++)
            shown[r->sections[k]] = true;
        if (r->nsections)
            add_reads_of(c, c->plan ? c->plan->rule_reads : NULL,
                         o->rules.items[i], r->when, because);
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
        add_reads_of(c, c->plan ? c->plan->flag_reads : NULL,
                     o->red_flags.items[i],
                     c->rb->red_flags[o->red_flags.items[i]].when,
                     &o->because[IK_PART_RED_FLAGS]);
    unmark(c, &o->because[IK_PART_RED_FLAGS]);
    return IK_OK;
}

/* Deep-copy the slots into the outcome's arena so it owns them. */
static ik_status own_slots(ctx *c)
{
    uint32_t s;
    ik_status st;

    for (s = 0; s < c->o->nslots; s++) {
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
    uint32_t nslots = ik_logic_nslots(rb->logic), p;

    if (nslots < rb->nquestions + rb->nderived)
        nslots = rb->nquestions + rb->nderived;
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
static ik_status ctx_start(ctx *c, const ik_rulebook *rb,
                           const ik_outcome_plan *plan, ik_outcome *o,
                           ik_error *err)
{
    memset(c, 0, sizeof *c);
    c->rb = rb;
    c->plan = plan;
    c->o = o;
    c->err = err;
    c->env.root = ik_undef();
    c->env.scratch = &o->scratch;
    c->tmp_cap = (size_t)o->nslots + 1;
    c->mark = ik_arena_alloc(&o->scratch, c->tmp_cap);
    c->tmp = ik_arena_alloc(&o->scratch, c->tmp_cap * sizeof *c->tmp);
    if (!c->mark || !c->tmp)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    memset(c->mark, 0, c->tmp_cap);
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

/* Which questions apply, and the slots as applied. */
static ik_status applied(const ik_rulebook *rb, const ik_outcome_plan *plan,
                         const ik_value *answers, ik_outcome *o, ik_error *err)
{
    ctx c;
    ik_status st;

    outcome_clear(o);
    o->own_pool = IK_LOGIC_TOTAL_BUDGET; /* a record's, or a compute's */
    memset(&c, 0, sizeof c);
    c.rb = rb;
    c.o = o;
    c.err = err;
    if ((st = alloc_all(&c)) != IK_OK ||
        (st = ctx_start(&c, rb, plan, o, err)) != IK_OK)
        return fail_clear(o, st, err);
    st = plan && plan->ordered ? settle_ordered(&c, answers)
                               : settle(&c, answers);
    return st == IK_OK ? IK_OK : fail_clear(o, st, err);
}

/* Everything else, from the applied slots. */
static ik_status rest(const ik_rulebook *rb, const ik_outcome_plan *plan,
                      ik_outcome *o, ik_error *err)
{
    ctx c;
    ik_status st;

    if ((st = ctx_start(&c, rb, plan, o, err)) != IK_OK ||
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

static const ik_outcome_plan *plan_for(const ik_rulebook *rb,
                                       const ik_outcome *o)
{
    return o->plan && o->plan->rb == rb ? o->plan : NULL;
}

ik_status ik_outcome_compute_applied(const ik_rulebook *rb,
                                     const ik_value *answers, ik_outcome *o,
                                     ik_error *err)
{
    const ik_outcome_plan *plan = plan_for(rb, o);
    ik_status st = applied(rb, plan, answers, o, err);

    /* a condition that failed: let the general path say what it says */
    if (st != IK_OK && st != IK_ENOMEM && plan)
        st = applied(rb, NULL, answers, o, err);
    return st;
}

ik_status ik_outcome_compute_rest(const ik_rulebook *rb, ik_outcome *o,
                                  ik_error *err)
{
    if (!o->slots || !o->enabled)
        return ik_fail(err, IK_EMISUSE, "no applied answers to go on from");
    return rest(rb, plan_for(rb, o), o, err);
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
 * JSON text made when the pack loaded; without one (the interview, a
 * session) the same bytes are escaped as they are written. Both ways go
 * through the same code, so the two can never write different JSON.
 */

static void put_jt(ik_buf *b, jtext t)
{
    ik_buf_put(b, t.s, t.n);
}

#define PUT_LIT(b, lit) ik_buf_put((b), (lit), sizeof(lit) - 1)

static void write_str(ik_buf *b, const char *s)
{
    if (s)
        ik_buf_put_json_string(b, s, strlen(s));
    else
        PUT_LIT(b, "null");
}

/* id i as a JSON string: pre[i] when there is a plan */
static void put_id(ik_buf *b, const jtext *pre, uint32_t i, const char *id)
{
    if (pre)
        put_jt(b, pre[i]);
    else
        write_str(b, id);
}

/* "id": as a member name */
static void put_key(ik_buf *b, const jtext *pre, uint32_t i, const char *id)
{
    if (pre) {
        put_jt(b, pre[i]);
    } else {
        write_str(b, id);
        ik_buf_putc(b, ':');
    }
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

static void put_list(ik_buf *b, const ik_idlist *l, const jtext *pre,
                     const char *(*id)(const ik_rulebook *, uint32_t),
                     const ik_rulebook *rb)
{
    uint32_t i;

    ik_buf_putc(b, '[');
    for (i = 0; i < l->n; i++) {
        if (i)
            ik_buf_putc(b, ',');
        put_id(b, pre, l->items[i], pre ? NULL : id(rb, l->items[i]));
    }
    ik_buf_putc(b, ']');
}

/* A value; undefined (a derived value not computed) as null. The scalar
 * kinds here, the rest by value.c. */
static void put_value(ik_buf *b, ik_value v)
{
    switch (v.kind) {
    case IK_UNDEF:
    case IK_NULL:
        PUT_LIT(b, "null");
        return;
    case IK_BOOL:
        if (v.u.b)
            PUT_LIT(b, "true");
        else
            PUT_LIT(b, "false");
        return;
    case IK_STR:
        ik_buf_put_json_string(b, v.u.str, v.len);
        return;
    default:
        ik_value_write_json(b, v);
    }
}

static void write_outcome(const ik_rulebook *rb, const ik_outcome_plan *p,
                          const ik_outcome *o, ik_audience aud, ik_buf *b)
{
    const jtext *notes = p ? p->note[aud] : NULL;
    uint32_t i;
    bool first;

    if (p) {
        put_jt(b, p->head);
    } else {
        /* id@version unescaped, as plan_texts makes the head */
        PUT_LIT(b, "{\"rules\":\"");
        ik_buf_puts(b, rb->id ? rb->id : "");
        ik_buf_putc(b, '@');
        ik_buf_puts(b, rb->version ? rb->version : "");
        PUT_LIT(b, "\",\"complete\":");
    }
    if (o->complete)
        PUT_LIT(b, "true,\"disposition\":");
    else
        PUT_LIT(b, "false,\"disposition\":");
    if (o->disposition == IK_NONE)
        PUT_LIT(b, "null");
    else
        put_id(b, p ? p->disposition : NULL, o->disposition,
               rb->dispositions[o->disposition].id);
    PUT_LIT(b, ",\"red_flags\":");
    put_list(b, &o->red_flags, p ? p->flag : NULL, flag_id, rb);
    PUT_LIT(b, ",\"ladder\":");
    if (o->rung == IK_NONE)
        PUT_LIT(b, "null");
    else
        put_id(b, p ? p->rung : NULL, o->rung, rb->ladder[o->rung].id);
    PUT_LIT(b, ",\"sections\":");
    put_list(b, &o->sections, p ? p->section : NULL, section_id, rb);
    PUT_LIT(b, ",\"notes\":[");
    for (i = 0, first = true; i < o->rules.n; i++) {
        uint32_t r = o->rules.items[i];
        const char *t = notes ? NULL : ik_text_get(&rb->rules[r].note, aud);
        if ((notes ? !notes[r].n : !t || !t[0]) ||
            !ik_outcome_note_shown(rb, o, r))
            continue;
        if (!first)
            ik_buf_putc(b, ',');
        first = false;
        put_id(b, notes, r, t);
    }
    PUT_LIT(b, "],\"notice\":");
    if (p)
        put_jt(b, p->notice[aud]);
    else
        write_str(b, ik_text_get(&rb->notice, aud));
    PUT_LIT(b, ",\"answers\":{");
    for (i = 0, first = true; o->enabled && i < rb->nquestions; i++) {
        ik_value v = o->slots[rb->questions[i].slot];
        if (!o->enabled[i] || v.kind == IK_UNDEF ||
            rb->questions[i].type == IK_Q_INFO)
            continue;
        if (!first)
            ik_buf_putc(b, ',');
        first = false;
        put_key(b, p ? p->question_key : NULL, i, rb->questions[i].id);
        put_value(b, v);
    }
    PUT_LIT(b, "},\"derived\":{");
    for (i = 0; o->slots && i < rb->nderived; i++) {
        if (i)
            ik_buf_putc(b, ',');
        put_key(b, p ? p->derived_key : NULL, i, rb->derived[i].id);
        put_value(b, o->slots[rb->derived[i].slot]);
    }
    PUT_LIT(b, "},\"because\":{\"disposition\":");
    put_list(b, &o->because[IK_PART_DISPOSITION], p ? p->slot : NULL,
             ik_outcome_slot_id, rb);
    PUT_LIT(b, ",\"ladder\":");
    put_list(b, &o->because[IK_PART_LADDER], p ? p->slot : NULL,
             ik_outcome_slot_id, rb);
    PUT_LIT(b, ",\"red_flags\":");
    put_list(b, &o->because[IK_PART_RED_FLAGS], p ? p->slot : NULL,
             ik_outcome_slot_id, rb);
    PUT_LIT(b, ",\"sections\":");
    put_list(b, &o->because[IK_PART_SECTIONS], p ? p->slot : NULL,
             ik_outcome_slot_id, rb);
    PUT_LIT(b, "}}");
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

ik_status ik_outcome_bind_answers(const ik_rulebook *rb, ik_value obj,
                                  ik_value *answers, ik_error *err)
{
    uint32_t i, q;
    char key[128];
    ik_status st;

    for (q = 0; q < rb->nquestions; q++)
        answers[q] = ik_undef();
    if (obj.kind != IK_OBJ)
        return ik_fail(err, IK_EANSWER,
                       "answers must be an object of question ids");
    for (i = 0, q = IK_NONE; i < obj.len; i++) {
        const ik_member *m = &obj.u.members[i];
        size_t n = m->klen < sizeof key - 1 ? m->klen : sizeof key - 1;
        uint32_t next = q == IK_NONE ? 0 : q + 1;
        const char *id = next < rb->nquestions ? rb->questions[next].id : NULL;

        memcpy(key, m->key, n);
        key[n] = '\0';
        /* members usually come in pack order: try the next question
         * first (the look-up would find it: ids have no NUL and are the
         * names of their slots) */
        if (id && m->klen < sizeof key - 1 && strlen(id) == m->klen &&
            memcmp(id, m->key, m->klen) == 0 &&
            rb->questions[next].slot == next)
            q = next;
        else
            q = memchr(m->key, '\0', m->klen)
                    ? IK_NONE
                    : ik_rulebook_find_question(rb, key);
        if (q == IK_NONE || m->klen >= sizeof key - 1) {
            bool derived = ik_logic_find(rb->logic, key) != UINT32_MAX;
            if (err)
                snprintf(err->path, sizeof err->path, "/%.120s", key);
            return ik_fail(err, IK_EANSWER,
                           derived ? "'%s' is a derived value, not an answer"
                                   : "no question has the id '%s'",
                           key);
        }
        st = ik_answer_check(&rb->questions[q], m->val, err);
        if (st != IK_OK) {
            if (err)
                snprintf(err->path, sizeof err->path, "/%.120s", key);
            return st;
        }
        answers[q] = m->val;
    }
    return IK_OK;
}
