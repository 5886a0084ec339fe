/*
 * run_answers.c -- complete an interview without a person: each question
 * the interview asks gets the answer given for it in an answers object
 * (batch, `intake run --answers`). No sessions, no I/O.
 */
#include "run_answers.h"

#include "error.h"
#include "interview.h"
#include "outcome.h"
#include "rulebook.h"

#include <stdio.h>

ik_status ik_run_answers(ik_interview *iv, const ik_value *answers,
                         ik_error *err)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    ik_step step;
    ik_status st;

    for (ik_interview_next(iv, &step); step.kind == IK_STEP_QUESTION;
         ik_interview_next(iv, &step)) {
        const ik_question *q = &rb->questions[step.question];
        ik_event ev;
        ev.question = step.question;
        if ((st = ik_outcome_answer_as_asked(rb, step.question,
                                             answers[step.question], &ev.value,
                                             err)) != IK_OK)
            return st;
        ev.kind = q->type == IK_Q_INFO       ? IK_EV_ACK
                  : ev.value.kind == IK_NULL ? IK_EV_SKIP
                                             : IK_EV_ANSWER;
        if ((st = ik_interview_apply(iv, &ev, err)) != IK_OK) {
            if (st == IK_ENOMEM)
                return st;
            if (err) {
                char msg[sizeof err->msg];
                ik_strlcpy(msg, err->msg, sizeof msg);
                snprintf(err->msg, sizeof err->msg, "'%s': %.200s", q->id, msg);
                snprintf(err->path, sizeof err->path, "/%s", q->id);
                err->code = IK_EANSWER;
            }
            return IK_EANSWER;
        }
    }
    return IK_OK;
}
