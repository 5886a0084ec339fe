/*
 * test_interview_stops.c -- where an interview stops, pinned where its
 * two earlier implementations (the interview's per-flag bookkeeping and
 * batch's checks in the one settle pass) could drift apart: a stop flag
 * that reads a question only through a derived value (which also reads a
 * later question), one true before anything is answered, going back
 * after a stop, one that reads a question whose enable_when is false,
 * and an alert, which never stops. Each case says what a person going
 * through the interview sees (worked out from the pack below, not from
 * running it) and checks the interview, `run --answers`
 * (ik_run_answers), batch (ik_outcome_of_answers) and the one pass
 * (ik_outcome_compute_applied_stopping) against it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "answers_json.h"
#include "interview.h"
#include "interview_fixture.h"
#include "intake/outcome.h"
#include "outcome.h"
#include "rulebook.h"
#include "run_answers.h"

#define HEAD                                                                  \
    "{\"format\": \"intake-rules/1\", \"id\": \"stops\", \"version\": "       \
    "\"1.0.0\", \"title\": \"t\", \"disclaimer\": \"d\", \"safety_net\": "    \
    "\"s\", \"get_help\": \"g\",\n"
#define DISPOSITIONS                                                          \
    "\"dispositions\": [\n"                                                   \
    " {\"id\": \"emergency\", \"label\": \"E\", \"advice\": \"e\", "          \
    "\"alarm\": true},\n"                                                     \
    " {\"id\": \"soon\", \"label\": \"S\", \"advice\": \"s\"},\n"             \
    " {\"id\": \"routine\", \"label\": \"R\", \"advice\": \"r\"}]}\n"

/*
 * q1..q5; q2 applies only when q1 is yes; q3 a number 0..10 (may be
 * skipped). Stop flags: high (the derived value "high": q3 over 7 or q5
 * yes, so it reads q3 and q5 only through it), gated (q2 yes: q2 applies
 * only after q1 yes). An alert, warn (q4 yes), never stops.
 */
static const char pack[] =
    HEAD
    "\"questions\": [\n"
    " {\"id\": \"q1\", \"type\": \"yes_no\", \"text\": \"Q1\"},\n"
    " {\"id\": \"q2\", \"type\": \"yes_no\", \"text\": \"Q2\", "
    "\"enable_when\": {\"==\": [{\"var\": \"q1\"}, true]}},\n"
    " {\"id\": \"q3\", \"type\": \"number\", \"min\": 0, \"max\": 10, "
    "\"required\": false, \"text\": \"Q3\"},\n"
    " {\"id\": \"q4\", \"type\": \"yes_no\", \"text\": \"Q4\"},\n"
    " {\"id\": \"q5\", \"type\": \"yes_no\", \"text\": \"Q5\"}],\n"
    "\"derived\": [\n"
    " {\"id\": \"high\", \"value\": {\"or\": [{\">\": [{\"var\": \"q3\"}, "
    "7]}, {\"==\": [{\"var\": \"q5\"}, true]}]}}],\n"
    "\"red_flags\": [\n"
    " {\"id\": \"warn\", \"when\": {\"==\": [{\"var\": \"q4\"}, true]}, "
    "\"disposition\": \"soon\", \"act\": \"alert\", \"message\": \"W\"},\n"
    " {\"id\": \"high_flag\", \"when\": {\"var\": \"high\"}, "
    "\"disposition\": \"emergency\", \"stop\": true, \"message\": \"H\"},\n"
    " {\"id\": \"gated\", \"when\": {\"==\": [{\"var\": \"q2\"}, true]}, "
    "\"disposition\": \"emergency\", \"stop\": true, \"message\": \"G\"}],\n"
    DISPOSITIONS;

/* One question; a stop flag reading a derived value that reads no
 * answer yet: "none_yet" is true while q1 has none. */
static const char start_pack[] =
    HEAD
    "\"questions\": [\n"
    " {\"id\": \"q1\", \"type\": \"yes_no\", \"text\": \"Q1\"}],\n"
    "\"derived\": [\n"
    " {\"id\": \"none_yet\", \"value\": {\"!\": {\"var\": \"q1\"}}}],\n"
    "\"red_flags\": [\n"
    " {\"id\": \"at_once\", \"when\": {\"var\": \"none_yet\"}, "
    "\"disposition\": \"emergency\", \"stop\": true, \"message\": \"A\"}],\n"
    DISPOSITIONS;

/* q1 optional; q2's yes stops; "bad" fails at run time ('*' of nothing)
 * when q3, asked only after q2, is yes; q3 is required. */
static const char after_pack[] =
    HEAD
    "\"questions\": [\n"
    " {\"id\": \"q1\", \"type\": \"yes_no\", \"text\": \"Q1\"},\n"
    " {\"id\": \"q2\", \"type\": \"yes_no\", \"text\": \"Q2\"},\n"
    " {\"id\": \"q3\", \"type\": \"yes_no\", \"required\": true, "
    "\"text\": \"Q3\"}],\n"
    "\"derived\": [\n"
    " {\"id\": \"bad\", \"value\": {\"if\": [{\"var\": \"q3\"}, {\"*\": []}, "
    "0]}}],\n"
    "\"red_flags\": [\n"
    " {\"id\": \"s\", \"when\": {\"==\": [{\"var\": \"q2\"}, true]}, "
    "\"disposition\": \"emergency\", \"stop\": true, \"message\": \"S\"}],\n"
    DISPOSITIONS;

static ik_rulebook *load(const char *text)
{
    ik_rulebook *r = NULL;
    ik_error err;

    ik_error_clear(&err);
    if (ik_rulebook_load_text(text, strlen(text), "stops.json", &r, &err) !=
        IK_OK)
        fail_msg("%d:%d: %s", err.line, err.col, err.msg);
    return r;
}

static const char *at(const ik_interview *iv)
{
    ik_step s;

    ik_interview_next(iv, &s);
    return s.kind == IK_STEP_QUESTION ? s.id : "<outcome>";
}

static const char *stopped_by(const ik_rulebook *rb, const ik_interview *iv)
{
    ik_step s;

    ik_interview_next(iv, &s);
    assert_int_equal(s.kind, IK_STEP_OUTCOME);
    return s.stop_flag == IK_NONE ? "<none>" : rb->red_flags[s.stop_flag].id;
}

static char *interview_json(const ik_interview *iv)
{
    char *json = NULL;
    ik_error err;

    if (ik_interview_outcome_json(iv, &json, &err) != IK_OK)
        fail_msg("%s", err.msg);
    return json;
}

/*
 * The answers object `answers` through `run --answers` (an interview that
 * asks each question and takes the answer given) and through batch: the
 * same outcome, which holds every one of the parts `want` lists (NULL
 * ends it) and lacks `lacks` (may be NULL). Also the one pass: where it
 * stops (`stop`, a question id, "<start>" or "<never>").
 */
static void expect_answers(const ik_rulebook *rb, const char *answers,
                           const char *stop, const char *lacks,
                           const char *const *want)
{
    ik_value *vals = ik_calloc(rb->nquestions + 1, sizeof *vals);
    ik_interview *iv = start(rb);
    ik_outcome o;
    ik_arena arena;
    ik_error err;
    char *by_run, *by_batch = NULL;
    int64_t where = 0;
    size_t i;

    assert_non_null(vals);
    ik_arena_init(&arena);
    ik_outcome_init(&o);
    if (ik_answers_json_read(rb, answers, strlen(answers), "", &arena, vals,
                             NULL, &err) != IK_OK)
        fail_msg("%s: %s", answers, err.msg);
    if (ik_run_answers(iv, vals, &err) != IK_OK)
        fail_msg("run --answers %s: %s", answers, err.msg);
    by_run = interview_json(iv);
    if (ik_outcome_of_answers(rb, answers, strlen(answers), &by_batch,
                              &err) != IK_OK)
        fail_msg("batch %s: %s", answers, err.msg);
    assert_string_equal(by_batch, by_run);
    for (i = 0; want[i]; i++)
        if (!strstr(by_run, want[i]))
            fail_msg("%s: outcome lacks %s: %s", answers, want[i], by_run);
    if (lacks && strstr(by_run, lacks))
        fail_msg("%s: outcome has %s: %s", answers, lacks, by_run);
    assert_int_equal(ik_outcome_compute_applied_stopping(rb, NULL, vals, true, &o,
                                                         &where, &err),
                     IK_OK);
    if (strcmp(stop, "<start>") == 0)
        assert_int_equal(where, IK_STOP_AT_START);
    else if (strcmp(stop, "<never>") == 0)
        assert_int_equal(where, IK_STOP_NEVER);
    else
        assert_int_equal(where, ik_rulebook_find_question(rb, stop));
    ik_outcome_fini(&o);
    ik_arena_fini(&arena);
    ik_free(by_batch);
    ik_free(by_run);
    ik_interview_free(iv);
    ik_free(vals);
}

/* high reads q3 only through a derived value that also reads q5, not
 * answered yet: on the answers so far it is already true, so the
 * interview stops right after q3, and q4, q5 are never asked. */
static void test_a_stop_flag_reading_through_a_derived_value(void **state)
{
    ik_rulebook *rb = load(pack);
    ik_interview *iv = start(rb);
    const char *want[] = {"\"complete\":false", "\"red_flags\":[\"high_flag\"]",
                          "\"answers\":{\"q1\":false,\"q3\":9}",
                          "\"derived\":{\"high\":true}", NULL};

    (void)state;
    say(iv, "no");
    assert_string_equal(at(iv), "q3");
    say(iv, "9");
    assert_string_equal(stopped_by(rb, iv), "high_flag");
    ik_interview_free(iv);
    /* later answers given do not count: the interview never asks them */
    expect_answers(rb, "{\"q1\":false,\"q3\":9,\"q4\":true,\"q5\":false}",
                   "q3", "\"q4\"", want);
    ik_rulebook_free(rb);
}

/* q3 low: high is false after q3 (q5 not answered), true after q5 yes:
 * the flag reads q5 through the derived value too, so the interview
 * stops after q5, the last question anyway, with q4's alert raised on
 * the way and the interview going on past it. */
static void test_a_derived_value_is_checked_again_after_each_question(
    void **state)
{
    ik_rulebook *rb = load(pack);
    ik_interview *iv = start(rb);
    ik_step s;
    const char *want[] = {"\"red_flags\":[\"warn\",\"high_flag\"]",
                          "\"disposition\":\"emergency\"",
                          "\"complete\":true", NULL};
    const char *none[] = {"\"red_flags\":[]", "\"complete\":true",
                          "\"derived\":{\"high\":false}", NULL};

    (void)state;
    say(iv, "no");
    say(iv, "2");
    assert_string_equal(at(iv), "q4");
    say(iv, "yes"); /* the alert: shown, never a stop */
    assert_string_equal(at(iv), "q5");
    ik_interview_next(iv, &s);
    assert_int_not_equal(s.alert, IK_NONE);
    assert_string_equal(rb->red_flags[s.alert].id, "warn");
    say(iv, "yes");
    assert_string_equal(stopped_by(rb, iv), "high_flag");
    ik_interview_free(iv);
    expect_answers(rb, "{\"q1\":false,\"q3\":2,\"q4\":true,\"q5\":true}",
                   "q5", NULL, want);
    expect_answers(rb, "{\"q1\":false,\"q3\":2,\"q4\":false,\"q5\":false}",
                   "<never>", NULL, none);
    /* q3 skipped: high reads q3, still false */
    expect_answers(rb, "{\"q1\":false,\"q3\":null,\"q4\":false,\"q5\":false}",
                   "<never>", NULL, none);
    ik_rulebook_free(rb);
}

/* Before anything is answered none_yet is true: the interview stops at
 * once, asking nothing, and answers given count for nothing. */
static void test_a_stop_flag_true_before_anything_is_answered(void **state)
{
    ik_rulebook *rb = load(start_pack);
    ik_interview *iv = start(rb);
    ik_step s;
    const char *want[] = {"\"complete\":false", "\"red_flags\":[\"at_once\"]",
                          "\"answers\":{}", NULL};

    (void)state;
    assert_string_equal(stopped_by(rb, iv), "at_once");
    ik_interview_next(iv, &s);
    assert_false(s.can_back);
    ik_interview_free(iv);
    expect_answers(rb, "{\"q1\":true}", "<start>", NULL, want);
    expect_answers(rb, "{}", "<start>", NULL, want);
    ik_rulebook_free(rb);
}

/* Back from a stop is where the interview was before the answer that
 * stopped it: at that question, not stopped; another answer goes on. */
static void test_back_after_a_stop_goes_on(void **state)
{
    ik_rulebook *rb = load(pack);
    ik_interview *iv = start(rb);
    ik_step s;
    ik_error err;

    (void)state;
    say(iv, "yes");
    assert_string_equal(at(iv), "q2");
    say(iv, "yes");
    assert_string_equal(stopped_by(rb, iv), "gated");
    assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    assert_string_equal(at(iv), "q2");
    say(iv, "no");
    assert_string_equal(at(iv), "q3");
    ik_interview_next(iv, &s);
    assert_int_equal(s.to_go, 2);
    say(iv, "10");
    assert_string_equal(stopped_by(rb, iv), "high_flag");
    assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    assert_string_equal(at(iv), "q3");
    say(iv, "1");
    assert_string_equal(at(iv), "q4");
    /* and twice back over the stop and the question before it */
    say(iv, "no");
    say(iv, "yes");
    assert_string_equal(stopped_by(rb, iv), "high_flag");
    assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    assert_string_equal(at(iv), "q4");
    say(iv, "no");
    say(iv, "no");
    assert_string_equal(stopped_by(rb, iv), "<none>");
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

/* gated reads only q2, which applies only after q1 yes: after q1 no it
 * is never asked, an answer given for it does not count, and nothing
 * stops the interview. */
static void test_a_stop_flag_reading_a_question_that_does_not_apply(
    void **state)
{
    ik_rulebook *rb = load(pack);
    ik_interview *iv = start(rb);
    const char *want[] = {"\"complete\":true", "\"red_flags\":[]",
                          "\"answers\":{\"q1\":false,\"q3\":1,\"q4\":false,"
                          "\"q5\":false}",
                          NULL};
    const char *stops[] = {"\"complete\":false", "\"red_flags\":[\"gated\"]",
                           "\"answers\":{\"q1\":true,\"q2\":true}", NULL};

    (void)state;
    say(iv, "no");
    assert_string_equal(at(iv), "q3");
    ik_interview_free(iv);
    expect_answers(rb,
                   "{\"q1\":false,\"q2\":true,\"q3\":1,\"q4\":false,"
                   "\"q5\":false}",
                   "<never>", "gated", want);
    expect_answers(rb,
                   "{\"q1\":true,\"q2\":true,\"q3\":1,\"q4\":false,"
                   "\"q5\":false}",
                   "q2", NULL, stops);
    ik_rulebook_free(rb);
}

/* Both refuse: run --answers (at the question) and batch, in the same
 * words. */
static void expect_refused(const ik_rulebook *rb, const char *answers,
                           const char *msg)
{
    ik_value *vals = ik_calloc(rb->nquestions + 1, sizeof *vals);
    ik_interview *iv = start(rb);
    ik_arena arena;
    ik_error err;
    char *by_batch = NULL;

    assert_non_null(vals);
    ik_arena_init(&arena);
    assert_int_equal(ik_answers_json_read(rb, answers, strlen(answers), "",
                                          &arena, vals, NULL, &err),
                     IK_OK);
    assert_int_not_equal(ik_run_answers(iv, vals, &err), IK_OK);
    assert_string_equal(err.msg, msg);
    assert_int_not_equal(ik_outcome_of_answers(rb, answers, strlen(answers),
                                               &by_batch, &err),
                         IK_OK);
    assert_null(by_batch);
    assert_string_equal(err.msg, msg);
    ik_arena_fini(&arena);
    ik_interview_free(iv);
    ik_free(vals);
}

/* An optional question before the stop left out is skipped, as run
 * --answers skips it; q2's yes stops the interview, so q3 is never asked
 * and "bad" never sees its yes: the record completes in batch as in run
 * (batch used to compute every answer once q1 was left out, and refuse
 * the record). Without the stop, q3's yes makes "bad" fail for both,
 * and a required q3 left out is refused by both in the same words. */
static void test_batch_is_run_where_a_condition_fails_after_the_stop(
    void **state)
{
    ik_rulebook *rb = load(after_pack);
    const char *want[] = {"\"complete\":false", "\"red_flags\":[\"s\"]",
                          "\"answers\":{\"q1\":null,\"q2\":true}",
                          "\"derived\":{\"bad\":0}", NULL};

    (void)state;
    expect_answers(rb, "{\"q2\":true,\"q3\":true}", "q2", "q3", want);
    expect_refused(rb, "{\"q2\":false,\"q3\":true}",
                   "'q3': derived value \"bad\": '*' needs at least one "
                   "argument");
    expect_refused(rb, "{\"q1\":true,\"q2\":false}",
                   "'q3' is required but the answers leave it out");
    expect_refused(rb, "{\"q1\":true,\"q2\":false,\"q3\":null}",
                   "'q3' is required but the answers skip it");
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_stop_flag_reading_through_a_derived_value),
        cmocka_unit_test(
            test_a_derived_value_is_checked_again_after_each_question),
        cmocka_unit_test(test_a_stop_flag_true_before_anything_is_answered),
        cmocka_unit_test(test_back_after_a_stop_goes_on),
        cmocka_unit_test(
            test_a_stop_flag_reading_a_question_that_does_not_apply),
        cmocka_unit_test(
            test_batch_is_run_where_a_condition_fails_after_the_stop),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
