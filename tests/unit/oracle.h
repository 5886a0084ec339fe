/*
 * oracle.h -- reference implementations for differential tests, kept
 * out of the product (one implementation per semantic lives in engine/):
 *
 * oracle_applied: which questions apply, found the general way, by
 * iterating to a fixed point with no knowledge of the pack's order or of
 * what any condition reads: start with every answer counting, mask the
 * answers of questions that do not apply, evaluate every derived value
 * and enable_when again, until nothing changes. For an ordered pack (the
 * loader refuses others) the fixed point is unique, so the engine's one
 * pass in pack order must find the same one.
 */
#ifndef IK_TEST_ORACLE_H
#define IK_TEST_ORACLE_H

#include "logic.h"
#include "rulebook.h"

#include <stdbool.h>
#include <string.h>

/* Fill enabled[0..nquestions) and slots[0..nslots) (values in scratch,
 * which the caller resets) for answers; IK_OK or the first failure. */
static ik_status oracle_applied(const ik_rulebook *rb, const ik_value *answers,
                                bool *enabled, ik_value *slots, uint32_t nslots,
                                ik_arena *scratch, ik_error *err)
{
    uint64_t pool = IK_LOGIC_TOTAL_BUDGET;
    ik_env env;
    uint32_t q, d, round;
    bool changed = true;
    ik_status st;

    memset(&env, 0, sizeof env);
    env.root = ik_undef();
    env.slots = slots;
    env.nslots = nslots;
    env.scratch = scratch;
    env.pool = &pool;
    for (q = 0; q < nslots; q++)
        slots[q] = ik_undef();
    for (q = 0; q < rb->nquestions; q++)
        enabled[q] = true;
    for (round = 0; changed && round <= rb->nquestions + 1; round++) {
        for (q = 0; q < rb->nquestions; q++)
            slots[rb->questions[q].slot] = enabled[q] ? answers[q] : ik_undef();
        for (d = 0; d < rb->nderived; d++) {
            st = ik_logic_eval(rb->logic, rb->derived[d].value, &env,
                               &slots[rb->derived[d].slot], err);
            if (st != IK_OK)
                return st;
        }
        changed = false;
        for (q = 0; q < rb->nquestions; q++) {
            ik_value v = ik_bool(true);
            if (rb->questions[q].enable_when != IK_NO_EXPR &&
                (st = ik_logic_eval(rb->logic, rb->questions[q].enable_when,
                                    &env, &v, err)) != IK_OK)
                return st;
            if (ik_value_truthy(v) != enabled[q]) {
                enabled[q] = ik_value_truthy(v);
                changed = true;
            }
        }
    }
    /* an ordered pack settles in at most nquestions + 1 rounds */
    return changed ? IK_ELOGIC : IK_OK;
}

#endif
