/*
 * view.h (internal) -- build the view of an outcome (intake/view.h) from
 * the outcome itself, for the exports that hold one without an interview
 * in the audience they choose.
 */
#ifndef IK_VIEW_INTERNAL_H
#define IK_VIEW_INTERNAL_H

#include "intake/view.h"

#include "outcome.h"
#include "rulebook.h"

/* As ik_view_new, for outcome o of pack rb in the words of aud. */
ik_status ik_view_build(const ik_rulebook *rb, const ik_outcome *o,
                        ik_audience aud, ik_view **out, ik_error *err);

#endif
