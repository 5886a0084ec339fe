/*
 * bound_bench.c -- what the exact "at most M more" bound costs a long
 * interview, as figures (docs/LIMITS.md), not a timed test.
 *
 *   bound-bench [--questions N] [--options K] [--walks W]
 *       builds a pack in memory: a first question "pick" of K options,
 *       questions 1 .. N-2 applying to one option each (so at most
 *       (N-2)/K follow "pick": keep it at most 63 and the search runs at
 *       every question), and a last question that reads every other (so
 *       about c slots are live at question c). In one interview, for each
 *       of the first W options: answer "pick", walk to the end answering
 *       no with the bound asked at each question as a front end does,
 *       then go back to "pick". Prints the peak RSS after loading and
 *       after the walks, the CPU time and the sum of the bounds (the same
 *       sum means the same bounds). Defaults: 10,000 questions, 160
 *       options, every option. Uses only what the engine had before the
 *       bound's memory was bounded, so it builds on older commits too.
 *
 *   bound-bench --redraw PACK [--steps S]
 *       a front end that draws each question with an outcome panel and
 *       the bound, and draws it again: per step answer, next, outcome
 *       JSON, at most, outcome JSON; for valgrind --tool=callgrind
 *       --toggle-collect=redraw_step (instructions a step: Collected / S).
 */
#define _POSIX_C_SOURCE 200809L
#include "buf.h"
#include "interview.h"
#include "rulebook.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static long peak_rss_kb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static double cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const ik_error *err)
{
    fprintf(stderr, "bound-bench: %s: %s\n", what, err->msg);
    exit(1);
}

static void spread_pack(ik_buf *b, unsigned nq, unsigned k)
{
    unsigned i;

    ik_buf_puts(b, "{\"format\": \"intake-rules/1\", \"id\": \"spread\", "
                   "\"version\": \"1.0.0\", \"title\": \"Spread\", "
                   "\"disclaimer\": \"Test, not advice.\", \"safety_net\": "
                   "\"Get help.\", \"get_help\": \"Call 112.\", "
                   "\"questions\": [{\"id\": \"pick\", \"type\": \"choice\", "
                   "\"text\": \"Pick?\", \"required\": true, \"options\": [");
    for (i = 0; i < k; i++)
        ik_buf_printf(b, "%s{\"value\": \"o%u\", \"label\": \"O%u\"}",
                      i ? ", " : "", i, i);
    ik_buf_puts(b, "]}");
    for (i = 1; i + 1 < nq; i++)
        ik_buf_printf(b,
                      ", {\"id\": \"q%u\", \"type\": \"yes_no\", \"text\": "
                      "\"Q?\", \"enable_when\": {\"==\": [{\"var\": "
                      "\"pick\"}, \"o%u\"]}}",
                      i, (i - 1) % k);
    ik_buf_puts(b, ", {\"id\": \"last\", \"type\": \"yes_no\", \"text\": "
                   "\"Last?\", \"enable_when\": {\"or\": [");
    for (i = 1; i + 1 < nq; i++)
        ik_buf_printf(b, "%s{\"var\": \"q%u\"}", i > 1 ? ", " : "", i);
    ik_buf_puts(b, "]}}], \"dispositions\": [{\"id\": \"routine\", "
                   "\"label\": \"Routine\", \"advice\": \"Later.\"}]}");
}

static int walks(unsigned nq, unsigned k, unsigned w)
{
    ik_buf b;
    ik_rulebook *rb;
    ik_interview *iv;
    ik_error err;
    ik_step st;
    unsigned i;
    unsigned long long sum = 0;
    char num[16];
    double t0;

    ik_buf_init(&b);
    spread_pack(&b, nq, k);
    if (ik_buf_status(&b) != IK_OK)
        return 1;
    if (ik_rulebook_load_text(ik_buf_cstr(&b), b.len, "spread", &rb, &err) !=
        IK_OK)
        die("load", &err);
    if (ik_interview_new(rb, NULL, &iv, &err) != IK_OK)
        die("interview", &err);
    printf("pack: %u questions, %u options, %zu bytes\n", nq, k, b.len);
    printf("peak_rss_kb after loading %ld\n", peak_rss_kb());
    t0 = cpu_s();
    for (i = 0; i < w && i < k; i++) {
        unsigned depth = 1;

        ik_interview_next(iv, &st);
        snprintf(num, sizeof num, "%u", i + 1);
        if (ik_interview_answer(iv, num, strlen(num), &err) != IK_OK)
            die("pick", &err);
        for (;;) {
            ik_interview_next(iv, &st);
            if (st.kind != IK_STEP_QUESTION)
                break;
            sum += ik_interview_at_most(iv);
            if (ik_interview_answer(iv, "no", 2, &err) != IK_OK)
                die("answer", &err);
            depth++;
        }
        while (depth-- > 0)
            if (ik_interview_back(iv, &err) != IK_OK)
                die("back", &err);
    }
    printf("walks %u, sum of bounds %llu, cpu_s %.2f\n", i, sum,
           cpu_s() - t0);
    printf("peak_rss_kb after the walks %ld\n", peak_rss_kb());
    ik_interview_free(iv);
    ik_rulebook_free(rb);
    ik_buf_fini(&b);
    return 0;
}

/* One redrawn step, out of line so callgrind can count it alone. */
__attribute__((noinline)) int redraw_step(ik_interview *iv, const char *text,
                                          ik_step *st);
__attribute__((noinline)) int redraw_step(ik_interview *iv, const char *text,
                                          ik_step *st)
{
    ik_error err;
    char *json;
    int pass;

    if (ik_interview_answer(iv, text, strlen(text), &err) != IK_OK)
        return -1;
    ik_interview_next(iv, st);
    for (pass = 0; pass < 2; pass++) {
        if (ik_interview_outcome_json(iv, &json, &err) != IK_OK)
            return -1;
        ik_interview_free_string(json);
        if (pass == 0)
            (void)ik_interview_at_most(iv);
    }
    return 0;
}

static int redraw(const char *path, unsigned long want)
{
    static const char *const plain[] = {"no", "1", "skip"};
    ik_rulebook *rb;
    ik_error err;
    unsigned long steps = 0;

    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        die("load", &err);
    while (steps < want) {
        ik_interview *iv;
        ik_step st;

        if (ik_interview_new(rb, NULL, &iv, &err) != IK_OK)
            die("interview", &err);
        ik_interview_next(iv, &st);
        while (st.kind == IK_STEP_QUESTION && steps < want) {
            size_t a = 0;

            while (a < 3 && redraw_step(iv, plain[a], &st) != 0)
                a++;
            if (a == 3) {
                fprintf(stderr, "bound-bench: no plain answer to %s\n", st.id);
                return 1;
            }
            steps++;
        }
        ik_interview_free(iv);
    }
    printf("steps %lu\n", steps);
    ik_rulebook_free(rb);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned nq = 10000, k = 160, w = UINT32_MAX;
    unsigned long steps = 5000;
    const char *pack = NULL;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--questions") == 0 && i + 1 < argc)
            nq = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--options") == 0 && i + 1 < argc)
            k = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--walks") == 0 && i + 1 < argc)
            w = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--redraw") == 0 && i + 1 < argc)
            pack = argv[++i];
        else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc)
            steps = strtoul(argv[++i], NULL, 10);
        else {
            fputs("usage: bound-bench [--questions N] [--options K] "
                  "[--walks W] | --redraw PACK [--steps S]\n",
                  stderr);
            return 64;
        }
    }
    if (pack)
        return redraw(pack, steps);
    if (nq < 3 || k < 1 || k > 1000) {
        fputs("bound-bench: at least 3 questions, 1 to 1000 options\n",
              stderr);
        return 64;
    }
    return walks(nq, k, w);
}
