/*
 * view.c -- an outcome in words (intake/view.h): which red flags, notes,
 * sections, steps and answers a person is shown, in the audience's words,
 * decided once for every rendering. Reads the outcome and the pack; no
 * I/O, no decisions of its own about the outcome.
 */
#include "intake/view.h"

#include "alloc.h"
#include "answer.h"
#include "arena.h"
#include "buf.h"
#include "deps.h"
#include "error.h"
#include "interview.h"
#include "logic.h"
#include "outcome.h"
#include "rulebook.h"

#include <string.h>

/* The public view and the arena its arrays and words live in. */
typedef struct view_box {
    ik_view v;
    ik_arena arena;
} view_box;

typedef struct builder {
    const ik_rulebook *rb;
    const ik_outcome *o;
    ik_audience aud;
    view_box *box;
    uint32_t *answer_of; /* by question: index into v.answers, or NONE */
    uint32_t *behind;    /* the questions behind one part */
} builder;

static void *alloc_n(builder *b, size_t n, size_t size)
{
    return ik_arena_alloc(&b->box->arena, (n ? n : 1) * size);
}

static const char *words(builder *b, const ik_text *t)
{
    return ik_text_get(t, b->aud);
}

static bool add_answers(builder *b)
{
    const ik_rulebook *rb = b->rb;
    ik_view *v = &b->box->v;
    ik_view_answer *answers = alloc_n(b, rb->nquestions, sizeof *answers);
    ik_buf tmp;
    uint32_t q;

    if (!answers)
        return false;
    v->answers = answers;
    ik_buf_init(&tmp);
    for (q = 0; q < rb->nquestions; q++) {
        const ik_question *qq = &rb->questions[q];
        ik_value val = b->o->slots[q];
        ik_view_answer *a = &answers[v->nanswers];
        b->answer_of[q] = IK_NONE;
        if (qq->type == IK_Q_INFO || val.kind == IK_UNDEF || !b->o->enabled[q])
            continue;
        ik_buf_clear(&tmp);
        ik_answer_format(qq, b->aud, val, &tmp);
        if (ik_buf_status(&tmp) != IK_OK)
            break;
        a->question = words(b, &qq->text);
        a->answer =
            ik_arena_strndup(&b->box->arena, tmp.data ? tmp.data : "", tmp.len);
        if (!a->answer)
            break;
        a->group = val.kind == IK_NULL ? IK_VIEW_SKIPPED
                   : val.kind == IK_STR && qq->type == IK_Q_YES_NO
                       ? IK_VIEW_UNSURE
                   : qq->background ? IK_VIEW_BACKGROUND
                                    : IK_VIEW_ASSESSMENT;
        b->answer_of[q] = v->nanswers++;
    }
    ik_buf_fini(&tmp);
    return q == rb->nquestions;
}

/* The answers behind a part: the questions the dependency model finds
 * behind the slots its conditions read, those answered. */
static bool add_because(builder *b, ik_view_part part, const ik_idlist *l)
{
    ik_view_list *out = &b->box->v.because[part];
    uint32_t *items, n = 0, i;

    if (ik_rulebook_questions_behind(b->rb, l->items, l->n, b->behind, &n) !=
        IK_OK)
        return false;
    items = alloc_n(b, n, sizeof *items);
    if (!items)
        return false;
    for (i = 0; i < n; i++)
        if (b->answer_of[b->behind[i]] != IK_NONE)
            items[out->n++] = b->answer_of[b->behind[i]];
    out->items = items;
    return true;
}

static bool add_becauses(builder *b)
{
    static const ik_part parts[IK_VIEW_PART__COUNT] = {
        IK_PART_DISPOSITION, IK_PART_LADDER, IK_PART_RED_FLAGS,
        IK_PART_SECTIONS};
    uint32_t i;
    bool ok;

    b->behind = ik_calloc(b->rb->nquestions + 1, sizeof *b->behind);
    ok = b->behind != NULL;
    for (i = 0; ok && i < IK_VIEW_PART__COUNT; i++)
        ok = add_because(b, (ik_view_part)i, &b->o->because[parts[i]]);
    ik_free(b->behind);
    return ok;
}

static bool add_flags(builder *b)
{
    const ik_outcome *o = b->o;
    ik_view *v = &b->box->v;
    ik_view_text *flags = alloc_n(b, o->red_flags.n, sizeof *flags);
    uint32_t i;

    if (!flags)
        return false;
    v->red_flags = flags;
    v->stop_flag = IK_NONE;
    for (i = 0; i < o->red_flags.n; i++) {
        const ik_red_flag *f = &b->rb->red_flags[o->red_flags.items[i]];
        flags[i].title = words(b, &f->label);
        flags[i].text = words(b, &f->message);
        if (o->red_flags.items[i] == o->stop_flag)
            v->stop_flag = i;
    }
    v->nred_flags = o->red_flags.n;
    return true;
}

static bool add_ladder_and_sections(builder *b)
{
    const ik_rulebook *rb = b->rb;
    const ik_outcome *o = b->o;
    ik_view *v = &b->box->v;
    ik_view_text *ladder = alloc_n(b, rb->nladder, sizeof *ladder);
    ik_view_text *sections = alloc_n(b, o->sections.n, sizeof *sections);
    uint32_t i;

    if (!ladder || !sections)
        return false;
    v->ladder = ladder;
    v->sections = sections;
    for (i = 0; i < rb->nladder; i++) {
        ladder[i].title = words(b, &rb->ladder[i].label);
        ladder[i].text = words(b, &rb->ladder[i].advice);
    }
    v->nladder = rb->nladder;
    v->rung = o->rung < rb->nladder ? o->rung : IK_NONE;
    for (i = 0; i < o->sections.n; i++) {
        const ik_section *sc = &rb->sections[o->sections.items[i]];
        sections[i].title = words(b, &sc->title);
        sections[i].text = words(b, &sc->body);
    }
    v->nsections = o->sections.n;
    return true;
}

/* The notes shown, and which of them is the reason: the first shown note
 * of a fired rule that gives the outcome's disposition. */
static bool add_notes(builder *b)
{
    const ik_rulebook *rb = b->rb;
    const ik_outcome *o = b->o;
    ik_view *v = &b->box->v;
    const char **notes = alloc_n(b, o->rules.n, sizeof *notes);
    uint32_t i;

    if (!notes)
        return false;
    v->notes = notes;
    v->reason_note = IK_NONE;
    for (i = 0; i < o->rules.n; i++) {
        uint32_t k = o->rules.items[i];
        const char *note = words(b, &rb->rules[k].note);
        if (!note[0] || !ik_outcome_note_shown(rb, o, k))
            continue;
        if (v->reason_note == IK_NONE &&
            rb->rules[k].disposition == o->disposition) {
            v->reason_note = v->nnotes;
        }
        notes[v->nnotes++] = note;
    }
    return true;
}

static void add_heads(builder *b)
{
    const ik_rulebook *rb = b->rb;
    const ik_disposition *d = &rb->dispositions[b->o->disposition];
    ik_view *v = &b->box->v;

    v->pack_id = rb->id ? rb->id : "";
    v->pack_version = rb->version ? rb->version : "";
    v->pack_name = rb->title ? rb->title : "";
    v->pack_title = words(b, &rb->title_text);
    v->language = rb->language ? rb->language : "en";
    v->nurse = b->aud == IK_AUD_NURSE;
    v->complete = b->o->complete;
    v->alarm = d->alarm;
    v->headline = words(b, &d->label);
    v->advice = words(b, &d->advice);
    v->notice = words(b, &rb->notice);
    v->safety_net = words(b, &rb->safety_net);
    v->get_help = words(b, &rb->get_help);
}

/* The view of outcome o of pack rb in the words of aud. */
static ik_status build(const ik_rulebook *rb, const ik_outcome *o,
                       ik_audience aud, ik_view **out, ik_error *err)
{
    builder b;
    bool ok;

    memset(&b, 0, sizeof b);
    b.rb = rb;
    b.o = o;
    b.aud = aud;
    b.box = ik_calloc(1, sizeof *b.box);
    if (!b.box)
        return ik_fail(err, IK_ENOMEM, "out of memory describing the outcome");
    ik_arena_init(&b.box->arena);
    add_heads(&b);
    b.answer_of = alloc_n(&b, rb->nquestions, sizeof *b.answer_of);
    ok = b.answer_of && add_answers(&b) && add_becauses(&b) && add_flags(&b) &&
         add_ladder_and_sections(&b) && add_notes(&b);
    if (!ok) {
        ik_view_free(&b.box->v);
        return ik_fail(err, IK_ENOMEM, "out of memory describing the outcome");
    }
    *out = &b.box->v;
    return IK_OK;
}

ik_status ik_view_new(const ik_interview *iv, ik_audience aud, ik_view **out,
                      ik_error *err)
{
    const ik_outcome *o;
    ik_status st;

    *out = NULL;
    if ((unsigned)aud >= IK_AUD__COUNT)
        return ik_fail(err, IK_EMISUSE, "not an audience");
    st = ik_interview_compute_outcome(iv, &o, err);
    if (st != IK_OK)
        return st;
    return build(ik_interview_rulebook(iv), o, aud, out, err);
}

const char *ik_view_reason(const ik_view *v)
{
    return v->reason_note < v->nnotes ? v->notes[v->reason_note] : "";
}

void ik_view_free(ik_view *v)
{
    view_box *box = (view_box *)v; /* v is the first member */

    if (!box)
        return;
    ik_arena_fini(&box->arena);
    ik_free(box);
}
