/*
 * test_rulebook.c -- the rule-pack loader: typed structures, compiled
 * conditions, derived order, positioned errors, check's full report,
 * "did you mean", and every out-of-memory path. The broken-pack corpus
 * (tests/packs/) covers the individual messages through `intake check`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "rulebook.h"
#include "suggest.h"

/* Derived values out of order on purpose: "both" reads "loud", defined
 * after it. */
static const char pack[] =
    "{\n"
    "  \"format\": \"intake-rules/1\",\n"
    "  \"id\": \"unit-pack\",\n"
    "  \"version\": \"2.1.0\",\n"
    "  \"title\": {\"patient\": \"Your bike\", \"nurse\": \"The bike\"},\n"
    "  \"audiences\": [\"patient\", \"nurse\"],\n"
    "  \"disclaimer\": \"Not advice.\",\n"
    "  \"safety_net\": \"If in doubt, do not ride.\",\n"
    "  \"get_help\": \"Ask a mechanic.\",\n"
    "  \"sources\": [\"A manual\"],\n"
    "  \"questions\": [\n"
    "    {\"id\": \"brakes\", \"type\": \"yes_no\", \"allow_unknown\": true,\n"
    "     \"text\": {\"patient\": \"Do your brakes work?\",\n"
    "              \"nurse\": \"Do the brakes work?\"}},\n"
    "    {\"id\": \"noise\", \"type\": \"choice\", \"text\": \"Noise?\",\n"
    "     \"options\": [{\"value\": \"none\", \"label\": \"None\"},\n"
    "                 {\"value\": \"loud\", \"label\": \"Loud\"}],\n"
    "     \"enable_when\": {\"==\": [{\"var\": \"brakes\"}, true]}},\n"
    "    {\"id\": \"km\", \"type\": \"number\", \"text\": \"Km?\", \"min\": "
    "0,\n"
    "     \"integer\": true, \"unit\": \"km\"},\n"
    "    {\"id\": \"notes\", \"type\": \"text\", \"text\": \"Notes?\"}\n"
    "  ],\n"
    "  \"derived\": [\n"
    "    {\"id\": \"both\", \"value\": {\"and\": [{\"var\": \"loud\"},\n"
    "                                      {\">\": [{\"var\": \"km\"}, "
    "100]}]}},\n"
    "    {\"id\": \"loud\", \"value\": {\"==\": [{\"var\": \"noise\"}, "
    "\"loud\"]}}\n"
    "  ],\n"
    "  \"red_flags\": [{\"id\": \"no_brakes\", \"when\": {\"!\": {\"var\": "
    "\"brakes\"}},\n"
    "                 \"disposition\": \"stop\", \"message\": \"Stop.\",\n"
    "                 \"stop\": true}],\n"
    "  \"dispositions\": [{\"id\": \"stop\", \"label\": \"Stop\", "
    "\"advice\": \"Do not ride.\"},\n"
    "                   {\"id\": \"ride\", \"label\": \"Ride\", "
    "\"advice\": \"Enjoy.\"}],\n"
    "  \"ladder\": [{\"id\": \"oil\", \"label\": \"Oil\", \"when\": "
    "{\"var\": \"both\"}}],\n"
    "  \"sections\": [{\"id\": \"chain\", \"title\": \"Chain\", \"body\": "
    "\"Oil it.\",\n"
    "                \"priority\": 5}],\n"
    "  \"rules\": [{\"id\": \"noisy\", \"when\": {\"var\": \"both\"},\n"
    "             \"then\": {\"disposition\": \"ride\", \"sections\": "
    "[\"chain\"],\n"
    "                      \"note\": \"Oil the chain.\"}}],\n"
    "  \"invariants\": [{\"id\": \"flag_stops\", \"when\": {\"!\": "
    "{\"var\": \"brakes\"}},\n"
    "                  \"expect\": {\"disposition\": \"stop\", \"ladder\": "
    "null}}]\n"
    "}\n";

static ik_rulebook *load_ok(const char *text)
{
    ik_rulebook *rb = NULL;
    ik_error err;

    ik_error_clear(&err);
    if (ik_rulebook_load_text(text, strlen(text), "unit.json", &rb, &err) !=
        IK_OK)
        fail_msg("load failed: %s:%d:%d: %s", err.file, err.line, err.col,
                 err.msg);
    return rb;
}

static void test_good_pack_loads_into_typed_structures(void **state)
{
    ik_rulebook *rb = load_ok(pack);
    const ik_question *q;

    (void)state;
    assert_string_equal(ik_rulebook_id(rb), "unit-pack");
    assert_string_equal(ik_rulebook_version(rb), "2.1.0");
    assert_string_equal(ik_rulebook_title(rb), "Your bike");
    assert_string_equal(ik_text_get(&rb->title_text, IK_AUD_NURSE), "The bike");
    assert_string_equal(rb->language, "en");
    assert_true(rb->audiences[IK_AUD_NURSE]);
    assert_int_equal(rb->nsources, 1);
    assert_int_equal(rb->nquestions, 4);
    q = &rb->questions[0];
    assert_int_equal(q->type, IK_Q_YES_NO);
    assert_true(q->allow_unknown);
    assert_string_equal(ik_text_get(&q->text, IK_AUD_NURSE),
                        "Do the brakes work?");
    assert_int_equal(q->enable_when, IK_NO_EXPR);
    q = &rb->questions[1];
    assert_int_equal(q->noptions, 2);
    assert_string_equal(q->options[1].value, "loud");
    assert_true(q->enable_when != IK_NO_EXPR);
    q = &rb->questions[2];
    assert_true(q->min == 0 && q->max > 1e308 && q->integer);
    assert_string_equal(q->unit, "km");
    assert_int_equal(rb->questions[3].max_length, IK_TEXT_MAX);
    assert_int_equal(rb->red_flags[0].disposition, 0);
    assert_true(rb->red_flags[0].stop);
    assert_int_equal(rb->rules[0].disposition, 1);
    assert_int_equal(rb->rules[0].nsections, 1);
    assert_int_equal(rb->rules[0].sections[0], 0);
    assert_true(rb->sections[0].priority == 5);
    assert_int_equal(rb->sections[0].show_when, IK_NO_EXPR);
    assert_int_equal(rb->invariants[0].nexpect_dispositions, 1);
    assert_int_equal(rb->invariants[0].expect_dispositions[0], 0);
    assert_true(rb->invariants[0].expect_ladder);
    assert_int_equal(rb->invariants[0].expect_rung, IK_NONE);
    assert_int_equal(rb->invariants[0].nexpect_sections, 0);
    assert_int_equal(rb->invariants[0].nexpect_not_sections, 0);
    assert_int_equal(ik_rulebook_find_question(rb, "km"), 2);
    assert_int_equal(ik_rulebook_find_question(rb, "loud"), IK_NONE);
    assert_int_equal(ik_rulebook_find_disposition(rb, "ride"), 1);
    assert_int_equal(ik_rulebook_find_section(rb, "chain"), 0);
    assert_int_equal(ik_rulebook_find_rung(rb, "oil"), 0);
    assert_int_equal(ik_rulebook_find_rung(rb, "nope"), IK_NONE);
    ik_rulebook_free(rb);
}

static void
test_slots_are_question_order_then_derived_in_evaluation_order(void **state)
{
    ik_rulebook *rb = load_ok(pack);
    uint32_t reads[8], i;
    size_t n;

    (void)state;
    for (i = 0; i < rb->nquestions; i++)
        assert_int_equal(rb->questions[i].slot, i);
    assert_int_equal(rb->nderived, 2);
    /* "loud" must come first: "both" reads it. */
    assert_string_equal(rb->derived[0].id, "loud");
    assert_string_equal(rb->derived[1].id, "both");
    for (i = 0; i < rb->nderived; i++) {
        assert_int_equal(rb->derived[i].slot, rb->nquestions + i);
        assert_string_equal(ik_logic_slot_name(rb->logic, rb->derived[i].slot),
                            rb->derived[i].id);
    }
    n = ik_logic_reads(rb->logic, rb->derived[1].value, reads, 8);
    assert_int_equal(n, 2);
    assert_int_equal(reads[0], rb->derived[0].slot);
    assert_int_equal(reads[1], 2);
    ik_rulebook_free(rb);
}

static void test_hash_is_fnv1a_of_the_text_in_hex(void **state)
{
    ik_rulebook *a = load_ok(pack), *b;
    char other[sizeof pack + 1], want[17];
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof pack - 1; i++) {
        h ^= (unsigned char)pack[i];
        h *= 0x100000001b3ULL;
    }
    snprintf(want, sizeof want, "%016llx", (unsigned long long)h);
    assert_string_equal(a->hash, want);
    memcpy(other, pack, sizeof pack - 1); /* the same pack plus a space */
    other[sizeof pack - 1] = ' ';
    other[sizeof pack] = '\0';
    b = load_ok(other);
    assert_string_not_equal(a->hash, b->hash);
    ik_rulebook_free(a);
    ik_rulebook_free(b);
}

static void replace(char *buf, size_t cap, const char *from, const char *to)
{
    char *at = strstr(buf, from);
    size_t tail;

    assert_non_null(at);
    tail = strlen(at + strlen(from));
    assert_true(strlen(buf) - strlen(from) + strlen(to) < cap);
    memmove(at + strlen(to), at + strlen(from), tail + 1);
    memcpy(at, to, strlen(to));
}

static void test_load_stops_at_the_first_error_with_its_position(void **state)
{
    char text[sizeof pack + 64];
    ik_rulebook *rb = (ik_rulebook *)&rb;
    ik_error err;

    (void)state;
    memcpy(text, pack, sizeof pack);
    replace(text, sizeof text, "\"yes_no\"", "\"yesno\"");
    replace(text, sizeof text, "\"stop\", \"message\"",
            "\"stpo\", \"message\"");
    assert_int_equal(
        ik_rulebook_load_text(text, strlen(text), "unit.json", &rb, &err),
        IK_ERULES);
    assert_null(rb);
    assert_string_equal(err.file, "unit.json");
    assert_int_equal(err.line, 12);
    assert_int_equal(err.col, 30);
    assert_string_equal(err.path, "/questions/0/type");
    assert_string_equal(err.msg, "question \"brakes\": unknown type "
                                 "\"yesno\" (did you mean \"yes_no\"?)");
}

typedef struct collected {
    int n, errors, warnings;
    ik_diag d[8];
} collected;

static void collect(const ik_diag *d, void *ctx)
{
    collected *c = ctx;

    if (c->n < 8)
        c->d[c->n] = *d;
    c->n++;
    if (d->severity == IK_SEV_ERROR)
        c->errors++;
    else
        c->warnings++;
}

static const char *write_temp(const char *name, const char *text)
{
    static char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", IK_BINARY_DIR, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_check_reports_every_problem_in_file_order(void **state)
{
    char text[sizeof pack + 64];
    collected c;
    const char *path;

    (void)state;
    memset(&c, 0, sizeof c);
    memcpy(text, pack, sizeof pack);
    replace(text, sizeof text, "\"disposition\": \"ride\"",
            "\"disposition\": \"rid\"");
    replace(text, sizeof text, "\"yes_no\"", "\"yesno\"");
    path = write_temp("check_order.json", text);
    assert_int_equal(ik_rulebook_check_file(path, collect, &c), IK_ERULES);
    assert_int_equal(c.errors, 2);
    assert_true(c.d[0].where.line < c.d[1].where.line);
    assert_non_null(strstr(c.d[0].where.msg, "unknown type \"yesno\""));
    assert_string_equal(c.d[1].where.msg,
                        "rule \"noisy\": unknown disposition \"rid\" (did "
                        "you mean \"ride\"?)");
    assert_string_equal(c.d[1].where.path, "/rules/0/then/disposition");
    remove(path);
}

static void test_check_of_a_clean_pack_reports_only_warnings(void **state)
{
    collected c;
    const char *path = write_temp("check_clean.json", pack);
    ik_rulebook *rb = NULL;

    (void)state;
    memset(&c, 0, sizeof c);
    assert_int_equal(ik_rulebook_check_load(path, collect, &c, &rb), IK_OK);
    assert_int_equal(c.errors, 0);
    /* "chain" is named by a rule, notes is text: no warning at all. */
    assert_int_equal(c.warnings, 0);
    assert_non_null(rb);
    assert_int_equal(rb->nquestions, 4);
    ik_rulebook_free(rb);
    remove(path);
}

static void test_check_of_a_missing_file_says_so_without_position(void **state)
{
    collected c;

    (void)state;
    memset(&c, 0, sizeof c);
    assert_int_equal(ik_rulebook_check_file("/nonexistent/x.json", collect, &c),
                     IK_ENOENT);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].where.line, 0);
    assert_string_equal(c.d[0].where.file, "/nonexistent/x.json");
}

static void test_check_stops_after_the_diagnostics_cap(void **state)
{
    char *text = ik_malloc(64 * 1024);
    size_t n;
    int i;
    collected c;
    const char *path;

    (void)state;
    assert_non_null(text);
    n = (size_t)sprintf(text, "{\"format\": \"intake-rules/1\", \"id\": "
                              "\"x\", \"version\": \"1.0.0\", \"title\": "
                              "\"T\", \"disclaimer\": \"D\", \"safety_net\": "
                              "\"S\", \"get_help\": \"G\", \"dispositions\": "
                              "[{\"id\": \"a\", \"label\": \"A\", "
                              "\"advice\": \"A\"}], \"questions\": [\n");
    for (i = 0; i < 150; i++)
        n += (size_t)sprintf(text + n,
                             "%s{\"id\": \"q%d\", \"type\": \"bogus\", "
                             "\"text\": \"?\"}\n",
                             i ? "," : "", i);
    sprintf(text + n, "]}\n");
    path = write_temp("check_cap.json", text);
    memset(&c, 0, sizeof c);
    assert_int_equal(ik_rulebook_check_file(path, collect, &c), IK_ERULES);
    assert_int_equal(c.n, IK_MAX_DIAGNOSTICS + 1);
    remove(path);
    ik_free(text);
}

static void
test_every_allocation_failure_is_enomem_and_leaks_nothing(void **state)
{
    long n;
    ik_rulebook *rb;
    ik_error err;
    ik_status st = IK_ENOMEM;

    (void)state;
    for (n = 1; n < 100000 && st != IK_OK; n++) {
        rb = NULL;
        ik_alloc_fail_after(n);
        st = ik_rulebook_load_text(pack, sizeof pack - 1, "unit.json", &rb,
                                   &err);
        ik_alloc_fail_after(0);
        if (st != IK_OK) {
            assert_int_equal(st, IK_ENOMEM);
            assert_null(rb);
        }
    }
    assert_int_equal(st, IK_OK);
    assert_true(n > 20); /* the loop really failed allocations */
    ik_rulebook_free(rb);
}

static void test_check_survives_every_allocation_failure(void **state)
{
    long n;
    collected c;
    ik_status st = IK_ENOMEM;
    const char *path = write_temp("check_oom.json", pack);

    (void)state;
    for (n = 1; n < 100000 && st != IK_OK; n++) {
        memset(&c, 0, sizeof c);
        ik_alloc_fail_after(n);
        st = ik_rulebook_check_file(path, collect, &c);
        ik_alloc_fail_after(0);
        if (st != IK_OK) {
            assert_int_equal(st, IK_ENOMEM);
            assert_true(c.errors >= 1);
        }
    }
    assert_int_equal(st, IK_OK);
    assert_true(n > 2); /* the loop injected failures (n++ ran once more) */
    remove(path);
}

static void test_edit_distance_counts_typos(void **state)
{
    static const char *const types[] = {"yes_no", "choice", "multi", "number",
                                        "text",   "info",   NULL};

    (void)state;
    assert_int_equal(ik_edit_distance("yesno", "yes_no", 5), 1);
    assert_int_equal(ik_edit_distance("enalbe_when", "enable_when", 5), 1);
    assert_int_equal(ik_edit_distance("abc", "xyz", 5), 3);
    assert_int_equal(ik_edit_distance("abcdef", "x", 2), 3);
    assert_string_equal(ik_suggest_among("yesno", types), "yes_no");
    assert_string_equal(ik_suggest_among("numbr", types), "number");
    assert_null(ik_suggest_among("boolean", types));
    assert_null(ik_suggest_among("yes_no", types)); /* exact: no advice */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_pack_loads_into_typed_structures),
        cmocka_unit_test(
            test_slots_are_question_order_then_derived_in_evaluation_order),
        cmocka_unit_test(test_hash_is_fnv1a_of_the_text_in_hex),
        cmocka_unit_test(test_load_stops_at_the_first_error_with_its_position),
        cmocka_unit_test(test_check_reports_every_problem_in_file_order),
        cmocka_unit_test(test_check_of_a_clean_pack_reports_only_warnings),
        cmocka_unit_test(test_check_of_a_missing_file_says_so_without_position),
        cmocka_unit_test(test_check_stops_after_the_diagnostics_cap),
        cmocka_unit_test(
            test_every_allocation_failure_is_enomem_and_leaks_nothing),
        cmocka_unit_test(test_check_survives_every_allocation_failure),
        cmocka_unit_test(test_edit_distance_counts_typos),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
