/*
 * intake.h -- the whole public API of libintake in one include.
 *
 * Ownership, the one rule for every function here:
 *   - What an ik_X_new or ik_X_load* call returns is freed by the matching
 *     ik_X_free (ik_rulebook_free, ik_interview_free, ik_session_free,
 *     ik_logic_free, ik_view_free, ik_explore_free, ik_batch_free, ...);
 *     each accepts NULL.
 *   - Every char * the library returns for the caller to keep (outcome
 *     JSON, evaluation results) is freed by ik_free. (ik_interview_free_string
 *     and ik_logic_free_string are the same function under older names.)
 *   - A const pointer the library returns (a question's text, an id, a
 *     session's label) is borrowed: valid until the handle it came from
 *     changes (the next answer, back, skip) or is freed. Copy it to keep it.
 *   - Errors go into the caller's ik_error; filling one never allocates.
 *
 * The library prints nothing, never exits, reads no terminal, and changes
 * no process-wide state: not the locale (numbers are read in the C locale
 * whatever the host's), not cJSON's allocation hooks, not signals.
 * Handles are not shared between threads while one of them changes; a
 * loaded rulebook is read-only and may be used by many threads at once.
 */
#ifndef INTAKE_INTAKE_H
#define INTAKE_INTAKE_H

#include "intake/batch.h"
#include "intake/buf.h"
#include "intake/casefile.h"
#include "intake/error.h"
#include "intake/explore.h"
#include "intake/export.h"
#include "intake/graph.h"
#include "intake/interview.h"
#include "intake/json.h"
#include "intake/logic.h"
#include "intake/outcome.h"
#include "intake/rulebook.h"
#include "intake/session.h"
#include "intake/suggest.h"
#include "intake/utf8.h"
#include "intake/value.h"
#include "intake/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Free a string the library returned (NULL is fine). */
IK_API void ik_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
