/*
 * scale_bench.c -- how the engine scales with a pack: parse, load and
 * check time, time to the first question against a plain cJSON parse of
 * the same file, interview step cost, peak memory. A program that prints
 * figures (docs/PERFORMANCE.md shows how to run it), not a timed test.
 * Times are the process's CPU time, steadier than wall time on a shared
 * machine.
 *
 *   scale-bench PACK [--runs R] [--steps N] [--seed S]
 *   scale-bench PACK --interview      one interview only, then peak RSS
 *   scale-bench PACK --steps N --callgrind   for valgrind --tool=callgrind
 *       --toggle-collect=bench_step: instructions in steps only
 */
#define _POSIX_C_SOURCE 200809L
#include "alloc.h"
#include "arena.h"
#include "interview.h"
#include "json.h"
#include "rulebook.h"

#include <cjson/cJSON.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long peak_rss_kb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what, const ik_error *err)
{
    fprintf(stderr, "scale-bench: %s: %s:%d:%d: %s\n", what, err->file,
            err->line, err->col, err->msg);
    exit(1);
}

static uint64_t rng_state = 1;

static uint32_t rnd(uint32_t n)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)((z ^ (z >> 31)) % (n ? n : 1));
}

/* A typed answer for q, as a person would type it: mostly "no", a random
 * option, a number in range. */
static void answer_text(const ik_question *q, char *buf, size_t cap)
{
    double lo, hi;

    switch (q->type) {
    case IK_Q_YES_NO:
        snprintf(buf, cap, "%s", rnd(10) == 0 ? "yes" : "no");
        break;
    case IK_Q_CHOICE:
    case IK_Q_MULTI:
        snprintf(buf, cap, "%u", rnd(q->noptions) + 1);
        break;
    case IK_Q_NUMBER:
        lo = q->min > -1e9 ? q->min : 0;
        hi = q->max < 1e9 ? q->max : lo + 10;
        snprintf(buf, cap, "%d", (int)lo + (int)rnd((uint32_t)(hi - lo) + 1));
        break;
    case IK_Q_TEXT:
        snprintf(buf, cap, "fine");
        break;
    case IK_Q_INFO:
    case IK_Q__COUNT:
        buf[0] = '\0';
        break;
    }
}

/* One step: answer the current question, compute the next step and its
 * "at most M more", as the front end does. Kept out
 * of line so callgrind can count its instructions alone. */
__attribute__((noinline)) int bench_step(ik_interview *iv, const char *text,
                                         ik_step *step);
__attribute__((noinline)) int bench_step(ik_interview *iv, const char *text,
                                         ik_step *step)
{
    ik_error err;

    if (ik_interview_answer(iv, text, strlen(text), &err) != IK_OK)
        return -1;
    ik_interview_next(iv, step);
    /* what a front end shows: "at most M more" */
    (void)ik_interview_at_most(iv);
    return 0;
}

/* Run interviews until `want` steps were taken; returns the steps and the
 * time spent in steps only. */
static uint64_t run_steps(const ik_rulebook *rb, uint64_t want, double *ms)
{
    uint64_t steps = 0;
    char text[64];

    *ms = 0;
    while (steps < want) {
        ik_interview *iv;
        ik_error err;
        ik_step step;

        if (ik_interview_new(rb, NULL, &iv, &err) != IK_OK)
            die("interview", &err);
        ik_interview_next(iv, &step);
        while (step.kind == IK_STEP_QUESTION && steps < want) {
            double t0;

            answer_text(&rb->questions[step.question], text, sizeof text);
            t0 = now_ms();
            if (bench_step(iv, text, &step) != 0) {
                /* refused (e.g. required multi "none"): try option 1 */
                snprintf(text, sizeof text, "1");
                if (bench_step(iv, text, &step) != 0)
                    break;
            }
            *ms += now_ms() - t0;
            steps++;
        }
        ik_interview_free(iv);
    }
    return steps;
}

static void diag_count(const ik_diag *d, void *ctx)
{
    (void)d;
    (*(int *)ctx)++;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int runs = 5, i, ndiag = 0;
    uint64_t want = 20000, steps;
    int interview_only = 0, callgrind = 0;
    double t[64], t_cjson, t_parse, t_load, t_check, t_first, step_ms;
    char *text;
    size_t len;
    ik_error err;
    ik_rulebook *rb;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc)
            want = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            rng_state = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--interview") == 0)
            interview_only = 1;
        else if (strcmp(argv[i], "--callgrind") == 0)
            callgrind = 1;
        else
            path = argv[i];
    }
    if (!path || runs < 1 || runs > 64) {
        fputs("usage: scale-bench PACK [--runs R] [--steps N] [--seed S] "
              "[--interview] [--callgrind]\n",
              stderr);
        return 64;
    }
    if (interview_only || callgrind) {
        if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
            die("load", &err);
        steps = run_steps(rb, interview_only ? 1000000 : want, &step_ms);
        if (interview_only) /* stops at the first outcome: one interview */
            steps = 0;
        printf("steps %llu\npeak_rss_kb %ld\n", (unsigned long long)steps,
               peak_rss_kb());
        ik_rulebook_free(rb);
        return 0;
    }
    if (ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len, &err) != IK_OK)
        die("read", &err);
    /* Baseline: cJSON alone parsing the same bytes (no strictness, no
     * positions); a benchmark may call cJSON directly, the engine never. */
    for (i = 0; i < runs; i++) {
        double t0 = now_ms();
        cJSON *j = cJSON_ParseWithLength(text, len);

        t[i] = now_ms() - t0;
        if (!j)
            return 1;
        cJSON_Delete(j);
    }
    t_cjson = median(t, runs);
    for (i = 0; i < runs; i++) {
        ik_json_doc doc;
        double t0 = now_ms();

        if (ik_json_parse(text, len, path, IK_JSON_POSITIONS, &doc, &err) !=
            IK_OK)
            die("parse", &err);
        t[i] = now_ms() - t0;
        ik_json_doc_fini(&doc);
    }
    t_parse = median(t, runs);
    for (i = 0; i < runs; i++) {
        double t0 = now_ms();

        if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
            die("load", &err);
        t[i] = now_ms() - t0;
        ik_rulebook_free(rb);
    }
    t_load = median(t, runs);
    for (i = 0; i < runs; i++) {
        double t0 = now_ms();

        ndiag = 0;
        ik_rulebook_check_file(path, diag_count, &ndiag);
        t[i] = now_ms() - t0;
    }
    t_check = median(t, runs);
    for (i = 0; i < runs; i++) {
        ik_interview *iv;
        ik_step step;
        double t0 = now_ms();

        if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
            die("load", &err);
        if (ik_interview_new(rb, NULL, &iv, &err) != IK_OK)
            die("interview", &err);
        ik_interview_next(iv, &step);
        t[i] = now_ms() - t0;
        ik_interview_free(iv);
        ik_rulebook_free(rb);
    }
    t_first = median(t, runs);
    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        die("load", &err);
    steps = run_steps(rb, want, &step_ms);
    printf("pack %s: %zu bytes, %u questions, %u derived, %u red flags, "
           "%u sections, %u rules\n",
           path, len, rb->nquestions, rb->nderived, rb->nred_flags,
           rb->nsections, rb->nrules);
    printf("cjson_parse_ms %.3f\n", t_cjson);
    printf("strict_parse_ms %.3f (x%.2f cJSON)\n", t_parse, t_parse / t_cjson);
    printf("load_ms %.3f (x%.2f cJSON)\n", t_load, t_load / t_cjson);
    printf("check_ms %.3f (%d diagnostics)\n", t_check, ndiag);
    printf("first_question_ms %.3f (x%.2f cJSON)\n", t_first,
           t_first / t_cjson);
    printf("step_us %.3f (%llu steps)\n", step_ms * 1e3 / (double)steps,
           (unsigned long long)steps);
    printf("peak_rss_kb %ld\n", peak_rss_kb());
    ik_rulebook_free(rb);
    ik_free(text);
    return 0;
}
