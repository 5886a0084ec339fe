/*
 * step_bench.c -- the cost of one interview step (answer in, next question
 * out) on a rule pack, by default the bundled Failed Back Syndrome pack.
 * Walks whole interviews with plain answers (no, the first option, the
 * smallest number, a short text) again and again, timing each
 * ik_interview_answer + ik_interview_next pair, and prints the mean,
 * median and 99th percentile, a back-and-answer-again step, and the heap
 * allocations per step once warm. A program that prints figures, not a
 * test: nothing fails on a slow machine.
 *
 *   step-bench [PACK] [--seconds S]
 */
#define _POSIX_C_SOURCE 200809L
#include "alloc.h"
#include "config.h"
#include "interview.h"
#include "rulebook.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* A plain answer a person could type for q. */
static const char *plain_answer(const ik_question *q, char *buf, size_t cap)
{
    switch (q->type) {
    case IK_Q_YES_NO:
        return "no";
    case IK_Q_CHOICE:
    case IK_Q_MULTI:
        return "1";
    case IK_Q_NUMBER:
        snprintf(buf, cap, "%.15g", isfinite(q->min) ? q->min : 0.0);
        return buf;
    case IK_Q_TEXT:
        return "fine";
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    return "";
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

typedef struct stats {
    double *ns;
    size_t n, cap;
} stats;

static void add(stats *s, double ns)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->ns = realloc(s->ns, s->cap * sizeof *s->ns);
        if (!s->ns) {
            fputs("step-bench: out of memory\n", stderr);
            exit(1);
        }
    }
    s->ns[s->n++] = ns;
}

static void report(const char *what, stats *s)
{
    double sum = 0;
    size_t i;

    if (s->n == 0)
        return;
    qsort(s->ns, s->n, sizeof *s->ns, cmp_double);
    for (i = 0; i < s->n; i++)
        sum += s->ns[i];
    printf("%-28s %9zu steps  mean %8.0f ns  median %8.0f ns  p99 %8.0f "
           "ns\n",
           what, s->n, sum / (double)s->n, s->ns[s->n / 2],
           s->ns[(size_t)((double)s->n * 0.99)]);
}

/* One interview from start to outcome; returns the steps taken. */
static size_t walk(const ik_rulebook *rb, stats *fwd, stats *back, long *allocs,
                   size_t *allocated_steps)
{
    ik_interview *iv;
    ik_error err;
    ik_step s;
    char buf[64];
    size_t steps = 0;

    if (ik_interview_new(rb, "patient", &iv, &err) != IK_OK) {
        fprintf(stderr, "step-bench: %s\n", err.msg);
        exit(1);
    }
    ik_interview_next(iv, &s);
    while (s.kind == IK_STEP_QUESTION) {
        const char *a =
            plain_answer(&rb->questions[s.question], buf, sizeof buf);
        double t0;
        long n;

        ik_alloc_fail_after(0); /* reset the allocation count */
        t0 = now_ns();
        if (ik_interview_answer(iv, a, strlen(a), &err) != IK_OK) {
            fprintf(stderr, "step-bench: %s: '%s' refused: %s\n", s.id, a,
                    err.msg);
            exit(1);
        }
        ik_interview_next(iv, &s);
        add(fwd, now_ns() - t0);
        n = ik_alloc_fail_after(0);
        if (steps > 2) { /* warm: arenas have their chunks */
            *allocs += n;
            (*allocated_steps)++;
        }
        steps++;
        if (steps % 4 == 0 && s.kind == IK_STEP_QUESTION) {
            /* back, then keep the earlier answer with Enter */
            t0 = now_ns();
            if (ik_interview_back(iv, &err) != IK_OK ||
                ik_interview_answer(iv, "", 0, &err) != IK_OK) {
                fprintf(stderr, "step-bench: back: %s\n", err.msg);
                exit(1);
            }
            ik_interview_next(iv, &s);
            add(back, now_ns() - t0);
        }
    }
    ik_interview_free(iv);
    return steps;
}

int main(int argc, char **argv)
{
    const char *pack = IK_SOURCE_RULESDIR "/" IK_DEFAULT_PACK;
    double seconds = 2, start;
    ik_rulebook *rb;
    ik_error err;
    stats fwd = {0}, back = {0};
    long allocs = 0;
    size_t interviews = 0, steps = 0, allocated_steps = 0;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (argv[i][0] != '-')
            pack = argv[i];
        else {
            fputs("usage: step-bench [PACK] [--seconds S]\n", stderr);
            return 64;
        }
    }
    if (ik_rulebook_load_file(pack, &rb, &err) != IK_OK) {
        fprintf(stderr, "%s:%d:%d: error: %s\n", err.file, err.line, err.col,
                err.msg);
        return 65;
    }
    start = now_ns();
    do {
        steps += walk(rb, &fwd, &back, &allocs, &allocated_steps);
        interviews++;
    } while (now_ns() - start < seconds * 1e9);
    printf("pack %s@%s: %u questions, %u derived, %u red flags, %u rules, "
           "%u sections\n",
           rb->id, rb->version, (unsigned)rb->nquestions,
           (unsigned)rb->nderived, (unsigned)rb->nred_flags,
           (unsigned)rb->nrules, (unsigned)rb->nsections);
    printf("%zu interviews, %zu steps each on the plain path\n", interviews,
           interviews ? steps / interviews : 0);
    report("answer + next", &fwd);
    report("back + Enter + next", &back);
    printf("heap allocations per warm step: %.2f\n",
           allocated_steps ? (double)allocs / (double)allocated_steps : 0.0);
    free(fwd.ns);
    free(back.ns);
    ik_rulebook_free(rb);
    return 0;
}
