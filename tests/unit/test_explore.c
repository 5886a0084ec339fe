/*
 * test_explore.c -- walking a pack's answer paths: the exhaustive count,
 * statistics, invariants that hold and break, counter-examples that
 * replay, seeded sampling, the text report, out of memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "alloc.h"
#include "answers_json.h"
#include "explore.h"
#include "outcome.h"
#include "scale_fixture.h"

static ik_explore_report run(const ik_rulebook *rb, const ik_explore_opts *opts)
{
    ik_explore_report rep;
    ik_error err;

    assert_int_equal(ik_explore_run(rb, opts, &rep, &err), IK_OK);
    return rep;
}

static void
test_small_pack_is_walked_exhaustively_with_exact_counts(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_explore_opts o = {0};
    ik_explore_report rep = run(rb, &o);

    (void)state;
    /* bladder yes stops (2 paths); never operated, no flag (1); operated:
     * pain in {0, 6, 7, 8, 9, 10} (bounds, 7 +- 1, 10 +- 1 within range)
     * times 4 subsets of "tried" = 24. */
    assert_true(rep.exhaustive);
    assert_int_equal(rep.paths, 27);
    assert_int_equal(rep.stopped, 2);
    assert_int_equal(rep.by_disposition[0], 2);  /* emergency */
    assert_int_equal(rep.by_disposition[1], 4);  /* urgent: pain 10 */
    assert_int_equal(rep.by_disposition[2], 12); /* soon: pain 7..9 */
    assert_int_equal(rep.by_disposition[3], 9);  /* self_care */
    assert_int_equal(rep.by_rung[0], 17);        /* conservative */
    assert_int_equal(rep.by_rung[1], 8);         /* severe and meds */
    assert_int_equal(rep.by_rung[2], 2);         /* none */
    assert_int_equal(rep.by_section[ik_rulebook_find_section(rb, "faq")], 0);
    assert_int_equal(
        rep.by_section[ik_rulebook_find_section(rb, "conservative")], 25);
    assert_int_equal(rep.inv_applied[0], 2);
    assert_int_equal(rep.inv_failed[0], 0);
    assert_int_equal(ik_explore_nfailed(rb, &rep), 0);
    ik_explore_report_fini(&rep);
    ik_rulebook_free(rb);
}

static void
test_broken_invariant_gives_counter_examples_that_replay(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK_BROKEN);
    ik_explore_opts o = {0};
    ik_explore_report rep = run(rb, &o);
    ik_outcome out;
    ik_arena a;
    ik_value answers[4];
    ik_error err;
    uint32_t i;

    (void)state;
    assert_int_equal(ik_explore_nfailed(rb, &rep), 1);
    assert_int_equal(rep.inv_failed[0], 0);
    assert_int_equal(rep.inv_applied[1], 16); /* pain 7..10 x 4 subsets */
    assert_int_equal(rep.inv_failed[1], 16);
    assert_int_equal(rep.nfailures, IK_EXPLORE_DEFAULT_EXAMPLES);
    ik_outcome_init(&out);
    ik_arena_init(&a);
    for (i = 0; i < rep.nfailures; i++) {
        const ik_explore_failure *f = &rep.failures[i];

        assert_int_equal(f->invariant, 1);
        assert_non_null(strstr(f->why, "expected emergency"));
        /* the answers object, read back as batch and --answers read it,
         * gives an outcome that breaks the invariant */
        assert_int_equal(ik_answers_json_parse(rb, f->answers,
                                               strlen(f->answers), "", &a,
                                               answers, &err),
                         IK_OK);
        assert_int_equal(ik_outcome_compute(rb, answers, &out, &err), IK_OK);
        assert_true(out.disposition != 0);
        assert_true(answers[2].kind == IK_NUM && answers[2].u.num >= 7);
        ik_arena_reset(&a);
    }
    ik_arena_fini(&a);
    ik_outcome_fini(&out);
    ik_explore_report_fini(&rep);
    ik_rulebook_free(rb);
}

/* "disposition" may list the dispositions that are acceptable: severe
 * pain is "soon" by a rule and "urgent" at 10 (a red flag), so "one of
 * emergency, urgent, soon" always holds, and "one of emergency, urgent"
 * breaks where only the rule fires (pain below 10). */
static void
test_a_disposition_list_expectation_accepts_any_of_them(void **state)
{
    static const char pack[] = TINY_PACK_HEAD
        ",\n {\"id\": \"severe_is_soon_or_worse\", \"when\": {\"var\": "
        "\"severe\"}, \"expect\": {\"disposition\": [\"emergency\", "
        "\"urgent\", \"soon\"]}},"
        "\n {\"id\": \"severe_is_urgent_or_worse\", \"when\": {\"var\": "
        "\"severe\"}, \"expect\": {\"disposition\": [\"emergency\", "
        "\"urgent\"]}}]}";
    ik_rulebook *rb = fixture_load(pack);
    ik_explore_opts o = {0};
    ik_explore_report rep = run(rb, &o);

    (void)state;
    assert_int_equal(rb->invariants[1].nexpect_dispositions, 3);
    assert_true(rep.inv_applied[1] > 0);
    assert_int_equal(rep.inv_failed[1], 0);
    assert_int_equal(rep.inv_applied[2], rep.inv_applied[1]);
    assert_true(rep.inv_failed[2] > 0);
    assert_true(rep.inv_failed[2] < rep.inv_applied[2]); /* pain 10 holds */
    ik_explore_report_fini(&rep);
    ik_rulebook_free(rb);
}

static void test_ladder_and_section_expectations_are_checked(void **state)
{
    static const char pack[] = TINY_PACK_HEAD
        ",\n {\"id\": \"unoperated_no_ladder\", \"when\": {\"==\": "
        "[{\"var\": \"surgery\"}, false]}, \"expect\": {\"ladder\": null, "
        "\"sections\": [\"overview\"], \"not_sections\": [\"conservative\"]}},"
        "\n {\"id\": \"operated_hides_conservative\", \"when\": {\"var\": "
        "\"surgery\"}, \"expect\": {\"not_sections\": [\"conservative\"]}},"
        "\n {\"id\": \"severe_is_interventional\", \"when\": {\"var\": "
        "\"severe\"}, \"expect\": {\"ladder\": \"interventional\"}},"
        "\n {\"id\": \"operated_reads_faq\", \"when\": {\"var\": "
        "\"surgery\"}, \"expect\": {\"sections\": [\"faq\"]}}]}";
    ik_rulebook *rb = fixture_load(pack);
    ik_explore_opts o = {0};
    ik_explore_report rep = run(rb, &o);
    uint32_t i;
    bool saw_shown = false, saw_ladder = false, saw_missing = false;

    (void)state;
    assert_int_equal(rep.inv_failed[1], 0);
    assert_int_equal(rep.inv_applied[1], 2); /* with and without a stop */
    assert_int_equal(rep.inv_failed[2], 25);
    assert_int_equal(rep.inv_failed[3], 8); /* severe without meds */
    assert_int_equal(rep.inv_failed[4], 25);
    for (i = 0; i < rep.nfailures; i++) {
        saw_shown |=
            strcmp(rep.failures[i].why, "section conservative is shown") == 0;
        saw_ladder |=
            strcmp(rep.failures[i].why, "ladder is conservative, expected "
                                        "interventional") == 0;
        saw_missing |=
            strcmp(rep.failures[i].why, "section faq is not shown") == 0;
    }
    assert_true(saw_shown && saw_ladder && saw_missing);
    assert_int_equal(ik_explore_nfailed(rb, &rep), 3);
    ik_explore_report_fini(&rep);
    ik_rulebook_free(rb);
}

static void
test_space_larger_than_max_paths_is_sampled_reproducibly(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK_BROKEN);
    ik_explore_opts o = {0};
    ik_explore_report a, b, c;
    uint32_t i;

    (void)state;
    o.max_paths = 10; /* fewer than the 27 paths there are */
    o.sample = 500;
    o.seed = 7;
    a = run(rb, &o);
    b = run(rb, &o);
    assert_false(a.exhaustive);
    assert_int_equal(a.paths, 500);
    assert_true(a.inv_failed[1] > 0); /* sampling finds the break too */
    for (i = 0; i < 4; i++)
        assert_int_equal(a.by_disposition[i], b.by_disposition[i]);
    assert_string_equal(a.failures[0].answers, b.failures[0].answers);
    o.seed = 8;
    c = run(rb, &o);
    assert_int_equal(c.paths, 500);
    assert_true(memcmp(a.by_disposition, c.by_disposition, 4 * 8) != 0 ||
                memcmp(a.by_rung, c.by_rung, 3 * 8) != 0);
    ik_explore_report_fini(&a);
    ik_explore_report_fini(&b);
    ik_explore_report_fini(&c);
    ik_rulebook_free(rb);
}

static void test_report_text_lists_counts_failures_and_totals(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK_BROKEN);
    ik_explore_opts o = {0};
    ik_explore_report rep = run(rb, &o);
    ik_buf b;
    const char *t;

    (void)state;
    ik_buf_init(&b);
    ik_explore_write_text(rb, &rep, &b);
    t = ik_buf_cstr(&b);
    assert_non_null(strstr(t, "explore tiny@1.0.0: 27 (all) paths, 2 ended "
                              "by a stop red flag\n"));
    assert_non_null(strstr(t, "dispositions: emergency 2, urgent 4, soon 12,"
                              " self_care 9\n"));
    assert_non_null(strstr(t, "ladder: conservative 17, interventional 8, "
                              "none 2\n"));
    assert_non_null(strstr(t, "sections never shown: faq\n"));
    assert_non_null(strstr(t, "ok   bladder_is_emergency: held on 2 paths"));
    assert_non_null(strstr(t, "FAIL severe_is_emergency: broken on 16 of 16"));
    /* counter-examples stand alone on a line, ready for --answers */
    assert_non_null(strstr(t, "counter-example:\n{\"surgery\":true,"));
    assert_non_null(strstr(t, "\ninvariants: 1 passed, 1 failed\n"));
    ik_buf_fini(&b);
    ik_explore_report_fini(&rep);
    ik_rulebook_free(rb);
}

static void test_out_of_memory_is_reported_and_leaks_nothing(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK_BROKEN);
    ik_explore_opts o = {0};
    ik_explore_report rep;
    ik_error err;
    ik_status st;
    long n;

    (void)state;
    for (n = 1;; n++) {
        ik_alloc_fail_after(n);
        st = ik_explore_run(rb, &o, &rep, &err);
        ik_alloc_fail_after(0);
        ik_explore_report_fini(&rep);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_true(n < 100000);
    }
    assert_true(n > 1);
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_small_pack_is_walked_exhaustively_with_exact_counts),
        cmocka_unit_test(
            test_broken_invariant_gives_counter_examples_that_replay),
        cmocka_unit_test(
            test_a_disposition_list_expectation_accepts_any_of_them),
        cmocka_unit_test(test_ladder_and_section_expectations_are_checked),
        cmocka_unit_test(
            test_space_larger_than_max_paths_is_sampled_reproducibly),
        cmocka_unit_test(test_report_text_lists_counts_failures_and_totals),
        cmocka_unit_test(test_out_of_memory_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
