/*
 * test_fhirpath.c -- the JsonLogic -> FHIRPath translator (engine/
 * fhirpath.c): the text written for each operator packs use, with
 * json-logic-js semantics kept (null for an unanswered question, null as
 * 0 in an order comparison, "none" of a multi as []), the derived values
 * a condition needs in evaluation order, and a clear refusal naming what
 * has no exact FHIRPath form. The evaluation of this text by a real
 * FHIRPath engine over intake's own responses is scripts/interop.sh.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhirpath.h"
#include "rulebook.h"

#define A(id) "%resource.item.where(linkId = '" id "').answer"

/* A pack whose last question "probe" has enable_when `logic`. */
static ik_rulebook *pack(const char *logic, const char *derived)
{
    static char text[8192];
    ik_rulebook *rb = NULL;
    ik_error err;

    snprintf(
        text, sizeof text,
        "{\"format\": \"intake-rules/1\", \"id\": \"fp\", \"version\": "
        "\"1.0.0\", \"title\": \"FHIRPath\", \"disclaimer\": \"Education.\", "
        "\"safety_net\": \"Call.\", \"get_help\": \"Call 999.\",\n"
        "\"questions\": [\n"
        "{\"id\": \"yn\", \"type\": \"yes_no\", \"text\": \"Y?\"},\n"
        "{\"id\": \"ynu\", \"type\": \"yes_no\", \"text\": \"U?\", "
        "\"allow_unknown\": true},\n"
        "{\"id\": \"ch\", \"type\": \"choice\", \"text\": \"C?\", \"options\": "
        "[{\"value\": \"a\", \"label\": \"A\"}, {\"value\": \"b\", \"label\": "
        "\"B\"}]},\n"
        "{\"id\": \"mu\", \"type\": \"multi\", \"text\": \"M?\", "
        "\"allow_none\": true, \"options\": [{\"value\": \"a\", \"label\": "
        "\"A\"}, {\"value\": \"b\", \"label\": \"B\"}]},\n"
        "{\"id\": \"num\", \"type\": \"number\", \"text\": \"N?\"},\n"
        "{\"id\": \"tx\", \"type\": \"text\", \"text\": \"T?\"},\n"
        "{\"id\": \"probe\", \"type\": \"yes_no\", \"text\": \"P?\", "
        "\"enable_when\": %s}],\n"
        "\"derived\": [%s],\n"
        "\"dispositions\": [{\"id\": \"d\", \"label\": \"D\", \"advice\": "
        "\"X.\"}],\n"
        "\"rules\": [{\"id\": \"r\", \"when\": {\"or\": [{\"var\": \"yn\"}, "
        "{\"var\": \"ynu\"}, {\"var\": \"ch\"}, {\"var\": \"mu\"}, {\"var\": "
        "\"num\"}, {\"var\": \"tx\"}, {\"var\": \"probe\"}]}, \"then\": "
        "{\"disposition\": \"d\"}}]}\n",
        logic, derived ? derived : "");
    if (ik_rulebook_load_text(text, strlen(text), "fp.json", &rb, &err) !=
        IK_OK)
        fail_msg("%d:%d %s\n%s", err.line, err.col, err.msg, text);
    return rb;
}

/* The probe's condition as FHIRPath; NULL and *why when refused. */
static char *translate(ik_rulebook *rb, char *why, uint32_t *nneeded)
{
    ik_fhirpath *fp = NULL;
    ik_buf b;
    ik_error err;
    ik_status st;
    char *out = NULL;

    ik_buf_init(&b);
    ik_error_clear(&err);
    assert_int_equal(ik_fhirpath_new(rb, &fp, &err), IK_OK);
    st = ik_fhirpath_condition(
        fp, rb->questions[rb->nquestions - 1].enable_when, &b, &err);
    if (st == IK_OK)
        out = strdup(ik_buf_cstr(&b) ? ik_buf_cstr(&b) : "");
    else {
        assert_int_equal(st, IK_ELOGIC);
        snprintf(why, 256, "%s", err.msg);
    }
    if (nneeded)
        *nneeded = ik_fhirpath_nneeded(fp);
    ik_buf_fini(&b);
    ik_fhirpath_free(fp);
    return out;
}

static void expect(const char *logic, const char *fhirpath)
{
    ik_rulebook *rb = pack(logic, NULL);
    char why[256] = "";
    char *got = translate(rb, why, NULL);

    if (!got)
        fail_msg("%s: refused: %s", logic, why);
    if (strcmp(got, fhirpath) != 0)
        fail_msg("%s:\n got  %s\n want %s", logic, got, fhirpath);
    free(got);
    ik_rulebook_free(rb);
}

static void expect_refusal(const char *logic, const char *derived,
                           const char *part)
{
    ik_rulebook *rb = pack(logic, derived);
    char why[256] = "";
    char *got = translate(rb, why, NULL);

    if (got)
        fail_msg("%s: translated as %s", logic, got);
    if (!strstr(why, part))
        fail_msg("%s: the message '%s' does not name '%s'", logic, why, part);
    ik_rulebook_free(rb);
}

static void test_answers_compared_with_constants(void **state)
{
    (void)state;
    expect("{\"var\": \"yn\"}", A("yn") ".value.where($this = true).exists()");
    expect("{\"==\": [{\"var\": \"yn\"}, false]}",
           A("yn") ".value.where($this = false).exists()");
    expect("{\"==\": [{\"var\": \"ynu\"}, \"unknown\"]}",
           A("ynu") ".value.code.where($this = 'unknown').exists()");
    expect("{\"===\": [true, {\"var\": \"ynu\"}]}",
           A("ynu") ".value.code.where($this = 'yes').exists()");
    expect("{\"in\": [{\"var\": \"ch\"}, [\"a\", \"b\"]]}",
           A("ch") ".value.code.where($this = 'ch.a' or $this = "
                   "'ch.b').exists()");
    expect("{\"in\": [{\"var\": \"ynu\"}, [true, \"unknown\"]]}",
           A("ynu") ".value.code.where($this = 'yes' or $this = "
                    "'unknown').exists()");
    expect("{\"in\": [\"b\", {\"var\": \"mu\"}]}",
           A("mu") ".value.code.where($this != 'none').where($this = "
                   "'mu.b').exists()");
    expect("{\"in\": [\"it's\", {\"var\": \"tx\"}]}",
           A("tx") ".value.where($this.contains('it\\'s')).exists()");
    expect("{\"!=\": [{\"var\": \"ch\"}, \"b\"]}",
           "(" A("ch") ".value.code.where($this = 'ch.b').exists()).not()");
}

static void test_null_keeps_its_javascript_meaning(void **state)
{
    (void)state;
    /* unanswered is null; "none of these" of a multi is [], not null */
    expect("{\"==\": [{\"var\": \"num\"}, null]}", A("num") ".value.empty()");
    /* JavaScript reads null as 0 in an order comparison */
    expect("{\"<\": [{\"var\": \"num\"}, 2]}",
           "(iif(" A("num") ".value.exists(), " A("num") ".value, 0) < 2)");
    expect("{\"<=\": [1, {\"var\": \"num\"}, 3]}",
           "(1 <= iif(" A("num") ".value.exists(), " A("num")
           ".value, 0) and iif(" A("num") ".value.exists(), " A("num")
           ".value, 0) <= 3)");
    /* truthiness: [] and "" and 0 are false */
    expect("{\"!!\": [{\"var\": \"mu\"}]}",
           A("mu") ".value.code.where($this != 'none').exists()");
    expect("{\"!\": [{\"var\": \"num\"}]}",
           "(" A("num") ".value.where($this != 0).exists()).not()");
    expect("{\"or\": [{\"var\": \"tx\"}, {\"var\": \"ch\"}]}",
           A("tx") ".value.where($this != '').exists() or " A("ch")
                   ".value.code.exists()");
}

static void test_derived_values_become_variables_in_order(void **state)
{
    ik_rulebook *rb = pack(
        "{\"var\": \"late\"}",
        "{\"id\": \"early\", \"value\": {\"==\": [{\"var\": \"yn\"}, "
        "true]}},\n"
        "{\"id\": \"unused\", \"value\": {\"missing\": [\"yn\"]}},\n"
        "{\"id\": \"late\", \"value\": {\"and\": [{\"var\": \"early\"}, "
        "{\"==\": [{\"var\": \"ch\"}, \"a\"]}]}}");
    char why[256] = "";
    uint32_t n = 0;
    const char *x;
    char *got = translate(rb, why, &n);
    ik_fhirpath *fp = NULL;
    ik_buf b;
    ik_error err;

    (void)state;
    assert_non_null(got);
    assert_string_equal(got, "%`late`");
    assert_int_equal(n, 2); /* "unused" is not needed, so not refused */
    free(got);
    ik_buf_init(&b);
    assert_int_equal(ik_fhirpath_new(rb, &fp, &err), IK_OK);
    assert_int_equal(ik_fhirpath_condition(
                         fp, rb->questions[rb->nquestions - 1].enable_when,
                         &b, &err),
                     IK_OK);
    assert_string_equal(rb->derived[ik_fhirpath_needed(fp, 0, &x)].id,
                        "early");
    assert_string_equal(x, A("yn") ".value.where($this = true).exists()");
    assert_string_equal(rb->derived[ik_fhirpath_needed(fp, 1, &x)].id, "late");
    assert_string_equal(x, "%`early` and (" A(
                               "ch") ".value.code.where($this = "
                                     "'ch.a').exists())");
    ik_buf_fini(&b);
    ik_fhirpath_free(fp);
    ik_rulebook_free(rb);
}

/* R4's Expression.name is an id: no '_'; each becomes '-' */
static void test_variable_names_are_r4_ids(void **state)
{
    ik_rulebook *rb = pack("{\"var\": \"is_late_2\"}",
                           "{\"id\": \"is_late_2\", \"value\": {\"var\": "
                           "\"yn\"}}");
    char why[256] = "";
    char *got = translate(rb, why, NULL);
    ik_buf b;

    (void)state;
    assert_non_null(got);
    assert_string_equal(got, "%`is-late-2`.where($this = true).exists()");
    ik_buf_init(&b);
    ik_fhirpath_var_name(&b, "is_late_2");
    assert_string_equal(ik_buf_cstr(&b), "is-late-2");
    ik_buf_fini(&b);
    free(got);
    ik_rulebook_free(rb);
}

static void test_arithmetic_and_if(void **state)
{
    (void)state;
    expect("{\">=\": [{\"+\": [{\"if\": [{\"==\": [{\"var\": \"ch\"}, "
           "\"a\"]}, 1, {\"==\": [{\"var\": \"ch\"}, \"b\"]}, 2, 0]}, 2]}, "
           "3]}",
           "(((iif(" A("ch") ".value.code.where($this = 'ch.a').exists(), 1, "
           "iif(" A("ch") ".value.code.where($this = 'ch.b').exists(), 2, "
           "0))) + (2)) >= 3)");
}

static void test_what_has_no_exact_form_is_refused_by_name(void **state)
{
    (void)state;
    expect_refusal("{\"missing\": [\"yn\"]}", NULL, "'missing'");
    expect_refusal("{\"var\": \"yn.x\"}", NULL, "path");
    expect_refusal("{\"==\": [{\"var\": \"num\"}, \"5\"]}", NULL,
                   "converting types");
    expect_refusal("{\"==\": [{\"var\": \"num\"}, {\"var\": \"yn\"}]}", NULL,
                   "two computed values");
    /* null + 1 is NaN in JsonLogic: no FHIRPath number holds it */
    expect_refusal("{\">\": [{\"+\": [{\"var\": \"num\"}, 1]}, 2]}", NULL,
                   "may be missing");
    expect_refusal("{\"var\": \"resource\"}",
                   "{\"id\": \"resource\", \"value\": true}", "reserved");
    expect_refusal("{\"var\": \"d\"}",
                   "{\"id\": \"d\", \"value\": {\"some\": [{\"var\": \"mu\"}, "
                   "true]}}",
                   "derived value 'd': 'some'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers_compared_with_constants),
        cmocka_unit_test(test_null_keeps_its_javascript_meaning),
        cmocka_unit_test(test_derived_values_become_variables_in_order),
        cmocka_unit_test(test_variable_names_are_r4_ids),
        cmocka_unit_test(test_arithmetic_and_if),
        cmocka_unit_test(test_what_has_no_exact_form_is_refused_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
