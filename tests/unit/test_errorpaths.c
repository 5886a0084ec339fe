/*
 * test_errorpaths.c -- every allocation-failure path is reachable and
 * clean: each operation is run with its Nth allocation failing, for N = 1,
 * 2, ... until it succeeds; every failure must be IK_ENOMEM with nothing
 * left half-made (leaks are caught by valgrind and LeakSanitizer, which
 * run over this test in CI), for the JSON parser, the rule-pack loader and
 * linter, the JsonLogic compiler and evaluator, typed answers, the
 * interview, session files and batch records. Also: error messages about
 * an answer name the question, never the answer (answers are health data).
 * It must not test what an operation computes, only how it fails.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "answer.h"
#include "answers_json.h"
#include "arena.h"
#include "batch.h"
#include "buf.h"
#include "intake/interview.h"
#include "interview.h"
#include "json.h"
#include "logic.h"
#include "rulebook.h"
#include "session.h"

#define FBS_PACK   IK_SOURCE_DIR "/rules/failed-back-syndrome.json"
#define SMALL_PACK IK_SOURCE_DIR "/tests/packs/good/minimal.json"
/* saved with the pack's 1.0.0: restoring it applies each answer that
 * still fits and asks again for the others */
#define FBS_SESSION                                                            \
    IK_SOURCE_DIR "/tests/fuzz/corpus/session/older-pack-fbs-1.0.0.json"

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
        assert_null(doc.blocks);
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
    for (i = 0; i < 20000; i++) /* a regular file: one buffer of its size */
        fputs("[1, 2],\n", f);
    assert_int_equal(fclose(f), 0);
    assert_true(fail_each_allocation(read_once, path) > 0);
    unlink(path);
}

/* A FIFO (no writer) is refused before anything is allocated, and at
 * once: opening it for reading used to block forever. (The buffer that
 * grows serves files that report no size or grow while read.) */
static void test_reading_a_fifo_is_refused_at_once(void **state)
{
    static char path[] = IK_BINARY_DIR "/test_errorpaths_read.fifo";

    (void)state;
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    ik_alloc_fail_after(1);
    assert_int_equal(read_once(path), IK_ENOENT);
    ik_alloc_fail_after(0);
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

/* ---- Rule packs ---- */

static ik_status load_once(void *ctx)
{
    ik_rulebook *rb = NULL;
    ik_error err;
    ik_status st = ik_rulebook_load_file(ctx, &rb, &err);

    if (st != IK_OK)
        assert_null(rb);
    ik_rulebook_free(rb);
    return st;
}

static void test_loading_a_pack_fails_cleanly(void **state)
{
    static char path[] = SMALL_PACK;

    (void)state;
    assert_true(fail_each_allocation(load_once, path) > 10);
}

static void ignore_diag(const ik_diag *d, void *ctx)
{
    (void)d;
    (void)ctx;
}

static ik_status check_once(void *ctx)
{
    return ik_rulebook_check_file(ctx, ignore_diag, NULL);
}

static void test_checking_a_pack_fails_cleanly(void **state)
{
    static char path[] = SMALL_PACK;

    (void)state;
    assert_true(fail_each_allocation(check_once, path) > 10);
}

static void test_checking_a_pack_with_errors_fails_cleanly(void **state)
{
    static char path[] =
        IK_SOURCE_DIR "/tests/packs/bad/lint_warnings_with_an_error.json";
    long n;

    (void)state;
    /* It never succeeds: loop until the pack's own error comes back. */
    for (n = 1; n < MAX_STEPS; n++) {
        ik_status st;
        ik_alloc_fail_after(n);
        st = check_once(path);
        ik_alloc_fail_after(0);
        if (st != IK_ENOMEM)
            break;
    }
    assert_true(n > 10 && n < MAX_STEPS);
    assert_int_not_equal(check_once(path), IK_OK);
}

/* ---- JsonLogic ---- */

static const char logic_text[] =
    "{\"if\": [{\"and\": [{\"var\": \"a\"}, {\">\": [{\"var\": \"b.c\"}, 2]}]},"
    " {\"cat\": [\"x\", {\"var\": \"a\"}, {\"substr\": [\"hello\", 1, 3]}]},"
    " {\"map\": [{\"merge\": [[1, 2], {\"var\": \"xs\"}]},"
    " {\"+\": [{\"var\": \"\"}, 1]}]}]}";
static const char data_text[] =
    "{\"a\": true, \"b\": {\"c\": 1}, \"xs\": [3, 4, \"5\"]}";

static ik_status eval_json_once(void *ctx)
{
    char *result = NULL;
    ik_error err;
    ik_status st;

    (void)ctx;
    st = ik_logic_eval_json(logic_text, strlen(logic_text), data_text,
                            strlen(data_text), &result, &err);
    if (st != IK_OK)
        assert_null(result);
    ik_logic_free_string(result);
    return st;
}

static void test_compiling_and_evaluating_fails_cleanly(void **state)
{
    (void)state;
    assert_true(fail_each_allocation(eval_json_once, NULL) > 5);
}

static ik_status compile_eval_once(void *ctx)
{
    static const char expr[] = "{\"cat\": [{\"var\": \"a\"}, \"!\"]}";
    ik_logic *lg = NULL;
    ik_arena scratch;
    ik_value slots[8] = {{0}}, v;
    ik_env env = {{0}, slots, 0, NULL, 0, NULL};
    uint32_t slot;
    ik_expr e;
    ik_error err;
    ik_status st;

    (void)ctx;
    ik_arena_init(&scratch);
    env.scratch = &scratch;
    st = ik_logic_new(&lg, &err);
    if (st == IK_OK)
        st = ik_logic_define(lg, "a", &slot, &err);
    if (st == IK_OK) {
        ik_logic_set_strict(lg, true);
        st = ik_logic_compile_text(lg, expr, strlen(expr), &e, &err);
    }
    if (st == IK_OK) {
        slots[slot] = ik_str("pain", 4);
        env.nslots = ik_logic_nslots(lg);
        st = ik_logic_eval(lg, e, &env, &v, &err);
    }
    ik_arena_fini(&scratch);
    ik_logic_free(lg);
    return st;
}

static void test_a_compiled_program_fails_cleanly(void **state)
{
    (void)state;
    assert_true(fail_each_allocation(compile_eval_once, NULL) > 1);
}

/* ---- The interview, sessions and batch, on the bundled pack ---- */

static ik_rulebook *fbs;

static int load_fbs(void **state)
{
    ik_error err;

    (void)state;
    return ik_rulebook_load_file(FBS_PACK, &fbs, &err) == IK_OK ? 0 : -1;
}

static int free_fbs(void **state)
{
    (void)state;
    ik_rulebook_free(fbs);
    fbs = NULL;
    return 0;
}

static ik_status interview_once(void *ctx)
{
    static const char *const answers[] = {"yes", "1", "4", "no", "none", "1"};
    ik_interview *iv = NULL;
    ik_error err;
    ik_status st;
    char *json = NULL;
    size_t i;

    (void)ctx;
    st = ik_interview_new(fbs, "nurse", &iv, &err);
    for (i = 0; st == IK_OK && i < sizeof answers / sizeof *answers; i++) {
        st = ik_interview_answer(iv, answers[i], strlen(answers[i]), &err);
        if (st == IK_EANSWER)
            st = ik_interview_skip(iv, &err);
    }
    if (st == IK_OK)
        st = ik_interview_back(iv, &err);
    if (st == IK_OK)
        st = ik_interview_outcome_json(iv, &json, &err);
    ik_interview_free_string(json);
    ik_interview_free(iv);
    return st;
}

static void test_an_interview_fails_cleanly(void **state)
{
    (void)state;
    assert_true(fail_each_allocation(interview_once, NULL) > 1);
}

static void read_text(const char *path, char **text, size_t *len)
{
    ik_error err;

    assert_int_equal(ik_json_read_file(path, IK_JSON_MAX_FILE, text, len, &err),
                     IK_OK);
}

static ik_status session_once(void *ctx)
{
    const char *text = ctx;
    ik_session *s = NULL;
    ik_interview *iv = NULL;
    ik_session_resume info;
    ik_error err;
    ik_status st;
    ik_buf b;

    ik_buf_init(&b);
    st = ik_session_load_text(text, strlen(text), "s.json", &s, &err);
    if (st == IK_OK) {
        ik_session_write_json(s, &b);
        st = ik_buf_status(&b);
    }
    if (st == IK_OK)
        st = ik_session_restore(s, fbs, &iv, &info, &err);
    if (st == IK_OK) /* the saved interview is complete: change the last */
        st = ik_interview_back(iv, &err);
    if (st == IK_OK)
        st = ik_interview_answer(iv, "", 0, &err); /* keep the earlier */
    if (st == IK_OK)
        st = ik_session_sync(s, iv, 1800000000, &err);
    if (st == IK_EIO) /* sync saves to the file s came from: there is none */
        st = IK_OK;
    ik_interview_free(iv);
    ik_session_free(s);
    ik_buf_fini(&b);
    return st;
}

static void test_loading_and_restoring_a_session_fails_cleanly(void **state)
{
    size_t len;
    char *text = NULL;

    (void)state;
    read_text(FBS_SESSION, &text, &len);
    assert_true(fail_each_allocation(session_once, text) > 10);
    ik_free(text);
}

static ik_status new_session_once(void *ctx)
{
    ik_session *s = NULL;
    ik_interview *iv = NULL;
    const ik_outcome *o;
    ik_error err;
    ik_status st;

    (void)ctx;
    st = ik_session_new(fbs, IK_AUD_NURSE, "Bed 4", 1800000000, &s, &err);
    if (st == IK_OK)
        st = ik_session_record(s, IK_EV_ANSWER, "had_spine_surgery",
                               ik_bool(true), 1800000001, &err);
    if (st == IK_OK)
        st = ik_session_set_position(s, "surgery_when", &err);
    if (st == IK_OK)
        st = ik_interview_new(fbs, "nurse", &iv, &err);
    if (st == IK_OK)
        st = ik_interview_compute_outcome(iv, &o, &err);
    if (st == IK_OK)
        st = ik_session_set_outcome(s, fbs, o, &err);
    ik_interview_free(iv);
    ik_session_free(s);
    return st;
}

static void test_building_a_session_fails_cleanly(void **state)
{
    (void)state;
    assert_true(fail_each_allocation(new_session_once, NULL) > 1);
}

static ik_status batch_once(void *ctx)
{
    static const char *const lines[] = {
        "{\"had_spine_surgery\": true, \"surgery_when\": \"over_1_year\"}",
        "{\"had_spine_surgery\": \"perhaps\"}",
        "{\"cauda_equina_signs\": [\"bladder_bowel\"]}",
    };
    ik_batch b;
    ik_buf out;
    ik_error err;
    ik_status st;
    size_t i;

    st = ik_batch_init(&b, fbs, ctx ? fbs : NULL, &err);
    if (st != IK_OK)
        return st;
    ik_buf_init(&out);
    for (i = 0; st == IK_OK && i < sizeof lines / sizeof *lines; i++) {
        st = ik_batch_record(&b, i + 1, lines[i], strlen(lines[i]), &out, &err);
        if (st == IK_EANSWER)
            st = IK_OK;
    }
    if (st == IK_OK)
        st = ik_buf_status(&out);
    ik_buf_fini(&out);
    ik_batch_fini(&b);
    return st;
}

static void test_batch_records_fail_cleanly(void **state)
{
    static int diff = 1;

    (void)state;
    assert_true(fail_each_allocation(batch_once, NULL) > 1);
    assert_true(fail_each_allocation(batch_once, &diff) > 1);
}

/* ---- Privacy: messages name the question, not the answer ---- */

#define SECRET "XYZZY my private pain story"

static void test_yes_no_refusal_does_not_repeat_the_answer(void **state)
{
    ik_interview *iv = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(ik_interview_new(fbs, NULL, &iv, &err), IK_OK);
    assert_int_equal(ik_interview_answer(iv, SECRET, strlen(SECRET), &err),
                     IK_EANSWER);
    assert_null(strstr(err.msg, "XYZZY"));
    ik_interview_free(iv);
}

static void test_recorded_value_errors_name_the_question(void **state)
{
    ik_error err;
    uint32_t q;

    (void)state;
    for (q = 0; q < fbs->nquestions; q++) {
        const ik_question *qu = &fbs->questions[q];
        if (ik_answer_check(qu, ik_str(SECRET, strlen(SECRET)), &err) == IK_OK)
            continue; /* a text question takes it */
        assert_null(strstr(err.msg, "XYZZY"));
        assert_non_null(strstr(err.msg, qu->id));
    }
}

static void test_answers_file_errors_do_not_repeat_the_answer(void **state)
{
    static const char line[] = "{\"had_spine_surgery\": \"" SECRET "\"}";
    ik_value answers[512];
    ik_arena a;
    ik_error err;
    ik_buf out;

    (void)state;
    assert_true(fbs->nquestions <= 512);
    ik_arena_init(&a);
    assert_int_equal(
        ik_answers_json_parse(fbs, line, strlen(line), "", &a, answers, &err),
        IK_EANSWER);
    assert_null(strstr(err.msg, "XYZZY"));
    assert_non_null(strstr(err.msg, "had_spine_surgery"));
    ik_buf_init(&out);
    ik_batch_write_error(&out, 1, &err);
    assert_null(strstr(ik_buf_cstr(&out), "XYZZY"));
    ik_buf_fini(&out);
    ik_arena_fini(&a);
}

static void test_session_errors_do_not_repeat_the_answer(void **state)
{
    static const char yes[] = "\"answer\": true";
    size_t len, n;
    char *text = NULL, *bad;
    ik_session *s = NULL;
    ik_error err;

    (void)state;
    read_text(FBS_SESSION, &text, &len);
    /* Make the first recorded answer a string the question cannot take. */
    assert_non_null(strstr(text, yes));
    n = (size_t)(strstr(text, yes) - text);
    bad = malloc(len + sizeof SECRET + 16);
    assert_non_null(bad);
    memcpy(bad, text, n);
    sprintf(bad + n, "\"answer\": \"%s\"%s", SECRET, text + n + strlen(yes));
    if (ik_session_load_text(bad, strlen(bad), "s.json", &s, &err) == IK_OK) {
        ik_interview *iv = NULL;
        ik_session_resume info;
        assert_int_equal(ik_session_restore(s, fbs, &iv, &info, &err), IK_OK);
        assert_true(info.refused > 0);
        assert_null(strstr(info.first_refused.msg, "XYZZY"));
        ik_interview_free(iv);
        ik_session_free(s);
    } else {
        assert_null(strstr(err.msg, "XYZZY"));
    }
    free(bad);
    ik_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_parse_with_positions_fails_cleanly),
        cmocka_unit_test(test_json_fast_parse_reports_memory_not_syntax),
        cmocka_unit_test(test_reading_a_file_fails_cleanly),
        cmocka_unit_test(test_reading_a_fifo_is_refused_at_once),
        cmocka_unit_test(test_buffer_out_of_memory_is_sticky_and_clean),
        cmocka_unit_test(test_arena_out_of_memory_returns_null_cleanly),
        cmocka_unit_test(test_loading_a_pack_fails_cleanly),
        cmocka_unit_test(test_checking_a_pack_fails_cleanly),
        cmocka_unit_test(test_checking_a_pack_with_errors_fails_cleanly),
        cmocka_unit_test(test_compiling_and_evaluating_fails_cleanly),
        cmocka_unit_test(test_a_compiled_program_fails_cleanly),
        cmocka_unit_test(test_an_interview_fails_cleanly),
        cmocka_unit_test(test_loading_and_restoring_a_session_fails_cleanly),
        cmocka_unit_test(test_building_a_session_fails_cleanly),
        cmocka_unit_test(test_batch_records_fail_cleanly),
        cmocka_unit_test(test_yes_no_refusal_does_not_repeat_the_answer),
        cmocka_unit_test(test_recorded_value_errors_name_the_question),
        cmocka_unit_test(test_answers_file_errors_do_not_repeat_the_answer),
        cmocka_unit_test(test_session_errors_do_not_repeat_the_answer),
    };
    /* this test program owns the process: route cJSON through the
     * failing allocator too (the library never sets cJSON's hooks) */
    ik_alloc_init_cjson();
    return cmocka_run_group_tests(tests, load_fbs, free_fbs);
}
