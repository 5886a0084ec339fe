/*
 * test_outcome.c -- the outcome as a pure function of (rulebook, answers)
 * on the test pack tests/data/interview/pack.json: each disposition, the
 * ladder, section order, notes, answers to disabled questions dropped,
 * `because`, the JSON shape, answers objects refused with a path, and
 * out-of-memory at every allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "json.h"
#include "outcome.h"
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

typedef struct run {
    ik_json_doc doc;
    ik_arena arena;
    ik_value answers[64];
    ik_outcome o;
    ik_buf json;
    ik_status st;
    ik_error err;
} run;

/* Bind answers (JSON text) and compute; the JSON is in r->json. */
static void compute(run *r, const char *answers)
{
    ik_value obj;

    memset(r, 0, sizeof *r);
    ik_arena_init(&r->arena);
    ik_outcome_init(&r->o);
    ik_buf_init(&r->json);
    assert_int_equal(
        ik_json_parse(answers, strlen(answers), "answers", 0, &r->doc, &r->err),
        IK_OK);
    assert_true(ik_value_from_cjson(r->doc.root, &r->arena, &obj));
    assert_true(rb->nquestions <= 64);
    r->st = ik_outcome_bind_answers(rb, obj, r->answers, &r->err);
    if (r->st != IK_OK)
        return;
    r->st = ik_outcome_compute(rb, r->answers, &r->o, &r->err);
    if (r->st == IK_OK)
        ik_outcome_write_json(rb, &r->o, IK_AUD_PATIENT, &r->json);
}

static void done(run *r)
{
    ik_buf_fini(&r->json);
    ik_outcome_fini(&r->o);
    ik_arena_fini(&r->arena);
    ik_json_doc_fini(&r->doc);
}

/* The JSON contains `part` (e.g. "\"disposition\":\"soon\""). */
static void expect_has(run *r, const char *part)
{
    const char *json = ik_buf_cstr(&r->json);

    if (!strstr(json, part))
        fail_msg("outcome %s lacks %s", json, part);
}

static void expect_lacks(run *r, const char *part)
{
    const char *json = ik_buf_cstr(&r->json);

    if (strstr(json, part))
        fail_msg("outcome %s has %s", json, part);
}

static const char *disposition_id(const run *r)
{
    return rb->dispositions[r->o.disposition].id;
}

static void test_saddle_numbness_gives_emergency_and_stops(void **state)
{
    run r;

    (void)state;
    compute(&r, "{\"had_surgery\": false, \"saddle\": true}");
    assert_int_equal(r.st, IK_OK);
    assert_string_equal(disposition_id(&r), "emergency");
    assert_int_not_equal(r.o.stop_flag, IK_NONE);
    assert_string_equal(rb->red_flags[r.o.stop_flag].id, "cauda_equina");
    assert_false(r.o.complete);
    expect_has(&r, "\"red_flags\":[\"cauda_equina\"]");
    expect_has(&r, "\"because\":{\"disposition\":[\"saddle\"],");
    expect_has(&r, "\"red_flags\":[\"saddle\"]");
    done(&r);
}

static void test_fever_after_surgery_outranks_a_routine_rule(void **state)
{
    run r;

    (void)state;
    compute(&r, "{\"had_surgery\": true, \"saddle\": false, \"pain\": 5,"
                " \"months\": 2, \"temp\": 38.5}");
    assert_int_equal(r.st, IK_OK);
    assert_string_equal(disposition_id(&r), "urgent");
    assert_int_equal(r.o.stop_flag, IK_NONE);
    expect_has(&r, "\"red_flags\":[\"fever\"]");
    expect_has(&r, "\"disposition\":[\"temp\"]");
    done(&r);
}

static void
test_chronic_strong_pain_gives_soon_revision_and_a_note(void **state)
{
    run r;

    (void)state;
    compute(&r, "{\"intro\": null, \"had_surgery\": true, \"saddle\": false,"
                " \"pain\": 8, \"months\": 8, \"temp\": 37, \"mri\": "
                "\"unknown\", \"where\": \"both\", \"tried\": [\"pt\", "
                "\"injection\"], \"relief\": false, \"notes\": \"hi\"}");
    assert_int_equal(r.st, IK_OK);
    assert_true(r.o.complete);
    assert_string_equal(disposition_id(&r), "soon");
    assert_string_equal(rb->ladder[r.o.rung].id, "revision");
    expect_has(&r, "\"sections\":[\"injections\",\"surgery\",\"overview\"]");
    expect_has(&r, "\"notes\":[\"NOTE-CHRONIC: strong pain this long after "
                   "surgery is worth a visit soon.\"]");
    expect_has(&r, "\"ladder\":[\"conservative_failed\",\"tried\","
                   "\"pain\"]");
    expect_has(&r, "\"disposition\":[\"chronic\",\"pain\"]");
    expect_has(&r, "\"derived\":{\"chronic\":true,\"conservative_failed\":"
                   "true}");
    done(&r);
}

static void
test_moderate_pain_gives_routine_and_mild_pain_self_care(void **state)
{
    run r;

    (void)state;
    compute(&r, "{\"had_surgery\": false, \"saddle\": false, \"pain\": 5}");
    assert_string_equal(disposition_id(&r), "routine");
    assert_string_equal(rb->ladder[r.o.rung].id, "conservative");
    done(&r);
    compute(&r, "{\"had_surgery\": false, \"saddle\": false, \"pain\": 2}");
    assert_string_equal(disposition_id(&r), "self_care");
    expect_has(&r, "\"because\":{\"disposition\":[],\"ladder\":[\"pain\"]");
    done(&r);
    compute(&r, "{\"had_surgery\": false, \"saddle\": false, \"pain\": 0}");
    assert_int_equal(r.o.rung, IK_NONE);
    expect_has(&r, "\"ladder\":null");
    done(&r);
}

static void test_answers_to_disabled_questions_do_not_count(void **state)
{
    run r;

    (void)state;
    /* months and temp apply only after surgery; relief only when something
     * was tried */
    compute(&r, "{\"had_surgery\": false, \"saddle\": false, \"pain\": 9,"
                " \"months\": 8, \"temp\": 39, \"tried\": [], "
                "\"relief\": false}");
    assert_int_equal(r.st, IK_OK);
    assert_string_equal(disposition_id(&r), "routine");
    expect_lacks(&r, "\"months\"");
    expect_lacks(&r, "\"temp\"");
    expect_lacks(&r, "\"relief\"");
    expect_has(&r, "\"tried\":[]");
    expect_has(&r, "\"conservative_failed\":false");
    assert_false(r.o.enabled[4]);
    done(&r);
}

static void test_outcome_json_has_the_design_shape(void **state)
{
    run r;

    (void)state;
    compute(&r, "{\"had_surgery\": false, \"saddle\": false, \"pain\": 3,"
                " \"mri\": null}");
    assert_string_equal(
        ik_buf_cstr(&r.json),
        "{\"rules\":\"interview-test@1.2.3\",\"complete\":false,"
        "\"disposition\":\"self_care\",\"red_flags\":[],\"ladder\":"
        "\"conservative\",\"sections\":[\"overview\"],\"notes\":[],"
        "\"notice\":\"TESTPACK disclaimer: education, not a diagnosis. In an "
        "emergency call your local emergency number.\","
        "\"answers\":{\"had_surgery\":false,\"saddle\":false,\"pain\":3,"
        "\"mri\":null},\"derived\":{\"chronic\":false,"
        "\"conservative_failed\":false},\"because\":{\"disposition\":[],"
        "\"ladder\":[\"pain\"],\"red_flags\":[],\"sections\":[\"pain\"]}}");
    done(&r);
}

static void test_bind_refuses_unknown_ids_and_misfit_values(void **state)
{
    run r;

    (void)state;
    compute(&r, "{\"pain\": 3, \"colour\": \"red\"}");
    assert_int_equal(r.st, IK_EANSWER);
    assert_string_equal(r.err.path, "/colour");
    assert_non_null(strstr(r.err.msg, "no question has the id 'colour'"));
    done(&r);
    compute(&r, "{\"chronic\": true}");
    assert_int_equal(r.st, IK_EANSWER);
    assert_non_null(strstr(r.err.msg, "derived value"));
    done(&r);
    compute(&r, "{\"pain\": 11}");
    assert_int_equal(r.st, IK_EANSWER);
    assert_string_equal(r.err.path, "/pain");
    done(&r);
    compute(&r, "{\"where\": \"arm\"}");
    assert_int_equal(r.st, IK_EANSWER);
    done(&r);
    compute(&r, "{\"intro\": true}");
    assert_int_equal(r.st, IK_EANSWER);
    done(&r);
}

static void test_recomputing_reuses_the_outcome_and_agrees(void **state)
{
    run r;
    char first[2048];

    (void)state;
    compute(&r, "{\"had_surgery\": true, \"saddle\": false, \"pain\": 8,"
                " \"months\": 8}");
    snprintf(first, sizeof first, "%s", ik_buf_cstr(&r.json));
    assert_int_equal(ik_outcome_compute(rb, r.answers, &r.o, &r.err), IK_OK);
    ik_buf_clear(&r.json);
    ik_outcome_write_json(rb, &r.o, IK_AUD_PATIENT, &r.json);
    assert_string_equal(ik_buf_cstr(&r.json), first);
    done(&r);
}

static void test_compute_reports_out_of_memory_at_every_allocation(void **state)
{
    run r;
    long n;

    (void)state;
    compute(&r, "{\"had_surgery\": true, \"saddle\": false, \"pain\": 8,"
                " \"months\": 8, \"tried\": [\"pt\"], \"relief\": false}");
    assert_int_equal(r.st, IK_OK);
    for (n = 1;; n++) {
        ik_outcome o;
        ik_error err;
        ik_status st;

        ik_outcome_init(&o);
        ik_alloc_fail_after(n);
        st = ik_outcome_compute(rb, r.answers, &o, &err);
        ik_alloc_fail_after(0);
        ik_outcome_fini(&o);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_int_equal(err.code, IK_ENOMEM);
        assert_true(n < 100);
    }
    assert_true(n > 1); /* the loop injected failures */
    done(&r);
}

/*
 * A red flag's or a rule's condition that fails to evaluate fails the
 * outcome, naming it (kind, id, "when"); where several fail, the first in
 * pack order, red flags before rules. (They are evaluated in one call,
 * ik_logic_eval_each; the names are what one call each gave.) "heavy"
 * runs past one evaluation's budget when the answer it reads is yes.
 */
static void test_a_failing_flag_or_rule_is_named(void **state)
{
    static const char inner[] =
        "{\"reduce\": [[%s], {\"+\": [{\"var\": \"accumulator\"}, "
        "{\"reduce\": [[%s], {\"+\": [{\"var\": \"accumulator\"}, 1]}, "
        "0]}]}, 0]}";
    ik_rulebook *r = NULL;
    ik_value ans[3];
    ik_outcome o;
    ik_error err;
    ik_buf b, h, big, small;
    int k;

    (void)state;
    ik_buf_init(&b);
    ik_buf_init(&h);
    ik_buf_init(&big);
    ik_buf_init(&small);
    for (k = 0; k < 20000; k++)
        ik_buf_puts(&big, k ? ",1" : "1");
    for (k = 0; k < 300; k++)
        ik_buf_puts(&small, k ? ",1" : "1");
    ik_buf_printf(&h, inner, ik_buf_cstr(&small), ik_buf_cstr(&big));
    ik_buf_printf(
        &b,
        "{\"format\": \"intake-rules/1\", \"id\": \"n\", \"version\": "
        "\"1.0.0\", \"title\": \"t\", \"disclaimer\": \"d\", \"safety_net\": "
        "\"s\", \"get_help\": \"g\", \"questions\": [{\"id\": \"q1\", "
        "\"type\": \"yes_no\", \"text\": \"Q1\"}, {\"id\": \"q2\", \"type\": "
        "\"yes_no\", \"text\": \"Q2\"}], \"red_flags\": [{\"id\": \"ok\", "
        "\"when\": {\"var\": \"q1\"}, \"disposition\": \"soon\", "
        "\"message\": \"M\"}, {\"id\": \"bad_flag\", \"when\": {\"if\": "
        "[{\"var\": \"q2\"}, %s, false]}, \"disposition\": \"soon\", "
        "\"message\": \"M\"}], \"rules\": [{\"id\": \"fine\", \"when\": "
        "{\"var\": \"q2\"}, \"then\": {\"disposition\": \"soon\"}}, {\"id\": "
        "\"bad_rule\", \"when\": {\"if\": [{\"var\": \"q1\"}, %s, false]}, "
        "\"then\": {\"disposition\": \"soon\"}}], \"dispositions\": "
        "[{\"id\": \"soon\", "
        "\"label\": \"S\", \"advice\": \"s\"}, {\"id\": \"routine\", "
        "\"label\": \"R\", \"advice\": \"r\"}]}",
        ik_buf_cstr(&h), ik_buf_cstr(&h));
    assert_int_equal(ik_buf_status(&b), IK_OK);
    if (ik_rulebook_load_text(ik_buf_cstr(&b), b.len, "n.json", &r, &err) !=
        IK_OK)
        fail_msg("%d:%d: %s", err.line, err.col, err.msg);
    ik_outcome_init(&o);
    ans[0] = ik_bool(true); /* q1 yes: the rule fails */
    ans[1] = ik_bool(false);
    ans[2] = ik_undef();
    assert_int_equal(ik_outcome_compute(r, ans, &o, &err), IK_ELOGIC);
    assert_non_null(strstr(err.msg, "rule \"bad_rule\""));
    ans[1] = ik_bool(true); /* and q2 yes: the flag, first, fails too */
    assert_int_equal(ik_outcome_compute(r, ans, &o, &err), IK_ELOGIC);
    assert_non_null(strstr(err.msg, "red flag \"bad_flag\""));
    ans[0] = ik_bool(false); /* both no: nothing fires, nothing fails */
    ans[1] = ik_bool(false);
    assert_int_equal(ik_outcome_compute(r, ans, &o, &err), IK_OK);
    assert_int_equal(o.red_flags.n, 0);
    assert_int_equal(o.rules.n, 0);
    ik_outcome_fini(&o);
    ik_rulebook_free(r);
    ik_buf_fini(&b);
    ik_buf_fini(&h);
    ik_buf_fini(&big);
    ik_buf_fini(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saddle_numbness_gives_emergency_and_stops),
        cmocka_unit_test(test_a_failing_flag_or_rule_is_named),
        cmocka_unit_test(test_fever_after_surgery_outranks_a_routine_rule),
        cmocka_unit_test(
            test_chronic_strong_pain_gives_soon_revision_and_a_note),
        cmocka_unit_test(
            test_moderate_pain_gives_routine_and_mild_pain_self_care),
        cmocka_unit_test(test_answers_to_disabled_questions_do_not_count),
        cmocka_unit_test(test_outcome_json_has_the_design_shape),
        cmocka_unit_test(test_bind_refuses_unknown_ids_and_misfit_values),
        cmocka_unit_test(test_recomputing_reuses_the_outcome_and_agrees),
        cmocka_unit_test(
            test_compute_reports_out_of_memory_at_every_allocation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
