/*
 * test_logic_slots.c -- comparisons of a slot-bound var with a constant
 * (the evaluator's inline fast path) give exactly what the general path
 * gives when the same data is read from the root object, for every
 * operator and a matrix of kinds. Tests only; no fixtures on disk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "logic.h"
#include "value.h"

static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">=", "in"};
static const char *const datas[] = {"{\"x\":0}",
                                    "{\"x\":-0}",
                                    "{\"x\":1}",
                                    "{\"x\":2.5}",
                                    "{\"x\":\"1\"}",
                                    "{\"x\":\"abc\"}",
                                    "{\"x\":\"\"}",
                                    "{\"x\":\"ab\"}",
                                    "{\"x\":true}",
                                    "{\"x\":null}",
                                    "{\"x\":[]}",
                                    "{}",
                                    "{\"x\":\"abcdefghijklmnopqrstu\"}"};
static const char *const consts[] = {"1",
                                     "0",
                                     "-0",
                                     "2.5",
                                     "\"1\"",
                                     "\"abc\"",
                                     "\"ab\"",
                                     "\"\"",
                                     "true",
                                     "null",
                                     "\"abcdefghijklmnopqrstu\"",
                                     "[\"abc\",\"1\",\"\"]",
                                     "[1,\"ab\",[]]",
                                     "[]"};

/* Evaluate logic on data both ways; -1 for an error. Returns the slot
 * result and stores the root result in *via_root. */
static int both_ways(const char *logic, const char *data, int *via_root)
{
    ik_logic *lg;
    ik_error err;
    ik_expr e;
    ik_arena a;
    ik_value root, out, slots[4];
    ik_env env;
    cJSON *rec = cJSON_Parse(data);
    int r_slot = -1;

    assert_non_null(rec);
    ik_arena_init(&a);
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    assert_int_equal(ik_logic_compile_text(lg, logic, strlen(logic), &e, &err),
                     IK_OK);
    assert_int_equal(ik_logic_nslots(lg), 1); /* x is a slot */
    assert_true(ik_value_from_cjson(rec, &a, &root));

    env = (ik_env){root, NULL, 0, &a, 0, NULL};
    *via_root = -1;
    if (ik_logic_eval(lg, e, &env, &out, &err) == IK_OK && out.kind == IK_BOOL)
        *via_root = out.u.b;

    ik_logic_bind(lg, root, slots);
    env = (ik_env){ik_undef(), slots, ik_logic_nslots(lg), &a, 0, NULL};
    if (ik_logic_eval(lg, e, &env, &out, &err) == IK_OK && out.kind == IK_BOOL)
        r_slot = out.u.b;

    cJSON_Delete(rec);
    ik_logic_free(lg);
    ik_arena_fini(&a);
    return r_slot;
}

static void test_slot_comparisons_agree_with_the_general_path(void **state)
{
    size_t o, d, c;
    char logic[256];
    int slot, root, n = 0;

    (void)state;
    for (o = 0; o < sizeof ops / sizeof *ops; o++)
        for (d = 0; d < sizeof datas / sizeof *datas; d++)
            for (c = 0; c < sizeof consts / sizeof *consts; c++) {
                size_t h;

                for (h = 0; h < 2; h++) {
                    if (h == 0)
                        snprintf(logic, sizeof logic,
                                 "{\"%s\":[{\"var\":\"x\"},%s]}", ops[o],
                                 consts[c]);
                    else /* an operand of "and": the inline operand path */
                        snprintf(logic, sizeof logic,
                                 "{\"and\":[true,{\"%s\":[{\"var\":\"x\"},"
                                 "%s]}]}",
                                 ops[o], consts[c]);
                    slot = both_ways(logic, datas[d], &root);
                    if (slot != root)
                        fail_msg("%s on %s: slots %d, root %d", logic, datas[d],
                                 slot, root);
                    assert_true(slot == 0 || slot == 1);
                    n++;
                }
            }
    assert_int_equal(n, 7 * 13 * 14 * 2);
}

static void test_slot_comparisons_give_javascripts_answers(void **state)
{
    int root;

    (void)state;
    assert_int_equal(
        both_ways("{\"<\":[{\"var\":\"x\"},3]}", "{\"x\":2.5}", &root), 1);
    assert_int_equal(
        both_ways("{\">=\":[{\"var\":\"x\"},3]}", "{\"x\":2.5}", &root), 0);
    assert_int_equal(both_ways("{\"==\":[{\"var\":\"x\"},\"abc\"]}",
                               "{\"x\":\"abc\"}", &root),
                     1);
    assert_int_equal(both_ways("{\"!=\":[{\"var\":\"x\"},\"abd\"]}",
                               "{\"x\":\"abc\"}", &root),
                     1);
    /* loose: a string slot equals a number constant it converts to */
    assert_int_equal(
        both_ways("{\"==\":[{\"var\":\"x\"},1]}", "{\"x\":\"1\"}", &root), 1);
    /* -0 == 0; an absent var reads as null, and null < 1 (0 < 1) */
    assert_int_equal(
        both_ways("{\"==\":[{\"var\":\"x\"},0]}", "{\"x\":-0}", &root), 1);
    assert_int_equal(both_ways("{\"<\":[{\"var\":\"x\"},1]}", "{}", &root), 1);
    assert_int_equal(both_ways("{\"in\":[{\"var\":\"x\"},[\"a\",\"abc\"]]}",
                               "{\"x\":\"abc\"}", &root),
                     1);
    assert_int_equal(both_ways("{\"in\":[{\"var\":\"x\"},[\"a\",\"abd\"]]}",
                               "{\"x\":\"abc\"}", &root),
                     0);
    /* strings compare by code units, not as numbers, when both are strings */
    assert_int_equal(
        both_ways("{\"<\":[{\"var\":\"x\"},\"ab\"]}", "{\"x\":\"abc\"}", &root),
        0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slot_comparisons_agree_with_the_general_path),
        cmocka_unit_test(test_slot_comparisons_give_javascripts_answers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
