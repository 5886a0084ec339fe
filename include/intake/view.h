/*
 * view.h -- an outcome in words, for a person: everything the human
 * renderings of an outcome show (the interview's outcome screen and
 * hand-off, the patient page, the SBAR hand-off, the printable handout),
 * built once from the outcome, its pack and the audience. A rendering
 * walks the view and decides only layout and its own framing words; which
 * red flags, notes, sections and answers there are, and in which words,
 * is decided here, once.
 *
 * Ownership: ik_view_new returns a view freed by ik_view_free. Every
 * pointer in it is borrowed from the view and from the interview's pack:
 * valid until ik_view_free, and never past the pack's ik_rulebook_free.
 * The view does not change when the interview goes on: make a new one.
 *
 * An absent index in a view (no stop flag, no ladder step, no reason) is
 * IK_NONE, as everywhere in the library.
 */
#ifndef INTAKE_VIEW_H
#define INTAKE_VIEW_H

#include "intake/error.h"
#include "intake/interview.h"
#include "intake/rulebook.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A named text: a red flag, a ladder step, a section. */
typedef struct ik_view_text {
    const char *title; /* a red flag's short name ("" when it has none),
                          a step's or a section's title */
    const char *text;  /* the flag's message in plain words, the step's
                          advice, the section's body ("" when none) */
} ik_view_text;

/* Where an answer goes in a hand-off (SBAR), decided once here: what is
 * not known (skipped, "not sure") is listed apart, by question, and
 * never also under B or A. */
typedef enum ik_view_group {
    IK_VIEW_ASSESSMENT, /* answered (SBAR's A) */
    IK_VIEW_BACKGROUND, /* answered, a background question (SBAR's B) */
    IK_VIEW_SKIPPED,    /* asked and skipped */
    IK_VIEW_UNSURE,     /* a yes/no question answered "not sure" */
    IK_VIEW_GROUP__COUNT
} ik_view_group;

/* One answer that counts (its question applies), in pack order. */
typedef struct ik_view_answer {
    const char *question; /* the question's text for the audience */
    const char *answer;   /* the answer in words ("(skipped)" when
                             skipped) */
    ik_view_group group;
} ik_view_answer;

/* The parts of an outcome that `because` explains. */
typedef enum ik_view_part {
    IK_VIEW_DISPOSITION, /* the fired flags and rules that give it */
    IK_VIEW_LADDER,      /* the chosen step's condition */
    IK_VIEW_RED_FLAGS,   /* every fired flag's condition */
    IK_VIEW_SECTIONS,    /* what showed the sections */
    IK_VIEW_PART__COUNT
} ik_view_part;

/* Indexes into ik_view.answers. */
typedef struct ik_view_list {
    const uint32_t *items;
    uint32_t n;
} ik_view_list;

typedef struct ik_view {
    /* the pack */
    const char *pack_id, *pack_version;
    const char *pack_name;  /* its plain title */
    const char *pack_title; /* its display title for the audience */
    const char *language;   /* BCP 47 tag, "en" when the pack gives none */
    bool nurse;             /* written for a nurse (else a patient) */

    /* what to do */
    bool complete;        /* every question that applies has an answer */
    bool alarm;           /* show as an alarm: act now */
    const char *headline; /* the disposition's label */
    const char *advice;   /* what to do and by when: one time frame */

    const ik_view_text *red_flags; /* fired, pack order */
    uint32_t nred_flags;
    uint32_t stop_flag; /* into red_flags: the one that stopped the
                           interview, or IK_NONE */

    const ik_view_text *ladder; /* every step, least to most involved */
    uint32_t nladder;
    uint32_t rung; /* into ladder: the step to discuss, or IK_NONE */

    const ik_view_text *sections; /* shown, in the order to read them */
    uint32_t nsections;

    const char *const *notes; /* the notes of fired rules that are shown */
    uint32_t nnotes;
    uint32_t reason_note; /* into notes: the reason in one sentence (the
                             first shown note of a fired rule that gives
                             the disposition), or IK_NONE; its text is
                             ik_view_reason */

    const char *notice;     /* education, not a diagnosis */
    const char *safety_net; /* if things change */
    const char *get_help;   /* how to get help */

    const ik_view_answer *answers; /* that count, pack order; info screens left
                                out */
    uint32_t nanswers;
    /* per part, the answers behind it (derived values expanded to the
     * questions they read), first-read order, each once */
    ik_view_list because[IK_VIEW_PART__COUNT];
} ik_view;

/*
 * The view of iv's outcome now (the final one at the outcome step), in
 * the words of audience aud (the interview's own is ik_interview_aud(iv);
 * a patient's page of a nurse's interview is IK_AUD_PATIENT). *out: free
 * with ik_view_free. IK_ENOMEM, IK_ELOGIC (the outcome's compute failed),
 * IK_EMISUSE (aud is not an audience); *out is NULL then.
 */
IK_API ik_status ik_view_new(const ik_interview *iv, ik_audience aud,
                             ik_view **out, ik_error *err);
IK_API void ik_view_free(ik_view *v); /* NULL is fine */

/* The reason in one sentence: notes[reason_note], "" when there is none. */
IK_API const char *ik_view_reason(const ik_view *v);

#ifdef __cplusplus
}
#endif

#endif
