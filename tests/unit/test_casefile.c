/*
 * test_casefile.c -- test-case files for rule packs: a tiny in-memory pack
 * checks loading (positions of every kind of mistake), running answers
 * and steps (back, skip, typed text), the per-field differences,
 * coverage, and out-of-memory at every allocation of a load; the bundled
 * pack's own cases must all pass with nothing unreached.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "casefile.h"
#include "rulebook.h"

static const char tiny_pack[] =
    "{\"format\": \"intake-rules/1\", \"id\": \"tiny\", \"version\": "
    "\"1.0.0\",\n"
    " \"title\": \"Tiny\", \"audiences\": [\"patient\", \"nurse\"],\n"
    " \"disclaimer\": \"d\", \"safety_net\": \"s\", \"get_help\": \"g\",\n"
    " \"questions\": [\n"
    "  {\"id\": \"hurt\", \"type\": \"yes_no\", \"text\": \"Hurt?\", "
    "\"why\": \"w\", \"required\": true},\n"
    "  {\"id\": \"bad\", \"type\": \"yes_no\", \"text\": \"Bad?\", \"why\": "
    "\"w\",\n"
    "   \"enable_when\": {\"==\": [{\"var\": \"hurt\"}, true]}},\n"
    "  {\"id\": \"level\", \"type\": \"number\", \"min\": 0, \"max\": 10, "
    "\"text\": \"Level?\", \"why\": \"w\",\n"
    "   \"enable_when\": {\"==\": [{\"var\": \"hurt\"}, true]}}],\n"
    " \"red_flags\": [{\"id\": \"very_bad\", \"when\": {\"==\": [{\"var\": "
    "\"bad\"}, true]},\n"
    "   \"disposition\": \"now\", \"message\": \"go\", \"stop\": true}],\n"
    " \"dispositions\": [{\"id\": \"now\", \"label\": \"Now\", \"advice\": "
    "\"a\"},\n"
    "   {\"id\": \"later\", \"label\": \"Later\", \"advice\": \"b\"}],\n"
    " \"ladder\": [{\"id\": \"rest\", \"label\": \"Rest\", \"when\": "
    "{\"==\": [{\"var\": \"hurt\"}, true]}}],\n"
    " \"sections\": [{\"id\": \"about\", \"title\": \"About\", \"body\": "
    "\"b\", \"source\": \"x\",\n"
    "   \"show_when\": {\"==\": [{\"var\": \"hurt\"}, true]}},\n"
    "  {\"id\": \"other\", \"title\": \"Other\", \"body\": \"b\", "
    "\"source\": \"y\"}],\n"
    " \"rules\": [{\"id\": \"fine\", \"when\": {\"==\": [{\"var\": "
    "\"hurt\"}, false]},\n"
    "   \"then\": {\"disposition\": \"later\", \"sections\": [\"other\"]}}]}\n";

static ik_rulebook *rb;

static int setup(void **state)
{
    ik_error err;

    (void)state;
    if (ik_rulebook_load_text(tiny_pack, sizeof tiny_pack - 1, "tiny.json", &rb,
                              &err) != IK_OK) {
        fprintf(stderr, "tiny.json:%d:%d: %s\n", err.line, err.col, err.msg);
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

static ik_status load(const char *text, ik_casefile **cf, ik_error *err)
{
    ik_error_clear(err);
    return ik_casefile_load_text(rb, text, strlen(text), "cases.json", cf, err);
}

/* Load text (which must be valid) and run case 0. */
static ik_casefile *run_one(const char *text, ik_case_result *res)
{
    ik_casefile *cf = NULL;
    ik_error err;

    assert_int_equal(load(text, &cf, &err), IK_OK);
    assert_int_equal(ik_casefile_run(cf, 0, res, &err), IK_OK);
    return cf;
}

static void test_a_matching_answers_case_passes(void **state)
{
    ik_case_result res;
    ik_casefile *cf;

    (void)state;
    cf = run_one("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"ok\", "
                 "\"description\": \"Not hurt: later.\", \"answers\": "
                 "{\"hurt\": false}, \"expect\": {\"disposition\": \"later\", "
                 "\"red_flags\": [], \"ladder\": null, \"sections\": "
                 "[\"other\"], \"not_sections\": [\"about\"], \"rules\": "
                 "[\"fine\"], \"complete\": true}}]}",
                 &res);
    assert_true(res.passed);
    assert_string_equal(res.id, "ok");
    assert_string_equal(res.description, "Not hurt: later.");
    assert_string_equal(res.diff, "");
    assert_int_equal(res.line, 1);
    ik_casefile_free(cf);
}

static void
test_every_wrong_field_is_reported_with_expected_and_got(void **state)
{
    ik_case_result res;
    ik_casefile *cf;

    (void)state;
    cf = run_one(
        "{\"pack\": \"tiny\", \"cases\": [\n {\"id\": \"wrong\", "
        "\"description\": \"Hurt badly.\", \"answers\": {\"hurt\": true, "
        "\"bad\": true}, \"expect\": {\"disposition\": \"later\", "
        "\"red_flags\": [], \"ladder\": null, \"sections\": [\"other\"], "
        "\"not_sections\": [\"about\"], \"rules\": [\"fine\"], \"complete\": "
        "true}}]}",
        &res);
    assert_false(res.passed);
    assert_int_equal(res.line, 2);
    assert_string_equal(
        res.diff, "disposition: expected later, got now\n"
                  "red_flags: expected [], got [very_bad]\n"
                  "ladder: expected null, got rest\n"
                  "sections: expected other to be shown, got [about]\n"
                  "not_sections: expected about not to be shown, but it was\n"
                  "rules: expected fine to fire, got []\n"
                  "complete: expected true, got false\n");
    ik_casefile_free(cf);
}

static void test_answers_to_disabled_questions_do_not_count(void **state)
{
    ik_case_result res;
    ik_casefile *cf;

    (void)state;
    cf = run_one("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"masked\", "
                 "\"description\": \"Not hurt, so 'bad' is not asked.\", "
                 "\"answers\": {\"hurt\": false, \"bad\": true}, \"expect\": "
                 "{\"disposition\": \"later\", \"red_flags\": []}}]}",
                 &res);
    assert_true(res.passed);
    ik_casefile_free(cf);
}

static void test_going_back_in_steps_changes_the_outcome(void **state)
{
    ik_case_result res;
    ik_casefile *cf;

    (void)state;
    cf = run_one("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"back\", "
                 "\"description\": \"Says hurt, goes back, says not.\", "
                 "\"steps\": [{\"id\": \"hurt\", \"answer\": true}, {\"back\": "
                 "true}, {\"id\": \"hurt\", \"text\": \"no\"}], \"expect\": "
                 "{\"disposition\": \"later\", \"ladder\": null, \"complete\": "
                 "true}}]}",
                 &res);
    assert_string_equal(res.diff, "");
    assert_true(res.passed);
    ik_casefile_free(cf);
}

static void test_a_stop_flag_ends_the_steps_at_the_outcome(void **state)
{
    ik_case_result res;
    ik_casefile *cf;

    (void)state;
    cf = run_one("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"stop\", "
                 "\"description\": \"Bad stops before level.\", \"steps\": "
                 "[{\"id\": \"hurt\", \"answer\": true}, {\"id\": \"bad\", "
                 "\"answer\": true}, {\"id\": \"level\", \"answer\": 3}], "
                 "\"expect\": {\"disposition\": \"now\"}}]}",
                 &res);
    assert_false(res.passed);
    assert_string_equal(res.diff, "step 3: expected question level, the "
                                  "interview is at the outcome\n");
    ik_casefile_free(cf);
}

static void test_a_skipped_question_reaches_the_outcome(void **state)
{
    ik_case_result res;
    ik_casefile *cf;

    (void)state;
    cf = run_one("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"skip\", "
                 "\"description\": \"Skips the level.\", \"steps\": "
                 "[{\"id\": \"hurt\", \"answer\": true}, {\"id\": \"bad\", "
                 "\"answer\": false}, {\"id\": \"level\", \"skip\": true}], "
                 "\"expect\": {\"disposition\": \"later\", \"ladder\": "
                 "\"rest\", \"sections\": [\"about\"], \"complete\": true}}]}",
                 &res);
    assert_string_equal(res.diff, "");
    ik_casefile_free(cf);
}

static void test_typed_text_the_interview_refuses_fails_the_case(void **state)
{
    ik_case_result res;
    ik_casefile *cf;

    (void)state;
    cf = run_one("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"typo\", "
                 "\"description\": \"Types nonsense.\", \"steps\": "
                 "[{\"id\": \"hurt\", \"text\": \"perhaps\"}], \"expect\": "
                 "{}}]}",
                 &res);
    assert_false(res.passed);
    assert_non_null(strstr(res.diff, "step 1 (hurt): refused: "));
    ik_casefile_free(cf);
}

/* Load must fail with code at line:col and a message containing msg. */
static void assert_load_error(const char *text, ik_status code, int line,
                              int col, const char *msg)
{
    ik_casefile *cf = (ik_casefile *)&cf;
    ik_error err;

    assert_int_equal(load(text, &cf, &err), code);
    assert_null(cf);
    assert_string_equal(err.file, "cases.json");
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    if (!strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
}

static void
test_mistakes_in_a_case_file_are_named_at_line_and_column(void **state)
{
    (void)state;
    assert_load_error("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"a\",\n"
                      "\"description\": \"d\", \"answers\": {},\n"
                      "\"expect\": {\"dispositon\": \"now\"}}]}",
                      IK_ERULES, 3, 12, "unknown key 'dispositon'");
    assert_load_error("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"a\",\n"
                      "\"description\": \"d\", \"answers\": {},\n"
                      "\"expect\": {\"sections\": [\"about\", \"nope\"]}}]}",
                      IK_ERULES, 3, 34, "no section 'nope'");
    assert_load_error("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"a\",\n"
                      "\"description\": \"d\",\n"
                      "\"answers\": {\"hurt\": \"maybe\"}, \"expect\": {}}]}",
                      IK_EANSWER, 3, 13, "hurt");
    assert_load_error("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"a\",\n"
                      "\"description\": \"d\",\n"
                      "\"steps\": [{\"id\": \"hurt\", \"answer\": 7}], "
                      "\"expect\": {}}]}",
                      IK_EANSWER, 3, 36, "");
    assert_load_error("{\"pack\": \"other\", \"cases\": []}", IK_ERULES, 1, 10,
                      "for pack 'other', not 'tiny'");
    assert_load_error(
        "{\"pack\": \"tiny\", \"cases\": [{\"id\": \"a\", \"description\": "
        "\"d\", \"answers\": {}, \"steps\": [{\"back\": true}], \"expect\": "
        "{}}]}",
        IK_ERULES, 1, 28, "either \"answers\" or \"steps\"");
    assert_load_error(
        "{\"pack\": \"tiny\", \"cases\": [\n"
        "{\"id\": \"a\", \"description\": \"d\", \"answers\": {}, \"expect\": "
        "{}},\n"
        "{\"id\": \"a\", \"description\": \"d\", \"answers\": {}, \"expect\": "
        "{}}]}",
        IK_ERULES, 3, 8, "duplicate case id 'a'");
    assert_load_error("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"a\", "
                      "\"description\": \"d\", \"audience\": \"doctor\", "
                      "\"answers\": {}, \"expect\": {}}]}",
                      IK_ERULES, 1, 72, "audience");
    assert_load_error("{\"pack\": \"tiny\", \"cases\": [", IK_ESYNTAX, 1, 28,
                      "");
}

static void test_coverage_lists_what_no_case_reaches_in_pack_order(void **state)
{
    ik_case_result res;
    ik_casefile *cf;
    ik_buf b;

    (void)state;
    cf = run_one("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"ok\", "
                 "\"description\": \"Not hurt.\", \"answers\": {\"hurt\": "
                 "false}, \"expect\": {}}]}",
                 &res);
    ik_buf_init(&b);
    assert_int_equal(ik_casefile_unreached(cf, IK_COV_QUESTION, &b), 2);
    assert_string_equal(ik_buf_cstr(&b), "bad, level");
    ik_buf_clear(&b);
    assert_int_equal(ik_casefile_unreached(cf, IK_COV_DISPOSITION, &b), 1);
    assert_string_equal(ik_buf_cstr(&b), "now");
    ik_buf_clear(&b);
    assert_int_equal(ik_casefile_unreached(cf, IK_COV_SECTION, &b), 1);
    assert_string_equal(ik_buf_cstr(&b), "about");
    assert_int_equal(ik_casefile_unreached(cf, IK_COV_RED_FLAG, &b), 1);
    assert_int_equal(ik_casefile_unreached(cf, IK_COV_RUNG, &b), 1);
    ik_buf_clear(&b);
    assert_int_equal(ik_casefile_unreached(cf, IK_COV_RULE, &b), 0);
    assert_string_equal(ik_buf_cstr(&b), "");
    assert_int_equal(ik_casefile_cov_total(cf, IK_COV_QUESTION), 3);
    assert_string_equal(ik_cov_kind_name(IK_COV_RUNG), "ladder rungs");
    ik_buf_fini(&b);
    ik_casefile_free(cf);
}

static void test_running_a_case_out_of_range_is_misuse(void **state)
{
    ik_case_result res;
    ik_casefile *cf;
    ik_error err;

    (void)state;
    cf = run_one("{\"pack\": \"tiny\", \"cases\": [{\"id\": \"ok\", "
                 "\"description\": \"d\", \"answers\": {}, \"expect\": {}}]}",
                 &res);
    assert_int_equal(ik_casefile_count(cf), 1);
    assert_int_equal(ik_casefile_run(cf, 1, &res, &err), IK_EMISUSE);
    ik_casefile_free(cf);
}

static void test_every_allocation_failure_in_a_load_is_reported(void **state)
{
    static const char text[] =
        "{\"pack\": \"tiny\", \"cases\": [{\"id\": \"a\", \"description\": "
        "\"d\", \"steps\": [{\"id\": \"hurt\", \"text\": \"yes\"}, "
        "{\"back\": true}, {\"id\": \"hurt\", \"answer\": false}], "
        "\"expect\": {\"sections\": [\"other\"], \"red_flags\": []}}, "
        "{\"id\": \"b\", \"description\": \"d\", \"answers\": {\"hurt\": "
        "true}, \"expect\": {\"ladder\": \"rest\"}}]}";
    ik_case_result res;
    ik_casefile *cf;
    ik_error err;
    ik_status st;
    long n;

    (void)state;
    for (n = 1;; n++) {
        ik_alloc_fail_after(n);
        st = load(text, &cf, &err);
        if (st == IK_OK) {
            st = ik_casefile_run(cf, 0, &res, &err);
            if (st == IK_OK)
                st = ik_casefile_run(cf, 1, &res, &err);
        }
        ik_alloc_fail_after(0);
        if (st == IK_OK) {
            assert_true(res.passed);
            ik_casefile_free(cf);
            break;
        }
        assert_int_equal(st, IK_ENOMEM);
        ik_casefile_free(cf);
        assert_true(n < 100000);
    }
    assert_true(n > 1); /* the loop injected failures */
}

static void
test_the_bundled_pack_passes_all_its_cases_and_reaches_everything(void **state)
{
    ik_rulebook *fbs = NULL;
    ik_casefile *cf = NULL;
    ik_case_result res;
    ik_error err;
    ik_buf b;
    uint32_t i;
    int k;

    (void)state;
    assert_int_equal(ik_rulebook_load_file(IK_SOURCE_DIR
                                           "/rules/failed-back-syndrome.json",
                                           &fbs, &err),
                     IK_OK);
    assert_int_equal(ik_casefile_load(fbs,
                                      IK_SOURCE_DIR
                                      "/rules/failed-back-syndrome.tests.json",
                                      &cf, &err),
                     IK_OK);
    assert_true(ik_casefile_count(cf) >= 40);
    for (i = 0; i < ik_casefile_count(cf); i++) {
        assert_int_equal(ik_casefile_run(cf, i, &res, &err), IK_OK);
        if (!res.passed)
            fail_msg("case %s failed:\n%s", res.id, res.diff);
    }
    ik_buf_init(&b);
    for (k = 0; k < IK_COV__COUNT; k++)
        if (ik_casefile_unreached(cf, (ik_cov_kind)k, &b) != 0)
            fail_msg("%s unreached: %s", ik_cov_kind_name((ik_cov_kind)k),
                     ik_buf_cstr(&b));
    ik_buf_fini(&b);
    ik_casefile_free(cf);
    ik_rulebook_free(fbs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_matching_answers_case_passes),
        cmocka_unit_test(
            test_every_wrong_field_is_reported_with_expected_and_got),
        cmocka_unit_test(test_answers_to_disabled_questions_do_not_count),
        cmocka_unit_test(test_going_back_in_steps_changes_the_outcome),
        cmocka_unit_test(test_a_stop_flag_ends_the_steps_at_the_outcome),
        cmocka_unit_test(test_a_skipped_question_reaches_the_outcome),
        cmocka_unit_test(test_typed_text_the_interview_refuses_fails_the_case),
        cmocka_unit_test(
            test_mistakes_in_a_case_file_are_named_at_line_and_column),
        cmocka_unit_test(
            test_coverage_lists_what_no_case_reaches_in_pack_order),
        cmocka_unit_test(test_running_a_case_out_of_range_is_misuse),
        cmocka_unit_test(test_every_allocation_failure_in_a_load_is_reported),
        cmocka_unit_test(
            test_the_bundled_pack_passes_all_its_cases_and_reaches_everything),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
