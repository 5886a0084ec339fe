/*
 * test_limits.c -- every documented resource bound (docs/LIMITS.md) is
 * enforced with a clear error: inputs at the bound are accepted, one past
 * it is refused, and absurd sizes (100,000 levels of nesting) fail cleanly
 * without exhausting the stack. docs/LIMITS.md names the test for each
 * bound. No test here may depend on timing.
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
#include "buf.h"
#include "answer.h"
#include "intake/interview.h"
#include "json.h"
#include "logic.h"
#include "rulebook.h"
#include "session.h"

#define IK_BATCH_MAX_LINE (1024 * 1024) /* engine/cli/cmd_batch.c */

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

/* ---- Rule packs ---- */

static void
test_pack_file_past_the_limit_is_refused_by_load_and_check(void **state)
{
    const char *path = IK_BINARY_DIR "/test_limits_pack.json";
    ik_rulebook *rb = NULL;
    ik_error err;

    (void)state;
    make_file(path, (off_t)IK_JSON_MAX_FILE + 1);
    assert_int_equal(ik_rulebook_load_file(path, &rb, &err), IK_ELIMIT);
    assert_null(rb);
    assert_non_null(strstr(err.msg, "larger than"));
    unlink(path);
}

/* A small valid pack whose questions part is `questions` (a JSON array). */
static char *pack_with(const char *questions)
{
    static const char head[] =
        "{\"format\": \"intake-rules/1\", \"id\": \"limits\", "
        "\"version\": \"1.0.0\", \"title\": \"Limits\", "
        "\"disclaimer\": \"Test.\", \"safety_net\": \"Get help.\", "
        "\"get_help\": \"Call 112.\", \"dispositions\": [{\"id\": "
        "\"routine\", \"label\": \"Routine\", \"advice\": \"Wait.\"}], "
        "\"questions\": ";
    size_t n = strlen(head) + strlen(questions) + 2;
    char *s = malloc(n);

    assert_non_null(s);
    snprintf(s, n, "%s%s}", head, questions);
    return s;
}

static ik_status load_pack(const char *questions, ik_rulebook **rb,
                           ik_error *err)
{
    char *text = pack_with(questions);
    ik_status st;

    ik_error_clear(err);
    st = ik_rulebook_load_text(text, strlen(text), "limits.json", rb, err);
    free(text);
    return st;
}

static void test_text_max_length_up_to_10000_is_accepted(void **state)
{
    ik_rulebook *rb = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(load_pack("[{\"id\": \"t\", \"type\": \"text\", "
                               "\"text\": \"Tell us\", \"max_length\": 10000}]",
                               &rb, &err),
                     IK_OK);
    assert_int_equal(rb->questions[0].max_length, 10000);
    ik_rulebook_free(rb);
    assert_int_equal(load_pack("[{\"id\": \"t\", \"type\": \"text\", "
                               "\"text\": \"Tell us\", \"max_length\": 10001}]",
                               &rb, &err),
                     IK_ERULES);
    assert_null(rb);
    assert_non_null(strstr(err.msg, "from 1 to 10000"));
}

typedef struct diag_count {
    int n, errors;
    char last[256];
} diag_count;

static void count_diag(const ik_diag *d, void *ctx)
{
    diag_count *c = ctx;

    c->n++;
    c->errors += d->severity == IK_SEV_ERROR;
    snprintf(c->last, sizeof c->last, "%s", d->where.msg);
}

static void test_check_reports_at_most_100_diagnostics(void **state)
{
    const char *path = IK_BINARY_DIR "/test_limits_diags.json";
    char *qs = malloc(200 * 64 + 16), *text;
    size_t off = 0;
    diag_count c = {0, 0, ""};
    FILE *f;
    int i;

    (void)state;
    assert_non_null(qs);
    qs[off++] = '[';
    for (i = 0; i < 200; i++) /* 200 questions of an unknown type */
        off += (size_t)sprintf(qs + off,
                               "%s{\"id\": \"q%d\", \"type\": \"bogus\", "
                               "\"text\": \"?\"}",
                               i ? "," : "", i);
    qs[off++] = ']';
    qs[off] = '\0';
    text = pack_with(qs);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ik_rulebook_check_file(path, count_diag, &c), IK_ERULES);
    assert_int_equal(c.n, IK_MAX_DIAGNOSTICS + 1);
    assert_non_null(strstr(c.last, "too many errors; stopped after 100"));
    free(text);
    free(qs);
    unlink(path);
}

/* ---- JsonLogic ---- */

/* {"!": {"!": ... true ...}} with `depth` operators. */
static char *nots(size_t depth, size_t *len)
{
    size_t i, n = depth * 7 + 4 + depth + 1;
    char *s = malloc(n);

    assert_non_null(s);
    *len = 0;
    for (i = 0; i < depth; i++) {
        memcpy(s + *len, "{\"!\": ", 6);
        *len += 6;
    }
    memcpy(s + *len, "true", 4);
    *len += 4;
    for (i = 0; i < depth; i++)
        s[(*len)++] = '}';
    s[*len] = '\0';
    return s;
}

static ik_status compile_nots(size_t depth, ik_error *err)
{
    size_t len;
    char *s = nots(depth, &len);
    ik_logic *lg = NULL;
    ik_expr e;
    ik_status st;

    assert_int_equal(ik_logic_new(&lg, err), IK_OK);
    ik_error_clear(err);
    st = ik_logic_compile_text(lg, s, len, &e, err);
    ik_logic_free(lg);
    free(s);
    return st;
}

static void test_logic_nesting_at_the_limit_compiles(void **state)
{
    ik_error err;

    (void)state;
    assert_int_equal(compile_nots(IK_LOGIC_MAX_DEPTH, &err), IK_OK);
}

static void test_logic_nesting_past_the_limit_is_a_compile_error(void **state)
{
    ik_error err;
    ik_status st;

    (void)state;
    st = compile_nots(IK_LOGIC_MAX_DEPTH + 1, &err);
    assert_true(st == IK_ELOGIC || st == IK_ELIMIT);
    assert_true(err.line == 1 && err.col > 1);
    assert_non_null(strstr(err.msg, "64"));
}

static void test_logic_nesting_of_100000_levels_fails_cleanly(void **state)
{
    ik_error err;

    (void)state;
    assert_int_equal(compile_nots(100000, &err), IK_ESYNTAX);
}

/* An array of n ones as JSON data {"xs": [1, ...]}. */
static char *ones(size_t n, size_t *len)
{
    char *s = malloc(n * 2 + 16);
    size_t i;

    assert_non_null(s);
    *len = (size_t)sprintf(s, "{\"xs\": [");
    for (i = 0; i < n; i++)
        *len += (size_t)sprintf(s + *len, "%s1", i ? "," : "");
    *len += (size_t)sprintf(s + *len, "]}");
    return s;
}

/* {"all": [{"var": "xs"}, {"all": [L, ... {"var": ""} ...]}]} with `levels`
 * nested `all`s, L a literal array of n ones and xs the same in the data:
 * n^levels evaluations, and no allocation. */
static char *nested_all(int levels, size_t n)
{
    char *s = malloc((size_t)levels * (n * 2 + 32) + 64), *p = s;
    int k;
    size_t i;

    assert_non_null(s);
    p += sprintf(p, "{\"all\": [{\"var\": \"xs\"}, ");
    for (k = 1; k < levels; k++) {
        p += sprintf(p, "{\"all\": [[");
        for (i = 0; i < n; i++)
            p += sprintf(p, "%s1", i ? "," : "");
        p += sprintf(p, "], ");
    }
    p += sprintf(p, "{\"var\": \"\"}");
    for (k = 0; k < levels; k++)
        p += sprintf(p, "]}");
    return s;
}

static ik_status eval_all(int levels, char **result, ik_error *err)
{
    size_t dlen;
    char *data = ones(300, &dlen), *logic = nested_all(levels, 300);
    ik_status st;

    ik_error_clear(err);
    st = ik_logic_eval_json(logic, strlen(logic), data, dlen, result, err);
    free(data);
    free(logic);
    return st;
}

static void test_evaluation_stops_at_the_default_budget(void **state)
{
    char *result = NULL;
    ik_error err;

    (void)state;
    /* 300^3 = 27 million evaluations > the budget of 10 million */
    assert_int_equal(eval_all(3, &result, &err), IK_ELOGIC);
    assert_null(result);
    assert_non_null(strstr(err.msg, "budget"));
}

static void test_evaluation_within_the_budget_completes(void **state)
{
    char *result = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(eval_all(2, &result, &err), IK_OK); /* 90,000 */
    assert_string_equal(result, "true");
    ik_logic_free_string(result);
}

/* logic evaluated over {"xs": [1 x n]} */
static ik_status eval_over_ones(const char *logic, size_t n, char **result,
                                ik_error *err)
{
    size_t dlen;
    char *data = ones(n, &dlen);
    ik_status st;

    ik_error_clear(err);
    st = ik_logic_eval_json(logic, strlen(logic), data, dlen, result, err);
    free(data);
    return st;
}

/* {"reduce": [xs, {"cat": [acc, acc]}, "ab"]}: 2^(n+1) bytes from about
 * 3n node evaluations, so only a memory bound can stop it. */
static ik_status eval_doubling(size_t n, char **result, ik_error *err)
{
    return eval_over_ones(
        "{\"reduce\": [{\"var\": \"xs\"}, {\"cat\": [{\"var\": "
        "\"accumulator\"}, {\"var\": \"accumulator\"}]}, \"ab\"]}",
        n, result, err);
}

static void test_evaluation_memory_within_the_limit_is_given(void **state)
{
    char *result = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(eval_doubling(20, &result, &err), IK_OK); /* 2 MiB */
    assert_int_equal(strlen(result), (2u << 20) + 2);
    ik_logic_free_string(result);
}

static void test_evaluation_memory_past_the_limit_is_refused(void **state)
{
    char *result = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(eval_doubling(40, &result, &err), IK_ELIMIT); /* 2 TiB */
    assert_null(result);
    assert_non_null(strstr(err.msg, "more than 128 MiB"));
}

enum { FOLD_ITEMS = 30000, FOLD_LEN = 1000 };

/* before, then an expression that reads no data and folds to a map of
 * FOLD_ITEMS strings of FOLD_LEN bytes (about 29 MiB kept), then after:
 * malloc'd, its length in *n. */
static char *big_fold_text(const char *before, const char *after, size_t *n)
{
    char *text =
        malloc(FOLD_ITEMS * 2 + FOLD_LEN + 64 + strlen(before) + strlen(after));
    size_t k;

    assert_non_null(text);
    *n = (size_t)sprintf(text, "%s{\"map\": [[", before);
    for (k = 0; k < FOLD_ITEMS; k++)
        *n += (size_t)sprintf(text + *n, k ? ",0" : "0");
    *n += (size_t)sprintf(text + *n, "], \"");
    memset(text + *n, 'x', FOLD_LEN);
    *n += FOLD_LEN;
    *n += (size_t)sprintf(text + *n, "\"]}%s", after);
    return text;
}

/* A program of many expressions that read no data, each folding to a
 * map of 30,000 strings of 1,000 bytes (about 29 MiB kept): the folds
 * stop keeping values at IK_LOGIC_MAX_FOLDED in all, and the expressions
 * left unfolded give the same value when evaluated. */
static void test_constant_folds_stop_at_their_total_bound(void **state)
{
    enum { N = 3, ITEMS = FOLD_ITEMS, LEN = FOLD_LEN };
    const size_t kept = (size_t)ITEMS * (sizeof(ik_value) + LEN + 1);
    ik_logic *lg = NULL;
    ik_expr e[N];
    ik_error err;
    ik_arena scratch;
    size_t nconst = 0, i, k, n;
    char *text = big_fold_text("", "", &n);

    (void)state;
    ik_error_clear(&err);
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    ik_arena_init(&scratch);
    for (i = 0; i < N; i++) {
        ik_env env = {ik_undef(), NULL, 0, &scratch, 0, NULL};
        ik_value v;

        assert_int_equal(ik_logic_compile_text(lg, text, n, &e[i], &err),
                         IK_OK);
        if (ik_logic_is_const(lg, e[i], &v))
            nconst++;
        ik_arena_reset(&scratch);
        assert_int_equal(ik_logic_eval(lg, e[i], &env, &v, &err), IK_OK);
        assert_int_equal(v.kind, IK_ARR);
        assert_int_equal(v.len, ITEMS);
        for (k = 0; k < ITEMS; k++) {
            assert_int_equal(v.u.items[k].kind, IK_STR);
            assert_int_equal(v.u.items[k].len, LEN);
            assert_int_equal(v.u.items[k].u.str[LEN - 1], 'x');
        }
    }
    assert_true(nconst >= 1);                       /* folding still works */
    assert_true(nconst * kept <= IK_LOGIC_MAX_FOLDED); /* and stops */
    assert_true(nconst < N);
    ik_arena_fini(&scratch);
    ik_logic_free(lg);
    free(text);
}

/* A compile that fails gives back what its folds took with the memory
 * they took: two failing expressions, each folding the map of about 29
 * MiB before the unknown operator after it, then the map alone, which
 * still folds. Before, the failed compiles' folds stayed counted (the
 * memory went back to the arena), so after them nothing large folded
 * again in that program; in `intake check` of a pack, a later
 * {"missing": [["q1"]]}, whose key list was then not folded, was a
 * spurious error ("reads answers without naming them"). */
static void test_a_failed_compile_gives_back_its_folds(void **state)
{
    ik_logic *lg = NULL;
    ik_error err;
    ik_expr e;
    ik_value v;
    size_t nbad, ngood;
    char *bad = big_fold_text("{\"if\": [", ", {\"nosuchop\": 1}]}", &nbad);
    char *good = big_fold_text("", "", &ngood);
    int i;

    (void)state;
    ik_error_clear(&err);
    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    for (i = 0; i < 2; i++) {
        assert_int_equal(ik_logic_compile_text(lg, bad, nbad, &e, &err),
                         IK_ELOGIC);
        assert_non_null(strstr(err.msg, "nosuchop"));
    }
    assert_int_equal(ik_logic_compile_text(lg, good, ngood, &e, &err), IK_OK);
    assert_true(ik_logic_is_const(lg, e, &v));
    assert_int_equal(v.kind, IK_ARR);
    assert_int_equal(v.len, FOLD_ITEMS);
    ik_logic_free(lg);
    free(bad);
    free(good);
}

/* {"reduce": [xs, [acc], 0]}: a value nested as deep as xs is long. */
static const char wrap_logic[] =
    "{\"reduce\": [{\"var\": \"xs\"}, [{\"var\": \"accumulator\"}], 0]}";

static ik_status eval_wrap(size_t n, const char *logic, char **result,
                           ik_error *err)
{
    size_t dlen;
    char *data = ones(n, &dlen);
    ik_status st;

    ik_error_clear(err);
    *result = NULL;
    st = ik_logic_eval_json(logic, strlen(logic), data, dlen, result, err);
    free(data);
    return st;
}

static void test_values_nested_up_to_1000_are_written(void **state)
{
    char *result = NULL;
    ik_error err;
    size_t i;

    (void)state;
    assert_int_equal(eval_wrap(IK_VALUE_MAX_DEPTH, wrap_logic, &result, &err),
                     IK_OK);
    for (i = 0; i < IK_VALUE_MAX_DEPTH; i++)
        assert_int_equal(result[i], '[');
    assert_int_equal(result[i], '0');
    ik_logic_free_string(result);
}

static void test_values_nested_past_1000_are_refused_as_built(void **state)
{
    char *result = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(
        eval_wrap(IK_VALUE_MAX_DEPTH + 1, wrap_logic, &result, &err),
        IK_ELIMIT);
    assert_string_equal(err.msg, "value nested deeper than 1000 levels");
    assert_null(result);
}

static void test_values_nested_300000_deep_fail_cleanly(void **state)
{
    char *result = NULL;
    ik_error err;

    (void)state;
    /* Refused at the 1001st wrap: nothing that deep is ever built. */
    assert_int_equal(eval_wrap(300000, wrap_logic, &result, &err), IK_ELIMIT);
    assert_string_equal(err.msg, "value nested deeper than 1000 levels");
    assert_null(result);
}

static void test_every_way_to_nest_a_value_is_bounded(void **state)
{
    /* the accumulator wrapped by map, by missing, by the reduce frame
     * itself ({"var": ""}), and an object through it */
    static const char *const logic[] = {
        "{\"reduce\": [{\"var\": \"xs\"}, {\"map\": [[{\"var\": "
        "\"accumulator\"}], [{\"var\": \"\"}]]}, 0]}",
        "{\"reduce\": [{\"var\": \"xs\"}, {\"missing\": [\"nope\", {\"var\": "
        "\"accumulator\"}]}, 0]}",
        "{\"reduce\": [{\"var\": \"xs\"}, {\"var\": \"\"}, 0]}",
        "{\"reduce\": [{\"var\": \"xs\"}, {\"if\": [true, [{\"var\": "
        "\"accumulator\"}]]}, 0]}",
    };
    char *result = NULL;
    ik_error err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof logic / sizeof *logic; i++) {
        /* map wraps twice a step ([[acc]]), the others once */
        size_t ok = i == 0 ? IK_VALUE_MAX_DEPTH / 2 : IK_VALUE_MAX_DEPTH;

        assert_int_equal(eval_wrap(ok, logic[i], &result, &err), IK_OK);
        ik_logic_free_string(result);
        assert_int_equal(eval_wrap(ok + 1, logic[i], &result, &err), IK_ELIMIT);
        assert_string_equal(err.msg, "value nested deeper than 1000 levels");
    }
}

/* [[op, {"reduce": [xs, [acc, acc], s]}, other]], {"xs": [1 x 60], "s":
 * 64 KiB}]: an operand whose String() is 2^60 copies of s. */
static ik_status eval_shared_text(const char *op, const char *other,
                                  ik_error *err, char **result)
{
    static const char text[] =
        "[{\"%s\": [{\"reduce\": [{\"var\": \"xs\"}, [{\"var\": "
        "\"accumulator\"}, {\"var\": \"accumulator\"}], {\"var\": "
        "\"s\"}]}%s]}, {\"xs\": [%s], \"s\": \"%s\"}]";
    char xs[200], *s = malloc(65537), *pair;
    size_t i, n = 0;
    ik_status st;

    for (i = 0; i < 60; i++)
        n += (size_t)sprintf(xs + n, "%s1", i ? "," : "");
    assert_non_null(s);
    memset(s, 'x', 65536);
    s[65536] = '\0';
    pair = malloc(sizeof text + strlen(op) + strlen(other) + n + 65536);
    assert_non_null(pair);
    sprintf(pair, text, op, other, xs, s);
    ik_error_clear(err);
    *result = NULL;
    st = ik_logic_eval_pair(pair, strlen(pair), result, err);
    free(pair);
    free(s);
    return st;
}

static void test_shared_values_are_measured_once(void **state)
{
    /* [acc, acc] each step: 2^60 paths through 61 arrays. Depth is
     * remembered per array, so building it is quick; its String() (for
     * cat, ==, <, arithmetic, var) costs a node visit a byte, so it stops
     * at the evaluation's budget (10 M: well before the 128 MiB memory
     * bound, which took seconds to reach), and its JSON at 128 MiB,
     * instead of running for ever. */
    static const char *const ops[][2] = {
        {"cat", ""}, {"==", ", \"x\""},  {"<", ", \"x\""}, {"+", ""},
        {"var", ""}, {"in", ", \"xx\""}, {"substr", ""},
    };
    char *result = NULL;
    ik_error err;
    size_t i;

    (void)state;
    assert_int_equal(eval_shared_text("!!", "", &err, &result), IK_OK);
    assert_string_equal(result, "true");
    ik_logic_free_string(result);
    for (i = 0; i < sizeof ops / sizeof *ops; i++) {
        assert_int_equal(eval_shared_text(ops[i][0], ops[i][1], &err, &result),
                         IK_ELOGIC);
        assert_string_equal(err.msg, "evaluation exceeded its budget");
        assert_null(result);
    }
    /* as a result, its JSON text stops at the same size */
    assert_int_equal(eval_shared_text("merge", "", &err, &result), IK_ELIMIT);
    assert_string_equal(err.msg, "result longer than 128 MiB as JSON");
    assert_null(result);
}

/* {"cat": [{"reduce": [xs, [acc, acc], "ab"]}]}: the String() of 2^n
 * leaves "ab", 3 x 2^n - 1 bytes, from about 3n node evaluations. */
static ik_status eval_shared_cat(size_t n, char **result, ik_error *err)
{
    return eval_over_ones(
        "{\"cat\": [{\"reduce\": [{\"var\": \"xs\"}, [{\"var\": "
        "\"accumulator\"}, {\"var\": \"accumulator\"}], \"ab\"]}]}",
        n, result, err);
}

static void test_text_of_an_array_costs_a_node_visit_a_byte(void **state)
{
    char *result = NULL;
    ik_error err;

    (void)state;
    /* 3 MiB of text: within the 10 M budget */
    assert_int_equal(eval_shared_cat(20, &result, &err), IK_OK);
    assert_int_equal(strlen(result), 3 * (1u << 20) - 1 + 2); /* quoted */
    ik_logic_free_string(result);
    /* 12 MiB: past it, though far within the memory bound */
    assert_int_equal(eval_shared_cat(22, &result, &err), IK_ELOGIC);
    assert_string_equal(err.msg, "evaluation exceeded its budget");
    assert_null(result);
}

static void test_derived_value_nested_300000_deep_fails_cleanly(void **state)
{
    /* A pack whose derived value nests 300,000 deep (a reduce body reads
     * the accumulator, so nothing is folded; intake batch crashed on such
     * a pack): the first outcome, computed at the start, refuses it. */
    static const char q[] =
        "[{\"id\": \"p\", \"type\": \"yes_no\", \"text\": \"Pain?\"}], "
        "\"derived\": [{\"id\": \"deep\", \"value\": {\"reduce\": [{\"merge\": "
        "[%s, %s, %s, %s, %s]}, [{\"var\": \"accumulator\"}], 0]}}]";
    size_t n = 60000, i, len = 0;
    char *ones60k = malloc(n * 2 + 3), *qs;
    ik_rulebook *rb = NULL;
    ik_interview *iv = NULL;
    ik_error err;

    (void)state;
    assert_non_null(ones60k);
    ones60k[len++] = '[';
    for (i = 0; i < n; i++) {
        ones60k[len++] = '1';
        ones60k[len++] = ',';
    }
    ones60k[len - 1] = ']';
    ones60k[len] = '\0';
    qs = malloc(sizeof q + 5 * len);
    assert_non_null(qs);
    sprintf(qs, q, ones60k, ones60k, ones60k, ones60k, ones60k);
    assert_int_equal(load_pack(qs, &rb, &err), IK_OK);
    assert_int_equal(ik_interview_new(rb, NULL, &iv, &err), IK_ELIMIT);
    assert_non_null(strstr(err.msg, "value nested deeper than 1000 levels"));
    assert_null(iv);
    ik_rulebook_free(rb);
    free(qs);
    free(ones60k);
}

static void
test_derived_value_of_shared_parts_is_named_as_too_large(void **state)
{
    /* [acc, acc] 40 times over: cheap to evaluate (the halves are shared)
     * but 2^40 leaves to copy into the outcome. The error names the
     * derived value and says why, rather than "out of memory". */
    static const char q[] =
        "[{\"id\": \"p\", \"type\": \"yes_no\", \"text\": \"Pain?\"}], "
        "\"derived\": [{\"id\": \"huge\", \"value\": {\"reduce\": "
        "[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,"
        "25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40], [{\"var\": "
        "\"accumulator\"}, {\"var\": \"accumulator\"}], \"ab\"]}}]";
    ik_rulebook *rb = NULL;
    ik_interview *iv = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(load_pack(q, &rb, &err), IK_OK);
    assert_int_equal(ik_interview_new(rb, NULL, &iv, &err), IK_ELIMIT);
    assert_string_equal(err.msg, "the value of \"huge\" is nested deeper "
                                 "than 1000 levels or larger than 128 MiB");
    assert_null(iv);
    ik_rulebook_free(rb);
}

/* A pack whose derived value "a" nests 1,000 deep and whose "b" is
 * `b_value` over it. */
static ik_status interview_with_b(const char *b_value, ik_error *err)
{
    static const char q[] =
        "[{\"id\": \"p\", \"type\": \"yes_no\", \"text\": \"Pain?\"}], "
        "\"derived\": [{\"id\": \"a\", \"value\": {\"reduce\": [[%s], "
        "[{\"var\": \"accumulator\"}], 0]}}, {\"id\": \"b\", \"value\": %s}]";
    char *xs = malloc(IK_VALUE_MAX_DEPTH * 2 + 1), *qs;
    ik_rulebook *rb = NULL;
    ik_interview *iv = NULL;
    size_t i, n = 0;
    ik_status st;

    assert_non_null(xs);
    for (i = 0; i < IK_VALUE_MAX_DEPTH; i++)
        n += (size_t)sprintf(xs + n, "%s1", i ? "," : "");
    qs = malloc(sizeof q + n + strlen(b_value));
    assert_non_null(qs);
    sprintf(qs, q, xs, b_value);
    st = load_pack(qs, &rb, err);
    if (st == IK_OK)
        st = ik_interview_new(rb, NULL, &iv, err);
    ik_interview_free(iv);
    ik_rulebook_free(rb);
    free(qs);
    free(xs);
    return st;
}

static void
test_a_value_built_over_another_past_the_bound_is_refused(void **state)
{
    ik_error err;

    (void)state;
    assert_int_equal(interview_with_b("{\"var\": \"a\"}", &err), IK_OK);
    assert_int_equal(interview_with_b("{\"merge\": [{\"var\": \"a\"}]}", &err),
                     IK_OK);
    /* an array literal around it */
    assert_int_equal(interview_with_b("[{\"var\": \"a\"}]", &err), IK_ELIMIT);
    assert_string_equal(err.msg,
                        "derived value \"b\": value nested deeper than 1000 "
                        "levels");
    /* the whole data as an object around it: a pack may not read the
     * whole data (issue 14), so the pack does not load */
    assert_int_equal(interview_with_b("{\"var\": \"\"}", &err), IK_ERULES);
    assert_non_null(strstr(err.msg, "reads answers without naming them"));
}

/* [[[...x...]]]: depth arrays around a number, built by hand in a. */
static ik_value hand_nested(size_t depth, ik_arena *a)
{
    ik_value v = ik_num(7);
    size_t i;

    for (i = 0; i < depth; i++) {
        ik_value *item = ik_arena_alloc(a, sizeof *item);

        assert_non_null(item);
        *item = v;
        v = (ik_value){IK_ARR, 1, {.items = item}};
    }
    return v;
}

static void test_copying_a_value_past_the_depth_bound_is_refused(void **state)
{
    ik_arena a, b;
    ik_value out;

    (void)state;
    ik_arena_init(&a);
    ik_arena_init(&b);
    assert_int_equal(
        ik_value_copy(hand_nested(IK_VALUE_MAX_DEPTH, &a), &b, &out), IK_OK);
    assert_int_equal(
        ik_value_copy(hand_nested(IK_VALUE_MAX_DEPTH + 1, &a), &b, &out),
        IK_ELIMIT);
    assert_int_equal(ik_value_copy(hand_nested(300000, &a), &b, &out),
                     IK_ELIMIT);
    ik_arena_fini(&a);
    ik_arena_fini(&b);
}

/* A pack of n derived values, each a reduce over 101 items (100 and the
 * answer to p) of a reduce over 20,000 ones: 6 to 8 million node visits
 * each, within the 10 million one evaluation may take. */
static ik_status interview_with_heavy(int n, ik_error *err)
{
    static const char head[] =
        "[{\"id\": \"p\", \"type\": \"yes_no\", \"text\": \"Pain?\"}], "
        "\"derived\": [";
    ik_rulebook *rb = NULL;
    ik_interview *iv = NULL;
    ik_buf b;
    ik_status st;
    int d, i;

    ik_buf_init(&b);
    ik_buf_puts(&b, head);
    for (d = 0; d < n; d++) {
        ik_buf_printf(&b, "%s{\"id\": \"h%d\", \"value\": {\"reduce\": "
                      "[{\"merge\": [[", d ? ", " : "", d);
        for (i = 0; i < 100; i++)
            ik_buf_puts(&b, i ? ",1" : "1");
        ik_buf_puts(&b, "], {\"var\": \"p\"}]}, {\"reduce\": [[");
        for (i = 0; i < 20000; i++)
            ik_buf_puts(&b, i ? ",1" : "1");
        ik_buf_puts(&b, "], {\"+\": [{\"var\": \"accumulator\"}, {\"var\": "
                        "\"current\"}]}, {\"var\": \"accumulator\"}]}, 0]}}");
    }
    ik_buf_puts(&b, "]");
    assert_int_equal(ik_buf_status(&b), IK_OK);
    st = load_pack(ik_buf_cstr(&b), &rb, err);
    if (st == IK_OK)
        st = ik_interview_new(rb, NULL, &iv, err);
    ik_interview_free(iv);
    ik_rulebook_free(rb);
    ik_buf_fini(&b);
    return st;
}

/* issue 18 item 6: 50 derived values each just within the budget of one
 * evaluation made each answer take 10.8 s. The evaluations of one answer
 * now share a total budget (IK_LOGIC_TOTAL_BUDGET, 50 million; starting
 * an interview computes the outcome and then the applied answers, each
 * evaluating every derived value, each with a pool of its own, as an
 * answer's step has: 9 heavy values, 54 to 72 million, pass it), and the
 * error names the derived value that ran out, not the question. */
static void test_the_evaluations_of_one_answer_share_a_total_budget(
    void **state)
{
    ik_error err;

    (void)state;
    if (interview_with_heavy(2, &err) != IK_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(interview_with_heavy(9, &err), IK_ELOGIC);
    assert_non_null(strstr(err.msg, "evaluation exceeded the total budget "
                                    "of one answer or record"));
    assert_true(strncmp(err.msg, "derived value \"h", 16) == 0);
}

/* issue 18 item 6: under `ulimit -v 200000`, `intake eval` of [acc, acc]
 * 60 times hung: the JSON writer stopped at its size bound but not when
 * its buffer could not grow, and went on through 2^60 leaves. Now the
 * buffer's failure stops it at once (a hang here is the ctest timeout). */
static void test_writing_a_value_of_shared_parts_stops_when_memory_fails(
    void **state)
{
    ik_value level[60][2], v = ik_str("ab", 2);
    ik_buf b;
    long n;
    int i;

    (void)state;
    for (i = 0; i < 60; i++) { /* 2^60 leaves in 60 pairs */
        level[i][0] = level[i][1] = v;
        v = (ik_value){IK_ARR, 2, {.items = level[i]}};
    }
    for (n = 1; n <= 3; n++) { /* the buffer's first, second, third growth */
        ik_buf_init(&b);
        ik_alloc_fail_after(n);
        assert_int_equal(ik_value_write_json(&b, v), IK_ENOMEM);
        ik_alloc_fail_after(0);
        assert_true(b.len <= (size_t)1 << 20);
        ik_buf_fini(&b);
    }
}

static void test_copying_a_value_of_shared_parts_stops_at_128_mib(void **state)
{
    ik_value level[64][2], v = ik_str("ab", 2), out;
    ik_arena a;
    int i;

    (void)state;
    for (i = 0; i < 64; i++) { /* 2^64 leaves in 64 pairs */
        level[i][0] = level[i][1] = v;
        v = (ik_value){IK_ARR, 2, {.items = level[i]}};
    }
    ik_arena_init(&a);
    assert_int_equal(ik_value_copy(v, &a, &out), IK_ELIMIT);
    assert_true(a.used <= IK_VALUE_MAX_TEXT + 4096);
    ik_arena_fini(&a);
    ik_arena_init(&a);
    /* 2^18 leaves (about 9 MiB copied) fit */
    assert_int_equal(ik_value_copy(level[19][0], &a, &out), IK_OK);
    assert_int_equal(out.u.items[1].u.items[0].kind, IK_ARR);
    ik_arena_fini(&a);
}

/* {"in": [needle, hay]} with hay n 'a's and needle n/2 'a's then c: the
 * worst case of a search that compares at every position. */
static ik_status eval_in_worst(size_t n, char c, char **result, ik_error *err)
{
    static const char logic[] =
        "{\"in\": [{\"var\": \"n\"}, {\"var\": \"h\"}]}";
    char *data = malloc(n * 2 + 32);
    size_t len, m = n / 2;
    ik_status st;

    assert_non_null(data);
    len = (size_t)sprintf(data, "{\"n\": \"");
    memset(data + len, 'a', m);
    len += m;
    len += (size_t)sprintf(data + len, "%c\", \"h\": \"", c);
    memset(data + len, 'a', n);
    len += n;
    len += (size_t)sprintf(data + len, "\"}");
    ik_error_clear(err);
    st = ik_logic_eval_json(logic, strlen(logic), data, len, result, err);
    free(data);
    return st;
}

static void test_in_on_strings_is_linear_in_the_worst_case(void **state)
{
    char *result = NULL;
    ik_error err;

    (void)state;
    /* A 1 MB hay and a 0.5 MB needle: seconds with a comparison at
     * every position (docs/LIMITS.md has the figures), milliseconds with
     * memmem. Only the results are checked here, never the time. */
    assert_int_equal(eval_in_worst(1000000, 'b', &result, &err), IK_OK);
    assert_string_equal(result, "false");
    ik_logic_free_string(result);
    assert_int_equal(eval_in_worst(1000000, 'a', &result, &err), IK_OK);
    assert_string_equal(result, "true");
    ik_logic_free_string(result);
}

/* ---- Answers ---- */

static ik_question question(ik_qtype type)
{
    static ik_option opts[] = {
        {"back", {{"Back", "Back"}}, 4},
        {"leg", {{"Leg", "Leg"}}, 3},
    };
    ik_question q;

    memset(&q, 0, sizeof q);
    q.id = "q";
    q.type = type;
    q.options = opts;
    q.noptions = type == IK_Q_MULTI || type == IK_Q_CHOICE ? 2 : 0;
    q.min = -1e9;
    q.max = 1e9;
    q.enable_when = IK_NO_EXPR;
    return q;
}

static ik_status answer(const ik_question *q, const char *text, size_t len,
                        ik_value *v, ik_error *err)
{
    static ik_arena a;
    ik_status st;

    ik_arena_init(&a);
    ik_error_clear(err);
    st = ik_answer_parse(q, IK_AUD_PATIENT, text, len, &a, v, err);
    ik_arena_fini(&a); /* v's items are not read after this */
    return st;
}

static char *filled(size_t n, char c)
{
    char *s = malloc(n + 1);

    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_answer_line_past_the_limit_is_refused(void **state)
{
    ik_question q = question(IK_Q_NUMBER);
    char *s = filled(IK_ANSWER_MAX_LINE + 1, '1');
    ik_value v;
    ik_error err;

    (void)state;
    assert_int_equal(answer(&q, s, IK_ANSWER_MAX_LINE + 1, &v, &err),
                     IK_EANSWER);
    assert_non_null(strstr(err.msg, "too long"));
    free(s);
}

static void test_text_answer_of_default_length_is_accepted(void **state)
{
    ik_question q = question(IK_Q_TEXT);
    char *s = filled(IK_TEXT_MAX + 1, 'a');
    ik_value v;
    ik_error err;

    (void)state;
    assert_int_equal(answer(&q, s, IK_TEXT_MAX, &v, &err), IK_OK);
    assert_int_equal(answer(&q, s, IK_TEXT_MAX + 1, &v, &err), IK_EANSWER);
    assert_null(strstr(err.msg, "aaaa")); /* the answer is not repeated */
    q.max_length = 10;
    assert_int_equal(answer(&q, s, 10, &v, &err), IK_OK);
    assert_int_equal(answer(&q, s, 11, &v, &err), IK_EANSWER);
    free(s);
}

static void test_multi_answer_records_each_option_once(void **state)
{
    ik_question q = question(IK_Q_MULTI);
    ik_arena a;
    size_t n = 40000, i;
    char *s = malloc(n * 2 + 1);
    ik_value v;
    ik_error err;

    (void)state;
    assert_non_null(s);
    for (i = 0; i < n; i++) {
        s[2 * i] = i % 2 ? '2' : '1';
        s[2 * i + 1] = ',';
    }
    s[2 * n - 1] = '\0';
    ik_arena_init(&a);
    assert_int_equal(
        ik_answer_parse(&q, IK_AUD_PATIENT, s, 2 * n - 1, &a, &v, &err), IK_OK);
    assert_int_equal(v.kind, IK_ARR);
    assert_int_equal(v.len, 2); /* never more items than options */
    ik_arena_fini(&a);
    free(s);
}

/* ---- Sessions ---- */

static void test_session_file_past_the_limit_is_refused(void **state)
{
    const char *path = IK_BINARY_DIR "/test_limits_session.json";
    ik_session *s = NULL;
    ik_error err;

    (void)state;
    make_file(path, (off_t)IK_SESSION_MAX_FILE + 1);
    ik_error_clear(&err);
    assert_int_equal(ik_session_load_file(path, &s, &err), IK_ESESSION);
    assert_null(s);
    assert_non_null(strstr(err.msg, "larger than"));
    unlink(path);
}

static void test_session_label_past_the_limit_is_refused(void **state)
{
    ik_rulebook *rb = NULL;
    ik_session *s = NULL;
    char *label = filled(IK_SESSION_MAX_LABEL + 1, 'b');
    ik_error err;

    (void)state;
    assert_int_equal(load_pack("[{\"id\": \"p\", \"type\": \"yes_no\", "
                               "\"text\": \"Pain?\"}]",
                               &rb, &err),
                     IK_OK);
    label[IK_SESSION_MAX_LABEL] = '\0';
    assert_int_equal(ik_session_new(rb, IK_AUD_PATIENT, label, 0, &s, &err),
                     IK_OK);
    ik_session_free(s);
    s = NULL;
    label[IK_SESSION_MAX_LABEL] = 'b';
    assert_int_equal(ik_session_new(rb, IK_AUD_PATIENT, label, 0, &s, &err),
                     IK_EANSWER);
    assert_null(s);
    ik_rulebook_free(rb);
    free(label);
}

/* ---- Batch ---- */

/* Run `intake batch` on the bundled pack with `lines` as input; returns its
 * output (free it) and exit status. */
static char *run_batch(const char *input, size_t len, int *status)
{
    const char *in = IK_BINARY_DIR "/test_limits_batch.in";
    const char *out = IK_BINARY_DIR "/test_limits_batch.out";
    char cmd[4096], *text = NULL;
    size_t n = 0;
    ik_error err;
    FILE *f = fopen(in, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(input, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd,
             "'%s' batch --rules '%s/rules/failed-back-syndrome.json' "
             "< '%s' > '%s' 2>/dev/null",
             IK_INTAKE_EXE, IK_SOURCE_DIR, in, out);
    *status = system(cmd);
    assert_int_equal(ik_json_read_file(out, IK_JSON_MAX_FILE, &text, &n, &err),
                     IK_OK);
    unlink(in);
    unlink(out);
    return text;
}

/* An answers line padded with spaces to exactly `len` bytes, then "\n"
 * and a second, short line (both lack required answers: refused). */
static char *padded_lines(size_t len, size_t *total)
{
    static const char rec[] = "{\"had_spine_surgery\": false}";
    static const char second[] = "{\"had_spine_surgery\": true}\n";
    char *s = malloc(len + sizeof second + 1);

    assert_non_null(s);
    memset(s, ' ', len);
    memcpy(s, rec, sizeof rec - 1);
    s[len] = '\n';
    memcpy(s + len + 1, second, sizeof second);
    *total = len + 1 + sizeof second - 1;
    return s;
}

static void test_batch_line_at_the_limit_is_processed(void **state)
{
    size_t total;
    char *in = padded_lines(IK_BATCH_MAX_LINE, &total), *out;
    int status;

    (void)state;
    out = run_batch(in, total, &status);
    assert_int_equal(status, 0);
    /* Both records are read (and refused for the answers they lack). */
    assert_null(strstr(out, "longer than"));
    assert_non_null(strstr(out, "{\"line\":1,"));
    assert_non_null(strstr(out, "\n{\"line\":2,"));
    ik_free(out);
    free(in);
}

static void test_batch_line_past_the_limit_is_refused_and_skipped(void **state)
{
    size_t total;
    char *in = padded_lines(IK_BATCH_MAX_LINE + 1, &total), *out;
    int status;

    (void)state;
    out = run_batch(in, total, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "{\"line\":1,\"error\":\"line longer than "
                                "1048576 bytes\"}\n{\"line\":2,"));
    ik_free(out);
    free(in);
}

static void test_a_pack_in_memory_past_the_size_bound_is_refused(void **state)
{
    static const char text[] = "{}";
    ik_rulebook *rb = NULL;
    ik_error err;

    (void)state;
    /* The length alone decides: nothing past the bound is read. */
    assert_int_equal(ik_rulebook_load_text(text, (size_t)IK_JSON_MAX_FILE + 1,
                                           "big.json", &rb, &err),
                     IK_ELIMIT);
    assert_null(rb);
    assert_non_null(strstr(err.msg, "larger than"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_pack_in_memory_past_the_size_bound_is_refused),
        cmocka_unit_test(test_json_nesting_at_the_limit_is_accepted),
        cmocka_unit_test(test_json_nesting_past_the_limit_names_the_place),
        cmocka_unit_test(test_json_nesting_of_100000_levels_fails_cleanly),
        cmocka_unit_test(test_file_larger_than_the_pack_limit_is_refused),
        cmocka_unit_test(test_file_of_exactly_the_pack_limit_is_read),
        cmocka_unit_test(
            test_pack_file_past_the_limit_is_refused_by_load_and_check),
        cmocka_unit_test(test_text_max_length_up_to_10000_is_accepted),
        cmocka_unit_test(test_check_reports_at_most_100_diagnostics),
        cmocka_unit_test(test_logic_nesting_at_the_limit_compiles),
        cmocka_unit_test(test_logic_nesting_past_the_limit_is_a_compile_error),
        cmocka_unit_test(test_logic_nesting_of_100000_levels_fails_cleanly),
        cmocka_unit_test(test_evaluation_stops_at_the_default_budget),
        cmocka_unit_test(test_evaluation_within_the_budget_completes),
        cmocka_unit_test(test_evaluation_memory_within_the_limit_is_given),
        cmocka_unit_test(test_evaluation_memory_past_the_limit_is_refused),
        cmocka_unit_test(test_constant_folds_stop_at_their_total_bound),
        cmocka_unit_test(test_a_failed_compile_gives_back_its_folds),
        cmocka_unit_test(test_values_nested_up_to_1000_are_written),
        cmocka_unit_test(test_values_nested_past_1000_are_refused_as_built),
        cmocka_unit_test(test_values_nested_300000_deep_fail_cleanly),
        cmocka_unit_test(test_every_way_to_nest_a_value_is_bounded),
        cmocka_unit_test(test_shared_values_are_measured_once),
        cmocka_unit_test(test_text_of_an_array_costs_a_node_visit_a_byte),
        cmocka_unit_test(test_derived_value_nested_300000_deep_fails_cleanly),
        cmocka_unit_test(
            test_derived_value_of_shared_parts_is_named_as_too_large),
        cmocka_unit_test(
            test_a_value_built_over_another_past_the_bound_is_refused),
        cmocka_unit_test(test_copying_a_value_past_the_depth_bound_is_refused),
        cmocka_unit_test(test_copying_a_value_of_shared_parts_stops_at_128_mib),
        cmocka_unit_test(
            test_writing_a_value_of_shared_parts_stops_when_memory_fails),
        cmocka_unit_test(
            test_the_evaluations_of_one_answer_share_a_total_budget),
        cmocka_unit_test(test_in_on_strings_is_linear_in_the_worst_case),
        cmocka_unit_test(test_answer_line_past_the_limit_is_refused),
        cmocka_unit_test(test_text_answer_of_default_length_is_accepted),
        cmocka_unit_test(test_multi_answer_records_each_option_once),
        cmocka_unit_test(test_session_file_past_the_limit_is_refused),
        cmocka_unit_test(test_session_label_past_the_limit_is_refused),
        cmocka_unit_test(test_batch_line_at_the_limit_is_processed),
        cmocka_unit_test(test_batch_line_past_the_limit_is_refused_and_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
