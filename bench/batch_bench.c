/*
 * batch_bench.c -- batch throughput and memory on generated answer
 * records: records/s through ik_batch_record against a plain cJSON parse
 * of the same lines (the floor any JSON-lines tool pays), the share of
 * records that needed the interview replay, and peak RSS after 10,000
 * records and at the end. A program that prints figures, not a test.
 * Times are the process's CPU time, steadier than wall time on a shared
 * machine.
 *
 *   batch-bench PACK [--records N] [--pool P] [--seed S] [--yes PERCENT]
 *   batch-bench PACK --emit N [--seed S] [--drop PERCENT]   N records on
 *       stdout (JSONL), to feed `intake batch` under /usr/bin/time -v;
 *       --drop leaves answers out (and half as many null) at random
 */
#define _POSIX_C_SOURCE 200809L
#include "alloc.h"
#include "batch.h"
#include "buf.h"
#include "rulebook.h"

#include <cjson/cJSON.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
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
    ik_rulebook *rb;
    ik_error err;
    ik_buf b, out;
    char **lines;
    size_t *lens;
    ik_batch bt;
    double t0, t_cjson, t_batch;
    long rss_10k = 0;
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
        else if (strcmp(argv[i], "--emit") == 0 && i + 1 < argc)
            emit = strtoull(argv[++i], NULL, 10);
        else
            path = argv[i];
    }
    if (!path || pool == 0) {
        fputs("usage: batch-bench PACK [--records N] [--pool P] [--seed S] "
              "[--yes PERCENT] [--drop PERCENT] | --emit N\n",
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
    printf("pack %s, %llu records (%llu distinct)\n", path,
           (unsigned long long)records, (unsigned long long)pool);
    printf("cjson_parse_records_per_s %.0f\n", (double)records / t_cjson);
    printf("batch_records_per_s %.0f (%.2fx the cJSON parse time, "
           "%.2f us a record)\n",
           (double)records / t_batch, t_batch / t_cjson,
           t_batch * 1e6 / (double)records);
    printf("interview_replays %.2f%%\n",
           100.0 * (double)bt.side[0].exact / (double)records);
    printf("output_bytes %llu\n", (unsigned long long)bytes);
    printf("peak_rss_kb_after_10000 %ld\npeak_rss_kb_at_end %ld\n", rss_10k,
           peak_rss_kb());
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
