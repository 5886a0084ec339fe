/*
 * test_progress.c -- progress that does not lie (issue 13, item 3): the
 * question step's to_go_max ("at most M more") is an upper bound on the
 * questions still asked, and it never rises on a forward step (answer,
 * skip, acknowledgement, going on past an alert). Property test over
 * random forward walks of the bundled packs, the good test packs and a
 * generated pack. Also measures how often to_go (the count if later
 * answers bring in nothing new) equals what is left, on the FBS pack's
 * own test cases, and prints it: the front end shows a likely count only
 * when it is right more often than not.
 */
#define _POSIX_C_SOURCE 200809L /* popen: list the good packs */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "interview.h"
#include "json.h"
#include "outcome.h"
#include "rulebook.h"
#include "value.h"

#define RNG_SEED 13
#include "random_answer.h"

typedef struct trace {
    uint32_t *max, *likely; /* per question step of one walk */
    uint32_t n, cap;
    unsigned long steps, likely_right;
    unsigned long slack_sum, exact; /* bound minus what followed; bound exact */
    /* at question 1 of each walk: the bound, and what followed */
    unsigned long walks, q1_bound_sum, q1_left_sum, q1_left_max;
} trace;

static void trace_add(trace *t, const ik_step *s)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->max = realloc(t->max, t->cap * sizeof *t->max);
        t->likely = realloc(t->likely, t->cap * sizeof *t->likely);
        assert_non_null(t->max);
        assert_non_null(t->likely);
    }
    t->max[t->n] = s->to_go_max;
    t->likely[t->n++] = s->to_go;
}

/* After a walk of t->n question steps: step i had n - i - 1 after it. */
static void trace_check(trace *t, const char *what)
{
    uint32_t i;

    if (t->n) {
        t->walks++;
        t->q1_bound_sum += t->max[0];
        t->q1_left_sum += t->n - 1;
        if (t->n - 1 > t->q1_left_max)
            t->q1_left_max = t->n - 1;
    }
    for (i = 0; i < t->n; i++) {
        uint32_t left = t->n - i - 1;
        if (left > t->max[i])
            fail_msg("%s: step %u said at most %u more, %u followed", what,
                     i + 1, t->max[i], left);
        if (i && t->max[i] > t->max[i - 1])
            fail_msg("%s: the bound rose from %u to %u at step %u", what,
                     t->max[i - 1], t->max[i], i + 1);
        t->likely_right += t->likely[i] == left;
        t->slack_sum += t->max[i] - left;
        t->exact += t->max[i] == left;
        t->steps++;
    }
    t->n = 0;
}

/* One forward walk with random answers (some skipped, some typed wrong
 * and refused), until the outcome. */
static void walk(ik_rulebook *rb, const char *aud, trace *t, ik_arena *a)
{
    ik_interview *iv;
    ik_error err;
    ik_step s;

    assert_int_equal(ik_interview_new(rb, aud, &iv, &err), IK_OK);
    for (ik_interview_next(iv, &s); s.kind == IK_STEP_QUESTION;
         ik_interview_next(iv, &s)) {
        const ik_question *q = &rb->questions[s.question];
        ik_event ev;
        trace_add(t, &s);
        if (s.alert != IK_STEP_NONE && rnd(2))
            assert_int_equal(ik_interview_alert(iv, true, &err), IK_OK);
        if (s.can_skip && rnd(8) == 0 && ik_interview_skip(iv, &err) == IK_OK)
            continue;
        for (;;) {
            ev.question = s.question;
            ev.kind = q->type == IK_Q_INFO ? IK_EV_ACK : IK_EV_ANSWER;
            ev.value =
                q->type == IK_Q_INFO ? ik_null() : random_typed_answer(q, a);
            if (ik_interview_apply(iv, &ev, &err) == IK_OK)
                break;
        }
    }
    ik_interview_free(iv);
    ik_arena_reset(a);
}

static void walk_pack(const char *path, unsigned walks)
{
    ik_rulebook *rb = NULL;
    ik_error err;
    ik_arena a;
    trace t;
    unsigned i;

    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        fail_msg("%s: %s", path, err.msg);
    memset(&t, 0, sizeof t);
    ik_arena_init(&a);
    for (i = 0; i < walks; i++) {
        walk(rb, rb->audiences[IK_AUD_NURSE] && rnd(2) ? "nurse" : "patient",
             &t, &a);
        trace_check(&t, path);
    }
    assert_true(t.steps > walks);
    ik_arena_fini(&a);
    free(t.max);
    free(t.likely);
    ik_rulebook_free(rb);
}

static void
test_the_bound_holds_and_never_rises_on_the_bundled_packs(void **state)
{
    (void)state;
    walk_pack(IK_SOURCE_DIR "/rules/failed-back-syndrome.json", 400);
    walk_pack(IK_SOURCE_DIR "/rules/examples/bicycle-check.json", 400);
    walk_pack(IK_SOURCE_DIR "/tests/data/interview/pack.json", 400);
}

static void
test_the_bound_holds_and_never_rises_on_the_good_test_packs(void **state)
{
    char cmd[1024], path[512];
    FILE *f;

    (void)state;
    snprintf(cmd, sizeof cmd, "ls %s/tests/packs/good/*.json", IK_SOURCE_DIR);
    f = popen(cmd, "r");
    assert_non_null(f);
    while (fgets(path, sizeof path, f)) {
        path[strcspn(path, "\n")] = '\0';
        walk_pack(path, 100);
    }
    assert_int_equal(pclose(f), 0);
}

static void
test_the_bound_holds_and_never_rises_on_a_generated_pack(void **state)
{
    char cmd[1024];
    const char *out = IK_BINARY_DIR "/tests/progress-gen300.json";

    (void)state;
    snprintf(cmd, sizeof cmd,
             "python3 %s/scripts/genscale.py 300 --seed 5 --out %s",
             IK_SOURCE_DIR, out);
    assert_int_equal(system(cmd), 0); /* the script ships with the repo */
    walk_pack(out, 40);
}

/* The FBS test cases' answers, walked forward (a question without an
 * answer in the case is skipped): how often to_go is what is left. */
static void
test_how_often_the_likely_count_is_right_on_the_pack_cases(void **state)
{
    const char *pack = IK_SOURCE_DIR "/rules/failed-back-syndrome.json";
    const char *cases = IK_SOURCE_DIR "/rules/failed-back-syndrome.tests.json";
    ik_rulebook *rb = NULL;
    ik_json_doc doc;
    ik_error err;
    ik_arena a;
    const cJSON *c;
    ik_value *answers;
    trace t;
    unsigned ncases = 0;
    char *text = NULL;
    size_t len;

    (void)state;
    assert_int_equal(ik_rulebook_load_file(pack, &rb, &err), IK_OK);
    assert_int_equal(ik_json_read_file(cases, 1 << 24, &text, &len, &err),
                     IK_OK);
    assert_int_equal(ik_json_parse(text, len, cases, 0, &doc, &err), IK_OK);
    ik_arena_init(&a);
    memset(&t, 0, sizeof t);
    answers = ik_calloc(rb->nquestions + 1, sizeof *answers);
    assert_non_null(answers);
    for (c = ik_json_get(doc.root, "cases")->child; c; c = c->next) {
        const cJSON *an = ik_json_get(c, "answers");
        ik_interview *iv;
        ik_value obj;
        ik_step s;
        if (!an)
            continue; /* a case of steps */
        assert_true(ik_value_from_cjson(an, &a, &obj));
        assert_int_equal(ik_outcome_bind_answers(rb, obj, answers, &err),
                         IK_OK);
        assert_int_equal(ik_interview_new(rb, NULL, &iv, &err), IK_OK);
        for (ik_interview_next(iv, &s); s.kind == IK_STEP_QUESTION;
             ik_interview_next(iv, &s)) {
            const ik_question *q = &rb->questions[s.question];
            ik_event ev;
            trace_add(&t, &s);
            ev.question = s.question;
            ev.value = answers[s.question];
            ev.kind = q->type == IK_Q_INFO ? IK_EV_ACK
                      : ev.value.kind == IK_UNDEF || ev.value.kind == IK_NULL
                          ? IK_EV_SKIP
                          : IK_EV_ANSWER;
            if (ev.kind != IK_EV_ANSWER)
                ev.value = ik_null();
            if (ik_interview_apply(iv, &ev, &err) != IK_OK)
                break; /* a required question the case leaves out */
        }
        ik_interview_free(iv);
        trace_check(&t, c->string ? c->string : "case");
        ncases++;
        ik_arena_reset(&a);
    }
    print_message("likely count (to_go) right at %lu of %lu question steps "
                  "(%.0f%%) over %u FBS test cases\n",
                  t.likely_right, t.steps,
                  t.steps ? 100.0 * (double)t.likely_right / (double)t.steps
                          : 0.0,
                  ncases);
    print_message("the bound over all question steps: %.2f more than what "
                  "followed (mean), exact at %lu of %lu (%.0f%%)\n",
                  t.steps ? (double)t.slack_sum / (double)t.steps : 0.0,
                  t.exact, t.steps,
                  t.steps ? 100.0 * (double)t.exact / (double)t.steps : 0.0);
    print_message("at question 1: at most %.1f more (mean); asked after it: "
                  "mean %.1f, max %lu, over %lu FBS test cases\n",
                  t.walks ? (double)t.q1_bound_sum / (double)t.walks : 0.0,
                  t.walks ? (double)t.q1_left_sum / (double)t.walks : 0.0,
                  t.q1_left_max, t.walks);
    assert_true(ncases > 10);
    ik_free(answers);
    free(t.max);
    free(t.likely);
    ik_arena_fini(&a);
    ik_json_doc_fini(&doc);
    ik_free(text);
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_the_bound_holds_and_never_rises_on_the_bundled_packs),
        cmocka_unit_test(
            test_the_bound_holds_and_never_rises_on_the_good_test_packs),
        cmocka_unit_test(
            test_the_bound_holds_and_never_rises_on_a_generated_pack),
        cmocka_unit_test(
            test_how_often_the_likely_count_is_right_on_the_pack_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
