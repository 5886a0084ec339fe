/*
 * outcome.h (internal) -- the outcome of a set of answers: which questions
 * apply, derived values, fired red flags, the disposition, the ladder
 * rung, the sections, the notes and `because`; and the outcome JSON in the
 * docs/DESIGN.md shape. A pure function of (rulebook, answers): the interview,
 * `batch`, `--answers` and `intake test` all call ik_outcome_compute, so
 * they agree. No I/O; allocates only from the outcome's own arenas, which
 * are reused (no malloc per step once warm).
 */
#ifndef IK_OUTCOME_H
#define IK_OUTCOME_H

#include "arena.h"
#include "buf.h"
#include "rulebook.h"
#include "value.h"

#include <stdbool.h>
#include <stdint.h>

/* The parts of an outcome that `because` explains. */
typedef enum ik_part {
    IK_PART_DISPOSITION,
    IK_PART_LADDER,
    IK_PART_RED_FLAGS,
    IK_PART_SECTIONS,
    IK_PART__COUNT
} ik_part;

typedef struct ik_idlist {
    uint32_t *items;
    uint32_t n;
} ik_idlist;

/* What a pack's outcomes need that no answer changes (see
 * ik_outcome_plan_new). Read-only once built: one plan may serve many
 * outcomes on many threads. */
typedef struct ik_outcome_plan ik_outcome_plan;

typedef struct ik_outcome {
    /* Inputs as applied: slots[0..nquestions) are the answers that count
     * (UNDEF: not answered or disabled; NULL: skipped or acknowledged),
     * slots[nquestions + i] is derived value i. Deep copies, owned. */
    ik_value *slots;
    uint32_t nslots;
    bool *enabled;        /* per question: enable_when holds */
    bool complete;        /* every enabled question has an answer (or null) */
    uint32_t disposition; /* index into rb->dispositions */
    uint32_t rung;        /* index into rb->ladder, IK_NONE when none */
    uint32_t stop_flag;   /* first fired red flag with stop, or IK_NONE */
    ik_idlist red_flags;  /* fired, pack order */
    ik_idlist rules;      /* fired, pack order (notes come from these) */
    ik_idlist sections;   /* shown: priority, then pack order */
    /* The slots each part's deciding conditions read, first-read order,
     * each once: disposition = the fired flags and rules that give it
     * (empty when nothing fired); ladder = the chosen rung's when;
     * red_flags = every fired flag's when; sections = show_when of shown
     * sections and when of the rules that named them. */
    ik_idlist because[IK_PART__COUNT];

    /* Borrowed, or NULL: the node visits that the evaluations of one answer
     * share (the caller resets it to IK_LOGIC_TOTAL_BUDGET for each);
     * NULL: each compute (applied and rest together) has its own. */
    uint64_t *pool;

    /* Set by a caller whose answers outlive every use of the outcome
     * (batch: one record at a time): the answers in slots stay borrowed
     * instead of copied (derived values are still the outcome's own). */
    bool borrow_answers;

    /* private */
    uint64_t own_pool; /* the pool when pool is NULL */
    ik_arena arena;   /* everything above; reset by each compute */
    ik_arena scratch; /* logic temporaries */
} ik_outcome;

void ik_outcome_init(ik_outcome *o);
void ik_outcome_fini(ik_outcome *o);

/*
 * Compute the outcome of answers[0..rb->nquestions) (UNDEF: not answered;
 * NULL: skipped or acknowledged; values borrowed for the call only) into
 * o, replacing what it held. Which questions are enabled is found in one
 * pass in pack order (the pack is ordered: the dependency model lists
 * what each enable_when needs); an answer to a question that does not
 * apply does not count. IK_ELOGIC when a condition fails at run time,
 * IK_ENOMEM; on failure o is left empty but usable.
 */
ik_status ik_outcome_compute(const ik_rulebook *rb, const ik_value *answers,
                             ik_outcome *o, ik_error *err);

/*
 * ik_outcome_compute in two halves, for batch, which needs only the first
 * to find where a stop flag would end the interview: _applied finds which
 * questions apply and fills o->slots, o->enabled and o->nslots (the rest
 * of o stays empty; answers must stay valid until _rest); _rest computes
 * the rest from them. Together they are ik_outcome_compute. _rest without
 * a successful _applied first is IK_EMISUSE.
 */
ik_status ik_outcome_compute_applied(const ik_rulebook *rb,
                                     const ik_value *answers, ik_outcome *o,
                                     ik_error *err);
ik_status ik_outcome_compute_rest(const ik_rulebook *rb, ik_outcome *o,
                                  ik_error *err);

/* Where the interview stops (ik_outcome_compute_applied_stopping): a
 * question's index, or one of these. */
enum {
    IK_STOP_AT_START = -1, /* a stop flag is true before anything is answered */
    IK_STOP_NEVER = -2     /* none is on the way */
};

/*
 * The one definition of where an interview stops: right after question q
 * is settled (answered, skipped or acknowledged, going forward; q ==
 * IK_NONE: before anything is answered), when a red flag with stop that
 * reads q, directly or through derived values (ik_deps_stops_after; at
 * the start: any), is true on env, the answers so far (the later ones
 * UNDEF) with every derived value current (the interview's step: it
 * brought them up to date). *stops: whether it stops. A condition that
 * fails is IK_ELOGIC naming the red flag; IK_ENOMEM. Going back from a
 * stop, the interview is where it was before that answer: not stopped.
 */
ik_status ik_outcome_stops_after(const ik_rulebook *rb, uint32_t q,
                                 const ik_env *env, bool *stops,
                                 ik_error *err);

/*
 * ik_outcome_compute_applied for answers given in interview order (batch,
 * the interview when it starts afresh), finding where the interview
 * stops in the same pass (the check of ik_outcome_stops_after, with the
 * derived values a flag needs evaluated as it needs them): before
 * anything is answered, and after each question that has an answer (as
 * applied) on the answers so far; from where it stops on, the later
 * answers are taken as never given (UNDEF). *stop says where (a question,
 * IK_STOP_AT_START or IK_STOP_NEVER). The checks draw node visits from a
 * pool of their own; one that fails fails the call, as any condition
 * does. p (may be NULL) has the check before anything is answered made
 * once for rb. With asked (batch: answers for an interview run to its
 * end, as `run --answers` runs it), each question that applies before
 * the stop takes what that interview records when it asks it
 * (ik_outcome_answer_as_asked: a refusal fails the call); without (the
 * interview's own answers), answers are taken as they are (UNDEF: not
 * asked yet).
 */
ik_status ik_outcome_compute_applied_stopping(const ik_rulebook *rb,
                                              const ik_outcome_plan *p,
                                              const ik_value *answers,
                                              bool asked, ik_outcome *o,
                                              int64_t *stop, ik_error *err);

/*
 * Append o as one JSON object (no newline) in the docs/DESIGN.md shape:
 * rules, complete, disposition, red_flags, ladder, sections, notes (texts
 * of fired rules' notes for aud that ik_outcome_note_shown keeps), notice
 * (the pack's notice for aud: education, not a diagnosis), answers (enabled answered questions by
 * id, skipped ones as null), derived (by id, JSON.stringify form),
 * because (per part, ids). Errors are sticky in b (ik_buf_status).
 */
void ik_outcome_write_json(const ik_rulebook *rb, const ik_outcome *o,
                           ik_audience aud, ik_buf *b);

/*
 * Precompute, for rb, every id, key and note of its outcomes already as
 * JSON text, for writers of many outcomes (batch). IK_ENOMEM. rb must
 * outlive the plan.
 */
ik_status ik_outcome_plan_new(const ik_rulebook *rb, ik_outcome_plan **out,
                              ik_error *err);
void ik_outcome_plan_free(ik_outcome_plan *p);

/* ik_outcome_write_json for an outcome of p's pack, from the precomputed
 * text: the same bytes. */
void ik_outcome_plan_write_json(const ik_outcome_plan *p, const ik_outcome *o,
                                ik_audience aud, ik_buf *b);

/*
 * Whether the note of fired rule `rule` is part of outcome o: it has a
 * note, and either it lists the dispositions it fits ("note_for") and
 * o's disposition is one, or it lists none and its rule's own
 * disposition is not less urgent than o's (a rule without a disposition
 * fits any; `intake check` warns about those). The outcome JSON, the
 * screens and the exports all ask this, so a reassuring note never shows
 * under a more urgent disposition.
 */
bool ik_outcome_note_shown(const ik_rulebook *rb, const ik_outcome *o,
                           uint32_t rule);

/* The id of slot s (question or derived id). */
const char *ik_outcome_slot_id(const ik_rulebook *rb, uint32_t s);

/*
 * Fill answers[0..rb->nquestions) from a JSON-like answers object (as
 * batch and --answers read it): members named by question id; a member
 * naming a derived value or nothing is IK_EANSWER with err->path set to
 * "/<key>"; each value must fit its question (ik_answer_check). Values
 * are borrowed from obj. Missing questions are UNDEF. The first member
 * (in order) that fails is the one reported.
 */
ik_status ik_outcome_bind_answers(const ik_rulebook *rb, ik_value obj,
                                  ik_value *answers, ik_error *err);

/*
 * What an interview run on an answers object (`run --answers`, batch)
 * records for question q when it asks it, the object giving v (UNDEF:
 * left out): an information question is acknowledged (null); a question
 * left out or skipped (null) is skipped (null), or refused when it is
 * required (IK_EANSWER "'ID' is required but the answers leave it out"
 * (or "skip it"), err->path "/<id>"); else v. The one rule of
 * ik_run_answers and of batch's one pass.
 */
ik_status ik_outcome_answer_as_asked(const ik_rulebook *rb, uint32_t q,
                                     ik_value v, ik_value *out, ik_error *err);

/* The parts of binding one member, for readers that bind as they read
 * (answers_json.c): the question key[0..klen) names (IK_NONE: none, or a
 * derived value; the key holds no NUL: a JSON reader's keys have none),
 * question `guess` tried first (the one after the previous member's:
 * members usually come in pack order; IK_NONE: no guess; inline, the
 * look-up itself, ik_outcome_question_lookup, out of line); the refusal of
 * a member that names no question; the check of value v for question q.
 * Both refusals are IK_EANSWER with err->path "/<key>", in
 * ik_outcome_bind_answers' words. */
uint32_t ik_outcome_question_lookup(const ik_rulebook *rb, const char *key,
                                    size_t klen);
static inline uint32_t ik_outcome_question_of(const ik_rulebook *rb,
                                              uint32_t guess, const char *key,
                                              size_t klen)
{
    const ik_question *q = guess < rb->nquestions ? &rb->questions[guess] : 0;

    /* members usually come in pack order: the guess first, inline; the
     * look-up would find it (ids have no NUL and are the names of their
     * slots) */
    if (q && q->slot == guess && ik_question_idlen(q) == klen &&
        ik_same_bytes(q->id, key, (uint32_t)klen))
        return guess;
    return ik_outcome_question_lookup(rb, key, klen);
}
ik_status ik_outcome_refuse_member(const ik_rulebook *rb, const char *key,
                                   size_t klen, ik_error *err);
ik_status ik_outcome_check_answer(const ik_rulebook *rb, uint32_t q,
                                  ik_value v, ik_error *err);

#endif
