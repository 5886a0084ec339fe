/*
 * test_json.c -- strict parsing, positions and file reading.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "json.h"

static ik_status parse(const char *text, ik_json_doc *doc, ik_error *err)
{
    ik_error_clear(err);
    return ik_json_parse(text, strlen(text), "t.json", IK_JSON_POSITIONS, doc,
                         err);
}

static void expect_error(const char *text, int line, int col, const char *msg)
{
    ik_json_doc doc;
    ik_error err;

    assert_int_equal(parse(text, &doc, &err), IK_ESYNTAX);
    assert_null(doc.root);
    assert_string_equal(err.file, "t.json");
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    assert_non_null(strstr(err.msg, msg));
}

static void test_valid_document_parses_with_positions(void **state)
{
    ik_json_doc doc;
    ik_error err;
    const cJSON *b;
    int line, col;

    (void)state;
    assert_int_equal(parse("{\"a\": 1,\n  \"b\": [true, null]}", &doc, &err),
                     IK_OK);
    b = ik_json_get(doc.root, "b");
    assert_non_null(b);
    ik_json_linecol(doc.text, doc.len, ik_json_offset(&doc, b, false), &line,
                    &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 8);
    ik_json_linecol(doc.text, doc.len, ik_json_offset(&doc, b, true), &line,
                    &col);
    assert_int_equal(col, 3);
    ik_json_doc_fini(&doc);
}

static void test_a_parsed_tree_lives_in_the_docs_arena(void **state)
{
    ik_json_doc doc;
    ik_error err;
    long made;
    const cJSON *s;

    (void)state;
    ik_alloc_fail_after(0);
    assert_int_equal(
        parse("{\"a\": [1, 2, 3], \"s\": \"long enough text\"}", &doc, &err),
        IK_OK);
    /* A few chunks, not one allocation per node and string. */
    made = ik_alloc_fail_after(0);
    assert_true(doc.in_arena);
    assert_true(made <= 4);
    s = ik_json_get(doc.root, "s");
    assert_string_equal(s->valuestring, "long enough text");
    ik_json_doc_fini(&doc);
    assert_null(doc.root);
    assert_false(doc.in_arena);
}

static void test_syntax_errors_name_line_and_column(void **state)
{
    (void)state;
    expect_error("{\"a\": 1", 1, 1, "object is not closed");
    expect_error("[1, 2,]", 1, 7, "trailing comma");
    expect_error("{} xyz", 1, 4, "unexpected text");
    expect_error("[01]", 1, 2, "may not start with 0");
    expect_error("[1.]", 1, 2, "decimal point");
    expect_error("\n  [1e400]", 2, 4, "out of range");
    expect_error("[\"a\\u0000b\"]", 1, 4, "\\u0000");
    expect_error("[\"\xff\"]", 1, 3, "invalid UTF-8");
    expect_error("{\"k\": 1, \"k\": 2}", 1, 10, "duplicate key");
    expect_error("[\"tab\there\"]", 1, 6, "control character");
}

static void test_embedded_nul_is_rejected(void **state)
{
    ik_json_doc doc;
    ik_error err;
    static const char text[] = "[1,\0 2]";

    (void)state;
    assert_int_equal(
        ik_json_parse(text, sizeof text - 1, "t.json", 0, &doc, &err),
        IK_ESYNTAX);
    assert_non_null(strstr(err.msg, "NUL"));
}

static void test_deep_nesting_is_refused_without_recursion(void **state)
{
    enum { DEPTH = 100000 };
    char *text = ik_malloc(2 * DEPTH + 1);
    ik_json_doc doc;
    ik_error err;

    (void)state;
    memset(text, '[', DEPTH);
    memset(text + DEPTH, ']', DEPTH);
    text[2 * DEPTH] = '\0';
    assert_int_equal(ik_json_parse(text, 2 * DEPTH, "", 0, &doc, &err),
                     IK_ESYNTAX);
    assert_non_null(strstr(err.msg, "nested deeper"));
    ik_free(text);
}

static void test_many_keys_duplicate_found_with_sorting(void **state)
{
    char text[2048];
    size_t off = 0;
    int i;
    ik_json_doc doc;
    ik_error err;

    (void)state;
    off += (size_t)snprintf(text + off, sizeof text - off, "{");
    for (i = 0; i < 40; i++)
        off += (size_t)snprintf(text + off, sizeof text - off, "\"k%d\":%d,", i,
                                i);
    snprintf(text + off, sizeof text - off, "\"k7\":0}");
    assert_int_equal(parse(text, &doc, &err), IK_ESYNTAX);
    assert_non_null(strstr(err.msg, "\"k7\""));
}

static void test_columns_count_characters_and_tabs(void **state)
{
    int line, col;
    const char *t = "\t\xc3\xa9x";

    (void)state;
    ik_json_linecol(t, strlen(t), 3, &line, &col);
    assert_int_equal(col, 10);
}

static void test_every_allocation_failure_is_clean(void **state)
{
    const char *text = "{\"a\": [1, 2, {\"b\": \"c\"}], \"d\": null}";
    long n;

    (void)state;
    for (n = 1;; n++) {
        ik_json_doc doc;
        ik_error err;
        ik_status st;

        ik_alloc_fail_after(n);
        st = ik_json_parse(text, strlen(text), "", IK_JSON_POSITIONS, &doc,
                           &err);
        ik_alloc_fail_after(0);
        if (st == IK_OK) {
            ik_json_doc_fini(&doc);
            break;
        }
        assert_int_equal(st, IK_ENOMEM);
        assert_null(doc.root);
    }
    assert_true(n > 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_document_parses_with_positions),
        cmocka_unit_test(test_a_parsed_tree_lives_in_the_docs_arena),
        cmocka_unit_test(test_syntax_errors_name_line_and_column),
        cmocka_unit_test(test_embedded_nul_is_rejected),
        cmocka_unit_test(test_deep_nesting_is_refused_without_recursion),
        cmocka_unit_test(test_many_keys_duplicate_found_with_sorting),
        cmocka_unit_test(test_columns_count_characters_and_tabs),
        cmocka_unit_test(test_every_allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
