/*
 * test_interview_incremental.c -- differential test of the interview's
 * incremental step: random walks (answers typed and replayed, skips,
 * back, why, unknown, going on past the outcome) over the bundled packs,
 * the good test packs and a generated pack; after EVERY step the
 * interview's state (current question, step kind, stop flag, to_go,
 * to_go_max, which questions apply, every applied answer and derived
 * value) is compared with a from-scratch computation of the same
 * answers, and the full outcome JSON (both audiences) at the outcome and
 * now and then on the way. Must not compare against stored expectations:
 * the from-scratch path is the judge.
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
#include "outcome.h"
#include "rulebook.h"

#define RNG_SEED 11
#include "random_answer.h"

/* The old settle's could_enable, from scratch. */
static bool could_enable(const ik_rulebook *rb, const ik_value *answers,
                         uint32_t q, uint32_t *tmp, size_t cap)
{
    size_t n = ik_logic_reads(rb->logic, rb->questions[q].enable_when, tmp,
                              cap),
           i;

    if (n > cap)
        return true;
    for (i = 0; i < n; i++) {
        if (tmp[i] >= rb->nquestions)
            return true;
        if (tmp[i] != q && answers[tmp[i]].kind == IK_UNDEF)
            return true;
    }
    return false;
}

/* Whether expression e reads, directly or through derived values, a
 * question at or after cur: until the interview reaches its last such
 * question, what e says may still change; after, it is settled. From
 * scratch, with ik_logic_reads (derived i's slot is nquestions + i). */
static bool reads_from(const ik_rulebook *rb, ik_expr e, uint32_t cur)
{
    size_t cap = 64, n, i;
    uint32_t *tmp = NULL;
    bool r = false;

    for (;;) {
        tmp = realloc(tmp, cap * sizeof *tmp);
        assert_non_null(tmp);
        n = ik_logic_reads(rb->logic, e, tmp, cap);
        if (n <= cap)
            break;
        cap = n;
    }
    for (i = 0; !r && i < n; i++)
        r = tmp[i] < rb->nquestions
                ? tmp[i] >= cur
                : reads_from(rb, rb->derived[tmp[i] - rb->nquestions].value,
                             cur);
    free(tmp);
    return r;
}

static void value_json(ik_buf *b, ik_value v)
{
    ik_buf_clear(b);
    if (v.kind == IK_UNDEF)
        ik_buf_puts(b, "<undef>");
    else
        ik_value_write_json(b, v);
}

static void outcome_json(const ik_rulebook *rb, const ik_outcome *o,
                         ik_audience aud, ik_buf *b)
{
    ik_buf_clear(b);
    ik_outcome_write_json(rb, o, aud, b);
    assert_int_equal(ik_buf_status(b), IK_OK);
}

typedef struct walk {
    const ik_rulebook *rb;
    ik_outcome ref;
    uint32_t *tmp;
    size_t cap;
    ik_buf x, y;
    unsigned checks, outcomes;
} walk;

/* Compare the interview's state with a from-scratch computation. */
static void check(walk *w, const ik_interview *iv, bool full)
{
    const ik_rulebook *rb = w->rb;
    const ik_value *answers = ik_interview_answers(iv);
    const ik_outcome *app = ik_interview_applied(iv);
    ik_step step;
    ik_error err;
    uint32_t q, s, cur = IK_NONE, to_go = 0, to_go_max = 0, nmaybe = 0;
    uint32_t *maybe = calloc(rb->nquestions + 1, sizeof *maybe);
    int aud;

    assert_non_null(maybe);

    assert_int_equal(ik_outcome_compute(rb, answers, &w->ref, &err), IK_OK);
    if (w->ref.stop_flag == IK_NONE)
        for (q = 0; q < rb->nquestions; q++) {
            if (answers[q].kind != IK_UNDEF)
                continue;
            if (w->ref.enabled[q]) {
                if (cur == IK_NONE)
                    cur = q;
                else
                    to_go++;
            } else if (rb->questions[q].enable_when != IK_NO_EXPR &&
                       could_enable(rb, answers, q, w->tmp, w->cap)) {
                maybe[nmaybe++] = q;
            }
        }
    /* a maybe counts while it reads a question at or after the current
     * one; past its last, whether it applies is settled */
    for (s = 0; cur != IK_NONE && s < nmaybe; s++)
        to_go_max += reads_from(rb, rb->questions[maybe[s]].enable_when, cur);
    to_go_max += to_go;
    ik_interview_next(iv, &step);
    w->checks++;
    if (cur == IK_NONE) {
        assert_int_equal(step.kind, IK_STEP_OUTCOME);
        assert_int_equal(step.stop_flag, w->ref.stop_flag == IK_NONE
                                             ? IK_NONE
                                             : w->ref.stop_flag);
        full = true;
    } else {
        assert_int_equal(step.kind, IK_STEP_QUESTION);
        assert_int_equal(step.question, cur);
        assert_int_equal(step.to_go, to_go);
        assert_int_equal(step.to_go_max, to_go_max);
    }
    free(maybe);
    assert_non_null(app);
    assert_non_null(app->enabled);
    for (q = 0; q < rb->nquestions; q++)
        assert_int_equal(app->enabled[q], w->ref.enabled[q]);
    assert_int_equal(app->nslots, w->ref.nslots);
    for (s = 0; s < rb->nquestions + rb->nderived; s++) {
        value_json(&w->x, app->slots[s]);
        value_json(&w->y, w->ref.slots[s]);
        if (strcmp(ik_buf_cstr(&w->x), ik_buf_cstr(&w->y)) != 0)
            fail_msg("slot %s: %s, from scratch %s", ik_outcome_slot_id(rb, s),
                     ik_buf_cstr(&w->x), ik_buf_cstr(&w->y));
    }
    if (!full)
        return;
    w->outcomes++;
    for (aud = 0; aud < IK_AUD__COUNT; aud++) {
        outcome_json(rb, &w->ref, (ik_audience)aud, &w->y);
        outcome_json(rb, ik_interview_outcome(iv), (ik_audience)aud, &w->x);
        assert_string_equal(ik_buf_cstr(&w->x), ik_buf_cstr(&w->y));
    }
    {
        char *json = NULL;
        assert_int_equal(ik_interview_outcome_json(iv, &json, &err), IK_OK);
        outcome_json(rb, &w->ref, ik_interview_aud(iv), &w->y);
        assert_string_equal(json, ik_buf_cstr(&w->y));
        ik_interview_free_string(json);
    }
}

static const char *const typed[] = {"yes",     "no", "1",    "2", "3", "5",
                                    "unknown", "",   "nope", "0", "10"};

/* One random action; the interview may refuse it. */
static void act(ik_interview *iv, ik_arena *a)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    ik_step step;
    ik_error err;
    ik_event ev;
    uint32_t r = rnd(100);

    ik_interview_next(iv, &step);
    if (step.kind == IK_STEP_OUTCOME || r < 8) {
        if (rnd(4) != 0)
            (void)ik_interview_back(iv, &err);
        return;
    }
    if (r < 18) {
        (void)ik_interview_skip(iv, &err);
    } else if (r < 22) {
        ik_buf b;
        ik_buf_init(&b);
        ik_interview_why(iv, &b);
        ik_buf_fini(&b);
    } else if (r < 45) {
        const char *t = typed[rnd(sizeof typed / sizeof *typed)];
        (void)ik_interview_answer(iv, t, strlen(t), &err);
    } else {
        const ik_question *q = &rb->questions[step.question];
        ev.question = step.question;
        ev.kind = q->type == IK_Q_INFO ? IK_EV_ACK : IK_EV_ANSWER;
        ev.value = q->type == IK_Q_INFO ? ik_null() : random_typed_answer(q, a);
        (void)ik_interview_apply(iv, &ev, &err);
    }
}

static void walk_pack(const char *path, unsigned steps, unsigned every)
{
    ik_rulebook *rb = NULL;
    ik_interview *iv = NULL;
    ik_error err;
    ik_arena a;
    walk w;
    unsigned i;
    int aud;

    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        fail_msg("%s: %s", path, err.msg);
    memset(&w, 0, sizeof w);
    w.rb = rb;
    ik_outcome_init(&w.ref);
    w.cap =
        (size_t)ik_logic_nslots(rb->logic) + rb->nquestions + rb->nderived + 1;
    w.tmp = ik_malloc(w.cap * sizeof *w.tmp);
    assert_non_null(w.tmp);
    ik_buf_init(&w.x);
    ik_buf_init(&w.y);
    ik_arena_init(&a);
    for (aud = 0; aud < IK_AUD__COUNT; aud++) {
        if (aud != IK_AUD_PATIENT && !rb->audiences[aud])
            continue;
        assert_int_equal(
            ik_interview_new(rb, aud == IK_AUD_NURSE ? "nurse" : "patient", &iv,
                             &err),
            IK_OK);
        check(&w, iv, true);
        for (i = 0; i < steps; i++) {
            if (rnd(400) == 0) { /* start again now and then */
                ik_interview_free(iv);
                assert_int_equal(
                    ik_interview_new(rb,
                                     aud == IK_AUD_NURSE ? "nurse" : "patient",
                                     &iv, &err),
                    IK_OK);
                ik_arena_reset(&a);
            }
            act(iv, &a);
            check(&w, iv, rnd(every) == 0);
        }
        ik_interview_free(iv);
        iv = NULL;
    }
    assert_true(w.outcomes > 0);
    ik_arena_fini(&a);
    ik_buf_fini(&w.x);
    ik_buf_fini(&w.y);
    ik_free(w.tmp);
    ik_outcome_fini(&w.ref);
    ik_rulebook_free(rb);
}

static void
every_step_of_random_walks_on_the_bundled_packs_matches_a_computation_from_scratch(
    void **state)
{
    (void)state;
    walk_pack(IK_SOURCE_DIR "/rules/failed-back-syndrome.json", 3000, 10);
    walk_pack(IK_SOURCE_DIR "/rules/examples/bicycle-check.json", 3000, 10);
    walk_pack(IK_SOURCE_DIR "/tests/data/interview/pack.json", 2000, 10);
}

static void
every_step_of_random_walks_on_the_good_test_packs_matches_a_computation_from_scratch(
    void **state)
{
    char cmd[1024], path[512];
    FILE *f;

    (void)state;
    snprintf(cmd, sizeof cmd, "ls %s/tests/packs/good/*.json", IK_SOURCE_DIR);
    f = popen(cmd, "r");
    assert_non_null(f);
    while (fgets(path, sizeof path, f)) {
        path[strcspn(path, "\n")] = '\0';
        walk_pack(path, 1500, 10);
    }
    assert_int_equal(pclose(f), 0);
}

static void
every_step_of_a_random_walk_on_a_generated_pack_matches_a_computation_from_scratch(
    void **state)
{
    char cmd[1024];
    const char *out = IK_BINARY_DIR "/tests/incremental-gen300.json";

    (void)state;
    snprintf(cmd, sizeof cmd,
             "python3 %s/scripts/genscale.py 300 --seed 3 --out %s",
             IK_SOURCE_DIR, out);
    if (system(cmd) != 0) /* genscale.py ships with the repository */
        fail_msg("%s failed", cmd);
    walk_pack(out, 1500, 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            every_step_of_random_walks_on_the_bundled_packs_matches_a_computation_from_scratch),
        cmocka_unit_test(
            every_step_of_random_walks_on_the_good_test_packs_matches_a_computation_from_scratch),
        cmocka_unit_test(
            every_step_of_a_random_walk_on_a_generated_pack_matches_a_computation_from_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
