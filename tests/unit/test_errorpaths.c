/*
 * test_errorpaths.c -- every allocation-failure path is reachable and
 * clean: each operation is run with its Nth allocation failing, for N = 1,
 * 2, ... until it succeeds; every failure must be IK_ENOMEM with nothing
 * left half-made (leaks are caught by valgrind and LeakSanitizer, which
 * run over this test in CI). Modules join as they land. It must not test
 * what an operation computes, only how it fails.
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
#include "arena.h"
#include "buf.h"
#include "json.h"

enum { MAX_STEPS = 200000 };

/*
 * Run op with allocation n failing, n = 1, 2, ... until op succeeds.
 * op returns its status; on failure it must have freed everything.
 * Returns the number of failing runs (so a test can insist on > 0).
 */
static long fail_each_allocation(ik_status (*op)(void *ctx), void *ctx)
{
    long n;

    for (n = 1; n < MAX_STEPS; n++) {
        ik_status st;
        ik_alloc_fail_after(n);
        st = op(ctx);
        ik_alloc_fail_after(0);
        if (st == IK_OK)
            return n - 1;
        if (st != IK_ENOMEM)
            fail_msg("allocation %ld failing gave status %d, not IK_ENOMEM", n,
                     (int)st);
    }
    fail_msg("no success after %d failing allocations", MAX_STEPS);
    return -1;
}

/* ---- JSON ---- */

typedef struct json_case {
    const char *text;
    unsigned flags;
} json_case;

static ik_status parse_once(void *ctx)
{
    const json_case *c = ctx;
    ik_json_doc doc;
    ik_error err;
    ik_status st;

    ik_error_clear(&err);
    st =
        ik_json_parse(c->text, strlen(c->text), "t.json", c->flags, &doc, &err);
    if (st != IK_OK) {
        assert_null(doc.root);
        assert_null(doc.pos);
        assert_int_equal(err.code, st);
    }
    ik_json_doc_fini(&doc);
    return st;
}

static const char *const json_texts[] = {
    "{\"a\": [1, 2, {\"b\": \"c\"}], \"d\": null}",
    "{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,"
    "\"k7\":7,\"k8\":8,\"k9\":9,\"k10\":10,\"k11\":11,\"k12\":12,"
    "\"k13\":13,\"k14\":14,\"k15\":15,\"k16\":16,\"k17\":17}",
    "[\"\\ud83d\\ude00\", 1e300, -0, true, false, null, {}, []]",
};

static void test_json_parse_with_positions_fails_cleanly(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof json_texts / sizeof *json_texts; i++) {
        json_case c = {json_texts[i], IK_JSON_POSITIONS};
        assert_true(fail_each_allocation(parse_once, &c) > 0);
    }
}

static void test_json_fast_parse_reports_memory_not_syntax(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof json_texts / sizeof *json_texts; i++) {
        json_case c = {json_texts[i], IK_JSON_FAST};
        assert_true(fail_each_allocation(parse_once, &c) > 0);
    }
}

static ik_status read_once(void *ctx)
{
    char *text = NULL;
    size_t len = 0;
    ik_error err;
    ik_status st = ik_json_read_file(ctx, IK_JSON_MAX_FILE, &text, &len, &err);

    if (st != IK_OK)
        assert_null(text);
    ik_free(text);
    return st;
}

static void test_reading_a_file_fails_cleanly(void **state)
{
    static char path[] = IK_BINARY_DIR "/test_errorpaths_read.json";
    FILE *f = fopen(path, "wb");
    int i;

    (void)state;
    assert_non_null(f);
    for (i = 0; i < 20000; i++) /* > 65536 bytes: the buffer grows */
        fputs("[1, 2],\n", f);
    assert_int_equal(fclose(f), 0);
    assert_true(fail_each_allocation(read_once, path) > 1);
    unlink(path);
}

/* ---- Buffers and arenas (what every module builds on) ---- */

static ik_status buf_once(void *ctx)
{
    ik_buf b;
    int i;
    ik_status st;

    (void)ctx;
    ik_buf_init(&b);
    for (i = 0; i < 2000; i++) {
        ik_buf_printf(&b, "%d,", i);
        ik_buf_put_json_string(&b, "a\"b\n", 4);
    }
    st = ik_buf_status(&b);
    ik_buf_fini(&b);
    return st;
}

static void test_buffer_out_of_memory_is_sticky_and_clean(void **state)
{
    (void)state;
    assert_true(fail_each_allocation(buf_once, NULL) > 1);
}

static ik_status arena_once(void *ctx)
{
    ik_arena a;
    int i;

    (void)ctx;
    ik_arena_init(&a);
    for (i = 0; i < 1000; i++) {
        if (!ik_arena_strndup(&a, "0123456789abcdef0123456789", 26)) {
            ik_arena_fini(&a);
            return IK_ENOMEM;
        }
    }
    ik_arena_fini(&a);
    return IK_OK;
}

static void test_arena_out_of_memory_returns_null_cleanly(void **state)
{
    (void)state;
    assert_true(fail_each_allocation(arena_once, NULL) > 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_parse_with_positions_fails_cleanly),
        cmocka_unit_test(test_json_fast_parse_reports_memory_not_syntax),
        cmocka_unit_test(test_reading_a_file_fails_cleanly),
        cmocka_unit_test(test_buffer_out_of_memory_is_sticky_and_clean),
        cmocka_unit_test(test_arena_out_of_memory_returns_null_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
