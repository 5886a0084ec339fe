/*
 * test_view.c -- the outcome in words (intake/view.h) that every human
 * rendering walks: what a clinician expects the Failed Back Syndrome pack
 * to show for a patient days after lower-back surgery who now has sudden
 * breathlessness (CLINICAL.md: possible pulmonary embolism, an emergency
 * that stops the interview), in the nurse's and the patient's words, and
 * the answers behind it; and, for each other disposition tier, a story
 * whose expected tier, time frame, ladder step and sections were worked
 * out from docs/clinical.md and docs/content-map.md before the pack was
 * run (the labels are the pack's names of those tiers and steps).
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
    assert_int_equal(ik_view_new(iv, ik_interview_aud(iv), &v, &err), IK_OK);
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
    assert_int_equal(v->rung, IK_NONE);        /* no treatment step now */
    assert_int_equal(v->reason_note, IK_NONE); /* a flag, not a rule */
    assert_string_equal(ik_view_reason(v), "");
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
    assert_int_equal(ik_view_new(iv, ik_interview_aud(iv), &v, &err), IK_OK);
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
    assert_int_equal(ik_view_new(iv, ik_interview_aud(iv), &v, &err), IK_OK);
    assert_false(v->nurse);
    assert_string_equal(v->headline, "Emergency: get help now");
    assert_string_equal(v->red_flags[0].title,
                        "Chest pain or sudden breathlessness");
    assert_non_null(strstr(v->red_flags[0].text, "Do not drive yourself"));
    ik_view_free(v);
    ik_interview_free(iv);
}

/* ---- The other tiers: what a clinician expects ---- */

/* The answers of a story, completed as `intake run --answers` does. */
static ik_interview *story(const char *aud, const char *answers)
{
    ik_interview *iv = NULL;
    ik_error err;

    assert_int_equal(ik_interview_new(fbs, aud, &iv, &err), IK_OK);
    if (ik_interview_answer_all(iv, answers, strlen(answers), "story", &err) !=
        IK_OK)
        fail_msg("story refused: %s", err.msg);
    return iv;
}

/* Every answer of the red-flag screen negative, after surgery (the
 * answers to questions a story's person is not asked are ignored). */
#define NO_FLAGS_OPERATED                                                      \
    "\"chest_breathless\": false, \"calf_swelling\": false, "                  \
    "\"cauda_equina_signs\": [], \"leg_weakness\": \"no\", "                   \
    "\"cancer_history\": false, \"fall_injury\": \"no\", "                     \
    "\"self_harm\": \"not_at_all\", \"strong_painkillers\": false, "           \
    "\"pain_change\": \"usual\", \"pain_not_eased\": false"

/* A year after lower-back surgery, back and leg pain as usual; the rest
 * of an FBS candidate's questions (PHQ-2 negative, no interests). */
#define FBS_CANDIDATE                                                          \
    "\"had_spine_surgery\": true, \"surgery_site\": \"lower_back\", "          \
    "\"surgery_when\": \"over_1_year\", " NO_FLAGS_OPERATED ", "               \
    "\"phq2_interest\": \"not_at_all\", \"phq2_down\": \"not_at_all\", "       \
    "\"interests\": []"

static bool has_section(const ik_view *v, const char *title)
{
    uint32_t i;

    for (i = 0; i < v->nsections; i++)
        if (strcmp(v->sections[i].title, title) == 0)
            return true;
    return false;
}

/* What a clinician expects of a story's outcome, in the patient's words. */
typedef struct tier {
    const char *answers;
    const char *headline;
    const char *when;     /* the one time frame the advice names; NULL:
                             none of now, today, days, next planned visit */
    const char *red_flag; /* the one flag fired (title); NULL: none */
    const char *rung;     /* the step to discuss (title); NULL: none */
    const char *shown[3], *not_shown[3]; /* sections (titles) */
} tier;

/* Check a story's view against t; the view, for further checks. */
static ik_view *check_tier(const tier *t, ik_interview **iv)
{
    static const char *const frames[] = {"now", "today", "days",
                                         "next planned visit"};
    ik_view *v = NULL;
    ik_error err;
    size_t i;

    *iv = story("patient", t->answers);
    assert_int_equal(ik_view_new(*iv, IK_AUD_PATIENT, &v, &err), IK_OK);
    assert_true(v->complete); /* none of these stops the interview */
    assert_int_equal(v->stop_flag, IK_NONE);
    assert_false(v->alarm); /* only an emergency is "act now" */
    assert_string_equal(v->headline, t->headline);
    for (i = 0; i < sizeof frames / sizeof *frames; i++) {
        bool want = t->when && strcmp(frames[i], t->when) == 0;
        if ((strstr(v->advice, frames[i]) != NULL) != want)
            fail_msg("advice \"%s\" %s \"%s\"", v->advice,
                     want ? "lacks" : "also says", frames[i]);
    }
    assert_int_equal(v->nred_flags, t->red_flag ? 1 : 0);
    if (t->red_flag)
        assert_string_equal(v->red_flags[0].title, t->red_flag);
    if (!t->rung)
        assert_int_equal(v->rung, IK_NONE);
    else if (v->rung == IK_NONE)
        fail_msg("no step to discuss; expected \"%s\"", t->rung);
    else
        assert_string_equal(v->ladder[v->rung].title, t->rung);
    for (i = 0; i < 3; i++) {
        if (t->shown[i] && !has_section(v, t->shown[i]))
            fail_msg("section \"%s\" not shown", t->shown[i]);
        if (t->not_shown[i] && has_section(v, t->not_shown[i]))
            fail_msg("section \"%s\" shown", t->not_shown[i]);
    }
    return v;
}

/*
 * Urgent (same day): fever and a leaking wound four weeks after
 * lower-back surgery. clinical.md, wound infection after surgery: same
 * day, contact the surgeon now; not an emergency, and it does not stop
 * the interview (content-map: the urgent flag alerts, the person goes on).
 * Under 3 months after surgery is healing, not failed back syndrome
 * (content-map, rule early_after_surgery): no treatment step, the
 * follow-up section, no ladder teaching.
 */
static void
test_view_wound_infection_soon_after_surgery_is_same_day(void **state)
{
    static const tier t = {
        .answers = "{\"had_spine_surgery\": true, \"surgery_site\": "
                   "\"lower_back\", \"surgery_when\": "
                   "\"under_6_weeks\", " NO_FLAGS_OPERATED
                   ", \"fever_or_wound\": true, "
                   "\"night_pain_weight_loss\": false}",
        .headline = "Urgent: get checked today",
        .when = "today",
        .red_flag = "Fever or a red, leaking wound",
        .shown = {"Follow-up visits"},
        .not_shown = {"Step 1: care without surgery",
                      "Physical therapy: the first step"},
    };
    ik_interview *iv;

    (void)state;
    ik_view_free(check_tier(&t, &iv));
    ik_interview_free(iv);
}

/*
 * Soon (within days, at most 2 weeks): pain at night that rest does not
 * ease, a year after lower-back surgery, in someone whose exercise
 * programme otherwise helps enough. clinical.md, possible cancer: soon,
 * an urgent scan or a priority referral within 2 weeks; it is no
 * emergency and does not stop the interview. The person is still an FBS
 * candidate whose care helps: step 1 (content-map: conservative while
 * care helps enough), with the section on how the cause is looked for.
 */
static void test_view_night_pain_a_year_after_surgery_is_soon(void **state)
{
    static const tier t = {
        .answers = "{" FBS_CANDIDATE ", \"fever_or_wound\": false, "
                   "\"night_pain_weight_loss\": true, \"pain_where\": "
                   "\"both\", \"treatments_tried\": [\"physio\"], "
                   "\"treatment_helped\": \"enough\"}",
        .headline = "Soon: see your doctor within days",
        .when = "days",
        .red_flag = "Night pain or weight loss",
        .rung = "Step 1: exercise and simple care",
        .shown = {"How doctors look for the cause"},
        .not_shown = {"Step 2: help from a pain specialist"},
    };
    ik_interview *iv;

    (void)state;
    ik_view_free(check_tier(&t, &iv));
    ik_interview_free(iv);
}

/*
 * Routine (next planned visit): back pain as usual a year after
 * lower-back surgery, no warning sign, six weeks or more of exercise with
 * a physical therapist that did not help, and no cause found by the
 * surgical team. Stable pain is routine at every rung (content-map);
 * NG59 and North 2005 (clinical.md): after a failed exercise trial, step
 * 2, a pain specialist and a pain management programme, not another
 * operation without a cause, and no injection for back pain.
 */
static void
test_view_failed_exercise_trial_for_back_pain_is_routine_step_2(void **state)
{
    static const tier t = {
        .answers = "{" FBS_CANDIDATE ", \"fever_or_wound\": false, "
                   "\"night_pain_weight_loss\": false, \"pain_where\": "
                   "\"back\", \"treatments_tried\": [\"physio\"], "
                   "\"treatment_helped\": \"not_at_all\", "
                   "\"surgeon_found_cause\": false}",
        .headline = "Routine: talk about it at your next visit",
        .when = "next planned visit",
        .rung = "Step 2: a pain specialist",
        .shown = {"Step 2: help from a pain specialist",
                  "Managing long-lasting pain"},
        .not_shown = {"Steroid injections for leg pain",
                      "Step 3: another operation, a decision to make "
                      "together"},
    };
    ik_interview *iv;
    ik_view *v;

    (void)state;
    v = check_tier(&t, &iv);
    /* the reason is the note of the rule that gives the disposition */
    assert_true(v->reason_note < v->nnotes);
    assert_ptr_equal(ik_view_reason(v), v->notes[v->reason_note]);
    assert_true(ik_view_reason(v)[0] != '\0');
    ik_view_free(v);
    ik_interview_free(iv);
}

/*
 * Self-care (keep to the plan): a year after lower-back surgery, no
 * warning sign, and an exercise programme with a physical therapist that
 * helps enough for daily activities, work and sleep. content-map: care
 * that helps enough is self-care at step 1, with rehabilitation (an
 * exercise trial was done) rather than physical therapy as a first step,
 * and no step 2.
 */
static void test_view_care_that_helps_enough_is_self_care(void **state)
{
    static const tier t = {
        .answers = "{" FBS_CANDIDATE ", \"fever_or_wound\": false, "
                   "\"night_pain_weight_loss\": false, \"pain_where\": "
                   "\"both\", \"treatments_tried\": [\"physio\"], "
                   "\"treatment_helped\": \"enough\"}",
        .headline = "Self-care: keep to your plan",
        .rung = "Step 1: exercise and simple care",
        .shown = {"Rehabilitation: getting back to what matters"},
        .not_shown = {"Physical therapy: the first step",
                      "Step 2: help from a pain specialist"},
    };
    ik_interview *iv;

    (void)state;
    ik_view_free(check_tier(&t, &iv));
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
    assert_int_equal(ik_view_new(iv, ik_interview_aud(iv), &v, &err), IK_OK);
    ik_view_free(v);
    for (n = 1; n < 10000; n++) {
        ik_alloc_fail_after(n);
        st = ik_view_new(iv, ik_interview_aud(iv), &v, &err);
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
        cmocka_unit_test(
            test_view_wound_infection_soon_after_surgery_is_same_day),
        cmocka_unit_test(test_view_night_pain_a_year_after_surgery_is_soon),
        cmocka_unit_test(
            test_view_failed_exercise_trial_for_back_pain_is_routine_step_2),
        cmocka_unit_test(test_view_care_that_helps_enough_is_self_care),
        cmocka_unit_test(test_view_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
