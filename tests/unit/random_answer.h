/*
 * random_answer.h -- what the differential tests share: a seeded
 * splitmix64 generator and a random value for a question, of its type
 * (an option, a subset of options, a number in or near its range, a
 * text), which the question may still refuse. Each test sets RNG_SEED
 * before including it; nothing here prints or asserts beyond allocation.
 */
#ifndef IK_TEST_RANDOM_ANSWER_H
#define IK_TEST_RANDOM_ANSWER_H

#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "rulebook.h"

#ifndef RNG_SEED
#error "define RNG_SEED before including random_answer.h"
#endif

static uint64_t rng = RNG_SEED;

static uint32_t rnd(uint32_t n)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15u);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)((z ^ (z >> 31)) % (n ? n : 1));
}

/* A value of q's type (null for info questions). */
static ik_value random_typed_answer(const ik_question *q, ik_arena *a)
{
    uint32_t k, n;
    ik_value *items;

    switch (q->type) {
    case IK_Q_YES_NO:
        return ik_bool(rnd(2) == 0);
    case IK_Q_CHOICE:
        if (!q->noptions)
            return ik_null();
        k = rnd(q->noptions);
        return ik_str(q->options[k].value,
                      (uint32_t)strlen(q->options[k].value));
    case IK_Q_MULTI:
        items = ik_arena_alloc(a, (q->noptions + 1) * sizeof *items);
        assert_non_null(items);
        for (k = 0, n = 0; k < q->noptions; k++)
            if (rnd(3) == 0)
                items[n++] = ik_str(q->options[k].value,
                                    (uint32_t)strlen(q->options[k].value));
        return (ik_value){IK_ARR, n, {.items = items}};
    case IK_Q_NUMBER: {
        double lo = q->min > -1e6 ? q->min : -5,
               hi = q->max < 1e6 ? q->max : 50;
        return ik_num(lo + (double)rnd((uint32_t)(hi - lo) + 1));
    }
    case IK_Q_TEXT:
        return rnd(2) ? ik_str("a \"quoted\"\nnote", 15) : ik_str("x", 1);
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    return ik_null();
}

#endif
