/*
 * rulebook.h -- load, validate and lint a rule pack.
 */
#ifndef INTAKE_RULEBOOK_H
#define INTAKE_RULEBOOK_H

#include "intake/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ik_rulebook ik_rulebook; /* opaque */

#define IK_NONE UINT32_MAX /* an absent index */

/* Who a text is written for: packs may word a question, an option or an
 * advice differently for a patient and for a nurse. */
typedef enum ik_audience {
    IK_AUD_PATIENT,
    IK_AUD_NURSE,
    IK_AUD__COUNT
} ik_audience;

#define IK_MAX_DIAGNOSTICS 100 /* reported per pack by check */

/* IK_SEV_STRICT: a warning that only `intake check --strict` reports
 * (advice for a careful pack, e.g. nurse text for a question but not for
 * its options). */
typedef enum ik_severity {
    IK_SEV_ERROR,
    IK_SEV_WARNING,
    IK_SEV_STRICT
} ik_severity;

typedef struct ik_diag {
    ik_severity severity;
    ik_error where; /* code, file, line, col, path, msg */
} ik_diag;

/* Called for each problem found by ik_rulebook_check, in file order. */
typedef void (*ik_diag_fn)(const ik_diag *d, void *ctx);

/*
 * Load, validate and compile the rule pack at `path`.
 * Success: *out owns a new rulebook (free with ik_rulebook_free), IK_OK.
 * Failure: *out is NULL, *err holds the first problem with file:line:col.
 * Warnings do not fail a load.
 */
IK_API ik_status ik_rulebook_load_file(const char *path, ik_rulebook **out,
                                       ik_error *err);
/* As above from memory: text[len] must be '\0'; `file` names it. */
IK_API ik_status ik_rulebook_load_text(const char *text, size_t len,
                                       const char *file, ik_rulebook **out,
                                       ik_error *err);
IK_API void ik_rulebook_free(ik_rulebook *rb); /* NULL is fine */

/*
 * Validate and lint: report every error and warning (up to
 * IK_MAX_DIAGNOSTICS) through fn. Returns IK_OK when no error was found
 * (warnings allowed), else the first error's code.
 */
IK_API ik_status ik_rulebook_check_file(const char *path, ik_diag_fn fn,
                                        void *ctx);

/*
 * As ik_rulebook_check_file; when no error was found and out is not NULL,
 * *out receives the loaded rulebook (free with ik_rulebook_free), else
 * NULL. Lets `intake check` summarise a pack without loading it twice.
 */
IK_API ik_status ik_rulebook_check_load(const char *path, ik_diag_fn fn,
                                        void *ctx, ik_rulebook **out);
/* As ik_rulebook_check_load from memory (text[0..len), any bytes); `file`
 * names it in the diagnostics. */
IK_API ik_status ik_rulebook_check_text(const char *text, size_t len,
                                        const char *file, ik_diag_fn fn,
                                        void *ctx, ik_rulebook **out);

/* Borrowed: valid until ik_rulebook_free(rb). */
IK_API const char *ik_rulebook_id(const ik_rulebook *rb);
IK_API const char *ik_rulebook_version(const ik_rulebook *rb);
IK_API const char *ik_rulebook_title(const ik_rulebook *rb);

/* How many questions, sections, rules, red flags and dispositions the
 * pack has: the ranges of the indexes below. */
IK_API uint32_t ik_rulebook_nquestions(const ik_rulebook *rb);
IK_API uint32_t ik_rulebook_nsections(const ik_rulebook *rb);
IK_API uint32_t ik_rulebook_nrules(const ik_rulebook *rb);
IK_API uint32_t ik_rulebook_nred_flags(const ik_rulebook *rb);
IK_API uint32_t ik_rulebook_ndispositions(const ik_rulebook *rb);

/* ---- What a front end renders ----
 *
 * Read-only: each part is named by its index in the pack (as steps and
 * outcomes give them). Precondition: the index is in range, q below
 * ik_rulebook_nquestions, an option's i below ik_question_noptions, d
 * below ik_rulebook_ndispositions, f below ik_rulebook_nred_flags, `which`
 * a named ik_pack_text. One out of range is a mistake of the caller, and
 * is answered without reading past the pack: NULL for a text, 0, false,
 * IK_Q__COUNT for a type, IK_NONE for an index, nothing appended to a
 * buffer. Every text is for an audience, falling back to the patient's;
 * "" when the pack has none. All are borrowed until ik_rulebook_free(rb).
 */

/* The pack's own texts. */
typedef enum ik_pack_text {
    IK_PACK_TITLE,
    IK_PACK_DISCLAIMER,
    IK_PACK_SAFETY_NET, /* when to get help at once, on every outcome */
    IK_PACK_GET_HELP,   /* how to get help */
    IK_PACK_NOTICE,     /* "education, not a diagnosis" */
    IK_PACK_TEXT__COUNT
} ik_pack_text;
IK_API const char *ik_rulebook_text(const ik_rulebook *rb, ik_pack_text which,
                                    ik_audience aud);

typedef enum ik_qtype {
    IK_Q_YES_NO,
    IK_Q_CHOICE,
    IK_Q_MULTI,
    IK_Q_NUMBER,
    IK_Q_TEXT,
    IK_Q_INFO, /* a text to read; acknowledged, never answered */
    IK_Q__COUNT
} ik_qtype;

/* Question q (IK_Q__COUNT when q is out of range). */
IK_API ik_qtype ik_question_type(const ik_rulebook *rb, uint32_t q);
IK_API const char *ik_question_text(const ik_rulebook *rb, uint32_t q,
                                    ik_audience aud);
IK_API uint32_t ik_question_noptions(const ik_rulebook *rb, uint32_t q);
IK_API const char *ik_question_option_label(const ik_rulebook *rb, uint32_t q,
                                            uint32_t i, ik_audience aud);
/* yes_no: "don't know" is an answer; multi: "none" is an answer. */
IK_API bool ik_question_allows_unknown(const ik_rulebook *rb, uint32_t q);
IK_API bool ik_question_allows_none(const ik_rulebook *rb, uint32_t q);

/* A disposition (0 is the most urgent): its label and advice; an alarm
 * is shown as one. */
IK_API const char *ik_disposition_label(const ik_rulebook *rb, uint32_t d,
                                        ik_audience aud);
IK_API const char *ik_disposition_advice(const ik_rulebook *rb, uint32_t d,
                                         ik_audience aud);
IK_API bool ik_disposition_is_alarm(const ik_rulebook *rb, uint32_t d);

/* A red flag: what it tells the person, the disposition it leads to
 * (IK_NONE when f is out of range). */
IK_API const char *ik_red_flag_message(const ik_rulebook *rb, uint32_t f,
                                       ik_audience aud);
IK_API uint32_t ik_red_flag_disposition(const ik_rulebook *rb, uint32_t f);

/* The rest of an outcome in words, for a person: intake/view.h. */

#ifdef __cplusplus
}
#endif

#endif
