/*
 * test_alerts.c -- how red flags act when they fire (issue 13, item 1):
 * "act" on a flag or its disposition (stop, alert, none; "stop": true is
 * the first form of "act": "stop"), an alert raised at the next question
 * step and once only, going on or stopping there, back from an early end,
 * answering past an alert, two alerts from one answer, a stop flag winning
 * over an alert, leaving after flags fired, and all of it replayed from
 * the event history and through a session file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interview.h"
#include "rulebook.h"
#include "session.h"

/* q1..q5 yes/no. Flags: a_alert (own act), b_by_disp (act from its
 * disposition), c_none (disposition act overridden), d_stop (legacy
 * "stop": true), e_alert2 (fires with a_alert on q2). */
static const char pack[] =
    "{\"format\": \"intake-rules/1\", \"id\": \"alerts\", \"version\": "
    "\"1.0.0\", \"title\": \"t\", \"disclaimer\": \"d\", \"safety_net\": "
    "\"s\", \"get_help\": \"g\",\n"
    "\"questions\": [\n"
    " {\"id\": \"q1\", \"type\": \"yes_no\", \"text\": \"Q1\"},\n"
    " {\"id\": \"q2\", \"type\": \"yes_no\", \"text\": \"Q2\"},\n"
    " {\"id\": \"q3\", \"type\": \"yes_no\", \"text\": \"Q3\"},\n"
    " {\"id\": \"q4\", \"type\": \"yes_no\", \"text\": \"Q4\"},\n"
    " {\"id\": \"q5\", \"type\": \"yes_no\", \"text\": \"Q5\"}],\n"
    "\"red_flags\": [\n"
    " {\"id\": \"a_alert\", \"when\": {\"==\": [{\"var\": \"q2\"}, true]}, "
    "\"disposition\": \"soon\", \"act\": \"alert\", \"message\": \"A\"},\n"
    " {\"id\": \"b_by_disp\", \"when\": {\"==\": [{\"var\": \"q3\"}, "
    "true]}, \"disposition\": \"urgent\", \"message\": \"B\"},\n"
    " {\"id\": \"c_none\", \"when\": {\"==\": [{\"var\": \"q1\"}, true]}, "
    "\"disposition\": \"urgent\", \"act\": \"none\", \"message\": \"C\"},\n"
    " {\"id\": \"d_stop\", \"when\": {\"==\": [{\"var\": \"q4\"}, true]}, "
    "\"disposition\": \"emergency\", \"stop\": true, \"message\": \"D\"},\n"
    " {\"id\": \"e_alert2\", \"when\": {\"and\": [{\"var\": \"q2\"}, "
    "{\"var\": \"q1\"}]}, \"disposition\": \"urgent\", \"message\": "
    "\"E\"}],\n"
    "\"dispositions\": [\n"
    " {\"id\": \"emergency\", \"label\": \"E\", \"advice\": \"e\", "
    "\"alarm\": true},\n"
    " {\"id\": \"urgent\", \"label\": \"U\", \"advice\": \"u\", \"act\": "
    "\"alert\"},\n"
    " {\"id\": \"soon\", \"label\": \"S\", \"advice\": \"s\"}]}\n";

static ik_rulebook *rb;

static ik_rulebook *load(const char *text, ik_error *err)
{
    ik_rulebook *r = NULL;

    ik_error_clear(err);
    ik_rulebook_load_text(text, strlen(text), "alerts.json", &r, err);
    return r;
}

static int setup(void **state)
{
    ik_error err;

    (void)state;
    rb = load(pack, &err);
    if (!rb) {
        fprintf(stderr, "%d:%d: %s\n", err.line, err.col, err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ik_rulebook_free(rb);
    return 0;
}

static uint32_t flag(const char *id)
{
    uint32_t i;

    for (i = 0; i < rb->nred_flags; i++)
        if (strcmp(rb->red_flags[i].id, id) == 0)
            return i;
    fail_msg("no flag %s", id);
    return IK_NONE;
}

static ik_interview *start(void)
{
    ik_interview *iv;
    ik_error err;

    assert_int_equal(ik_interview_new(rb, NULL, &iv, &err), IK_OK);
    return iv;
}

static void say(ik_interview *iv, const char *text)
{
    ik_error err;

    if (ik_interview_answer(iv, text, strlen(text), &err) != IK_OK)
        fail_msg("answer '%s' refused: %s", text, err.msg);
}

static ik_step step(const ik_interview *iv)
{
    ik_step s;

    ik_interview_next(iv, &s);
    return s;
}

static void test_act_comes_from_the_flag_then_its_disposition(void **state)
{
    (void)state;
    assert_int_equal(rb->red_flags[flag("a_alert")].act, IK_ACT_ALERT);
    assert_int_equal(rb->red_flags[flag("b_by_disp")].act, IK_ACT_ALERT);
    assert_int_equal(rb->red_flags[flag("c_none")].act, IK_ACT_NONE);
    assert_int_equal(rb->red_flags[flag("d_stop")].act, IK_ACT_STOP);
    assert_true(rb->red_flags[flag("d_stop")].stop);
    assert_false(rb->red_flags[flag("a_alert")].stop);
    assert_true(rb->dispositions[0].alarm);
    assert_false(rb->dispositions[1].alarm);
}

static void test_bad_act_and_a_contradiction_are_errors(void **state)
{
    char *bad = malloc(sizeof pack + 64);
    const char *q;
    char *p;
    ik_error err;
    ik_rulebook *r;

    (void)state;
    assert_non_null(bad);
    strcpy(bad, pack);
    p = strstr(bad, "\"act\": \"alert\", \"message\": \"A\"");
    assert_non_null(p);
    memcpy(p, "\"act\": \"alarm\"", 14);
    r = load(bad, &err);
    assert_null(r);
    assert_non_null(strstr(err.msg, "\"act\" must be \"stop\", \"alert\" or"));
    q = strstr(pack, "\"stop\": true");
    assert_non_null(q);
    snprintf(bad, sizeof pack + 64, "%.*s\"act\": \"none\", %s",
             (int)(q - pack), pack, q);
    r = load(bad, &err);
    assert_null(r);
    assert_non_null(strstr(err.msg, "contradicts \"act\""));
    free(bad);
}

static void test_an_alert_comes_at_the_next_question_and_once(void **state)
{
    ik_interview *iv = start();
    ik_error err;
    ik_step s;
    ik_event ev;

    (void)state;
    s = step(iv);
    assert_int_equal(s.alert, IK_NONE);
    say(iv, "no");  /* q1 */
    say(iv, "yes"); /* q2: a_alert fires */
    s = step(iv);
    assert_int_equal(s.kind, IK_STEP_QUESTION);
    assert_string_equal(s.id, "q3");
    assert_int_equal(s.alert, flag("a_alert"));
    assert_int_equal(ik_interview_alert(iv, true, &err), IK_OK);
    ev = ik_interview_event(iv, ik_interview_nevents(iv) - 1);
    assert_int_equal(ev.kind, IK_EV_ALERT);
    assert_string_equal(ik_interview_question_id(iv, ev.question), "q2");
    assert_int_equal(ev.value.kind, IK_STR);
    assert_memory_equal(ev.value.u.str, "a_alert", 7);
    s = step(iv);
    assert_string_equal(s.id, "q3");
    assert_int_equal(s.alert, IK_NONE);
    /* no alert waiting now */
    assert_int_equal(ik_interview_alert(iv, true, &err), IK_EMISUSE);
    /* back and the same answer again: raised once an interview */
    assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    say(iv, "yes");
    assert_int_equal(step(iv).alert, IK_NONE);
    /* the next alert: from the disposition's act */
    say(iv, "yes"); /* q3: b_by_disp */
    assert_int_equal(step(iv).alert, flag("b_by_disp"));
    ik_interview_free(iv);
}

static void test_a_flag_with_act_none_raises_nothing(void **state)
{
    ik_interview *iv = start();

    (void)state;
    say(iv, "yes"); /* q1: c_none fires (its disposition says alert) */
    assert_int_equal(step(iv).alert, IK_NONE);
    assert_string_equal(step(iv).id, "q2");
    ik_interview_free(iv);
}

static void test_stopping_at_an_alert_ends_early_and_back_goes_on(
    void **state)
{
    ik_interview *iv = start();
    const ik_outcome *o;
    ik_error err;
    ik_step s;

    (void)state;
    say(iv, "no");
    say(iv, "yes");
    assert_int_equal(ik_interview_alert(iv, false, &err), IK_OK);
    s = step(iv);
    assert_int_equal(s.kind, IK_STEP_OUTCOME);
    assert_true(s.ended_early);
    assert_int_equal(s.stop_flag, IK_NONE);
    o = ik_interview_outcome(iv);
    assert_false(o->complete);
    assert_int_equal(o->red_flags.n, 1);
    assert_int_equal(ik_interview_answer(iv, "no", 2, &err), IK_EMISUSE);
    assert_int_equal(ik_interview_skip(iv, &err), IK_EMISUSE);
    /* back: on with the questions where they stopped, answers kept */
    assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    s = step(iv);
    assert_int_equal(s.kind, IK_STEP_QUESTION);
    assert_string_equal(s.id, "q3");
    assert_int_equal(s.alert, IK_NONE);
    assert_false(s.ended_early);
    ik_interview_free(iv);
}

static void test_answering_at_an_alert_goes_on(void **state)
{
    ik_interview *iv = start();
    size_t n;

    (void)state;
    say(iv, "no");
    say(iv, "yes");
    n = ik_interview_nevents(iv);
    say(iv, "no"); /* q3, with a_alert waiting */
    assert_int_equal(ik_interview_nevents(iv), n + 1);
    assert_int_equal(step(iv).alert, IK_NONE);
    assert_string_equal(step(iv).id, "q4");
    ik_interview_free(iv);
}

static void test_two_alerts_from_one_answer_come_one_after_the_other(
    void **state)
{
    ik_interview *iv = start();
    ik_error err;

    (void)state;
    say(iv, "yes"); /* q1: c_none only */
    say(iv, "yes"); /* q2: a_alert and e_alert2 */
    assert_int_equal(step(iv).alert, flag("a_alert"));
    assert_int_equal(ik_interview_alert(iv, true, &err), IK_OK);
    assert_int_equal(step(iv).alert, flag("e_alert2"));
    assert_string_equal(step(iv).id, "q3");
    assert_int_equal(ik_interview_alert(iv, true, &err), IK_OK);
    assert_int_equal(step(iv).alert, IK_NONE);
    ik_interview_free(iv);
}

static void test_a_stop_flag_ends_the_interview_over_an_alert(void **state)
{
    ik_interview *iv = start();
    ik_step s;

    (void)state;
    say(iv, "no");
    say(iv, "no");
    say(iv, "yes"); /* b_by_disp: alert */
    say(iv, "yes"); /* d_stop, answered past the alert */
    s = step(iv);
    assert_int_equal(s.kind, IK_STEP_OUTCOME);
    assert_int_equal(s.stop_flag, flag("d_stop"));
    assert_int_equal(s.alert, IK_NONE);
    assert_false(s.ended_early);
    ik_interview_free(iv);
}

static void test_leaving_records_the_fired_flags(void **state)
{
    ik_interview *iv = start();
    ik_error err;
    ik_event ev;
    uint32_t n = 99;
    size_t nev;

    (void)state;
    say(iv, "no");
    nev = ik_interview_nevents(iv);
    assert_int_equal(ik_interview_leave(iv, &n, &err), IK_OK);
    assert_int_equal(n, 0);
    assert_int_equal(ik_interview_nevents(iv), nev); /* nothing fired */
    say(iv, "yes");
    assert_int_equal(ik_interview_leave(iv, &n, &err), IK_OK);
    assert_int_equal(n, 1);
    ev = ik_interview_event(iv, ik_interview_nevents(iv) - 1);
    assert_int_equal(ev.kind, IK_EV_LEAVE);
    assert_int_equal(ev.value.kind, IK_ARR);
    assert_int_equal(ev.value.len, 1);
    assert_memory_equal(ev.value.u.items[0].u.str, "a_alert", 7);
    ik_interview_free(iv);
}

/* Replay a's history on a new interview: the same step. */
static ik_interview *replayed(const ik_interview *a)
{
    ik_interview *b = start();
    ik_error err;
    size_t i;

    for (i = 0; i < ik_interview_nevents(a); i++) {
        ik_event ev = ik_interview_event(a, i);
        if (ik_interview_apply(b, &ev, &err) != IK_OK)
            fail_msg("event %zu: %s", i, err.msg);
    }
    return b;
}

static void same_step(const ik_interview *a, const ik_interview *b)
{
    ik_step sa = step(a), sb = step(b);

    assert_int_equal(sa.kind, sb.kind);
    assert_int_equal(sa.question, sb.question);
    assert_int_equal(sa.alert, sb.alert);
    assert_int_equal(sa.ended_early, sb.ended_early);
}

static void test_the_history_replays_alerts_and_choices(void **state)
{
    ik_interview *a = start(), *b;
    ik_error err;
    ik_event bad;

    (void)state;
    say(a, "yes");
    say(a, "yes"); /* two alerts waiting */
    b = replayed(a);
    same_step(a, b);
    ik_interview_free(b);
    assert_int_equal(ik_interview_alert(a, true, &err), IK_OK);
    b = replayed(a);
    same_step(a, b);
    /* an alert event that is not the one waiting is refused */
    bad = ik_interview_event(a, ik_interview_nevents(a) - 1);
    assert_int_equal(ik_interview_apply(b, &bad, &err), IK_ESESSION);
    ik_interview_free(b);
    assert_int_equal(ik_interview_alert(a, false, &err), IK_OK);
    b = replayed(a);
    same_step(a, b);
    assert_true(step(b).ended_early);
    ik_interview_free(b);
    assert_int_equal(ik_interview_leave(a, NULL, &err), IK_OK);
    assert_int_equal(ik_interview_back(a, &err), IK_OK);
    b = replayed(a);
    same_step(a, b);
    assert_false(step(b).ended_early);
    ik_interview_free(b);
    ik_interview_free(a);
}

static void test_a_session_file_keeps_alerts_and_leaving(void **state)
{
    ik_interview *a = start(), *b = NULL;
    ik_session *s = NULL, *t = NULL;
    ik_session_resume info;
    ik_error err;
    ik_buf buf;

    (void)state;
    say(a, "yes");
    say(a, "yes");
    assert_int_equal(ik_interview_alert(a, true, &err), IK_OK);
    assert_int_equal(ik_interview_leave(a, NULL, &err), IK_OK);
    assert_int_equal(ik_session_new(rb, IK_AUD_PATIENT, NULL, 1000, &s, &err),
                     IK_OK);
    assert_int_equal(ik_session_sync(s, a, 1001, &err), IK_OK);
    ik_buf_init(&buf);
    ik_session_write_json(s, &buf);
    assert_non_null(strstr(ik_buf_cstr(&buf),
                           "\"alert\": \"a_alert\", \"went_on\": true"));
    if (!strstr(ik_buf_cstr(&buf),
                "\"left\": [\"a_alert\",\"c_none\",\"e_alert2\"]"))
        fail_msg("%s", ik_buf_cstr(&buf));
    if (ik_session_load_text(ik_buf_cstr(&buf), buf.len, "s.json", &t,
                             &err) != IK_OK)
        fail_msg("%d:%d: %s", err.line, err.col, err.msg);
    assert_int_equal(ik_session_restore(t, rb, &b, &info, &err), IK_OK);
    assert_true(info.replayed);
    same_step(a, b);
    assert_int_equal(step(b).alert, flag("e_alert2"));
    ik_buf_fini(&buf);
    ik_session_free(s);
    ik_session_free(t);
    ik_interview_free(a);
    ik_interview_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_act_comes_from_the_flag_then_its_disposition),
        cmocka_unit_test(test_bad_act_and_a_contradiction_are_errors),
        cmocka_unit_test(test_an_alert_comes_at_the_next_question_and_once),
        cmocka_unit_test(test_a_flag_with_act_none_raises_nothing),
        cmocka_unit_test(
            test_stopping_at_an_alert_ends_early_and_back_goes_on),
        cmocka_unit_test(test_answering_at_an_alert_goes_on),
        cmocka_unit_test(
            test_two_alerts_from_one_answer_come_one_after_the_other),
        cmocka_unit_test(test_a_stop_flag_ends_the_interview_over_an_alert),
        cmocka_unit_test(test_leaving_records_the_fired_flags),
        cmocka_unit_test(test_the_history_replays_alerts_and_choices),
        cmocka_unit_test(test_a_session_file_keeps_alerts_and_leaving),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
