/*
 * interview.h (internal) -- what the front ends and the sessions module
 * read from an interview beyond the public API: the rulebook and audience
 * it runs on, the current outcome, recorded and earlier answers. Borrowed
 * pointers stay valid until the next call that changes the interview.
 */
#ifndef IK_INTERVIEW_INTERNAL_H
#define IK_INTERVIEW_INTERNAL_H

#include "intake/interview.h"

#include "buf.h"
#include "outcome.h"
#include "rulebook.h"

const ik_rulebook *ik_interview_rulebook(const ik_interview *iv);

/* ik_interview_aud, _applies, _answers, _earlier, _trail, _why: public
 * (intake/interview.h). */

/* The outcome of the answers so far (the final one at the outcome step).
 * Computed when asked after answers changed (a step keeps only what
 * decides the next question up to date): O(pack) then. */
const ik_outcome *ik_interview_outcome(const ik_interview *iv);

/* As ik_interview_outcome, but a compute that fails (IK_ENOMEM,
 * IK_ELOGIC) is reported: *out is NULL then. */
ik_status ik_interview_compute_outcome(const ik_interview *iv,
                                       const ik_outcome **out, ik_error *err);

/* What the interview keeps up to date at every step: an outcome of the
 * answers so far with only enabled, slots and nslots filled (the rest of
 * it empty). Sessions save from it; tests compare it with a computation
 * from scratch. */
const ik_outcome *ik_interview_applied(const ik_interview *iv);

/* The live slots the exact bound's search keeps listed for the questions
 * it met (tests: at most 65,536 or 65 a slot of the pack, and one list
 * more, however many questions it met). */
size_t ik_interview_live_kept(const ik_interview *iv);

/* Whether ik_interview_outcome would return the outcome it holds, without
 * computing it again (tests). */
bool ik_interview_outcome_is_fresh(const ik_interview *iv);

#endif
