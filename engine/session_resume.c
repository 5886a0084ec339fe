/*
 * session_resume.c -- a session and an interview: keeping the session up
 * to date as the interview goes (sync), and restoring an interview from a
 * saved session (exact replay on the same pack, fitting answers on a
 * changed one). Never decides what to ask (the interview does); no I/O.
 */
#include "session_impl.h"

#include "alloc.h"
#include "answer.h"
#include "error.h"
#include "interview.h"

#include <stdio.h>
#include <string.h>

/* Replace the current answers with those of iv that count: questions that
 * apply and have an answer (null when skipped), in pack order. Values
 * that did not change keep their copies, so the arena grows only with
 * new answers. */
static ik_status take_answers(ik_session *s, const ik_interview *iv,
                              ik_error *err)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    const ik_value *vals = ik_interview_answers(iv);
    /* kept up to date at every step; the whole outcome would cost O(pack) */
    const bool *enabled = ik_interview_applied(iv)->enabled;
    ik_saved_answer *next =
        ik_calloc(rb->nquestions ? rb->nquestions : 1, sizeof *next);
    /* where each question's answer is now (index + 1; 0: none), by the
     * pack's id table: one pass, not a search per question */
    size_t *was = ik_calloc(rb->nquestions ? rb->nquestions : 1, sizeof *was);
    size_t n = 0, i;
    uint32_t q;

    if (!next || !was) {
        ik_free(next);
        ik_free(was);
        return ik_fail(err, IK_ENOMEM, "out of memory saving answers");
    }
    for (i = 0; i < s->nanswers; i++)
        if ((q = ik_rulebook_find_question(rb, s->answers[i].question)) !=
            IK_NONE)
            was[q] = i + 1;
    for (q = 0; q < rb->nquestions; q++) {
        const ik_saved_answer *old;
        if (!enabled[q] || vals[q].kind == IK_UNDEF)
            continue;
        old = was[q] ? &s->answers[was[q] - 1] : NULL;
        if (old && ik_session_value_equal(old->value, vals[q])) {
            next[n++] = *old;
            continue;
        }
        next[n].question = ik_session_strdup(s, rb->questions[q].id);
        if (!next[n].question ||
            ik_value_copy(vals[q], &s->arena, &next[n].value) != IK_OK) {
            ik_free(next);
            ik_free(was);
            return ik_fail(err, IK_ENOMEM, "out of memory saving answers");
        }
        n++;
    }
    ik_free(was);
    ik_free(s->answers);
    s->answers = next;
    s->nanswers = n;
    s->answers_cap = rb->nquestions ? rb->nquestions : 1;
    return IK_OK;
}

static ik_status take_step(ik_session *s, const ik_interview *iv, ik_error *err)
{
    ik_step step;
    const ik_outcome *o;
    ik_status st;

    ik_interview_next(iv, &step);
    if (step.kind == IK_STEP_QUESTION) {
        ik_session_clear_outcome(s);
        return ik_session_set_position(s, step.id, err);
    }
    if ((st = ik_interview_compute_outcome(iv, &o, err)) != IK_OK)
        return st;
    return ik_session_set_outcome(s, ik_interview_rulebook(iv), o, err);
}

ik_status ik_session_sync(ik_session *s, const ik_interview *iv, int64_t now,
                          ik_error *err)
{
    size_t n = ik_interview_nevents(iv);
    ik_status st;

    if (n < s->iv_taken)
        return ik_fail(err, IK_EMISUSE,
                       "the interview has fewer events than the session");
    for (; s->iv_taken < n; s->iv_taken++) {
        ik_event ev = ik_interview_event(iv, s->iv_taken);
        const char *id = ik_interview_question_id(iv, ev.question);
        if (!id)
            return ik_fail(err, IK_EMISUSE, "an event names no question");
        ik_value v =
            ev.kind == IK_EV_ANSWER || !ik_session_is_answer_event(ev.kind)
                ? ev.value
                : ik_null();
        /* the history only: take_answers sets the answers below */
        if ((st = ik_session_check_event(ev.kind, id, v, err)) != IK_OK ||
            (st = ik_session_append_event(s, ev.kind, id, v, now, err)) !=
                IK_OK)
            return st;
    }
    if ((st = take_answers(s, iv, err)) != IK_OK)
        return st;
    if (now > s->updated)
        s->updated = now;
    return take_step(s, iv, err);
}

/* The history says something the pack it was saved with does not: a
 * damaged file, reported at the entry. */
static ik_status damaged_at(const ik_session *s, const ik_session_event *e,
                            ik_error *err, const char *what)
{
    return ik_fail_at(err, IK_ESESSION, s->file, e->line, e->col,
                      "damaged session file: %s", what);
}

/* Replay the history from replay_from; any event that does not apply
 * fails it (IK_ESESSION at the entry). */
static ik_status replay(const ik_session *s, ik_interview *iv, ik_error *err)
{
    size_t i;
    ik_status st;
    ik_error why;
    char msg[256];

    for (i = s->replay_from; i < s->nevents; i++) {
        const ik_session_event *e = &s->events[i];
        ik_event ev;
        ev.kind = e->kind;
        ev.question = ik_interview_find_question(iv, e->question);
        ev.value = e->value;
        if (ev.question == IK_NONE && e->kind != IK_EV_BACK) {
            snprintf(msg, sizeof msg,
                     "the pack it was saved with has no question '%s'",
                     e->question);
            return damaged_at(s, e, err, msg);
        }
        ik_error_clear(&why);
        if ((st = ik_interview_apply(iv, &ev, &why)) != IK_OK) {
            if (st == IK_ENOMEM)
                return ik_fail(err, st, "%s", why.msg);
            snprintf(msg, sizeof msg,
                     "the entry for '%s' does not fit the pack it was saved "
                     "with: %.150s",
                     e->question, why.msg);
            return damaged_at(s, e, err, msg);
        }
    }
    return IK_OK;
}

/* After an exact replay: the history must lead where the file says. */
static ik_status check_position(const ik_session *s, const ik_interview *iv,
                                ik_error *err)
{
    ik_step step;

    ik_interview_next(iv, &step);
    if (!s->outcome && !s->position)
        return IK_OK; /* not started: nothing saved to lead to */
    if ((step.kind == IK_STEP_OUTCOME) != (s->outcome != NULL))
        return ik_fail_at(err, IK_ESESSION, s->file, 0, 0,
                          "damaged session file: it says it is %s, but its "
                          "answers %s",
                          s->outcome ? "complete" : "not complete",
                          s->outcome ? "leave questions still to ask"
                                     : "reach the outcome");
    if (step.kind == IK_STEP_QUESTION && strcmp(s->position, step.id) != 0)
        return ik_fail_at(err, IK_ESESSION, s->file, 0, 0,
                          "damaged session file: its answers lead to '%s', "
                          "not to the saved position '%s'",
                          step.id, s->position ? s->position : "(none)");
    return IK_OK;
}

/* The last answer, skip or acknowledgement saved for a question before
 * the resume, or NULL. */
static const ik_session_event *saved_for(const ik_session *s, uint32_t q)
{
    return q < s->saved_nq && s->saved_last[q]
               ? &s->events[s->saved_last[q] - 1]
               : NULL;
}

/* Mark the history so far as saved before the resume and index each
 * question's last saved answer by the pack's id table (one pass; a search
 * of the history per question asked would be quadratic). */
static ik_status mark_saved(ik_session *s, const ik_rulebook *rb, ik_error *err)
{
    size_t i;
    uint32_t q;

    ik_free(s->saved_last);
    s->saved_nq = 0;
    s->saved_last =
        ik_calloc(rb->nquestions ? rb->nquestions : 1, sizeof *s->saved_last);
    if (!s->saved_last)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    s->saved_nq = rb->nquestions;
    s->saved_events = s->nevents;
    for (i = 0; i < s->nevents; i++)
        if (ik_session_is_answer_event(s->events[i].kind) &&
            (q = ik_rulebook_find_question(rb, s->events[i].question)) !=
                IK_NONE)
            s->saved_last[q] = i + 1;
    return IK_OK;
}

ik_status ik_session_fill(const ik_session *s, ik_interview *iv,
                          ik_session_resume *info, ik_error *err)
{
    for (;;) {
        const ik_session_event *e;
        ik_step step;
        ik_event ev;
        ik_error why;
        ik_status st;

        ik_interview_next(iv, &step);
        if (step.kind != IK_STEP_QUESTION || step.has_earlier ||
            ik_interview_answers(iv)[step.question].kind != IK_UNDEF)
            return IK_OK;
        e = saved_for(s, step.question);
        if (!e)
            return IK_OK;
        ev.kind = e->kind;
        ev.question = step.question;
        ev.value = e->value;
        ik_error_clear(&why);
        st = ik_interview_apply(iv, &ev, &why);
        if (st == IK_ENOMEM)
            return ik_fail(err, st, "%s", why.msg);
        if (st != IK_OK) {
            if (info && info->refused++ == 0)
                info->first_refused = why;
            return IK_OK;
        }
        if (info)
            info->kept++;
    }
}

static ik_status adopt_pack(ik_session *s, const ik_rulebook *rb, ik_error *err)
{
    const char *id = ik_session_strdup(s, rb->id ? rb->id : "");
    const char *version = ik_session_strdup(s, rb->version ? rb->version : "");
    const char *hash = ik_session_strdup(s, rb->hash);
    const char *file = ik_session_dup_pack_file(s, rb->file);

    if (!id || !version || !hash || !file)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    s->pack_id = id;
    s->pack_version = version;
    s->pack_hash = hash;
    s->pack_file = file;
    return IK_OK;
}

static ik_status start_interview(const ik_session *s, const ik_rulebook *rb,
                                 ik_interview **iv, ik_error *err)
{
    ik_status st =
        ik_interview_new(rb, ik_session_audience_names[s->aud], iv, err);

    if (st == IK_OK && s->label &&
        (st = ik_interview_set_label(*iv, s->label, err)) != IK_OK) {
        ik_interview_free(*iv);
        *iv = NULL;
    }
    return st;
}

size_t ik_session_ndropped(const ik_session *s)
{
    return s->ndropped;
}

const ik_session_left_out *ik_session_dropped_at(const ik_session *s, size_t i)
{
    return i < s->ndropped ? &s->dropped[i] : NULL;
}

/* Which saved answers (the current answers of s) iv does not hold, and
 * why, into s->dropped. */
static ik_status list_dropped(ik_session *s, const ik_interview *iv,
                              ik_error *err)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    const ik_value *vals = ik_interview_answers(iv);
    const bool *enabled = ik_interview_applied(iv)->enabled;
    size_t i;

    ik_free(s->dropped);
    s->ndropped = 0;
    s->dropped = ik_calloc(s->nanswers ? s->nanswers : 1, sizeof *s->dropped);
    if (!s->dropped)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    for (i = 0; i < s->nanswers; i++) {
        const ik_saved_answer *a = &s->answers[i];
        uint32_t q = ik_rulebook_find_question(rb, a->question);
        ik_session_left_out *d = &s->dropped[s->ndropped];
        ik_error why;

        if (q != IK_NONE && enabled[q] && vals[q].kind != IK_UNDEF &&
            ik_session_value_equal(vals[q], a->value))
            continue; /* kept */
        d->question = a->question;
        d->line = a->line;
        d->col = a->col;
        ik_error_clear(&why);
        if (q == IK_NONE)
            snprintf(d->why, sizeof d->why,
                     "the pack has no such question now");
        else if (rb->questions[q].type == IK_Q_INFO)
            continue; /* a screen read, not an ik_saved_answer */
        else if (a->value.kind != IK_NULL &&
                 ik_answer_check(&rb->questions[q], a->value, &why) != IK_OK)
            snprintf(d->why, sizeof d->why, "it no longer fits: %.170s",
                     why.msg);
        else if (a->value.kind == IK_NULL && rb->questions[q].required)
            snprintf(d->why, sizeof d->why,
                     "it was skipped and is now required");
        else if (!enabled[q])
            snprintf(d->why, sizeof d->why, "its question no longer applies");
        else
            snprintf(d->why, sizeof d->why,
                     "it comes after an answer that is asked again");
        s->ndropped++;
    }
    return IK_OK;
}

ik_status ik_session_restore(ik_session *s, const ik_rulebook *rb,
                             ik_interview **out, ik_session_resume *info,
                             ik_error *err)
{
    ik_interview *iv = NULL;
    ik_status st;

    *out = NULL;
    memset(info, 0, sizeof *info);
    if (!rb->id || strcmp(s->pack_id, rb->id) != 0)
        return ik_fail(err, IK_ESESSION,
                       "the session is for the pack '%s', not '%s'", s->pack_id,
                       rb->id ? rb->id : "");
    info->pack_changed = !ik_session_matches_pack(s, rb);
    if ((st = start_interview(s, rb, &iv, err)) != IK_OK)
        return st;
    ik_free(s->dropped);
    s->dropped = NULL;
    s->ndropped = 0;
    if (!info->pack_changed) {
        /* saved with this very pack: the history must replay */
        if ((st = replay(s, iv, err)) != IK_OK ||
            (st = check_position(s, iv, err)) != IK_OK) {
            ik_interview_free(iv);
            return st;
        }
        info->replayed = true;
        info->kept = (uint32_t)s->nanswers;
        st = mark_saved(s, rb, err);
        s->iv_taken = ik_interview_nevents(iv);
    } else {
        if ((st = mark_saved(s, rb, err)) != IK_OK ||
            (st = ik_session_fill(s, iv, info, err)) != IK_OK ||
            (st = list_dropped(s, iv, err)) != IK_OK) {
            ik_interview_free(iv);
            return st;
        }
        info->dropped = (uint32_t)s->ndropped;
        /* the next sync records the restored steps after the old
         * history: from there the history replays on this pack */
        s->replay_from = s->nevents;
        s->iv_taken = 0;
    }
    if (st == IK_OK)
        st = adopt_pack(s, rb, err);
    if (st != IK_OK) {
        ik_interview_free(iv);
        return st;
    }
    *out = iv;
    return IK_OK;
}
