/*
 * test_limits.c -- every documented resource bound (docs/LIMITS.md) is
 * enforced with a clear error: inputs at the bound are accepted, one past
 * it is refused, and absurd sizes (100,000 levels of nesting) fail cleanly
 * without exhausting the stack. Bounds of modules that have not landed yet
 * get their tests when they do. No test here may depend on timing.
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
#include <unistd.h>

#include "alloc.h"
#include "json.h"

/* "[[[...]]]" or "{"a":{"a":...}}" nested `depth` levels; free with free. */
static char *nested(size_t depth, int objects, size_t *len)
{
    const char *open = objects ? "{\"a\":" : "[";
    const char *close = objects ? "}" : "]";
    size_t no = strlen(open), i;
    char *s = malloc(depth * (no + 1) + 2);

    assert_non_null(s);
    for (i = 0; i < depth; i++)
        memcpy(s + i * no, open, no);
    *len = depth * no;
    if (objects)
        s[(*len)++] = '1';
    for (i = 0; i < depth; i++)
        s[(*len)++] = close[0];
    s[*len] = '\0';
    return s;
}

static ik_status parse_nested(size_t depth, int objects, ik_error *err)
{
    size_t len;
    char *s = nested(depth, objects, &len);
    ik_json_doc doc;
    ik_status st;

    ik_error_clear(err);
    st = ik_json_parse(s, len, "deep.json", IK_JSON_POSITIONS, &doc, err);
    ik_json_doc_fini(&doc);
    free(s);
    return st;
}

static void test_json_nesting_at_the_limit_is_accepted(void **state)
{
    ik_error err;

    (void)state;
    assert_int_equal(parse_nested(IK_JSON_MAX_DEPTH, 0, &err), IK_OK);
    assert_int_equal(parse_nested(IK_JSON_MAX_DEPTH - 1, 1, &err), IK_OK);
}

static void test_json_nesting_past_the_limit_names_the_place(void **state)
{
    ik_error err;

    (void)state;
    assert_int_equal(parse_nested(IK_JSON_MAX_DEPTH + 1, 0, &err), IK_ESYNTAX);
    assert_non_null(strstr(err.msg, "nested deeper than 128"));
    assert_string_equal(err.file, "deep.json");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, IK_JSON_MAX_DEPTH + 1);
}

static void test_json_nesting_of_100000_levels_fails_cleanly(void **state)
{
    ik_error err;

    (void)state;
    assert_int_equal(parse_nested(100000, 0, &err), IK_ESYNTAX);
    assert_int_equal(parse_nested(100000, 1, &err), IK_ESYNTAX);
    assert_non_null(strstr(err.msg, "nested deeper"));
}

/* A sparse file of `size` bytes (zeros) in the build tree. */
static void make_file(const char *path, off_t size)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), size), 0);
    assert_int_equal(fclose(f), 0);
}

static void test_file_larger_than_the_pack_limit_is_refused(void **state)
{
    const char *path = IK_BINARY_DIR "/test_limits_big.json";
    char *text = NULL;
    size_t len = 1;
    ik_error err;

    (void)state;
    make_file(path, (off_t)IK_JSON_MAX_FILE + 1);
    ik_error_clear(&err);
    assert_int_equal(
        ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len, &err),
        IK_ELIMIT);
    assert_null(text);
    assert_int_equal(len, 0);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.msg, "larger than 67108864 bytes"));
    unlink(path);
}

static void test_file_of_exactly_the_pack_limit_is_read(void **state)
{
    const char *path = IK_BINARY_DIR "/test_limits_max.json";
    char *text = NULL;
    size_t len = 0;
    ik_error err;

    (void)state;
    make_file(path, (off_t)IK_JSON_MAX_FILE);
    assert_int_equal(
        ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len, &err), IK_OK);
    assert_int_equal(len, IK_JSON_MAX_FILE);
    assert_int_equal(text[len], '\0');
    ik_free(text);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_nesting_at_the_limit_is_accepted),
        cmocka_unit_test(test_json_nesting_past_the_limit_names_the_place),
        cmocka_unit_test(test_json_nesting_of_100000_levels_fails_cleanly),
        cmocka_unit_test(test_file_larger_than_the_pack_limit_is_refused),
        cmocka_unit_test(test_file_of_exactly_the_pack_limit_is_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
