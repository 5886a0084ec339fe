/*
 * lines.c -- read one line from a stream with a bound on what is kept, so
 * a line of gigabytes costs no more memory than the bound. NUL bytes are
 * kept (the core refuses them with a message), never taken as the end.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "intake/buf.h"

#include <stdlib.h>
#include <string.h>

static int grow(char **buf, size_t *cap, size_t need)
{
    size_t ncap = *cap ? *cap : 256;
    char *p;

    while (ncap < need)
        ncap *= 2;
    p = realloc(*buf, ncap);
    if (!p)
        return -1;
    *buf = p;
    *cap = ncap;
    return 0;
}

int cli_read_line(FILE *f, size_t keep, char **line, size_t *len)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int c, got = 0;

    *line = NULL;
    *len = 0;
    flockfile(f);
    while ((c = getc_unlocked(f)) != EOF) {
        got = 1;
        if (c == '\n')
            break;
        if (n >= keep)
            continue; /* past the bound: read and drop */
        if (n + 2 > cap && grow(&buf, &cap, n + 2) != 0) {
            funlockfile(f);
            free(buf);
            return -1;
        }
        buf[n++] = (char)c;
    }
    funlockfile(f);
    if (!got) {
        free(buf);
        return ferror(f) ? -1 : 0;
    }
    if (!buf && grow(&buf, &cap, 1) != 0)
        return -1;
    while (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    *line = buf;
    *len = n;
    return 1;
}

bool cli_write_buf(const char *cmd, const ik_buf *b)
{
    if (ik_buf_status(b) != IK_OK) {
        fprintf(stderr, "intake %s: out of memory\n", cmd);
        return false;
    }
    cli_write_stdout(b->data, b->len); /* main reports a failed write */
    return true;
}
