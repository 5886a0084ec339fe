/*
 * access.c -- the public face of core structures a front end reads: read-
 * only accessors and handle forms (_new/_free) of what the modules keep in
 * plain structs for their own code and tests, so a program reaches them
 * through include/intake/ only (the intake program is linked to the shared
 * library, where nothing else is visible). No logic of its own: every
 * function here reads a field or calls the module that owns the work.
 */
#include "alloc.h"
#include "answer.h"
#include "answers_json.h"
#include "arena.h"
#include "batch.h"
#include "explore.h"
#include "interview.h"
#include "outcome.h"
#include "rulebook.h"
#include "run_answers.h"

#include <string.h>

/* ---- Rulebook ---- */

uint32_t ik_rulebook_nquestions(const ik_rulebook *rb)
{
    return rb->nquestions;
}

uint32_t ik_rulebook_nsections(const ik_rulebook *rb)
{
    return rb->nsections;
}

uint32_t ik_rulebook_nrules(const ik_rulebook *rb)
{
    return rb->nrules;
}

uint32_t ik_rulebook_nred_flags(const ik_rulebook *rb)
{
    return rb->nred_flags;
}

/* ---- Explore ---- */

ik_status ik_explore_new(const ik_rulebook *rb, const ik_explore_opts *opts,
                         ik_explore_report **out, ik_error *err)
{
    ik_explore_report *rep = ik_malloc(sizeof *rep);
    ik_status st;

    *out = NULL;
    if (!rep)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    st = ik_explore_run(rb, opts, rep, err);
    if (st != IK_OK) {
        ik_explore_free(rep);
        return st;
    }
    *out = rep;
    return IK_OK;
}

void ik_explore_free(ik_explore_report *rep)
{
    if (!rep)
        return;
    ik_explore_report_fini(rep);
    ik_free(rep);
}

/* ---- Batch ---- */

ik_status ik_batch_new(const ik_rulebook *rb, const ik_rulebook *old,
                       ik_batch **out, ik_error *err)
{
    ik_batch *b = ik_malloc(sizeof *b);
    ik_status st;

    *out = NULL;
    if (!b)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    st = ik_batch_init(b, rb, old, err);
    if (st != IK_OK) {
        ik_free(b);
        return st;
    }
    *out = b;
    return IK_OK;
}

void ik_batch_free(ik_batch *b)
{
    if (!b)
        return;
    ik_batch_fini(b);
    ik_free(b);
}

void ik_batch_count_refused(ik_batch *b)
{
    b->records++;
    b->errors++;
}

bool ik_batch_is_diff(const ik_batch *b)
{
    return b->diff;
}

void ik_batch_add_counts(ik_batch *into, const ik_batch *from)
{
    uint32_t f;

    into->records += from->records;
    into->errors += from->errors;
    into->changed += from->changed;
    for (f = 0; f < IK_DIFF__COUNT; f++)
        into->field_changes[f] += from->field_changes[f];
}

/* ---- What a front end renders: the pack's parts ----
 *
 * Each takes an index into one of the pack's arrays; one out of range
 * reads nothing and gives NULL, 0, false or IK_NONE (intake/rulebook.h). */

static const ik_question *question(const ik_rulebook *rb, uint32_t q)
{
    return q < rb->nquestions ? &rb->questions[q] : NULL;
}

static const ik_disposition *disposition(const ik_rulebook *rb, uint32_t d)
{
    return d < rb->ndispositions ? &rb->dispositions[d] : NULL;
}

static const ik_red_flag *red_flag(const ik_rulebook *rb, uint32_t f)
{
    return f < rb->nred_flags ? &rb->red_flags[f] : NULL;
}

/* The words of t for aud; NULL without t (an index out of range). */
static const char *words(const ik_text *t, ik_audience aud)
{
    return t ? ik_text_get(t, aud) : NULL;
}

uint32_t ik_rulebook_ndispositions(const ik_rulebook *rb)
{
    return rb->ndispositions;
}

const char *ik_rulebook_text(const ik_rulebook *rb, ik_pack_text which,
                             ik_audience aud)
{
    switch (which) {
    case IK_PACK_TITLE:
        return ik_text_get(&rb->title_text, aud);
    case IK_PACK_DISCLAIMER:
        return ik_text_get(&rb->disclaimer, aud);
    case IK_PACK_SAFETY_NET:
        return ik_text_get(&rb->safety_net, aud);
    case IK_PACK_GET_HELP:
        return ik_text_get(&rb->get_help, aud);
    case IK_PACK_NOTICE:
        return ik_text_get(&rb->notice, aud);
    case IK_PACK_TEXT__COUNT:
        break;
    }
    return NULL;
}

ik_qtype ik_question_type(const ik_rulebook *rb, uint32_t q)
{
    const ik_question *qq = question(rb, q);

    return qq ? qq->type : IK_Q__COUNT;
}

const char *ik_question_text(const ik_rulebook *rb, uint32_t q, ik_audience aud)
{
    const ik_question *qq = question(rb, q);

    return words(qq ? &qq->text : NULL, aud);
}

uint32_t ik_question_noptions(const ik_rulebook *rb, uint32_t q)
{
    const ik_question *qq = question(rb, q);

    return qq ? qq->noptions : 0;
}

const char *ik_question_option_label(const ik_rulebook *rb, uint32_t q,
                                     uint32_t i, ik_audience aud)
{
    const ik_question *qq = question(rb, q);

    return words(qq && i < qq->noptions ? &qq->options[i].label : NULL, aud);
}

bool ik_question_allows_unknown(const ik_rulebook *rb, uint32_t q)
{
    const ik_question *qq = question(rb, q);

    return qq && qq->allow_unknown;
}

bool ik_question_allows_none(const ik_rulebook *rb, uint32_t q)
{
    const ik_question *qq = question(rb, q);

    return qq && qq->allow_none;
}

void ik_question_format_answer(const ik_rulebook *rb, uint32_t q,
                               ik_audience aud, ik_value v, ik_buf *b)
{
    const ik_question *qq = question(rb, q);

    if (qq)
        ik_answer_format(qq, aud, v, b);
}

void ik_question_hint(const ik_rulebook *rb, uint32_t q, ik_audience aud,
                      ik_buf *b)
{
    const ik_question *qq = question(rb, q);

    if (qq)
        ik_answer_hint(qq, aud, b);
}

const char *ik_disposition_label(const ik_rulebook *rb, uint32_t d,
                                 ik_audience aud)
{
    const ik_disposition *dd = disposition(rb, d);

    return words(dd ? &dd->label : NULL, aud);
}

const char *ik_disposition_advice(const ik_rulebook *rb, uint32_t d,
                                  ik_audience aud)
{
    const ik_disposition *dd = disposition(rb, d);

    return words(dd ? &dd->advice : NULL, aud);
}

bool ik_disposition_is_alarm(const ik_rulebook *rb, uint32_t d)
{
    const ik_disposition *dd = disposition(rb, d);

    return dd && dd->alarm;
}

const char *ik_red_flag_message(const ik_rulebook *rb, uint32_t f,
                                ik_audience aud)
{
    const ik_red_flag *ff = red_flag(rb, f);

    return words(ff ? &ff->message : NULL, aud);
}

uint32_t ik_red_flag_disposition(const ik_rulebook *rb, uint32_t f)
{
    const ik_red_flag *ff = red_flag(rb, f);

    return ff ? ff->disposition : IK_NONE;
}

/* ---- The interview ---- */

bool ik_interview_applies(const ik_interview *iv, uint32_t q)
{
    const ik_outcome *o = ik_interview_outcome(iv);

    return q < ik_interview_rulebook(iv)->nquestions && o->enabled &&
           o->enabled[q];
}

/* ---- Answers without a person ---- */

ik_status ik_interview_answer_all(ik_interview *iv, const char *text,
                                  size_t len, const char *file, ik_error *err)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    ik_value *answers;
    ik_arena a;
    ik_status st;

    ik_arena_init(&a);
    answers = ik_arena_alloc(&a, (rb->nquestions + 1) * sizeof *answers);
    if (!answers)
        st = ik_fail(err, IK_ENOMEM, "out of memory");
    else if ((st = ik_answers_json_parse(rb, text, len, file, &a, answers,
                                         err)) == IK_OK)
        st = ik_run_answers(iv, answers, err);
    ik_arena_fini(&a);
    return st;
}
