/*
 * test_answer.c -- typed answers: every accepted form per question type,
 * the refusals and their messages, recorded-value checks, answers in
 * words, and the interview command words. Questions are built by hand,
 * so these tests need no rule pack.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "answer.h"
#include "intake/interview.h"

static ik_option where_options[] = {
    {"back", {{"Back only", "Back only"}}, 4},
    {"both", {{"Both back and leg", "Both back and leg"}}, 4},
    {"leg", {{"Leg only", "Leg only"}}, 3},
};

static ik_option tried_options[] = {
    {"pt", {{"Physical therapy", "Physical therapy"}}, 2},
    {"meds", {{"Medicines", "Medicines"}}, 4},
    {"injection", {{"Injections", "Injections"}}, 9},
};

static ik_question question(ik_qtype type)
{
    ik_question q;

    memset(&q, 0, sizeof q);
    q.id = "q";
    q.type = type;
    q.min = -INFINITY;
    q.max = INFINITY;
    if (type == IK_Q_CHOICE) {
        q.options = where_options;
        q.noptions = 3;
    } else if (type == IK_Q_MULTI) {
        q.options = tried_options;
        q.noptions = 3;
    }
    return q;
}

typedef struct parsed {
    ik_status st;
    ik_value v;
    ik_error err;
} parsed;

static ik_arena arena;

static parsed parse_n(const ik_question *q, const char *text, size_t len)
{
    parsed p;

    ik_error_clear(&p.err);
    memset(&p.v, 0, sizeof p.v);
    p.st = ik_answer_parse(q, IK_AUD_PATIENT, text, len, &arena, &p.v, &p.err);
    return p;
}

static parsed parse(const ik_question *q, const char *text)
{
    return parse_n(q, text, strlen(text));
}

static void expect_refused(const ik_question *q, const char *text,
                           const char *msg_part)
{
    parsed p = parse(q, text);

    assert_int_equal(p.st, IK_EANSWER);
    if (!strstr(p.err.msg, msg_part))
        fail_msg("'%s': message \"%s\" lacks \"%s\"", text, p.err.msg,
                 msg_part);
}

static void expect_str(parsed p, const char *s)
{
    assert_int_equal(p.st, IK_OK);
    assert_int_equal(p.v.kind, IK_STR);
    assert_int_equal(p.v.len, strlen(s));
    assert_memory_equal(p.v.u.str, s, strlen(s));
}

static int setup(void **state)
{
    (void)state;
    ik_arena_init(&arena);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ik_arena_fini(&arena);
    return 0;
}

/* ---- yes_no ---- */

static void test_yes_no_accepts_y_yes_n_no_in_any_case(void **state)
{
    ik_question q = question(IK_Q_YES_NO);
    parsed p;

    (void)state;
    p = parse(&q, "Y");
    assert_int_equal(p.st, IK_OK);
    assert_int_equal(p.v.kind, IK_BOOL);
    assert_true(p.v.u.b);
    p = parse(&q, "  yEs ");
    assert_true(p.st == IK_OK && p.v.kind == IK_BOOL && p.v.u.b);
    p = parse(&q, "n");
    assert_true(p.st == IK_OK && p.v.kind == IK_BOOL && !p.v.u.b);
    p = parse(&q, "NO");
    assert_true(p.st == IK_OK && p.v.kind == IK_BOOL && !p.v.u.b);
}

static void test_yes_no_records_unknown_only_when_allowed(void **state)
{
    ik_question q = question(IK_Q_YES_NO);

    (void)state;
    expect_refused(&q, "dk", "needs a yes or a no");
    q.allow_unknown = true;
    expect_str(parse(&q, "dk"), "unknown");
    expect_str(parse(&q, "Don't know"), "unknown");
    expect_str(parse(&q, "don\xE2\x80\x99t know"), "unknown");
    expect_str(parse(&q, "not sure"), "unknown");
    expect_str(parse(&q, "unsure"), "unknown");
}

static void test_yes_no_refuses_other_words_saying_what_fits(void **state)
{
    ik_question q = question(IK_Q_YES_NO);

    (void)state;
    expect_refused(&q, "maybe", "Please answer yes or no");
    expect_refused(&q, "", "Please answer yes or no");
    expect_refused(&q, "yess", "not a yes or a no");
    q.allow_unknown = true;
    expect_refused(&q, "perhaps", "don't know");
}

static void
test_a_key_is_a_whole_answer_only_when_nothing_longer_starts_with_it(
    void **state)
{
    ik_question q = question(IK_Q_YES_NO);
    static ik_option twelve[12];
    int k;

    (void)state;
    assert_true(ik_answer_is_key(&q, 'y') && ik_answer_is_key(&q, 'N'));
    assert_false(ik_answer_is_key(&q, '?')); /* "not sure" is not allowed */
    assert_false(ik_answer_is_key(&q, '1'));
    q.allow_unknown = true;
    assert_true(ik_answer_is_key(&q, '?'));
    /* "not sure" starts with n: typed out, it must not be taken as "no" */
    assert_false(ik_answer_is_key(&q, 'n') || ik_answer_is_key(&q, 'N'));
    assert_true(ik_answer_is_key(&q, 'y'));
    expect_str(parse(&q, "?"), "unknown"); /* and the key parses */
    q = question(IK_Q_CHOICE);             /* 3 options */
    assert_true(ik_answer_is_key(&q, '1') && ik_answer_is_key(&q, '3'));
    assert_false(ik_answer_is_key(&q, '0') || ik_answer_is_key(&q, '4'));
    assert_false(ik_answer_is_key(&q, 'y'));
    q.options = twelve; /* "1" could start 10, 11 or 12 */
    q.noptions = 12;
    assert_false(ik_answer_is_key(&q, '1'));
    for (k = '2'; k <= '9'; k++)
        assert_true(ik_answer_is_key(&q, k));
    q = question(IK_Q_NUMBER);
    q.integer = true;
    q.min = 0;
    q.max = 10; /* "1" could start "10" */
    assert_true(ik_answer_is_key(&q, '0') && ik_answer_is_key(&q, '2') &&
                ik_answer_is_key(&q, '9'));
    assert_false(ik_answer_is_key(&q, '1') || ik_answer_is_key(&q, '-'));
    q.max = 5; /* 6 is out of range */
    assert_true(ik_answer_is_key(&q, '5') && ik_answer_is_key(&q, '1'));
    assert_false(ik_answer_is_key(&q, '6'));
    q.min = 30;
    q.max = 45; /* no digit alone is in range */
    for (k = '0'; k <= '9'; k++)
        assert_false(ik_answer_is_key(&q, k));
    q = question(IK_Q_NUMBER);
    q.min = 0;
    q.max = 5; /* decimals: "2" could start "2.5" */
    assert_false(ik_answer_is_key(&q, '2'));
    q = question(IK_Q_MULTI); /* "1" could start "1,3" */
    assert_false(ik_answer_is_key(&q, '1'));
    q = question(IK_Q_TEXT);
    assert_false(ik_answer_is_key(&q, 'y'));
    q = question(IK_Q_INFO);
    assert_false(ik_answer_is_key(&q, 'y'));
}

/* ---- choice ---- */

static void test_choice_accepts_number_value_label_and_prefix(void **state)
{
    ik_question q = question(IK_Q_CHOICE);

    (void)state;
    expect_str(parse(&q, "2"), "both");
    expect_str(parse(&q, " 3 "), "leg");
    expect_str(parse(&q, "leg"), "leg");
    expect_str(parse(&q, "LEG ONLY"), "leg");
    expect_str(parse(&q, "bo"), "both");
    expect_str(parse(&q, "Back o"), "back");
}

static void
test_choice_refuses_ambiguous_prefix_naming_the_options(void **state)
{
    ik_question q = question(IK_Q_CHOICE);
    parsed p;

    (void)state;
    p = parse(&q, "b");
    assert_int_equal(p.st, IK_EANSWER);
    assert_non_null(strstr(p.err.msg, "fits more than one option"));
    assert_non_null(strstr(p.err.msg, "1 (Back only)"));
    assert_non_null(strstr(p.err.msg, "2 (Both back and leg)"));
    assert_null(strstr(p.err.msg, "Leg only"));
}

static void test_choice_refuses_missing_options_and_numbers(void **state)
{
    ik_question q = question(IK_Q_CHOICE);

    (void)state;
    expect_refused(&q, "4", "not one of the options");
    expect_refused(&q, "0", "1 to 3");
    expect_refused(&q, "arm", "\"arm\" is not one of the options");
    expect_refused(&q, "", "Please choose an option");
    expect_refused(&q, "99999999999999999999", "not one of the options");
}

static void test_a_refused_long_answer_is_not_echoed(void **state)
{
    ik_question q = question(IK_Q_CHOICE);
    parsed p;

    (void)state;
    p = parse(&q, "my private pain story");
    assert_int_equal(p.st, IK_EANSWER);
    assert_null(strstr(p.err.msg, "private"));
    assert_non_null(strstr(p.err.msg, "That is not one of the options"));
}

static void test_choice_never_takes_a_command_word_as_an_answer(void **state)
{
    ik_question q = question(IK_Q_CHOICE);

    (void)state;
    /* "back" is both an option value and the command: only "1" answers */
    expect_refused(&q, "back", "not one of the options");
    expect_str(parse(&q, "1"), "back");
}

/* ---- multi ---- */

static void expect_items(parsed p, const char *const *want, uint32_t n)
{
    uint32_t i;

    assert_int_equal(p.st, IK_OK);
    assert_int_equal(p.v.kind, IK_ARR);
    assert_int_equal(p.v.len, n);
    for (i = 0; i < n; i++) {
        assert_int_equal(p.v.u.items[i].kind, IK_STR);
        assert_memory_equal(p.v.u.items[i].u.str, want[i], strlen(want[i]));
    }
}

static void test_multi_accepts_numbers_and_words_in_option_order(void **state)
{
    ik_question q = question(IK_Q_MULTI);
    static const char *const pt_inj[] = {"pt", "injection"};
    static const char *const all[] = {"pt", "meds", "injection"};

    (void)state;
    expect_items(parse(&q, "1,3"), pt_inj, 2);
    expect_items(parse(&q, "3 1"), pt_inj, 2);
    expect_items(parse(&q, "3, 1, 1"), pt_inj, 2);
    expect_items(parse(&q, "physical therapy, inj"), pt_inj, 2);
    expect_items(parse(&q, "meds;1 injection"), all, 3);
}

static void test_multi_takes_none_only_when_allowed(void **state)
{
    ik_question q = question(IK_Q_MULTI);
    parsed p;

    (void)state;
    expect_refused(&q, "none", "if none fits, type skip");
    expect_refused(&q, "no", "\"no\" is not one of the options");
    q.allow_none = true;
    p = parse(&q, "None");
    assert_int_equal(p.st, IK_OK);
    assert_int_equal(p.v.kind, IK_ARR);
    assert_int_equal(p.v.len, 0);
    p = parse(&q, "no");
    assert_int_equal(p.st, IK_OK);
    assert_int_equal(p.v.len, 0);
    p = parse(&q, "Nothing");
    assert_int_equal(p.st, IK_OK);
    assert_int_equal(p.v.len, 0);
}

static void test_multi_refuses_unknown_items_and_empty_lines(void **state)
{
    ik_question q = question(IK_Q_MULTI);

    (void)state;
    expect_refused(&q, "1,4", "\"4\" is not one of the options");
    expect_refused(&q, "", "Please type the numbers of all that apply");
    expect_refused(&q, " , ,", "Please type the numbers");
    expect_refused(&q, "1, yoga", "\"yoga\"");
}

/* ---- number ---- */

static void test_number_accepts_integers_decimals_and_a_unit(void **state)
{
    ik_question q = question(IK_Q_NUMBER);
    parsed p;

    (void)state;
    q.min = 0;
    q.max = 600;
    q.unit = "months";
    p = parse(&q, "8");
    assert_true(p.st == IK_OK && p.v.kind == IK_NUM && p.v.u.num == 8);
    p = parse(&q, "8 Months");
    assert_true(p.st == IK_OK && p.v.u.num == 8);
    p = parse(&q, "2.5");
    assert_true(p.st == IK_OK && p.v.u.num == 2.5);
    p = parse(&q, "-0");
    assert_true(p.st == IK_OK && p.v.u.num == 0 && !signbit(p.v.u.num));
    q.integer = true;
    p = parse(&q, "7.0");
    assert_true(p.st == IK_OK && p.v.u.num == 7);
}

static void test_number_refuses_what_is_not_a_plain_decimal(void **state)
{
    ik_question q = question(IK_Q_NUMBER);
    static const char *const bad[] = {
        "1e400",    "nan",  "NaN", "inf", "-inf",
        "Infinity", "0x10", "1e2", "-",   ".",
        "1.2.3",    "ten",  "1,5", "+",   "12345678901234567890123456789012"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused(&q, bad[i], "Please enter a number");
}

static void test_number_out_of_range_says_the_range(void **state)
{
    ik_question q = question(IK_Q_NUMBER);
    parsed p;

    (void)state;
    q.min = 0;
    q.max = 10;
    q.integer = true;
    p = parse(&q, "11");
    assert_int_equal(p.st, IK_EANSWER);
    assert_string_equal(p.err.msg, "That is outside the range. Please enter "
                                   "a whole number from 0 to 10");
    expect_refused(&q, "-1", "from 0 to 10");
    expect_refused(&q, "7.5", "Please use a whole number");
    expect_refused(&q, "", "Please enter a whole number from 0 to 10");
    q.integer = false;
    expect_refused(&q, "7,5", "use a point for decimals");
}

static void test_number_hint_names_open_ranges_and_units(void **state)
{
    ik_question q = question(IK_Q_NUMBER);
    ik_buf b;

    (void)state;
    ik_buf_init(&b);
    q.min = 35.5;
    q.unit = "C";
    ik_answer_hint(&q, IK_AUD_PATIENT, &b);
    assert_string_equal(ik_buf_cstr(&b), "Please enter a number of at least "
                                         "35.5 (C); decimals like 2.5 are "
                                         "fine");
    ik_buf_fini(&b);
}

/* ---- text ---- */

static void test_text_keeps_trimmed_utf8_text(void **state)
{
    ik_question q = question(IK_Q_TEXT);

    (void)state;
    expect_str(parse(&q, "  caf\xC3\xA9 au lait  "), "caf\xC3\xA9 au lait");
    expect_str(parse(&q, "\\back"), "back");
    expect_str(parse(&q, "\\backs"), "\\backs");
}

static void test_text_refuses_bad_bytes_controls_and_length(void **state)
{
    ik_question q = question(IK_Q_TEXT);
    char *big;

    (void)state;
    expect_refused(&q,
                   "a\xFF"
                   "b",
                   "could not be read");
    expect_refused(&q, "\xC0\xAF", "could not be read");     /* overlong */
    expect_refused(&q, "\xED\xA0\x80", "could not be read"); /* surrogate */
    expect_refused(&q, "a\x01z", "control characters");
    expect_refused(&q, "\x1B[31mred", "control characters");
    expect_refused(&q, "a\xC2\x85z", "control characters"); /* C1 NEL */
    expect_refused(&q, "", "Please type something");
    q.max_length = 5;
    expect_refused(&q, "abcdef", "That is 6 characters long");
    /* max_length counts bytes; the message counts characters and says
     * why they add up to more: 3 characters, 6 bytes ("é" is 2). */
    expect_refused(&q, "\xC3\xA9\xC3\xA9\xC3\xA9",
                   "That is 3 characters long, but accented letters and "
                   "symbols count as 2 to 4 each, so it counts as 6. Please "
                   "type your answer (up to 5 characters)");
    expect_str(parse(&q, "\xC3\xA9\xC3\xA9"
                         "a"),
               "\xC3\xA9\xC3\xA9"
               "a");
    expect_str(parse(&q, "abcde"), "abcde");
    big = malloc(IK_ANSWER_MAX_LINE + 2);
    assert_non_null(big);
    memset(big, 'a', IK_ANSWER_MAX_LINE + 1);
    big[IK_ANSWER_MAX_LINE + 1] = '\0';
    expect_refused(&q, big, "far too long");
    free(big);
}

static void test_text_refuses_embedded_nul(void **state)
{
    ik_question q = question(IK_Q_TEXT);
    parsed p = parse_n(&q, "a\0b", 3);

    (void)state;
    assert_int_equal(p.st, IK_EANSWER);
}

static void test_non_text_types_refuse_unreadable_bytes(void **state)
{
    ik_question q = question(IK_Q_NUMBER);

    (void)state;
    expect_refused(&q, "1\xFF", "could not be read");
    q = question(IK_Q_CHOICE);
    expect_refused(&q, "1\x03", "could not be read");
}

/* ---- info ---- */

static void test_info_is_acknowledged_by_enter_or_ok(void **state)
{
    ik_question q = question(IK_Q_INFO);
    parsed p;

    (void)state;
    p = parse(&q, "");
    assert_int_equal(p.st, IK_OK);
    assert_int_equal(p.v.kind, IK_NULL);
    p = parse(&q, "OK");
    assert_int_equal(p.st, IK_OK);
    expect_refused(&q, "blue", "Press Enter to go on");
}

/* ---- Recorded values ---- */

static void test_check_accepts_recorded_values_and_refuses_misfits(void **state)
{
    ik_question yn = question(IK_Q_YES_NO), ch = question(IK_Q_CHOICE);
    ik_question mu = question(IK_Q_MULTI), nu = question(IK_Q_NUMBER);
    ik_value items[2];
    ik_value arr = {IK_ARR, 2, {0}};
    ik_error err;

    (void)state;
    assert_int_equal(ik_answer_check(&yn, ik_bool(true), &err), IK_OK);
    assert_int_equal(ik_answer_check(&yn, ik_null(), &err), IK_OK);
    assert_int_equal(ik_answer_check(&yn, ik_str("unknown", 7), &err),
                     IK_EANSWER);
    yn.allow_unknown = true;
    assert_int_equal(ik_answer_check(&yn, ik_str("unknown", 7), &err), IK_OK);
    assert_int_equal(ik_answer_check(&ch, ik_str("leg", 3), &err), IK_OK);
    assert_int_equal(ik_answer_check(&ch, ik_str("arm", 3), &err), IK_EANSWER);
    items[0] = ik_str("pt", 2);
    items[1] = ik_str("pt", 2);
    arr.u.items = items;
    assert_int_equal(ik_answer_check(&mu, arr, &err), IK_EANSWER);
    assert_non_null(strstr(err.msg, "twice"));
    items[1] = ik_str("meds", 4);
    assert_int_equal(ik_answer_check(&mu, arr, &err), IK_OK);
    arr.len = 0;
    assert_int_equal(ik_answer_check(&mu, arr, &err), IK_EANSWER);
    nu.min = 0;
    nu.max = 10;
    nu.integer = true;
    assert_int_equal(ik_answer_check(&nu, ik_num(3), &err), IK_OK);
    assert_int_equal(ik_answer_check(&nu, ik_num(3.5), &err), IK_EANSWER);
    /* within the range, not whole: said as such, not "out of its range" */
    assert_string_equal(err.msg, "'q' needs a whole number");
    assert_int_equal(ik_answer_check(&nu, ik_num(11), &err), IK_EANSWER);
    assert_string_equal(err.msg, "'q' is out of its range");
    assert_int_equal(ik_answer_check(&nu, ik_num(NAN), &err), IK_EANSWER);
    assert_int_equal(ik_answer_check(&nu, ik_str("3", 1), &err), IK_EANSWER);
}

static void expect_words(const ik_question *q, ik_value v, const char *want)
{
    ik_buf b;

    ik_buf_init(&b);
    ik_answer_format(q, IK_AUD_PATIENT, v, &b);
    assert_string_equal(ik_buf_cstr(&b), want);
    ik_buf_fini(&b);
}

static void test_format_writes_answers_in_words(void **state)
{
    ik_question yn = question(IK_Q_YES_NO), ch = question(IK_Q_CHOICE);
    ik_question mu = question(IK_Q_MULTI), nu = question(IK_Q_NUMBER);
    ik_value items[2] = {{IK_STR, 2, {0}}, {IK_STR, 9, {0}}};
    ik_value arr = {IK_ARR, 2, {0}};

    (void)state;
    items[0].u.str = "pt";
    items[1].u.str = "injection";
    arr.u.items = items;
    nu.unit = "months";
    expect_words(&yn, ik_bool(true), "yes");
    expect_words(&yn, ik_str("unknown", 7), "don't know");
    expect_words(&yn, ik_null(), "(skipped)");
    expect_words(&ch, ik_str("both", 4), "Both back and leg");
    expect_words(&mu, arr, "Physical therapy, Injections");
    arr.len = 0;
    expect_words(&mu, arr, "none");
    expect_words(&nu, ik_num(8), "8 months");
    expect_words(&nu, ik_undef(), "");
}

/* ---- Commands ---- */

static void test_command_words_are_recognised_alone_in_any_case(void **state)
{
    (void)state;
    assert_int_equal(ik_command_parse("Back", 4), IK_CMD_BACK);
    assert_int_equal(ik_command_parse(" why \r\n", 7), IK_CMD_WHY);
    assert_int_equal(ik_command_parse("?", 1), IK_CMD_HELP);
    assert_int_equal(ik_command_parse("SUMMARY", 7), IK_CMD_SUMMARY);
    assert_int_equal(ik_command_parse("exit", 4), IK_CMD_QUIT);
    assert_int_equal(ik_command_parse("skip", 4), IK_CMD_SKIP);
    assert_int_equal(ik_command_parse("backs", 5), IK_CMD_NONE);
    assert_int_equal(ik_command_parse("go back", 7), IK_CMD_NONE);
    assert_int_equal(ik_command_parse("", 0), IK_CMD_NONE);
    assert_string_equal(ik_command_name(IK_CMD_QUIT), "quit");
}

/* ---- Property: whatever is typed, an accepted answer is a valid value ---- */

static void
test_random_lines_are_refused_or_give_values_that_check(void **state)
{
    static const char alphabet[] = "0123456789yesnodkYN .,-+e\\\t\x01\x1b"
                                   "\xc3\xa9\xff\xe2\x80\x99"
                                   "abBLlP";
    uint64_t seed = 7;
    char line[64];
    int round, t;

    (void)state;
    for (round = 0; round < 5000; round++) {
        for (t = IK_Q_YES_NO; t < IK_Q__COUNT; t++) {
            ik_question q = question((ik_qtype)t);
            size_t n, i;
            parsed p;

            seed = seed * 6364136223846793005u + 1442695040888963407u;
            n = (size_t)(seed >> 59); /* 0..31 */
            for (i = 0; i < n; i++) {
                seed = seed * 6364136223846793005u + 1442695040888963407u;
                line[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
            }
            q.allow_unknown = q.allow_none = (round & 1) != 0;
            q.integer = (round & 2) != 0;
            if (t == IK_Q_NUMBER) {
                q.min = -5;
                q.max = 50;
            }
            q.max_length = 12;
            p = parse_n(&q, line, n);
            if (p.st == IK_OK) {
                ik_error err;
                if (ik_answer_check(&q, p.v, &err) != IK_OK &&
                    !(t == IK_Q_INFO && p.v.kind == IK_NULL))
                    fail_msg("type %d: '%.*s' gave a value that does not "
                             "check: %s",
                             t, (int)n, line, err.msg);
            } else {
                assert_int_equal(p.st, IK_EANSWER);
                assert_true(p.err.msg[0] != '\0');
            }
        }
        if (round % 1000 == 999) {
            ik_arena_reset(&arena);
        }
    }
}

/* ---- Out of memory ---- */

static void test_parse_reports_out_of_memory_at_every_allocation(void **state)
{
    ik_question q = question(IK_Q_MULTI);
    long n;

    (void)state;
    for (n = 1;; n++) {
        ik_arena a;
        ik_value v;
        ik_error err;
        ik_status st;

        ik_arena_init(&a);
        ik_alloc_fail_after(n);
        st = ik_answer_parse(&q, IK_AUD_PATIENT, "1, 3", 4, &a, &v, &err);
        ik_alloc_fail_after(0);
        ik_arena_fini(&a);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_true(n < 50);
    }
    assert_true(n > 1); /* the loop injected failures */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yes_no_accepts_y_yes_n_no_in_any_case),
        cmocka_unit_test(test_yes_no_records_unknown_only_when_allowed),
        cmocka_unit_test(test_yes_no_refuses_other_words_saying_what_fits),
        cmocka_unit_test(
            test_a_key_is_a_whole_answer_only_when_nothing_longer_starts_with_it),
        cmocka_unit_test(test_choice_accepts_number_value_label_and_prefix),
        cmocka_unit_test(
            test_choice_refuses_ambiguous_prefix_naming_the_options),
        cmocka_unit_test(test_choice_refuses_missing_options_and_numbers),
        cmocka_unit_test(test_a_refused_long_answer_is_not_echoed),
        cmocka_unit_test(test_choice_never_takes_a_command_word_as_an_answer),
        cmocka_unit_test(test_multi_accepts_numbers_and_words_in_option_order),
        cmocka_unit_test(test_multi_takes_none_only_when_allowed),
        cmocka_unit_test(test_multi_refuses_unknown_items_and_empty_lines),
        cmocka_unit_test(test_number_accepts_integers_decimals_and_a_unit),
        cmocka_unit_test(test_number_refuses_what_is_not_a_plain_decimal),
        cmocka_unit_test(test_number_out_of_range_says_the_range),
        cmocka_unit_test(test_number_hint_names_open_ranges_and_units),
        cmocka_unit_test(test_text_keeps_trimmed_utf8_text),
        cmocka_unit_test(test_text_refuses_bad_bytes_controls_and_length),
        cmocka_unit_test(test_text_refuses_embedded_nul),
        cmocka_unit_test(test_non_text_types_refuse_unreadable_bytes),
        cmocka_unit_test(test_info_is_acknowledged_by_enter_or_ok),
        cmocka_unit_test(
            test_check_accepts_recorded_values_and_refuses_misfits),
        cmocka_unit_test(test_format_writes_answers_in_words),
        cmocka_unit_test(test_command_words_are_recognised_alone_in_any_case),
        cmocka_unit_test(
            test_random_lines_are_refused_or_give_values_that_check),
        cmocka_unit_test(test_parse_reports_out_of_memory_at_every_allocation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
