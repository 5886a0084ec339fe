/*
 * test_interview_restart.c -- the interview's restart (the one pass that
 * finds which questions apply and where it stops, run from the answers
 * when the interview starts or resumes, after a failed change is undone,
 * and in the progress bound's search) does not run out of evaluation
 * budget where the steps it replays did not, and a restart that fails
 * leaves an interview that refuses every later change with a clear error,
 * never one that crashes.
 *
 * Before: the pass's stop checks (one after each answer) shared one pool
 * of IK_LOGIC_TOTAL_BUDGET, where the interview gives each answer its
 * own; with a stop flag of C node visits a restart failed once (answers +
 * 1) x C passed 50 million, and the failed restart emptied the applied
 * answers, so the next step dereferenced NULL (a crash in
 * ik_interview_at_most's search, in the next answer after a failed one,
 * and again on resuming the saved session).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "interview.h"
#include "interview_fixture.h"
#include "rulebook.h"

#define NQ 10

/* After "{\"reduce\": [[": an array of n ones, then a body adding a
 * reduce over 20,000 ones (about 20,000 n node visits), up to the
 * reduce's initial value. */
static void put_heavy(ik_buf *b, int n)
{
    int k;

    for (k = 0; k < n; k++)
        ik_buf_puts(b, k ? ",1" : "1");
    ik_buf_puts(b, "], {\"+\": [{\"var\": \"accumulator\"}, {\"reduce\": [[");
    for (k = 0; k < 20000; k++)
        ik_buf_puts(b, k ? ",1" : "1");
    ik_buf_puts(b, "], {\"+\": [{\"var\": \"accumulator\"}, 1]}, 0]}]}, ");
}

/* The pack written in b (freed), named name. */
static ik_rulebook *load_buf(ik_buf *b, const char *name)
{
    ik_rulebook *rb = NULL;
    ik_error err;

    assert_int_equal(ik_buf_status(b), IK_OK);
    ik_error_clear(&err);
    if (ik_rulebook_load_text(ik_buf_cstr(b), b->len, name, &rb, &err) != IK_OK)
        fail_msg("%s:%d:%d: %s", name, err.line, err.col, err.msg);
    ik_buf_fini(b);
    return rb;
}

/*
 * Questions q1..q10 (yes/no). The stop flag "heavy" reads every question
 * and costs 6 to 8 million node visits an evaluation (a reduce over 100
 * items whose body is a reduce over 20,000); it is never true (the sum is
 * never -1). Nine answers and the check before any make ten checks, 60
 * to 80 million in all: past one pool, within one answer's each. The
 * derived value "boom" runs past one evaluation's budget (10 million)
 * when q10 is yes: answering yes there fails.
 */
static ik_rulebook *load_pack(void)
{
    ik_buf b;
    int i;

    ik_buf_init(&b);
    ik_buf_puts(&b, "{\"format\": \"intake-rules/1\", \"id\": \"restart\", "
                    "\"version\": \"1.0.0\", \"title\": \"t\", "
                    "\"disclaimer\": \"d\", \"safety_net\": \"s\", "
                    "\"get_help\": \"g\", \"questions\": [");
    for (i = 1; i <= NQ; i++)
        ik_buf_printf(&b,
                      "%s{\"id\": \"q%d\", \"type\": \"yes_no\", "
                      "\"text\": \"Q%d\"}",
                      i > 1 ? ", " : "", i, i);
    ik_buf_puts(&b, "], \"derived\": [{\"id\": \"boom\", \"value\": {\"if\": "
                    "[{\"var\": \"q10\"}, {\"reduce\": [[");
    put_heavy(&b, 300);
    ik_buf_puts(&b, "0]}, "
                    "0]}}], \"red_flags\": [{\"id\": \"heavy\", \"when\": "
                    "{\"==\": [{\"reduce\": [[");
    put_heavy(&b, 100);
    ik_buf_puts(&b, ""
                    "{\"+\": [");
    for (i = 1; i <= NQ; i++)
        ik_buf_printf(&b, "%s{\"var\": \"q%d\"}", i > 1 ? ", " : "", i);
    ik_buf_puts(&b, "]}]}, -1]}, \"disposition\": \"emergency\", \"stop\": "
                    "true, \"message\": \"H\"}], \"dispositions\": ["
                    "{\"id\": \"emergency\", \"label\": \"E\", \"advice\": "
                    "\"e\", \"alarm\": true}, {\"id\": \"routine\", "
                    "\"label\": \"R\", \"advice\": \"r\"}]}");
    return load_buf(&b, "restart.json");
}

/* The question asked now: its number (1 for q1), 0 at the outcome. */
static int asked(const ik_interview *iv)
{
    ik_step s;

    ik_interview_next(iv, &s);
    return s.kind == IK_STEP_QUESTION ? atoi(s.id + 1) : 0;
}

/* Eight answers, then the progress bound at q9 (one more may follow):
 * its search answers q9 (one check) and then q10, past its own pool (10
 * million), and restarts from nine answers (ten checks). The bound holds
 * (one more question), and the interview goes on to its end. */
static void
test_the_bound_after_many_answers_with_a_costly_stop_flag(void **state)
{
    ik_rulebook *rb = *state;
    ik_interview *iv = start(rb);
    int i;

    for (i = 1; i < NQ - 1; i++) {
        assert_int_equal(asked(iv), i);
        say(iv, "no");
    }
    assert_int_equal(asked(iv), NQ - 1);
    assert_int_equal(ik_interview_at_most(iv), 1);
    say(iv, "no");
    assert_int_equal(asked(iv), NQ);
    say(iv, "no");
    assert_int_equal(asked(iv), 0);
    ik_interview_free(iv);
}

/* Nine answers, then one that fails (q10 yes: "boom" runs out): the
 * answer is refused naming the derived value, the undo restarts from the
 * nine answers, and the interview takes the next answer. */
static void test_an_answer_after_a_failed_answer(void **state)
{
    ik_rulebook *rb = *state;
    ik_interview *iv = start(rb);
    ik_error err;
    int i;

    for (i = 1; i < NQ; i++)
        say(iv, "no");
    assert_int_equal(ik_interview_answer(iv, "yes", 3, &err), IK_ELOGIC);
    assert_non_null(strstr(err.msg, "\"boom\""));
    assert_int_equal(asked(iv), NQ);
    assert_int_equal(ik_interview_nevents(iv), NQ - 1);
    assert_true(ik_interview_at_most(iv) <= 1);
    say(iv, "no");
    assert_int_equal(asked(iv), 0);
    ik_interview_free(iv);
}

/* The history of eight answers replayed on a new interview (as `run
 * --resume` does), then the bound (as above) and the last answers. */
static void test_resuming_after_many_answers(void **state)
{
    ik_rulebook *rb = *state;
    ik_interview *iv = start(rb), *again = start(rb);
    ik_error err;
    size_t i;

    for (i = 1; i < NQ - 1; i++)
        say(iv, "no");
    for (i = 0; i < ik_interview_nevents(iv); i++) {
        ik_event ev = ik_interview_event(iv, i);
        if (ik_interview_apply(again, &ev, &err) != IK_OK)
            fail_msg("event %zu: %s", i, err.msg);
    }
    assert_int_equal(asked(again), NQ - 1);
    assert_int_equal(ik_interview_at_most(again), 1);
    say(again, "no");
    say(again, "no");
    assert_int_equal(asked(again), 0);
    ik_interview_free(again);
    ik_interview_free(iv);
}

/*
 * At the current question: "yes" with every allocation from the n-th on
 * failing, which fails (its step runs out, or memory) and is undone; then
 * "no" with every allocation failing, refused when the undo's restart
 * failed too (the interview is broken: counted in *refused), and taken
 * once memory is back. The interview's accessors answer in between.
 * Returns the allocations the first answer made.
 */
static long answer_after_a_failure(ik_interview *iv, long n, int *refused)
{
    size_t nevents = ik_interview_nevents(iv);
    const ik_outcome *app;
    ik_error err;
    ik_status st;
    long made;

    ik_alloc_fail_after(n);
    st = ik_interview_answer(iv, "yes", 3, &err);
    made = ik_alloc_fail_after(0);
    assert_true(st == IK_ENOMEM || st == IK_ELOGIC);
    assert_int_equal(ik_interview_nevents(iv), nevents);
    app = ik_interview_applied(iv);
    assert_non_null(app->enabled);
    assert_non_null(app->slots);
    (void)ik_interview_at_most(iv);
    ik_alloc_fail_after(1);
    st = ik_interview_answer(iv, "no", 2, &err);
    ik_alloc_fail_after(0);
    if (st != IK_OK) {
        assert_int_equal(st, IK_ENOMEM);
        assert_non_null(strstr(err.msg, "the interview cannot go on"));
        assert_int_equal(ik_interview_nevents(iv), nevents);
        (*refused)++;
        say(iv, "no"); /* memory is back: it goes on */
    }
    return made;
}

/* answer_after_a_failure at the question `before` leads to, for n = 1, 2,
 * ... until the first answer is past every allocation; then `after`
 * checks where the interview is. Asserts that some change was refused
 * (the loop met a broken interview). */
static void each_failure(const ik_rulebook *rb, void (*before)(ik_interview *),
                         void (*after)(ik_interview *, long))
{
    long n, made = 0;
    int refused = 0;

    for (n = 1; n < 100; n++) {
        ik_interview *iv = start(rb);

        before(iv);
        made = answer_after_a_failure(iv, n, &refused);
        after(iv, n);
        ik_interview_free(iv);
        if (made < n)
            break; /* no allocation failed: past them all */
    }
    assert_true(n < 100);
    assert_true(refused > 0); /* the loop reached a refused change */
}

/* q0 no: the history's first allocation is made. */
static void answer_q0(ik_interview *iv)
{
    say(iv, "no");
}

/* At q2 of the small pack: it goes on to its end. */
static void finish_small(ik_interview *iv, long n)
{
    (void)n;
    assert_int_equal(asked(iv), 2);
    say(iv, "no");
    assert_int_equal(asked(iv), 0);
}

/*
 * A restart that fails (here out of memory, in the undo of a failed
 * answer: q1 yes runs "boom" past one evaluation's budget; q0 comes
 * first so that the history has its memory) leaves an
 * interview whose accessors still answer, with the history before the
 * failed answer (what a saved session holds). The next change restarts
 * it again first: when that fails too, the change is refused saying that
 * the interview cannot go on; once memory is back, it goes on. The loop
 * asserts that it reached a refusal.
 */
static void test_a_failed_restart_refuses_changes_until_one_works(void **state)
{
    ik_rulebook *rb = NULL;
    ik_buf b;

    (void)state;
    ik_buf_init(&b);
    ik_buf_puts(&b, "{\"format\": \"intake-rules/1\", \"id\": \"small\", "
                    "\"version\": \"1.0.0\", \"title\": \"t\", "
                    "\"disclaimer\": \"d\", \"safety_net\": \"s\", "
                    "\"get_help\": \"g\", \"questions\": [{\"id\": \"q0\", "
                    "\"type\": \"yes_no\", \"text\": \"Q0\"}, {\"id\": "
                    "\"q1\", \"type\": \"yes_no\", \"text\": \"Q1\"}, "
                    "{\"id\": \"q2\", \"type\": \"yes_no\", \"text\": "
                    "\"Q2\"}], \"derived\": [{\"id\": \"boom\", \"value\": "
                    "{\"if\": [{\"var\": \"q1\"}, {\"reduce\": [[");
    put_heavy(&b, 300);
    ik_buf_puts(&b, "0]}, "
                    "0]}}], \"red_flags\": [{\"id\": \"f\", \"when\": "
                    "{\"var\": \"q2\"}, \"disposition\": \"emergency\", "
                    "\"stop\": true, \"message\": \"F\"}], "
                    "\"dispositions\": [{\"id\": \"emergency\", \"label\": "
                    "\"E\", \"advice\": \"e\", \"alarm\": true}, {\"id\": "
                    "\"routine\", \"label\": \"R\", \"advice\": \"r\"}]}");
    rb = load_buf(&b, "small.json");
    each_failure(rb, answer_q0, finish_small);
    ik_rulebook_free(rb);
}

/*
 * A change whose undo cannot restart either leaves the interview where it
 * was: at the question answered, with the bound it showed. Questions
 * q0..q4 (yes/no); the stop flag "f" fires on q1 yes; the rule "r" runs
 * past one evaluation's budget once q0 is no (only the outcome evaluates
 * rules, so the steps to q1 work). q1 yes stops the interview, the
 * outcome fails, and so does the undo's restart (its outcome at q0 no):
 * the interview is broken. Before, it was left at the outcome (the failed
 * step's place had moved past the questions): the next step said the
 * interview had ended, "at most 0 more" while q2..q4 may still follow,
 * and an answer was refused as "the interview has ended" instead of
 * "cannot go on".
 */
static void test_a_failed_undo_keeps_the_question_and_its_bound(void **state)
{
    ik_rulebook *rb = NULL;
    ik_interview *iv;
    ik_error err;
    ik_buf b;
    ik_step s;
    int i;

    (void)state;
    ik_buf_init(&b);
    ik_buf_puts(&b, "{\"format\": \"intake-rules/1\", \"id\": \"undo\", "
                    "\"version\": \"1.0.0\", \"title\": \"t\", "
                    "\"disclaimer\": \"d\", \"safety_net\": \"s\", "
                    "\"get_help\": \"g\", \"questions\": [");
    for (i = 0; i < 5; i++)
        ik_buf_printf(&b,
                      "%s{\"id\": \"q%d\", \"type\": \"yes_no\", "
                      "\"text\": \"Q%d\"}",
                      i ? ", " : "", i, i);
    ik_buf_puts(&b, "], \"red_flags\": [{\"id\": \"f\", \"when\": {\"var\": "
                    "\"q1\"}, \"disposition\": \"emergency\", \"stop\": "
                    "true, \"message\": \"F\"}], \"rules\": [{\"id\": \"r\", "
                    "\"when\": {\"if\": [{\"===\": [{\"var\": \"q0\"}, "
                    "false]}, {\"==\": [{\"reduce\": [[");
    put_heavy(&b, 300);
    ik_buf_puts(&b, "0]}, -1]}, false]}, \"then\": {\"disposition\": "
                    "\"routine\"}}], \"dispositions\": [{\"id\": "
                    "\"emergency\", \"label\": \"E\", \"advice\": \"e\", "
                    "\"alarm\": true}, {\"id\": \"routine\", \"label\": "
                    "\"R\", \"advice\": \"r\"}]}");
    rb = load_buf(&b, "undo.json");
    iv = start(rb);
    say(iv, "no");
    assert_int_equal(asked(iv), 1);
    assert_int_equal(ik_interview_at_most(iv), 3);
    assert_int_equal(ik_interview_answer(iv, "yes", 3, &err), IK_ELOGIC);
    assert_non_null(strstr(err.msg, "\"r\""));
    assert_int_equal(ik_interview_nevents(iv), 1);
    ik_interview_next(iv, &s);
    assert_int_equal(s.kind, IK_STEP_QUESTION);
    assert_string_equal(s.id, "q1");
    assert_int_equal(s.to_go_max, 3);
    assert_int_equal(ik_interview_at_most(iv), 3);
    /* the outcome at q0 no cannot be computed: no change can be made */
    assert_int_equal(ik_interview_answer(iv, "no", 2, &err), IK_ELOGIC);
    assert_non_null(strstr(err.msg, "the interview cannot go on"));
    assert_int_equal(asked(iv), 1);
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

/* p no (the history's first allocation), then at q0: the counters say
 * at most 5 more, the search 2. */
static void to_q0(ik_interview *iv)
{
    ik_step s;

    say(iv, "no");
    ik_interview_next(iv, &s);
    assert_int_equal(s.to_go_max, 5);
    assert_int_equal(ik_interview_at_most(iv), 2);
}

/* At q1 after q0 no: at most 1 more, never more than 2 - 1. */
static void at_q1(ik_interview *iv, long n)
{
    ik_step s;

    ik_interview_next(iv, &s);
    assert_string_equal(s.id, "q1");
    if (s.to_go_max > 1)
        fail_msg("allocation %ld: at most 2 more at q0, then %u at q1", n,
                 s.to_go_max);
    assert_int_equal(ik_interview_at_most(iv), 1);
}

/*
 * The bound shown before a broken interview is mended still bounds after
 * it: it never rises going forward. p, q0 (yes/no; yes runs "boom" past
 * one evaluation's budget), then q1 (a, b, c or d) and q2..q5, each asked
 * when q1 is its letter. At q0 the counters say at most 5 more (q1 and
 * the four that could apply), the search 2. q0 yes fails and its undo's
 * restart runs out of memory (the interview is broken); the next change
 * mends it with a restart, whose counters said 5 again, so after q0 no
 * the interview said at most 4 more at q1 where it had said 2 at q0 (the
 * exact bound there is 1).
 */
static void test_a_mended_interview_keeps_its_bound(void **state)
{
    static const char *const letters = "abcd";
    ik_rulebook *rb = NULL;
    ik_buf b;
    int i;

    (void)state;
    ik_buf_init(&b);
    ik_buf_puts(&b, "{\"format\": \"intake-rules/1\", \"id\": \"mend\", "
                    "\"version\": \"1.0.0\", \"title\": \"t\", "
                    "\"disclaimer\": \"d\", \"safety_net\": \"s\", "
                    "\"get_help\": \"g\", \"questions\": [{\"id\": \"p\", "
                    "\"type\": \"yes_no\", \"text\": \"P\"}, {\"id\": "
                    "\"q0\", \"type\": \"yes_no\", \"text\": \"Q0\"}, "
                    "{\"id\": \"q1\", \"type\": \"choice\", \"text\": "
                    "\"Q1\", \"options\": [");
    for (i = 0; i < 4; i++)
        ik_buf_printf(&b, "%s{\"value\": \"%c\", \"label\": \"%c\"}",
                      i ? ", " : "", letters[i], letters[i]);
    ik_buf_puts(&b, "]}");
    for (i = 0; i < 4; i++)
        ik_buf_printf(&b,
                      ", {\"id\": \"q%d\", \"type\": \"yes_no\", \"text\": "
                      "\"Q%d\", \"enable_when\": {\"==\": [{\"var\": "
                      "\"q1\"}, \"%c\"]}}",
                      i + 2, i + 2, letters[i]);
    ik_buf_puts(&b, "], \"derived\": [{\"id\": \"boom\", \"value\": {\"if\": "
                    "[{\"var\": \"q0\"}, {\"reduce\": [[");
    put_heavy(&b, 300);
    ik_buf_puts(&b, "0]}, 0]}}], \"dispositions\": [{\"id\": \"routine\", "
                    "\"label\": \"R\", \"advice\": \"r\"}]}");
    rb = load_buf(&b, "mend.json");
    each_failure(rb, to_q0, at_q1);
    ik_rulebook_free(rb);
}

static int setup(void **state)
{
    *state = load_pack();
    return 0;
}

static int teardown(void **state)
{
    ik_rulebook_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_the_bound_after_many_answers_with_a_costly_stop_flag),
        cmocka_unit_test(test_an_answer_after_a_failed_answer),
        cmocka_unit_test(test_resuming_after_many_answers),
        cmocka_unit_test(test_a_failed_restart_refuses_changes_until_one_works),
        cmocka_unit_test(test_a_failed_undo_keeps_the_question_and_its_bound),
        cmocka_unit_test(test_a_mended_interview_keeps_its_bound),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
