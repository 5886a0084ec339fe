/*
 * rulebook.h (internal) -- the typed, compiled form of a rule pack that
 * the interview, sessions, batch, explore, graph and export modules read.
 * Everything here lives in the rulebook's arena and is read-only after
 * load. Arrays are in pack order; conditions are compiled ik_expr in
 * rb->logic, whose symbols are the question ids then the derived ids (a
 * question's slot is its index; derived i's slot is nquestions + i).
 */
#ifndef IK_RULEBOOK_INTERNAL_H
#define IK_RULEBOOK_INTERNAL_H

#include "intake/rulebook.h"

#include "arena.h"
#include "logic.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define IK_NO_EXPR UINT32_MAX /* an absent condition: always true */
/* IK_NONE, ik_audience, ik_qtype: intake/rulebook.h */

/* Text that may differ by audience; a plain string fills every entry. */
typedef struct ik_text {
    const char *by[IK_AUD__COUNT]; /* NULL only when the field is absent */
} ik_text;

typedef struct ik_option {
    const char *value; /* recorded answer */
    ik_text label;
    uint32_t vlen; /* strlen(value), set by the loader (0: not set) */
} ik_option;

/* The length of o's value: vlen, or measured when the loader did not set
 * it (an option made by hand). */
static inline size_t ik_option_vlen(const ik_option *o)
{
    return o->vlen ? o->vlen : strlen(o->value);
}

typedef struct ik_question {
    const char *id;
    uint32_t idlen; /* strlen(id), set by the loader (0: not set) */
    ik_qtype type;
    ik_text text, why;
    ik_option *options; /* choice, multi */
    uint32_t noptions;
    double min, max;     /* number: -inf/+inf when absent */
    bool integer;        /* number: whole numbers only */
    const char *unit;    /* number: may be NULL */
    bool required;       /* skip refused when true */
    bool allow_unknown;  /* yes_no: "don't know" recorded as "unknown" */
    bool allow_none;     /* multi: "none" recorded as [] */
    uint32_t max_length; /* text: bytes (default IK_TEXT_MAX) */
    bool background;     /* "sbar": "background": history, not the
                            present complaint (the hand-off's B, not A) */
    ik_expr enable_when; /* IK_NO_EXPR: always asked */
    uint32_t slot;
    size_t src; /* byte offset of the question object */
} ik_question;

/* The length of q's id: idlen, or measured when the loader did not set
 * it (a question made by hand). */
static inline size_t ik_question_idlen(const ik_question *q)
{
    return q->idlen ? q->idlen : strlen(q->id);
}

#define IK_TEXT_MAX    1000 /* default max_length of a text answer, bytes */
#define IK_OPTIONS_MAX 1000 /* options of one choice or multi question */

typedef struct ik_derived {
    const char *id;
    ik_expr value;
    uint32_t slot;
    size_t src;
} ik_derived;

/* How a red flag acts when it fires (its own "act", else its
 * disposition's, else none). */
typedef enum ik_act {
    IK_ACT_NONE,  /* counts in the outcome only */
    IK_ACT_ALERT, /* shown at once; the person may go on or stop */
    IK_ACT_STOP,  /* ends the interview at once */
    IK_ACT__COUNT /* while loading: not given */
} ik_act;

typedef struct ik_disposition {
    const char *id;
    ik_text label, advice;
    ik_act act; /* for its flags that declare none; IK_ACT__COUNT: none */
    bool alarm; /* an outcome with it is shown as an alarm */
    size_t src;
} ik_disposition; /* index 0 is the most urgent */

typedef struct ik_red_flag {
    const char *id;
    ik_expr when;
    uint32_t disposition; /* index into dispositions */
    ik_text message;
    ik_text label; /* short display name; may be absent */
    ik_act act;    /* resolved at load: never IK_ACT__COUNT */
    bool stop;     /* act == IK_ACT_STOP */
    size_t src;
} ik_red_flag;

typedef struct ik_rung {
    const char *id;
    ik_text label, advice; /* advice may be absent */
    ik_expr when;
    size_t src;
} ik_rung; /* index 0 is the first (least invasive) rung */

typedef struct ik_section {
    const char *id;
    ik_text title, body;
    ik_expr show_when; /* IK_NO_EXPR: shown only when a rule names it */
    double priority;   /* lower shows first; default 100 */
    const char *source;
    size_t src;
} ik_section;

typedef struct ik_rule {
    const char *id;
    ik_expr when;
    uint32_t disposition; /* IK_NONE when the rule sets none */
    uint32_t *sections;   /* indexes into sections */
    uint32_t nsections;
    ik_text note;       /* may be absent */
    uint32_t *note_for; /* dispositions the note fits; NULL: see
                           ik_outcome_note_shown */
    uint32_t nnote_for;
    size_t src;
} ik_rule;

typedef struct ik_invariant {
    const char *id;
    ik_expr when;
    /* "expect": the outcome where `when` holds */
    uint32_t *expect_dispositions; /* one of these (into dispositions) */
    uint32_t nexpect_dispositions; /* 0: any disposition */
    uint32_t expect_rung;          /* IK_NONE: not constrained, or null */
    bool expect_ladder;            /* "ladder" given (expect_rung IK_NONE:
                                      no rung may hold) */
    uint32_t *expect_sections;     /* shown (into sections) */
    uint32_t nexpect_sections;
    uint32_t *expect_not_sections; /* not shown */
    uint32_t nexpect_not_sections;
    size_t src;
} ik_invariant;

struct ik_rulebook {
    ik_arena arena;
    ik_logic *logic;
    char *text; /* the pack's source text, owned */
    size_t len;
    char file[256];
    char hash[17]; /* FNV-1a 64 of text, hex */

    const char *format, *id, *version, *title, *language;
    ik_text title_text;            /* "title" by audience; title is the
                                      patient (or first) one */
    bool audiences[IK_AUD__COUNT]; /* declared by "audiences" */
    ik_text disclaimer, safety_net, get_help;
    ik_text notice; /* "education, not a diagnosis" on every outcome;
                       default: the disclaimer */
    const char **sources;
    uint32_t nsources;

    ik_question *questions;
    uint32_t nquestions;
    ik_derived *derived; /* in evaluation order (dependencies first) */
    uint32_t nderived;
    ik_red_flag *red_flags;
    uint32_t nred_flags;
    ik_disposition *dispositions;
    uint32_t ndispositions;
    ik_rung *ladder;
    uint32_t nladder;
    ik_section *sections;
    uint32_t nsections;
    ik_rule *rules;
    uint32_t nrules;
    ik_invariant *invariants;
    uint32_t ninvariants;
    struct ik_deps *deps; /* the dependency model (deps.h), owned */
};

/* Text for an audience, falling back to the patient text; "" if absent. */
const char *ik_text_get(const ik_text *t, ik_audience aud);

/* The one id rule: [a-z][a-z0-9_]* (pack_id: '-' allowed after the
 * first letter too, as in a pack's own id "failed-back-syndrome"). Used
 * by the pack loader, session files and case files alike. */
bool ik_id_valid(const char *s, bool pack_id);

/* Index lookups by id; IK_NONE when absent. */
uint32_t ik_rulebook_find_question(const ik_rulebook *rb, const char *id);
uint32_t ik_rulebook_find_section(const ik_rulebook *rb, const char *id);
uint32_t ik_rulebook_find_disposition(const ik_rulebook *rb, const char *id);
uint32_t ik_rulebook_find_rung(const ik_rulebook *rb, const char *id);

#endif
