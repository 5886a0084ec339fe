/*
 * cmd_batch.c -- `intake batch --rules PACK [--strict] [--diff OLD_PACK]`:
 * stdin one answers object a line, stdout one outcome object a line, in
 * order. Thin: the work is engine/batch.c. Reads with read(2) into one
 * reused buffer and flushes stdout only before it would wait for input,
 * so output streams without a write per line; memory stays constant
 * (bounded by the longest line).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "alloc.h"
#include "batch.h"
#include "rulebook.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_LINE = 1024 * 1024 }; /* bytes in one answers record */

static const char usage[] =
    "Usage: intake batch [--rules PACK] [--strict] [--diff OLD_PACK]\n"
    "Read one answers object a line ({\"question_id\": value, ...}) on\n"
    "stdin and write one outcome object a line on stdout, in order.\n"
    "A bad line gives {\"line\": N, \"error\": \"...\"} and the run goes on;\n"
    "--strict stops at it (exit 65). --diff OLD_PACK writes, for each line,\n"
    "the outcome fields that differ from OLD_PACK's, then a summary line.\n";

/* A line reader over fd 0 that flushes stdout before blocking. */
typedef struct reader {
    char *buf;
    size_t len, start, cap;
    bool eof;
} reader;

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
static int next_line(reader *r, char **line, size_t *len, bool *too_long)
{
    char *nl;

    *too_long = false;
    for (;;) {
        nl = memchr(r->buf + r->start, '\n', r->len - r->start);
        if (nl || r->eof)
            break;
        if (r->len - r->start > MAX_LINE) {
            *too_long = true; /* drop what we have, keep looking for \n */
            r->len = r->start;
        }
        if (fill(r) != 0)
            return -1;
    }
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
    return fwrite(out->data, 1, out->len, stdout) == out->len;
}

static int run(ik_batch *b, bool strict)
{
    reader r = {malloc(64 * 1024), 0, 0, 64 * 1024, false};
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
            b->records++;
            b->errors++;
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
    if (rc == EXIT_OK && b->diff) {
        ik_buf_clear(&out);
        ik_batch_write_summary(b, &out);
        if (!put(&out))
            rc = EXIT_IOERR;
    }
    if (fflush(stdout) != 0 && rc == EXIT_OK) {
        perror("intake batch: stdout");
        rc = EXIT_IOERR;
    }
    ik_buf_fini(&out);
    free(r.buf);
    return rc;
}

int cmd_batch(int argc, char **argv)
{
    static const struct option opts[] = {{"rules", required_argument, 0, 'r'},
                                         {"strict", no_argument, 0, 's'},
                                         {"diff", required_argument, 0, 'd'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *pack = NULL, *old_pack = NULL;
    char def[4096];
    bool strict = false;
    ik_rulebook *rb = NULL, *old = NULL;
    ik_batch b;
    ik_error err;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+r:sd:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            pack = optarg;
            break;
        case 's':
            strict = true;
            break;
        case 'd':
            old_pack = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            return cli_usage_error("batch", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("batch", "unexpected argument '%s'",
                               argv[optind]);
    if (!pack && !(pack = cli_default_pack(def, sizeof def))) {
        fputs("intake batch: the bundled rule pack was not found; "
              "use --rules PACK\n",
              stderr);
        return EXIT_NOINPUT;
    }
    if ((rc = load(pack, &rb)) != EXIT_OK)
        return rc;
    if (old_pack && (rc = load(old_pack, &old)) != EXIT_OK) {
        ik_rulebook_free(rb);
        return rc;
    }
    ik_error_clear(&err);
    if (ik_batch_init(&b, rb, old, &err) != IK_OK) {
        cli_print_diag(&err, "error");
        rc = EXIT_SOFTWARE;
    } else {
        rc = run(&b, strict);
        ik_batch_fini(&b);
    }
    ik_rulebook_free(old);
    ik_rulebook_free(rb);
    return rc;
}
