/*
 * intake_bench.c -- the external peer of the JsonLogic peer harness
 * (bench/jsonlogic-peers/peers.js, see docs/PERFORMANCE.md): times the
 * JsonLogic engine over the generated triage records and prints the
 * harness's JSON line with truthy counts and the value hash. As peers.js
 * does for its own peers, the timed loops count truthy results and errors
 * only; the value hash comes from an untimed pass after the timed runs,
 * over both modes' paths, which must agree (as must every run's counts;
 * the program stops if they do not). A benchmark
 * program: reads its two input files, writes only stdout and stderr.
 *
 * With the engine's own record reader (the default, --parser intake):
 * eval-only reads every record into its slots before timing (the engine's
 * data representation) and times evaluating; end-to-end times reading each
 * line straight into the slots (ik_json_read_slots: strict JSON, no tree,
 * no binding pass) and evaluating. With --parser cjson, as before: eval-only
 * parses into cJSON trees beforehand and times binding each
 * (ik_logic_bind_cjson) and evaluating; end-to-end times cJSON's parse of
 * each line, then the same.
 *
 * Usage: intake-bench RULES DATA [--runs N] [--limit N] [--warmup N]
 *                    [--parser intake|cjson]
 *                    [--split]   (also time binding/reading alone and
 *                                 parsing alone)
 *                    [--malloc]  (cJSON allocates with malloc, not an arena)
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "alloc.h"
#include "answers_json.h"
#include "arena.h"
#include "config.h"
#include "json.h"
#include "logic.h"
#include "value.h"

/* run_eval and run_e2e stay functions, so callgrind can count them alone
 * (--toggle-collect=run_eval). */
#if defined(__GNUC__)
#define BENCH_NOINLINE __attribute__((noinline))
#else
#define BENCH_NOINLINE
#endif

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

typedef struct bench {
    ik_logic *lg;
    ik_expr *rules;
    char **names;
    uint32_t nrules;
    char **lines;
    size_t *lens;
    size_t nlines;
    ik_value *slots;
    ik_arena scratch;
    ik_bind_cache cache;
    ik_slot_map map; /* for the record reader: lg and cache */
    long *truthy, *errors;
    uint32_t *hash;
    ik_value *vals; /* each rule's value for the record being evaluated */
    ik_status *sts; /* and its status */
    int hashing;    /* only in the untimed checksum pass, as peers.js does */
} bench;

/* ---- Parsing with a bump allocator ---- */

/* cJSON's allocations for one record come from this arena; freeing is a
 * no-op and the arena is reset per record (see docs/PERFORMANCE.md). */
static ik_arena *parse_arena;
static int plain_malloc; /* --malloc: trees are freed with cJSON_Delete */
static int use_cjson;    /* --parser cjson */

static void *bump_malloc(size_t n)
{
    return ik_arena_alloc(parse_arena, n);
}

static void bump_free(void *p)
{
    (void)p;
}

static void use_bump_allocator(void)
{
    cJSON_Hooks hooks = {bump_malloc, bump_free};

    cJSON_InitHooks(&hooks);
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this process, for the stderr report on a busy machine. */
static double cpu_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- FNV-1a over JSON.stringify(v) + "\n", without building text ---- */

static uint32_t fnv(uint32_t h, const char *s, size_t n)
{
    while (n--)
        h = (h ^ (unsigned char)*s++) * FNV_PRIME;
    return h;
}

static uint32_t fnv_json_string(uint32_t h, const char *s, uint32_t n)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t i;

    h = (h ^ '"') * FNV_PRIME;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

        if (c >= 0x20 && c != '"' && c != '\\') {
            h = (h ^ c) * FNV_PRIME;
            continue;
        }
        switch (c) {
        case '"':
            h = fnv(h, "\\\"", 2);
            break;
        case '\\':
            h = fnv(h, "\\\\", 2);
            break;
        case '\b':
            h = fnv(h, "\\b", 2);
            break;
        case '\f':
            h = fnv(h, "\\f", 2);
            break;
        case '\n':
            h = fnv(h, "\\n", 2);
            break;
        case '\r':
            h = fnv(h, "\\r", 2);
            break;
        case '\t':
            h = fnv(h, "\\t", 2);
            break;
        default:
            h = fnv(h, esc, 6);
            break;
        }
    }
    return (h ^ '"') * FNV_PRIME;
}

static uint32_t fnv_json(uint32_t h, ik_value v, int top)
{
    char num[32];
    uint32_t i;
    int first = 1;

    switch ((ik_kind)v.kind) {
    case IK_UNDEF:
        return top ? fnv(h, "undefined", 9) : fnv(h, "null", 4);
    case IK_NULL:
        return fnv(h, "null", 4);
    case IK_BOOL:
        return v.u.b ? fnv(h, "true", 4) : fnv(h, "false", 5);
    case IK_NUM:
        if (!isfinite(v.u.num))
            return fnv(h, "null", 4);
        return fnv(h, num, ik_num_format(v.u.num, num));
    case IK_STR:
        return fnv_json_string(h, v.u.str, v.len);
    case IK_ARR:
        h = (h ^ '[') * FNV_PRIME;
        for (i = 0; i < v.len; i++) {
            if (i)
                h = (h ^ ',') * FNV_PRIME;
            h = fnv_json(h, v.u.items[i], 0);
        }
        return (h ^ ']') * FNV_PRIME;
    case IK_OBJ:
        h = (h ^ '{') * FNV_PRIME;
        for (i = 0; i < v.len; i++) {
            if (v.u.members[i].val.kind == IK_UNDEF)
                continue;
            if (!first)
                h = (h ^ ',') * FNV_PRIME;
            first = 0;
            h = fnv_json_string(h, v.u.members[i].key, v.u.members[i].klen);
            h = (h ^ ':') * FNV_PRIME;
            h = fnv_json(h, v.u.members[i].val, 0);
        }
        return (h ^ '}') * FNV_PRIME;
    case IK_KIND__COUNT:
        break;
    }
    return h;
}

/* ---- Setup ---- */

static void die(const char *what, const ik_error *err)
{
    if (err && err->line)
        fprintf(stderr, "intake-bench: %s:%d:%d: %s\n", err->file, err->line,
                err->col, err->msg);
    else
        fprintf(stderr, "intake-bench: %s: %s\n", what,
                err ? err->msg : "failed");
    exit(1);
}

static void load_rules(bench *b, const char *path)
{
    char *text;
    size_t len;
    ik_json_doc doc;
    ik_error err;
    const cJSON *r;
    uint32_t n = 0;

    ik_error_clear(&err);
    if (ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len, &err) != IK_OK ||
        ik_json_parse(text, len, path, IK_JSON_POSITIONS, &doc, &err) != IK_OK)
        die(path, &err);
    if (!cJSON_IsObject(doc.root))
        die(path, NULL);
    for (r = doc.root->child; r; r = r->next)
        n++;
    b->rules = calloc(n, sizeof *b->rules);
    b->names = calloc(n, sizeof *b->names);
    if (ik_logic_new(&b->lg, &err) != IK_OK || !b->rules || !b->names)
        die("out of memory", NULL);
    for (r = doc.root->child; r; r = r->next, b->nrules++) {
        if (ik_logic_compile_json(b->lg, r, &doc, &b->rules[b->nrules], &err) !=
            IK_OK)
            die(path, &err);
        b->names[b->nrules] = strdup(r->string);
    }
    ik_json_doc_fini(&doc);
    ik_free(text);
}

/* Read DATA into one buffer, each line NUL-terminated in place. */
static void load_lines(bench *b, const char *path, size_t limit)
{
    char *text, *p, *end;
    size_t len, cap = 1024;
    ik_error err;

    ik_error_clear(&err);
    if (ik_json_read_file(path, SIZE_MAX / 2, &text, &len, &err) != IK_OK)
        die(path, &err);
    b->lines = malloc(cap * sizeof *b->lines);
    b->lens = malloc(cap * sizeof *b->lens);
    for (p = text, end = text + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

        if (limit && b->nlines == limit)
            break;
        if (nl)
            *nl = '\0';
        if (n > 0) {
            if (b->nlines == cap) {
                cap *= 2;
                b->lines = realloc(b->lines, cap * sizeof *b->lines);
                b->lens = realloc(b->lens, cap * sizeof *b->lens);
            }
            if (!b->lines || !b->lens)
                die("out of memory", NULL);
            b->lines[b->nlines] = p;
            b->lens[b->nlines++] = n;
        }
        p += n + 1;
    }
}

/* ---- The work for one record ---- */

/* Every rule over a record's slots, in one call of the evaluator;
 * scratch is reset by the caller. The arrays are read through locals, so
 * the loop does not reload them after each store. */
static void eval_slots(bench *b, const ik_value *slots)
{
    int hashing = b->hashing;
    ik_env env = {{0}, slots, ik_logic_nslots(b->lg), &b->scratch, 0, NULL};
    ik_error err;
    const ik_value *vals = b->vals;
    const ik_status *sts = b->sts;
    long *truthy = b->truthy, *errors = b->errors;
    uint32_t *hash = b->hash, i, n = b->nrules;

    ik_logic_eval_each(b->lg, b->rules, n, &env, b->vals, b->sts, &err);
    for (i = 0; i < n; i++) {
        ik_value v = vals[i];

        if (sts[i] != IK_OK) {
            errors[i]++;
            if (hashing)
                hash[i] = fnv(hash[i], "!error\n", 7);
            continue;
        }
        if (v.kind == IK_BOOL) { /* the common case, without the walk */
            truthy[i] += v.u.b;
            if (hashing)
                hash[i] = v.u.b ? fnv(hash[i], "true\n", 5)
                                : fnv(hash[i], "false\n", 6);
            continue;
        }
        truthy[i] += ik_value_truthy(v);
        if (hashing)
            hash[i] = fnv(fnv_json(hash[i], v, 1), "\n", 1);
    }
}

static void eval_record(bench *b, const cJSON *rec)
{
    ik_arena_reset(&b->scratch);
    if (!ik_logic_bind_cjson(b->lg, rec, b->slots, &b->scratch, &b->cache))
        die("out of memory", NULL);
    eval_slots(b, b->slots);
}

/* Line k read by the engine's record reader straight into slots (values
 * in a). */
static void read_line(bench *b, size_t k, ik_arena *a, ik_value *slots)
{
    ik_error err;

    if (ik_json_read_slots(b->lines[k], b->lens[k], "data", a, ik_logic_slot_of,
                           &b->map, slots, ik_logic_nslots(b->lg),
                           &err) != IK_OK)
        die("data", &err);
}

static void reset_counts(bench *b)
{
    uint32_t i;

    for (i = 0; i < b->nrules; i++) {
        b->truthy[i] = b->errors[i] = 0;
        b->hash[i] = FNV_BASIS;
    }
}

static cJSON *parse_line(bench *b, size_t k)
{
    ik_json_doc doc;
    ik_error err;

    if (ik_json_parse(b->lines[k], b->lens[k], "data", IK_JSON_FAST, &doc,
                      &err) != IK_OK)
        die("data", &err);
    return doc.root; /* lives in *parse_arena; nothing else to free */
}

static double e2e_loop(bench *b, ik_arena *line_arena)
{
    double t0 = now_ms();
    size_t k;

    if (!use_cjson) {
        for (k = 0; k < b->nlines; k++) {
            ik_arena_reset(line_arena);
            ik_arena_reset(&b->scratch);
            read_line(b, k, line_arena, b->slots);
            eval_slots(b, b->slots);
        }
        return now_ms() - t0;
    }
    parse_arena = line_arena;
    for (k = 0; k < b->nlines; k++) {
        ik_arena_reset(line_arena);
        cJSON *rec = parse_line(b, k);

        eval_record(b, rec);
        if (plain_malloc)
            cJSON_Delete(rec);
    }
    return now_ms() - t0;
}

/* --split: the parts of the work, each timed alone (stderr). */
static void run_split(bench *b, cJSON **recs, ik_arena *line_arena)
{
    double t0 = now_ms(), t_bind, t_parse;
    size_t k;

    if (!use_cjson) {
        for (k = 0; k < b->nlines; k++) {
            ik_arena_reset(line_arena);
            read_line(b, k, line_arena, b->slots);
        }
        fprintf(stderr, "intake-bench: reading into slots only %.1f ms\n",
                now_ms() - t0);
        return;
    }
    for (k = 0; k < b->nlines; k++) {
        ik_arena_reset(&b->scratch);
        if (!ik_logic_bind_cjson(b->lg, recs[k], b->slots, &b->scratch,
                                 &b->cache))
            die("out of memory", NULL);
    }
    t_bind = now_ms() - t0;
    parse_arena = line_arena;
    t0 = now_ms();
    for (k = 0; k < b->nlines; k++) {
        ik_arena_reset(line_arena);
        cJSON *rec = parse_line(b, k);

        if (plain_malloc)
            cJSON_Delete(rec);
    }
    t_parse = now_ms() - t0;
    fprintf(stderr, "intake-bench: bind only %.1f ms, parse only %.1f ms\n",
            t_bind, t_parse);
}

/* recs (cJSON) or slots (nslots a record, read before timing) */
static double eval_loop(bench *b, cJSON **recs, const ik_value *slots)
{
    double t0 = now_ms();
    uint32_t ns = ik_logic_nslots(b->lg);
    size_t k;

    for (k = 0; k < b->nlines; k++) {
        if (use_cjson) {
            eval_record(b, recs[k]);
            continue;
        }
        ik_arena_reset(&b->scratch);
        eval_slots(b, slots + k * ns);
    }
    return now_ms() - t0;
}

/* The timed calls; the untimed hash pass calls the loops directly, so
 * callgrind's --toggle-collect=run_eval counts the timed work alone. */
static BENCH_NOINLINE double run_eval(bench *b, cJSON **recs,
                                      const ik_value *slots)
{
    return eval_loop(b, recs, slots);
}

static BENCH_NOINLINE double run_e2e(bench *b, ik_arena *line_arena)
{
    return e2e_loop(b, line_arena);
}

/* ---- Checks, untimed (as peers.js: counts must not differ between runs;
 * the value hash is a pass of its own after the timed runs) ---- */

typedef struct counts {
    long *truthy, *errors; /* the first run's, each mode's must equal it */
    int set;
} counts;

static void check_counts(bench *b, counts *ref)
{
    size_t n = b->nrules * sizeof *b->truthy;

    if (!ref->set) {
        ref->truthy = malloc(n + 1);
        ref->errors = malloc(n + 1);
        if (!ref->truthy || !ref->errors)
            die("out of memory", NULL);
        memcpy(ref->truthy, b->truthy, n);
        memcpy(ref->errors, b->errors, n);
        ref->set = 1;
        return;
    }
    if (memcmp(ref->truthy, b->truthy, n) || memcmp(ref->errors, b->errors, n))
        die("results differ between runs", NULL);
}

/* The value hash of every rule over every record, by both paths (records
 * prepared before timing, and each line read afresh); the two must give
 * the same hashes and the same counts as the timed runs. */
static void hash_pass(bench *b, cJSON **recs, const ik_value *slots,
                      ik_arena *line_arena, counts *ref)
{
    uint32_t *first = calloc(b->nrules + 1, sizeof *first);

    if (!first)
        die("out of memory", NULL);
    b->hashing = 1;
    reset_counts(b);
    eval_loop(b, recs, slots);
    check_counts(b, ref);
    memcpy(first, b->hash, b->nrules * sizeof *first);
    reset_counts(b);
    e2e_loop(b, line_arena);
    check_counts(b, ref);
    if (memcmp(first, b->hash, b->nrules * sizeof *first))
        die("eval-only and end-to-end values differ", NULL);
    b->hashing = 0;
    free(first);
}

/* ---- Output ---- */

static void print_result(bench *b, const double *ev, const double *e2e,
                         int runs)
{
    uint32_t i, all = FNV_BASIS;
    char hx[9];
    int r;

    printf("{\"label\":\"intake (C, compiled code; %s)\",\"version\":\"%s\","
           "\"records\":%zu,\"eval_ms\":[",
           use_cjson ? "cJSON parse + bind" : "own reader into slots",
           IK_VERSION, b->nlines);
    for (r = 0; r < runs; r++)
        printf("%s%.3f", r ? "," : "", ev[r]);
    printf("],\"e2e_ms\":[");
    for (r = 0; r < runs; r++)
        printf("%s%.3f", r ? "," : "", e2e[r]);
    printf("],\"truthy\":{");
    for (i = 0; i < b->nrules; i++)
        printf("%s\"%s\":%ld", i ? "," : "", b->names[i], b->truthy[i]);
    printf("},\"errors\":{");
    for (i = 0; i < b->nrules; i++)
        printf("%s\"%s\":%ld", i ? "," : "", b->names[i], b->errors[i]);
    for (i = 0; i < b->nrules; i++) {
        snprintf(hx, sizeof hx, "%08x", b->hash[i]);
        all = fnv(all, hx, 8);
    }
    printf("},\"value_hash\":\"%08x\"}\n", all);
}

int main(int argc, char **argv)
{
    bench b;
    ik_arena records_arena, line_arena;
    cJSON **recs;
    ik_value *recslots = NULL;
    uint32_t ns;
    double *ev, *e2e;
    counts ref = {NULL, NULL, 0};
    long runs = 3, limit = 0, warmup = 5000;
    int split = 0;
    size_t k;
    int i, r;
    const char *rules = NULL, *data = NULL;

    memset(&b, 0, sizeof b);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atol(argv[++i]);
        else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            limit = atol(argv[++i]);
        else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc)
            warmup = atol(argv[++i]);
        else if (strcmp(argv[i], "--split") == 0)
            split = 1;
        else if (strcmp(argv[i], "--malloc") == 0)
            plain_malloc = 1;
        else if (strcmp(argv[i], "--parser") == 0 && i + 1 < argc &&
                 (strcmp(argv[i + 1], "cjson") == 0 ||
                  strcmp(argv[i + 1], "intake") == 0))
            use_cjson = strcmp(argv[++i], "cjson") == 0;
        else if (!rules)
            rules = argv[i];
        else if (!data)
            data = argv[i];
        else
            break;
    }
    if (!rules || !data || i < argc || runs < 1 || limit < 0) {
        fputs("usage: intake-bench RULES DATA [--runs N] [--limit N] "
              "[--warmup N] [--parser intake|cjson] [--split] "
              "[--malloc]\n",
              stderr);
        return 64;
    }
    load_rules(&b, rules);
    b.map.lg = b.lg;
    b.map.cache = &b.cache;
    load_lines(&b, data, (size_t)limit);
    if (!plain_malloc)
        use_bump_allocator();
    ik_arena_init(&records_arena);
    ik_arena_init(&line_arena);
    ik_arena_init(&b.scratch);
    b.slots = calloc(ik_logic_nslots(b.lg) + 1, sizeof *b.slots);
    b.truthy = calloc(b.nrules, sizeof *b.truthy);
    b.errors = calloc(b.nrules, sizeof *b.errors);
    b.hash = calloc(b.nrules, sizeof *b.hash);
    b.vals = calloc(b.nrules + 1, sizeof *b.vals);
    b.sts = calloc(b.nrules + 1, sizeof *b.sts);
    recs = calloc(b.nlines + 1, sizeof *recs);
    ev = calloc((size_t)runs, sizeof *ev);
    e2e = calloc((size_t)runs, sizeof *e2e);
    if (!b.slots || !b.truthy || !b.errors || !b.hash || !b.vals || !b.sts ||
        !recs || !ev || !e2e)
        die("out of memory", NULL);

    /* Eval-only input: every record parsed (cJSON trees) or read into its
     * slots before timing, kept in their own arena. */
    ns = ik_logic_nslots(b.lg);
    parse_arena = &records_arena;
    if (!use_cjson) {
        recslots = calloc(b.nlines * ns + 1, sizeof *recslots);
        if (!recslots)
            die("out of memory", NULL);
    }
    for (k = 0; k < b.nlines; k++) {
        if (use_cjson)
            recs[k] = parse_line(&b, k);
        else
            read_line(&b, k, &records_arena, recslots + k * ns);
    }
    for (k = 0; k < b.nlines && (long)k < warmup; k++) {
        if (use_cjson) {
            eval_record(&b, recs[k]);
            continue;
        }
        ik_arena_reset(&b.scratch);
        eval_slots(&b, recslots + k * ns);
    }
    for (r = 0; r < runs; r++) {
        double c0 = cpu_ms(), c1;

        reset_counts(&b);
        ev[r] = run_eval(&b, recs, recslots);
        c1 = cpu_ms();
        check_counts(&b, &ref);
        reset_counts(&b);
        e2e[r] = run_e2e(&b, &line_arena);
        check_counts(&b, &ref);
        fprintf(stderr,
                "intake-bench: run %d: eval %.1f ms wall, %.1f ms cpu; "
                "e2e %.1f ms wall, %.1f ms cpu\n",
                r + 1, ev[r], c1 - c0, e2e[r], cpu_ms() - c1);
    }
    hash_pass(&b, recs, recslots, &line_arena, &ref);
    if (split)
        run_split(&b, recs, &line_arena);
    fprintf(stderr, "intake-bench: %zu records x %u rules, %ld runs\n",
            b.nlines, b.nrules, runs);
    print_result(&b, ev, e2e, (int)runs);
    return 0;
}
