/*
 * run_answers.h (internal) -- complete an interview without a person, from
 * the answers of an answers object (batch, `intake run --answers`).
 */
#ifndef IK_RUN_ANSWERS_H
#define IK_RUN_ANSWERS_H

#include "intake/error.h"
#include "intake/interview.h"

#include "value.h"

/*
 * Complete iv without a person: answers[0..nquestions) by question index
 * (UNDEF: not given; NULL: skipped), as ik_answers_json_parse fills them.
 * Each question the interview asks gets its given answer; a question not
 * given is skipped (an info question acknowledged). IK_EANSWER naming the
 * id (err->path "/<id>") when a required question has no answer or an
 * answer does not fit.
 */
ik_status ik_run_answers(ik_interview *iv, const ik_value *answers,
                         ik_error *err);

#endif
