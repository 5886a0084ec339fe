/*
 * json.c -- strict JSON parsing into cJSON trees, with node positions.
 * One pass validates the text (a precise position for every syntax
 * problem) and builds the tree in the doc's arena, each node carrying its
 * offsets; duplicate keys and non-finite numbers are reported only for a
 * text without syntax errors. IK_JSON_FAST hands the text to cJSON itself.
 * The only I/O is ik_json_read_file; nothing here prints.
 */
#define _POSIX_C_SOURCE 200809L
#include "json.h"

#include "alloc.h"
#include "utf8.h"
#include "value.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Reading files ---- */

static ik_status read_fail(FILE *f, char *buf, ik_error *err, ik_status st,
                           const char *path, const char *msg, size_t max)
{
    ik_free(buf);
    fclose(f);
    if (st == IK_ELIMIT)
        return ik_fail_at(err, st, path, 0, 0, "%s %zu bytes", msg, max);
    return ik_fail_at(err, st, path, 0, 0, "%s", msg);
}

/* A regular file's size is known: one buffer of that size (huge pages past
 * 2 MiB), read straight into, and a last read that finds the end. A pipe,
 * or a file that grows while read, grows the buffer by doubling. */
static char *first_buffer(FILE *f, size_t max, size_t *cap)
{
    struct stat sb;
    size_t want = 65536, got;
    char *buf;

    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uintmax_t)sb.st_size <= max)
        want = (size_t)sb.st_size + 1; /* + 1: room to see the end */
    if (want + 1 >= IK_HUGE_PAGE) {
        buf = ik_malloc_huge(want + 1, &got);
        *cap = got - 1;
    } else {
        buf = ik_malloc(want + 1);
        *cap = want;
    }
    if (!buf)
        *cap = 0;
    return buf;
}

/* What a path that is not a regular file is, in words. */
static const char *kind_of_file(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a named pipe (FIFO)";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    return "not a regular file";
}

/*
 * Open path for reading only if it is a regular file. Opened non-blocking,
 * so a FIFO with no writer cannot hang the open; checked with fstat on
 * what was opened, so nothing can be swapped in between. A directory, a
 * FIFO or a device is refused as not found (IK_ENOENT: exit 66) with what
 * it is.
 */
static FILE *open_regular(const char *path, ik_error *err, ik_status *st)
{
    struct stat sb;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    FILE *f;

    *st = IK_OK;
    if (fd < 0) {
        *st = ik_fail_at(err, errno == ENOENT ? IK_ENOENT : IK_EIO, path, 0,
                         0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, &sb) != 0) {
        *st = ik_fail_at(err, IK_EIO, path, 0, 0, "cannot open: %s",
                         strerror(errno));
    } else if (!S_ISREG(sb.st_mode)) {
        *st = ik_fail_at(err, IK_ENOENT, path, 0, 0,
                         "is %s, not a regular file",
                         kind_of_file(sb.st_mode));
    } else if (fcntl(fd, F_SETFL, 0) != 0 || !(f = fdopen(fd, "rb"))) {
        *st = ik_fail_at(err, IK_EIO, path, 0, 0, "cannot open: %s",
                         strerror(errno));
    } else {
        return f;
    }
    close(fd);
    return NULL;
}

ik_status ik_json_read_file(const char *path, size_t max, char **text,
                            size_t *len, ik_error *err)
{
    ik_status st;
    FILE *f = open_regular(path, err, &st);

    *text = NULL;
    *len = 0;
    if (!f)
        return st;
    return ik_json_read_stream(f, path, max, text, len, err);
}

ik_status ik_json_read_stream(FILE *f, const char *path, size_t max,
                              char **text, size_t *len, ik_error *err)
{
    char *buf = NULL;
    size_t n = 0, cap = 0, got = 1;

    *text = NULL;
    *len = 0;
    buf = first_buffer(f, max, &cap);
    if (!buf)
        return read_fail(f, buf, err, IK_ENOMEM, path,
                         "out of memory reading file", max);
    while (got > 0) {
        if (n > max)
            return read_fail(f, buf, err, IK_ELIMIT, path,
                             "file is larger than", max);
        if (n == cap) {
            size_t ncap = cap < 32768 ? 65536 : cap * 2;
            char *p = ik_realloc(buf, ncap + 1);
            if (!p)
                return read_fail(f, buf, err, IK_ENOMEM, path,
                                 "out of memory reading file", max);
            buf = p;
            cap = ncap;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    }
    if (ferror(f))
        return read_fail(f, buf, err, IK_EIO, path, "read error", max);
    if (n > max)
        return read_fail(f, buf, err, IK_ELIMIT, path, "file is larger than",
                         max);
    fclose(f);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return IK_OK;
}

/* ---- Positions ---- */

void ik_json_linecol(const char *text, size_t len, size_t off, int *line,
                     int *col)
{
    int l = 1, c = 1;
    size_t i;

    if (off > len)
        off = len;
    for (i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if (ch == '\t') {
            c = ((c - 1) / 8 + 1) * 8 + 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static ik_status vfail_off(const char *text, size_t len, const char *file,
                           size_t off, ik_error *err, ik_status code,
                           const char *fmt, va_list ap) IK_PRINTF(7, 0);

static ik_status vfail_off(const char *text, size_t len, const char *file,
                           size_t off, ik_error *err, ik_status code,
                           const char *fmt, va_list ap)
{
    int line = 0, col = 0;

    if (!err)
        return code;
    if (off != SIZE_MAX)
        ik_json_linecol(text, len, off, &line, &col);
    ik_strlcpy(err->file, file ? file : "", sizeof err->file);
    err->line = line;
    err->col = col;
    err->code = code;
    ik_error_vformat(err->msg, sizeof err->msg, fmt, ap);
    return code;
}

static ik_status fail_off(const char *text, size_t len, const char *file,
                          size_t off, ik_error *err, ik_status code,
                          const char *fmt, ...) IK_PRINTF(7, 8);

static ik_status fail_off(const char *text, size_t len, const char *file,
                          size_t off, ik_error *err, ik_status code,
                          const char *fmt, ...)
{
    va_list ap;
    ik_status st;

    va_start(ap, fmt);
    st = vfail_off(text, len, file, off, err, code, fmt, ap);
    va_end(ap);
    return st;
}

ik_status ik_json_fail_unclosed(const char *text, size_t len, const char *file,
                                size_t open, ik_error *err)
{
    int line, col;

    ik_json_linecol(text, len, open, &line, &col);
    return fail_off(text, len, file, len, err, IK_ESYNTAX,
                    "%s opened at line %d, column %d is not closed (the text "
                    "ends here)",
                    text[open] == '{' ? "object" : "array", line, col);
}

/* ---- The parser ---- */

/*
 * One pass over the text validates it (a precise position for every syntax
 * problem) and, given a doc, builds the cJSON tree as it goes. Each node is
 * a jnode: cJSON's node followed by its offsets, so a node's position is
 * read from the node itself. Nodes come in blocks (runs of jnodes) whose
 * address ranges the doc keeps sorted, to tell its own nodes from others;
 * node strings are packed into string blocks; both live in the doc's arena.
 */
typedef struct jnode {
    cJSON n; /* first: a jnode * is a cJSON * */
    uint32_t key_off, val_off;
} jnode;

struct ik_json_block {
    uintptr_t lo, hi; /* [lo, hi): a run of jnodes */
};

enum { LATE_NONE, LATE_RANGE, LATE_DUP };

typedef struct scan {
    const char *s;
    size_t len, i;
    const char *file;
    ik_error *err;
    ik_status st;
    ik_json_doc *doc; /* NULL: validate only, build nothing */
    jnode *ncur, *nend;
    size_t nmade;
    char *scur, *send;
    bool escaped;           /* the last string scanned had a backslash */
    const cJSON *late_node; /* first duplicate key or non-finite number */
    int late;
} scan;

static bool scan_fail(scan *sc, size_t off, const char *fmt, ...)
    IK_PRINTF(3, 4);

static bool scan_fail(scan *sc, size_t off, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sc->st =
        vfail_off(sc->s, sc->len, sc->file, off, sc->err, IK_ESYNTAX, fmt, ap);
    va_end(ap);
    return false;
}

static bool scan_unclosed(scan *sc, size_t open)
{
    sc->st = ik_json_fail_unclosed(sc->s, sc->len, sc->file, open, sc->err);
    return false;
}

static bool scan_oom(scan *sc)
{
    sc->st = fail_off(sc->s, sc->len, sc->file, SIZE_MAX, sc->err, IK_ENOMEM,
                      "out of memory");
    return false;
}

static void skip_ws(scan *sc)
{
    const char *s = sc->s; /* locals: the loop keeps them in registers */
    size_t i = sc->i, n = sc->len;

    while (i < n &&
           (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
        i++;
    sc->i = i;
}

/* Record a block of nodes in the doc, keeping the blocks sorted. */
static bool add_block(scan *sc, uintptr_t lo, uintptr_t hi)
{
    ik_json_doc *d = sc->doc;
    size_t k;

    if (d->nblocks == d->cap_blocks) {
        size_t nc = d->cap_blocks ? d->cap_blocks * 2 : 8;
        struct ik_json_block *nb = ik_realloc(d->blocks, nc * sizeof *nb);
        if (!nb)
            return false;
        d->blocks = nb;
        d->cap_blocks = nc;
    }
    for (k = d->nblocks; k > 0 && d->blocks[k - 1].lo > lo; k--)
        d->blocks[k] = d->blocks[k - 1];
    d->blocks[k].lo = lo;
    d->blocks[k].hi = hi;
    d->nblocks++;
    return true;
}

static jnode *new_node(scan *sc, size_t key_off, size_t val_off, int type)
{
    jnode *j;

    if (sc->ncur == sc->nend) {
        size_t n = sc->nmade < 64 ? 64 : sc->nmade;
        if (sc->nmade == 0 && n > sc->len / 2 + 1)
            n = sc->len / 2 + 1; /* a small text: fewer nodes than bytes */
        if (n > 65536)
            n = 65536;
        j = ik_arena_alloc(&sc->doc->tree, n * sizeof *j);
        if (!j || !add_block(sc, (uintptr_t)j, (uintptr_t)(j + n))) {
            scan_oom(sc);
            return NULL;
        }
        sc->ncur = j;
        sc->nend = j + n;
    }
    j = sc->ncur++;
    sc->nmade++;
    memset(j, 0, sizeof *j);
    j->n.type = type;
    j->key_off = (uint32_t)key_off;
    j->val_off = (uint32_t)val_off;
    return j;
}

static void put_utf8(char **o, long u)
{
    unsigned char *p = (unsigned char *)*o;

    if (u < 0x80) {
        *p++ = (unsigned char)u;
    } else if (u < 0x800) {
        *p++ = (unsigned char)(0xC0 | (u >> 6));
        *p++ = (unsigned char)(0x80 | (u & 0x3F));
    } else if (u < 0x10000) {
        *p++ = (unsigned char)(0xE0 | (u >> 12));
        *p++ = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
        *p++ = (unsigned char)(0x80 | (u & 0x3F));
    } else {
        *p++ = (unsigned char)(0xF0 | (u >> 18));
        *p++ = (unsigned char)(0x80 | ((u >> 12) & 0x3F));
        *p++ = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
        *p++ = (unsigned char)(0x80 | (u & 0x3F));
    }
    *o = (char *)p;
}

/* The value of the string scanned at s[start..sc->i) (quotes included),
 * its escapes already checked, as a NUL-terminated copy in a string block.
 * Unescaping never makes a string longer. */
static char *copy_string(scan *sc, size_t start)
{
    const char *r = sc->s + start + 1;
    size_t n = sc->i - start - 2, k = 0;
    char *out, *o;

    if ((size_t)(sc->send - sc->scur) < n + 1) {
        size_t size = sc->len + 1 < 1024 * 1024 ? sc->len + 1 : 1024 * 1024;
        if (size < n + 1)
            size = n + 1;
        sc->scur = ik_arena_alloc(&sc->doc->tree, size);
        if (!sc->scur) {
            sc->send = NULL;
            scan_oom(sc);
            return NULL;
        }
        sc->send = sc->scur + size;
    }
    out = o = sc->scur;
    if (!sc->escaped) {
        memcpy(o, r, n);
        o += n;
    } else {
        while (k < n) {
            long u;
            if (r[k] != '\\') {
                *o++ = r[k++];
                continue;
            }
            switch (r[k + 1]) {
            case 'b':
                *o++ = '\b';
                break;
            case 'f':
                *o++ = '\f';
                break;
            case 'n':
                *o++ = '\n';
                break;
            case 'r':
                *o++ = '\r';
                break;
            case 't':
                *o++ = '\t';
                break;
            case 'u':
                u = ik_hex4(r + k + 2, n - k - 2);
                if (u >= 0xD800 && u <= 0xDBFF) { /* checked: a pair */
                    long lo = ik_hex4(r + k + 8, n - k - 8);
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    k += 6;
                }
                put_utf8(&o, u);
                k += 6;
                continue;
            default: /* " \ / */
                *o++ = r[k + 1];
            }
            k += 2;
        }
    }
    *o++ = '\0';
    sc->scur = o;
    return out;
}

static bool scan_escape(scan *sc)
{
    size_t at = sc->i; /* at the backslash */
    char e = sc->i + 1 < sc->len ? sc->s[sc->i + 1] : '\0';
    long u, lo;

    sc->escaped = true;
    if (strchr("\"\\/bfnrt", e) && e) {
        sc->i += 2;
        return true;
    }
    if (e != 'u')
        return scan_fail(sc, at, "invalid escape in string");
    u = ik_hex4(sc->s + at + 2, sc->len - at - 2);
    if (u < 0)
        return scan_fail(sc, at, "\\u needs four hex digits");
    if (u == 0)
        return scan_fail(sc, at, "\\u0000 is not allowed in strings");
    sc->i = at + 6;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return scan_fail(sc, at, "unpaired low surrogate in string");
    if (u >= 0xD800 && u <= 0xDBFF) {
        if (sc->len - sc->i < 6 || sc->s[sc->i] != '\\' ||
            sc->s[sc->i + 1] != 'u')
            return scan_fail(sc, at, "unpaired high surrogate in string");
        lo = ik_hex4(sc->s + sc->i + 2, sc->len - sc->i - 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return scan_fail(sc, at, "unpaired high surrogate in string");
        sc->i += 6;
    }
    return true;
}

static bool scan_string(scan *sc)
{
    size_t start = sc->i;
    const unsigned char *s = (const unsigned char *)sc->s;

    sc->escaped = false;
    sc->i++; /* opening quote */
    while (sc->i < sc->len) {
        unsigned char c;
        size_t i = sc->i, n = sc->len;
        while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' &&
               s[i] != '\\')
            i++; /* plain ASCII: most of any pack */
        sc->i = i;
        if (i == n)
            break;
        c = s[i];
        if (c == '"') {
            sc->i++;
            return true;
        } else if (c == '\\') {
            if (!scan_escape(sc))
                return false;
        } else if (c == '\n' || c == '\r') {
            return scan_fail(sc, start, IK_JSON_MSG_STRING_LINE);
        } else if (c < 0x20) {
            return scan_fail(sc, sc->i,
                             "control character in string (use an escape)");
        } else {
            size_t k = ik_utf8_decode(s + i, n - i, NULL);
            if (k == 0)
                return scan_fail(sc, i, "invalid UTF-8 in string");
            sc->i += k;
        }
    }
    return scan_fail(sc, start, "unterminated string");
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool scan_number(scan *sc)
{
    size_t at = sc->i;
    const char *s = sc->s;

    if (sc->i < sc->len && s[sc->i] == '-')
        sc->i++;
    if (sc->i >= sc->len || !is_digit(s[sc->i]))
        return scan_fail(sc, at, "invalid number");
    if (s[sc->i] == '0' && sc->i + 1 < sc->len && is_digit(s[sc->i + 1]))
        return scan_fail(sc, at, "numbers may not start with 0");
    while (sc->i < sc->len && is_digit(s[sc->i]))
        sc->i++;
    if (sc->i < sc->len && s[sc->i] == '.') {
        sc->i++;
        if (sc->i >= sc->len || !is_digit(s[sc->i]))
            return scan_fail(sc, at, "a digit must follow the decimal point");
        while (sc->i < sc->len && is_digit(s[sc->i]))
            sc->i++;
    }
    if (sc->i < sc->len && (s[sc->i] == 'e' || s[sc->i] == 'E')) {
        sc->i++;
        if (sc->i < sc->len && (s[sc->i] == '+' || s[sc->i] == '-'))
            sc->i++;
        if (sc->i >= sc->len || !is_digit(s[sc->i]))
            return scan_fail(sc, at, "invalid exponent in number");
        while (sc->i < sc->len && is_digit(s[sc->i]))
            sc->i++;
    }
    return true;
}

/* The number scanned at s[at..sc->i), as cJSON stores it, read by
 * value.c's one number reader (the answers reader's conversion too);
 * false when out of memory. */
static bool set_number(scan *sc, size_t at, cJSON *n)
{
    double d = ik_num_read(sc->s + at, sc->i - at);

    /* a JSON literal is never NaN: NAN says a long one found no memory */
    if (isnan(d))
        return scan_oom(sc);
    n->valuedouble = d;
    if (d >= INT_MAX)
        n->valueint = INT_MAX;
    else if (d <= (double)INT_MIN)
        n->valueint = INT_MIN;
    else
        n->valueint = (int)d;
    if (!isfinite(d) && !sc->late) {
        sc->late = LATE_RANGE;
        sc->late_node = n;
    }
    return true;
}

static bool scan_word(scan *sc, const char *w)
{
    size_t n = strlen(w);

    if (sc->len - sc->i >= n && memcmp(sc->s + sc->i, w, n) == 0) {
        sc->i += n;
        return true;
    }
    return scan_fail(sc, sc->i, "unexpected character '%c'", sc->s[sc->i]);
}

static int cmp_keys(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    int c = strcmp(x->string, y->string);

    if (c)
        return c;
    return (x > y) - (x < y);
}

/* Report the later of two equal keys, in document order. */
static const cJSON *later(const cJSON *obj, const cJSON *a, const cJSON *b)
{
    const cJSON *c;

    for (c = obj->child; c; c = c->next) {
        if (c == a)
            return b;
        if (c == b)
            return a;
    }
    return b;
}

/* The first duplicate key of obj (its n members), or NULL; false when out
 * of memory. */
static bool find_dup(scan *sc, const cJSON *obj, size_t n, const cJSON **dup)
{
    const cJSON *a, *b, **v;
    size_t i;

    *dup = NULL;
    if (n <= 16) {
        for (a = obj->child; a; a = a->next)
            for (b = a->next; b; b = b->next)
                if (a->string[0] == b->string[0] &&
                    strcmp(a->string, b->string) == 0) {
                    *dup = b;
                    return true;
                }
        return true;
    }
    v = ik_malloc(n * sizeof *v);
    if (!v)
        return scan_oom(sc);
    for (i = 0, a = obj->child; a; a = a->next)
        v[i++] = a;
    qsort(v, n, sizeof *v, cmp_keys);
    for (i = 1; i < n && !*dup; i++)
        if (strcmp(v[i - 1]->string, v[i]->string) == 0)
            *dup = later(obj, v[i - 1], v[i]);
    ik_free(v);
    return true;
}

static bool scan_value(scan *sc, size_t key_off, int depth, cJSON **out);

static bool scan_container(scan *sc, cJSON *node, int depth)
{
    char close = sc->s[sc->i] == '{' ? '}' : ']';
    bool obj = close == '}';
    size_t open = sc->i, n = 0;
    cJSON *first = NULL, *last = NULL;

    if (depth >= IK_JSON_MAX_DEPTH)
        return scan_fail(sc, open, "nested deeper than %d levels",
                         IK_JSON_MAX_DEPTH);
    sc->i++;
    skip_ws(sc);
    if (sc->i < sc->len && sc->s[sc->i] == close) {
        sc->i++;
        return true;
    }
    for (;;) {
        size_t key_off = SIZE_MAX;
        char *key = NULL;
        cJSON *child = NULL;
        skip_ws(sc);
        if (obj) {
            if (sc->i >= sc->len)
                return scan_unclosed(sc, open);
            if (sc->s[sc->i] != '"')
                return scan_fail(sc, sc->i, "expected a quoted key");
            key_off = sc->i;
            if (!scan_string(sc))
                return false;
            if (node && !(key = copy_string(sc, key_off)))
                return false;
            skip_ws(sc);
            if (sc->i >= sc->len)
                return scan_unclosed(sc, open);
            if (sc->s[sc->i] != ':')
                return scan_fail(sc, sc->i, "expected ':' after the key");
            sc->i++;
        }
        if (!scan_value(sc, key_off, depth + 1, node ? &child : NULL))
            return false;
        if (child) {
            child->string = key;
            if (last) {
                last->next = child;
                child->prev = last;
            } else {
                first = child;
            }
            last = child;
            n++;
        }
        skip_ws(sc);
        if (sc->i >= sc->len)
            return scan_unclosed(sc, open);
        if (sc->s[sc->i] == close) {
            sc->i++;
            break;
        }
        if (sc->s[sc->i] != ',')
            return scan_fail(
                sc, sc->i, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        sc->i++;
        skip_ws(sc);
        if (sc->i < sc->len && sc->s[sc->i] == close)
            return scan_fail(sc, sc->i, "trailing comma");
    }
    if (!node)
        return true;
    if (first)
        first->prev = last; /* as cJSON links a list: head->prev is tail */
    node->child = first;
    /* Closed after its members, as a walk of the finished tree would. */
    if (obj && !sc->late) {
        const cJSON *dup;
        if (!find_dup(sc, node, n, &dup))
            return false;
        if (dup) {
            sc->late = LATE_DUP;
            sc->late_node = dup;
        }
    }
    return true;
}

static bool scan_value(scan *sc, size_t key_off, int depth, cJSON **out)
{
    size_t at;
    cJSON *node = NULL;
    int type;

    skip_ws(sc);
    at = sc->i;
    if (sc->i >= sc->len)
        return scan_fail(sc, sc->len, "unexpected end of input");
    switch (sc->s[sc->i]) {
    case '{':
        type = cJSON_Object;
        break;
    case '[':
        type = cJSON_Array;
        break;
    case '"':
        type = cJSON_String;
        break;
    case 't':
        type = cJSON_True;
        break;
    case 'f':
        type = cJSON_False;
        break;
    case 'n':
        type = cJSON_NULL;
        break;
    default:
        type = cJSON_Number;
        if (sc->s[sc->i] == '-' || is_digit(sc->s[sc->i]))
            break;
        if ((unsigned char)sc->s[sc->i] >= 0x80)
            return scan_fail(sc, sc->i, "unexpected non-ASCII character");
        return scan_fail(sc, sc->i, "unexpected character '%c'", sc->s[sc->i]);
    }
    if (out) {
        jnode *j = new_node(sc, key_off == SIZE_MAX ? at : key_off, at, type);
        if (!j)
            return false;
        node = *out = &j->n;
    }
    switch (type) {
    case cJSON_Object:
    case cJSON_Array:
        return scan_container(sc, node, depth);
    case cJSON_String:
        if (!scan_string(sc))
            return false;
        return !node || (node->valuestring = copy_string(sc, at)) != NULL;
    case cJSON_True:
        if (node)
            node->valueint = 1;
        return scan_word(sc, "true");
    case cJSON_False:
        return scan_word(sc, "false");
    case cJSON_NULL:
        return scan_word(sc, "null");
    default:
        if (!scan_number(sc))
            return false;
        return !node || set_number(sc, at, node);
    }
}

/* ---- Positions of nodes ---- */

size_t ik_json_offset(const ik_json_doc *doc, const cJSON *node, bool want_key)
{
    uintptr_t p = (uintptr_t)node;
    size_t lo = 0, hi;
    const struct ik_json_block *b;
    const jnode *j;

    if (!doc || !node || !doc->nblocks)
        return SIZE_MAX;
    hi = doc->nblocks;
    while (lo < hi) { /* the last block starting at or below p */
        size_t mid = lo + (hi - lo) / 2;
        if (doc->blocks[mid].lo <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return SIZE_MAX;
    b = &doc->blocks[lo - 1];
    if (p >= b->hi || (p - b->lo) % sizeof(jnode) != 0)
        return SIZE_MAX; /* not one of this doc's nodes */
    j = (const jnode *)node;
    return want_key ? j->key_off : j->val_off;
}

/* ---- Parsing ---- */

void ik_json_doc_fini(ik_json_doc *doc)
{
    if (!doc)
        return;
    if (doc->in_arena)
        ik_arena_fini(&doc->tree);
    else
        cJSON_Delete(doc->root);
    ik_free(doc->blocks);
    memset(doc, 0, sizeof *doc);
}

/* cJSON for IK_JSON_FAST. The library never sets cJSON's hooks (they are
 * the embedding program's, process-wide): a program that routed them
 * through ik_alloc_init_cjson gets the tree in the doc's arena; any other
 * gets cJSON's own heap tree (the arena stays empty). */
static ik_status cjson_parse(ik_json_doc *doc, const char *text, size_t len,
                             ik_error *err)
{
    const char *end = NULL;
    size_t skip = 0;
    ik_arena *prev;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        skip = 3;
    ik_arena_init(&doc->tree);
    prev = ik_alloc_cjson_arena(&doc->tree);
    doc->root = cJSON_ParseWithLengthOpts(text + skip, len - skip + 1, &end, 1);
    ik_alloc_cjson_arena(prev);
    doc->in_arena = doc->tree.head != NULL;
    if (!doc->root) {
        ik_arena_fini(&doc->tree);
        doc->in_arena = false;
    }
    if (doc->root)
        return IK_OK;
    if (!end || end < text)
        return fail_off(text, len, doc->file, SIZE_MAX, err, IK_ENOMEM,
                        "out of memory parsing JSON");
    return fail_off(text, len, doc->file, (size_t)(end - text), err, IK_ESYNTAX,
                    "invalid JSON");
}

/* Validate text (and build doc's tree when doc is not NULL). */
static ik_status parse_text(const char *text, size_t len, const char *file,
                            ik_json_doc *doc, ik_error *err)
{
    const char *nul = memchr(text, '\0', len);
    scan sc;

    memset(&sc, 0, sizeof sc);
    sc.s = text;
    sc.len = len;
    sc.file = file;
    sc.err = err;
    sc.doc = doc;
    if (nul)
        return fail_off(text, len, file, (size_t)(nul - text), err, IK_ESYNTAX,
                        "NUL byte in JSON text");
    if (len > UINT32_MAX)
        return fail_off(text, len, file, SIZE_MAX, err, IK_ELIMIT,
                        "JSON text larger than 4 GiB");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        sc.i = 3;
    if (doc) {
        ik_arena_init(&doc->tree);
        doc->in_arena = true;
    }
    if (!scan_value(&sc, SIZE_MAX, 0, doc ? &doc->root : NULL))
        return sc.st;
    skip_ws(&sc);
    if (sc.i < len)
        return fail_off(text, len, file, sc.i, err, IK_ESYNTAX,
                        "unexpected text after the JSON value");
    /* Only a text with no syntax error gets these, first in document
     * order (a number where it is, an object's keys at its end). */
    if (sc.late == LATE_RANGE)
        return ik_json_fail(doc, sc.late_node, false, err, IK_ESYNTAX,
                            "number is out of range");
    if (sc.late == LATE_DUP)
        return ik_json_fail(doc, sc.late_node, true, err, IK_ESYNTAX,
                            "duplicate key \"%s\"", sc.late_node->string);
    return IK_OK;
}

ik_status ik_json_parse(const char *text, size_t len, const char *file,
                        unsigned flags, ik_json_doc *doc, ik_error *err)
{
    ik_status st;

    memset(doc, 0, sizeof *doc);
    doc->text = text;
    doc->len = len;
    ik_strlcpy(doc->file, file ? file : "", sizeof doc->file);
    if (flags & IK_JSON_FAST) {
        if (memchr(text, '\0', len))
            return fail_off(text, len, doc->file, SIZE_MAX, err, IK_ESYNTAX,
                            "NUL byte in JSON text");
        st = cjson_parse(doc, text, len, err);
        /* cJSON fails the same way for bad text and a failed allocation;
         * our scan (no allocation when it builds nothing) tells them
         * apart. */
        if (st == IK_ESYNTAX &&
            parse_text(text, len, doc->file, NULL, err) == IK_OK)
            st = fail_off(text, len, doc->file, SIZE_MAX, err, IK_ENOMEM,
                          "out of memory parsing JSON");
        return st;
    }
    st = parse_text(text, len, doc->file, doc, err);
    if (st != IK_OK) {
        ik_json_doc_fini(doc);
        doc->text = text;
        doc->len = len;
    }
    return st;
}

ik_status ik_json_fail(const ik_json_doc *doc, const cJSON *node, bool want_key,
                       ik_error *err, ik_status code, const char *fmt, ...)
{
    va_list ap;
    ik_status st;
    size_t off = ik_json_offset(doc, node, want_key);

    va_start(ap, fmt);
    st = vfail_off(doc ? doc->text : "", doc ? doc->len : 0,
                   doc ? doc->file : "", off, err, code, fmt, ap);
    va_end(ap);
    return st;
}

const cJSON *ik_json_get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}
