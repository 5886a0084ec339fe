/*
 * cmd_batch.c -- `intake batch --rules PACK [--strict] [--diff OLD_PACK]
 * [--jobs N]`: stdin one answers object a line, stdout one outcome object
 * a line, in order. Thin: the work is engine/batch.c. Reads with read(2)
 * into one reused buffer and flushes stdout only before it would wait for
 * input, so output streams without a write per line; memory stays
 * constant (bounded by the longest line and, with jobs, by a fixed ring
 * of blocks). With --jobs N > 1 the main thread reads blocks of lines and
 * writes their outputs in order while N workers, each with its own
 * ik_batch over the shared read-only rulebooks, compute them; the output
 * is byte for byte what one thread writes. Must not print anything a
 * record answered except the outcome itself.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "intake/batch.h"
#include "intake/buf.h"
#include "intake/rulebook.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    MAX_LINE = 1024 * 1024,  /* bytes in one answers record */
    MAX_JOBS = 64,           /* --jobs */
    DEFAULT_JOBS_CAP = 8,    /* default: online CPUs, at most this */
    BLOCK_LINES = 256,       /* lines a block holds at most */
    BLOCK_BYTES = 256 * 1024 /* text a block holds before it is full */
};

/* A line reader over fd 0 that flushes stdout before blocking. */
typedef struct reader {
    char *buf;
    size_t len, start, cap;
    bool eof;
    bool dropping; /* the current line is too long: its text is dropped */
} reader;

/* Could read(2) on stdin return now (data, end of input or an error)? */
static bool input_ready(void)
{
    struct pollfd p = {0, POLLIN, 0};
    int n;

    do
        n = poll(&p, 1, 0);
    while (n < 0 && errno == EINTR);
    return n != 0; /* on a poll error, let read(2) say */
}

static int fill(reader *r)
{
    ssize_t n;

    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
    }
    if (r->len + 1 >= r->cap) {
        size_t cap = r->cap * 2;
        char *p = cap <= 2 * MAX_LINE + 2 ? realloc(r->buf, cap) : NULL;

        if (!p)
            return -1;
        r->buf = p;
        r->cap = cap;
    }
    fflush(stdout); /* about to wait: let the reader downstream see output */
    do
        n = read(0, r->buf + r->len, r->cap - r->len - 1);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n == 0)
        r->eof = true;
    r->len += (size_t)n;
    return 0;
}

/* Next line (without \n or \r\n), NUL-terminated in place; *too_long when
 * it exceeded MAX_LINE (its text is then dropped). 0: a line, 1: end of
 * input, -1: read error. */
static int next_line_ex(reader *r, char **line, size_t *len, bool *too_long,
                        bool may_block)
{
    char *nl;

    for (;;) {
        nl = memchr(r->buf + r->start, '\n', r->len - r->start);
        if (nl || r->eof)
            break;
        if (r->len - r->start > MAX_LINE) {
            r->dropping = true; /* drop what we have, keep looking for \n */
            r->len = r->start;
        }
        if (!may_block && !input_ready())
            return 2;
        if (fill(r) != 0)
            return -1;
    }
    *too_long = r->dropping;
    r->dropping = false;
    if (!nl && r->start == r->len)
        return 1;
    if (!nl)
        nl = r->buf + r->len; /* last line without a newline */
    *line = r->buf + r->start;
    *len = (size_t)(nl - *line);
    if (*len > MAX_LINE) /* whole in the buffer, yet too long */
        *too_long = true;
    r->start = nl < r->buf + r->len ? (size_t)(nl - r->buf) + 1 : r->len;
    if (*len > 0 && (*line)[*len - 1] == '\r')
        (*len)--;
    (*line)[*len] = '\0';
    return 0;
}

/* Next line, waiting for input as long as needed. */
static int next_line(reader *r, char **line, size_t *len, bool *too_long)
{
    return next_line_ex(r, line, len, too_long, true);
}

static int load(const char *path, ik_rulebook **rb)
{
    ik_error err;
    ik_status st;

    ik_error_clear(&err);
    st = ik_rulebook_load_file(path, rb, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    return EXIT_OK;
}

static bool put(ik_buf *out)
{
    ik_buf_putc(out, '\n');
    return cli_write_stdout(out->data, out->len);
}

/* The end of a run, one thread or many: the --diff summary after a run
 * that went well, then the flush whose failure is the run's. */
static int finish(const ik_batch *b, int rc)
{
    ik_buf out;

    if (rc == EXIT_OK && b && ik_batch_is_diff(b)) {
        ik_buf_init(&out);
        ik_batch_write_summary(b, &out);
        if (!put(&out))
            rc = EXIT_IOERR;
        ik_buf_fini(&out);
    }
    if (fflush(stdout) != 0 && rc == EXIT_OK)
        rc = EXIT_IOERR; /* main says why */
    return rc;
}

static int run(ik_batch *b, bool strict)
{
    reader r = {malloc(64 * 1024), 0, 0, 64 * 1024, false, false};
    ik_buf out;
    ik_error err;
    uint64_t lineno = 0;
    char *line;
    size_t len;
    bool too_long;
    int got, rc = EXIT_OK;

    if (!r.buf)
        return EXIT_SOFTWARE;
    ik_buf_init(&out);
    while ((got = next_line(&r, &line, &len, &too_long)) == 0) {
        ik_status st;

        lineno++;
        ik_buf_clear(&out);
        ik_error_clear(&err);
        if (too_long) {
            ik_batch_count_refused(b);
            st = IK_ELIMIT;
            snprintf(err.msg, sizeof err.msg, "line longer than %d bytes",
                     MAX_LINE);
        } else {
            st = ik_batch_record(b, lineno, line, len, &out, &err);
        }
        if (st != IK_OK) {
            ik_buf_clear(&out);
            ik_batch_write_error(&out, lineno, &err);
        }
        if (!put(&out)) {
            rc = EXIT_IOERR;
            break;
        }
        if (st == IK_ENOMEM) {
            rc = EXIT_SOFTWARE;
            break;
        }
        if (st != IK_OK && strict) {
            fprintf(stderr, "intake batch: line %llu: %s\n",
                    (unsigned long long)lineno, err.msg);
            rc = EXIT_DATA;
            break;
        }
    }
    if (got < 0) {
        perror("intake batch: stdin");
        rc = EXIT_IOERR;
    }
    ik_buf_fini(&out);
    free(r.buf);
    return finish(b, rc);
}

/* ---- Several threads ---- */

/* A block of consecutive lines and, once a worker is done, their output. */
typedef struct block {
    char *text; /* the lines, each NUL-terminated */
    size_t tlen, tcap;
    size_t off[BLOCK_LINES], len[BLOCK_LINES];
    bool too_long[BLOCK_LINES];
    uint32_t n;
    uint64_t first; /* line number of line 0 */
    ik_buf out;
    bool done;
    int stop_rc; /* EXIT_OK, or why the run stops after this block */
    uint64_t stop_line;
    char stop_msg[sizeof((ik_error *)0)->msg];
} block;

typedef struct worker {
    struct pool *pool;
    ik_batch *b;
    pthread_t tid;
    bool started;
} worker;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work; /* a block is ready, or quit */
    pthread_cond_t idle; /* a block is done */
    block *ring;
    uint32_t nring;
    uint64_t next_fill, next_take, next_write; /* block sequence numbers */
    bool quit, strict;
    worker *w;
    uint32_t nw;
} pool;

/* One record into blk->out, as run() does it; false to stop the block. */
static bool block_line(ik_batch *b, block *blk, uint32_t i, bool strict)
{
    uint64_t lineno = blk->first + i;
    size_t start = blk->out.len;
    ik_error err;
    ik_status st;

    ik_error_clear(&err);
    if (blk->too_long[i]) {
        ik_batch_count_refused(b);
        st = IK_ELIMIT;
        snprintf(err.msg, sizeof err.msg, "line longer than %d bytes",
                 MAX_LINE);
    } else {
        st = ik_batch_record(b, lineno, blk->text + blk->off[i], blk->len[i],
                             &blk->out, &err);
    }
    if (st != IK_OK) {
        blk->out.len = start; /* drop what a failed record wrote */
        ik_batch_write_error(&blk->out, lineno, &err);
    }
    ik_buf_putc(&blk->out, '\n');
    if (st == IK_ENOMEM || ik_buf_status(&blk->out) != IK_OK) {
        blk->stop_rc = EXIT_SOFTWARE;
    } else if (st != IK_OK && strict) {
        blk->stop_rc = EXIT_DATA;
        blk->stop_line = lineno;
        snprintf(blk->stop_msg, sizeof blk->stop_msg, "%s", err.msg);
    }
    return blk->stop_rc == EXIT_OK;
}

static void *work(void *arg)
{
    worker *w = arg;
    pool *p = w->pool;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        block *blk;
        uint32_t i;

        while (!p->quit && p->next_take == p->next_fill)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->quit)
            break;
        blk = &p->ring[p->next_take++ % p->nring];
        pthread_mutex_unlock(&p->mu);
        ik_buf_clear(&blk->out);
        blk->stop_rc = EXIT_OK;
        for (i = 0; i < blk->n; i++)
            if (!block_line(w->b, blk, i, p->strict))
                break;
        pthread_mutex_lock(&p->mu);
        blk->done = true;
        pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Add a line to blk (copied). */
static bool block_add(block *blk, const char *line, size_t len, bool too_long)
{
    size_t need = blk->tlen + (too_long ? 0 : len) + 1;

    if (need > blk->tcap) {
        size_t cap = blk->tcap ? blk->tcap : 64 * 1024;
        char *t;

        while (cap < need)
            cap *= 2;
        if (!(t = realloc(blk->text, cap)))
            return false;
        blk->text = t;
        blk->tcap = cap;
    }
    blk->off[blk->n] = blk->tlen;
    blk->len[blk->n] = too_long ? 0 : len;
    blk->too_long[blk->n] = too_long;
    if (!too_long)
        memcpy(blk->text + blk->tlen, line, len);
    blk->text[blk->tlen + blk->len[blk->n]] = '\0';
    blk->tlen = need;
    blk->n++;
    return true;
}

/*
 * Fill blk with lines. 0: full; 1: end of input; 2: no more input now
 * (only when !may_block); -1: read error; -2: out of memory.
 */
static int block_fill(reader *r, block *blk, uint64_t *lineno, bool may_block)
{
    char *line;
    size_t len;
    bool too_long;
    int got;

    blk->n = 0;
    blk->tlen = 0;
    blk->first = *lineno + 1;
    while (blk->n < BLOCK_LINES && blk->tlen < BLOCK_BYTES) {
        got = next_line_ex(r, &line, &len, &too_long, may_block);
        if (got != 0)
            return got;
        if (!block_add(blk, line, len, too_long))
            return -2;
        ++*lineno;
        may_block = false; /* only the first line may wait */
    }
    return 0;
}

/* Write a done block; the run's exit code when it must stop, else OK. */
static int block_write(block *blk)
{
    if (!cli_write_stdout(blk->out.data, blk->out.len))
        return EXIT_IOERR; /* main says why */
    if (blk->stop_rc == EXIT_DATA)
        fprintf(stderr, "intake batch: line %llu: %s\n",
                (unsigned long long)blk->stop_line, blk->stop_msg);
    return blk->stop_rc;
}

static void pool_stop(pool *p)
{
    uint32_t i;

    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (i = 0; i < p->nw; i++)
        if (p->w[i].started)
            pthread_join(p->w[i].tid, NULL);
}

/* The read/write loop of the main thread. */
static int pool_run(pool *p)
{
    reader r = {malloc(64 * 1024), 0, 0, 64 * 1024, false, false};
    uint64_t lineno = 0;
    bool input_done = false, drain = false, write_failed = false;
    int rc = EXIT_OK, read_rc = EXIT_OK;

    if (!r.buf)
        return EXIT_SOFTWARE;
    pthread_mutex_lock(&p->mu);
    while (rc == EXIT_OK && !write_failed) {
        block *blk = &p->ring[p->next_write % p->nring];

        if (p->next_write < p->next_fill && blk->done) {
            pthread_mutex_unlock(&p->mu);
            rc = block_write(blk);
            pthread_mutex_lock(&p->mu);
            blk->done = false;
            p->next_write++;
            continue;
        }
        if (input_done && p->next_write == p->next_fill)
            break;
        if (!input_done && p->next_fill - p->next_write < p->nring &&
            (!drain || p->next_write == p->next_fill)) {
            int got;

            blk = &p->ring[p->next_fill % p->nring];
            pthread_mutex_unlock(&p->mu);
            if (drain && fflush(stdout) != 0) /* all read so far is out */
                write_failed = true;
            got = block_fill(&r, blk, &lineno, drain);
            pthread_mutex_lock(&p->mu);
            drain = got == 2;
            if (got == 1 || got < 0)
                input_done = true;
            if (got == -1)
                read_rc = EXIT_IOERR;
            if (got == -2)
                read_rc = EXIT_SOFTWARE;
            if (blk->n > 0) {
                blk->done = false;
                p->next_fill++;
                pthread_cond_signal(&p->work);
            }
            continue;
        }
        pthread_cond_wait(&p->idle, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    free(r.buf);
    if (write_failed && rc == EXIT_OK)
        rc = EXIT_IOERR; /* main says why */
    if (rc == EXIT_OK && read_rc == EXIT_IOERR)
        perror("intake batch: stdin");
    return rc != EXIT_OK ? rc : read_rc;
}

static int run_jobs(const ik_rulebook *rb, const ik_rulebook *old,
                    uint32_t jobs, bool strict)
{
    pool p;
    ik_error err;
    uint32_t i;
    int rc = EXIT_OK;

    memset(&p, 0, sizeof p);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work, NULL);
    pthread_cond_init(&p.idle, NULL);
    p.strict = strict;
    p.nring = 2 * jobs + 2;
    p.ring = calloc(p.nring, sizeof *p.ring);
    p.w = calloc(jobs, sizeof *p.w);
    if (!p.ring || !p.w)
        rc = EXIT_SOFTWARE;
    for (i = 0; rc == EXIT_OK && i < p.nring; i++)
        ik_buf_init(&p.ring[i].out);
    for (i = 0; rc == EXIT_OK && i < jobs; i++, p.nw++) {
        ik_error_clear(&err);
        p.w[i].pool = &p;
        if (ik_batch_new(rb, old, &p.w[i].b, &err) != IK_OK) {
            cli_print_diag(&err, "error");
            rc = EXIT_SOFTWARE;
        } else if (pthread_create(&p.w[i].tid, NULL, work, &p.w[i]) != 0) {
            fputs("intake batch: cannot start a thread\n", stderr);
            rc = EXIT_SOFTWARE;
        } else {
            p.w[i].started = true;
        }
    }
    if (rc == EXIT_OK)
        rc = pool_run(&p);
    pool_stop(&p);
    /* The summary is the first worker's counts with the others' added;
     * when one did not start, rc is not EXIT_OK and there is none. */
    for (i = 1; i < p.nw && p.w[0].b && p.w[i].b; i++)
        ik_batch_add_counts(p.w[0].b, p.w[i].b);
    rc = finish(p.nw ? p.w[0].b : NULL, rc);
    for (i = 0; i < p.nw; i++)
        ik_batch_free(p.w[i].b);
    for (i = 0; p.ring && i < p.nring; i++) {
        ik_buf_fini(&p.ring[i].out);
        free(p.ring[i].text);
    }
    free(p.ring);
    free(p.w);
    pthread_cond_destroy(&p.idle);
    pthread_cond_destroy(&p.work);
    pthread_mutex_destroy(&p.mu);
    return rc;
}

/* Online CPUs, at most DEFAULT_JOBS_CAP. */
static uint32_t default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return 1;
    return n > DEFAULT_JOBS_CAP ? DEFAULT_JOBS_CAP : (uint32_t)n;
}

int cmd_batch(int argc, char **argv)
{
    const char *pack = NULL, *old_pack = NULL;
    char def[4096];
    bool strict = false;
    uint32_t jobs = 0; /* 0: default */
    char *end;
    long n;
    ik_rulebook *rb = NULL, *old = NULL;
    ik_batch *b = NULL;
    ik_error err;
    cli_args a;
    char **ops;
    int c, nops, rc;

    cli_args_init(&a, "batch", argc, argv);
    while ((c = cli_next_option(&a)) > 0) {
        const char *val = a.value;

        switch (c) {
        case 'r':
            pack = val;
            break;
        case 's':
            strict = true;
            break;
        case 'd':
            old_pack = val;
            break;
        case 'j':
            errno = 0;
            n = strtol(val, &end, 10);
            if (errno || end == val || *end || n < 1 || n > MAX_JOBS)
                return cli_usage_error(
                    "batch", "--jobs needs a number from 1 to %d", MAX_JOBS);
            jobs = (uint32_t)n;
            break;
        default:
            break;
        }
    }
    if (c < 0)
        return a.rc;
    nops = cli_operands(&a, &ops);
    if (nops > (pack ? 0 : 1))
        return cli_usage_error("batch", "unexpected argument '%s'",
                               ops[nops - 1]);
    if (nops == 1)
        pack = ops[0];
    if ((pack && cli_is_stdin(pack)) || (old_pack && cli_is_stdin(old_pack)))
        return cli_usage_error("batch", "a pack cannot be - (stdin carries "
                                        "the answers)");
    if (!pack && !(pack = cli_default_pack(def, sizeof def))) {
        fputs("intake batch: the bundled rule pack was not found; "
              "name a PACK\n",
              stderr);
        return EXIT_NOINPUT;
    }
    if ((rc = load(pack, &rb)) != EXIT_OK)
        return rc;
    if (old_pack && (rc = load(old_pack, &old)) != EXIT_OK) {
        ik_rulebook_free(rb);
        return rc;
    }
    if (!jobs)
        jobs = default_jobs();
    ik_error_clear(&err);
    if (jobs > 1) {
        rc = run_jobs(rb, old, jobs, strict);
    } else if (ik_batch_new(rb, old, &b, &err) != IK_OK) {
        cli_print_diag(&err, "error");
        rc = EXIT_SOFTWARE;
    } else {
        rc = run(b, strict);
        ik_batch_free(b);
    }
    ik_rulebook_free(old);
    ik_rulebook_free(rb);
    return rc;
}
