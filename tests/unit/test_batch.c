/*
 * test_batch.c -- batch records: outcomes, refused lines and their error
 * objects, agreement with the interview on every bundled test case,
 * --diff, the lenient reader for older packs, out of memory.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "answers_json.h"
#include "batch.h"
#include "deps.h"
#include "interview.h"
#include "json.h"
#include "scale_fixture.h"

/* One record through b; returns the output (a new string) or NULL with
 * *st set. */
static char *record(ik_batch *b, uint64_t line, const char *text, ik_status *st,
                    ik_error *err)
{
    ik_buf out;
    char *s;

    ik_buf_init(&out);
    ik_error_clear(err);
    *st = ik_batch_record(b, line, text, strlen(text), &out, err);
    s = *st == IK_OK ? strdup(ik_buf_cstr(&out)) : NULL;
    ik_buf_fini(&out);
    return s;
}

static void test_a_multi_answer_is_recorded_in_option_order(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_batch b;
    ik_error err;
    ik_status st;
    char *o, *p;

    (void)state;
    assert_int_equal(ik_batch_init(&b, rb, NULL, &err), IK_OK);
    o = record(&b, 1,
               "{\"surgery\": true, \"bladder\": false, \"pain\": 8, "
               "\"tried\": [\"pt\", \"meds\"]}",
               &st, &err);
    p = record(&b, 2,
               "{\"surgery\": true, \"bladder\": false, \"pain\": 8, "
               "\"tried\": [\"meds\", \"pt\"]}",
               &st, &err);
    assert_non_null(o);
    assert_non_null(p);
    assert_non_null(strstr(o, "\"tried\":[\"meds\",\"pt\"]"));
    assert_string_equal(o, p);
    free(o);
    free(p);
    /* an option given twice is refused, not counted once */
    o = record(&b, 3, "{\"surgery\": true, \"tried\": [\"pt\", \"pt\"]}", &st,
               &err);
    assert_null(o);
    assert_int_equal(st, IK_EANSWER);
    assert_non_null(strstr(err.msg, "lists an option twice"));
    ik_batch_fini(&b);
    ik_rulebook_free(rb);
}

static void test_each_record_gives_its_outcome_object(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_batch b;
    ik_error err;
    ik_status st;
    char *o;

    (void)state;
    assert_int_equal(ik_batch_init(&b, rb, NULL, &err), IK_OK);
    o = record(&b, 1,
               "{\"surgery\": true, \"bladder\": false, \"pain\": 8, "
               "\"tried\": [\"meds\"]}",
               &st, &err);
    assert_non_null(o);
    assert_memory_equal(o, "{\"rules\":\"tiny@1.0.0\",\"complete\":true,", 38);
    assert_non_null(strstr(o, "\"disposition\":\"soon\""));
    assert_non_null(strstr(o, "\"ladder\":\"interventional\""));
    assert_non_null(strstr(o, "\"derived\":{\"severe\":true}"));
    assert_null(strchr(o, '\n'));
    free(o);
    /* the next record starts from nothing: no answer carries over */
    o = record(&b, 2, "{\"surgery\": false, \"bladder\": false}", &st, &err);
    assert_non_null(strstr(o, "\"disposition\":\"self_care\""));
    assert_non_null(strstr(o, "\"ladder\":null"));
    assert_null(strstr(o, "\"pain\""));
    free(o);
    /* a stop flag: the outcome says the interview did not complete */
    o = record(&b, 3, "{\"surgery\": true, \"bladder\": true}", &st, &err);
    assert_non_null(strstr(o, "\"complete\":false"));
    assert_non_null(strstr(o, "\"red_flags\":[\"cauda\"]"));
    free(o);
    assert_int_equal(b.records, 3);
    assert_int_equal(b.errors, 0);
    ik_batch_fini(&b);
    ik_rulebook_free(rb);
}

static void expect_refused(ik_batch *b, const char *text, ik_status code,
                           const char *error_json)
{
    ik_status st;
    ik_error err;
    ik_buf out;
    char *o = record(b, 42, text, &st, &err);

    assert_null(o);
    assert_int_equal(st, code);
    ik_buf_init(&out);
    ik_batch_write_error(&out, 42, &err);
    if (error_json)
        assert_string_equal(ik_buf_cstr(&out), error_json);
    else
        assert_memory_equal(ik_buf_cstr(&out), "{\"line\":42,\"error\":\"", 19);
    ik_buf_fini(&out);
}

static void
test_bad_records_give_line_and_error_and_the_batch_goes_on(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_batch b;
    ik_error err;
    ik_status st;
    char *o;

    (void)state;
    assert_int_equal(ik_batch_init(&b, rb, NULL, &err), IK_OK);
    expect_refused(&b, "{\"surgery\": true, \"nope\": 1}", IK_EANSWER,
                   "{\"line\":42,\"error\":\"column 19: no question has the "
                   "id 'nope'\"}");
    expect_refused(&b, "{\"surgery\": true,}", IK_ESYNTAX, NULL);
    expect_refused(&b, "[1, 2]", IK_EANSWER,
                   "{\"line\":42,\"error\":\"column 1: answers must be a "
                   "JSON object of question ids\"}");
    expect_refused(&b, "{\"pain\": 11}", IK_EANSWER, NULL);
    expect_refused(&b, "{\"pain\": 2.5}", IK_EANSWER, NULL);
    expect_refused(&b, "{\"surgery\": \"yes\"}", IK_EANSWER, NULL);
    expect_refused(&b, "{\"tried\": [\"surgery\"]}", IK_EANSWER, NULL);
    expect_refused(&b, "{\"severe\": true}", IK_EANSWER, NULL);
    expect_refused(&b, "{\"surgery\": true, \"surgery\": false}", IK_ESYNTAX,
                   NULL);
    expect_refused(&b, "", IK_ESYNTAX, NULL);
    o = record(&b, 43, "{\"surgery\": false, \"bladder\": false}", &st, &err);
    assert_non_null(o);
    free(o);
    assert_int_equal(b.records, 11);
    assert_int_equal(b.errors, 10);
    ik_batch_fini(&b);
    ik_rulebook_free(rb);
}

/* Drive an interview with the answers of obj, in the order it asks,
 * skipping what obj leaves out. Returns its outcome JSON. */
static char *interview_outcome(const ik_rulebook *rb, const cJSON *obj,
                               ik_arena *a)
{
    ik_interview *iv;
    ik_error err;
    ik_step step;
    char *json, *copy;

    assert_int_equal(ik_interview_new(rb, "patient", &iv, &err), IK_OK);
    for (;;) {
        const cJSON *j;
        ik_event ev = {IK_EV_ANSWER, 0, ik_null()};

        ik_interview_next(iv, &step);
        if (step.kind == IK_STEP_OUTCOME)
            break;
        ev.question = step.question;
        if (rb->questions[step.question].type == IK_Q_INFO) {
            ev.kind = IK_EV_ACK;
        } else {
            j = ik_json_get(obj, step.id);
            if (j)
                assert_true(ik_value_from_cjson(j, a, &ev.value));
            if (!j || ev.value.kind == IK_NULL)
                ev.kind = IK_EV_SKIP; /* left out: skipped, as --answers */
        }
        assert_int_equal(ik_interview_apply(iv, &ev, &err), IK_OK);
    }
    assert_int_equal(ik_interview_outcome_json(iv, &json, &err), IK_OK);
    copy = strdup(json);
    ik_interview_free_string(json);
    ik_interview_free(iv);
    return copy;
}

static void
test_batch_agrees_with_the_interview_on_every_pack_test_case(void **state)
{
    const char *pack = IK_SOURCE_DIR "/rules/failed-back-syndrome.json";
    const char *cases = IK_SOURCE_DIR "/rules/failed-back-syndrome.tests.json";
    ik_rulebook *rb = NULL;
    ik_json_doc doc;
    ik_batch b;
    ik_error err;
    ik_arena a;
    char *text;
    size_t len;
    const cJSON *c;
    int compared = 0, stopped = 0;

    (void)state;
    /* both ship with the repository: missing is a failure, not a skip */
    if (access(pack, R_OK) != 0 || access(cases, R_OK) != 0)
        fail_msg("cannot read %s or %s", pack, cases);
    assert_int_equal(ik_rulebook_load_file(pack, &rb, &err), IK_OK);
    assert_int_equal(
        ik_json_read_file(cases, IK_JSON_MAX_FILE, &text, &len, &err), IK_OK);
    assert_int_equal(ik_json_parse(text, len, cases, 0, &doc, &err), IK_OK);
    assert_int_equal(ik_batch_init(&b, rb, NULL, &err), IK_OK);
    ik_arena_init(&a);
    cJSON_ArrayForEach(c, ik_json_get(doc.root, "cases"))
    {
        const cJSON *answers = ik_json_get(c, "answers");
        char *line, *want, *got;
        ik_status st;

        if (!answers)
            continue; /* step-by-step cases (going back) are the
                         interview's own */
        line = cJSON_PrintUnformatted(answers);
        got = record(&b, 1, line, &st, &err);
        if (!got)
            fail_msg("case %s: %s", ik_json_get(c, "id")->valuestring, err.msg);
        want = interview_outcome(rb, answers, &a);
        if (strcmp(got, want) != 0)
            fail_msg("case %s:\nbatch:     %s\ninterview: %s",
                     ik_json_get(c, "id")->valuestring, got, want);
        compared++;
        stopped += strstr(got, "\"complete\":false") != NULL;
        free(got);
        free(want);
        cJSON_free(line);
        ik_arena_reset(&a);
    }
    assert_true(compared >= 10);
    /* cases that a stop flag ends and cases that run to the end */
    assert_true(stopped > 0 && stopped < compared);
    ik_arena_fini(&a);
    ik_batch_fini(&b);
    ik_json_doc_fini(&doc);
    ik_free(text);
    ik_rulebook_free(rb);
}

/* A copy of text with the first `from` replaced by `to`. */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    char *s;

    assert_non_null(at);
    s = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
    assert_non_null(s);
    memcpy(s, text, (size_t)(at - text));
    strcpy(s + (at - text), to);
    strcat(s, at + strlen(from));
    return s;
}

static void
test_diff_names_changed_fields_per_line_and_counts_them(void **state)
{
    char *newer = replace(TINY_PACK, "\"then\": {\"disposition\": \"soon\"",
                          "\"then\": {\"disposition\": \"urgent\"");
    ik_rulebook *rb = fixture_load(newer), *old = fixture_load(TINY_PACK);
    ik_batch b;
    ik_error err;
    ik_status st;
    ik_buf sum;
    char *o;

    (void)state;
    assert_int_equal(ik_batch_init(&b, rb, old, &err), IK_OK);
    o = record(&b, 1,
               "{\"surgery\": true, \"bladder\": false, \"pain\": 8, "
               "\"tried\": []}",
               &st, &err);
    assert_string_equal(o, "{\"line\":1,\"changed\":[\"disposition\"],"
                           "\"disposition\":{\"old\":\"soon\",\"new\":"
                           "\"urgent\"}}");
    free(o);
    o = record(&b, 2, "{\"surgery\": false, \"bladder\": false}", &st, &err);
    assert_string_equal(o, "{\"line\":2,\"changed\":[]}");
    free(o);
    o = record(&b, 3,
               "{\"surgery\": true, \"bladder\": false, \"pain\": 9, "
               "\"tried\": []}",
               &st, &err);
    assert_non_null(strstr(o, "\"changed\":[\"disposition\"]"));
    free(o);
    assert_null(record(&b, 4, "{\"pain\": 99}", &st, &err));
    ik_buf_init(&sum);
    ik_batch_write_summary(&b, &sum);
    assert_string_equal(ik_buf_cstr(&sum),
                        "{\"summary\":{\"records\":4,\"changed\":2,"
                        "\"errors\":1,\"fields\":{\"complete\":0,"
                        "\"disposition\":2,\"ladder\":0,\"red_flags\":0,"
                        "\"sections\":0}}}");
    ik_buf_fini(&sum);
    ik_batch_fini(&b);
    ik_rulebook_free(rb);
    ik_rulebook_free(old);
    free(newer);
}

static void test_diff_lists_sections_and_flags_added_and_removed(void **state)
{
    char *step = replace(TINY_PACK, "{\"==\": [{\"var\": \"pain\"}, 10]}",
                         "{\">=\": [{\"var\": \"pain\"}, 9]}");
    char *newer = replace(step, "\"sections\": [\"overview\"]",
                          "\"sections\": [\"faq\"]");
    ik_rulebook *rb = fixture_load(newer), *old = fixture_load(TINY_PACK);
    ik_batch b;
    ik_error err;
    ik_status st;
    char *o;

    (void)state;
    assert_int_equal(ik_batch_init(&b, rb, old, &err), IK_OK);
    o = record(&b, 7,
               "{\"surgery\": true, \"bladder\": false, \"pain\": 9, "
               "\"tried\": [\"meds\"]}",
               &st, &err);
    assert_string_equal(
        o, "{\"line\":7,\"changed\":[\"disposition\",\"red_flags\","
           "\"sections\"],\"disposition\":{\"old\":\"soon\",\"new\":"
           "\"urgent\"},\"red_flags\":{\"added\":[\"agony\"],\"removed\":[]},"
           "\"sections\":{\"added\":[\"faq\"],\"removed\":[\"overview\"]}}");
    free(o);
    /* a pack diffed with itself changes nothing */
    ik_batch_fini(&b);
    assert_int_equal(ik_batch_init(&b, old, old, &err), IK_OK);
    o = record(&b, 1,
               "{\"surgery\": true, \"bladder\": false, \"pain\": 9, "
               "\"tried\": [\"meds\"]}",
               &st, &err);
    assert_string_equal(o, "{\"line\":1,\"changed\":[]}");
    free(o);
    ik_batch_fini(&b);
    ik_rulebook_free(rb);
    ik_rulebook_free(old);
    free(newer);
    free(step);
}

/* The one pass runs a record as run --answers runs it: no replay through
 * an interview, but where a condition fails (test_interview_stops). */
static void test_a_record_is_run_as_run_answers_runs_it(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_batch b;
    ik_error err;
    ik_status st;
    char *o;

    (void)state;
    assert_int_equal(ik_batch_init(&b, rb, NULL, &err), IK_OK);
    o = record(&b, 1, "{\"surgery\": false, \"bladder\": false}", &st, &err);
    free(o);
    assert_int_equal(b.side[0].exact, 0);
    /* a stop flag: the interview ends there, later answers do not count */
    o = record(&b, 2,
               "{\"surgery\": true, \"bladder\": true, \"pain\": 10, "
               "\"tried\": []}",
               &st, &err);
    assert_int_equal(b.side[0].exact, 0); /* answers after it dropped */
    assert_non_null(strstr(o, "\"red_flags\":[\"cauda\"]"));
    assert_null(strstr(o, "agony"));
    assert_null(strstr(o, "\"pain\""));
    free(o);
    /* a required question that applies but is left out is refused, as
     * `run --answers` refuses it (ik_outcome_answer_as_asked: its words) */
    assert_null(record(&b, 3,
                       "{\"surgery\": true, \"bladder\": false, "
                       "\"pain\": 5}",
                       &st, &err));
    assert_int_equal(st, IK_EANSWER);
    assert_string_equal(err.msg,
                        "'tried' is required but the answers leave it out");
    assert_int_equal(b.side[0].exact, 0);
    ik_batch_fini(&b);
    ik_rulebook_free(rb);
}

static void test_a_stop_flag_that_fires_on_the_way_ends_the_record(void **state)
{
    char *pack = replace(
        TINY_PACK,
        "{\"==\": [{\"var\": \"pain\"}, 10]}, \"disposition\": \"urgent\", "
        "\"message\": \"Today\"",
        "{\"and\": [{\"var\": \"surgery\"}, {\"<\": [{\"var\": \"pain\"}, "
        "3]}]}, \"disposition\": \"urgent\", \"message\": \"Today\", "
        "\"stop\": true");
    ik_rulebook *rb = fixture_load(pack);
    ik_batch b;
    ik_error err;
    ik_status st;
    char *o;

    (void)state;
    assert_int_equal(ik_batch_init(&b, rb, NULL, &err), IK_OK);
    /* with pain still unanswered, null < 3 holds: the interview stops
     * before it asks about pain, though pain 5 would not fire the flag */
    o = record(&b, 1,
               "{\"surgery\": true, \"bladder\": false, \"pain\": 5, "
               "\"tried\": []}",
               &st, &err);
    assert_non_null(o);
    assert_non_null(strstr(o, "\"complete\":false"));
    assert_non_null(strstr(o, "\"red_flags\":[\"agony\"]"));
    assert_non_null(strstr(o, "\"answers\":{\"surgery\":true}"));
    free(o);
    /* never operated: the flag cannot fire */
    o = record(&b, 2, "{\"surgery\": false, \"bladder\": false}", &st, &err);
    assert_int_equal(b.side[0].exact, 0);
    assert_non_null(strstr(o, "\"complete\":true"));
    free(o);
    ik_batch_fini(&b);
    ik_rulebook_free(rb);
    free(pack);
}

static void
test_answers_reader_refuses_exactly_what_strict_json_refuses(void **state)
{
    static const char *const inputs[] = {
        "{}",
        "{\"surgery\": true}",
        " {\"surgery\" : true }\n",
        "\xEF\xBB\xBF{\"surgery\": false}",
        "{\"surgery\": tru}",
        "{\"surgery\": true,}",
        "{\"surgery\": true} x",
        "{\"pain\": 01}",
        "{\"pain\": 1.}",
        "{\"pain\": 1e999}",
        "{\"pain\": -0}",
        "{\"pain\": 5e0}",
        "{\"pain\": 0x5}",
        "{\"pain\": -}",
        "{\"pain\": 1e}",
        "{\"a\\u0000\": 1}",
        "{\"\\ud800\": 1}",
        "{\"\\udc00\": 1}",
        "{\"\\ud83d\\ude00\": 1}",
        "{\"x\": \"\xff\"}",
        "{\"x\": \"\xc3\xa9\"}",
        "{\"x\": \"\xe0\x80\x80\"}",
        "{\"x\": \"\xed\xa0\x80\"}",
        "{\"x\": \"a\tb\"}",
        "{\"x\": \"a\\tb\"}",
        "{\"x\": \"\\q\"}",
        "{\"x\": \"\\u12\"}",
        "{\"x\": [1, 2,]}",
        "{\"x\": [1 2]}",
        "[",
        "{",
        "{\"x\"",
        "{\"x\":",
        "{\"x\" 1}",
        "{1: 2}",
        "\"x\"",
        "",
        "   ",
        "nul",
        "{\"surgery\": true}}",
        "{\"x\": {\"y\": [true, false, null]}}",
        "{\"x\": \"\\u00e9\\n\"}",
        "{\"tried\": [\"m\\u0065ds\", \"p\\u0074\"]}",
        "{\"surgery\": True}",
        "\xc3\xa9",
        "{\"x\": \"unterminated}",
        /* issue 18 item 9: at the key, at the end, as unterminated */
        "{\"x\": 1, \"y\": 2, \"x\": 3}",
        "{\"x\": {\"y\": [1, 2",
        "{\"x\": 1",
        "{\"x\"",
        "{\"x\": \"no closing quote\n}"};
    static const char escaped[] = "{\"tried\": [\"m\\u0065ds\", \"p\\u0074\"]}";
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_value answers[4];
    ik_arena a;
    ik_error e1, e2;
    ik_json_doc doc;
    ik_status js, as;
    char deep[400];
    size_t i;

    (void)state;
    ik_arena_init(&a);
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *t = inputs[i];

        js = ik_json_parse(t, strlen(t), "t", IK_JSON_POSITIONS, &doc, &e1);
        ik_json_doc_fini(&doc);
        as = ik_answers_json_parse(rb, t, strlen(t), "t", &a, answers, &e2);
        if ((js != IK_OK) != (as == IK_ESYNTAX))
            fail_msg("input %zu (%s): json.c says %d, the reader %d (%s)", i, t,
                     js, as, e2.msg);
        if (js != IK_OK && (strcmp(e1.msg, e2.msg) != 0 || e1.line != e2.line ||
                            e1.col != e2.col))
            fail_msg("input %zu (%s): json.c %d:%d %s, the reader %d:%d %s", i,
                     t, e1.line, e1.col, e1.msg, e2.line, e2.col, e2.msg);
        ik_arena_reset(&a);
    }
    /* escapes are decoded: "m\u0065ds" and "p\u0074" are the options */
    assert_int_equal(ik_answers_json_parse(rb, escaped, strlen(escaped), "", &a,
                                           answers, &e2),
                     IK_OK);
    assert_int_equal(answers[3].len, 2);
    assert_memory_equal(answers[3].u.items[0].u.str, "meds", 4);
    assert_int_equal(answers[3].u.items[1].len, 2);
    /* nesting past the limit, and a duplicate key far into a big object */
    memset(deep, '[', sizeof deep);
    memcpy(deep, "{\"x\":", 5);
    deep[sizeof deep - 1] = '\0';
    assert_int_equal(
        ik_answers_json_parse(rb, deep, strlen(deep), "", &a, answers, &e2),
        IK_ESYNTAX);
    assert_non_null(strstr(e2.msg, "nested deeper than"));
    {
        ik_buf big;
        int k;

        ik_buf_init(&big);
        ik_buf_putc(&big, '{');
        for (k = 0; k < 40; k++)
            ik_buf_printf(&big, "\"k%d\": %d, ", k, k);
        ik_buf_puts(&big, "\"k7\": 1}");
        assert_int_equal(
            ik_answers_json_parse(rb, big.data, big.len, "", &a, answers, &e2),
            IK_ESYNTAX);
        assert_string_equal(e2.msg, "duplicate key \"k7\"");
        assert_int_equal(e2.col, (int)(big.len - strlen("\"k7\": 1}")) + 1);
        ik_buf_fini(&big);
    }
    ik_arena_fini(&a);
    ik_rulebook_free(rb);
}

static void test_lenient_reader_drops_ids_an_older_pack_lacks(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_value answers[4];
    ik_arena a;
    ik_error err;
    size_t dropped;
    const char *text = "{\"surgery\": true, \"new_question\": 3}";

    (void)state;
    ik_arena_init(&a);
    assert_int_equal(ik_answers_json_parse_lenient(rb, text, strlen(text), &a,
                                                   answers, &dropped, &err),
                     IK_OK);
    assert_int_equal(dropped, 1);
    assert_true(answers[0].kind == IK_BOOL && answers[0].u.b);
    assert_int_equal(answers[1].kind, IK_UNDEF);
    /* the strict reader refuses the same object and points at the key */
    assert_int_equal(ik_answers_json_parse(rb, text, strlen(text), "a.json", &a,
                                           answers, &err),
                     IK_EANSWER);
    assert_string_equal(err.file, "a.json");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 19);
    assert_string_equal(err.path, "/new_question");
    ik_arena_fini(&a);
    ik_rulebook_free(rb);
}

/* The reader binds straight into the questions' slots; a refused object
 * names its first bad member in text order, whatever the pack order, as
 * binding member by member does: an unknown id before a bad value, a bad
 * value before an unknown id, a derived value's id. */
static void test_reader_names_the_first_bad_member_in_text_order(void **state)
{
    static const struct {
        const char *text, *path, *msg;
        int col;
    } cases[] = {
        {"{\"pain\": 3, \"nope\": 1, \"surgery\": \"yes\"}", "/nope",
         "no question has the id 'nope'", 13},
        {"{\"pain\": 3, \"surgery\": \"yes\", \"nope\": 1}", "/surgery",
         "'surgery' needs true or false", 13},
        {"{\"tried\": [\"x\"], \"pain\": 11}", "/tried",
         "'tried' has no option matching item 1", 2},
        {"{\"surgery\": true, \"severe\": true}", "/severe",
         "'severe' is a derived value, not an answer", 19},
        {"{\"su\\u0072gery\": true, \"pain\": 12}", "/pain",
         "'pain' is out of its range", 24},
    };
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_value answers[4];
    ik_arena a;
    ik_error err;
    size_t i, dropped;

    (void)state;
    ik_arena_init(&a);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(ik_answers_json_parse(rb, cases[i].text,
                                               strlen(cases[i].text), "r",
                                               &a, answers, &err),
                         IK_EANSWER);
        assert_string_equal(err.path, cases[i].path);
        assert_string_equal(err.msg, cases[i].msg);
        assert_int_equal(err.col, cases[i].col);
        ik_arena_reset(&a);
    }
    /* lenient: the unknown id is dropped, the bad value still refused */
    assert_int_equal(ik_answers_json_parse_lenient(rb, cases[0].text,
                                                   strlen(cases[0].text), &a,
                                                   answers, &dropped, &err),
                     IK_EANSWER);
    assert_string_equal(err.path, "/surgery");
    /* an escaped key names its question like a plain one */
    assert_int_equal(
        ik_answers_json_parse(rb, "{\"su\\u0072gery\": true}", 22, "", &a,
                              answers, &err),
        IK_OK);
    assert_true(answers[0].kind == IK_BOOL && answers[0].u.b);
    ik_arena_fini(&a);
    ik_rulebook_free(rb);
}

/* A number literal longer than the reader's old 64-byte buffer is read by
 * value.c's one number reader like any other (as strtod reads it). */
static void test_reader_reads_long_number_literals(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_value answers[4];
    ik_arena a;
    ik_error err;
    ik_buf t;
    int i;

    (void)state;
    ik_arena_init(&a);
    ik_buf_init(&t);
    /* 7.000...0001 with 80 zeros: 7 once rounded to a double */
    ik_buf_puts(&t, "{\"surgery\": true, \"pain\": 7.");
    for (i = 0; i < 80; i++)
        ik_buf_putc(&t, '0');
    ik_buf_puts(&t, "1}");
    assert_int_equal(ik_answers_json_parse(rb, ik_buf_cstr(&t), t.len, "", &a,
                                           answers, &err),
                     IK_OK);
    assert_true(answers[2].kind == IK_NUM && answers[2].u.num == 7);
    /* 1 followed by 400 zeros: out of range, refused as JSON */
    ik_buf_clear(&t);
    ik_buf_puts(&t, "{\"pain\": 1");
    for (i = 0; i < 400; i++)
        ik_buf_putc(&t, '0');
    ik_buf_putc(&t, '}');
    assert_int_equal(ik_answers_json_parse(rb, ik_buf_cstr(&t), t.len, "", &a,
                                           answers, &err),
                     IK_ESYNTAX);
    assert_string_equal(err.msg, "number is out of range");
    ik_buf_fini(&t);
    ik_arena_fini(&a);
    ik_rulebook_free(rb);
}

static void test_answers_are_written_back_as_a_replayable_object(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_value answers[4];
    ik_arena a;
    ik_error err;
    ik_buf b;
    const char *text =
        "{\"tried\": [\"pt\"], \"pain\": null, \"surgery\": true}";

    (void)state;
    ik_arena_init(&a);
    ik_buf_init(&b);
    assert_int_equal(
        ik_answers_json_parse(rb, text, strlen(text), "", &a, answers, &err),
        IK_OK);
    ik_answers_json_write(rb, answers, &b);
    /* pack order, skipped as null, unanswered left out */
    assert_string_equal(ik_buf_cstr(&b),
                        "{\"surgery\":true,\"pain\":null,\"tried\":[\"pt\"]}");
    ik_buf_fini(&b);
    ik_arena_fini(&a);
    ik_rulebook_free(rb);
}

static void test_memory_stays_flat_over_many_records(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_batch b;
    ik_error err;
    ik_buf out;
    size_t used_early = 0, i;
    const char *line = "{\"surgery\": true, \"bladder\": false, \"pain\": 7, "
                       "\"tried\": [\"meds\", \"pt\"]}";

    (void)state;
    assert_int_equal(ik_batch_init(&b, rb, NULL, &err), IK_OK);
    ik_buf_init(&out);
    for (i = 0; i < 20000; i++) {
        ik_buf_clear(&out);
        assert_int_equal(
            ik_batch_record(&b, i + 1, line, strlen(line), &out, &err), IK_OK);
        if (i == 10)
            used_early = b.scratch.used + b.side[0].now.arena.used;
    }
    /* the per-record arenas are reset, not grown */
    assert_true(used_early > 0);
    assert_int_equal(b.scratch.used + b.side[0].now.arena.used, used_early);
    ik_buf_fini(&out);
    ik_batch_fini(&b);
    ik_rulebook_free(rb);
}

static void
test_out_of_memory_refuses_the_record_and_leaks_nothing(void **state)
{
    ik_rulebook *rb = fixture_load(TINY_PACK);
    ik_batch b;
    ik_error err;
    ik_buf out;
    ik_status st;
    long n;
    const char *line = "{\"surgery\": true, \"bladder\": false, \"pain\": 7, "
                       "\"tried\": [\"meds\"]}";

    (void)state;
    for (n = 1;; n++) {
        ik_alloc_fail_after(n);
        st = ik_batch_init(&b, rb, rb, &err);
        if (st == IK_OK) {
            ik_buf_init(&out);
            st = ik_batch_record(&b, 1, line, strlen(line), &out, &err);
            ik_buf_fini(&out);
            ik_batch_fini(&b);
        }
        ik_alloc_fail_after(0);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_true(n < 10000);
    }
    assert_true(n > 3);
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_record_gives_its_outcome_object),
        cmocka_unit_test(test_a_multi_answer_is_recorded_in_option_order),
        cmocka_unit_test(
            test_bad_records_give_line_and_error_and_the_batch_goes_on),
        cmocka_unit_test(
            test_batch_agrees_with_the_interview_on_every_pack_test_case),
        cmocka_unit_test(
            test_diff_names_changed_fields_per_line_and_counts_them),
        cmocka_unit_test(test_diff_lists_sections_and_flags_added_and_removed),
        cmocka_unit_test(
            test_a_record_is_run_as_run_answers_runs_it),
        cmocka_unit_test(
            test_a_stop_flag_that_fires_on_the_way_ends_the_record),
        cmocka_unit_test(
            test_answers_reader_refuses_exactly_what_strict_json_refuses),
        cmocka_unit_test(test_lenient_reader_drops_ids_an_older_pack_lacks),
        cmocka_unit_test(test_answers_are_written_back_as_a_replayable_object),
        cmocka_unit_test(test_reader_names_the_first_bad_member_in_text_order),
        cmocka_unit_test(test_reader_reads_long_number_literals),
        cmocka_unit_test(test_memory_stays_flat_over_many_records),
        cmocka_unit_test(
            test_out_of_memory_refuses_the_record_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
