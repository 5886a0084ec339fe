/*
 * test_view.c -- the outcome in words (intake/view.h) that every human
 * rendering walks: what a clinician expects the Failed Back Syndrome pack
 * to show for a patient days after lower-back surgery who now has sudden
 * breathlessness (CLINICAL.md: possible pulmonary embolism, an emergency
 * that stops the interview), in the nurse's and the patient's words, and
 * the answers behind it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "alloc.h"
#include "intake/view.h"
#include "interview.h"
#include "rulebook.h"

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

/* Operated on the lower back under 6 weeks ago, breathless now. */
static ik_interview *breathless_after_surgery(const char *aud)
{
    static const char *const lines[] = {"yes", "1", "1", "yes"};
    ik_interview *iv = NULL;
    ik_error err;
    size_t i;

    assert_int_equal(ik_interview_new(fbs, aud, &iv, &err), IK_OK);
    for (i = 0; i < sizeof lines / sizeof *lines; i++)
        assert_int_equal(
            ik_interview_answer(iv, lines[i], strlen(lines[i]), &err), IK_OK);
    return iv;
}

static void test_view_says_an_emergency_that_stopped_the_interview(void **state)
{
    ik_interview *iv = breathless_after_surgery("nurse");
    ik_view *v = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(ik_view_new(iv, &v, &err), IK_OK);
    assert_true(v->nurse);
    assert_false(v->complete); /* stopped before the last questions */
    assert_true(v->alarm);
    assert_string_equal(v->headline, "Emergency: immediate emergency care");
    assert_true(v->advice[0] != '\0');
    assert_int_equal(v->nred_flags, 1);
    assert_int_equal(v->stop_flag, 0);
    assert_string_equal(v->red_flags[0].title,
                        "Chest pain or sudden dyspnoea (possible PE)");
    assert_non_null(strstr(v->red_flags[0].text, "pulmonary embolism"));
    assert_int_equal(v->rung, IK_VIEW_NONE); /* no treatment step now */
    assert_true(v->nladder > 0);
    assert_true(v->notice[0] && v->safety_net[0] && v->get_help[0]);
    assert_string_equal(v->pack_id, "failed-back-syndrome");
    ik_view_free(v);
    ik_interview_free(iv);
}

static void test_view_lists_the_answers_behind_the_disposition(void **state)
{
    ik_interview *iv = breathless_after_surgery("nurse");
    ik_view *v = NULL;
    ik_error err;
    const ik_view_list *why;

    (void)state;
    assert_int_equal(ik_view_new(iv, &v, &err), IK_OK);
    assert_int_equal(v->nanswers, 4);
    assert_string_equal(v->answers[3].answer, "yes");
    assert_int_equal(v->answers[3].group, IK_VIEW_ASSESSMENT);
    assert_int_equal(v->answers[0].group, IK_VIEW_BACKGROUND);
    /* the flag reads derived values (operated, chest_positive): the view
     * names the two answers they come from, not the derived ids */
    why = &v->because[IK_VIEW_DISPOSITION];
    assert_int_equal(why->n, 2);
    assert_int_equal(why->items[0], 0); /* had spine surgery */
    assert_int_equal(why->items[1], 3); /* breathless */
    assert_int_equal(v->because[IK_VIEW_LADDER].n, 0);
    ik_view_free(v);
    ik_interview_free(iv);
}

static void test_view_speaks_to_the_patient_in_plain_words(void **state)
{
    ik_interview *iv = breathless_after_surgery("patient");
    ik_view *v = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(ik_view_new(iv, &v, &err), IK_OK);
    assert_false(v->nurse);
    assert_string_equal(v->headline, "Emergency: get help now");
    assert_string_equal(v->red_flags[0].title,
                        "Chest pain or sudden breathlessness");
    assert_non_null(strstr(v->red_flags[0].text, "Do not drive yourself"));
    ik_view_free(v);
    ik_interview_free(iv);
}

static void test_view_survives_every_allocation_failure(void **state)
{
    ik_interview *iv = breathless_after_surgery("nurse");
    ik_view *v = NULL;
    ik_error err;
    long n, failed = 0;
    ik_status st;

    (void)state;
    /* the outcome computed first, so only the view's allocations fail */
    assert_int_equal(ik_view_new(iv, &v, &err), IK_OK);
    ik_view_free(v);
    for (n = 1; n < 10000; n++) {
        ik_alloc_fail_after(n);
        st = ik_view_new(iv, &v, &err);
        ik_alloc_fail_after(0);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_null(v);
        failed++;
    }
    assert_int_equal(st, IK_OK);
    assert_true(failed > 0);
    ik_view_free(v);
    ik_view_free(NULL);
    ik_interview_free(iv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_view_says_an_emergency_that_stopped_the_interview),
        cmocka_unit_test(test_view_lists_the_answers_behind_the_disposition),
        cmocka_unit_test(test_view_speaks_to_the_patient_in_plain_words),
        cmocka_unit_test(test_view_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
