/*
 * test_nurse.c -- nurse mode in the core (issue 13, item 4): option labels
 * by audience (shown, typed and formatted in the nurse's words), a line of
 * answers given ahead (each checked; stopping at the first refused, at an
 * alert, at the outcome and before a text question; a whole line that is
 * one answer stays one answer), and the pack's "sbar" group.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "buf.h"
#include "interview.h"
#include "rulebook.h"

#define OPTIONS_PACK IK_SOURCE_DIR "/tests/packs/warn/nurse_options.json"
#define TEST_PACK    IK_SOURCE_DIR "/tests/data/interview/pack.json"
#define BIKE_PACK    IK_SOURCE_DIR "/rules/examples/bicycle-check.json"

static ik_rulebook *load(const char *path)
{
    ik_rulebook *rb = NULL;
    ik_error err;

    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        fail_msg("%s: %s", path, err.msg);
    return rb;
}

static const char *at(const ik_interview *iv)
{
    ik_step s;

    ik_interview_next(iv, &s);
    return s.kind == IK_STEP_OUTCOME ? "(outcome)" : s.id;
}

static void test_option_labels_follow_the_audience(void **state)
{
    ik_rulebook *rb = load(OPTIONS_PACK);
    const ik_question *q = &rb->questions[0];
    ik_interview *iv;
    ik_error err;
    ik_buf b;

    (void)state;
    ik_buf_init(&b);
    ik_answer_format(q, IK_AUD_NURSE, ik_str("leg", 3), &b);
    assert_string_equal(ik_buf_cstr(&b), "In the leg");
    ik_buf_clear(&b);
    ik_answer_format(q, IK_AUD_PATIENT, ik_str("leg", 3), &b);
    assert_string_equal(ik_buf_cstr(&b), "In my leg");
    ik_buf_clear(&b);
    /* a plain label is the same for both */
    ik_answer_format(q, IK_AUD_NURSE, ik_str("back", 4), &b);
    assert_string_equal(ik_buf_cstr(&b), "In my back only");
    ik_buf_fini(&b);
    /* the nurse types the start of the nurse label */
    assert_int_equal(ik_interview_new(rb, "nurse", &iv, &err), IK_OK);
    assert_int_equal(ik_interview_answer(iv, "In the", 6, &err), IK_OK);
    assert_string_equal(at(iv), "tried");
    assert_int_equal(ik_interview_answer(iv, "Physio", 6, &err), IK_OK);
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

static void test_answers_ahead_are_each_checked(void **state)
{
    ik_rulebook *rb = load(TEST_PACK);
    ik_interview *iv;
    ik_error err;
    uint32_t n;
    size_t used;
    const char *line;

    (void)state;
    assert_int_equal(ik_interview_new(rb, "nurse", &iv, &err), IK_OK);
    assert_int_equal(ik_interview_answer(iv, "", 0, &err), IK_OK); /* info */
    line = "y n 11 1";
    assert_int_equal(
        ik_interview_answer_ahead(iv, line, strlen(line), &n, &used, &err),
        IK_EANSWER);
    assert_int_equal(n, 2);
    assert_string_equal(line + used, "11 1");
    assert_string_equal(at(iv), "pain");
    /* up to the text question, which takes a whole line */
    line = "3 1 37 dk 3 none rest";
    assert_int_equal(
        ik_interview_answer_ahead(iv, line, strlen(line), &n, &used, &err),
        IK_OK);
    assert_int_equal(n, 6);
    assert_string_equal(line + used, "rest");
    assert_string_equal(at(iv), "notes");
    /* at a text question the whole line is the one answer */
    line = "walks with a stick";
    assert_int_equal(
        ik_interview_answer_ahead(iv, line, strlen(line), &n, &used, &err),
        IK_OK);
    assert_int_equal(n, 1);
    assert_int_equal(used, strlen(line));
    assert_string_equal(at(iv), "(outcome)");
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

/* A line of answers ahead that is taken whole; how many it answered. */
static uint32_t ahead_ok(ik_interview *iv, const char *line)
{
    uint32_t n;
    size_t used;
    ik_error err;

    assert_int_equal(
        ik_interview_answer_ahead(iv, line, strlen(line), &n, &used, &err),
        IK_OK);
    assert_int_equal(used, strlen(line));
    return n;
}

/* The keys that answer without Enter follow the current question. */
static void test_single_keys_follow_the_current_question(void **state)
{
    ik_rulebook *rb = load(TEST_PACK);
    ik_interview *iv = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(ik_interview_new(rb, "nurse", &iv, &err), IK_OK);
    assert_false(ik_interview_takes_key(iv, 'y')); /* the info screen */
    assert_int_equal(ahead_ok(iv, ""), 1);
    assert_true(ik_interview_takes_key(iv, 'y'));  /* had_surgery */
    assert_false(ik_interview_takes_key(iv, '?')); /* no "not sure" */
    assert_int_equal(ahead_ok(iv, "y n"), 2);
    assert_string_equal(at(iv), "pain"); /* 0 to 10, whole */
    assert_true(ik_interview_takes_key(iv, '7'));
    assert_false(ik_interview_takes_key(iv, '1') ||
                 ik_interview_takes_key(iv, 'y'));
    assert_int_equal(ahead_ok(iv, "7 8 37"), 3);
    assert_string_equal(at(iv), "mri"); /* allows not sure */
    assert_true(ik_interview_takes_key(iv, '?'));
    /* "?" in a line of answers is "not sure" too */
    assert_int_equal(ahead_ok(iv, "? 2 none"), 3);
    assert_string_equal(at(iv), "notes"); /* text: no key is a whole answer */
    assert_false(ik_interview_takes_key(iv, 'y'));
    assert_int_equal(ahead_ok(iv, "ok"), 1);
    assert_false(ik_interview_takes_key(iv, 'y')); /* the outcome */
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

/* "?" typed as a line: in nurse mode the answer "not sure" where the
 * question takes it (the key of the hint [y/n/?]), help elsewhere; the
 * word "help" is always help; a patient's "?" is help. */
static void
test_question_mark_is_not_sure_only_where_a_nurse_can_answer_it(void **state)
{
    ik_rulebook *rb = load(TEST_PACK);
    ik_interview *iv = NULL, *pt = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(ik_interview_new(rb, "nurse", &iv, &err), IK_OK);
    assert_int_equal(ahead_ok(iv, ""), 1);
    assert_string_equal(at(iv), "had_surgery"); /* no "not sure" */
    assert_int_equal(ik_interview_command(iv, "?", 1), IK_CMD_HELP);
    assert_int_equal(ahead_ok(iv, "y n 7 8 37"), 5);
    assert_string_equal(at(iv), "mri"); /* allows not sure */
    assert_int_equal(ik_interview_command(iv, "?", 1), IK_CMD_NONE);
    assert_int_equal(ik_interview_command(iv, " ? ", 3), IK_CMD_NONE);
    assert_int_equal(ik_interview_command(iv, "help", 4), IK_CMD_HELP);
    assert_int_equal(ik_interview_command(iv, "back", 4), IK_CMD_BACK);
    assert_int_equal(ik_interview_command(iv, "y", 1), IK_CMD_NONE);
    assert_int_equal(ik_interview_answer(iv, "?", 1, &err), IK_OK);
    assert_string_equal(at(iv), "where");

    assert_int_equal(ik_interview_new(rb, "patient", &pt, &err), IK_OK);
    assert_int_equal(ahead_ok(pt, ""), 1);
    assert_int_equal(ahead_ok(pt, "y n 7 8 37"), 5);
    assert_string_equal(at(pt), "mri");
    assert_int_equal(ik_interview_command(pt, "?", 1), IK_CMD_HELP);
    ik_interview_free(pt);
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

static void test_a_whole_line_answer_stays_one_answer(void **state)
{
    ik_rulebook *rb = load(TEST_PACK);
    ik_interview *iv;
    ik_error err;
    uint32_t n;
    size_t used;
    const char *answers[] = {"", "no", "no", "4", NULL}, **a;

    (void)state;
    assert_int_equal(ik_interview_new(rb, "nurse", &iv, &err), IK_OK);
    for (a = answers; *a; a++)
        assert_int_equal(ik_interview_answer(iv, *a, strlen(*a), &err), IK_OK);
    assert_string_equal(at(iv), "mri");
    assert_int_equal(ik_interview_answer_ahead(iv, "not sure", 8, &n, &used,
                                               &err),
                     IK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(at(iv), "where");
    assert_int_equal(ik_interview_answer_ahead(iv, "Both back", 9, &n, &used,
                                               &err),
                     IK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(at(iv), "tried");
    /* "1 3" is one multi answer, not two */
    assert_int_equal(
        ik_interview_answer_ahead(iv, "1 3", 3, &n, &used, &err), IK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(at(iv), "relief");
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

static void test_answers_ahead_stop_at_an_alert(void **state)
{
    ik_rulebook *rb = load(BIKE_PACK);
    ik_interview *iv;
    ik_error err;
    ik_step s;
    uint32_t n;
    size_t used;
    const char *line = "y n 4 y 500 - none";

    (void)state;
    assert_int_equal(ik_interview_new(rb, "nurse", &iv, &err), IK_OK);
    assert_int_equal(ik_interview_answer(iv, "", 0, &err), IK_OK);
    assert_int_equal(
        ik_interview_answer_ahead(iv, line, strlen(line), &n, &used, &err),
        IK_OK);
    assert_int_equal(n, 4);
    assert_string_equal(line + used, "500 - none");
    ik_interview_next(iv, &s);
    assert_true(s.alert != IK_NONE);
    assert_string_equal(rb->red_flags[s.alert].id, "battery_hot");
    /* going on, "-" skips */
    assert_int_equal(ik_interview_alert(iv, true, &err), IK_OK);
    line = "500 - none";
    assert_int_equal(
        ik_interview_answer_ahead(iv, line, strlen(line), &n, &used, &err),
        IK_OK);
    assert_int_equal(n, 3);
    assert_int_equal(
        ik_interview_answers(iv)[ik_interview_find_question(iv,
                                                            "tyre_pressure")]
            .kind,
        IK_NULL);
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

static void test_sbar_groups_come_from_the_pack(void **state)
{
    ik_rulebook *rb = load(TEST_PACK);

    (void)state;
    assert_true(rb->questions[ik_rulebook_find_question(rb, "had_surgery")]
                    .background);
    assert_true(rb->questions[ik_rulebook_find_question(rb, "months")]
                    .background);
    assert_false(rb->questions[ik_rulebook_find_question(rb, "pain")]
                     .background);
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_option_labels_follow_the_audience),
        cmocka_unit_test(test_answers_ahead_are_each_checked),
        cmocka_unit_test(test_single_keys_follow_the_current_question),
        cmocka_unit_test(
            test_question_mark_is_not_sure_only_where_a_nurse_can_answer_it),
        cmocka_unit_test(test_a_whole_line_answer_stays_one_answer),
        cmocka_unit_test(test_answers_ahead_stop_at_an_alert),
        cmocka_unit_test(test_sbar_groups_come_from_the_pack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
