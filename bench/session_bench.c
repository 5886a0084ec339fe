/*
 * session_bench.c -- what a session costs next to the interview it saves:
 * complete an interview from an answers object (what `intake run --answers`
 * does: the baseline), then build its session (new + sync) and write the
 * file text, then load that text and restore it on the pack (what resume
 * and export do). A program that prints figures as ratios to the baseline
 * in the same run, not a timed test; linear costs keep the ratios flat as
 * the pack grows (docs/PERFORMANCE.md). CPU time of the process.
 *
 *   session-bench PACK ANSWERS [--runs R]
 *   (scripts/genscale.py N > pN.json; scripts/genscale.py N --records 1
 *    > aN.json)
 */
#define _POSIX_C_SOURCE 200809L
#include "answers_json.h"
#include "arena.h"
#include "buf.h"
#include "interview.h"
#include "json.h"
#include "rulebook.h"
#include "run_answers.h"
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const ik_error *err)
{
    fprintf(stderr, "session-bench: %s: %s:%d:%d: %s\n", what, err->file,
            err->line, err->col, err->msg);
    exit(1);
}

int main(int argc, char **argv)
{
    ik_rulebook *rb = NULL;
    char *text = NULL;
    size_t len;
    ik_error err;
    int runs = 3, r;
    double best[3] = {1e30, 1e30, 1e30};
    size_t events = 0, bytes = 0;

    if (argc < 3) {
        fputs("usage: session-bench PACK ANSWERS [--runs R]\n", stderr);
        return 2;
    }
    if (argc == 5 && strcmp(argv[3], "--runs") == 0)
        runs = atoi(argv[4]);
    ik_error_clear(&err);
    if (ik_rulebook_load_file(argv[1], &rb, &err) != IK_OK)
        die("pack", &err);
    if (ik_json_read_file(argv[2], IK_SESSION_MAX_FILE, &text, &len, &err) !=
        IK_OK)
        die("answers", &err);
    for (r = 0; r < runs; r++) {
        ik_arena a;
        ik_value *answers;
        ik_interview *iv = NULL, *back = NULL;
        ik_session *s = NULL, *loaded = NULL;
        ik_session_resume info;
        ik_buf b;
        double t0, t1, t2, t3;

        ik_arena_init(&a);
        ik_buf_init(&b);
        answers = ik_arena_alloc(&a, (rb->nquestions + 1) * sizeof *answers);
        t0 = now_s();
        if (!answers ||
            ik_answers_json_parse(rb, text, len, argv[2], &a, answers, &err) !=
                IK_OK ||
            ik_interview_new(rb, "patient", &iv, &err) != IK_OK ||
            ik_run_answers(iv, answers, &err) != IK_OK)
            die("run", &err);
        t1 = now_s();
        if (ik_session_new(rb, IK_AUD_PATIENT, NULL, 0, &s, &err) != IK_OK ||
            ik_session_sync(s, iv, 0, &err) != IK_OK)
            die("sync", &err);
        ik_session_write_json(s, &b);
        t2 = now_s();
        if (ik_session_load_text(ik_buf_cstr(&b), b.len, "bench", &loaded,
                                 &err) != IK_OK ||
            ik_session_restore(loaded, rb, &back, &info, &err) != IK_OK)
            die("load", &err);
        t3 = now_s();
        if (t1 - t0 < best[0])
            best[0] = t1 - t0;
        if (t2 - t1 < best[1])
            best[1] = t2 - t1;
        if (t3 - t2 < best[2])
            best[2] = t3 - t2;
        events = ik_session_nevents(s);
        bytes = b.len;
        ik_interview_free(back);
        ik_session_free(loaded);
        ik_session_free(s);
        ik_interview_free(iv);
        ik_buf_fini(&b);
        ik_arena_fini(&a);
    }
    printf("%u questions, %zu steps, %zu bytes of session (best of %d, CPU)\n",
           (unsigned)rb->nquestions, events, bytes, runs);
    printf("  run --answers (baseline)   %9.3f s\n", best[0]);
    printf("  session new + sync + write %9.3f s  %6.2fx the baseline\n",
           best[1], best[1] / best[0]);
    printf("  load + restore (replay)    %9.3f s  %6.2fx the baseline\n",
           best[2], best[2] / best[0]);
    free(text);
    ik_rulebook_free(rb);
    return 0;
}
