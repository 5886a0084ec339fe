/*
 * outcome.c -- the outcome of a set of answers (which questions apply,
 * derived values, red flags, disposition, ladder, sections, notes,
 * because) and its JSON form. A pure function of (rulebook, answers): no
 * I/O, no global state; memory comes from the outcome's own arenas, which
 * are reset, not freed, between computations.
 */
#include "outcome.h"

#include "answer.h"
#include "error.h"

#include <stdio.h>
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

    ik_arena_reset(&arena);
    ik_arena_reset(&scratch);
    memset(o, 0, sizeof *o);
    o->arena = arena;
    o->scratch = scratch;
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

/* ---- Evaluation ---- */

typedef struct ctx {
    const ik_rulebook *rb;
    ik_outcome *o;
    ik_env env;
    ik_error *err;
    bool *mark;    /* per slot: already in the list being built */
    uint32_t *tmp; /* reads of one expression */
    size_t tmp_cap;
} ctx;

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
            return st;
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
                return st;
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
            return st;
        if (!on)
            continue;
        o->red_flags.items[o->red_flags.n++] = i;
        if (rb->red_flags[i].stop && o->stop_flag == IK_NONE)
            o->stop_flag = i;
    }
    for (i = 0; i < rb->nrules; i++) {
        if ((st = eval_truthy(c, rb->rules[i].when, &on)) != IK_OK)
            return st;
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
            add_reads(c, f->when, because);
    }
    for (i = 0; i < o->rules.n; i++) {
        const ik_rule *r = &rb->rules[o->rules.items[i]];
        if (r->disposition == best)
            add_reads(c, r->when, because);
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
            return st;
        if (on) {
            o->rung = i;
            add_reads(c, rb->ladder[i].when, &o->because[IK_PART_LADDER]);
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
            return st;
        if (on) {
            shown[i] = true;
            add_reads(c, rb->sections[i].show_when, because);
        }
    }
    for (i = 0; i < o->rules.n; i++) {
        const ik_rule *r = &rb->rules[o->rules.items[i]];
        for (k = 0; k < r->nsections; k++)
            shown[r->sections[k]] = true;
        if (r->nsections)
            add_reads(c, r->when, because);
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
        add_reads(c, c->rb->red_flags[o->red_flags.items[i]].when,
                  &o->because[IK_PART_RED_FLAGS]);
    unmark(c, &o->because[IK_PART_RED_FLAGS]);
    return IK_OK;
}

/* Deep-copy the slots into the outcome's arena so it owns them. */
static ik_status own_slots(ctx *c)
{
    uint32_t s;

    for (s = 0; s < c->o->nslots; s++)
        if (ik_answer_copy(c->o->slots[s], &c->o->arena, &c->o->slots[s]) !=
            IK_OK)
            return ik_fail(c->err, IK_ENOMEM, "out of memory");
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
    c->mark = ik_arena_alloc(&o->scratch, nslots + 1);
    c->tmp_cap = nslots + 1;
    c->tmp = ik_arena_alloc(&o->scratch, c->tmp_cap * sizeof *c->tmp);
    if (!o->slots || !o->enabled || !c->mark || !c->tmp)
        return ik_fail(c->err, IK_ENOMEM, "out of memory");
    memset(o->slots, 0, (nslots + 1) * sizeof *o->slots);
    memset(c->mark, 0, nslots + 1);
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

ik_status ik_outcome_compute(const ik_rulebook *rb, const ik_value *answers,
                             ik_outcome *o, ik_error *err)
{
    ctx c;
    ik_status st;

    outcome_clear(o);
    memset(&c, 0, sizeof c);
    c.rb = rb;
    c.o = o;
    c.err = err;
    if ((st = alloc_all(&c)) != IK_OK)
        goto fail;
    c.env.root = ik_undef();
    c.env.slots = o->slots;
    c.env.nslots = o->nslots;
    c.env.scratch = &o->scratch;
    if ((st = settle(&c, answers)) != IK_OK ||
        (st = fire_flags_and_rules(&c)) != IK_OK)
        goto fail;
    choose_disposition(&c);
    if ((st = choose_rung(&c)) != IK_OK ||
        (st = choose_sections(&c)) != IK_OK ||
        (st = explain_red_flags(&c)) != IK_OK || (st = own_slots(&c)) != IK_OK)
        goto fail;
    o->complete = is_complete(rb, o);
    return IK_OK;
fail:
    if (st == IK_ENOMEM && err && err->code != IK_ENOMEM)
        ik_fail(err, IK_ENOMEM, "out of memory");
    outcome_clear(o);
    return st;
}

/* ---- JSON ---- */

static void write_ids(ik_buf *b, const ik_idlist *l,
                      const char *(*id)(const ik_rulebook *, uint32_t),
                      const ik_rulebook *rb)
{
    uint32_t i;

    ik_buf_putc(b, '[');
    for (i = 0; i < l->n; i++) {
        const char *s = id(rb, l->items[i]);
        if (i)
            ik_buf_putc(b, ',');
        ik_buf_put_json_string(b, s, strlen(s));
    }
    ik_buf_putc(b, ']');
}

static const char *flag_id(const ik_rulebook *rb, uint32_t i)
{
    return rb->red_flags[i].id;
}

static const char *section_id(const ik_rulebook *rb, uint32_t i)
{
    return rb->sections[i].id;
}

static void write_key(ik_buf *b, const char *key)
{
    ik_buf_put_json_string(b, key, strlen(key));
    ik_buf_putc(b, ':');
}

static void write_str(ik_buf *b, const char *s)
{
    if (s)
        ik_buf_put_json_string(b, s, strlen(s));
    else
        ik_buf_puts(b, "null");
}

static void write_value(ik_buf *b, ik_value v)
{
    if (v.kind == IK_UNDEF)
        ik_buf_puts(b, "null");
    else
        ik_value_write_json(b, v);
}

static void write_answers(const ik_rulebook *rb, const ik_outcome *o, ik_buf *b)
{
    uint32_t q;
    bool first = true;

    ik_buf_putc(b, '{');
    for (q = 0; o->enabled && q < rb->nquestions; q++) {
        ik_value v = o->slots[rb->questions[q].slot];
        if (!o->enabled[q] || v.kind == IK_UNDEF ||
            rb->questions[q].type == IK_Q_INFO)
            continue;
        if (!first)
            ik_buf_putc(b, ',');
        first = false;
        write_key(b, rb->questions[q].id);
        write_value(b, v);
    }
    ik_buf_putc(b, '}');
}

static void write_derived(const ik_rulebook *rb, const ik_outcome *o, ik_buf *b)
{
    uint32_t i;

    ik_buf_putc(b, '{');
    for (i = 0; o->slots && i < rb->nderived; i++) {
        if (i)
            ik_buf_putc(b, ',');
        write_key(b, rb->derived[i].id);
        write_value(b, o->slots[rb->derived[i].slot]);
    }
    ik_buf_putc(b, '}');
}

static void write_notes(const ik_rulebook *rb, const ik_outcome *o,
                        ik_audience aud, ik_buf *b)
{
    uint32_t i;
    bool first = true;

    ik_buf_putc(b, '[');
    for (i = 0; i < o->rules.n; i++) {
        const ik_rule *r = &rb->rules[o->rules.items[i]];
        const char *t = ik_text_get(&r->note, aud);
        if (!t || !t[0])
            continue;
        if (!first)
            ik_buf_putc(b, ',');
        first = false;
        write_str(b, t);
    }
    ik_buf_putc(b, ']');
}

void ik_outcome_write_json(const ik_rulebook *rb, const ik_outcome *o,
                           ik_audience aud, ik_buf *b)
{
    static const char *const parts[IK_PART__COUNT] = {"disposition", "ladder",
                                                      "red_flags", "sections"};
    uint32_t p;

    ik_buf_putc(b, '{');
    write_key(b, "rules");
    ik_buf_putc(b, '"');
    ik_buf_printf(b, "%s@%s", rb->id ? rb->id : "",
                  rb->version ? rb->version : "");
    ik_buf_putc(b, '"');
    ik_buf_printf(b, ",\"complete\":%s,", o->complete ? "true" : "false");
    write_key(b, "disposition");
    write_str(b, o->disposition == IK_NONE
                     ? NULL
                     : rb->dispositions[o->disposition].id);
    ik_buf_putc(b, ',');
    write_key(b, "red_flags");
    write_ids(b, &o->red_flags, flag_id, rb);
    ik_buf_putc(b, ',');
    write_key(b, "ladder");
    write_str(b, o->rung == IK_NONE ? NULL : rb->ladder[o->rung].id);
    ik_buf_putc(b, ',');
    write_key(b, "sections");
    write_ids(b, &o->sections, section_id, rb);
    ik_buf_putc(b, ',');
    write_key(b, "notes");
    write_notes(rb, o, aud, b);
    ik_buf_putc(b, ',');
    write_key(b, "answers");
    write_answers(rb, o, b);
    ik_buf_putc(b, ',');
    write_key(b, "derived");
    write_derived(rb, o, b);
    ik_buf_putc(b, ',');
    write_key(b, "because");
    ik_buf_putc(b, '{');
    for (p = 0; p < IK_PART__COUNT; p++) {
        if (p)
            ik_buf_putc(b, ',');
        write_key(b, parts[p]);
        write_ids(b, &o->because[p], ik_outcome_slot_id, rb);
    }
    ik_buf_puts(b, "}}");
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
    for (i = 0; i < obj.len; i++) {
        const ik_member *m = &obj.u.members[i];
        size_t n = m->klen < sizeof key - 1 ? m->klen : sizeof key - 1;
        memcpy(key, m->key, n);
        key[n] = '\0';
        q = memchr(m->key, '\0', m->klen) ? IK_NONE
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
