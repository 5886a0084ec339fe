/*
 * casefile.h -- a rule pack's test cases (rules/NAME.tests.json, format in
 * docs/TESTING-PACKS.md): load and validate the file strictly against the
 * pack (every problem named FILE:LINE:COL), run each case through the same
 * computation an interview uses (ik_outcome_compute for an answers object,
 * the ik_interview state machine for steps), compare with what the case
 * expects, and record what the cases reach for coverage. No I/O except
 * reading the file; `intake test` prints the results.
 */
#ifndef INTAKE_CASEFILE_H
#define INTAKE_CASEFILE_H

#include "intake/buf.h"
#include "intake/rulebook.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ik_casefile ik_casefile; /* opaque */

/*
 * Load the cases at `path` for rb (borrowed: must outlive the casefile).
 * Success: *out owns a new casefile (free with ik_casefile_free), IK_OK.
 * Failure: *out is NULL and *err holds the first problem: IK_ENOENT,
 * IK_EIO, IK_ESYNTAX (not JSON), IK_ERULES (not a valid case file: unknown
 * key, unknown id, wrong type, a "pack" other than rb's id), IK_EANSWER (an
 * answer its question cannot record), with file, line and column.
 */
IK_API ik_status ik_casefile_load(const ik_rulebook *rb, const char *path,
                                  ik_casefile **out, ik_error *err);
/* As above from memory: text[len] must be '\0'; `file` names it. */
IK_API ik_status ik_casefile_load_text(const ik_rulebook *rb, const char *text,
                                       size_t len, const char *file,
                                       ik_casefile **out, ik_error *err);
IK_API void ik_casefile_free(ik_casefile *cf); /* NULL is fine */

/* Number of cases, in file order. */
IK_API uint32_t ik_casefile_count(const ik_casefile *cf);

typedef struct ik_case_result {
    const char *id;          /* borrowed until ik_casefile_free */
    const char *description; /* borrowed until ik_casefile_free */
    int line;                /* 1-based line of the case in the file */
    bool passed;
    /* When it failed: one line per difference, each ending in '\n', e.g.
     * "disposition: expected emergency, got urgent". Borrowed until the
     * next ik_casefile_run; "" when it passed. */
    const char *diff;
} ik_case_result;

/*
 * Run case i (< ik_casefile_count) and compare. A case that does not
 * match, or whose steps the interview refuses (a step naming a question
 * other than the one asked, an answer it rejects), is a failed result,
 * not an error. Errors: IK_ENOMEM, IK_ELOGIC (a condition failed at run
 * time), IK_EMISUSE (i out of range).
 */
IK_API ik_status ik_casefile_run(ik_casefile *cf, uint32_t i,
                                 ik_case_result *res, ik_error *err);

/* What coverage counts: shown sections, fired rules and red flags, the
 * chosen rung and disposition, and answered questions (skips count). */
typedef enum ik_cov_kind {
    IK_COV_SECTION,
    IK_COV_RULE,
    IK_COV_RED_FLAG,
    IK_COV_RUNG,
    IK_COV_DISPOSITION,
    IK_COV_QUESTION,
    IK_COV__COUNT
} ik_cov_kind;

/* "sections", "rules", "red flags", "ladder rungs", "dispositions",
 * "questions". */
IK_API const char *ik_cov_kind_name(ik_cov_kind k);

/* How many items of kind k the pack has. */
IK_API uint32_t ik_casefile_cov_total(const ik_casefile *cf, ik_cov_kind k);

/*
 * Items of kind k that no case run so far has reached: returns how many,
 * and appends their ids to b in pack order, separated by ", ".
 */
IK_API uint32_t ik_casefile_unreached(const ik_casefile *cf, ik_cov_kind k,
                                      ik_buf *b);

#ifdef __cplusplus
}
#endif

#endif
