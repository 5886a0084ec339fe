/*
 * batch_bench.c -- batch throughput and memory on generated answer
 * records: records/s through ik_batch_record against a plain cJSON parse
 * of the same lines (the floor any JSON-lines tool pays), the share of
 * records that needed the interview replay, and peak RSS after 10,000
 * records and at the end; then the same records on J threads (each with
 * its own ik_batch, as `intake batch --jobs J` runs them), as wall time.
 * A program that prints figures, not a test. Single-thread times are the
 * process's CPU time, steadier than wall time on a shared machine; the
 * threaded figure is wall time (CPU time adds the threads up), so it
 * comes with the load average before and after.
 *
 *   batch-bench PACK [--records N] [--pool P] [--seed S] [--yes PERCENT]
 *       [--jobs J]   (default: online CPUs, at most 8; 1: no threaded run)
 *   batch-bench PACK --emit N [--seed S] [--drop PERCENT]   N records on
 *       stdout (JSONL), to feed `intake batch` under /usr/bin/time -v;
 *       --drop leaves answers out (and half as many null) at random
 */
#define _GNU_SOURCE /* getloadavg */
#include "alloc.h"
#include "batch.h"
#include "buf.h"
#include "rulebook.h"

#include <cjson/cJSON.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double load1(void)
{
    double l[1] = {-1};

    return getloadavg(l, 1) == 1 ? l[0] : -1;
}

/* One thread of the threaded run: records first, first + step, ... */
typedef struct job {
    const ik_rulebook *rb;
    char **lines;
    size_t *lens;
    uint64_t pool, records, first, step;
    int ok;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    ik_batch bt;
    ik_buf out;
    ik_error err;
    uint64_t r;

    j->ok = 0;
    if (ik_batch_init(&bt, j->rb, NULL, &err) != IK_OK)
        return NULL;
    ik_buf_init(&out);
    j->ok = 1;
    for (r = j->first; r < j->records; r += j->step) {
        ik_buf_clear(&out);
        if (ik_batch_record(&bt, r + 1, j->lines[r % j->pool],
                            j->lens[r % j->pool], &out, &err) != IK_OK) {
            j->ok = 0;
            break;
        }
    }
    ik_buf_fini(&out);
    ik_batch_fini(&bt);
    return NULL;
}

static long peak_rss_kb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static uint64_t rng_state = 1;
static uint32_t yes_percent = 10; /* yes_no answers that are yes */
static uint32_t drop_percent = 0; /* answers left out (half as many null) */

static uint32_t rnd(uint32_t n)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)((z ^ (z >> 31)) % (n ? n : 1));
}

/* One answers object with a valid random answer for every question
 * (yes_no: yes_percent in a hundred are yes). */
static void make_record(const ik_rulebook *rb, ik_buf *b)
{
    uint32_t i, k, n;

    ik_buf_clear(b);
    ik_buf_putc(b, '{');
    for (i = 0; i < rb->nquestions; i++) {
        const ik_question *q = &rb->questions[i];
        double lo, hi;

        if (q->type == IK_Q_INFO || (drop_percent && rnd(100) < drop_percent))
            continue;
        ik_buf_printf(b, "%s\"%s\":", b->len > 1 ? "," : "", q->id);
        if (drop_percent && rnd(200) < drop_percent) {
            ik_buf_puts(b, "null");
            continue;
        }
        switch (q->type) {
        case IK_Q_YES_NO:
            ik_buf_puts(b, rnd(100) < yes_percent ? "true" : "false");
            break;
        case IK_Q_CHOICE:
            ik_buf_printf(b, "\"%s\"", q->options[rnd(q->noptions)].value);
            break;
        case IK_Q_MULTI:
            ik_buf_putc(b, '[');
            for (k = 0, n = 0; k < q->noptions; k++)
                if (rnd(3) == 0 || (k + 1 == q->noptions && n == 0))
                    ik_buf_printf(b, "%s\"%s\"", n++ ? "," : "",
                                  q->options[k].value);
            ik_buf_putc(b, ']');
            break;
        case IK_Q_NUMBER:
            lo = q->min > -1e9 ? q->min : 0;
            hi = q->max < 1e9 ? q->max : lo + 10;
            ik_buf_printf(b, "%d", (int)lo + (int)rnd((uint32_t)(hi - lo) + 1));
            break;
        case IK_Q_TEXT:
            ik_buf_printf(b, "\"note %u\"", rnd(100));
            break;
        case IK_Q_INFO:
        case IK_Q__COUNT:
            break;
        }
    }
    ik_buf_putc(b, '}');
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    uint64_t records = 1000000, pool = 10000, emit = 0, r;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t jobs = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (uint64_t)ncpu;
    double w0, t_wall1, t_jobs, load_before, load_after;
    ik_rulebook *rb;
    ik_error err;
    ik_buf b, out;
    char **lines;
    size_t *lens;
    ik_batch bt;
    double t0, t_cjson, t_batch;
    long rss_10k = 0, rss_end;
    uint64_t bytes = 0;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--records") == 0 && i + 1 < argc)
            records = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--pool") == 0 && i + 1 < argc)
            pool = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            rng_state = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--drop") == 0 && i + 1 < argc)
            drop_percent = (uint32_t)atoi(argv[++i]);
        else if (strcmp(argv[i], "--yes") == 0 && i + 1 < argc)
            yes_percent = (uint32_t)atoi(argv[++i]);
        else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc)
            jobs = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--emit") == 0 && i + 1 < argc)
            emit = strtoull(argv[++i], NULL, 10);
        else
            path = argv[i];
    }
    if (!path || pool == 0 || jobs == 0 || jobs > 64) {
        fputs("usage: batch-bench PACK [--records N] [--pool P] [--seed S] "
              "[--yes PERCENT] [--drop PERCENT] [--jobs J] | --emit N\n",
              stderr);
        return 64;
    }
    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK) {
        fprintf(stderr, "batch-bench: %s:%d:%d: %s\n", err.file, err.line,
                err.col, err.msg);
        return 1;
    }
    ik_buf_init(&b);
    if (emit) {
        for (r = 0; r < emit; r++) {
            make_record(rb, &b);
            ik_buf_putc(&b, '\n');
            fwrite(b.data, 1, b.len, stdout);
        }
        ik_buf_fini(&b);
        ik_rulebook_free(rb);
        return fflush(stdout) == 0 ? 0 : 74;
    }
    if (pool > records)
        pool = records;
    lines = malloc(pool * sizeof *lines);
    lens = malloc(pool * sizeof *lens);
    for (r = 0; r < pool; r++) {
        make_record(rb, &b);
        lines[r] = strdup(ik_buf_cstr(&b));
        lens[r] = b.len;
    }
    load_before = load1();
    /* baseline: parsing the same lines with cJSON, nothing else */
    t0 = now_s();
    for (r = 0; r < records; r++) {
        cJSON *j = cJSON_ParseWithLength(lines[r % pool], lens[r % pool]);

        if (!j)
            return 1;
        cJSON_Delete(j);
    }
    t_cjson = now_s() - t0;
    ik_buf_init(&out);
    if (ik_batch_init(&bt, rb, NULL, &err) != IK_OK)
        return 1;
    t0 = now_s();
    w0 = wall_s();
    for (r = 0; r < records; r++) {
        ik_buf_clear(&out);
        if (ik_batch_record(&bt, r + 1, lines[r % pool], lens[r % pool], &out,
                            &err) != IK_OK) {
            fprintf(stderr, "batch-bench: record %llu: %s\n",
                    (unsigned long long)r + 1, err.msg);
            return 1;
        }
        bytes += out.len + 1;
        if (r + 1 == 10000)
            rss_10k = peak_rss_kb();
    }
    t_batch = now_s() - t0;
    t_wall1 = wall_s() - w0;
    rss_end = peak_rss_kb();
    t_jobs = 0;
    if (jobs > 1) {
        pthread_t tid[64];
        job jb[64];
        uint64_t k;

        w0 = wall_s();
        for (k = 0; k < jobs; k++) {
            jb[k] = (job){rb, lines, lens, pool, records, k, jobs, 0};
            if (pthread_create(&tid[k], NULL, run_job, &jb[k]) != 0)
                return 1;
        }
        for (k = 0; k < jobs; k++)
            pthread_join(tid[k], NULL);
        t_jobs = wall_s() - w0;
        for (k = 0; k < jobs; k++)
            if (!jb[k].ok)
                return 1;
    }
    load_after = load1();
    printf("pack %s, %llu records (%llu distinct)\n", path,
           (unsigned long long)records, (unsigned long long)pool);
    printf("cjson_parse_records_per_s %.0f\n", (double)records / t_cjson);
    printf("batch_records_per_s %.0f (%.2fx the cJSON parse time, "
           "%.2f us a record)\n",
           (double)records / t_batch, t_batch / t_cjson,
           t_batch * 1e6 / (double)records);
    printf("batch_wall_records_per_s %.0f (one thread, wall time)\n",
           (double)records / t_wall1);
    if (jobs > 1)
        printf("batch_%llu_threads_records_per_s %.0f (wall; %.2fx the "
               "one-thread cJSON parse time, %.2fx one thread's wall "
               "throughput)\n",
               (unsigned long long)jobs, (double)records / t_jobs,
               t_jobs / t_cjson, t_wall1 / t_jobs);
    printf("load_average_1min before %.2f after %.2f (online CPUs %ld)\n",
           load_before, load_after, ncpu);
    printf("interview_replays %.2f%%\n",
           100.0 * (double)bt.side[0].exact / (double)records);
    printf("output_bytes %llu\n", (unsigned long long)bytes);
    printf("peak_rss_kb_after_10000 %ld\npeak_rss_kb_at_end %ld (one thread; "
           "%ld after the threaded run)\n",
           rss_10k, rss_end, peak_rss_kb());
    ik_batch_fini(&bt);
    ik_buf_fini(&out);
    ik_buf_fini(&b);
    for (r = 0; r < pool; r++)
        free(lines[r]);
    free(lines);
    free(lens);
    ik_rulebook_free(rb);
    return 0;
}
