/*
 * test_access.c -- the public accessors of a pack's parts and of an
 * interview (engine/access.c) state their index range in the public
 * headers and keep to it: an index out of range (the count itself, the
 * count plus one, UINT32_MAX) reads nothing past the pack's arrays and
 * gives NULL, 0, false, IK_Q__COUNT or IK_NONE. Under ASan an over-read
 * fails the test even where the value read happens to look right. Only
 * public headers, as a front end would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "intake/intake.h"

#define FBS_PACK IK_SOURCE_DIR "/rules/failed-back-syndrome.json"

static ik_rulebook *fbs;

static int setup(void **state)
{
    ik_error err;

    (void)state;
    return ik_rulebook_load_file(FBS_PACK, &fbs, &err) == IK_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ik_rulebook_free(fbs);
    return 0;
}

/* Indexes past the end of an array of n. */
static void past(uint32_t n, uint32_t out[3])
{
    out[0] = n;
    out[1] = n + 1;
    out[2] = UINT32_MAX;
}

static void test_questions_out_of_range(void **state)
{
    uint32_t n = ik_rulebook_nquestions(fbs), bad[3], i;
    ik_value yes;
    ik_buf b;

    (void)state;
    memset(&yes, 0, sizeof yes);
    yes.kind = IK_BOOL;
    yes.u.b = true;
    assert_true(n > 0);
    past(n, bad);
    ik_buf_init(&b);
    for (i = 0; i < 3; i++) {
        assert_int_equal(ik_question_type(fbs, bad[i]), IK_Q__COUNT);
        assert_null(ik_question_text(fbs, bad[i], IK_AUD_PATIENT));
        assert_int_equal(ik_question_noptions(fbs, bad[i]), 0);
        assert_null(ik_question_option_label(fbs, bad[i], 0, IK_AUD_NURSE));
        assert_false(ik_question_allows_unknown(fbs, bad[i]));
        assert_false(ik_question_allows_none(fbs, bad[i]));
        ik_question_format_answer(fbs, bad[i], IK_AUD_PATIENT, yes, &b);
        ik_question_hint(fbs, bad[i], IK_AUD_PATIENT, &b);
        assert_int_equal(b.len, 0);
    }
    /* in range, for contrast: the last question */
    assert_non_null(ik_question_text(fbs, n - 1, IK_AUD_PATIENT));
    assert_true(ik_question_type(fbs, n - 1) < IK_Q__COUNT);
    ik_buf_fini(&b);
}

static void test_options_out_of_range(void **state)
{
    uint32_t q, k, bad[3], i;

    (void)state;
    for (q = 0; q < ik_rulebook_nquestions(fbs); q++) {
        k = ik_question_noptions(fbs, q);
        if (k > 0)
            assert_non_null(
                ik_question_option_label(fbs, q, k - 1, IK_AUD_PATIENT));
        past(k, bad);
        for (i = 0; i < 3; i++)
            assert_null(
                ik_question_option_label(fbs, q, bad[i], IK_AUD_PATIENT));
    }
}

static void test_dispositions_and_red_flags_out_of_range(void **state)
{
    uint32_t nd = ik_rulebook_ndispositions(fbs);
    uint32_t nf = ik_rulebook_nred_flags(fbs), bad[3], i;

    (void)state;
    assert_int_equal(nd, 5); /* emergency, urgent, soon, routine, self_care */
    assert_non_null(ik_disposition_label(fbs, nd - 1, IK_AUD_PATIENT));
    past(nd, bad);
    for (i = 0; i < 3; i++) {
        assert_null(ik_disposition_label(fbs, bad[i], IK_AUD_PATIENT));
        assert_null(ik_disposition_advice(fbs, bad[i], IK_AUD_NURSE));
        assert_false(ik_disposition_is_alarm(fbs, bad[i]));
    }
    assert_true(nf > 0);
    assert_true(ik_red_flag_disposition(fbs, nf - 1) < nd);
    past(nf, bad);
    for (i = 0; i < 3; i++) {
        assert_null(ik_red_flag_message(fbs, bad[i], IK_AUD_PATIENT));
        assert_int_equal(ik_red_flag_disposition(fbs, bad[i]), IK_NONE);
    }
    assert_null(ik_rulebook_text(fbs, IK_PACK_TEXT__COUNT, IK_AUD_PATIENT));
    assert_null(ik_rulebook_text(fbs, (ik_pack_text)(IK_PACK_TEXT__COUNT + 7),
                                 IK_AUD_PATIENT));
    assert_non_null(ik_rulebook_text(fbs, IK_PACK_NOTICE, IK_AUD_PATIENT));
}

static void test_interview_applies_out_of_range(void **state)
{
    uint32_t n = ik_rulebook_nquestions(fbs), bad[3], i;
    ik_interview *iv = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(ik_interview_new(fbs, "patient", &iv, &err), IK_OK);
    assert_true(ik_interview_applies(iv, 0)); /* the first question */
    past(n, bad);
    for (i = 0; i < 3; i++)
        assert_false(ik_interview_applies(iv, bad[i]));
    ik_interview_free(iv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_questions_out_of_range),
        cmocka_unit_test(test_options_out_of_range),
        cmocka_unit_test(test_dispositions_and_red_flags_out_of_range),
        cmocka_unit_test(test_interview_applies_out_of_range),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
