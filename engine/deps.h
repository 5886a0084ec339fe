/*
 * deps.h (internal) -- the dependency model of a loaded pack, built once
 * when it loads and kept in the rulebook: what each condition reads, the
 * derived values and questions behind it, the latest question behind each
 * derived value and enable_when, who reads each slot, the classes of each
 * answer and when each slot decides what comes next.
 * Lint, the outcome, the interview's incremental step, batch's stop checks
 * and the front end's "because" all read this one model; none of them
 * analyses the conditions again. Also the one iterator over a pack's
 * compiled conditions. Read-only once built; no I/O.
 */
#ifndef IK_DEPS_H
#define IK_DEPS_H

#include "rulebook.h"

#include <stdbool.h>
#include <stdint.h>

/* Who owns a condition: each owner has one condition field. */
typedef enum ik_owner {
    IK_OWN_QUESTION,  /* enable_when */
    IK_OWN_DERIVED,   /* value */
    IK_OWN_RED_FLAG,  /* when */
    IK_OWN_RUNG,      /* when */
    IK_OWN_SECTION,   /* show_when */
    IK_OWN_RULE,      /* when */
    IK_OWN_INVARIANT, /* when */
    IK_OWN__COUNT
} ik_owner;

/* One compiled condition of a pack, as the iterator shows it. */
typedef struct ik_condition {
    ik_owner owner;
    uint32_t index;    /* in the owner's list */
    const char *id;    /* the owner's id */
    const char *field; /* "enable_when", "value", "when", "show_when" */
    ik_expr expr;      /* never IK_NO_EXPR: absent conditions are not shown */
} ik_condition;

/* Call fn for every present condition of rb: questions, derived values,
 * red flags, rungs, sections, rules, invariants, each list in pack order.
 * A mask of (1u << owner) bits limits it to those owners (0: all). */
void ik_rulebook_each_condition(const ik_rulebook *rb, unsigned owners,
                                void (*fn)(const ik_condition *c, void *ctx),
                                void *ctx);

/* The condition of item i of owner (IK_NO_EXPR when absent). */
ik_expr ik_condition_of(const ik_rulebook *rb, ik_owner owner, uint32_t i);

/* A borrowed list of indexes. */
typedef struct ik_span {
    const uint32_t *items;
    uint32_t n;
} ik_span;

typedef struct ik_deps ik_deps;

/*
 * Build rb's model from its compiled conditions (any rulebook the loader
 * compiled, also one with errors that `intake check` is reporting on).
 * IK_ENOMEM only. Free with ik_deps_free.
 */
ik_status ik_deps_new(const ik_rulebook *rb, ik_deps **out);
void ik_deps_free(ik_deps *d);

/*
 * Put the derived values of rb in evaluation order (dependencies first,
 * otherwise pack order) into order[0..rb->nderived), calling on_cycle
 * (may be NULL) with the path of each cycle found (path[0..n), the
 * first again closes it). Needs only the derived values compiled. Returns
 * true when the order differs from pack order; false also when out of
 * memory (*nomem set).
 */
bool ik_deps_order_derived(const ik_rulebook *rb, uint32_t *order,
                           void (*on_cycle)(const uint32_t *path, size_t n,
                                            void *ctx),
                           void *ctx, bool *nomem);

/* The latest question question q's enable_when reads, directly or
 * through derived values (IK_NONE: none), and whether it reads a derived
 * value. The loader refuses a pack where it is not before q. */
uint32_t ik_deps_enable_latest(const ik_deps *d, uint32_t q);
bool ik_deps_enable_via_derived(const ik_deps *d, uint32_t q);

/* The questions whose enable_when's latest question is p, ascending. */
ik_span ik_deps_by_enable_latest(const ik_deps *d, uint32_t p);

/* Every derived value, by its latest question (ik_deps_latest_question;
 * those reading none first), in evaluation order within each: the
 * derived values an enable_when of question q needs are among those
 * before the first whose latest question is q or later. */
ik_span ik_deps_derived_by_latest(const ik_deps *d);

/* How many of ik_deps_derived_by_latest's first entries read no
 * question from q on (q >= the questions: all of them): those an
 * enable_when of question q may need. */
uint32_t ik_deps_derived_before(const ik_deps *d, uint32_t q);

/* The slots condition (owner, i) reads directly, each once, in first-read
 * order. */
ik_span ik_deps_reads(const ik_deps *d, ik_owner owner, uint32_t i);

/* The derived values condition (owner, i) needs, directly or through
 * others, in evaluation order; kept for red flags only (empty for any
 * other owner: a question keeps ik_deps_enable_latest). */
ik_span ik_deps_needs(const ik_deps *d, ik_owner owner, uint32_t i);

/* The questions condition (owner, i) reads, directly or through derived
 * values, ascending; kept for red flags only (empty for any other
 * owner: ik_rulebook_questions_behind walks any slots). */
ik_span ik_deps_asks(const ik_deps *d, ik_owner owner, uint32_t i);

/* Where an interview may stop: the red flags with stop whose condition
 * reads question q, directly or through derived values, ascending (the
 * ones to check right after q is settled); q == IK_NONE: every red flag
 * with stop, in pack order (the check before anything is answered).
 * ik_outcome_stops_after makes the check. */
ik_span ik_deps_stops_after(const ik_deps *d, uint32_t q);

/* The owners of kind owner whose condition reads slot s directly,
 * ascending. */
ik_span ik_deps_readers(const ik_deps *d, ik_owner owner, uint32_t s);

/* The latest question derived value i reads, directly or through others;
 * IK_NONE when it reads none. */
uint32_t ik_deps_latest_question(const ik_deps *d, uint32_t i);

/* Question slot s's index, or derived slot s's index; IK_NONE otherwise. */
uint32_t ik_deps_question_of(const ik_deps *d, uint32_t s);
uint32_t ik_deps_derived_of(const ik_deps *d, uint32_t s);

/* A borrowed list of answers. */
typedef struct ik_vspan {
    const ik_value *items;
    uint32_t n;
} ik_vspan;

/*
 * One answer of each class of question q's answers: a class is a set of
 * answers that no condition steering an interview (enable_when, derived
 * value, stop red flag) can tell apart, from the comparisons with
 * constants each makes (ik_logic_visit_cmps): an answer of a yes_no or
 * choice question (yes, no, "unknown" where allowed, each option) for
 * each set of constants it equals and its truth (where it is compared
 * only for equality with strings, null or, strictly, booleans; else every
 * answer);
 * a multi answer's tested options each in or out, and one untested option
 * in or out (every subset of up to 6 options where it is read some other
 * way); a number at each constant it is compared with and one between
 * each two, within its range (each whole number of a range of up to 32
 * where it is read some other way); a text equal to each string compared
 * with, empty, or another; skipped (null) when not required; an info
 * question's acknowledgement (null); one answer of a question nothing
 * steering reads. Empty (n == 0) when the classes are not known: a number
 * or text read some other way (arithmetic, order of texts, a default, a
 * path), a multi of more options. Each answer passes ik_answer_check.
 */
ik_vspan ik_deps_classes(const ik_deps *d, uint32_t q);

/*
 * Whether slot s is part of what decides the rest of an interview whose
 * current question is c (questions before c answered or settled): its
 * value is final (its question comes before c, or every question behind
 * its derived value does) and something still open reads it (the
 * enable_when of question c or a later one, a derived value or a stop red
 * flag with a question c or later behind it). The rest of an interview is
 * decided by c, the values of these slots and the answers to come.
 */
bool ik_deps_live(const ik_deps *d, uint32_t s, uint32_t c);

/* The slots live at some question, the latest last live question first
 * (ik_deps_live_end): those live at c are among the first ones whose
 * end is c or later. */
ik_span ik_deps_live_by_end(const ik_deps *d);
uint32_t ik_deps_live_end(const ik_deps *d, uint32_t s);

/* Every slot the model knows (questions and derived values). */
uint32_t ik_deps_nslots(const ik_deps *d);

/*
 * The questions behind slots[0..n) (an outcome's `because` lists): a
 * question's slot is itself, a derived value's is what it reads, directly
 * or through other derived values. Each question once, in the order first
 * found (each slot in turn, a derived value's reads in their order), into
 * qs, which has room for every question of the pack; *nqs receives the
 * count. IK_ENOMEM.
 */
ik_status ik_rulebook_questions_behind(const ik_rulebook *rb,
                                       const uint32_t *slots, uint32_t n,
                                       uint32_t *qs, uint32_t *nqs);

#endif
