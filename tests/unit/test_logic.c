/*
 * test_logic.c -- compiling and evaluating JsonLogic: each operator family,
 * slots and strict names, compile errors with positions, malformed input,
 * budgets, allocation failure, and the [logic, data, expected] cases in
 * tests/data/logic/ (one JSON file each).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "json.h"
#include "logic.h"
#include "value.h"

/* Evaluate through the text API; returns the printed result (static). */
static const char *eval(const char *logic, const char *data)
{
    static char out[4096];
    char *res = NULL;
    ik_error err;
    ik_status st;

    ik_error_clear(&err);
    st = ik_logic_eval_json(logic, strlen(logic), data, data ? strlen(data) : 0,
                            &res, &err);
    if (st != IK_OK) {
        snprintf(out, sizeof out, "error %d:%d: %s", err.line, err.col,
                 err.msg);
        return out;
    }
    snprintf(out, sizeof out, "%s", res);
    ik_logic_free_string(res);
    return out;
}

static void test_var_reads_paths_defaults_and_present_nulls(void **state)
{
    (void)state;
    assert_string_equal(eval("{\"var\":\"a.b\"}", "{\"a\":{\"b\":3}}"), "3");
    assert_string_equal(eval("{\"var\":[\"a.b\",\"d\"]}", "{\"a\":null}"),
                        "\"d\"");
    assert_string_equal(eval("{\"var\":[\"a\",\"d\"]}", "{\"a\":null}"),
                        "null");
    assert_string_equal(eval("{\"var\":\"xs.1\"}", "{\"xs\":[5,6]}"), "6");
    assert_string_equal(eval("{\"var\":1}", "[\"p\",\"q\"]"), "\"q\"");
    assert_string_equal(eval("{\"var\":\"\"}", "7"), "7");
    assert_string_equal(eval("{\"var\":[]}", "{\"a\":1}"), "{\"a\":1}");
    assert_string_equal(eval("{\"var\":\"missing\"}", "{}"), "null");
    assert_string_equal(
        eval("{\"var\":{\"cat\":[\"a\",\"b\"]}}", "{\"ab\":\"computed\"}"),
        "\"computed\"");
    assert_string_equal(eval("{\"var\":\"length\"}", "[1,2,3]"), "3");
}

static void test_missing_reports_absent_null_and_empty_keys(void **state)
{
    (void)state;
    assert_string_equal(eval("{\"missing\":[\"a\",\"b\",\"c\",\"d\"]}",
                             "{\"a\":0,\"b\":null,\"c\":\"\",\"d\":false}"),
                        "[\"b\",\"c\"]");
    assert_string_equal(eval("{\"missing\":[[\"x\"],\"y\"]}", "{}"), "[\"x\"]");
    assert_string_equal(eval("{\"missing\":\"p.q\"}", "{\"p\":{\"q\":1}}"),
                        "[]");
    assert_string_equal(
        eval("{\"missing_some\":[2,[\"a\",\"b\",\"c\"]]}", "{\"a\":1}"),
        "[\"b\",\"c\"]");
    assert_string_equal(
        eval("{\"missing_some\":[1,[\"a\",\"b\",\"c\"]]}", "{\"a\":1}"), "[]");
}

static void test_if_chains_and_boolean_operators_return_values(void **state)
{
    (void)state;
    assert_string_equal(eval("{\"if\":[false,1,0,2,3]}", NULL), "3");
    assert_string_equal(eval("{\"if\":[false,1]}", NULL), "null");
    assert_string_equal(eval("{\"if\":[]}", NULL), "null");
    assert_string_equal(eval("{\"?:\":[[],\"y\",\"n\"]}", NULL), "\"n\"");
    assert_string_equal(eval("{\"and\":[1,\"\",2]}", NULL), "\"\"");
    assert_string_equal(eval("{\"and\":[true,[]]}", NULL), "[]");
    assert_string_equal(eval("{\"or\":[0,\"\",null]}", NULL), "null");
    assert_string_equal(eval("{\"or\":[0,{}]}", NULL), "{}");
    assert_string_equal(eval("{\"!\":[[]]}", NULL), "true");
    assert_string_equal(eval("{\"!!\":\"0\"}", NULL), "true");
    assert_string_equal(eval("{\"and\":[]}", NULL), "null");
}

static void test_lazy_operators_skip_branches_not_taken(void **state)
{
    (void)state;
    /* {"*":[]} throws when evaluated; these never evaluate it */
    assert_string_equal(eval("{\"and\":[false,{\"*\":[]}]}", NULL), "false");
    assert_string_equal(eval("{\"or\":[1,{\"*\":[]}]}", NULL), "1");
    assert_string_equal(eval("{\"if\":[true,2,{\"*\":[]}]}", NULL), "2");
    assert_non_null(strstr(eval("{\"or\":[0,{\"*\":[]}]}", NULL), "error"));
}

static void test_comparisons_follow_javascript(void **state)
{
    (void)state;
    assert_string_equal(eval("{\"==\":[null,0]}", NULL), "false");
    assert_string_equal(eval("{\"==\":[1,\"1\"]}", NULL), "true");
    assert_string_equal(eval("{\"===\":[1,\"1\"]}", NULL), "false");
    assert_string_equal(eval("{\"!=\":[[1],1]}", NULL), "false");
    assert_string_equal(eval("{\"!==\":[[1],[1]]}", NULL), "true");
    assert_string_equal(
        eval("{\"===\":[{\"var\":\"a\"},{\"var\":\"a\"}]}", "{\"a\":[1]}"),
        "true");
    assert_string_equal(eval("{\"<\":[1,2,3]}", NULL), "true");
    assert_string_equal(eval("{\"<\":[1,3,3]}", NULL), "false");
    assert_string_equal(eval("{\"<=\":[1,3,3]}", NULL), "true");
    assert_string_equal(eval("{\">\":[3,2,3]}", NULL), "true");
    assert_string_equal(eval("{\">=\":[\"b\",\"a\"]}", NULL), "true");
    assert_string_equal(eval("{\"<\":[1]}", NULL), "false");
    assert_string_equal(eval("{\"==\":[]}", NULL), "true");
}

static void test_arithmetic_uses_parse_float_or_to_number(void **state)
{
    (void)state;
    assert_string_equal(eval("{\"+\":[\"3abc\",1]}", NULL), "4");
    assert_string_equal(eval("{\"+\":\"3.14\"}", NULL), "3.14");
    assert_string_equal(eval("{\"+\":[]}", NULL), "0");
    assert_string_equal(eval("{\"+\":[null,1]}", NULL), "null");
    assert_string_equal(eval("{\"-\":[\"3abc\",1]}", NULL), "null");
    assert_string_equal(eval("{\"-\":[5,2,1]}", NULL), "3");
    assert_string_equal(eval("{\"-\":\"3\"}", NULL), "-3");
    assert_string_equal(eval("{\"*\":[\"2\"]}", NULL), "\"2\"");
    assert_string_equal(eval("{\"*\":[\"3abc\",2]}", NULL), "6");
    assert_non_null(strstr(eval("{\"*\":[]}", NULL), "error"));
    assert_string_equal(eval("{\"/\":[6,3,2]}", NULL), "2");
    assert_string_equal(eval("{\"/\":[1,0]}", NULL), "null");
    assert_string_equal(eval("{\"%\":[-7,3]}", NULL), "-1");
    assert_string_equal(eval("{\"%\":[7.5,2]}", NULL), "1.5");
    assert_string_equal(eval("{\"max\":[1,\"3\",true]}", NULL), "3");
    assert_string_equal(eval("{\"min\":[]}", NULL), "null");
    assert_string_equal(eval("{\"min\":[null,5]}", NULL), "0");
    assert_string_equal(eval("{\"+\":[0.1,0.2]}", NULL), "0.30000000000000004");
}

static void test_iterators_use_the_element_as_data(void **state)
{
    (void)state;
    assert_string_equal(
        eval("{\"map\":[{\"var\":\"xs\"},{\"*\":[{\"var\":\"\"},2]}]}",
             "{\"xs\":[1,2]}"),
        "[2,4]");
    assert_string_equal(eval("{\"filter\":[{\"var\":\"p\"},{\"var\":\"ok\"}]}",
                             "{\"p\":[{\"ok\":1,\"n\":1},{\"ok\":0,\"n\":2}]}"),
                        "[{\"ok\":1,\"n\":1}]");
    assert_string_equal(
        eval("{\"reduce\":[[1,2,3],{\"+\":[{\"var\":\"current\"},"
             "{\"var\":\"accumulator\"}]},10]}",
             NULL),
        "16");
    assert_string_equal(eval("{\"reduce\":[[1,2],{\"+\":[{\"var\":\"current\"},"
                             "{\"var\":\"accumulator\"}]}]}",
                             NULL),
                        "null");
    assert_string_equal(eval("{\"all\":[[],true]}", NULL), "false");
    assert_string_equal(eval("{\"some\":[[0,2],{\"var\":\"\"}]}", NULL),
                        "true");
    assert_string_equal(eval("{\"none\":[[],true]}", NULL), "true");
    assert_string_equal(eval("{\"map\":[null,1]}", NULL), "[]");
    assert_string_equal(eval("{\"reduce\":[\"x\",1,7]}", NULL), "7");
    /* the outer data cannot be reached from inside */
    assert_string_equal(
        eval("{\"map\":[[1],{\"var\":\"outer\"}]}", "{\"outer\":5}"), "[null]");
}

static void test_strings_and_arrays(void **state)
{
    (void)state;
    assert_string_equal(eval("{\"in\":[\"\",\"\"]}", NULL), "false");
    assert_string_equal(eval("{\"in\":[1,\"a1\"]}", NULL), "true");
    assert_string_equal(eval("{\"in\":[\"1\",[1]]}", NULL), "false");
    assert_string_equal(eval("{\"in\":[null,[null]]}", NULL), "true");
    assert_string_equal(eval("{\"cat\":[\"a\",null,1.5,[1,[2]],{}]}", NULL),
                        "\"a1.51,2[object Object]\"");
    assert_string_equal(eval("{\"cat\":[]}", NULL), "\"\"");
    assert_string_equal(eval("{\"substr\":[\"jsonlogic\",-5]}", NULL),
                        "\"logic\"");
    assert_string_equal(eval("{\"substr\":[\"jsonlogic\",1,3]}", NULL),
                        "\"son\"");
    assert_string_equal(eval("{\"substr\":[\"jsonlogic\",4,-2]}", NULL),
                        "\"log\"");
    assert_string_equal(eval("{\"substr\":[\"abc\",1,null]}", NULL), "\"\"");
    assert_string_equal(eval("{\"substr\":[12345,1,2]}", NULL), "\"23\"");
    /* UTF-16 units: "é" is one unit, "😀" two */
    assert_string_equal(eval("{\"substr\":[\"é😀x\",1,2]}", NULL), "\"😀\"");
    assert_string_equal(eval("{\"merge\":[[1,2],[3,[4]],5]}", NULL),
                        "[1,2,3,[4],5]");
    assert_string_equal(eval("{\"merge\":null}", NULL), "[null]");
    assert_string_equal(eval("{\"log\":[\"x\"]}", NULL), "\"x\"");
}

static void test_literals_arrays_and_objects(void **state)
{
    (void)state;
    assert_string_equal(eval("[{\"var\":\"a\"},1]", "{\"a\":5}"), "[5,1]");
    assert_string_equal(eval("{\"a\":1,\"b\":{\"var\":\"x\"}}", NULL),
                        "{\"a\":1,\"b\":{\"var\":\"x\"}}");
    assert_string_equal(eval("{}", NULL), "{}");
    assert_string_equal(eval("\"s\"", NULL), "\"s\"");
}

static void test_unknown_operator_is_a_compile_error_with_position(void **state)
{
    char *res = NULL;
    ik_error err;
    const char *logic = "{\"and\": [false,\n  {\"fubar\": 1}]}";

    (void)state;
    ik_error_clear(&err);
    assert_int_equal(
        ik_logic_eval_json(logic, strlen(logic), NULL, 0, &res, &err),
        IK_ELOGIC);
    assert_null(res);
    assert_string_equal(err.file, "logic");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 4);
    assert_string_equal(err.msg, "unknown operator 'fubar'");
}

/* issue 18 item 5: json-logic-js reads an object of two keys as data, so
 * {"==": .., "!=": ..} was a condition true whatever the answers (false
 * under '!'); one key per operation, an error at the second key. Objects
 * whose keys name no operator stay data. */
static void
test_two_operator_keys_are_a_compile_error_at_the_second(void **state)
{
    char *res = NULL;
    ik_error err;
    const char *logic = "{\"!\": {\"==\": [1, 2],\n  \"!=\": [1, 2]}}";

    (void)state;
    ik_error_clear(&err);
    assert_int_equal(
        ik_logic_eval_json(logic, strlen(logic), NULL, 0, &res, &err),
        IK_ELOGIC);
    assert_null(res);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_string_equal(err.msg,
                        "an operation has one key, but this object has 2 "
                        "(\"==\", \"!=\"); write each operation as its own "
                        "object");
    assert_string_equal(eval("{\"a\": 1, \"b\": 2}", NULL),
                        "{\"a\":1,\"b\":2}");
}

static void test_strict_mode_rejects_undefined_names(void **state)
{
    ik_logic *lg;
    ik_error err;
    ik_expr e;
    uint32_t slot;
    const char *ok = "{\"==\":[{\"var\":\"age.years\"},1]}";
    const char *bad = "{\"==\":[{\"var\":\"agee\"},1]}";

    (void)state;
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    ik_logic_set_strict(lg, true);
    assert_int_equal(ik_logic_define(lg, "age", &slot, &err), IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, ok, strlen(ok), &e, &err),
                     IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, bad, strlen(bad), &e, &err),
                     IK_ELOGIC);
    assert_string_equal(err.msg, "unknown name 'agee'");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 15);
    assert_int_equal(ik_logic_nslots(lg), 1);
    assert_int_equal(ik_logic_find(lg, "age"), slot);
    assert_int_equal(ik_logic_find(lg, "agee"), UINT32_MAX);
    ik_logic_free(lg);
}

static void
test_strict_mode_checks_var_paths_that_fold_to_constants(void **state)
{
    ik_logic *lg;
    ik_error err;
    ik_expr e;
    uint32_t slot;
    ik_env env;
    ik_value slots[1], out;
    ik_arena scratch;
    const char *ok = "{\"var\": {\"cat\": [\"a\", \"ge.years\"]}}";
    const char *bad =
        "{\"==\": [1,\n  {\"var\": {\"cat\": [\"a\", \"gee\"]}}]}";
    const char *num = "{\"var\": [{\"+\": [1, 1]}, \"d\"]}";

    (void)state;
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    ik_logic_set_strict(lg, true);
    assert_int_equal(ik_logic_define(lg, "age", &slot, &err), IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, bad, strlen(bad), &e, &err),
                     IK_ELOGIC);
    assert_string_equal(err.msg, "unknown name 'agee'");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 11); /* the computed path */
    assert_int_equal(ik_logic_find(lg, "agee"), UINT32_MAX);
    assert_int_equal(ik_logic_compile_text(lg, num, strlen(num), &e, &err),
                     IK_ELOGIC);
    assert_string_equal(err.msg, "unknown name '2'");
    /* a known name reads its slot, as the literal path would */
    assert_int_equal(ik_logic_compile_text(lg, ok, strlen(ok), &e, &err),
                     IK_OK);
    ik_arena_init(&scratch);
    memset(&env, 0, sizeof env);
    env.scratch = &scratch;
    env.slots = slots;
    env.nslots = 1;
    ik_logic_bind(lg, ik_undef(), slots);
    assert_int_equal(ik_logic_eval(lg, e, &env, &out, &err), IK_OK);
    assert_int_equal(out.kind, IK_NULL); /* absent: var's default */
    ik_arena_fini(&scratch);
    ik_logic_free(lg);
}

/* missing_some names its reads like missing; a name computed from the
 * data, or the whole data, outside an iteration is a dynamic read. */
static void test_reads_of_missing_some_and_dynamic_reads(void **state)
{
    static const struct {
        const char *text;
        bool dynamic;
    } cases[] = {
        {"{\"var\":\"a\"}", false},
        {"{\"var\":{\"cat\":[\"a\",\"\"]}}", false}, /* folded */
        {"{\"some\":[{\"var\":\"a\"},{\"var\":\"\"}]}", false},
        {"{\"missing\":[\"a\",\"b\"]}", false},
        {"{\"var\":{\"if\":[{\"var\":\"a\"},\"b\",\"c\"]}}", true},
        {"{\"!\":{\"var\":\"\"}}", true},
        {"{\"missing\":{\"var\":\"a\"}}", true},
        {"{\"missing_some\":[1,{\"merge\":[[\"a\"],[\"b\"]]}]}", false},
        {"{\"missing_some\":[1,{\"merge\":[{\"var\":\"a\"}]}]}", true},
        {"{\"some\":[{\"var\":\"\"},{\"var\":\"x\"}]}", true},
    };
    const char *ms = "{\"missing_some\":[1,[\"b\",\"a\"]]}";
    ik_logic *lg;
    ik_error err;
    ik_expr e;
    uint32_t reads[4];
    size_t i, off;

    (void)state;
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    assert_int_equal(ik_logic_define(lg, "a", &reads[0], &err), IK_OK);
    assert_int_equal(ik_logic_define(lg, "b", &reads[0], &err), IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, ms, strlen(ms), &e, &err),
                     IK_OK);
    assert_int_equal(ik_logic_reads(lg, e, reads, 4), 2);
    assert_string_equal(ik_logic_slot_name(lg, reads[0]), "b");
    assert_string_equal(ik_logic_slot_name(lg, reads[1]), "a");
    assert_false(ik_logic_dynamic_read(lg, e, &off));
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(ik_logic_compile_text(lg, cases[i].text,
                                               strlen(cases[i].text), &e, &err),
                         IK_OK);
        off = 12345;
        if (ik_logic_dynamic_read(lg, e, &off) != cases[i].dynamic)
            fail_msg("%s: dynamic read %s", cases[i].text,
                     cases[i].dynamic ? "missed" : "found");
        if (cases[i].dynamic)
            assert_true(off != 12345);
    }
    ik_logic_free(lg);
}

static void test_slots_bind_from_records_and_are_read_directly(void **state)
{
    ik_logic *lg;
    ik_error err;
    ik_expr e;
    ik_arena a;
    ik_value slots[4], out, root;
    uint32_t reads[4];
    cJSON *rec = cJSON_Parse("{\"zz\":1,\"b\":{\"c\":2},\"a\":40}");
    const char *text = "{\"+\":[{\"var\":\"a\"},{\"var\":\"b.c\"},"
                       "{\"var\":\"a\"}]}";
    ik_env env;
    ik_bind_cache cache;

    (void)state;
    memset(&cache, 0, sizeof cache);
    ik_arena_init(&a);
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, text, strlen(text), &e, &err),
                     IK_OK);
    assert_int_equal(ik_logic_nslots(lg), 2);
    assert_int_equal(ik_logic_reads(lg, e, reads, 4), 2);
    assert_string_equal(ik_logic_slot_name(lg, reads[0]), "a");
    assert_string_equal(ik_logic_slot_name(lg, reads[1]), "b");

    assert_true(ik_value_from_cjson(rec, &a, &root));
    ik_logic_bind(lg, root, slots);
    env = (ik_env){ik_undef(), slots, 2, &a, 0, NULL};
    assert_int_equal(ik_logic_eval(lg, e, &env, &out, &err), IK_OK);
    assert_true(out.kind == IK_NUM && out.u.num == 82);

    /* twice through the cached binder: same answer */
    assert_true(ik_logic_bind_cjson(lg, rec, slots, &a, &cache));
    assert_true(ik_logic_bind_cjson(lg, rec, slots, &a, &cache));
    assert_int_equal(ik_logic_eval(lg, e, &env, &out, &err), IK_OK);
    assert_true(out.kind == IK_NUM && out.u.num == 82);
    cJSON_Delete(rec);
    ik_logic_free(lg);
    ik_arena_fini(&a);
}

/* missing and missing_some with constant keys, compiled before any var
 * names them: outside strict mode each key's first segment is a slot (as
 * a var's is), bound from the record, and the answer is the one read from
 * the root object; in strict mode an undefined key stays no slot. */
static void test_missing_keys_are_slots_before_any_var_names_them(void **state)
{
    static const char *const texts[] = {
        "{\"missing\":[\"p.q\",\"r\",\"s\",\"u\"]}",
        "{\"missing_some\":[2,[\"r\",\"s\",\"u\",\"p.q\"]]}",
        "{\"missing_some\":[4,[\"r\",\"s\",\"u\",\"p.q\"]]}"};
    static const char *const want[] = {"[\"s\",\"u\"]", "[]", "[\"s\",\"u\"]"};
    cJSON *rec = cJSON_Parse("{\"p\":{\"q\":1},\"r\":\"x\",\"s\":\"\"}");
    ik_logic *lg;
    ik_error err;
    ik_expr e[3];
    ik_arena a;
    ik_value slots[4], out, root;
    ik_env env;
    size_t i;

    (void)state;
    ik_arena_init(&a);
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    for (i = 0; i < 3; i++)
        assert_int_equal(
            ik_logic_compile_text(lg, texts[i], strlen(texts[i]), &e[i], &err),
            IK_OK);
    assert_int_equal(ik_logic_nslots(lg), 4);
    assert_true(ik_logic_find(lg, "p") != UINT32_MAX);
    assert_true(ik_logic_find(lg, "u") != UINT32_MAX);
    assert_true(ik_value_from_cjson(rec, &a, &root));
    ik_logic_bind(lg, root, slots);
    for (i = 0; i < 6; i++) {
        ik_buf b;

        /* even: through the slots; odd: from the root object, by name */
        env = i % 2 ? (ik_env){root, NULL, 0, &a, 0, NULL}
                    : (ik_env){ik_undef(), slots, 4, &a, 0, NULL};
        assert_int_equal(ik_logic_eval(lg, e[i / 2], &env, &out, &err), IK_OK);
        ik_buf_init(&b);
        ik_value_write_json(&b, out);
        assert_string_equal(ik_buf_cstr(&b), want[i / 2]);
        ik_buf_fini(&b);
    }
    ik_logic_free(lg);

    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    ik_logic_set_strict(lg, true);
    assert_int_equal(
        ik_logic_compile_text(lg, texts[0], strlen(texts[0]), &e[0], &err),
        IK_OK);
    assert_int_equal(ik_logic_nslots(lg), 0);
    ik_logic_free(lg);
    cJSON_Delete(rec);
    ik_arena_fini(&a);
}

static void test_constant_subtrees_are_folded(void **state)
{
    ik_logic *lg;
    ik_error err;
    ik_expr e;
    ik_value v;
    const char *text = "{\"cat\":[{\"+\":[1,2]},\"-\",{\"max\":[4,9]}]}";

    (void)state;
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, text, strlen(text), &e, &err),
                     IK_OK);
    assert_true(ik_logic_is_const(lg, e, &v));
    assert_int_equal(v.kind, IK_STR);
    assert_memory_equal(v.u.str, "3-9", 3);
    ik_logic_free(lg);
}

static void count_cmp(const ik_logic_cmp *cmp, void *ctx)
{
    (void)cmp;
    ++*(int *)ctx;
}

static void test_static_walks_find_comparisons_and_write_json(void **state)
{
    ik_logic *lg;
    ik_error err;
    ik_expr e;
    ik_buf b;
    int n = 0;
    const char *text = "{\"and\":[{\"==\":[{\"var\":\"a\"},\"yes\"]},"
                       "{\">\":[3,{\"var\":\"b\"}]},{\"!\":{\"var\":\"c\"}}]}";

    (void)state;
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, text, strlen(text), &e, &err),
                     IK_OK);
    ik_logic_visit_cmps(lg, e, count_cmp, &n);
    assert_int_equal(n, 3);
    ik_buf_init(&b);
    ik_logic_write_json(lg, e, &b);
    assert_string_equal(ik_buf_cstr(&b),
                        "{\"and\":[{\"==\":[{\"var\":[\"a\"]},\"yes\"]},"
                        "{\">\":[3,{\"var\":[\"b\"]}]},{\"!\":[{\"var\":["
                        "\"c\"]}]}]}");
    assert_int_equal(ik_logic_src(lg, e), 0);
    ik_buf_fini(&b);
    ik_logic_free(lg);
}

static void test_malformed_input_gives_clear_errors(void **state)
{
    static char deep[200003];
    char *res = NULL;
    ik_error err;
    size_t i;

    (void)state;
    assert_non_null(strstr(eval("{\"var\": ", NULL), "error 1:"));
    assert_non_null(strstr(eval("1e400", NULL), "error 1:1"));
    assert_non_null(strstr(eval("\"\xff\"", NULL), "error 1:"));
    assert_non_null(strstr(eval("{\"var\":\"a\"}", "{\"a\":"), "error 1:"));

    for (i = 0; i < 100000; i++) {
        deep[i] = '[';
        deep[100000 + i] = ']';
    }
    deep[200000] = '\0';
    ik_error_clear(&err);
    assert_int_equal(ik_logic_eval_json(deep, 200000, NULL, 0, &res, &err),
                     IK_ESYNTAX);
    assert_string_equal(err.file, "logic");
    assert_true(err.line == 1 && err.col > 0);

    ik_error_clear(&err);
    assert_int_equal(ik_logic_eval_json("[1,\0 2]", 7, NULL, 0, &res, &err),
                     IK_ESYNTAX);
    assert_int_equal(err.col, 4);
    assert_non_null(strstr(err.msg, "NUL"));
    assert_null(res);
}

static void test_nesting_past_the_limit_is_a_compile_error(void **state)
{
    char text[1024];
    size_t n = 0, i;
    char *res = NULL;
    ik_error err;

    (void)state;
    for (i = 0; i < 70; i++)
        n += (size_t)sprintf(text + n, "{\"!\":");
    text[n++] = '1';
    for (i = 0; i < 70; i++)
        text[n++] = '}';
    text[n] = '\0';
    ik_error_clear(&err);
    assert_int_equal(ik_logic_eval_json(text, n, NULL, 0, &res, &err),
                     IK_ELOGIC);
    assert_non_null(strstr(err.msg, "nested deeper than 64"));
}

static void test_runaway_iteration_exhausts_the_budget(void **state)
{
    ik_logic *lg;
    ik_error err;
    ik_expr e;
    ik_arena a;
    ik_value out;
    ik_env env;
    const char *text = "{\"map\":[{\"var\":\"xs\"},{\"map\":[{\"var\":\"\"},"
                       "{\"+\":[1,2,{\"var\":\"\"}]}]}]}";
    cJSON *data = cJSON_Parse("{\"xs\":[[1,2,3,4,5,6,7,8,9,10],[1,2,3]]}");

    (void)state;
    ik_arena_init(&a);
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, text, strlen(text), &e, &err),
                     IK_OK);
    env = (ik_env){ik_undef(), NULL, 0, &a, 20, NULL};
    assert_true(ik_value_from_cjson(data, &a, &env.root));
    assert_int_equal(ik_logic_eval(lg, e, &env, &out, &err), IK_ELOGIC);
    assert_string_equal(err.msg, "evaluation exceeded its budget");
    env.budget = 0; /* the default is plenty */
    assert_int_equal(ik_logic_eval(lg, e, &env, &out, &err), IK_OK);
    assert_int_equal(out.kind, IK_ARR);
    assert_int_equal(out.len, 2);
    cJSON_Delete(data);
    ik_logic_free(lg);
    ik_arena_fini(&a);
}

static void test_compile_survives_every_allocation_failure(void **state)
{
    const char *text = "{\"if\":[{\"missing\":[\"a\",\"b\"]},[1,{\"var\":"
                       "\"c.d\"}],{\"cat\":[{\"var\":[\"e\",\"x\"]},\"y\"]}]}";
    long n;

    (void)state;
    for (n = 1;; n++) {
        ik_logic *lg = NULL;
        ik_error err;
        ik_expr e;
        ik_status st;

        ik_alloc_fail_after(n);
        st = ik_logic_new(&lg, &err);
        if (st == IK_OK)
            st = ik_logic_compile_text(lg, text, strlen(text), &e, &err);
        ik_alloc_fail_after(0);
        if (st == IK_OK) {
            assert_true(ik_logic_nslots(lg) >= 1);
            ik_logic_free(lg);
            break;
        }
        assert_int_equal(st, IK_ENOMEM);
        if (lg) /* nothing half-added: the program still works */
            assert_int_equal(ik_logic_compile_text(lg, "1", 1, &e, &err),
                             IK_OK);
        ik_logic_free(lg);
        assert_true(n < 10000);
    }
    assert_true(n > 1); /* the loop injected failures */
}

static void test_eval_survives_every_allocation_failure(void **state)
{
    const char *text = "{\"merge\":[{\"map\":[{\"var\":\"xs\"},{\"cat\":["
                       "\"n\",{\"var\":\"\"}]}]},{\"missing\":[\"q\"]}]}";
    cJSON *data = cJSON_Parse("{\"xs\":[1.5,2,3]}");
    ik_logic *lg;
    ik_error err;
    ik_expr e;
    long n;

    (void)state;
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, text, strlen(text), &e, &err),
                     IK_OK);
    for (n = 1;; n++) {
        ik_arena a;
        ik_env env;
        ik_value out;
        ik_status st;
        ik_buf b;

        ik_arena_init(&a);
        env = (ik_env){ik_undef(), NULL, 0, &a, 0, NULL};
        ik_alloc_fail_after(n);
        st = ik_value_from_cjson(data, &a, &env.root) ? IK_OK : IK_ENOMEM;
        if (st == IK_OK)
            st = ik_logic_eval(lg, e, &env, &out, &err);
        ik_alloc_fail_after(0);
        if (st == IK_OK) {
            ik_buf_init(&b);
            ik_value_write_json(&b, out);
            assert_string_equal(ik_buf_cstr(&b),
                                "[\"n1.5\",\"n2\",\"n3\",\"q\"]");
            ik_buf_fini(&b);
            ik_arena_fini(&a);
            break;
        }
        assert_int_equal(st, IK_ENOMEM);
        ik_arena_fini(&a);
        assert_true(n < 10000);
    }
    assert_true(n > 1); /* the loop injected failures */
    cJSON_Delete(data);
    ik_logic_free(lg);
}

/* ---- Data-driven cases: tests/data/logic/ (one JSON file each) ---- */

static int run_case_file(const char *path)
{
    char *text = NULL;
    size_t len;
    ik_json_doc doc;
    ik_error err;
    const cJSON *c;
    int failures = 0, n = 0;

    ik_error_clear(&err);
    if (ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len, &err) != IK_OK ||
        ik_json_parse(text, len, path, 0, &doc, &err) != IK_OK) {
        print_error("%s: %s\n", path, err.msg);
        ik_free(text);
        return 1;
    }
    for (c = doc.root->child; c; c = c->next) {
        char *l, *d, *res = NULL, *want;
        ik_arena a;
        ik_value wv;
        ik_buf b;
        ik_status st;

        if (cJSON_IsString(c))
            continue; /* a section heading */
        n++;
        l = cJSON_PrintUnformatted(cJSON_GetArrayItem(c, 0));
        d = cJSON_PrintUnformatted(cJSON_GetArrayItem(c, 1));
        ik_arena_init(&a);
        ik_buf_init(&b);
        ik_value_from_cjson(cJSON_GetArrayItem(c, 2), &a, &wv);
        ik_value_write_json(&b, wv);
        want = ik_buf_take(&b, NULL);
        ik_error_clear(&err);
        st = ik_logic_eval_json(l, strlen(l), d, strlen(d), &res, &err);
        if (st != IK_OK || strcmp(res, want) != 0) {
            print_error("%s: %s with %s gave %s, expected %s\n", path, l, d,
                        st == IK_OK ? res : err.msg, want);
            failures++;
        }
        ik_logic_free_string(res);
        ik_free(want);
        ik_arena_fini(&a);
        cJSON_free(l);
        cJSON_free(d);
    }
    if (n == 0)
        failures++; /* an empty file tests nothing */
    ik_json_doc_fini(&doc);
    ik_free(text);
    return failures;
}

static void test_data_driven_cases_give_the_expected_results(void **state)
{
    char dir[1024], path[2048];
    DIR *dp;
    struct dirent *de;
    int failures = 0, files = 0;

    (void)state;
    snprintf(dir, sizeof dir, "%s/tests/data/logic", IK_SOURCE_DIR);
    dp = opendir(dir);
    assert_non_null(dp);
    while ((de = readdir(dp)) != NULL) {
        size_t n = strlen(de->d_name);

        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        failures += run_case_file(path);
        files++;
    }
    closedir(dp);
    assert_true(files > 0);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_var_reads_paths_defaults_and_present_nulls),
        cmocka_unit_test(test_missing_reports_absent_null_and_empty_keys),
        cmocka_unit_test(test_if_chains_and_boolean_operators_return_values),
        cmocka_unit_test(test_lazy_operators_skip_branches_not_taken),
        cmocka_unit_test(test_comparisons_follow_javascript),
        cmocka_unit_test(test_arithmetic_uses_parse_float_or_to_number),
        cmocka_unit_test(test_iterators_use_the_element_as_data),
        cmocka_unit_test(test_strings_and_arrays),
        cmocka_unit_test(test_literals_arrays_and_objects),
        cmocka_unit_test(
            test_unknown_operator_is_a_compile_error_with_position),
        cmocka_unit_test(
            test_two_operator_keys_are_a_compile_error_at_the_second),
        cmocka_unit_test(test_strict_mode_rejects_undefined_names),
        cmocka_unit_test(
            test_strict_mode_checks_var_paths_that_fold_to_constants),
        cmocka_unit_test(test_reads_of_missing_some_and_dynamic_reads),
        cmocka_unit_test(test_slots_bind_from_records_and_are_read_directly),
        cmocka_unit_test(test_missing_keys_are_slots_before_any_var_names_them),
        cmocka_unit_test(test_constant_subtrees_are_folded),
        cmocka_unit_test(test_static_walks_find_comparisons_and_write_json),
        cmocka_unit_test(test_malformed_input_gives_clear_errors),
        cmocka_unit_test(test_nesting_past_the_limit_is_a_compile_error),
        cmocka_unit_test(test_runaway_iteration_exhausts_the_budget),
        cmocka_unit_test(test_compile_survives_every_allocation_failure),
        cmocka_unit_test(test_eval_survives_every_allocation_failure),
        cmocka_unit_test(test_data_driven_cases_give_the_expected_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
