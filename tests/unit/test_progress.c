/*
 * test_progress.c -- progress that does not lie (issue 13, item 3): "at
 * most M more" (ik_interview_at_most, then step.to_go_max) is an upper
 * bound on the questions still asked, never rises on a forward step
 * (answer, skip, acknowledgement, going on past an alert), and is exact:
 * a brute-force reference (every answer of every question to come, each
 * taken by the public interview calls and undone with back) finds the
 * same longest remaining interview at every step of random walks on small
 * packs (the bicycle example, the interview test pack, generated ones).
 * Property test over random forward walks of the bundled packs, the good
 * test packs and a generated pack. Prints the bound's mean slack and
 * exactness before (the counters' bound of the same walks, an interview
 * fed the same events that never searches) and after, and how often
 * to_go (the count if later answers bring in nothing new) equals what is
 * left on the FBS pack's own test cases: the front end shows a likely
 * count only when it is right more often than not.
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
#include "buf.h"
#include "deps.h"
#include "interview.h"
#include "logic.h"
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

static void trace_add(trace *t, const ik_step *s, uint32_t max)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->max = realloc(t->max, t->cap * sizeof *t->max);
        t->likely = realloc(t->likely, t->cap * sizeof *t->likely);
        assert_non_null(t->max);
        assert_non_null(t->likely);
    }
    t->max[t->n] = max;
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

/* Slack of one bound over the steps of walks. */
typedef struct figures {
    trace exact, sound; /* ik_interview_at_most; the counters' bound */
} figures;

static double mean(unsigned long sum, unsigned long n)
{
    return n ? (double)sum / (double)n : 0.0;
}

static void figures_print(const char *what, const figures *f)
{
    const trace *e = &f->exact, *s = &f->sound;

    print_message("%s: at most M more, over %lu question steps of %lu "
                  "walks: mean slack %.2f, exact at %.0f%% (counters' "
                  "bound: %.2f, %.0f%%); at question 1: %.1f (counters' "
                  "%.1f), the longest asked after it %lu\n",
                  what, e->steps, e->walks, mean(e->slack_sum, e->steps),
                  100 * mean(e->exact, e->steps), mean(s->slack_sum, s->steps),
                  100 * mean(s->exact, s->steps),
                  mean(e->q1_bound_sum, e->walks),
                  mean(s->q1_bound_sum, s->walks), e->q1_left_max);
}

/* The bound now: the exact one, which step.to_go_max then repeats. */
static uint32_t at_most(ik_interview *iv)
{
    uint32_t m = ik_interview_at_most(iv);
    ik_step s;

    ik_interview_next(iv, &s);
    assert_int_equal(s.to_go_max, m);
    assert_true(s.to_go <= m || s.to_go_max == m);
    return m;
}

/* Apply ev to both interviews (the second never searches). */
static ik_status apply2(ik_interview *iv, ik_interview *plain,
                        const ik_event *ev)
{
    ik_error err;
    ik_status st = ik_interview_apply(iv, ev, &err);

    assert_int_equal(ik_interview_apply(plain, ev, &err), st);
    return st;
}

/* One forward walk with random answers (some skipped, some refused),
 * until the outcome, optionally checking each step against check(). */
static void walk(ik_rulebook *rb, const char *aud, figures *f, ik_arena *a,
                 void (*check)(ik_interview *iv, uint32_t m))
{
    ik_interview *iv, *plain;
    ik_error err;
    ik_step s, ps;

    assert_int_equal(ik_interview_new(rb, aud, &iv, &err), IK_OK);
    assert_int_equal(ik_interview_new(rb, aud, &plain, &err), IK_OK);
    for (ik_interview_next(iv, &s); s.kind == IK_STEP_QUESTION;
         ik_interview_next(iv, &s)) {
        const ik_question *q = &rb->questions[s.question];
        uint32_t m = at_most(iv);
        ik_event ev;
        ik_interview_next(plain, &ps);
        assert_int_equal(ps.question, s.question);
        assert_true(m <= ps.to_go_max);
        trace_add(&f->exact, &s, m);
        trace_add(&f->sound, &ps, ps.to_go_max);
        if (check)
            check(iv, m);
        if (s.alert != IK_NONE && rnd(2)) {
            ev.kind = IK_EV_ALERT;
            ev.question = s.question;
            ev.value = ik_str(rb->red_flags[s.alert].id,
                              (uint32_t)strlen(rb->red_flags[s.alert].id));
            assert_int_equal(apply2(iv, plain, &ev), IK_OK);
            assert_int_equal(ik_interview_at_most(iv), m); /* unchanged */
        }
        ev.question = s.question;
        if (s.can_skip && rnd(8) == 0) {
            ev.kind = IK_EV_SKIP;
            ev.value = ik_null();
            assert_int_equal(apply2(iv, plain, &ev), IK_OK);
            continue;
        }
        for (;;) {
            ev.kind = q->type == IK_Q_INFO ? IK_EV_ACK : IK_EV_ANSWER;
            ev.value =
                q->type == IK_Q_INFO ? ik_null() : random_typed_answer(q, a);
            if (apply2(iv, plain, &ev) == IK_OK)
                break;
        }
    }
    ik_interview_next(plain, &ps);
    assert_int_equal(ps.kind, IK_STEP_OUTCOME);
    ik_interview_free(iv);
    ik_interview_free(plain);
    ik_arena_reset(a);
}

static void walk_rb(ik_rulebook *rb, const char *path, unsigned walks,
                    void (*check)(ik_interview *iv, uint32_t m), figures *f)
{
    ik_arena a;
    unsigned i;

    ik_arena_init(&a);
    for (i = 0; i < walks; i++) {
        walk(rb, rb->audiences[IK_AUD_NURSE] && rnd(2) ? "nurse" : "patient",
             f, &a, check);
        trace_check(&f->exact, path);
        trace_check(&f->sound, path);
    }
    assert_true(f->exact.steps > walks);
    ik_arena_fini(&a);
}

static void walk_pack_with(const char *path, unsigned walks,
                           void (*check)(ik_interview *iv, uint32_t m),
                           figures *f)
{
    ik_rulebook *rb = NULL;
    ik_error err;

    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        fail_msg("%s: %s", path, err.msg);
    walk_rb(rb, path, walks, check, f);
    ik_rulebook_free(rb);
}

static void figures_fini(figures *f)
{
    free(f->exact.max);
    free(f->exact.likely);
    free(f->sound.max);
    free(f->sound.likely);
}

static void walk_pack(const char *path, unsigned walks)
{
    figures f;

    memset(&f, 0, sizeof f);
    walk_pack_with(path, walks, NULL, &f);
    figures_print(path + strlen(IK_SOURCE_DIR) + 1, &f);
    figures_fini(&f);
}

/* ---- The reference: every answer, by brute force ---- */

/*
 * The longest interview left, found by trying every answer to every
 * question to come through the public calls (apply, then back), with no
 * use of the answer classes or the dependency model: the answers a
 * question can take are all of its options (every subset of a multi's),
 * yes, no and "unknown", skipped, each whole number of a small range, and
 * for other numbers and for texts every literal the pack's conditions
 * hold, and a little either side of each number. Remembered by the
 * current question and the answers to every question an enable_when or
 * a stop red flag reads, directly or through derived values (another
 * answer changes what is shown at the end, not which questions come).
 */
typedef struct ref {
    const ik_rulebook *rb;
    double nums[256];
    uint32_t nnums;
    ik_value strs[256];
    uint32_t nstrs;
    uint8_t *read; /* per question */
    char **keys;
    uint32_t *vals, cap, n;
    ik_buf key;
    ik_arena a;
    unsigned long states;
} ref;

static void ref_literals(ref *r, ik_expr e)
{
    ik_logic_node n;
    uint32_t i;

    ik_logic_node_get(r->rb->logic, e, &n);
    if (n.kind == IK_LN_CONST) {
        const ik_value *it = n.cst.kind == IK_ARR ? n.cst.u.items : &n.cst;
        uint32_t m = n.cst.kind == IK_ARR ? n.cst.len : 1;
        for (i = 0; i < m; i++) {
            if (it[i].kind == IK_NUM && r->nnums < 256)
                r->nums[r->nnums++] = it[i].u.num;
            if (it[i].kind == IK_STR && r->nstrs < 256)
                r->strs[r->nstrs++] = it[i];
        }
    }
    for (i = 0; i < n.nkids; i++)
        ref_literals(r, ik_logic_node_kid(r->rb->logic, e, i));
}

/* The questions expr reads, directly or through derived values. */
static void ref_reads(ref *r, ik_expr e, uint8_t *seen)
{
    const ik_rulebook *rb = r->rb;
    uint32_t slots[512], d;
    size_t n = ik_logic_reads(rb->logic, e, slots, 512), k;

    assert_true(n <= 512);
    for (k = 0; k < n; k++) {
        if (slots[k] < rb->nquestions)
            r->read[slots[k]] = 1;
        for (d = 0; d < rb->nderived; d++)
            if (rb->derived[d].slot == slots[k] && !seen[d]) {
                seen[d] = 1;
                ref_reads(r, rb->derived[d].value, seen);
            }
    }
}

static void ref_visit(const ik_condition *c, void *ctx)
{
    ref *r = ctx;
    uint8_t *seen = calloc(r->rb->nderived + 1, 1);

    assert_non_null(seen);
    /* what decides which questions come: an enable_when, a stop flag */
    if (c->owner == IK_OWN_QUESTION ||
        (c->owner == IK_OWN_RED_FLAG && r->rb->red_flags[c->index].stop))
        ref_reads(r, c->expr, seen);
    free(seen);
    ref_literals(r, c->expr);
}

static void ref_init(ref *r, const ik_rulebook *rb)
{
    memset(r, 0, sizeof *r);
    r->rb = rb;
    r->read = calloc(rb->nquestions + 1, 1);
    r->cap = 1u << 18;
    r->keys = calloc(r->cap, sizeof *r->keys);
    r->vals = calloc(r->cap, sizeof *r->vals);
    assert_non_null(r->read);
    assert_non_null(r->keys);
    assert_non_null(r->vals);
    ik_buf_init(&r->key);
    ik_arena_init(&r->a);
    ik_rulebook_each_condition(rb, 0, ref_visit, r);
}

static void ref_fini(ref *r)
{
    uint32_t i;

    for (i = 0; i < r->cap; i++)
        free(r->keys[i]);
    free(r->keys);
    free(r->vals);
    free(r->read);
    ik_buf_fini(&r->key);
    ik_arena_fini(&r->a);
}

/* Every answer the reference tries for q, into v (room for 512). */
static uint32_t ref_answers(ref *r, const ik_question *q, ik_value *v)
{
    uint32_t n = 0, k, m;
    double x;

    if (q->type == IK_Q_INFO) {
        v[n++] = ik_null();
        return n;
    }
    if (!q->required)
        v[n++] = ik_null();
    switch (q->type) {
    case IK_Q_YES_NO:
        v[n++] = ik_bool(true);
        v[n++] = ik_bool(false);
        v[n++] = ik_str("unknown", 7);
        break;
    case IK_Q_CHOICE:
        for (k = 0; k < q->noptions; k++)
            v[n++] = ik_str(q->options[k].value,
                            (uint32_t)strlen(q->options[k].value));
        break;
    case IK_Q_MULTI:
        assert_true(q->noptions <= 6);
        for (m = 0; m < (1u << q->noptions); m++) {
            ik_value *items =
                ik_arena_alloc(&r->a, (q->noptions + 1) * sizeof *items);
            uint32_t c = 0;
            for (k = 0; k < q->noptions; k++)
                if (m & (1u << k))
                    items[c++] = ik_str(q->options[k].value,
                                        (uint32_t)strlen(q->options[k].value));
            v[n++] = (ik_value){IK_ARR, c, {.items = items}};
        }
        break;
    case IK_Q_NUMBER:
        if (q->integer && q->max - q->min <= 12) {
            for (x = q->min; x <= q->max; x++)
                v[n++] = ik_num(x);
            break;
        }
        v[n++] = ik_num(q->min);
        v[n++] = ik_num(q->max);
        v[n++] = ik_num(0);
        for (k = 0; k < r->nnums && n < 500; k++) {
            v[n++] = ik_num(r->nums[k] - 1);
            v[n++] = ik_num(r->nums[k]);
            v[n++] = ik_num(r->nums[k] + 1);
            if (!q->integer) {
                v[n++] = ik_num(r->nums[k] - 0.5);
                v[n++] = ik_num(r->nums[k] + 0.5);
            }
        }
        break;
    case IK_Q_TEXT:
        v[n++] = ik_str("", 0);
        v[n++] = ik_str("some words", 10);
        for (k = 0; k < r->nstrs && n < 500; k++)
            v[n++] = r->strs[k];
        break;
    default:
        break;
    }
    return n;
}

/* Answer question q (the current one) with v (null: skip, or
 * acknowledge an info question) as the event *ev; *t: the next step.
 * False when the interview refuses it. */
static bool try_answer(ik_interview *iv, uint32_t q, ik_value v, ik_event *ev,
                       ik_step *t)
{
    const ik_question *qq = &ik_interview_rulebook(iv)->questions[q];
    ik_error err;

    ev->question = q;
    ev->value = v;
    ev->kind = qq->type == IK_Q_INFO ? IK_EV_ACK
               : v.kind == IK_NULL   ? IK_EV_SKIP
                                     : IK_EV_ANSWER;
    if (ik_interview_apply(iv, ev, &err) != IK_OK)
        return false;
    ik_interview_next(iv, t);
    return true;
}

/* The questions asked after the current one, at most, over every
 * continuation (the interview is left as it was). */
static uint32_t ref_longest(ref *r, ik_interview *iv)
{
    const ik_rulebook *rb = r->rb;
    const ik_value *ans = ik_interview_answers(iv);
    ik_value vals[512];
    ik_error err;
    ik_step s;
    uint32_t n, k, best = 0, q, h = 2166136261u, i;
    char *key;

    ik_interview_next(iv, &s);
    assert_int_equal(s.kind, IK_STEP_QUESTION);
    ik_buf_clear(&r->key);
    ik_buf_printf(&r->key, "%u:", s.question);
    for (q = 0; q < rb->nquestions; q++)
        if (r->read[q]) {
            assert_int_equal(ik_value_write_json(&r->key, ans[q].kind == IK_UNDEF
                                                             ? ik_str("-", 1)
                                                             : ans[q]),
                             IK_OK);
            ik_buf_putc(&r->key, ',');
        }
    for (i = 0; i < r->key.len; i++)
        h = (h ^ (uint8_t)r->key.data[i]) * 16777619u;
    for (i = h & (r->cap - 1); r->keys[i]; i = (i + 1) & (r->cap - 1))
        if (strcmp(r->keys[i], ik_buf_cstr(&r->key)) == 0)
            return r->vals[i];
    key = strdup(ik_buf_cstr(&r->key));
    assert_non_null(key);
    r->states++;
    n = ref_answers(r, &rb->questions[s.question], vals);
    for (k = 0; k < n; k++) {
        ik_event ev;
        ik_step t;
        uint32_t len;
        if (!try_answer(iv, s.question, vals[k], &ev, &t))
            continue; /* not an answer to this question */
        len = t.kind == IK_STEP_QUESTION ? 1 + ref_longest(r, iv) : 0;
        if (len > best)
            best = len;
        assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    }
    assert_true(r->n < r->cap / 2);
    for (i = h & (r->cap - 1); r->keys[i]; i = (i + 1) & (r->cap - 1))
        ;
    r->keys[i] = key;
    r->vals[i] = best;
    r->n++;
    return best;
}

/* At every step of a walk: the bound equals the reference's longest. */
static ref *the_ref;

static void check_exact(ik_interview *iv, uint32_t m)
{
    const ik_rulebook *rb = the_ref->rb;
    ik_interview *copy;
    ik_error err;
    size_t i;

    assert_int_equal(ik_interview_new(rb, ik_interview_audience(iv), &copy,
                                      &err),
                     IK_OK);
    for (i = 0; i < ik_interview_nevents(iv); i++) {
        ik_event ev = ik_interview_event(iv, i);
        assert_int_equal(ik_interview_apply(copy, &ev, &err), IK_OK);
    }
    {
        uint32_t want = ref_longest(the_ref, copy);
        if (m != want) {
            ik_step s;
            ik_interview_next(iv, &s);
            fail_msg("at %s: at most %u more, but the longest interview "
                     "left asks %u more",
                     s.id, m, want);
        }
    }
    ik_interview_free(copy);
}

static void exact_on(const char *path, const char *what, unsigned walks)
{
    ik_rulebook *rb = NULL;
    ik_error err;
    figures f;
    ref r;

    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        fail_msg("%s: %s", path, err.msg);
    ref_init(&r, rb);
    the_ref = &r;
    memset(&f, 0, sizeof f);
    walk_rb(rb, path, walks, check_exact, &f);
    print_message("%s: the bound is the longest interview left at each of "
                  "%lu steps of %u walks (%lu states tried); mean slack "
                  "against what followed %.2f, the counters' bound's %.2f\n",
                  what, f.exact.steps, walks, r.states,
                  f.exact.steps ? (double)f.exact.slack_sum /
                                      (double)f.exact.steps
                                : 0.0,
                  f.sound.steps ? (double)f.sound.slack_sum /
                                      (double)f.sound.steps
                                : 0.0);
    figures_fini(&f);
    ref_fini(&r);
    the_ref = NULL;
    ik_rulebook_free(rb);
}

static void test_the_bound_is_exact_on_small_packs(void **state)
{
    char cmd[1024];
    const char *gen = IK_BINARY_DIR "/tests/progress-genpack12.json";
    const char *gen2 = IK_BINARY_DIR "/tests/progress-genscale30.json";

    (void)state;
    exact_on(IK_SOURCE_DIR "/tests/data/interview/pack.json",
             "tests/data/interview/pack.json", 30);
    exact_on(IK_SOURCE_DIR "/rules/examples/bicycle-check.json",
             "bicycle-check", 30);
    snprintf(cmd, sizeof cmd, "python3 %s/scripts/genpack.py 12 %s",
             IK_SOURCE_DIR, gen);
    assert_int_equal(system(cmd), 0); /* the script ships with the repo */
    exact_on(gen, "genpack.py 12", 30);
    snprintf(cmd, sizeof cmd,
             "python3 %s/scripts/genscale.py 30 --seed 3 --out %s",
             IK_SOURCE_DIR, gen2);
    assert_int_equal(system(cmd), 0);
    exact_on(gen2, "genscale.py 30 --seed 3", 10);
}

/*
 * Too large for the reference: follow the longest interview instead. At
 * each question, of every answer the reference tries, take one whose next
 * step says the most follow (the bound of the next question plus one, 0
 * at the outcome): when the bound is exact, exactly as many questions as
 * it says follow, at every step.
 */
static void longest_walk(const char *path, uint32_t want_total)
{
    ik_rulebook *rb = NULL;
    ik_interview *iv;
    ik_error err;
    ik_step s, t;
    uint32_t m[512], n = 0, i;
    ref r;

    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        fail_msg("%s: %s", path, err.msg);
    ref_init(&r, rb);
    assert_int_equal(ik_interview_new(rb, NULL, &iv, &err), IK_OK);
    for (ik_interview_next(iv, &s); s.kind == IK_STEP_QUESTION;
         ik_interview_next(iv, &s)) {
        const ik_question *q = &rb->questions[s.question];
        ik_value vals[512];
        ik_event ev, best;
        uint32_t k, nv = ref_answers(&r, q, vals), most = 0;
        bool found = false;
        m[n++] = ik_interview_at_most(iv);
        for (k = 0; k < nv; k++) {
            uint32_t len;
            if (!try_answer(iv, s.question, vals[k], &ev, &t))
                continue;
            len = t.kind == IK_STEP_QUESTION ? 1 + ik_interview_at_most(iv)
                                             : 0;
            if (!found || len > most) {
                most = len;
                best = ev;
                found = true;
            }
            assert_int_equal(ik_interview_back(iv, &err), IK_OK);
        }
        assert_true(found);
        assert_int_equal(ik_interview_apply(iv, &best, &err), IK_OK);
    }
    for (i = 0; i < n; i++)
        if (m[i] != n - i - 1)
            fail_msg("%s: question %u of the longest interview said at most "
                     "%u more, %u followed",
                     path, i + 1, m[i], n - i - 1);
    print_message("%s: the longest interview asks %u questions; the bound "
                  "said so at each\n",
                  path + strlen(IK_SOURCE_DIR) + 1, n);
    assert_int_equal(n, want_total);
    ik_interview_free(iv);
    ref_fini(&r);
    ik_rulebook_free(rb);
}

static void test_the_bound_is_reached_on_the_bundled_packs(void **state)
{
    (void)state;
    /* FBS 2.1.0: spine surgery over a year ago on another part or a part
     * not known (so the spinal cord signs are asked too), a minor fall,
     * thoughts of self-harm without a plan, strong painkillers, usual
     * pain, treatments that partly helped, physio and an injection: 26
     * questions (2.0.0, which asked the cord signs after neck surgery
     * only: 25) */
    longest_walk(IK_SOURCE_DIR "/rules/failed-back-syndrome.json", 26);
    longest_walk(IK_SOURCE_DIR "/rules/examples/bicycle-check.json", 10);
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
    figures f;

    (void)state;
    snprintf(cmd, sizeof cmd,
             "python3 %s/scripts/genscale.py 300 --seed 5 --out %s",
             IK_SOURCE_DIR, out);
    assert_int_equal(system(cmd), 0); /* the script ships with the repo */
    memset(&f, 0, sizeof f);
    walk_pack_with(out, 40, NULL, &f);
    figures_print("genscale.py 300 --seed 5", &f);
    figures_fini(&f);
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
    figures f;
    trace t; /* the likely count and the exact bound */
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
    memset(&f, 0, sizeof f);
    answers = ik_calloc(rb->nquestions + 1, sizeof *answers);
    assert_non_null(answers);
    for (c = ik_json_get(doc.root, "cases")->child; c; c = c->next) {
        const cJSON *an = ik_json_get(c, "answers");
        ik_interview *iv, *plain;
        ik_value obj;
        ik_step s, ps;
        if (!an)
            continue; /* a case of steps */
        assert_true(ik_value_from_cjson(an, &a, &obj));
        assert_int_equal(ik_outcome_bind_answers(rb, obj, answers, &err),
                         IK_OK);
        assert_int_equal(ik_interview_new(rb, NULL, &iv, &err), IK_OK);
        assert_int_equal(ik_interview_new(rb, NULL, &plain, &err), IK_OK);
        for (ik_interview_next(iv, &s); s.kind == IK_STEP_QUESTION;
             ik_interview_next(iv, &s)) {
            const ik_question *q = &rb->questions[s.question];
            ik_event ev;
            ik_interview_next(plain, &ps);
            trace_add(&t, &s, at_most(iv));
            trace_add(&f.sound, &ps, ps.to_go_max);
            ev.question = s.question;
            ev.value = answers[s.question];
            ev.kind = q->type == IK_Q_INFO ? IK_EV_ACK
                      : ev.value.kind == IK_UNDEF || ev.value.kind == IK_NULL
                          ? IK_EV_SKIP
                          : IK_EV_ANSWER;
            if (ev.kind != IK_EV_ANSWER)
                ev.value = ik_null();
            if (apply2(iv, plain, &ev) != IK_OK)
                break; /* a required question the case leaves out */
        }
        ik_interview_free(iv);
        ik_interview_free(plain);
        trace_check(&t, c->string ? c->string : "case");
        trace_check(&f.sound, c->string ? c->string : "case");
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
                  "followed (mean), equal to it at %lu of %lu (%.0f%%); "
                  "the counters' bound: %.2f, %lu (%.0f%%)\n",
                  t.steps ? (double)t.slack_sum / (double)t.steps : 0.0,
                  t.exact, t.steps,
                  t.steps ? 100.0 * (double)t.exact / (double)t.steps : 0.0,
                  f.sound.steps ? (double)f.sound.slack_sum /
                                      (double)f.sound.steps
                                : 0.0,
                  f.sound.exact,
                  f.sound.steps ? 100.0 * (double)f.sound.exact /
                                      (double)f.sound.steps
                                : 0.0);
    print_message("at question 1: at most %.1f more (mean; the counters' "
                  "bound %.1f); asked after it: mean %.1f, max %lu, over "
                  "%lu FBS test cases\n",
                  t.walks ? (double)t.q1_bound_sum / (double)t.walks : 0.0,
                  f.sound.walks ? (double)f.sound.q1_bound_sum /
                                      (double)f.sound.walks
                                : 0.0,
                  t.walks ? (double)t.q1_left_sum / (double)t.walks : 0.0,
                  t.q1_left_max, t.walks);
    assert_true(ncases > 10);
    ik_free(answers);
    free(t.max);
    free(t.likely);
    figures_fini(&f);
    ik_arena_fini(&a);
    ik_json_doc_fini(&doc);
    ik_free(text);
    ik_rulebook_free(rb);
}

/*
 * -0 is an answer of its own where arithmetic reads it: 1 / -0 is
 * -Infinity, so qx below applies after n = -0 and not after n = 0. The
 * bound at n must count qx (at most 2 more: qc, qx); with -0 missing
 * from n's classes it said 1, and qx was asked after "at most 0 more".
 */
static void test_the_bound_counts_minus_zero_where_arithmetic_reads_it(
    void **state)
{
    static const char pack[] =
        "{\"format\": \"intake-rules/1\", \"id\": \"memo\", \"version\": "
        "\"1.0.0\", \"title\": \"Memo\", \"disclaimer\": \"Test, not "
        "advice.\", \"safety_net\": \"Get help.\", \"get_help\": \"Call "
        "112.\", \"questions\": [{\"id\": \"n\", \"type\": \"number\", "
        "\"text\": \"N?\", \"min\": 0, \"max\": 3, \"integer\": true}, "
        "{\"id\": \"qc\", \"type\": \"yes_no\", \"text\": \"C?\"}, {\"id\": "
        "\"qx\", \"type\": \"yes_no\", \"text\": \"X?\", \"enable_when\": "
        "{\"<\": [{\"/\": [1, {\"var\": \"d.0\"}]}, 0]}}], \"derived\": "
        "[{\"id\": \"d\", \"value\": {\"merge\": [{\"var\": \"n\"}]}}], "
        "\"dispositions\": [{\"id\": \"routine\", \"label\": \"Routine\", "
        "\"advice\": \"Later.\"}]}";
    ik_rulebook *rb;
    ik_interview *iv;
    ik_error err;
    ik_event ev;
    ik_step st;

    (void)state;
    assert_int_equal(ik_rulebook_load_text(pack, sizeof pack - 1, "memo",
                                           &rb, &err),
                     IK_OK);
    assert_int_equal(ik_interview_new(rb, "patient", &iv, &err), IK_OK);
    ik_interview_next(iv, &st);
    assert_string_equal(st.id, "n");
    assert_int_equal(ik_interview_at_most(iv), 2);
    memset(&ev, 0, sizeof ev);
    ev.kind = IK_EV_ANSWER;
    ev.question = 0;
    ev.value = ik_num(-0.0);
    assert_int_equal(ik_interview_apply(iv, &ev, &err), IK_OK);
    ik_interview_next(iv, &st);
    assert_string_equal(st.id, "qc");
    assert_int_equal(ik_interview_at_most(iv), 1); /* qx follows */
    assert_int_equal(ik_interview_answer(iv, "yes", 3, &err), IK_OK);
    ik_interview_next(iv, &st);
    assert_int_equal(st.kind, IK_STEP_QUESTION);
    assert_string_equal(st.id, "qx");
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}


/* The bound at n (2: qc, then qx after a yes where d's item is read as
 * below zero or above) and at qc after n = good and n = bad, which a
 * memo key made of JSON text told apart no more than JsonLogic's JSON.
 * stringify does. */
static void load_memo_pack(const char *d, const char *test, ik_rulebook **rb)
{
    char pack[1024];
    ik_error err;
    int n = snprintf(
        pack, sizeof pack,
        "{\"format\": \"intake-rules/1\", \"id\": \"memo\", \"version\": "
        "\"1.0.0\", \"title\": \"Memo\", \"disclaimer\": \"Test, not "
        "advice.\", \"safety_net\": \"Get help.\", \"get_help\": \"Call "
        "112.\", \"questions\": [{\"id\": \"n\", \"type\": \"number\", "
        "\"text\": \"N?\", \"min\": 0, \"max\": 3, \"integer\": true, "
        "\"required\": true}, {\"id\": \"qc\", \"type\": \"yes_no\", "
        "\"text\": \"C?\"}, {\"id\": \"qx\", \"type\": \"yes_no\", "
        "\"text\": \"X?\", \"enable_when\": {\"and\": [{\"var\": \"qc\"}, "
        "%s]}}], \"derived\": [{\"id\": \"d\", \"value\": %s}], "
        "\"dispositions\": [{\"id\": \"routine\", \"label\": \"Routine\", "
        "\"advice\": \"Later.\"}]}",
        test, d);

    assert_true(n > 0 && (size_t)n < sizeof pack);
    assert_int_equal(ik_rulebook_load_text(pack, (size_t)n, "memo", rb, &err),
                     IK_OK);
}

static void check_memo_tells_apart(const char *d, const char *test,
                                   double good, double bad)
{
    ik_rulebook *rb;
    ik_interview *iv;
    ik_error err;
    ik_event ev;
    ik_step st;
    int k;

    load_memo_pack(d, test, &rb);
    for (k = 0; k < 2; k++) { /* the search at n remembers qc's states */
        assert_int_equal(ik_interview_new(rb, "patient", &iv, &err), IK_OK);
        ik_interview_next(iv, &st);
        assert_string_equal(st.id, "n");
        assert_int_equal(ik_interview_at_most(iv), 2); /* qc, qx */
        memset(&ev, 0, sizeof ev);
        ev.kind = IK_EV_ANSWER;
        ev.question = 0;
        ev.value = ik_num(k ? bad : good);
        assert_int_equal(ik_interview_apply(iv, &ev, &err), IK_OK);
        ik_interview_next(iv, &st);
        assert_string_equal(st.id, "qc");
        assert_int_equal(ik_interview_at_most(iv), k ? 0 : 1);
        assert_int_equal(ik_interview_answer(iv, "yes", 3, &err), IK_OK);
        ik_interview_next(iv, &st);
        if (k)
            assert_int_not_equal(st.kind, IK_STEP_QUESTION);
        else
            assert_string_equal(st.id, "qx");
        ik_interview_free(iv);
    }
    ik_rulebook_free(rb);
}

/*
 * The states the exact bound remembers are told apart as JsonLogic tells
 * their values apart: d = [n] holds -0 or 0, and 1 / d.0 is -Infinity or
 * Infinity; d = [(n - 1.5) / 0] holds -Infinity or Infinity. As JSON text
 * each pair wrote alike ([0], [null]), so the state at qc after one was
 * taken for the other's: the bound at n said at most 1 more and at qc 0
 * where qx followed.
 */
static void test_the_bound_tells_apart_what_json_text_does_not(void **state)
{
    (void)state;
    check_memo_tells_apart("{\"merge\": [{\"var\": \"n\"}]}",
                           "{\"<\": [{\"/\": [1, {\"var\": \"d.0\"}]}, 0]}",
                           -0.0, 0.0);
    check_memo_tells_apart(
        "{\"merge\": [{\"/\": [{\"-\": [{\"var\": \"n\"}, 1.5]}, 0]}]}",
        "{\">\": [{\"var\": \"d.0\"}, 0]}", 2, 1);
}

/* Walk the interview from "pick" = option k (1-based) to its end, answering
 * no, with the bound at each question into m (from *n on); then back to
 * "pick". */
static void walk_spread(ik_interview *iv, int k, uint32_t *m, size_t *n,
                        size_t cap)
{
    ik_error err;
    ik_step st;
    char buf[16];
    int depth = 1;

    ik_interview_next(iv, &st);
    assert_string_equal(st.id, "pick");
    snprintf(buf, sizeof buf, "%d", k);
    assert_int_equal(ik_interview_answer(iv, buf, strlen(buf), &err), IK_OK);
    for (;;) {
        ik_interview_next(iv, &st);
        if (st.kind != IK_STEP_QUESTION)
            break;
        assert_true(*n < cap);
        m[(*n)++] = ik_interview_at_most(iv);
        assert_int_equal(ik_interview_answer(iv, "no", 2, &err), IK_OK);
        depth++;
    }
    while (depth-- > 0)
        assert_int_equal(ik_interview_back(iv, &err), IK_OK);
}

/*
 * The live slots the search keeps listed stay bounded however many
 * questions it meets, and the bound is as before. Questions 1 .. NQ-2
 * apply to one option of "pick" each (so at most 31 follow "pick": the
 * search runs at every question), and the last reads every other, so
 * about c slots are live at question c: walking every option in one
 * interview met every question, and kept their lists, about
 * NQ * NQ / 2 = 180,000 slots (old code). Each walk's bounds are those
 * of a fresh interview, which never forgets.
 */
static void test_the_search_keeps_a_bounded_list_of_live_slots(void **state)
{
    enum { NQ = 600, K = 20 };
    ik_buf b;
    ik_rulebook *rb;
    ik_interview *iv, *fresh;
    ik_error err;
    uint32_t *m = malloc(NQ * sizeof *m), *m1 = malloc(NQ * sizeof *m1);
    size_t n = 0, n1, at, i;
    int k;

    (void)state;
    assert_non_null(m);
    assert_non_null(m1);
    ik_buf_init(&b);
    ik_buf_puts(&b, "{\"format\": \"intake-rules/1\", \"id\": \"spread\", "
                    "\"version\": \"1.0.0\", \"title\": \"Spread\", "
                    "\"disclaimer\": \"Test, not advice.\", \"safety_net\": "
                    "\"Get help.\", \"get_help\": \"Call 112.\", "
                    "\"questions\": [{\"id\": \"pick\", \"type\": \"choice\", "
                    "\"text\": \"Pick?\", \"required\": true, \"options\": [");
    for (k = 0; k < K; k++)
        ik_buf_printf(&b, "%s{\"value\": \"o%d\", \"label\": \"O%d\"}",
                      k ? ", " : "", k, k);
    ik_buf_puts(&b, "]}");
    for (i = 1; i < NQ - 1; i++)
        ik_buf_printf(&b,
                      ", {\"id\": \"q%zu\", \"type\": \"yes_no\", \"text\": "
                      "\"Q?\", \"enable_when\": {\"==\": [{\"var\": "
                      "\"pick\"}, \"o%zu\"]}}",
                      i, (i - 1) % K);
    ik_buf_puts(&b, ", {\"id\": \"last\", \"type\": \"yes_no\", \"text\": "
                    "\"Last?\", \"enable_when\": {\"or\": [");
    for (i = 1; i < NQ - 1; i++)
        ik_buf_printf(&b, "%s{\"var\": \"q%zu\"}", i > 1 ? ", " : "", i);
    ik_buf_puts(&b, "]}}], \"dispositions\": [{\"id\": \"routine\", "
                    "\"label\": \"Routine\", \"advice\": \"Later.\"}]}");
    assert_int_equal(ik_buf_status(&b), IK_OK);
    assert_int_equal(ik_rulebook_load_text(ik_buf_cstr(&b), b.len, "spread",
                                           &rb, &err),
                     IK_OK);
    assert_int_equal(ik_interview_new(rb, NULL, &iv, &err), IK_OK);
    for (k = 1; k <= K; k++) {
        at = n;
        walk_spread(iv, k, m, &n, NQ);
        assert_int_equal(n - at, (NQ - 2) / K + ((k - 1) < (NQ - 2) % K));
        assert_int_equal(ik_interview_new(rb, NULL, &fresh, &err), IK_OK);
        n1 = 0;
        walk_spread(fresh, k, m1, &n1, NQ);
        assert_int_equal(n1, n - at);
        for (i = 0; i < n1; i++)
            assert_int_equal(m[at + i], m1[i]);
        ik_interview_free(fresh);
        assert_true(ik_interview_live_kept(iv) <= 65536 + NQ);
    }
    assert_int_equal(n, NQ - 2);
    ik_interview_free(iv);
    ik_rulebook_free(rb);
    ik_buf_fini(&b);
    free(m);
    free(m1);
}

/*
 * The search answers and takes back answers through the interview's own
 * step, which marks the outcome stale; the answers are as before after it,
 * so the outcome held before stays (a front end that shows the bound and
 * then the outcome, or leaves, does not compute it again), and it is the
 * outcome of those answers. A stale one stays stale.
 */
static void test_the_search_keeps_the_outcome_fresh(void **state)
{
    ik_rulebook *rb;
    ik_interview *iv, *plain;
    ik_error err;
    ik_step st;
    char *a, *b;

    (void)state;
    load_memo_pack("{\"merge\": [{\"var\": \"n\"}]}",
                   "{\"<\": [{\"/\": [1, {\"var\": \"d.0\"}]}, 0]}", &rb);
    assert_int_equal(ik_interview_new(rb, "patient", &iv, &err), IK_OK);
    assert_int_equal(ik_interview_new(rb, "patient", &plain, &err), IK_OK);
    ik_interview_next(iv, &st);
    assert_true(ik_interview_outcome_is_fresh(iv)); /* the start made it */
    assert_int_equal(ik_interview_at_most(iv), 2);  /* searched: n's classes */
    assert_true(ik_interview_outcome_is_fresh(iv));
    assert_int_equal(ik_interview_outcome_json(iv, &a, &err), IK_OK);
    assert_int_equal(ik_interview_outcome_json(plain, &b, &err), IK_OK);
    assert_string_equal(a, b);
    ik_interview_free_string(a);
    ik_interview_free_string(b);
    assert_int_equal(ik_interview_answer(iv, "1", 1, &err), IK_OK);
    assert_int_equal(ik_interview_answer(plain, "1", 1, &err), IK_OK);
    ik_interview_next(iv, &st);
    assert_string_equal(st.id, "qc");
    assert_false(ik_interview_outcome_is_fresh(iv)); /* the answer changed */
    assert_int_equal(ik_interview_at_most(iv), 0);
    assert_false(ik_interview_outcome_is_fresh(iv));
    assert_int_equal(ik_interview_outcome_json(iv, &a, &err), IK_OK);
    assert_true(ik_interview_outcome_is_fresh(iv));
    assert_int_equal(ik_interview_outcome_json(plain, &b, &err), IK_OK);
    assert_string_equal(a, b);
    ik_interview_free_string(a);
    ik_interview_free_string(b);
    ik_interview_free(plain);
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_bound_is_exact_on_small_packs),
        cmocka_unit_test(test_the_bound_is_reached_on_the_bundled_packs),
        cmocka_unit_test(
            test_the_bound_counts_minus_zero_where_arithmetic_reads_it),
        cmocka_unit_test(test_the_bound_tells_apart_what_json_text_does_not),
        cmocka_unit_test(test_the_search_keeps_a_bounded_list_of_live_slots),
        cmocka_unit_test(test_the_search_keeps_the_outcome_fresh),
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
