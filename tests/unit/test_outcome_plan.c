/*
 * test_outcome_plan.c -- differential test of the outcome plan (the
 * precomputed per-pack path batch uses): on random answer sets for every
 * bundled and test pack, including answers to questions that do not
 * apply, ik_outcome_compute with the plan gives exactly the outcome the
 * general fixed-point compute gives, and the plan's JSON writer writes
 * exactly the bytes ik_outcome_write_json writes, for each audience.
 * Must not compare against stored expectations: the two paths judge
 * each other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "alloc.h"
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

/* Compute with and without plan p and compare everything written. */
static void compare_once(const ik_rulebook *rb, const ik_outcome_plan *p,
                         const ik_value *answers, ik_outcome *general,
                         ik_outcome *planned)
{
    ik_buf x, y;
    ik_error e1, e2;
    ik_status s1, s2;
    int aud;

    ik_buf_init(&x);
    ik_buf_init(&y);
    s1 = ik_outcome_compute(rb, answers, general, &e1);
    s2 = ik_outcome_compute(rb, answers, planned, &e2);
    assert_int_equal(s1, s2);
    if (s1 == IK_OK) {
        assert_int_equal(general->stop_flag, planned->stop_flag);
        for (aud = 0; aud < IK_AUD__COUNT; aud++) {
            ik_buf_clear(&x);
            ik_buf_clear(&y);
            ik_outcome_write_json(rb, general, (ik_audience)aud, &x);
            ik_outcome_write_json(rb, planned, (ik_audience)aud, &y);
            assert_string_equal(ik_buf_cstr(&x), ik_buf_cstr(&y));
            ik_buf_clear(&y);
            ik_outcome_plan_write_json(p, general, (ik_audience)aud, &y);
            assert_string_equal(ik_buf_cstr(&x), ik_buf_cstr(&y));
            ik_buf_clear(&y);
            ik_outcome_plan_write_json(p, planned, (ik_audience)aud, &y);
            assert_string_equal(ik_buf_cstr(&x), ik_buf_cstr(&y));
        }
    } else {
        assert_string_equal(e1.msg, e2.msg);
    }
    ik_buf_fini(&x);
    ik_buf_fini(&y);
}

static void
the_planned_outcome_equals_the_general_one_on_random_answers(void **state)
{
    size_t i;
    int round;

    (void)state;
    for (i = 0; i < sizeof packs / sizeof *packs; i++) {
        ik_rulebook *rb;
        ik_outcome_plan *p;
        ik_outcome general, planned;
        ik_value *answers;
        ik_arena a;
        ik_error err;
        uint32_t q;

        assert_int_equal(ik_rulebook_load_file(packs[i], &rb, &err), IK_OK);
        assert_int_equal(ik_outcome_plan_new(rb, &p, &err), IK_OK);
        /* the bundled packs are ordered: the one-pass path is the one
         * under test there */
        if (i < 2)
            assert_true(ik_outcome_plan_ordered(p));
        ik_outcome_init(&general);
        ik_outcome_init(&planned);
        ik_outcome_set_plan(&planned, p);
        ik_arena_init(&a);
        answers = ik_calloc(rb->nquestions + 1, sizeof *answers);
        assert_non_null(answers);
        for (round = 0; round < 3000; round++) {
            ik_arena_reset(&a);
            for (q = 0; q < rb->nquestions; q++)
                answers[q] = round == 0 ? ik_undef()
                                        : random_answer(&rb->questions[q], &a);
            compare_once(rb, p, answers, &general, &planned);
        }
        ik_free(answers);
        ik_arena_fini(&a);
        ik_outcome_fini(&general);
        ik_outcome_fini(&planned);
        ik_outcome_plan_free(p);
        ik_rulebook_free(rb);
    }
}

/* A plan made for another pack is not used (the outcome falls back). */
static void a_plan_for_another_pack_is_ignored(void **state)
{
    ik_rulebook *rb1, *rb2;
    ik_outcome_plan *p;
    ik_outcome o, ref;
    ik_value *answers;
    ik_error err;
    ik_buf x, y;
    uint32_t q;

    (void)state;
    assert_int_equal(ik_rulebook_load_file(packs[0], &rb1, &err), IK_OK);
    assert_int_equal(ik_rulebook_load_file(packs[1], &rb2, &err), IK_OK);
    assert_int_equal(ik_outcome_plan_new(rb1, &p, &err), IK_OK);
    ik_outcome_init(&o);
    ik_outcome_init(&ref);
    ik_outcome_set_plan(&o, p);
    answers = ik_calloc(rb2->nquestions + 1, sizeof *answers);
    assert_non_null(answers);
    for (q = 0; q < rb2->nquestions; q++)
        answers[q] =
            rb2->questions[q].type == IK_Q_YES_NO ? ik_bool(true) : ik_undef();
    assert_int_equal(ik_outcome_compute(rb2, answers, &o, &err), IK_OK);
    assert_int_equal(ik_outcome_compute(rb2, answers, &ref, &err), IK_OK);
    ik_buf_init(&x);
    ik_buf_init(&y);
    ik_outcome_write_json(rb2, &o, IK_AUD_PATIENT, &x);
    ik_outcome_write_json(rb2, &ref, IK_AUD_PATIENT, &y);
    assert_string_equal(ik_buf_cstr(&x), ik_buf_cstr(&y));
    ik_buf_fini(&x);
    ik_buf_fini(&y);
    ik_free(answers);
    ik_outcome_fini(&o);
    ik_outcome_fini(&ref);
    ik_outcome_plan_free(p);
    ik_rulebook_free(rb1);
    ik_rulebook_free(rb2);
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
            the_planned_outcome_equals_the_general_one_on_random_answers),
        cmocka_unit_test(a_plan_for_another_pack_is_ignored),
        cmocka_unit_test(computing_the_rest_without_applied_answers_is_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
