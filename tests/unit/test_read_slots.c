/*
 * test_read_slots.c -- ik_json_read_slots, the record reader that reads a
 * line's bytes straight into the slots a program's conditions read: the
 * same slots as parsing the line into a tree and binding it, the same
 * refusals and messages as json.c, strings borrowed from the line, and
 * out of memory reported cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "answers_json.h"
#include "buf.h"
#include "json.h"
#include "logic.h"
#include "value.h"

/* A program that reads a, b, c, contact (a path) and tried. */
static ik_logic *program(void)
{
    static const char *const exprs[] = {
        "{\"var\":\"a\"}", "{\"var\":\"b\"}", "{\"var\":\"c\"}",
        "{\"var\":\"contact.phone\"}", "{\"in\":[\"x\",{\"var\":\"tried\"}]}"};
    ik_logic *lg = NULL;
    ik_error err;
    ik_expr e;
    size_t i;

    assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
    for (i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
        assert_int_equal(
            ik_logic_compile_text(lg, exprs[i], strlen(exprs[i]), &e, &err),
            IK_OK);
    assert_int_equal(ik_logic_nslots(lg), 5);
    return lg;
}

/* Slot i's value as JSON text ("-" for absent), appended to b. */
static void write_slots(const ik_value *slots, uint32_t n, ik_buf *b)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        if (slots[i].kind == IK_UNDEF)
            ik_buf_putc(b, '-');
        else
            ik_value_write_json(b, slots[i]);
        ik_buf_putc(b, '|');
    }
}

static const char *const records[] = {
    "{\"a\":1,\"b\":\"yes\",\"c\":[\"x\",\"y\"],\"id\":\"P1\"}",
    "{\"id\":\"P2\",\"a\":-0.5,\"c\":null}", /* other order, b absent */
    "{\"a\":1,\"b\":\"no\",\"extra\":{\"k\":[1,2]},\"c\":true}",
    "{\"contact\":{\"phone\":\"07\\u0031\",\"postcode\":\"AB1\"},"
    "\"tried\":[\"m\\u0065ds\",\"x\"]}",
    " {\"b\" : \"\\u00e9\\n\\\"\" , \"a\" : 1e3 , \"tried\" : [] } ",
    "{}",
    "{\"a\":12345678901234567890,\"b\":0.1,\"c\":3.14159,\"tried\":"
    "[1,2.5,-7e-3]}",
    "{\"a\":1,\"b\":\"yes\",\"c\":[\"x\",\"y\"],\"id\":\"P1\"}"};

static void test_records_read_into_the_slots_a_parsed_tree_binds(void **state)
{
    ik_logic *lg = program();
    uint32_t ns = ik_logic_nslots(lg);
    ik_value want[5], got[5];
    ik_bind_cache c1, c2;
    ik_slot_map map = {lg, &c2, 0}, plain = {lg, NULL, 0};
    ik_arena a;
    ik_error err;
    size_t i;
    int pass;

    (void)state;
    memset(&c1, 0, sizeof c1);
    memset(&c2, 0, sizeof c2);
    ik_arena_init(&a);
    /* twice over, so the key-order caches see every order after every
     * other */
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < sizeof records / sizeof records[0]; i++) {
            const char *t = records[i];
            ik_json_doc doc;
            ik_buf bw, bg, bp;
            int k;

            ik_buf_init(&bw);
            ik_buf_init(&bg);
            ik_buf_init(&bp);
            assert_int_equal(
                ik_json_parse(t, strlen(t), "", IK_JSON_POSITIONS, &doc, &err),
                IK_OK);
            assert_true(ik_logic_bind_cjson(lg, doc.root, want, &a, &c1));
            write_slots(want, ns, &bw);
            for (k = 0; k < 2; k++) {
                assert_int_equal(
                    ik_json_read_slots(t, strlen(t), "", &a, ik_logic_slot_of,
                                       k ? &map : &plain, got, ns, &err),
                    IK_OK);
                write_slots(got, ns, k ? &bg : &bp);
            }
            assert_string_equal(bg.data, bw.data);
            assert_string_equal(bp.data, bw.data);
            ik_buf_fini(&bw);
            ik_buf_fini(&bg);
            ik_buf_fini(&bp);
            ik_json_doc_fini(&doc);
            ik_arena_reset(&a);
        }
    ik_arena_fini(&a);
    ik_logic_free(lg);
}

static void
test_strings_without_escapes_are_borrowed_from_the_line(void **state)
{
    static const char t[] = "{\"b\":\"yes\",\"c\":[\"x\"],\"a\":\"\\u0041\"}";
    ik_logic *lg = program();
    ik_slot_map map = {lg, NULL, 0};
    ik_value s[5];
    ik_arena a;
    ik_error err;

    (void)state;
    ik_arena_init(&a);
    assert_int_equal(ik_json_read_slots(t, strlen(t), "", &a, ik_logic_slot_of,
                                        &map, s, 5, &err),
                     IK_OK);
    assert_ptr_equal(s[ik_logic_find(lg, "b")].u.str, strstr(t, "yes"));
    assert_ptr_equal(s[ik_logic_find(lg, "c")].u.items[0].u.str,
                     strstr(t, "x\""));
    /* an escape is decoded into the arena */
    assert_int_equal(s[ik_logic_find(lg, "a")].len, 1);
    assert_memory_equal(s[ik_logic_find(lg, "a")].u.str, "A", 1);
    ik_arena_fini(&a);
    ik_logic_free(lg);
}

/* t[0..n) is refused by the reader as json.c refuses it (the same
 * message at the same line and column; a text json.c takes is refused
 * only as not an object); *e2 is the reader's error. */
static void refused_alike(ik_logic *lg, ik_arena *a, const char *t, size_t n,
                          ik_error *e2)
{
    ik_slot_map map = {lg, NULL, 0};
    ik_value s[5];
    ik_error e1;
    ik_json_doc doc;
    ik_status js, rs;

    js = ik_json_parse(t, n, "t", IK_JSON_POSITIONS, &doc, &e1);
    ik_json_doc_fini(&doc);
    rs = ik_json_read_slots(t, n, "t", a, ik_logic_slot_of, &map, s, 5, e2);
    if (js == IK_OK ? rs != IK_EANSWER : rs != IK_ESYNTAX)
        fail_msg("%s: json.c says %d, the reader %d (%s)", t, js, rs, e2->msg);
    if (rs == IK_ESYNTAX && (strcmp(e1.msg, e2->msg) != 0 ||
                             e1.line != e2->line || e1.col != e2->col))
        fail_msg("%s: json.c %d:%d %s, the reader %d:%d %s", t, e1.line,
                 e1.col, e1.msg, e2->line, e2->col, e2->msg);
    ik_arena_reset(a);
}

static void test_read_slots_refuses_what_json_c_refuses(void **state)
{
    static const char *const inputs[] = {
        "{\"a\": 1, \"a\": 2}",           /* two slots */
        "{\"x\": 1, \"y\": 2, \"x\": 3}", /* two others */
        "{\"a\": {\"k\": 1, \"k\": 2}}",
        "{\"a\": 01}",
        "{\"a\": 1.}",
        "{\"a\": 1e}",
        "{\"a\": 1e999}",
        "{\"a\": -}",
        "{\"a\": \"\\x\"}",
        "{\"a\": \"\\u0000\"}",
        "{\"a\": \"\\ud800\"}",
        "{\"a\": [1, 2,]}",
        "{\"a\": 1,}",
        "{\"a\" 1}",
        "{1: 2}",
        "[1]",
        "\"a\"",
        "",
        "{\"a\": 1} x",
        "{\"a\": \"\xc3\x28\"}",
        "{\"a\": tru}",
        "{\"a\": \"line\nbreak\"}",
        "{\"a\": [1, {\"b\": 2}",
    };
    ik_logic *lg = program();
    ik_slot_map map = {lg, NULL, 0};
    ik_value s[5];
    ik_arena a;
    ik_error e2;
    size_t i;

    (void)state;
    ik_arena_init(&a);
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        refused_alike(lg, &a, inputs[i], strlen(inputs[i]), &e2);
    /* Of two duplicates, the reader names the first member (in text
     * order) whose key an earlier one has, as ik_answers_json_parse does
     * (json.c may name another: the later of the pair first found) */
    for (i = 0; i < 2; i++) {
        const char *t = i ? "{\"x\": 1, \"a\": 1, \"a\": 2, \"x\": 2}"
                          : "{\"a\": 1, \"x\": 1, \"x\": 2, \"a\": 2}";

        assert_int_equal(ik_json_read_slots(t, strlen(t), "t", &a,
                                            ik_logic_slot_of, &map, s, 5, &e2),
                         IK_ESYNTAX);
        assert_string_equal(e2.msg,
                            i ? "duplicate key \"a\"" : "duplicate key \"x\"");
        assert_int_equal(e2.col, 18);
        ik_arena_reset(&a);
    }
    ik_arena_fini(&a);
    ik_logic_free(lg);
}

static void test_read_slots_reports_every_allocation_failure(void **state)
{
    static const char t[] =
        "{\"id\":\"P\\u0031\",\"a\":[[1],[2],[3]],\"b\":\"\\u00e9\","
        "\"x1\":1,\"x2\":2,\"x3\":3,\"x4\":4,\"x5\":5,\"x6\":6,\"x7\":7,"
        "\"x8\":8,\"x9\":9,\"contact\":{\"phone\":\"0\\u0031\"}}";
    ik_logic *lg = program();
    ik_slot_map map = {lg, NULL, 0};
    ik_value s[5];
    ik_error err;
    long n;

    (void)state;
    for (n = 1;; n++) {
        ik_arena a;
        ik_status st;

        ik_arena_init(&a);
        ik_alloc_fail_after(n);
        st = ik_json_read_slots(t, strlen(t), "", &a, ik_logic_slot_of, &map, s,
                                5, &err);
        ik_alloc_fail_after(0);
        ik_arena_fini(&a);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_true(n < 10000);
    }
    assert_true(n > 1); /* the loop injected failures */
    ik_logic_free(lg);
}

/* A text with a NUL inside is refused at its first NUL, whatever else is
 * wrong before it, as json.c refuses it (which looks for a NUL first). */
static void test_a_nul_inside_is_named_before_anything_else(void **state)
{
    static const struct {
        const char *t;
        size_t n;
    } inputs[] = {
        {"{\"a\": 1, \"a\": 2}\0x", 18}, /* a duplicate first */
        {"{\"a\": \"x\0\"}", 11},        /* inside a string */
        {"{\"a\": 1e999}\0", 13},         /* out of range first */
        {"{\"a\": x}\0", 9},              /* a syntax error first */
        {"{\"a\":\0 1}", 9},
        {"{\"a\": [1, 2\0", 12}, /* unclosed */
        {"\0", 1},
        {"{\"b\": \"abcdefghijklmnopqrstuvwxyz\0abcdefghijklmnop\"}", 52},
    };
    ik_logic *lg = program();
    ik_arena a;
    ik_error e2;
    size_t i;

    (void)state;
    ik_arena_init(&a);
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        refused_alike(lg, &a, inputs[i].t, inputs[i].n, &e2);
        assert_string_equal(e2.msg, "NUL byte in JSON text");
    }
    ik_arena_fini(&a);
    ik_logic_free(lg);
}

/* A number literal: the double strtod reads (bit for bit: -0 is not 0),
 * through ik_num_read, through the reader (which gathers the digits as it
 * scans and converts the short ones without strtod) and through json.c's
 * tree, or refused as out of range where strtod overflows. */
static void check_number(ik_logic *lg, ik_arena *a, const char *lit)
{
    char text[128];
    ik_slot_map map = {lg, NULL, 0};
    ik_value s[5];
    ik_error err;
    ik_json_doc doc;
    double want = strtod(lit, NULL), got = ik_num_read(lit, strlen(lit));
    int n = snprintf(text, sizeof text, "{\"a\":%s}", lit);
    ik_status st;

    if (memcmp(&got, &want, sizeof got) != 0)
        fail_msg("ik_num_read(%s) = %.17g, strtod %.17g", lit, got, want);
    assert_true(n > 0 && (size_t)n < sizeof text);
    st = ik_json_read_slots(text, (size_t)n, "", a, ik_logic_slot_of, &map, s,
                            5, &err);
    if (!isfinite(want)) {
        assert_int_equal(st, IK_ESYNTAX);
        assert_string_equal(err.msg, "number is out of range");
        return;
    }
    assert_int_equal(st, IK_OK);
    got = s[ik_logic_find(lg, "a")].u.num;
    if (memcmp(&got, &want, sizeof got) != 0)
        fail_msg("the reader read %s as %.17g, strtod %.17g", lit, got, want);
    assert_int_equal(ik_json_parse(text, (size_t)n, "", IK_JSON_POSITIONS,
                                   &doc, &err),
                     IK_OK);
    got = doc.root->child->valuedouble;
    ik_json_doc_fini(&doc);
    if (memcmp(&got, &want, sizeof got) != 0)
        fail_msg("json.c read %s as %.17g, strtod %.17g", lit, got, want);
}

static void test_numbers_read_as_strtod_reads_them(void **state)
{
    static const char *const edges[] = {
        "0", "-0", "0.0", "-0.0", "0e5", "-0e-5", "1", "-1", "0.1", "0.2",
        "0.3", "0.30000000000000004", "0.1000000000000000055511151231257827",
        "0.10000000000000001", "0.10000000000000002", "9007199254740991",
        "9007199254740992", "9007199254740993", "9007199254740994",
        "-9007199254740993", "9007199254740992.5", "900719925474099.3",
        "90071992547409.93", "18014398509481985", "123456789012345678",
        "1234567890123456789", "12345678901234567890", "99999999999999999",
        "9999999999999999", "999999999999999", "1.2345678901234567",
        "2.718281828459045", "3.141592653589793", "1.7976931348623157e308",
        "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309",
        "-1e309", "2.2250738585072014e-308", "2.2250738585072011e-308",
        "4.9406564584124654e-324", "5e-324", "2.5e-324", "2.4703282292062328e-324",
        "1e-400", "-1e-400", "1e22", "1e23", "1e-22", "1e-23", "9e22", "9e-22",
        "9007199254740992e22", "9007199254740993e22", "9007199254740992e-22",
        "9007199254740993e-22", "4503599627370497.5", "1E+2", "1e-0",
        "100e-2", "7e-3", "-7E-3", "0.000001", "0.0000001", "123.456e-5",
        "0.9999999999999999", "0.99999999999999999", "0.999999999999999944",
        "1.0000000000000002", "1.00000000000000011102230246251565404236316680908203125",
        "8.98846567431158e307", "3.0e-22", "1.5e22", "0.0000000000000000001",
        "100000000000000000000000", "1e100000", "1e-100000",
    };
    ik_logic *lg = program();
    ik_arena a;
    uint64_t x = 88172645463325252u;
    size_t i;

    (void)state;
    ik_arena_init(&a);
    for (i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        check_number(lg, &a, edges[i]);
        ik_arena_reset(&a);
    }
    /* many more: 1 to 20 digits, a point anywhere, an exponent or none */
    for (i = 0; i < 200000; i++) {
        char lit[64];
        int nd, k, pt, len = 0;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        nd = 1 + (int)(x % 20);
        pt = (int)((x >> 8) % (uint64_t)(nd + 1)); /* nd: no point */
        if ((x >> 16) & 1)
            lit[len++] = '-';
        for (k = 0; k < nd; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            if (k == pt && k > 0)
                lit[len++] = '.';
            /* JSON: no leading zero before other digits */
            lit[len++] = (char)('0' + (k == 0 && nd > 1 && pt != 1
                                           ? 1 + x % 9
                                           : x % 10));
        }
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (x % 3 == 0)
            len += snprintf(lit + len, sizeof lit - (size_t)len, "e%d",
                            (int)(x >> 8) % 61 - 30);
        lit[len] = '\0';
        check_number(lg, &a, lit);
        ik_arena_reset(&a);
    }
    ik_arena_fini(&a);
    ik_logic_free(lg);
}

/* The key cache: a key that differs from the one an earlier record had
 * at its place in one byte, anywhere, of any length, is not taken for
 * it (the cache compares keys by words of 8 and 4 bytes). */
static void test_a_key_one_byte_off_is_not_the_cached_one(void **state)
{
    ik_logic *lg = NULL;
    ik_bind_cache cache;
    ik_slot_map map;
    ik_value s[41];
    ik_arena a;
    ik_error err;
    ik_expr e;
    char key[41], text[128];
    uint32_t len, pos, slot;

    (void)state;
    ik_arena_init(&a);
    for (len = 1; len <= 40; len++) {
        int n;

        for (pos = 0; pos < len; pos++)
            key[pos] = (char)('a' + (pos * 7 + len) % 26);
        key[len] = '\0';
        assert_int_equal(ik_logic_new(&lg, &err), IK_OK);
        n = snprintf(text, sizeof text, "{\"var\":\"%s\"}", key);
        assert_int_equal(ik_logic_compile_text(lg, text, (size_t)n, &e, &err),
                         IK_OK);
        slot = ik_logic_find(lg, key);
        map = (ik_slot_map){lg, &cache, 0};
        for (pos = 0; pos < len; pos++) {
            char was = key[pos];
            int k;

            /* the key itself (the cache learns it), then with byte pos
             * changed */
            memset(&cache, 0, sizeof cache);
            for (k = 0; k < 2; k++) {
                if (k)
                    key[pos] = 'Z';
                n = snprintf(text, sizeof text, "{\"%s\":1}", key);
                assert_int_equal(ik_json_read_slots(text, (size_t)n, "", &a,
                                                    ik_logic_slot_of, &map, s,
                                                    ik_logic_nslots(lg), &err),
                                 IK_OK);
                if (s[slot].kind != (k ? IK_UNDEF : IK_NUM))
                    fail_msg("length %u: %s read %s", len, key,
                             k ? "as the cached key" : "as no key");
                ik_arena_reset(&a);
            }
            key[pos] = was;
        }
        ik_logic_free(lg);
    }
    ik_arena_fini(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_read_into_the_slots_a_parsed_tree_binds),
        cmocka_unit_test(
            test_strings_without_escapes_are_borrowed_from_the_line),
        cmocka_unit_test(test_read_slots_refuses_what_json_c_refuses),
        cmocka_unit_test(test_read_slots_reports_every_allocation_failure),
        cmocka_unit_test(test_a_nul_inside_is_named_before_anything_else),
        cmocka_unit_test(test_numbers_read_as_strtod_reads_them),
        cmocka_unit_test(test_a_key_one_byte_off_is_not_the_cached_one),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
