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
    /* a truncated text is found at its end, naming where it opened */
    expect_error("{\"a\": 1", 1, 8,
                 "object opened at line 1, column 1 is not closed");
    expect_error("[\n  {\"a\": [1,\n", 3, 1, "unexpected end of input");
    expect_error("[\n  {\"a\": [1]\n", 3, 1,
                 "object opened at line 2, column 3 is not closed");
    expect_error("{\"a\"", 1, 5,
                 "object opened at line 1, column 1 is not closed");
    /* a string that meets the end of its line is unterminated, at its
     * opening quote */
    expect_error("{\"a\": \"no closing quote,\n \"b\": 1}", 1, 7,
                 "unterminated string (no closing quote before the end");
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

/* Our one-pass parser builds the tree cJSON would: same types, values,
 * keys and links (a list's head->prev is its tail, as cJSON links it). */
static void expect_same_tree_as_cjson(const char *text)
{
    ik_json_doc doc;
    ik_error err;
    cJSON *ref = cJSON_Parse(text);
    const cJSON *a, *b;

    assert_non_null(ref);
    assert_int_equal(parse(text, &doc, &err), IK_OK);
    assert_true(cJSON_Compare(doc.root, ref, 1));
    for (a = doc.root->child, b = ref->child; a && b;
         a = a->next, b = b->next) {
        assert_int_equal(a->valueint, b->valueint);
        assert_int_equal(a->type, b->type);
    }
    assert_true(a == NULL && b == NULL);
    if (doc.root->child)
        assert_ptr_equal(doc.root->child->prev->next, NULL);
    cJSON_Delete(ref);
    ik_json_doc_fini(&doc);
}

static void test_the_tree_is_the_one_cjson_builds(void **state)
{
    (void)state;
    expect_same_tree_as_cjson("[1, -0, 0.5, -12.75e2, 1E-3, 2147483648, "
                              "-2147483649, 123456789012345678901234567890, "
                              "3.0e10, true, false, null, \"\", {}, []]");
    expect_same_tree_as_cjson(
        "{\"a\\\"b\": \"t\\u00e9\\n\\t\\/\\\\x\", \"\\ud83d\\ude00\": "
        "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\", \"n\": {\"m\": [[], {}, "
        "[1, [2, [3]]]]}, \"k\": \"\\b\\f\\r\\u0041\\u07ff\\uffff\"}");
    expect_same_tree_as_cjson("\"just a string\"");
    expect_same_tree_as_cjson("  -7  ");
}

static void test_only_the_docs_own_nodes_have_positions(void **state)
{
    ik_json_doc doc, other;
    ik_error err;
    const cJSON *a;

    (void)state;
    assert_int_equal(parse("{\"a\": [1, 2]}", &doc, &err), IK_OK);
    assert_int_equal(parse("{\"a\": [1, 2]}", &other, &err), IK_OK);
    a = ik_json_get(doc.root, "a");
    assert_int_equal(ik_json_offset(&doc, a, false), 6);
    assert_int_equal(ik_json_offset(&doc, a->child->next, false), 10);
    assert_int_equal(ik_json_offset(&other, a, false), SIZE_MAX);
    /* Inside a node, not at its start: not a node. */
    assert_int_equal(
        ik_json_offset(&doc, (const cJSON *)((const char *)a + 8), false),
        SIZE_MAX);
    ik_json_doc_fini(&other);
    ik_json_doc_fini(&doc);
}

static void
test_a_later_syntax_error_is_reported_before_a_duplicate_key(void **state)
{
    (void)state;
    expect_error("{\"k\": 1, \"k\": 2, \"x\": tru}", 1, 23, "unexpected");
    expect_error("[1e999, {\"k\": 1, \"k\": 2}]", 1, 2, "out of range");
    expect_error("[{\"k\": 1, \"k\": 2}, 1e999]", 1, 11, "duplicate key");
}

/* A big document's arena grows in 2 MiB-aligned chunks (huge pages where
 * the system has them), and each of their allocations can fail cleanly. */
static void test_a_big_documents_tree_takes_aligned_chunks(void **state)
{
    enum { N = 200000 }; /* about 3 MB of text, 200,000 nodes */
    char *text = ik_malloc(16 * N + 2);
    size_t len = 0;
    long n;
    int i;
    ik_json_doc doc;
    ik_error err;

    (void)state;
    assert_non_null(text);
    text[len++] = '[';
    for (i = 0; i < N; i++)
        len += (size_t)snprintf(text + len, 17, "%s\"s%08d\"", i ? "," : "", i);
    text[len++] = ']';
    text[len] = '\0';
    assert_int_equal(ik_json_parse(text, len, "", 0, &doc, &err), IK_OK);
    assert_int_equal(cJSON_GetArraySize(doc.root), N);
    assert_int_equal((uintptr_t)doc.tree.head % IK_HUGE_PAGE, 0);
    ik_json_doc_fini(&doc);
    for (n = 1;; n++) {
        ik_status st;
        ik_alloc_fail_after(n);
        st = ik_json_parse(text, len, "", 0, &doc, &err);
        ik_alloc_fail_after(0);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_null(doc.root);
    }
    assert_true(n > 3); /* chunks below 2 MiB, then aligned ones */
    ik_json_doc_fini(&doc);
    ik_free(text);
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
        cmocka_unit_test(test_the_tree_is_the_one_cjson_builds),
        cmocka_unit_test(test_a_big_documents_tree_takes_aligned_chunks),
        cmocka_unit_test(test_only_the_docs_own_nodes_have_positions),
        cmocka_unit_test(
            test_a_later_syntax_error_is_reported_before_a_duplicate_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
