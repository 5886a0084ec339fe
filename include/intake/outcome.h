/*
 * outcome.h -- the outcome of a whole answers object, as `intake batch`
 * and `intake run --answers` give it, for a program that has the answers
 * already (no interview, no person).
 */
#ifndef INTAKE_OUTCOME_H
#define INTAKE_OUTCOME_H

#include "intake/error.h"
#include "intake/rulebook.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * answers[0..len): one JSON object whose members name questions of rb
 * ({"pain": true, "score": 7}; a question left out is skipped). *json
 * receives the outcome object (free it with ik_free): the same bytes
 * `intake run --answers` writes. IK_ESYNTAX, IK_EANSWER (err names the
 * member), IK_ELOGIC, IK_ENOMEM; *json is NULL then.
 */
IK_API ik_status ik_outcome_of_answers(const ik_rulebook *rb,
                                       const char *answers, size_t len,
                                       char **json, ik_error *err);

#ifdef __cplusplus
}
#endif

#endif
