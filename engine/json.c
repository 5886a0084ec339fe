/*
 * json.c -- strict JSON parsing over cJSON, with node positions.
 * Our scanner validates the text first (giving precise positions for every
 * syntax problem and recording where each value starts), then cJSON builds
 * the tree, and a walk pairs the two and checks keys and numbers. The only
 * I/O is ik_json_read_file.
 */
#define _POSIX_C_SOURCE 200809L
#include "json.h"

#include "alloc.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

ik_status ik_json_read_file(const char *path, size_t max, char **text,
                            size_t *len, ik_error *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, got = 1;

    *text = NULL;
    *len = 0;
    if (!f)
        return ik_fail_at(err, errno == ENOENT ? IK_ENOENT : IK_EIO, path, 0, 0,
                          "cannot open: %s", strerror(errno));
    while (got > 0) {
        if (n > max)
            return read_fail(f, buf, err, IK_ELIMIT, path,
                             "file is larger than", max);
        if (cap - n < 4096) {
            size_t ncap = cap ? cap * 2 : 65536;
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
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
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

/* ---- The validating scanner ---- */

typedef struct scan {
    const char *s;
    size_t len, i;
    const char *file;
    ik_error *err;
    ik_status st;
    uint32_t *offs; /* pairs (key_off, val_off) in pre-order */
    size_t noffs, cap;
    bool record;
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

static void skip_ws(scan *sc)
{
    while (sc->i < sc->len) {
        char c = sc->s[sc->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->i++;
    }
}

static bool record(scan *sc, size_t key_off, size_t val_off)
{
    if (!sc->record)
        return true;
    if (sc->noffs + 2 > sc->cap) {
        size_t ncap = sc->cap ? sc->cap * 2 : 256;
        uint32_t *p = ik_realloc(sc->offs, ncap * sizeof *p);
        if (!p) {
            sc->st = fail_off(sc->s, sc->len, sc->file, SIZE_MAX, sc->err,
                              IK_ENOMEM, "out of memory");
            return false;
        }
        sc->offs = p;
        sc->cap = ncap;
    }
    sc->offs[sc->noffs++] = (uint32_t)key_off;
    sc->offs[sc->noffs++] = (uint32_t)val_off;
    return true;
}

static bool scan_escape(scan *sc)
{
    size_t at = sc->i; /* at the backslash */
    char e = sc->i + 1 < sc->len ? sc->s[sc->i + 1] : '\0';
    long u, lo;

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

    sc->i++; /* opening quote */
    while (sc->i < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->i];
        if (c == '"') {
            sc->i++;
            return true;
        }
        if (c == '\\') {
            if (!scan_escape(sc))
                return false;
        } else if (c < 0x20) {
            return scan_fail(sc, sc->i,
                             "control character in string (use an escape)");
        } else {
            size_t n =
                ik_utf8_decode((const unsigned char *)sc->s + sc->i,
                               sc->len - sc->i, NULL);
            if (n == 0)
                return scan_fail(sc, sc->i, "invalid UTF-8 in string");
            sc->i += n;
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

static bool scan_word(scan *sc, const char *w)
{
    size_t n = strlen(w);

    if (sc->len - sc->i >= n && memcmp(sc->s + sc->i, w, n) == 0) {
        sc->i += n;
        return true;
    }
    return scan_fail(sc, sc->i, "unexpected character '%c'", sc->s[sc->i]);
}

static bool scan_value(scan *sc, size_t key_off, int depth);

static bool scan_container(scan *sc, int depth)
{
    char close = sc->s[sc->i] == '{' ? '}' : ']';
    bool obj = close == '}';
    size_t open = sc->i;

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
        skip_ws(sc);
        if (obj) {
            if (sc->i >= sc->len || sc->s[sc->i] != '"')
                return scan_fail(sc, sc->i < sc->len ? sc->i : open,
                                 sc->i < sc->len ? "expected a quoted key"
                                                 : "object is not closed");
            key_off = sc->i;
            if (!scan_string(sc))
                return false;
            skip_ws(sc);
            if (sc->i >= sc->len || sc->s[sc->i] != ':')
                return scan_fail(sc, sc->i < sc->len ? sc->i : open,
                                 "expected ':' after the key");
            sc->i++;
        }
        if (!scan_value(sc, key_off, depth + 1))
            return false;
        skip_ws(sc);
        if (sc->i >= sc->len)
            return scan_fail(
                sc, open, obj ? "object is not closed" : "array is not closed");
        if (sc->s[sc->i] == close) {
            sc->i++;
            return true;
        }
        if (sc->s[sc->i] != ',')
            return scan_fail(
                sc, sc->i, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        sc->i++;
        skip_ws(sc);
        if (sc->i < sc->len && sc->s[sc->i] == close)
            return scan_fail(sc, sc->i, "trailing comma");
    }
}

static bool scan_value(scan *sc, size_t key_off, int depth)
{
    size_t at;

    skip_ws(sc);
    at = sc->i;
    if (sc->i >= sc->len)
        return scan_fail(sc, sc->len, "unexpected end of input");
    if (!record(sc, key_off == SIZE_MAX ? at : key_off, at))
        return false;
    switch (sc->s[sc->i]) {
    case '{':
    case '[':
        return scan_container(sc, depth);
    case '"':
        return scan_string(sc);
    case 't':
        return scan_word(sc, "true");
    case 'f':
        return scan_word(sc, "false");
    case 'n':
        return scan_word(sc, "null");
    default:
        if (sc->s[sc->i] == '-' || is_digit(sc->s[sc->i]))
            return scan_number(sc);
        if ((unsigned char)sc->s[sc->i] >= 0x80)
            return scan_fail(sc, sc->i, "unexpected non-ASCII character");
        return scan_fail(sc, sc->i, "unexpected character '%c'", sc->s[sc->i]);
    }
}

/* ---- Pairing the tree with the scan ---- */

static size_t hash_ptr(const void *p, size_t mask)
{
    uint64_t h = (uint64_t)(uintptr_t)p;

    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h & mask;
}

static void map_put(ik_json_doc *doc, const cJSON *node, uint32_t key_off,
                    uint32_t val_off)
{
    size_t mask = doc->npos_cap - 1, h = hash_ptr(node, mask);

    while (doc->pos[h].node)
        h = (h + 1) & mask;
    doc->pos[h].node = node;
    doc->pos[h].key_off = key_off;
    doc->pos[h].val_off = val_off;
}

/* Where node is in doc->order (SIZE_MAX if not): a binary search in each
 * ascending run whose range holds it. */
static size_t find_in_seg(const ik_json_doc *doc, size_t s, uintptr_t p)
{
    size_t lo = doc->segs[s];
    size_t hi = s + 1 < doc->nsegs ? doc->segs[s + 1] : doc->nnodes;

    if (lo >= hi || p < (uintptr_t)doc->order[lo] ||
        p > (uintptr_t)doc->order[hi - 1])
        return SIZE_MAX;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uintptr_t m = (uintptr_t)doc->order[mid];
        if (m == p)
            return mid;
        if (m < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

static size_t find_in_order(const ik_json_doc *doc, const cJSON *node)
{
    uintptr_t p = (uintptr_t)node;
    size_t s;

    if (doc->by_addr) { /* the last run starting at or below p */
        size_t lo = 0, hi = doc->nsegs, k;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((uintptr_t)doc->order[doc->segs[doc->by_addr[mid]]] <= p)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 &&
            (k = find_in_seg(doc, doc->by_addr[lo - 1], p)) != SIZE_MAX)
            return k;
    }
    for (s = 0; s < doc->nsegs; s++) { /* runs that overlap: any of them */
        size_t lo = doc->segs[s];
        size_t hi = s + 1 < doc->nsegs ? doc->segs[s + 1] : doc->nnodes;
        if (lo >= hi || p < (uintptr_t)doc->order[lo] ||
            p > (uintptr_t)doc->order[hi - 1])
            continue;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            uintptr_t m = (uintptr_t)doc->order[mid];
            if (m == p)
                return mid;
            if (m < p)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return SIZE_MAX;
}

size_t ik_json_offset(const ik_json_doc *doc, const cJSON *node, bool want_key)
{
    size_t mask, h;

    if (!doc || !node)
        return SIZE_MAX;
    if (!doc->pos) {
        size_t k = doc->order ? find_in_order(doc, node) : SIZE_MAX;
        if (k == SIZE_MAX)
            return SIZE_MAX;
        return doc->offs[2 * k + (want_key ? 0 : 1)];
    }
    mask = doc->npos_cap - 1;
    for (h = hash_ptr(node, mask); doc->pos[h].node; h = (h + 1) & mask) {
        if (doc->pos[h].node == node)
            return want_key ? doc->pos[h].key_off : doc->pos[h].val_off;
    }
    return SIZE_MAX;
}

typedef struct walk {
    ik_json_doc *doc;
    const uint32_t *offs;
    size_t n, k; /* pairs, next pair */
    ik_error *err;
} walk;

static int cmp_keys(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    int c = strcmp(x->string, y->string);

    if (c)
        return c;
    return (x > y) - (x < y);
}

static ik_status dup_error(walk *w, const cJSON *dup)
{
    return ik_json_fail(w->doc, dup, true, w->err, IK_ESYNTAX,
                        "duplicate key \"%s\"", dup->string);
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

static ik_status check_keys(walk *w, const cJSON *obj)
{
    const cJSON *a, *b, **v;
    size_t n = 0, i;

    for (a = obj->child; a; a = a->next)
        n++;
    if (n <= 16) {
        for (a = obj->child; a; a = a->next)
            for (b = a->next; b; b = b->next)
                if (a->string[0] == b->string[0] &&
                    strcmp(a->string, b->string) == 0)
                    return dup_error(w, b);
        return IK_OK;
    }
    v = ik_malloc(n * sizeof *v);
    if (!v)
        return ik_fail(w->err, IK_ENOMEM, "out of memory");
    for (i = 0, a = obj->child; a; a = a->next)
        v[i++] = a;
    qsort(v, n, sizeof *v, cmp_keys);
    for (i = 1; i < n; i++) {
        if (strcmp(v[i - 1]->string, v[i]->string) == 0) {
            const cJSON *d = later(obj, v[i - 1], v[i]);
            ik_free(v);
            return dup_error(w, d);
        }
    }
    ik_free(v);
    return IK_OK;
}

static ik_status pair(walk *w, const cJSON *node)
{
    const cJSON *c;
    ik_status st;

    if (w->offs) {
        ik_json_doc *d = w->doc;
        if (w->k >= w->n)
            return ik_fail(w->err, IK_ESYNTAX, "internal: scan mismatch");
        if (w->k == 0 || (uintptr_t)node < (uintptr_t)d->order[w->k - 1]) {
            if (d->nsegs == d->cap_segs) {
                size_t nc = d->cap_segs ? d->cap_segs * 2 : 16;
                size_t *ns = ik_realloc(d->segs, nc * sizeof *ns);
                if (!ns)
                    return ik_fail(w->err, IK_ENOMEM, "out of memory");
                d->segs = ns;
                d->cap_segs = nc;
            }
            d->segs[d->nsegs++] = w->k;
        }
        d->order[w->k] = node;
        w->k++;
        d->nnodes = w->k;
    }
    if (cJSON_IsNumber(node) && !isfinite(node->valuedouble))
        return ik_json_fail(w->doc, node, false, w->err, IK_ESYNTAX,
                            "number is out of range");
    for (c = node->child; c; c = c->next)
        if ((st = pair(w, c)) != IK_OK)
            return st;
    /* After the children, so the duplicate's key has its position. */
    if (cJSON_IsObject(node))
        return check_keys(w, node);
    return IK_OK;
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
    ik_free(doc->pos);
    ik_free(doc->order);
    ik_free(doc->offs);
    ik_free(doc->segs);
    ik_free(doc->by_addr);
    memset(doc, 0, sizeof *doc);
}

static ik_status cjson_parse(ik_json_doc *doc, const char *text, size_t len,
                             bool validated, ik_error *err)
{
    const char *end = NULL;
    size_t skip = 0;
    ik_arena *prev;

    ik_alloc_init_cjson();
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        skip = 3;
    /* cJSON's nodes and strings go to the doc's arena: no malloc per node
     * and no walk to free them. A caller that replaced cJSON's hooks
     * (intake-bench --malloc) gets a heap tree: the arena stays empty. */
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
    /* After our scan accepted the text, only memory can make cJSON fail. */
    if (validated || !end || end < text)
        return fail_off(text, len, doc->file, SIZE_MAX, err, IK_ENOMEM,
                        "out of memory parsing JSON");
    return fail_off(text, len, doc->file, (size_t)(end - text), err, IK_ESYNTAX,
                    "invalid JSON");
}

static ik_status prescan(ik_json_doc *doc, const char *text, size_t len,
                         bool positions, scan *sc, ik_error *err)
{
    const char *nul = memchr(text, '\0', len);

    memset(sc, 0, sizeof *sc);
    sc->s = text;
    sc->len = len;
    sc->file = doc->file;
    sc->err = err;
    sc->record = positions;
    if (nul)
        return fail_off(text, len, doc->file, (size_t)(nul - text), err,
                        IK_ESYNTAX, "NUL byte in JSON text");
    if (len > UINT32_MAX)
        return fail_off(text, len, doc->file, SIZE_MAX, err, IK_ELIMIT,
                        "JSON text larger than 4 GiB");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        sc->i = 3;
    if (!scan_value(sc, SIZE_MAX, 0))
        return sc->st;
    skip_ws(sc);
    if (sc->i < len)
        return fail_off(text, len, doc->file, sc->i, err, IK_ESYNTAX,
                        "unexpected text after the JSON value");
    return IK_OK;
}

static _Thread_local const ik_json_doc *by_addr_doc; /* for qsort */

static int cmp_seg(const void *a, const void *b)
{
    const ik_json_doc *d = by_addr_doc;
    uintptr_t x = (uintptr_t)d->order[d->segs[*(const size_t *)a]];
    uintptr_t y = (uintptr_t)d->order[d->segs[*(const size_t *)b]];

    return (x > y) - (x < y);
}

static ik_status build_map(ik_json_doc *doc, scan *sc, ik_error *err)
{
    size_t cap = 16, k;
    walk w = {doc, sc->offs, sc->noffs / 2, 0, err};
    ik_status st;

    if (!sc->record) {
        w.offs = NULL;
        return pair(&w, doc->root);
    }
    doc->order = ik_malloc((w.n ? w.n : 1) * sizeof *doc->order);
    if (!doc->order)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    doc->offs = sc->offs; /* the doc keeps the scan's offsets */
    sc->offs = NULL;
    st = pair(&w, doc->root);
    if (st != IK_OK || doc->nsegs <= 1)
        return st;
    if (doc->nsegs <= 4096) { /* runs sorted by address, for a search */
        doc->by_addr = ik_malloc(doc->nsegs * sizeof *doc->by_addr);
        if (!doc->by_addr)
            return ik_fail(err, IK_ENOMEM, "out of memory");
        for (k = 0; k < doc->nsegs; k++)
            doc->by_addr[k] = k;
        by_addr_doc = doc;
        qsort(doc->by_addr, doc->nsegs, sizeof *doc->by_addr, cmp_seg);
        return IK_OK;
    }
    /* Many runs (a tree not from our arena): a hash map instead. */
    while (cap < 2 * doc->nnodes) /* load factor <= 0.5 */
        cap *= 2;
    doc->pos = ik_calloc(cap, sizeof *doc->pos);
    if (!doc->pos)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    doc->npos_cap = cap;
    for (k = 0; k < doc->nnodes; k++)
        map_put(doc, doc->order[k], doc->offs[2 * k], doc->offs[2 * k + 1]);
    return IK_OK;
}

ik_status ik_json_parse(const char *text, size_t len, const char *file,
                        unsigned flags, ik_json_doc *doc, ik_error *err)
{
    scan sc;
    ik_status st;

    memset(doc, 0, sizeof *doc);
    doc->text = text;
    doc->len = len;
    ik_strlcpy(doc->file, file ? file : "", sizeof doc->file);
    if (flags & IK_JSON_FAST) {
        if (memchr(text, '\0', len))
            return fail_off(text, len, doc->file, SIZE_MAX, err, IK_ESYNTAX,
                            "NUL byte in JSON text");
        st = cjson_parse(doc, text, len, false, err);
        /* cJSON fails the same way for bad text and a failed allocation;
         * our scan (no allocation without positions) tells them apart. */
        if (st == IK_ESYNTAX &&
            prescan(doc, text, len, false, &sc, err) == IK_OK)
            st = fail_off(text, len, doc->file, SIZE_MAX, err, IK_ENOMEM,
                          "out of memory parsing JSON");
        return st;
    }
    st = prescan(doc, text, len, flags & IK_JSON_POSITIONS, &sc, err);
    if (st == IK_OK)
        st = cjson_parse(doc, text, len, true, err);
    if (st == IK_OK)
        st = build_map(doc, &sc, err);
    ik_free(sc.offs);
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
