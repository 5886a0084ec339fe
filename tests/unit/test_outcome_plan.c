/*
 * test_outcome_plan.c -- differential test of the outcome's one pass in
 * pack order against the general fixed point (tests/unit/oracle.h): on
 * random answer sets for the bundled and test packs, including answers to
 * questions that do not apply, ik_outcome_compute finds exactly the
 * questions that apply and the slots the oracle finds; and the plan's
 * JSON writer (precomputed text, batch) writes exactly the bytes
 * ik_outcome_write_json writes, for each audience. Must not compare
 * against stored expectations: the oracle is the judge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "deps.h"
#include "oracle.h"
#include "outcome.h"
#include "rulebook.h"

#define RNG_SEED 7
#include "random_answer.h"

static const char *const packs[] = {
    IK_SOURCE_DIR "/rules/failed-back-syndrome.json",
    IK_SOURCE_DIR "/rules/examples/bicycle-check.json",
    IK_SOURCE_DIR "/tests/data/interview/pack.json",
    IK_SOURCE_DIR "/tests/packs/good/minimal.json",
};

/* A value question q could record, or UNDEF / null now and then. */
static ik_value random_answer(const ik_question *q, ik_arena *a)
{
    if (rnd(8) == 0)
        return ik_undef();
    if (rnd(12) == 0 || q->type == IK_Q_INFO)
        return ik_null();
    return random_typed_answer(q, a);
}

/* Compute, compare with the oracle, and compare the two writers. */
/* Returns whether both computed an outcome (else both failed alike). */
static bool compare_once(const ik_rulebook *rb, const ik_outcome_plan *p,
                         const ik_value *answers, ik_outcome *o, bool *enabled,
                         ik_value *slots, ik_arena *scratch)
{
    ik_buf x, y;
    ik_error e1, e2;
    ik_status s1, s2;
    uint32_t q, s, nslots = ik_deps_nslots(rb->deps);
    int aud;

    ik_buf_init(&x);
    ik_buf_init(&y);
    ik_arena_reset(scratch);
    s1 = oracle_applied(rb, answers, enabled, slots, nslots, scratch, &e1);
    s2 = ik_outcome_compute(rb, answers, o, &e2);
    assert_int_equal(s1, s2);
    if (s1 != IK_OK)
        return false;
    assert_int_equal(o->nslots, nslots);
    for (q = 0; q < rb->nquestions; q++)
        assert_int_equal(o->enabled[q], enabled[q]);
    for (s = 0; s < nslots; s++) {
        ik_buf_clear(&x);
        ik_buf_clear(&y);
        ik_value_write_json(&x,
                            slots[s].kind == IK_UNDEF ? ik_null() : slots[s]);
        ik_value_write_json(&y, o->slots[s].kind == IK_UNDEF ? ik_null()
                                                             : o->slots[s]);
        assert_int_equal(slots[s].kind == IK_UNDEF,
                         o->slots[s].kind == IK_UNDEF);
        assert_string_equal(ik_buf_cstr(&x), ik_buf_cstr(&y));
    }
    for (aud = 0; aud < IK_AUD__COUNT; aud++) {
        ik_buf_clear(&x);
        ik_buf_clear(&y);
        ik_outcome_write_json(rb, o, (ik_audience)aud, &x);
        ik_outcome_plan_write_json(p, o, (ik_audience)aud, &y);
        assert_string_equal(ik_buf_cstr(&x), ik_buf_cstr(&y));
    }
    ik_buf_fini(&x);
    ik_buf_fini(&y);
    return true;
}

static void
the_one_pass_outcome_equals_the_fixed_point_oracle_on_random_answers(
    void **state)
{
    size_t i;
    int round;

    (void)state;
    for (i = 0; i < sizeof packs / sizeof *packs; i++) {
        ik_rulebook *rb;
        ik_outcome_plan *p;
        ik_outcome o;
        ik_value *answers, *slots;
        bool *enabled;
        ik_arena a, scratch;
        ik_error err;
        uint32_t q;
        unsigned compared = 0;

        assert_int_equal(ik_rulebook_load_file(packs[i], &rb, &err), IK_OK);
        assert_int_equal(ik_outcome_plan_new(rb, &p, &err), IK_OK);
        ik_outcome_init(&o);
        ik_arena_init(&a);
        ik_arena_init(&scratch);
        answers = ik_calloc(rb->nquestions + 1, sizeof *answers);
        enabled = ik_calloc(rb->nquestions + 1, sizeof *enabled);
        slots = ik_calloc(ik_deps_nslots(rb->deps) + 1, sizeof *slots);
        assert_non_null(answers);
        assert_non_null(enabled);
        assert_non_null(slots);
        for (round = 0; round < 3000; round++) {
            ik_arena_reset(&a);
            for (q = 0; q < rb->nquestions; q++)
                answers[q] = round == 0 ? ik_undef()
                                        : random_answer(&rb->questions[q], &a);
            compared += compare_once(rb, p, answers, &o, enabled, slots,
                                     &scratch);
        }
        /* most rounds compute an outcome to compare, not just an error */
        assert_true(compared > (unsigned)round / 2);
        ik_free(answers);
        ik_free(enabled);
        ik_free(slots);
        ik_arena_fini(&a);
        ik_arena_fini(&scratch);
        ik_outcome_fini(&o);
        ik_outcome_plan_free(p);
        ik_rulebook_free(rb);
    }
}

/* The second half of a compute needs a first half to go on from. */
static void computing_the_rest_without_applied_answers_is_refused(void **state)
{
    ik_rulebook *rb;
    ik_outcome o;
    ik_value *answers;
    ik_error err;

    (void)state;
    assert_int_equal(ik_rulebook_load_file(packs[0], &rb, &err), IK_OK);
    ik_outcome_init(&o);
    assert_int_equal(ik_outcome_compute_rest(rb, &o, &err), IK_EMISUSE);
    answers = ik_calloc(rb->nquestions + 1, sizeof *answers);
    assert_non_null(answers);
    assert_int_equal(ik_outcome_compute_applied(rb, answers, &o, &err), IK_OK);
    assert_null(o.red_flags.items); /* only the first half is there */
    assert_int_equal(ik_outcome_compute_rest(rb, &o, &err), IK_OK);
    assert_non_null(o.red_flags.items);
    ik_free(answers);
    ik_outcome_fini(&o);
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            the_one_pass_outcome_equals_the_fixed_point_oracle_on_random_answers),
        cmocka_unit_test(computing_the_rest_without_applied_answers_is_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
