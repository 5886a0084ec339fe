/*
 * interview_length.c -- how many questions an interview with a rule pack
 * asks: over the pack's test cases (each replayed through the interview
 * state machine: an answers case answers each question it is asked from
 * the object, a steps case plays its steps) and over random interviews
 * drawn the way `intake explore --sample` draws paths (every question
 * answered from its type's values at random, a non-required one sometimes
 * skipped; every other interview redraws, up to four times, an answer
 * that would stop it, so that half of them reach the end of the pack).
 * Prints the distribution of each (interviews, median, quartiles, p90,
 * max, and a histogram: length:count), also of those that ran to their
 * end and of those that reached a ladder rung, and checks that the median of each is at most
 * --max-median and that every interview that ran to its end (no stop red
 * flag) asked every group of --screen (a group is "a|b": one of them).
 *
 * Usage: interview_length PACK CASES [--walks N] [--seed S]
 *                         [--max-median M] [--screen G,G,...]
 * Exit 0 when the checks hold, 1 when one fails, 64 usage, 65 bad input.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "answers_json.h"
#include "interview.h"
#include "json.h"
#include "outcome.h"
#include "rulebook.h"
#include "intake/interview.h"

#define RNG_SEED 1
#include "../unit/random_answer.h"

enum { MAX_LEN = 1024 };

typedef struct dist {
    unsigned long n, complete;
    unsigned long hist[MAX_LEN + 1];     /* every interview, by length */
    unsigned long hist_ok[MAX_LEN + 1];  /* those that ran to the end */
    unsigned long rung, hist_rung[MAX_LEN + 1]; /* ... and named a rung */
} dist;

typedef struct screen {
    char *groups[64];
    int ngroups;
    unsigned long missed;
    char example[256];
} screen;

static void die(const char *what, const ik_error *err)
{
    fprintf(stderr, "interview_length: %s: %s\n", what, err ? err->msg : "");
    exit(65);
}

/* The trail of iv: questions asked, in order; did it run to its end? */
static uint32_t asked(const ik_interview *iv, bool *complete)
{
    ik_step step;
    uint32_t n;

    ik_interview_next(iv, &step);
    *complete = step.kind == IK_STEP_OUTCOME && step.stop_flag == IK_NONE;
    ik_interview_trail(iv, &n);
    return n;
}

static bool in_trail(const ik_interview *iv, const char *id, size_t len)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    uint32_t n, i;
    const uint32_t *t = ik_interview_trail(iv, &n);

    for (i = 0; i < n; i++)
        if (strlen(rb->questions[t[i]].id) == len &&
            memcmp(rb->questions[t[i]].id, id, len) == 0)
            return true;
    return false;
}

static void check_screen(screen *sc, const ik_interview *iv, const char *who)
{
    int g;

    for (g = 0; g < sc->ngroups; g++) {
        const char *p = sc->groups[g];
        bool found = false;

        while (!found && *p) {
            size_t len = strcspn(p, "|");

            found = in_trail(iv, p, len);
            p += len + (p[len] == '|');
        }
        if (!found) {
            if (sc->missed++ == 0)
                snprintf(sc->example, sizeof sc->example, "%s did not ask %s",
                         who, sc->groups[g]);
        }
    }
}

static void record(dist *d, screen *sc, const ik_interview *iv,
                   const char *who)
{
    bool complete;
    uint32_t n = asked(iv, &complete);

    if (n > MAX_LEN)
        n = MAX_LEN;
    d->n++;
    d->hist[n]++;
    if (complete) {
        d->complete++;
        d->hist_ok[n]++;
        if (ik_interview_outcome(iv)->rung != IK_NONE) {
            d->rung++;
            d->hist_rung[n]++;
        }
        check_screen(sc, iv, who);
    }
}

/* The k-th smallest length (0-based) of a histogram of n entries. */
static unsigned kth(const unsigned long *h, unsigned long k)
{
    unsigned long seen = 0;
    unsigned i;

    for (i = 0; i <= MAX_LEN; i++) {
        seen += h[i];
        if (seen > k)
            return i;
    }
    return MAX_LEN;
}

/* Median as the lower middle value (an interview length that occurs). */
static unsigned median(const unsigned long *h, unsigned long n)
{
    return n ? kth(h, (n - 1) / 2) : 0;
}

static void print_dist(const char *name, const unsigned long *h,
                       unsigned long n)
{
    unsigned i, lo, hi;

    if (!n) {
        printf("  %-26s none\n", name);
        return;
    }
    printf("  %-26s %6lu: median %u (min %u, quartiles %u-%u, p90 %u, max %u)\n",
           name, n, median(h, n), kth(h, 0), kth(h, (n - 1) / 4),
           kth(h, (3 * (n - 1)) / 4), kth(h, (9 * (n - 1)) / 10), kth(h, n - 1));
    lo = kth(h, 0);
    hi = kth(h, n - 1);
    printf("  %-26s", "");
    for (i = lo; i <= hi; i++)
        if (h[i])
            printf(" %u:%lu", i, h[i]);
    printf("\n");
}

/* Parse {"<id>": <value>} into answers; values live in a. */
static void parse_answers(const ik_rulebook *rb, const char *text, ik_arena *a,
                          ik_value *answers)
{
    ik_error err;

    if (ik_answers_json_parse(rb, text, strlen(text), "", a, answers, &err) !=
        IK_OK)
        die("answers", &err);
}

static void play_answers(ik_interview *iv, const ik_value *answers)
{
    ik_step step;
    ik_error err;

    for (;;) {
        ik_interview_next(iv, &step);
        if (step.kind != IK_STEP_QUESTION ||
            answers[step.question].kind == IK_UNDEF)
            return;
        if (answers[step.question].kind == IK_NULL) {
            if (ik_interview_skip(iv, &err) != IK_OK)
                return;
        } else {
            ik_event ev = {IK_EV_ANSWER, step.question, answers[step.question]};

            if (ik_interview_apply(iv, &ev, &err) != IK_OK)
                die("answer", &err);
        }
    }
}

static void play_steps(const ik_rulebook *rb, ik_interview *iv,
                       const cJSON *steps, ik_arena *a, ik_value *answers)
{
    const cJSON *s;
    ik_error err;

    cJSON_ArrayForEach(s, steps) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "id");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(s, "text");
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(s, "answer");
        ik_status st;

        if (cJSON_GetObjectItemCaseSensitive(s, "back")) {
            st = ik_interview_back(iv, &err);
        } else if (cJSON_GetObjectItemCaseSensitive(s, "skip")) {
            st = ik_interview_skip(iv, &err);
        } else if (text) {
            st = ik_interview_answer(iv, text->valuestring,
                                     strlen(text->valuestring), &err);
        } else {
            cJSON *obj = cJSON_CreateObject();
            char *json;
            uint32_t q = ik_rulebook_find_question(rb, id->valuestring);
            ik_event ev;

            cJSON_AddItemToObject(obj, id->valuestring,
                                  cJSON_Duplicate(value, true));
            json = cJSON_PrintUnformatted(obj);
            parse_answers(rb, json, a, answers);
            ev = (ik_event){IK_EV_ANSWER, q, answers[q]};
            st = ik_interview_apply(iv, &ev, &err);
            cJSON_free(json);
            cJSON_Delete(obj);
        }
        if (st != IK_OK)
            die("step", &err);
    }
}

static void run_cases(const ik_rulebook *rb, const char *path, dist *d,
                      screen *sc)
{
    char *text = NULL;
    size_t len;
    ik_json_doc doc;
    ik_error err;
    const cJSON *c;
    ik_arena a;
    ik_value *answers = calloc(rb->nquestions + 1, sizeof *answers);

    if (!answers || ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len,
                                      &err) != IK_OK ||
        ik_json_parse(text, len, path, 0, &doc, &err) != IK_OK)
        die(path, answers ? &err : NULL);
    ik_arena_init(&a);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc.root, "cases")) {
        const cJSON *aud = cJSON_GetObjectItemCaseSensitive(c, "audience");
        const cJSON *ans = cJSON_GetObjectItemCaseSensitive(c, "answers");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
        ik_interview *iv = NULL;

        if (ik_interview_new(rb, aud ? aud->valuestring : "patient", &iv,
                             &err) != IK_OK)
            die("interview", &err);
        ik_arena_reset(&a);
        if (ans) {
            char *json = cJSON_PrintUnformatted(ans);

            parse_answers(rb, json, &a, answers);
            cJSON_free(json);
            play_answers(iv, answers);
        } else {
            play_steps(rb, iv, cJSON_GetObjectItemCaseSensitive(c, "steps"), &a,
                       answers);
        }
        record(d, sc, iv, id->valuestring);
        ik_interview_free(iv);
    }
    ik_arena_fini(&a);
    ik_json_doc_fini(&doc);
    free(text);
    free(answers);
}

/* One answer for q at random, as explore's sampler draws them. */
static ik_value draw(const ik_question *q, ik_arena *a)
{
    if (!q->required && rnd(8) == 0)
        return ik_null();
    if (q->type == IK_Q_YES_NO && q->allow_unknown && rnd(3) == 0)
        return ik_str("unknown", 7);
    if (q->type == IK_Q_MULTI && q->allow_none && rnd(q->noptions + 1) == 0)
        return (ik_value){IK_ARR, 0, {.items = NULL}};
    for (;;) {
        ik_value v = random_typed_answer(q, a);

        if (q->type != IK_Q_MULTI || v.len > 0 || q->allow_none)
            return v;
    }
}

static void answer(ik_interview *iv, const ik_rulebook *rb, uint32_t q,
                   ik_arena *a)
{
    ik_error err;
    ik_value v = draw(&rb->questions[q], a);
    ik_status st;

    if (v.kind == IK_NULL) {
        st = ik_interview_skip(iv, &err);
    } else {
        ik_event ev = {IK_EV_ANSWER, q, v};

        st = ik_interview_apply(iv, &ev, &err);
    }
    if (st != IK_OK) /* a number or text the question refuses: skip or retry */
        answer(iv, rb, q, a);
}

static void run_walks(const ik_rulebook *rb, unsigned long walks, dist *d,
                      screen *sc)
{
    unsigned long w;
    ik_arena a;
    ik_error err;
    char who[64];

    ik_arena_init(&a);
    for (w = 0; w < walks; w++) {
        ik_interview *iv = NULL;
        ik_step step;

        if (ik_interview_new(rb, "patient", &iv, &err) != IK_OK)
            die("interview", &err);
        ik_arena_reset(&a);
        for (;;) {
            int tries;
            uint32_t q;

            ik_interview_next(iv, &step);
            if (step.kind != IK_STEP_QUESTION)
                break;
            q = step.question;
            answer(iv, rb, q, &a);
            for (tries = 0; w % 2 == 1 && tries < 4; tries++) {
                ik_interview_next(iv, &step);
                if (step.kind != IK_STEP_OUTCOME || step.stop_flag == IK_NONE)
                    break;
                if (ik_interview_back(iv, &err) != IK_OK)
                    die("back", &err);
                answer(iv, rb, q, &a);
            }
        }
        snprintf(who, sizeof who, "random interview %lu", w + 1);
        record(d, sc, iv, who);
        ik_interview_free(iv);
    }
    ik_arena_fini(&a);
}

int main(int argc, char **argv)
{
    unsigned long walks = 20000, seed = 1, max_median = 20;
    screen sc = {0};
    static dist cases, random;
    ik_rulebook *rb = NULL;
    ik_error err;
    char *groups = NULL;
    int i, bad = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: interview_length PACK CASES [--walks N] "
                        "[--seed S] [--max-median M] [--screen G,G,...]\n");
        return 64;
    }
    for (i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--walks") == 0)
            walks = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--max-median") == 0)
            max_median = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--screen") == 0)
            groups = argv[i + 1];
        else {
            fprintf(stderr, "interview_length: unknown option %s\n", argv[i]);
            return 64;
        }
    }
    if (i != argc) {
        fprintf(stderr, "interview_length: %s needs a value\n", argv[i]);
        return 64;
    }
    for (; groups && *groups && sc.ngroups < 64; sc.ngroups++) {
        size_t len = strcspn(groups, ",");

        sc.groups[sc.ngroups] = strndup(groups, len);
        groups += len + (groups[len] == ',');
    }
    rng = seed;
    if (ik_rulebook_load_file(argv[1], &rb, &err) != IK_OK)
        die(argv[1], &err);
    run_cases(rb, argv[2], &cases, &sc);
    run_walks(rb, walks, &random, &sc);

    printf("questions asked per interview, %s@%s:\n", rb->id, rb->version);
    print_dist("test cases", cases.hist, cases.n);
    print_dist("test cases run to the end", cases.hist_ok, cases.complete);
    print_dist("test cases with a rung", cases.hist_rung, cases.rung);
    print_dist("random interviews", random.hist, random.n);
    print_dist("random, run to the end", random.hist_ok, random.complete);
    print_dist("random, with a rung", random.hist_rung, random.rung);
    if (median(cases.hist, cases.n) > max_median ||
        median(random.hist, random.n) > max_median) {
        printf("FAIL: a median is above %lu\n", max_median);
        bad = 1;
    }
    if (sc.ngroups) {
        if (sc.missed) {
            printf("FAIL: the red-flag screen was left incomplete %lu times "
                   "(first: %s)\n", sc.missed, sc.example);
            bad = 1;
        } else {
            printf("red-flag screen (%d groups) asked in full on all %lu "
                   "interviews run to the end\n",
                   sc.ngroups, cases.complete + random.complete);
        }
    }
    for (i = 0; i < sc.ngroups; i++)
        free(sc.groups[i]);
    ik_rulebook_free(rb);
    return bad;
}
