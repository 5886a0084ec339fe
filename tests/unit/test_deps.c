/*
 * test_deps.c -- the dependency model built when a pack loads (deps.c):
 * what each condition reads, the derived values and questions behind it,
 * who reads each slot, the latest question behind a derived value,
 * whether the pack is ordered, the one iterator over a pack's conditions,
 * and the questions behind an outcome's `because`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "deps.h"
#include "rulebook.h"

/* Derived values given out of order (y reads x): the loader sorts them. */
static const char pack[] =
    "{\"format\": \"intake-rules/1\", \"id\": \"deps\", \"version\": \"1.0.0\","
    " \"title\": \"T\", \"disclaimer\": \"D\", \"safety_net\": \"S\","
    " \"get_help\": \"G\","
    " \"questions\": ["
    "  {\"id\": \"a\", \"type\": \"yes_no\", \"text\": \"A?\"},"
    "  {\"id\": \"b\", \"type\": \"yes_no\", \"text\": \"B?\","
    "   \"enable_when\": {\"var\": \"x\"}},"
    "  {\"id\": \"c\", \"type\": \"yes_no\", \"text\": \"C?\","
    "   \"enable_when\": {\"var\": \"y\"}}],"
    " \"derived\": ["
    "  {\"id\": \"y\", \"value\": {\"and\": [{\"var\": \"x\"}, {\"var\": "
    "\"b\"}]}},"
    "  {\"id\": \"x\", \"value\": {\"var\": \"a\"}}],"
    " \"red_flags\": [{\"id\": \"f\", \"when\": {\"var\": \"y\"},"
    "  \"disposition\": \"now\", \"message\": \"M\", \"act\": \"stop\"}],"
    " \"dispositions\": [{\"id\": \"now\", \"label\": \"N\", \"advice\": "
    "\"A\"}, {\"id\": \"later\", \"label\": \"L\", \"advice\": \"A\"}],"
    " \"rules\": [{\"id\": \"r\", \"when\": {\"and\": [{\"var\": \"c\"}, "
    "{\"var\": \"a\"}]}, \"then\": {\"disposition\": \"later\"}}]}";

static ik_rulebook *load(void)
{
    ik_rulebook *rb = NULL;
    ik_error err;

    if (ik_rulebook_load_text(pack, sizeof pack - 1, "deps.json", &rb, &err) !=
        IK_OK)
        fail_msg("%s", err.msg);
    return rb;
}

static void expect_span(ik_span s, const uint32_t *want, uint32_t n)
{
    uint32_t i;

    assert_int_equal(s.n, n);
    for (i = 0; i < n; i++)
        assert_int_equal(s.items[i], want[i]);
}

static void the_model_lists_reads_closures_and_readers(void **state)
{
    ik_rulebook *rb = load();
    const ik_deps *d = rb->deps;
    /* slots: a 0, b 1, c 2, x 3, y 4 (derived sorted: x first) */
    const uint32_t x[] = {3}, y[] = {4}, xy[] = {0, 1}, ab[] = {0, 1},
                   a0[] = {0}, b1[] = {1}, c2[] = {2}, ca[] = {2, 0};

    (void)state;
    assert_string_equal(rb->derived[0].id, "x");
    assert_int_equal(ik_deps_nslots(d), 5);
    expect_span(ik_deps_reads(d, IK_OWN_QUESTION, 0), NULL, 0);
    expect_span(ik_deps_reads(d, IK_OWN_QUESTION, 1), x, 1);
    expect_span(ik_deps_reads(d, IK_OWN_QUESTION, 2), y, 1);
    expect_span(ik_deps_reads(d, IK_OWN_DERIVED, 1), (const uint32_t[]){3, 1},
                2);
    expect_span(ik_deps_reads(d, IK_OWN_RULE, 0), ca, 2);
    /* closures: derived values in evaluation order, questions ascending */
    expect_span(ik_deps_needs(d, IK_OWN_RED_FLAG, 0), xy, 2);
    expect_span(ik_deps_asks(d, IK_OWN_RED_FLAG, 0), ab, 2);
    /* lists are kept for red flags only (a list per question or rule
     * would make loading quadratic in a long chain of derived values); a
     * question keeps the latest question behind its enable_when */
    expect_span(ik_deps_asks(d, IK_OWN_RULE, 0), NULL, 0);
    expect_span(ik_deps_asks(d, IK_OWN_QUESTION, 2), NULL, 0);
    expect_span(ik_deps_needs(d, IK_OWN_QUESTION, 2), NULL, 0);
    expect_span(ik_deps_needs(d, IK_OWN_DERIVED, 1), NULL, 0);
    assert_int_equal(ik_deps_enable_latest(d, 0), IK_NONE);
    assert_int_equal(ik_deps_enable_latest(d, 1), 0);
    assert_int_equal(ik_deps_enable_latest(d, 2), 1);
    assert_true(ik_deps_enable_via_derived(d, 2));
    assert_false(ik_deps_enable_via_derived(d, 0));
    expect_span(ik_deps_by_enable_latest(d, 0), b1, 1);
    expect_span(ik_deps_by_enable_latest(d, 1), c2, 1);
    expect_span(ik_deps_derived_by_latest(d), (const uint32_t[]){0, 1}, 2);
    /* readers */
    expect_span(ik_deps_readers(d, IK_OWN_DERIVED, 0), a0, 1);
    expect_span(ik_deps_readers(d, IK_OWN_DERIVED, 3), b1, 1);
    expect_span(ik_deps_readers(d, IK_OWN_QUESTION, 3), b1, 1);
    expect_span(ik_deps_readers(d, IK_OWN_QUESTION, 4), c2, 1);
    expect_span(ik_deps_readers(d, IK_OWN_RED_FLAG, 4), a0, 1);
    expect_span(ik_deps_readers(d, IK_OWN_RULE, 0), a0, 1);
    expect_span(ik_deps_readers(d, IK_OWN_QUESTION, 0), NULL, 0);
    /* the latest question behind each derived value */
    assert_int_equal(ik_deps_latest_question(d, 0), 0);
    assert_int_equal(ik_deps_latest_question(d, 1), 1);
    assert_int_equal(ik_deps_question_of(d, 2), 2);
    assert_int_equal(ik_deps_derived_of(d, 4), 1);
    assert_int_equal(ik_deps_derived_of(d, 1), IK_NONE);
    ik_rulebook_free(rb);
}

typedef struct seen {
    char text[256];
} seen;

static void visit_all(const ik_condition *c, void *ctx)
{
    seen *s = ctx;
    size_t n = strlen(s->text);

    snprintf(s->text + n, sizeof s->text - n, "%s:%s ", c->id, c->field);
}

static void every_condition_is_visited_once_with_its_owner(void **state)
{
    ik_rulebook *rb = load();
    seen s;

    (void)state;
    memset(&s, 0, sizeof s);
    ik_rulebook_each_condition(rb, 0, visit_all, &s);
    assert_string_equal(s.text, "b:enable_when c:enable_when x:value y:value "
                                "f:when r:when ");
    memset(&s, 0, sizeof s);
    ik_rulebook_each_condition(rb, 1u << IK_OWN_RED_FLAG | 1u << IK_OWN_RULE,
                               visit_all, &s);
    assert_string_equal(s.text, "f:when r:when ");
    ik_rulebook_free(rb);
}

static void
the_questions_behind_a_derived_value_come_in_read_order(void **state)
{
    ik_rulebook *rb = load();
    const uint32_t slots[] = {4, 2, 3};
    uint32_t qs[3], n;

    (void)state;
    /* y reads x (which reads a), then b; then c; x again adds nothing */
    assert_int_equal(ik_rulebook_questions_behind(rb, slots, 3, qs, &n), IK_OK);
    assert_int_equal(n, 3);
    assert_int_equal(qs[0], 0);
    assert_int_equal(qs[1], 1);
    assert_int_equal(qs[2], 2);
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_model_lists_reads_closures_and_readers),
        cmocka_unit_test(every_condition_is_visited_once_with_its_owner),
        cmocka_unit_test(
            the_questions_behind_a_derived_value_come_in_read_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
