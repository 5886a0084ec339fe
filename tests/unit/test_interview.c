/*
 * test_interview.c -- the interview state machine on the test pack
 * tests/data/interview/pack.json, without a terminal: order of questions,
 * enable_when, refusals that change nothing, skip, back with the earlier
 * answer kept, changed answers re-evaluating what follows, a stop red
 * flag, progress, replaying the event history, audiences and labels, and
 * out-of-memory at every allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "interview.h"
#include "rulebook.h"

#define PACK IK_SOURCE_DIR "/tests/data/interview/pack.json"

static ik_rulebook *rb;

static int setup(void **state)
{
    ik_error err;

    (void)state;
    if (ik_rulebook_load_file(PACK, &rb, &err) != IK_OK) {
        fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ik_rulebook_free(rb);
    return 0;
}

static ik_interview *start(const char *audience)
{
    ik_interview *iv;
    ik_error err;

    assert_int_equal(ik_interview_new(rb, audience, &iv, &err), IK_OK);
    return iv;
}

/* The id of the question asked now, or "(outcome)". */
static const char *at(const ik_interview *iv)
{
    ik_step s;

    ik_interview_next(iv, &s);
    return s.kind == IK_STEP_OUTCOME ? "(outcome)" : s.id;
}

static void say(ik_interview *iv, const char *text)
{
    ik_error err;
    ik_status st = ik_interview_answer(iv, text, strlen(text), &err);

    if (st != IK_OK)
        fail_msg("answer '%s' at %s refused: %s", text, at(iv), err.msg);
}

static void refused(ik_interview *iv, const char *text, const char *msg)
{
    ik_error err;
    const char *before = at(iv);
    size_t nev = ik_interview_nevents(iv);

    assert_int_equal(ik_interview_answer(iv, text, strlen(text), &err),
                     IK_EANSWER);
    if (!strstr(err.msg, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
    assert_string_equal(at(iv), before);
    assert_int_equal(ik_interview_nevents(iv), nev);
}

static char *outcome_json(const ik_interview *iv)
{
    char *json;
    ik_error err;

    assert_int_equal(ik_interview_outcome_json(iv, &json, &err), IK_OK);
    return json;
}

static void expect_outcome_has(const ik_interview *iv, const char *part)
{
    char *json = outcome_json(iv);

    if (!strstr(json, part)) {
        fprintf(stderr, "outcome: %s\n", json);
        ik_interview_free_string(json);
        fail_msg("outcome lacks %s", part);
    }
    ik_interview_free_string(json);
}

static void expect_outcome_lacks(const ik_interview *iv, const char *part)
{
    char *json = outcome_json(iv);
    bool found = strstr(json, part) != NULL;

    ik_interview_free_string(json);
    if (found)
        fail_msg("outcome has %s", part);
}

/* Answer up to the pain question, after surgery or not. */
static void to_pain(ik_interview *iv, bool surgery)
{
    say(iv, "");
    say(iv, surgery ? "yes" : "no");
    say(iv, "no");
    assert_string_equal(at(iv), "pain");
}

static void test_questions_come_in_pack_order_from_the_info_screen(void **state)
{
    ik_interview *iv = start("patient");
    ik_step s;

    (void)state;
    ik_interview_next(iv, &s);
    assert_int_equal(s.kind, IK_STEP_QUESTION);
    assert_string_equal(s.id, "intro");
    assert_int_equal(s.number, 1);
    assert_false(s.can_back);
    assert_false(s.can_skip);
    say(iv, "");
    ik_interview_next(iv, &s);
    assert_string_equal(s.id, "had_surgery");
    assert_int_equal(s.number, 2);
    assert_true(s.can_back);
    assert_false(s.can_skip); /* required */
    ik_interview_free(iv);
}

static void test_full_interview_without_surgery_ends_on_routine(void **state)
{
    ik_interview *iv = start("patient");
    ik_step s;

    (void)state;
    to_pain(iv, false);
    say(iv, "5");
    assert_string_equal(at(iv), "mri"); /* months, temp not asked */
    say(iv, "dk");
    say(iv, "leg");
    say(iv, "1, 2");
    say(iv, "no");
    say(iv, "nothing else");
    ik_interview_next(iv, &s);
    assert_int_equal(s.kind, IK_STEP_OUTCOME);
    assert_int_equal(s.stop_flag, IK_NONE);
    expect_outcome_has(iv, "\"complete\":true,\"disposition\":\"routine\"");
    expect_outcome_has(iv, "\"ladder\":\"interventional\"");
    expect_outcome_has(iv, "\"notes\":\"nothing else\"");
    ik_interview_free(iv);
}

static void test_bad_answers_are_refused_and_change_nothing(void **state)
{
    ik_interview *iv = start("patient");

    (void)state;
    to_pain(iv, true);
    refused(iv, "", "Please enter a whole number from 0 to 10");
    refused(iv, "11", "from 0 to 10");
    refused(iv, "1e400", "not a number");
    refused(iv, "nan", "not a number");
    refused(iv, "\xFF\xFE", "could not be read");
    refused(iv, "4\x1B", "could not be read");
    say(iv, "4");
    assert_string_equal(at(iv), "months");
    say(iv, "8");
    say(iv, "37");
    refused(iv, "maybe", "yes or no");
    say(iv, "unsure");
    refused(iv, "b", "fits more than one option");
    refused(iv, "4", "not one of the options");
    say(iv, "2");
    refused(iv, "5", "not one of the options");
    say(iv, "none");
    assert_string_equal(at(iv), "notes"); /* relief: nothing tried */
    expect_outcome_has(iv, "\"had_surgery\":true,\"saddle\":false,"
                           "\"pain\":4,\"months\":8,\"temp\":37,\"mri\":"
                           "\"unknown\",\"where\":\"both\",\"tried\":[]");
    ik_interview_free(iv);
}

static void test_required_questions_cannot_be_skipped_others_can(void **state)
{
    ik_interview *iv = start("patient");
    ik_error err;
    ik_step s;

    (void)state;
    assert_int_equal(ik_interview_skip(iv, &err), IK_EANSWER); /* info */
    say(iv, "");
    assert_int_equal(ik_interview_skip(iv, &err), IK_EANSWER);
    assert_non_null(strstr(err.msg, "cannot be skipped"));
    say(iv, "no");
    say(iv, "no");
    say(iv, "3");
    ik_interview_next(iv, &s);
    assert_true(s.can_skip);
    assert_int_equal(ik_interview_skip(iv, &err), IK_OK);
    assert_string_equal(at(iv), "where");
    expect_outcome_has(iv, "\"mri\":null");
    ik_interview_free(iv);
}

static void test_back_offers_the_earlier_answer_and_enter_keeps_it(void **state)
{
    ik_interview *iv = start("patient");
    ik_error err;
    ik_step s;

    (void)state;
    to_pain(iv, false);
    say(iv, "6");
    assert_string_equal(at(iv), "mri");
    assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    ik_interview_next(iv, &s);
    assert_string_equal(s.id, "pain");
    assert_true(s.has_earlier);
    assert_true(ik_interview_earlier(iv, s.question).u.num == 6);
    expect_outcome_lacks(iv, "\"pain\":6"); /* not counted while re-asked */
    say(iv, "");
    assert_string_equal(at(iv), "mri");
    expect_outcome_has(iv, "\"pain\":6");
    ik_interview_free(iv);
}

static void
test_changing_an_answer_drops_questions_that_no_longer_apply(void **state)
{
    ik_interview *iv = start("patient");
    ik_error err;
    int i;

    (void)state;
    to_pain(iv, true);
    say(iv, "8");
    say(iv, "8");  /* months */
    say(iv, "39"); /* temp: fever */
    expect_outcome_has(iv, "\"disposition\":\"urgent\"");
    for (i = 0; i < 5; i++) /* temp, months, pain, saddle, had_surgery */
        assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    assert_string_equal(at(iv), "had_surgery");
    say(iv, "no");
    assert_string_equal(at(iv), "saddle");
    say(iv, "");                        /* keep "no" */
    say(iv, "");                        /* keep 8 */
    assert_string_equal(at(iv), "mri"); /* months and temp dropped */
    expect_outcome_has(iv, "\"disposition\":\"routine\"");
    expect_outcome_lacks(iv, "\"temp\"");
    expect_outcome_lacks(iv, "\"months\"");
    /* history still holds the dropped answers */
    assert_int_equal(ik_interview_event(iv, 4).kind, IK_EV_ANSWER);
    assert_string_equal(
        ik_interview_question_id(iv, ik_interview_event(iv, 5).question),
        "temp");
    assert_true(ik_interview_event(iv, 5).value.u.num == 39);
    ik_interview_free(iv);
}

static void
test_an_answer_kept_for_a_question_that_no_longer_applies_is_dropped(
    void **state)
{
    ik_interview *iv = start("patient");
    ik_error err;

    (void)state;
    to_pain(iv, false);
    say(iv, "2");
    say(iv, "no");
    say(iv, "1");
    say(iv, "1");
    say(iv, "no"); /* relief */
    expect_outcome_has(iv, "\"relief\":false");
    assert_int_equal(ik_interview_back(iv, &err), IK_OK); /* relief */
    assert_int_equal(ik_interview_back(iv, &err), IK_OK); /* tried */
    say(iv, "none");
    assert_string_equal(at(iv), "notes");
    expect_outcome_lacks(iv, "\"relief\"");
    ik_interview_free(iv);
}

static void test_stop_red_flag_ends_the_interview_at_once(void **state)
{
    ik_interview *iv = start("patient");
    ik_error err;
    ik_step s;

    (void)state;
    say(iv, "");
    say(iv, "no");
    say(iv, "yes"); /* saddle numbness */
    ik_interview_next(iv, &s);
    assert_int_equal(s.kind, IK_STEP_OUTCOME);
    assert_int_not_equal(s.stop_flag, IK_NONE);
    assert_string_equal(rb->red_flags[s.stop_flag].id, "cauda_equina");
    assert_true(s.can_back);
    expect_outcome_has(iv, "\"complete\":false,\"disposition\":"
                           "\"emergency\"");
    assert_int_equal(ik_interview_answer(iv, "5", 1, &err), IK_EMISUSE);
    assert_int_equal(ik_interview_skip(iv, &err), IK_EMISUSE);
    /* a mistyped answer can still be corrected */
    assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    assert_string_equal(at(iv), "saddle");
    say(iv, "no");
    assert_string_equal(at(iv), "pain");
    ik_interview_free(iv);
}

static void test_progress_counts_what_may_still_be_asked(void **state)
{
    ik_interview *iv = start("patient");
    ik_step s;

    (void)state;
    say(iv, "");
    ik_interview_next(iv, &s);
    /* at had_surgery: saddle, pain, mri, where, tried, notes enabled now;
     * months, temp and relief could still become enabled */
    assert_int_equal(s.to_go, 6);
    assert_int_equal(s.to_go_max, 9);
    say(iv, "no");
    ik_interview_next(iv, &s);
    assert_int_equal(s.to_go, 5);
    assert_int_equal(s.to_go_max, 6); /* months, temp can no longer apply */
    say(iv, "no");
    say(iv, "3");
    say(iv, "no");
    say(iv, "1");
    ik_interview_next(iv, &s);
    assert_string_equal(s.id, "tried");
    assert_int_equal(s.number, 7);
    assert_int_equal(s.to_go, 1);
    assert_int_equal(s.to_go_max, 2);
    ik_interview_free(iv);
}
static void test_back_at_the_first_question_is_refused(void **state)
{
    ik_interview *iv = start("patient");
    ik_error err;

    (void)state;
    assert_int_equal(ik_interview_back(iv, &err), IK_EANSWER);
    assert_non_null(strstr(err.msg, "first question"));
    assert_string_equal(at(iv), "intro");
    ik_interview_free(iv);
}

static void test_why_gives_the_reason_for_the_audience(void **state)
{
    ik_interview *iv = start("nurse");
    ik_buf b;

    (void)state;
    ik_buf_init(&b);
    say(iv, "");
    ik_interview_why(iv, &b);
    assert_string_equal(ik_buf_cstr(&b), "WHY-SURGERY: post-op pathway.");
    assert_string_equal(ik_interview_audience(iv), "nurse");
    ik_buf_fini(&b);
    ik_interview_free(iv);
}

static void
test_text_answer_can_be_a_command_word_with_a_backslash(void **state)
{
    ik_interview *iv = start("patient");

    (void)state;
    to_pain(iv, false);
    say(iv, "1");
    say(iv, "no");
    say(iv, "1");
    say(iv, "none");
    say(iv, "\\back");
    expect_outcome_has(iv, "\"notes\":\"back\"");
    ik_interview_free(iv);
}

static void
test_replaying_the_history_restores_answers_and_position(void **state)
{
    ik_interview *a = start("patient"), *b = start("patient");
    ik_error err;
    char *ja, *jb;
    size_t i;
    ik_step sa, sb;

    (void)state;
    to_pain(a, true);
    say(a, "7");
    say(a, "8");
    assert_int_equal(ik_interview_back(a, &err), IK_OK);
    assert_int_equal(ik_interview_back(a, &err), IK_OK);
    say(a, "9");
    say(a, "");
    assert_int_equal(ik_interview_skip(a, &err), IK_OK);
    for (i = 0; i < ik_interview_nevents(a); i++) {
        ik_event ev = ik_interview_event(a, i);
        assert_int_equal(ik_interview_apply(b, &ev, &err), IK_OK);
    }
    ik_interview_next(a, &sa);
    ik_interview_next(b, &sb);
    assert_string_equal(sa.id, sb.id);
    assert_int_equal(sa.number, sb.number);
    ja = outcome_json(a);
    jb = outcome_json(b);
    assert_string_equal(ja, jb);
    ik_interview_free_string(ja);
    ik_interview_free_string(jb);
    ik_interview_free(a);
    ik_interview_free(b);
}

static void test_apply_refuses_events_that_do_not_fit(void **state)
{
    ik_interview *iv = start("patient");
    ik_event ev = {IK_EV_ANSWER, 1, {IK_BOOL, 0, {0}}};
    ik_error err;

    (void)state;
    assert_int_equal(ik_interview_apply(iv, &ev, &err), IK_ESESSION);
    assert_non_null(strstr(err.msg, "'had_surgery'"));
    ev.kind = IK_EV_ACK;
    ev.question = 0;
    assert_int_equal(ik_interview_apply(iv, &ev, &err), IK_OK);
    ev.kind = IK_EV_ANSWER;
    ev.question = 1;
    ev.value = ik_num(3);
    assert_int_equal(ik_interview_apply(iv, &ev, &err), IK_ESESSION);
    ev.kind = IK_EV_SKIP;
    assert_int_equal(ik_interview_apply(iv, &ev, &err), IK_ESESSION);
    assert_string_equal(at(iv), "had_surgery");
    assert_int_equal(ik_interview_nevents(iv), 1);
    ik_interview_free(iv);
}

static void test_audience_and_label(void **state)
{
    ik_interview *iv;
    ik_error err;

    (void)state;
    assert_int_equal(ik_interview_new(rb, "doctor", &iv, &err), IK_EMISUSE);
    assert_null(iv);
    iv = start(NULL);
    assert_string_equal(ik_interview_audience(iv), "patient");
    assert_string_equal(ik_interview_label(iv), "");
    assert_int_equal(ik_interview_set_label(iv, "Bed 4, J.S.", &err), IK_OK);
    assert_string_equal(ik_interview_label(iv), "Bed 4, J.S.");
    ik_interview_free(iv);
}

static void test_every_allocation_failure_is_reported_and_harmless(void **state)
{
    long n;

    (void)state;
    for (n = 1;; n++) {
        ik_interview *iv = NULL;
        ik_error err;
        ik_status st;
        char *json = NULL;

        ik_alloc_fail_after(n);
        st = ik_interview_new(rb, "patient", &iv, &err);
        if (st == IK_OK)
            st = ik_interview_answer(iv, "", 0, &err);
        if (st == IK_OK)
            st = ik_interview_answer(iv, "yes", 3, &err);
        if (st == IK_OK)
            st = ik_interview_back(iv, &err);
        if (st == IK_OK)
            st = ik_interview_answer(iv, "", 0, &err);
        if (st == IK_OK)
            st = ik_interview_outcome_json(iv, &json, &err);
        ik_alloc_fail_after(0);
        if (st != IK_OK && iv) {
            /* the interview is still usable and unchanged by the failure */
            ik_step s;
            ik_interview_next(iv, &s);
            assert_int_equal(s.kind, IK_STEP_QUESTION);
        }
        ik_interview_free_string(json);
        ik_interview_free(iv);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_true(n < 200);
    }
    assert_true(n > 1); /* the loop injected failures */
}

/* ---- Random walks: progress bounds and replay on two packs ---- */

static uint64_t rng = 42;

static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)((rng >> 33) % n);
}

/* A random answer that fits q (sometimes a command word for a text). */
static const char *random_answer(const ik_question *q, char *buf, size_t cap)
{
    uint32_t i;
    size_t n = 0;

    switch (q->type) {
    case IK_Q_YES_NO:
        i = rnd(q->allow_unknown ? 3 : 2);
        return i == 0 ? "yes" : i == 1 ? "no" : "dk";
    case IK_Q_CHOICE:
        snprintf(buf, cap, "%u", (unsigned)(rnd(q->noptions) + 1));
        return buf;
    case IK_Q_MULTI:
        if (q->allow_none && rnd(4) == 0)
            return "none";
        buf[0] = '\0';
        for (i = 0; i < q->noptions; i++)
            if (rnd(2) || (i + 1 == q->noptions && n == 0))
                n += (size_t)snprintf(buf + n, cap - n, "%s%u", n ? "," : "",
                                      (unsigned)i + 1);
        return buf;
    case IK_Q_NUMBER: {
        double lo = isfinite(q->min) ? q->min : 0;
        double hi = isfinite(q->max) ? q->max : lo + 100;
        snprintf(buf, cap, "%.0f", lo + (double)rnd((uint32_t)(hi - lo) + 1));
        return buf;
    }
    case IK_Q_TEXT:
        return rnd(2) ? "some words" : "\\why";
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    return "";
}

static void walk_randomly(const ik_rulebook *pack)
{
    ik_interview *iv, *copy;
    ik_error err;
    ik_step s, sc;
    uint32_t bound[256], nsteps = 0, k;
    char buf[128], *ja, *jb;
    size_t i;
    bool changed = false;

    assert_int_equal(ik_interview_new(pack, "patient", &iv, &err), IK_OK);
    for (ik_interview_next(iv, &s); s.kind == IK_STEP_QUESTION;
         ik_interview_next(iv, &s)) {
        const ik_question *q = &pack->questions[s.question];
        const char *a;

        assert_true(s.to_go <= s.to_go_max);
        if (!changed && nsteps < 256)
            bound[nsteps++] = s.to_go_max;
        if (rnd(8) == 0 && s.can_back) {
            assert_int_equal(ik_interview_back(iv, &err), IK_OK);
            changed = true; /* the bounds hold for forward steps only */
            continue;
        }
        if (s.can_skip && rnd(6) == 0) {
            assert_int_equal(ik_interview_skip(iv, &err), IK_OK);
            continue;
        }
        a = random_answer(q, buf, sizeof buf);
        if (ik_interview_answer(iv, a, strlen(a), &err) != IK_OK)
            fail_msg("%s: '%s' refused: %s", q->id, a, err.msg);
    }
    /* never more questions came than the bound promised at each step */
    for (k = 0; !changed && k < nsteps; k++)
        assert_true(nsteps - k - 1 <= bound[k]);
    /* the history replays to the same place and outcome */
    assert_int_equal(ik_interview_new(pack, "patient", &copy, &err), IK_OK);
    for (i = 0; i < ik_interview_nevents(iv); i++) {
        ik_event ev = ik_interview_event(iv, i);
        assert_int_equal(ik_interview_apply(copy, &ev, &err), IK_OK);
    }
    ik_interview_next(copy, &sc);
    assert_int_equal(sc.kind, s.kind);
    assert_int_equal(sc.stop_flag, s.stop_flag);
    ja = outcome_json(iv);
    jb = outcome_json(copy);
    assert_string_equal(ja, jb);
    ik_interview_free_string(ja);
    ik_interview_free_string(jb);
    ik_interview_free(copy);
    ik_interview_free(iv);
}

static void
test_random_walks_keep_progress_bounds_and_replay_exactly(void **state)
{
    ik_rulebook *bundled = NULL;
    ik_error err;
    int i;

    (void)state;
    for (i = 0; i < 300; i++)
        walk_randomly(rb);
    /* the bundled pack, for its structure only (not its wording) */
    if (ik_rulebook_load_file(IK_SOURCE_DIR "/rules/failed-back-syndrome.json",
                              &bundled, &err) != IK_OK)
        return;
    for (i = 0; i < 300; i++)
        walk_randomly(bundled);
    ik_rulebook_free(bundled);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_questions_come_in_pack_order_from_the_info_screen),
        cmocka_unit_test(test_full_interview_without_surgery_ends_on_routine),
        cmocka_unit_test(test_bad_answers_are_refused_and_change_nothing),
        cmocka_unit_test(test_required_questions_cannot_be_skipped_others_can),
        cmocka_unit_test(
            test_back_offers_the_earlier_answer_and_enter_keeps_it),
        cmocka_unit_test(
            test_changing_an_answer_drops_questions_that_no_longer_apply),
        cmocka_unit_test(
            test_an_answer_kept_for_a_question_that_no_longer_applies_is_dropped),
        cmocka_unit_test(test_stop_red_flag_ends_the_interview_at_once),
        cmocka_unit_test(test_progress_counts_what_may_still_be_asked),
        cmocka_unit_test(test_back_at_the_first_question_is_refused),
        cmocka_unit_test(test_why_gives_the_reason_for_the_audience),
        cmocka_unit_test(
            test_text_answer_can_be_a_command_word_with_a_backslash),
        cmocka_unit_test(
            test_replaying_the_history_restores_answers_and_position),
        cmocka_unit_test(test_apply_refuses_events_that_do_not_fit),
        cmocka_unit_test(test_audience_and_label),
        cmocka_unit_test(
            test_every_allocation_failure_is_reported_and_harmless),
        cmocka_unit_test(
            test_random_walks_keep_progress_bounds_and_replay_exactly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
