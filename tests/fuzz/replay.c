/*
 * replay.c -- a main() for the fuzz targets when libFuzzer is not linked
 * (gcc builds, ctest): runs LLVMFuzzerTestOneInput on every file named on
 * the command line or found (sorted, not recursively) in a directory.
 * With --oom each input is run again with the Nth allocation failing, for
 * N = 1, 2, ... up to the number of allocations a clean run makes (sampled
 * beyond OOM_ALL), so the error paths the corpus reaches are walked (leaks
 * show in LSan or valgrind). Exits non-zero when no input was found: an empty
 * corpus proves nothing. It must not interpret the inputs itself.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include "alloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Inputs that allocate more than OOM_ALL times get every one of their
 * first OOM_ALL allocations failed, then OOM_SPREAD more spread evenly over
 * the rest: the full loop over a whole rule pack would take minutes. */
enum { OOM_ALL = 1000, OOM_SPREAD = 500 };

typedef struct replay {
    int oom;
    long inputs, runs;
} replay;

static int read_all(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0, got;

    if (!f)
        return -1;
    do {
        if (cap - n < 65536) {
            uint8_t *p = realloc(buf, cap ? cap * 2 : 65536);
            if (!p) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = p;
            cap = cap ? cap * 2 : 65536;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    *data = buf;
    *size = n;
    return 0;
}

/* The next allocation to fail after n, of total made by a clean run. */
static long next_n(long n, long total)
{
    long step;

    if (n < OOM_ALL || total <= OOM_ALL + OOM_SPREAD)
        return n + 1;
    step = (total - OOM_ALL) / OOM_SPREAD;
    return n + (step > 1 ? step : 1);
}

static int run_file(replay *r, const char *path)
{
    uint8_t *data = NULL, *copy;
    size_t size = 0;
    long n, total;

    if (read_all(path, &data, &size) != 0) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    /* An exact-size copy, so ASan catches reads past the end. */
    copy = malloc(size ? size : 1);
    if (!copy) {
        free(data);
        return -1;
    }
    memcpy(copy, data, size);
    free(data);
    r->inputs++;
    ik_alloc_fail_after(0);
    LLVMFuzzerTestOneInput(copy, size);
    total = ik_alloc_fail_after(0);
    r->runs++;
    for (n = 1; r->oom && n <= total; n = next_n(n, total)) {
        ik_alloc_fail_after(n);
        fuzz_failing_allocations = 1;
        LLVMFuzzerTestOneInput(copy, size);
        fuzz_failing_allocations = 0;
        ik_alloc_fail_after(0);
        r->runs++;
    }
    free(copy);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(replay *r, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap ? cap * 2 : 64) * sizeof *p);
            if (!p)
                break;
            names = p;
            cap = cap ? cap * 2 : 64;
        }
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names[n])
            break;
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) &&
            run_file(r, names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    replay r = {0, 0, 0};
    int i, rc = 0;

    for (i = 1; i < argc; i++) {
        struct stat st;
        if (strcmp(argv[i], "--oom") == 0) {
            r.oom = 1;
            setenv("IK_FUZZ_OOM", "1", 1); /* targets may skip slow extras */
            continue;
        }
        if (argv[i][0] == '-') /* libFuzzer flags: ignored here */
            continue;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            rc = 1;
        } else if (S_ISDIR(st.st_mode) ? run_dir(&r, argv[i]) != 0
                                       : run_file(&r, argv[i]) != 0) {
            rc = 1;
        }
    }
    printf("replayed %ld inputs (%ld runs%s)\n", r.inputs, r.runs,
           r.oom ? ", failing each allocation in turn" : "");
    if (r.inputs == 0) {
        fprintf(stderr, "replay: no inputs found\n");
        return 1;
    }
    return rc;
}
