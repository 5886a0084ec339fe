/*
 * test_value.c -- the JavaScript value model JsonLogic computes with:
 * truthiness, ToNumber, parseFloat, String(), ==, ===, <, number text and
 * JSON output. Each case states what json-logic-js 2.0.5 does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "alloc.h"
#include "value.h"

static ik_value s(const char *text)
{
    return ik_str(text, (uint32_t)strlen(text));
}

static ik_value arr(const ik_value *items, uint32_t n)
{
    ik_value v = {IK_ARR, n, {.items = items}};
    return v;
}

static const char *num_text(double d)
{
    static char buf[32];

    ik_num_format(d, buf);
    return buf;
}

static void test_falsy_values_are_exactly_the_jsonlogic_set(void **state)
{
    static const ik_value one[1] = {{IK_NUM, 0, {.num = 0}}};
    ik_member m = {"a", 1, {IK_NULL, 0, {0}}};
    ik_value empty_obj = {IK_OBJ, 0, {.members = &m}};

    (void)state;
    assert_false(ik_value_truthy(ik_undef()));
    assert_false(ik_value_truthy(ik_null()));
    assert_false(ik_value_truthy(ik_bool(false)));
    assert_false(ik_value_truthy(ik_num(0)));
    assert_false(ik_value_truthy(ik_num(-0.0)));
    assert_false(ik_value_truthy(ik_num(NAN)));
    assert_false(ik_value_truthy(s("")));
    assert_false(ik_value_truthy(arr(one, 0)));
    assert_true(ik_value_truthy(s("0")));
    assert_true(ik_value_truthy(s("false")));
    assert_true(ik_value_truthy(arr(one, 1)));
    assert_true(ik_value_truthy(empty_obj));
    assert_true(ik_value_truthy(ik_num(-1)));
}

static void test_to_number_trims_and_accepts_hex_and_infinity(void **state)
{
    static const ik_value five[1] = {{IK_NUM, 0, {.num = 5}}};
    static const ik_value two[2] = {{IK_NUM, 0, {.num = 1}},
                                    {IK_NUM, 0, {.num = 2}}};

    (void)state;
    assert_true(ik_value_to_number(s(" 12 ")) == 12);
    assert_true(ik_value_to_number(s("")) == 0);
    assert_true(ik_value_to_number(s("\t\n")) == 0);
    assert_true(ik_value_to_number(s("1e1")) == 10);
    assert_true(ik_value_to_number(s(".5")) == 0.5);
    assert_true(ik_value_to_number(s("0x10")) == 16);
    assert_true(isinf(ik_value_to_number(s("-Infinity"))));
    assert_true(isnan(ik_value_to_number(s("12px"))));
    assert_true(isnan(ik_value_to_number(s("1."))) == 0);
    assert_true(isnan(ik_value_to_number(s("inf"))));
    assert_true(isnan(ik_value_to_number(s("0x"))));
    assert_true(ik_value_to_number(ik_null()) == 0);
    assert_true(isnan(ik_value_to_number(ik_undef())));
    assert_true(ik_value_to_number(ik_bool(true)) == 1);
    assert_true(ik_value_to_number(arr(five, 0)) == 0);
    assert_true(ik_value_to_number(arr(five, 1)) == 5);
    assert_true(isnan(ik_value_to_number(arr(two, 2))));
}

static void test_parse_float_takes_the_longest_numeric_prefix(void **state)
{
    static const ik_value two[2] = {{IK_NUM, 0, {.num = 1}},
                                    {IK_NUM, 0, {.num = 2}}};

    (void)state;
    assert_true(ik_value_parse_float(s("3abc")) == 3);
    assert_true(ik_value_parse_float(s("  1e3x")) == 1000);
    assert_true(ik_value_parse_float(s("0x10")) == 0);
    assert_true(ik_value_parse_float(s("-.5e")) == -0.5);
    assert_true(ik_value_parse_float(s("Infinityx")) == INFINITY);
    assert_true(isnan(ik_value_parse_float(s(""))));
    assert_true(isnan(ik_value_parse_float(ik_null())));
    assert_true(isnan(ik_value_parse_float(ik_bool(true))));
    assert_true(ik_value_parse_float(arr(two, 2)) == 1);
}

static void test_loose_equality_follows_javascript(void **state)
{
    static const ik_value one[1] = {{IK_NUM, 0, {.num = 1}}};
    static const ik_value onetwo[2] = {{IK_NUM, 0, {.num = 1}},
                                       {IK_NUM, 0, {.num = 2}}};

    (void)state;
    assert_true(ik_value_loose_eq(ik_null(), ik_undef()));
    assert_false(ik_value_loose_eq(ik_null(), ik_num(0)));
    assert_false(ik_value_loose_eq(ik_null(), ik_bool(false)));
    assert_false(ik_value_loose_eq(ik_null(), s("")));
    assert_true(ik_value_loose_eq(s("1"), ik_bool(true)));
    assert_false(ik_value_loose_eq(s("2"), ik_bool(true)));
    assert_true(ik_value_loose_eq(ik_bool(false), s("0")));
    assert_true(ik_value_loose_eq(ik_num(0), s("")));
    assert_true(ik_value_loose_eq(s(" 1 "), ik_num(1)));
    assert_true(ik_value_loose_eq(arr(one, 0), s("")));
    assert_true(ik_value_loose_eq(arr(one, 1), ik_num(1)));
    assert_true(ik_value_loose_eq(arr(onetwo, 2), s("1,2")));
    assert_false(ik_value_loose_eq(ik_num(NAN), ik_num(NAN)));
    assert_false(ik_value_loose_eq(s("a"), s("A")));
}

static void test_strict_equality_compares_arrays_by_identity(void **state)
{
    static const ik_value a1[1] = {{IK_NUM, 0, {.num = 1}}};
    static const ik_value b1[1] = {{IK_NUM, 0, {.num = 1}}};

    (void)state;
    assert_true(ik_value_strict_eq(arr(a1, 1), arr(a1, 1)));
    assert_false(ik_value_strict_eq(arr(a1, 1), arr(b1, 1)));
    assert_true(ik_value_strict_eq(ik_num(0), ik_num(-0.0)));
    assert_false(ik_value_strict_eq(ik_num(1), s("1")));
    assert_true(ik_value_strict_eq(s("ab"), s("ab")));
    assert_false(ik_value_strict_eq(ik_null(), ik_undef()));
}

static void test_relational_comparison_uses_strings_or_numbers(void **state)
{
    static const ik_value two[1] = {{IK_NUM, 0, {.num = 2}}};
    static const ik_value ten[1] = {{IK_NUM, 0, {.num = 10}}};

    (void)state;
    assert_true(ik_value_less(s("10"), s("9"), false));
    assert_false(ik_value_less(arr(two, 1), arr(ten, 1), false));
    assert_true(ik_value_less(ik_num(2), s("10"), false));
    assert_true(ik_value_less(ik_null(), ik_num(1), false));
    assert_true(ik_value_less(ik_null(), ik_num(0), true));
    assert_false(ik_value_less(ik_num(1), s("a"), false));
    assert_false(ik_value_less(s("a"), ik_num(1), true));
    assert_false(ik_value_less(ik_num(2023), s("2024-01-01"), false));
    assert_false(ik_value_less(ik_undef(), ik_num(1), true));
    assert_true(ik_value_less(ik_bool(false), ik_bool(true), false));
}

static void test_numbers_print_as_javascript_prints_them(void **state)
{
    (void)state;
    assert_string_equal(num_text(1.0), "1");
    assert_string_equal(num_text(1.5), "1.5");
    assert_string_equal(num_text(0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(num_text(1e21), "1e+21");
    assert_string_equal(num_text(1e20), "100000000000000000000");
    assert_string_equal(num_text(1e-7), "1e-7");
    assert_string_equal(num_text(1.5e-7), "1.5e-7");
    assert_string_equal(num_text(0.000001), "0.000001");
    assert_string_equal(num_text(-0.0), "0");
    assert_string_equal(num_text(5e-324), "5e-324");
    assert_string_equal(num_text(1.7976931348623157e308),
                        "1.7976931348623157e+308");
    assert_string_equal(num_text(-123.456), "-123.456");
    assert_string_equal(num_text(NAN), "NaN");
    assert_string_equal(num_text(-INFINITY), "-Infinity");
    assert_string_equal(num_text(9007199254740993.0), "9007199254740992");
    assert_string_equal(num_text(123456789012345680000.0),
                        "123456789012345680000");
}

static void test_string_conversion_joins_arrays(void **state)
{
    static const ik_value inner[2] = {{IK_NUM, 0, {.num = 2}},
                                      {IK_NULL, 0, {0}}};
    ik_value items[3];
    ik_arena a;
    ik_value out;

    (void)state;
    items[0] = ik_num(1);
    items[1] = arr(inner, 2);
    items[2] = ik_bool(true);
    ik_arena_init(&a);
    assert_int_equal(ik_value_to_string(arr(items, 3), &a, SIZE_MAX, &out),
                     IK_TEXT_OK);
    assert_int_equal(out.kind, IK_STR);
    assert_int_equal(out.len, 9);
    assert_memory_equal(out.u.str, "1,2,,true", 9);
    assert_int_equal(ik_value_to_string(ik_null(), &a, SIZE_MAX, &out),
                     IK_TEXT_OK);
    assert_memory_equal(out.u.str, "null", 4);
    assert_int_equal(ik_value_to_string(ik_num(0.5), &a, SIZE_MAX, &out),
                     IK_TEXT_OK);
    assert_memory_equal(out.u.str, "0.5", 3);
    ik_arena_fini(&a);
}

static void test_json_output_matches_json_stringify(void **state)
{
    ik_value items[4];
    ik_member m[2] = {{"k", 1, {IK_STR, 3, {.str = "a\"\n"}}},
                      {"u", 1, {IK_UNDEF, 0, {0}}}};
    ik_buf b;

    (void)state;
    items[0] = ik_num(NAN);
    items[1] = ik_undef();
    items[2] = (ik_value){IK_OBJ, 2, {.members = m}};
    items[3] = ik_num(-0.0);
    ik_buf_init(&b);
    ik_value_write_json(&b, arr(items, 4));
    assert_string_equal(ik_buf_cstr(&b), "[null,null,{\"k\":\"a\\\"\\n\"},0]");
    ik_buf_clear(&b);
    ik_value_write_json(&b, ik_undef());
    assert_int_equal(b.len, 0);
    ik_buf_fini(&b);
}

/* [[...[7]...]]: depth arrays around 7, in a. */
static ik_value nested(size_t depth, ik_arena *a)
{
    ik_value v = ik_num(7);
    size_t i;

    for (i = 0; i < depth; i++) {
        ik_value *item = ik_arena_alloc(a, sizeof *item);

        assert_non_null(item);
        *item = v;
        v = arr(item, 1);
    }
    return v;
}

static void test_string_and_json_stop_at_the_depth_bound(void **state)
{
    ik_arena a;
    ik_value out;
    ik_buf b;

    (void)state;
    ik_arena_init(&a);
    assert_int_equal(
        ik_value_to_string(nested(IK_VALUE_MAX_DEPTH, &a), &a, SIZE_MAX, &out),
        IK_TEXT_OK);
    assert_memory_equal(out.u.str, "7", 1);
    assert_int_equal(ik_value_to_string(nested(IK_VALUE_MAX_DEPTH + 1, &a), &a,
                                        SIZE_MAX, &out),
                     IK_TEXT_DEEP);
    assert_int_equal(ik_value_to_string(nested(300000, &a), &a, SIZE_MAX, &out),
                     IK_TEXT_DEEP);
    ik_buf_init(&b);
    assert_int_equal(ik_value_write_json(&b, nested(IK_VALUE_MAX_DEPTH, &a)),
                     IK_OK);
    assert_int_equal(b.len, 2 * IK_VALUE_MAX_DEPTH + 1);
    ik_buf_clear(&b);
    assert_int_equal(
        ik_value_write_json(&b, nested(IK_VALUE_MAX_DEPTH + 1, &a)), IK_ELIMIT);
    assert_int_not_equal(ik_buf_status(&b), IK_OK); /* the buffer fails too */
    ik_buf_fini(&b);
    ik_arena_fini(&a);
}

static void
test_string_of_a_shared_array_stops_at_the_length_given(void **state)
{
    ik_value level[64][2], v = s("ab"), out;
    ik_arena a;
    int i;

    (void)state;
    for (i = 0; i < 64; i++) { /* 2^64 copies of "ab" */
        level[i][0] = level[i][1] = v;
        v = arr(level[i], 2);
    }
    ik_arena_init(&a);
    assert_int_equal(ik_value_to_string(v, &a, 1000, &out), IK_TEXT_LONG);
    assert_int_equal(ik_value_to_string(arr(level[1], 2), &a, 11, &out),
                     IK_TEXT_OK);
    assert_int_equal(out.len, 11);
    assert_memory_equal(out.u.str, "ab,ab,ab,ab", 11);
    assert_int_equal(ik_value_to_string(arr(level[1], 2), &a, 10, &out),
                     IK_TEXT_LONG);
    ik_arena_fini(&a);
}

/* A text that has reached its bound exactly takes no more: the ',' after
 * it made the room left "negative", and a long string was then copied in
 * whole (its buffer grown) before the bound was seen. */
static void test_string_at_its_length_bound_copies_no_more_text(void **state)
{
    static char big[4096];
    ik_value items[2], out;
    ik_text_end r;
    ik_arena a;

    (void)state;
    memset(big, 'x', sizeof big);
    items[0] = s("abcde");
    items[1] = ik_str(big, sizeof big);
    ik_arena_init(&a);
    ik_alloc_fail_after(2); /* the text's first buffer, then nothing */
    r = ik_value_to_string(arr(items, 2), &a, 5, &out);
    ik_alloc_fail_after(0);
    assert_int_equal(r, IK_TEXT_LONG);
    assert_int_equal(ik_value_to_string(arr(items, 2), &a, 5, &out),
                     IK_TEXT_LONG);
    ik_arena_fini(&a);
}

static void test_cjson_trees_convert_with_copied_strings(void **state)
{
    cJSON *j = cJSON_Parse("{\"a\":[1,\"x\",null,{}],\"b\":true}");
    ik_arena a;
    ik_value v, x;

    (void)state;
    assert_non_null(j);
    ik_arena_init(&a);
    assert_true(ik_value_from_cjson(j, &a, &v));
    cJSON_Delete(j);
    assert_int_equal(v.kind, IK_OBJ);
    assert_int_equal(v.len, 2);
    x = ik_value_get(v, "a", 1);
    assert_int_equal(x.kind, IK_ARR);
    assert_int_equal(x.len, 4);
    assert_memory_equal(x.u.items[1].u.str, "x", 1);
    assert_int_equal(x.u.items[3].kind, IK_OBJ);
    assert_int_equal(ik_value_get(v, "c", 1).kind, IK_UNDEF);
    ik_arena_fini(&a);
}

/* A member is found by its whole key: for each length from 1 to 40
 * (every way ik_same_bytes compares: bytes, 4-byte and 8-byte words,
 * words in a loop), keys that differ from the one asked for in one byte
 * only, first, middle or last, or in length, are not it. */
static void test_members_are_found_by_their_whole_key(void **state)
{
    char key[41], near[3][41];
    ik_member m[4];
    ik_value obj;
    size_t n, i;

    (void)state;
    for (n = 1; n <= 40; n++) {
        for (i = 0; i < n; i++)
            key[i] = (char)('a' + i % 26);
        for (i = 0; i < 3; i++) { /* first, middle, last byte changed */
            memcpy(near[i], key, n);
            near[i][i == 0 ? 0 : i == 1 ? n / 2 : n - 1] ^= 1;
            m[i] = (ik_member){near[i], (uint32_t)n, ik_num(-1)};
        }
        m[3] = (ik_member){key, (uint32_t)n, ik_num((double)n)};
        obj = (ik_value){IK_OBJ, 4, {.members = m}};
        assert_int_equal(ik_value_get(obj, key, n).kind, IK_NUM);
        assert_true(ik_value_get(obj, key, n).u.num == (double)n);
        /* one byte shorter: none of them */
        assert_int_equal(ik_value_get(obj, key, n - 1).kind, IK_UNDEF);
    }
    m[0] = (ik_member){"", 0, ik_num(0)};
    obj = (ik_value){IK_OBJ, 1, {.members = m}};
    assert_int_equal(ik_value_get(obj, "", 0).kind, IK_NUM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_falsy_values_are_exactly_the_jsonlogic_set),
        cmocka_unit_test(test_members_are_found_by_their_whole_key),
        cmocka_unit_test(test_to_number_trims_and_accepts_hex_and_infinity),
        cmocka_unit_test(test_parse_float_takes_the_longest_numeric_prefix),
        cmocka_unit_test(test_loose_equality_follows_javascript),
        cmocka_unit_test(test_strict_equality_compares_arrays_by_identity),
        cmocka_unit_test(test_relational_comparison_uses_strings_or_numbers),
        cmocka_unit_test(test_numbers_print_as_javascript_prints_them),
        cmocka_unit_test(test_string_conversion_joins_arrays),
        cmocka_unit_test(test_json_output_matches_json_stringify),
        cmocka_unit_test(test_string_and_json_stop_at_the_depth_bound),
        cmocka_unit_test(
            test_string_of_a_shared_array_stops_at_the_length_given),
        cmocka_unit_test(test_string_at_its_length_bound_copies_no_more_text),
        cmocka_unit_test(test_cjson_trees_convert_with_copied_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
