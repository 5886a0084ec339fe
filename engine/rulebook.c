/*
 * rulebook.c -- read a rule pack into the typed, compiled ik_rulebook.
 * Walks the parsed JSON once, tracking the JSON Pointer, checks every key
 * and value against docs/RULES.md, copies what it keeps into the
 * rulebook's arena, then defines the symbols, compiles the conditions and
 * hands over to lint.c. No I/O beyond reading the pack file; the cJSON
 * tree is freed before returning. Must not print or exit.
 */
#include "rulebook.h"

#include "rulebook_load.h"

#include "alloc.h"
#include "deps.h"
#include "suggest.h"
#include "utf8.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Names of things ---- */

static const char *const list_keys[LK__COUNT] = {
    "questions", "derived",  "red_flags", "dispositions",
    "ladder",    "sections", "rules",     "invariants"};
static const char *const kind_names[LK__COUNT] = {
    "question", "derived value", "red flag", "disposition",
    "rung",     "section",       "rule",     "invariant"};
static const char *const type_names[IK_Q__COUNT + 1] = {
    "yes_no", "choice", "multi", "number", "text", "info", NULL};
static const char *const audience_names[IK_AUD__COUNT + 1] = {"patient",
                                                              "nurse", NULL};

const char *ld_id(const ik_loader *l, ld_kind kind, uint32_t index)
{
    const ik_rulebook *rb = l->rb;

    switch (kind) {
    case LK_QUESTION:
        return index < rb->nquestions ? rb->questions[index].id : NULL;
    case LK_DERIVED:
        return index < rb->nderived ? rb->derived[index].id : NULL;
    case LK_RED_FLAG:
        return index < rb->nred_flags ? rb->red_flags[index].id : NULL;
    case LK_DISPOSITION:
        return index < rb->ndispositions ? rb->dispositions[index].id : NULL;
    case LK_RUNG:
        return index < rb->nladder ? rb->ladder[index].id : NULL;
    case LK_SECTION:
        return index < rb->nsections ? rb->sections[index].id : NULL;
    case LK_RULE:
        return index < rb->nrules ? rb->rules[index].id : NULL;
    case LK_INVARIANT:
        return index < rb->ninvariants ? rb->invariants[index].id : NULL;
    case LK__COUNT:
        break;
    }
    return NULL;
}

void ld_who(const ik_loader *l, ld_kind kind, uint32_t index, char *buf,
            size_t cap)
{
    const char *id = ld_id(l, kind, index);

    if (id)
        snprintf(buf, cap, "%s \"%s\"", kind_names[kind], id);
    else
        snprintf(buf, cap, "%s %u", kind_names[kind], index + 1);
}

void ld_path(ld_kind kind, uint32_t index, const char *field, char *buf,
             size_t cap)
{
    if (field)
        snprintf(buf, cap, "/%s/%u/%s", list_keys[kind], index, field);
    else
        snprintf(buf, cap, "/%s/%u", list_keys[kind], index);
}

/* ---- Diagnostics ---- */

static void vreport(ik_loader *l, ik_severity sev, ik_status code, int line,
                    int col, const char *path, const char *fmt, va_list ap)
    IK_PRINTF(7, 0);

static void vreport(ik_loader *l, ik_severity sev, ik_status code, int line,
                    int col, const char *path, const char *fmt, va_list ap)
{
    ik_diag d;

    if (l->stop)
        return;
    memset(&d, 0, sizeof d);
    d.severity = sev;
    d.where.code = code;
    d.where.line = line;
    d.where.col = col;
    ik_strlcpy(d.where.file, l->doc.file, sizeof d.where.file);
    ik_strlcpy(d.where.path, path ? path : "", sizeof d.where.path);
    ik_error_vformat(d.where.msg, sizeof d.where.msg, fmt, ap);
    if (sev == IK_SEV_ERROR && l->first == IK_OK)
        l->first = code;
    if (!l->check) {
        if (sev != IK_SEV_ERROR)
            return;
        if (l->err)
            *l->err = d.where;
        l->stop = true;
        return;
    }
    l->diags[l->ndiags++] = d;
    if (code == IK_ENOMEM || l->ndiags > IK_MAX_DIAGNOSTICS)
        l->stop = true;
}

void ld_report_lc(ik_loader *l, ik_severity sev, ik_status code, int line,
                  int col, const char *path, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(l, sev, code, line, col, path, fmt, ap);
    va_end(ap);
}

void ld_report_off(ik_loader *l, ik_severity sev, ik_status code, size_t off,
                   const char *path, const char *fmt, ...)
{
    va_list ap;
    int line = 0, col = 0;

    if (off != SIZE_MAX)
        ik_json_linecol(l->doc.text, l->doc.len, off, &line, &col);
    va_start(ap, fmt);
    vreport(l, sev, code, line, col, path, fmt, ap);
    va_end(ap);
}

/* An error at node (its key when key is true), at the current path. */
static void fail_node(ik_loader *l, const cJSON *node, bool key,
                      const char *fmt, ...) IK_PRINTF(4, 5);

static void fail_node(ik_loader *l, const cJSON *node, bool key,
                      const char *fmt, ...)
{
    va_list ap;
    int line = 0, col = 0;
    size_t off = ik_json_offset(&l->doc, node, key);

    if (off != SIZE_MAX)
        ik_json_linecol(l->doc.text, l->doc.len, off, &line, &col);
    va_start(ap, fmt);
    vreport(l, IK_SEV_ERROR, IK_ERULES, line, col, l->path, fmt, ap);
    va_end(ap);
}

static void fail_oom(ik_loader *l)
{
    ld_report_lc(l, IK_SEV_ERROR, IK_ENOMEM, 0, 0, l->path, "out of memory");
}

/* ---- The JSON Pointer being read ---- */

static size_t push_key(ik_loader *l, const char *key)
{
    size_t mark = l->plen;
    const char *k;

    if (l->plen + 1 < sizeof l->path)
        l->path[l->plen++] = '/';
    for (k = key; *k && l->plen + 2 < sizeof l->path; k++) {
        if (*k == '~' || *k == '/') {
            l->path[l->plen++] = '~';
            l->path[l->plen++] = *k == '~' ? '0' : '1';
        } else {
            l->path[l->plen++] = *k;
        }
    }
    l->path[l->plen] = '\0';
    return mark;
}

static size_t push_index(ik_loader *l, uint32_t i)
{
    char num[16], *p = num + sizeof num - 1;

    *p = '\0';
    do
        *--p = (char)('0' + i % 10);
    while ((i /= 10) > 0);
    return push_key(l, p);
}

static void pop(ik_loader *l, size_t mark)
{
    l->plen = mark;
    l->path[mark] = '\0';
}

/* ---- Values ---- */

static const char *json_kind(const cJSON *n)
{
    if (cJSON_IsObject(n))
        return "an object";
    if (cJSON_IsArray(n))
        return "an array";
    if (cJSON_IsString(n))
        return "a string";
    if (cJSON_IsNumber(n))
        return "a number";
    if (cJSON_IsBool(n))
        return "true or false";
    return "null";
}

static char *copy_str(ik_loader *l, const char *s)
{
    char *d = ik_arena_strndup(&l->rb->arena, s, strlen(s));

    if (!d)
        fail_oom(l);
    return d;
}

static void *alloc_zero(ik_loader *l, size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size) {
        fail_oom(l);
        return NULL;
    }
    p = ik_arena_alloc(&l->rb->arena, n * size);
    if (!p) {
        fail_oom(l);
        return NULL;
    }
    memset(p, 0, n * size);
    return p;
}

/*
 * Whether the string n (read: valid UTF-8) can be shown as it is; reports
 * the first character that cannot (ik_utf8_is_unsafe: an escape sequence
 * could set the window title or rewrite the screen, an override reorder
 * the text around it) by its position in the string.
 */
static bool is_safe_text(ik_loader *l, const char *who, const cJSON *n)
{
    size_t len = strlen(n->valuestring), at, k, nchar = 1;
    uint32_t cp;

    at = ik_utf8_find_unsafe(n->valuestring, len, &cp);
    if (at == len)
        return true;
    for (k = 0; k < at; k++)
        nchar += ((unsigned char)n->valuestring[k] & 0xC0) != 0x80;
    fail_node(l, n, false,
              "%s%s%s%sholds the %scontrol character U+%04X at character "
              "%zu; pack texts may not hold control characters",
              who, n->string ? "\"" : "", n->string ? n->string : "",
              n->string ? "\" " : "",
              cp >= 0x2000 ? "bidirectional " : "",
              (unsigned)cp, nchar);
    return false;
}

/* A non-empty string: an arena copy, or NULL after reporting. */
static const char *get_string(ik_loader *l, const char *who, const cJSON *n)
{
    if (!cJSON_IsString(n)) {
        fail_node(l, n, false, "%s\"%s\" must be a string, not %s", who,
                  n->string, json_kind(n));
        return NULL;
    }
    if (n->valuestring[0] == '\0') {
        fail_node(l, n, false, "%s\"%s\" is empty", who, n->string);
        return NULL;
    }
    if (!is_safe_text(l, who, n))
        return NULL;
    return copy_str(l, n->valuestring);
}

static bool get_bool(ik_loader *l, const char *who, const cJSON *n, bool *out)
{
    if (!cJSON_IsBool(n)) {
        fail_node(l, n, false, "%s\"%s\" must be true or false, not %s", who,
                  n->string, json_kind(n));
        return false;
    }
    *out = cJSON_IsTrue(n);
    return true;
}

static bool get_number(ik_loader *l, const char *who, const cJSON *n,
                       double *out)
{
    if (!cJSON_IsNumber(n)) {
        fail_node(l, n, false, "%s\"%s\" must be a number, not %s", who,
                  n->string, json_kind(n));
        return false;
    }
    *out = n->valuedouble;
    return true;
}

static bool get_array(ik_loader *l, const char *who, const cJSON *n)
{
    if (cJSON_IsArray(n))
        return true;
    fail_node(l, n, false, "%s\"%s\" must be an array, not %s", who, n->string,
              json_kind(n));
    return false;
}

static bool get_object(ik_loader *l, const char *who, const cJSON *n,
                       const char *what)
{
    if (cJSON_IsObject(n))
        return true;
    if (n->string)
        fail_node(l, n, false, "%s\"%s\" must be an object, not %s", who,
                  n->string, json_kind(n));
    else
        fail_node(l, n, false, "%s%s must be an object, not %s", who, what,
                  json_kind(n));
    return false;
}

/*
 * A text: a non-empty string for every audience, or an object giving
 * exactly the declared audiences.
 */
static void get_text(ik_loader *l, const char *who, const cJSON *n,
                     ik_text *out)
{
    const cJSON *c;
    int a;

    if (cJSON_IsString(n)) {
        const char *s = get_string(l, who, n);
        for (a = 0; a < IK_AUD__COUNT; a++)
            out->by[a] = s;
        return;
    }
    if (!cJSON_IsObject(n)) {
        fail_node(l, n, false,
                  "%s\"%s\" must be a string or an object by audience, not "
                  "%s",
                  who, n->string, json_kind(n));
        return;
    }
    for (c = n->child; c; c = c->next) {
        size_t mark = push_key(l, c->string);
        for (a = 0; a < IK_AUD__COUNT; a++)
            if (strcmp(c->string, audience_names[a]) == 0)
                break;
        if (a == IK_AUD__COUNT) {
            const char *s = ik_suggest_among(c->string, audience_names);
            if (s)
                fail_node(l, c, true,
                          "%sunknown audience \"%s\" in \"%s\" (did you "
                          "mean \"%s\"?)",
                          who, c->string, n->string, s);
            else
                fail_node(l, c, true,
                          "%sunknown audience \"%s\" in \"%s\"; the "
                          "audiences are patient and nurse",
                          who, c->string, n->string);
        } else if (!l->rb->audiences[a]) {
            fail_node(l, c, true,
                      "%s\"%s\" has text for \"%s\", which the pack does "
                      "not declare in \"audiences\"",
                      who, n->string, c->string);
        } else {
            out->by[a] = get_string(l, who, c);
        }
        pop(l, mark);
    }
    for (a = 0; a < IK_AUD__COUNT; a++)
        if (l->rb->audiences[a] && !ik_json_get(n, audience_names[a]))
            fail_node(l, n, false,
                      "%s\"%s\" has no \"%s\" text (the pack declares that "
                      "audience)",
                      who, n->string, audience_names[a]);
}

/* ---- Conditions and references waiting for the whole pack ---- */

static void add_cond(ik_loader *l, const cJSON *n, ik_expr *out, ld_kind kind,
                     uint32_t index)
{
    ld_cond *c;

    if (l->nconds == l->capconds) {
        size_t cap = l->capconds ? l->capconds * 2 : 64;
        ld_cond *p = ik_realloc(l->conds, cap * sizeof *p);
        if (!p) {
            fail_oom(l);
            return;
        }
        l->conds = p;
        l->capconds = cap;
    }
    c = &l->conds[l->nconds++];
    c->node = n;
    c->out = out;
    c->field = n->string;
    c->index = index;
    c->kind = (uint8_t)kind;
}

static void add_ref(ik_loader *l, const cJSON *n, uint32_t *out,
                    const char *field, ld_kind kind, uint32_t index,
                    ld_kind target)
{
    ld_ref *r;

    if (!cJSON_IsString(n)) {
        fail_node(l, n, false, "%s id in \"%s\" must be a string, not %s",
                  kind_names[target], field, json_kind(n));
        return;
    }
    if (l->nrefs == l->caprefs) {
        size_t cap = l->caprefs ? l->caprefs * 2 : 64;
        ld_ref *p = ik_realloc(l->refs, cap * sizeof *p);
        if (!p) {
            fail_oom(l);
            return;
        }
        l->refs = p;
        l->caprefs = cap;
    }
    r = &l->refs[l->nrefs++];
    r->node = n;
    r->out = out;
    r->field = field;
    r->path = ik_arena_strndup(&l->rb->arena, l->path, l->plen);
    if (!r->path) {
        l->nrefs--;
        fail_oom(l);
        return;
    }
    r->index = index;
    r->kind = (uint8_t)kind;
    r->target = (uint8_t)target;
}

/* ---- Ids ---- */

/* An open-addressed set of the ids of one namespace (transient). */
typedef struct idset {
    const char **key;
    uint32_t *val; /* (kind << 28) | index */
    size_t cap;
} idset;

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static bool idset_init(idset *s, size_t n)
{
    size_t cap = 16;

    while (cap < 2 * n + 2)
        cap *= 2;
    s->key = ik_calloc(cap, sizeof *s->key);
    s->val = ik_calloc(cap, sizeof *s->val);
    s->cap = cap;
    return s->key && s->val;
}

static void idset_fini(idset *s)
{
    ik_free(s->key);
    ik_free(s->val);
    memset(s, 0, sizeof *s);
}

/* Insert id; returns NULL, or the value already stored under it. */
static const uint32_t *idset_put(idset *s, const char *id, uint32_t val)
{
    size_t mask = s->cap - 1, h = (size_t)fnv1a(id, strlen(id)) & mask;

    for (; s->key[h]; h = (h + 1) & mask)
        if (strcmp(s->key[h], id) == 0)
            return &s->val[h];
    s->key[h] = id;
    s->val[h] = val;
    return NULL;
}

bool ik_id_valid(const char *s, bool dash)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || (dash && *s == '-')))
            return false;
    return true;
}

/* What the author probably meant: lower case, other characters as _. */
static void idify(const char *s, char *buf, size_t cap)
{
    size_t n = 0;

    for (; *s && n + 1 < cap; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            c = '_';
        if (n == 0 && !(c >= 'a' && c <= 'z'))
            continue;
        buf[n++] = c;
    }
    buf[n] = '\0';
}

/* Read and check the "id" member of item index; registers it in set. */
static const char *get_id(ik_loader *l, idset *set, const cJSON *n,
                          ld_kind kind, uint32_t index)
{
    char fix[64];
    const uint32_t *old;
    const char *id;

    if (!cJSON_IsString(n)) {
        fail_node(l, n, false, "%s %u: \"id\" must be a string, not %s",
                  kind_names[kind], index + 1, json_kind(n));
        return NULL;
    }
    id = n->valuestring;
    if (!ik_id_valid(id, false)) {
        idify(id, fix, sizeof fix);
        if (fix[0] && ik_id_valid(fix, false))
            fail_node(l, n, false,
                      "id \"%s\" must be lower-case letters, digits and _, "
                      "starting with a letter (e.g. \"%s\")",
                      id, fix);
        else
            fail_node(l, n, false,
                      "id \"%s\" must be lower-case letters, digits and _, "
                      "starting with a letter",
                      id);
    }
    old = idset_put(set, id, ((uint32_t)kind << 28) | index);
    if (old) {
        ld_kind ok = (ld_kind)(*old >> 28);
        uint32_t oi = *old & 0x0FFFFFFF;
        const cJSON *on = l->ids[ok] ? l->ids[ok][oi] : NULL;
        int line = 0, col = 0;
        ik_json_linecol(l->doc.text, l->doc.len,
                        ik_json_offset(&l->doc, on, false), &line, &col);
        fail_node(l, n, false,
                  "duplicate id \"%s\": the %s at line %d already uses it", id,
                  kind_names[ok], line);
    }
    return copy_str(l, id);
}

/*
 * The prefix of an item's messages: `question "pain": ` when it has an id,
 * else `question 4: `. Built for every item, so without snprintf.
 */
static void set_who(char *buf, size_t cap, ld_kind kind, const char *id,
                    uint32_t index)
{
    size_t n = strlen(kind_names[kind]), k;
    char num[16], *p = num + sizeof num - 1;

    memcpy(buf, kind_names[kind], n);
    buf[n++] = ' ';
    if (id) {
        k = strlen(id);
        if (k > cap - n - 5)
            k = cap - n - 5;
        buf[n++] = '"';
        memcpy(buf + n, id, k);
        n += k;
        buf[n++] = '"';
    } else {
        *p = '\0';
        index++;
        do
            *--p = (char)('0' + index % 10);
        while ((index /= 10) > 0);
        k = strlen(p);
        memcpy(buf + n, p, k);
        n += k;
    }
    buf[n++] = ':';
    buf[n++] = ' ';
    buf[n] = '\0';
}

/* ---- Unknown keys ---- */

static int key_index(const char *const *keys, const char *k)
{
    int i;

    for (i = 0; keys[i]; i++) /* the first byte rules most out */
        if (keys[i][0] == k[0] && strcmp(keys[i], k) == 0)
            return i;
    return -1;
}

static void unknown_key(ik_loader *l, const char *who, const cJSON *c,
                        const char *const *keys)
{
    const char *s = ik_suggest_among(c->string, keys);

    if (s)
        fail_node(l, c, true, "%sunknown key \"%s\" (did you mean \"%s\"?)",
                  who, c->string, s);
    else
        fail_node(l, c, true, "%sunknown key \"%s\"", who, c->string);
}

static void missing(ik_loader *l, const char *who, const cJSON *obj,
                    const char *key)
{
    fail_node(l, obj, false, "%smissing \"%s\"", who, key);
}

/* ---- Questions ---- */

static const char *const q_keys[] = {
    "id",         "type",          "text",
    "why",        "options",       "min",
    "max",        "integer",       "unit",
    "required",   "allow_unknown", "allow_none",
    "max_length", "enable_when",   "sbar",
    NULL};
enum {
    QK_ID,
    QK_TYPE,
    QK_TEXT,
    QK_WHY,
    QK_OPTIONS,
    QK_MIN,
    QK_MAX,
    QK_INTEGER,
    QK_UNIT,
    QK_REQUIRED,
    QK_ALLOW_UNKNOWN,
    QK_ALLOW_NONE,
    QK_MAX_LENGTH,
    QK_ENABLE_WHEN,
    QK_SBAR
};

#define T(x)      (1u << (x))
#define ALL_TYPES (T(IK_Q__COUNT) - 1)
/* The question types each key applies to, and how to say so. */
static const struct {
    unsigned types;
    const char *only;
} q_applies[] = {
    [QK_ID] = {ALL_TYPES, NULL},
    [QK_TYPE] = {ALL_TYPES, NULL},
    [QK_TEXT] = {ALL_TYPES, NULL},
    [QK_WHY] = {ALL_TYPES, NULL},
    [QK_OPTIONS] = {T(IK_Q_CHOICE) | T(IK_Q_MULTI),
                    "applies only to choice and multi questions"},
    [QK_MIN] = {T(IK_Q_NUMBER), "applies only to number questions"},
    [QK_MAX] = {T(IK_Q_NUMBER), "applies only to number questions"},
    [QK_INTEGER] = {T(IK_Q_NUMBER), "applies only to number questions"},
    [QK_UNIT] = {T(IK_Q_NUMBER), "applies only to number questions"},
    [QK_REQUIRED] = {ALL_TYPES & ~T(IK_Q_INFO),
                     "does not apply to info questions (they are "
                     "acknowledged, not answered)"},
    [QK_ALLOW_UNKNOWN] = {T(IK_Q_YES_NO), "applies only to yes_no questions"},
    [QK_ALLOW_NONE] = {T(IK_Q_MULTI), "applies only to multi questions"},
    [QK_MAX_LENGTH] = {T(IK_Q_TEXT), "applies only to text questions"},
    [QK_ENABLE_WHEN] = {ALL_TYPES, NULL},
    [QK_SBAR] = {ALL_TYPES & ~T(IK_Q_INFO),
                 "does not apply to info questions (they record nothing)"},
};

static bool is_option_value(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

static void walk_option(ik_loader *l, const char *who, const cJSON *n,
                        ik_option *o)
{
    static const char *const keys[] = {"value", "label", NULL};
    const cJSON *c;

    if (!get_object(l, who, n, "an option"))
        return;
    for (c = n->child; c; c = c->next) {
        size_t mark = push_key(l, c->string);
        switch (key_index(keys, c->string)) {
        case 0:
            if (!cJSON_IsString(c))
                fail_node(l, c, false,
                          "%soption \"value\" must be a string, not %s", who,
                          json_kind(c));
            else if (!is_option_value(c->valuestring))
                fail_node(l, c, false,
                          "%soption value \"%s\" must be lower-case letters, "
                          "digits and _",
                          who, c->valuestring);
            else if ((o->value = copy_str(l, c->valuestring)))
                o->vlen = (uint32_t)strlen(o->value);
            break;
        case 1:
            get_text(l, who, c, &o->label);
            break;
        default:
            unknown_key(l, who, c, keys);
        }
        pop(l, mark);
    }
    if (!ik_json_get(n, "value"))
        fail_node(l, n, false, "%soption is missing \"value\"", who);
    if (!ik_json_get(n, "label"))
        fail_node(l, n, false, "%soption is missing \"label\"", who);
}

static void walk_options(ik_loader *l, const char *who, const cJSON *n,
                         ik_question *q)
{
    const cJSON *c;
    uint32_t i = 0, k;

    if (!get_array(l, who, n))
        return;
    q->noptions = (uint32_t)cJSON_GetArraySize(n);
    if (q->noptions > IK_OPTIONS_MAX) /* bounds each answer's look-up */
        fail_node(l, n, false, "%sa question may have at most %d options", who,
                  IK_OPTIONS_MAX);
    q->options = alloc_zero(l, q->noptions, sizeof *q->options);
    if (!q->options)
        return;
    for (c = n->child; c && !l->stop; c = c->next, i++) {
        size_t mark = push_index(l, i);
        walk_option(l, who, c, &q->options[i]);
        /* Quadratic, so only within the bound (already reported). */
        for (k = 0; k < i && i < IK_OPTIONS_MAX && q->options[i].value; k++) {
            if (q->options[k].value &&
                strcmp(q->options[k].value, q->options[i].value) == 0) {
                fail_node(l, ik_json_get(c, "value"), false,
                          "%stwo options have the value \"%s\"", who,
                          q->options[i].value);
                break;
            }
        }
        pop(l, mark);
    }
    if (q->type == IK_Q_CHOICE && q->noptions < 2)
        fail_node(l, n, false, "%sa choice question needs at least 2 options",
                  who);
    else if (q->type == IK_Q_MULTI && q->noptions < 1)
        fail_node(l, n, false, "%sa multi question needs at least 1 option",
                  who);
}

static int question_type(ik_loader *l, const char *who, const cJSON *n)
{
    int t;
    const char *s;

    if (!n)
        return -1;
    if (!cJSON_IsString(n)) {
        fail_node(l, n, false, "%s\"type\" must be a string, not %s", who,
                  json_kind(n));
        return -1;
    }
    t = key_index(type_names, n->valuestring);
    if (t >= 0)
        return t;
    s = ik_suggest_among(n->valuestring, type_names);
    if (s)
        fail_node(l, n, false, "%sunknown type \"%s\" (did you mean \"%s\"?)",
                  who, n->valuestring, s);
    else
        fail_node(l, n, false,
                  "%sunknown type \"%s\"; the types are yes_no, choice, "
                  "multi, number, text and info",
                  who, n->valuestring);
    return -1;
}

static void question_member(ik_loader *l, const char *who, const cJSON *c,
                            int type, ik_question *q, uint32_t index)
{
    int k = key_index(q_keys, c->string);
    double d;

    if (k < 0) {
        unknown_key(l, who, c, q_keys);
        return;
    }
    if (type >= 0 && !(q_applies[k].types & T(type))) {
        fail_node(l, c, true, "%s\"%s\" %s", who, c->string, q_applies[k].only);
        return;
    }
    switch (k) {
    case QK_ID:
    case QK_TYPE:
        break; /* read first, by walk_question */
    case QK_TEXT:
        get_text(l, who, c, &q->text);
        break;
    case QK_WHY:
        get_text(l, who, c, &q->why);
        break;
    case QK_OPTIONS:
        walk_options(l, who, c, q);
        break;
    case QK_MIN:
        get_number(l, who, c, &q->min);
        break;
    case QK_MAX:
        get_number(l, who, c, &q->max);
        break;
    case QK_INTEGER:
        get_bool(l, who, c, &q->integer);
        break;
    case QK_UNIT:
        q->unit = get_string(l, who, c);
        break;
    case QK_REQUIRED:
        get_bool(l, who, c, &q->required);
        break;
    case QK_ALLOW_UNKNOWN:
        get_bool(l, who, c, &q->allow_unknown);
        break;
    case QK_ALLOW_NONE:
        get_bool(l, who, c, &q->allow_none);
        break;
    case QK_MAX_LENGTH:
        if (get_number(l, who, c, &d)) {
            if (d != floor(d) || d < 1 || d > 10000)
                fail_node(l, c, false,
                          "%s\"max_length\" must be a whole number from 1 to "
                          "10000",
                          who);
            else
                q->max_length = (uint32_t)d;
        }
        break;
    case QK_ENABLE_WHEN:
        add_cond(l, c, &q->enable_when, LK_QUESTION, index);
        break;
    case QK_SBAR:
        if (cJSON_IsString(c) && strcmp(c->valuestring, "background") == 0)
            q->background = true;
        else if (!cJSON_IsString(c) ||
                 strcmp(c->valuestring, "assessment") != 0)
            fail_node(l, c, false,
                      "%s\"sbar\" must be \"background\" or \"assessment\"",
                      who);
        break;
    }
}

static void walk_question(ik_loader *l, idset *ids, const cJSON *n,
                          uint32_t index)
{
    ik_question *q = &l->rb->questions[index];
    const cJSON *idn, *c;
    char who[128];
    int type;

    q->min = -INFINITY;
    q->max = INFINITY;
    q->max_length = IK_TEXT_MAX;
    q->enable_when = IK_NO_EXPR;
    q->slot = index;
    q->type = IK_Q_INFO;
    q->src = ik_json_offset(&l->doc, n, false);
    set_who(who, sizeof who, LK_QUESTION, NULL, index);
    if (!cJSON_IsObject(n)) {
        fail_node(l, n, false, "question %u must be an object, not %s",
                  index + 1, json_kind(n));
        return;
    }
    idn = ik_json_get(n, "id");
    if (idn) {
        size_t mark = push_key(l, "id");
        l->ids[LK_QUESTION][index] = idn;
        q->id = get_id(l, ids, idn, LK_QUESTION, index);
        q->idlen = q->id ? (uint32_t)strlen(q->id) : 0;
        pop(l, mark);
    }
    if (q->id)
        set_who(who, sizeof who, LK_QUESTION, q->id, index);
    else if (!idn)
        missing(l, who, n, "id");
    {
        size_t mark = push_key(l, "type");
        type = question_type(l, who, ik_json_get(n, "type"));
        pop(l, mark);
    }
    if (!ik_json_get(n, "type"))
        missing(l, who, n, "type");
    if (type >= 0)
        q->type = (ik_qtype)type;
    for (c = n->child; c && !l->stop; c = c->next) {
        size_t mark = push_key(l, c->string);
        question_member(l, who, c, type, q, index);
        pop(l, mark);
    }
    if (!ik_json_get(n, "text"))
        missing(l, who, n, "text");
    if ((type == IK_Q_CHOICE || type == IK_Q_MULTI) &&
        !ik_json_get(n, "options"))
        fail_node(l, n, false, "%sa %s question needs \"options\"", who,
                  type_names[type]);
    if (type == IK_Q_NUMBER && q->min > q->max)
        fail_node(l, ik_json_get(n, "max"), false,
                  "%s\"max\" is less than \"min\"", who);
}

/* ---- The other lists ---- */

typedef struct item {
    ik_loader *l;
    const cJSON *n;
    ld_kind kind;
    uint32_t index;
    char who[128];
} item;

/* Shared start of every list item but questions: object, id, keys. */
static bool item_begin(item *it, idset *ids, const char *const *keys,
                       const char **id, size_t *src)
{
    ik_loader *l = it->l;
    const cJSON *idn, *c;

    *src = ik_json_offset(&l->doc, it->n, false);
    set_who(it->who, sizeof it->who, it->kind, NULL, it->index);
    if (!cJSON_IsObject(it->n)) {
        fail_node(l, it->n, false, "%s %u must be an object, not %s",
                  kind_names[it->kind], it->index + 1, json_kind(it->n));
        return false;
    }
    idn = ik_json_get(it->n, "id");
    if (idn) {
        size_t mark = push_key(l, "id");
        l->ids[it->kind][it->index] = idn;
        *id = get_id(l, ids, idn, it->kind, it->index);
        pop(l, mark);
    } else {
        missing(l, it->who, it->n, "id");
    }
    if (*id)
        set_who(it->who, sizeof it->who, it->kind, *id, it->index);
    for (c = it->n->child; c; c = c->next)
        if (key_index(keys, c->string) < 0) {
            size_t mark = push_key(l, c->string);
            unknown_key(l, it->who, c, keys);
            pop(l, mark);
        }
    return true;
}

/* Member key of the item, with the path pushed; NULL when absent. */
static const cJSON *member(item *it, const char *key, bool required,
                           size_t *mark)
{
    const cJSON *c = ik_json_get(it->n, key);

    if (!c) {
        if (required)
            missing(it->l, it->who, it->n, key);
        return NULL;
    }
    *mark = push_key(it->l, key);
    return c;
}

static void text_member(item *it, const char *key, bool required, ik_text *out)
{
    size_t mark;
    const cJSON *c = member(it, key, required, &mark);

    if (c) {
        get_text(it->l, it->who, c, out);
        pop(it->l, mark);
    }
}

static void cond_member(item *it, const char *key, bool required, ik_expr *out)
{
    size_t mark;
    const cJSON *c = member(it, key, required, &mark);

    *out = IK_NO_EXPR;
    if (c) {
        add_cond(it->l, c, out, it->kind, it->index);
        pop(it->l, mark);
    }
}

static void ref_member(item *it, const cJSON *c, uint32_t *out, ld_kind target)
{
    add_ref(it->l, c, out, c->string, it->kind, it->index, target);
}

static void walk_derived(item *it, idset *ids)
{
    static const char *const keys[] = {"id", "value", NULL};
    ik_derived *d = &it->l->rb->derived[it->index];

    d->slot = it->l->rb->nquestions + it->index;
    if (item_begin(it, ids, keys, &d->id, &d->src))
        cond_member(it, "value", true, &d->value);
}

/* "act": "stop", "alert" or "none". */
static void act_member(item *it, ik_act *out)
{
    static const char *const acts[IK_ACT__COUNT + 1] = {"none", "alert", "stop",
                                                        NULL};
    size_t mark;
    const cJSON *c = member(it, "act", false, &mark);
    int k;

    if (!c)
        return;
    k = cJSON_IsString(c) ? key_index(acts, c->valuestring) : -1;
    if (k < 0)
        fail_node(it->l, c, false,
                  "%s\"act\" must be \"stop\", \"alert\" or \"none\"", it->who);
    else
        *out = (ik_act)k;
    pop(it->l, mark);
}

static void walk_red_flag(item *it, idset *ids)
{
    static const char *const keys[] = {"id",  "when", "disposition", "message",
                                       "act", "stop", "label",       NULL};
    ik_red_flag *f = &it->l->rb->red_flags[it->index];
    const cJSON *c;
    size_t mark;
    bool stop = false;

    f->disposition = IK_NONE;
    f->act = IK_ACT__COUNT;
    if (!item_begin(it, ids, keys, &f->id, &f->src))
        return;
    cond_member(it, "when", true, &f->when);
    if ((c = member(it, "disposition", true, &mark))) {
        ref_member(it, c, &f->disposition, LK_DISPOSITION);
        pop(it->l, mark);
    }
    text_member(it, "message", true, &f->message);
    text_member(it, "label", false, &f->label);
    act_member(it, &f->act);
    if ((c = member(it, "stop", false, &mark))) {
        /* the first form of "act": "stop" */
        if (get_bool(it->l, it->who, c, &stop) && stop) {
            if (f->act != IK_ACT__COUNT && f->act != IK_ACT_STOP)
                fail_node(it->l, c, false,
                          "%s\"stop\": true contradicts \"act\"; give "
                          "\"act\" only",
                          it->who);
            f->act = IK_ACT_STOP;
        }
        pop(it->l, mark);
    }
}

static void walk_disposition(item *it, idset *ids)
{
    static const char *const keys[] = {"id",  "label", "advice",
                                       "act", "alarm", NULL};
    ik_disposition *d = &it->l->rb->dispositions[it->index];
    const cJSON *c;
    size_t mark;

    d->act = IK_ACT__COUNT;
    if (!item_begin(it, ids, keys, &d->id, &d->src))
        return;
    text_member(it, "label", true, &d->label);
    text_member(it, "advice", true, &d->advice);
    act_member(it, &d->act);
    if ((c = member(it, "alarm", false, &mark))) {
        get_bool(it->l, it->who, c, &d->alarm);
        pop(it->l, mark);
    }
}

static void walk_rung(item *it, idset *ids)
{
    static const char *const keys[] = {"id", "label", "when", "advice", NULL};
    ik_rung *r = &it->l->rb->ladder[it->index];

    if (!item_begin(it, ids, keys, &r->id, &r->src))
        return;
    text_member(it, "label", true, &r->label);
    cond_member(it, "when", true, &r->when);
    text_member(it, "advice", false, &r->advice);
}

static void walk_section(item *it, idset *ids)
{
    static const char *const keys[] = {
        "id", "title", "body", "show_when", "priority", "source", NULL};
    ik_section *s = &it->l->rb->sections[it->index];
    const cJSON *c;
    size_t mark;

    s->priority = 100;
    s->show_when = IK_NO_EXPR;
    if (!item_begin(it, ids, keys, &s->id, &s->src))
        return;
    text_member(it, "title", true, &s->title);
    text_member(it, "body", true, &s->body);
    cond_member(it, "show_when", false, &s->show_when);
    if ((c = member(it, "priority", false, &mark))) {
        get_number(it->l, it->who, c, &s->priority);
        pop(it->l, mark);
    }
    if ((c = member(it, "source", false, &mark))) {
        s->source = get_string(it->l, it->who, c);
        pop(it->l, mark);
    }
}

/* An id or a non-empty array of ids, each checked as a reference. */
static void ref_list(item *it, const cJSON *c, ld_kind target, uint32_t **out,
                     uint32_t *nout, bool one_allowed)
{
    ik_loader *l = it->l;
    const cJSON *e;
    uint32_t i = 0, n;

    if (one_allowed && cJSON_IsString(c)) {
        add_ref(l, c, NULL, c->string, it->kind, it->index, target);
        return;
    }
    if (!cJSON_IsArray(c)) {
        fail_node(l, c, false, "%s\"%s\" must be %s, not %s", it->who,
                  c->string,
                  one_allowed ? "an id or an array of ids" : "an array of ids",
                  json_kind(c));
        return;
    }
    n = (uint32_t)cJSON_GetArraySize(c);
    if (n == 0) {
        fail_node(l, c, false, "%s\"%s\" is an empty list", it->who, c->string);
        return;
    }
    if (out) {
        *out = alloc_zero(l, n, sizeof **out);
        if (!*out)
            return;
        *nout = n;
    }
    for (e = c->child; e; e = e->next, i++) {
        size_t mark = push_index(l, i);
        add_ref(l, e, out ? &(*out)[i] : NULL, c->string, it->kind, it->index,
                target);
        if (out)
            (*out)[i] = IK_NONE;
        pop(l, mark);
    }
}

static void walk_rule(item *it, idset *ids)
{
    static const char *const keys[] = {"id", "when", "then", NULL};
    static const char *const then_keys[] = {"disposition", "sections", "note",
                                            "note_for", NULL};
    ik_rule *r = &it->l->rb->rules[it->index];
    const cJSON *t, *c;
    size_t mark;

    r->disposition = IK_NONE;
    if (!item_begin(it, ids, keys, &r->id, &r->src))
        return;
    cond_member(it, "when", true, &r->when);
    if (!(t = member(it, "then", true, &mark)))
        return;
    if (get_object(it->l, it->who, t, "\"then\"")) {
        if (!t->child)
            fail_node(it->l, t, false,
                      "%s\"then\" is empty: give a disposition, sections or "
                      "a note",
                      it->who);
        for (c = t->child; c; c = c->next) {
            size_t m2 = push_key(it->l, c->string);
            switch (key_index(then_keys, c->string)) {
            case 0:
                ref_member(it, c, &r->disposition, LK_DISPOSITION);
                break;
            case 1:
                ref_list(it, c, LK_SECTION, &r->sections, &r->nsections, false);
                break;
            case 2:
                get_text(it->l, it->who, c, &r->note);
                break;
            case 3:
                ref_list(it, c, LK_DISPOSITION, &r->note_for, &r->nnote_for,
                         false);
                break;
            default:
                unknown_key(it->l, it->who, c, then_keys);
            }
            pop(it->l, m2);
        }
    }
    pop(it->l, mark);
}

static void walk_expect(item *it, const cJSON *e, ik_invariant *v)
{
    static const char *const keys[] = {"disposition", "ladder", "sections",
                                       "not_sections", NULL};
    ik_loader *l = it->l;
    const cJSON *c;

    if (!get_object(l, it->who, e, "\"expect\""))
        return;
    if (!e->child)
        fail_node(l, e, false, "%s\"expect\" is empty", it->who);
    for (c = e->child; c; c = c->next) {
        size_t mark = push_key(l, c->string);
        switch (key_index(keys, c->string)) {
        case 0:
            if (cJSON_IsString(c)) { /* a list of one */
                v->expect_dispositions =
                    alloc_zero(l, 1, sizeof *v->expect_dispositions);
                if (!v->expect_dispositions)
                    break;
                v->nexpect_dispositions = 1;
                add_ref(l, c, &v->expect_dispositions[0], c->string, it->kind,
                        it->index, LK_DISPOSITION);
            } else {
                ref_list(it, c, LK_DISPOSITION, &v->expect_dispositions,
                         &v->nexpect_dispositions, true);
            }
            break;
        case 1:
            v->expect_ladder = true;
            if (!cJSON_IsNull(c))
                add_ref(l, c, &v->expect_rung, c->string, it->kind, it->index,
                        LK_RUNG);
            break;
        case 2:
            ref_list(it, c, LK_SECTION, &v->expect_sections,
                     &v->nexpect_sections, false);
            break;
        case 3:
            ref_list(it, c, LK_SECTION, &v->expect_not_sections,
                     &v->nexpect_not_sections, false);
            break;
        default:
            unknown_key(l, it->who, c, keys);
        }
        pop(l, mark);
    }
}

static void walk_invariant(item *it, idset *ids)
{
    static const char *const keys[] = {"id", "when", "expect", NULL};
    ik_invariant *v = &it->l->rb->invariants[it->index];
    const cJSON *c;
    size_t mark;

    v->expect_rung = IK_NONE;
    if (!item_begin(it, ids, keys, &v->id, &v->src))
        return;
    cond_member(it, "when", false, &v->when);
    if ((c = member(it, "expect", true, &mark))) {
        walk_expect(it, c, v);
        pop(it->l, mark);
    }
}

typedef void (*item_fn)(item *it, idset *ids);

/* Allocate list kind's array and walk its items. */
static void walk_list(ik_loader *l, const cJSON *n, ld_kind kind, idset *ids)
{
    static const item_fn fns[LK__COUNT] = {
        NULL,      walk_derived, walk_red_flag, walk_disposition,
        walk_rung, walk_section, walk_rule,     walk_invariant};
    static const size_t sizes[LK__COUNT] = {
        sizeof(ik_question),    sizeof(ik_derived),  sizeof(ik_red_flag),
        sizeof(ik_disposition), sizeof(ik_rung),     sizeof(ik_section),
        sizeof(ik_rule),        sizeof(ik_invariant)};
    ik_rulebook *rb = l->rb;
    void *arr;
    uint32_t count, i = 0;
    const cJSON *c;
    idset local = {0};

    if (!get_array(l, "", n))
        return;
    count = (uint32_t)cJSON_GetArraySize(n);
    if (count >= (1u << 28)) {
        fail_node(l, n, false, "\"%s\" has too many items", n->string);
        return;
    }
    arr = alloc_zero(l, count, sizes[kind]);
    l->ids[kind] = ik_calloc(count, sizeof *l->ids[kind]);
    if (!arr || !l->ids[kind]) {
        fail_oom(l);
        return;
    }
    if (!ids) {
        if (!idset_init(&local, count)) {
            idset_fini(&local);
            fail_oom(l);
            return;
        }
        ids = &local;
    }
    switch (kind) {
    case LK_QUESTION:
        rb->questions = arr, rb->nquestions = count;
        break;
    case LK_DERIVED:
        rb->derived = arr, rb->nderived = count;
        break;
    case LK_RED_FLAG:
        rb->red_flags = arr, rb->nred_flags = count;
        break;
    case LK_DISPOSITION:
        rb->dispositions = arr, rb->ndispositions = count;
        break;
    case LK_RUNG:
        rb->ladder = arr, rb->nladder = count;
        break;
    case LK_SECTION:
        rb->sections = arr, rb->nsections = count;
        break;
    case LK_RULE:
        rb->rules = arr, rb->nrules = count;
        break;
    case LK_INVARIANT:
        rb->invariants = arr, rb->ninvariants = count;
        break;
    case LK__COUNT:
        break;
    }
    if (count == 0 && (kind == LK_QUESTION || kind == LK_DISPOSITION))
        fail_node(l, n, false, "\"%s\" is empty: a pack needs at least one",
                  n->string);
    for (c = n->child; c && !l->stop; c = c->next, i++) {
        size_t mark = push_index(l, i);
        if (kind == LK_QUESTION) {
            walk_question(l, ids, c, i);
        } else {
            item it;
            it.l = l;
            it.n = c;
            it.kind = kind;
            it.index = i;
            fns[kind](&it, ids);
        }
        pop(l, mark);
    }
    idset_fini(&local);
}

/* ---- The top level ---- */

static const char *const top_keys[] = {
    "$schema",  "format",    "id",         "version",    "title",
    "language", "audiences", "disclaimer", "safety_net", "get_help",
    "sources",  "questions", "derived",    "red_flags",  "dispositions",
    "ladder",   "sections",  "rules",      "invariants", "notice",
    NULL};
static const char *const top_required[] = {
    "format",     "id",       "version",   "title",        "disclaimer",
    "safety_net", "get_help", "questions", "dispositions", NULL};

static void walk_audiences(ik_loader *l, const cJSON *n)
{
    const cJSON *c;
    uint32_t i = 0;
    size_t mark = push_key(l, "audiences");

    if (!get_array(l, "", n) || !n->child) {
        if (cJSON_IsArray(n))
            fail_node(l, n, false, "\"audiences\" is empty");
        l->rb->audiences[IK_AUD_PATIENT] = true;
        pop(l, mark);
        return;
    }
    for (c = n->child; c; c = c->next, i++) {
        size_t m2 = push_index(l, i);
        int a =
            cJSON_IsString(c) ? key_index(audience_names, c->valuestring) : -1;
        if (a < 0) {
            const char *s = cJSON_IsString(c) ? ik_suggest_among(c->valuestring,
                                                                 audience_names)
                                              : NULL;
            if (s)
                fail_node(l, c, false,
                          "unknown audience \"%s\" (did you mean \"%s\"?)",
                          c->valuestring, s);
            else
                fail_node(l, c, false,
                          "an audience is \"patient\" or \"nurse\"");
        } else if (l->rb->audiences[a]) {
            fail_node(l, c, false, "audience \"%s\" is listed twice",
                      audience_names[a]);
        } else {
            l->rb->audiences[a] = true;
        }
        pop(l, m2);
    }
    pop(l, mark);
}

static bool is_version(const char *s)
{
    int parts = 0;

    for (;;) {
        if (!(*s >= '0' && *s <= '9'))
            return false;
        if (*s == '0' && s[1] >= '0' && s[1] <= '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
        parts++;
        if (*s != '.')
            break;
        s++;
    }
    return parts == 3 && *s == '\0';
}

static bool is_language(const char *s)
{
    size_t n = 0;

    for (; *s; s++) {
        bool alnum = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                     (*s >= '0' && *s <= '9');
        if (*s == '-' && n > 0)
            n = 0;
        else if (alnum && n < 8)
            n++;
        else
            return false;
    }
    return n > 0;
}

static void walk_sources(ik_loader *l, const cJSON *n)
{
    const cJSON *c;
    uint32_t i = 0;

    if (!get_array(l, "", n))
        return;
    l->rb->nsources = (uint32_t)cJSON_GetArraySize(n);
    l->rb->sources = alloc_zero(l, l->rb->nsources, sizeof(char *));
    if (!l->rb->sources)
        return;
    for (c = n->child; c; c = c->next, i++) {
        size_t mark = push_index(l, i);
        if (!cJSON_IsString(c) || !c->valuestring[0])
            fail_node(l, c, false, "a source must be a non-empty string");
        else if (is_safe_text(l, "a source ", c))
            l->rb->sources[i] = copy_str(l, c->valuestring);
        pop(l, mark);
    }
}

static void top_member(ik_loader *l, const cJSON *c, idset *names)
{
    ik_rulebook *rb = l->rb;
    int k = key_index(top_keys, c->string), kind;

    for (kind = 0; kind < LK__COUNT; kind++)
        if (strcmp(c->string, list_keys[kind]) == 0) {
            walk_list(l, c, (ld_kind)kind, kind <= LK_DERIVED ? names : NULL);
            return;
        }
    switch (k) {
    case -1:
        unknown_key(l, "", c, top_keys);
        break;
    case 0: /* $schema: for editors */
        get_string(l, "", c);
        break;
    case 1:
        if ((rb->format = get_string(l, "", c)) &&
            strcmp(rb->format, "intake-rules/1") != 0)
            fail_node(l, c, false,
                      "unsupported format \"%s\"; this version of intake "
                      "reads \"intake-rules/1\"",
                      rb->format);
        break;
    case 2:
        if ((rb->id = get_string(l, "", c)) && !ik_id_valid(rb->id, true))
            fail_node(l, c, false,
                      "pack id \"%s\" must be lower-case letters, digits, _ "
                      "and -, starting with a letter",
                      rb->id);
        break;
    case 3:
        if ((rb->version = get_string(l, "", c)) && !is_version(rb->version))
            fail_node(l, c, false,
                      "version \"%s\" is not MAJOR.MINOR.PATCH (e.g. "
                      "\"1.0.0\")",
                      rb->version);
        break;
    case 4:
        get_text(l, "", c, &rb->title_text);
        rb->title = ik_text_get(&rb->title_text, IK_AUD_PATIENT);
        break;
    case 5:
        if ((rb->language = get_string(l, "", c)) && !is_language(rb->language))
            fail_node(l, c, false,
                      "language \"%s\" is not a language tag like \"en\" or "
                      "\"en-GB\"",
                      rb->language);
        break;
    case 6: /* audiences: read first */
        break;
    case 7:
        get_text(l, "", c, &rb->disclaimer);
        break;
    case 8:
        get_text(l, "", c, &rb->safety_net);
        break;
    case 9:
        get_text(l, "", c, &rb->get_help);
        break;
    case 10:
        walk_sources(l, c);
        break;
    case 19:
        get_text(l, "", c, &rb->notice);
        break;
    default:
        break;
    }
}

static void walk_top(ik_loader *l, const cJSON *root)
{
    const cJSON *c;
    const char *const *r;
    idset names = {0};
    size_t n = 0;

    if (!cJSON_IsObject(root)) {
        fail_node(l, root, false, "a rule pack is a JSON object, not %s",
                  json_kind(root));
        return;
    }
    if ((c = ik_json_get(root, "questions")) && cJSON_IsArray(c))
        n += (size_t)cJSON_GetArraySize(c);
    if ((c = ik_json_get(root, "derived")) && cJSON_IsArray(c))
        n += (size_t)cJSON_GetArraySize(c);
    if (!idset_init(&names, n)) {
        idset_fini(&names);
        fail_oom(l);
        return;
    }
    if ((c = ik_json_get(root, "audiences")))
        walk_audiences(l, c);
    else
        l->rb->audiences[IK_AUD_PATIENT] = true;
    for (c = root->child; c && !l->stop; c = c->next) {
        size_t mark = push_key(l, c->string);
        top_member(l, c, &names);
        pop(l, mark);
    }
    idset_fini(&names);
    for (r = top_required; *r; r++)
        if (!ik_json_get(root, *r))
            missing(l, "", root, *r);
    if (!l->rb->language)
        l->rb->language = "en";
}

/* ---- Compiling ---- */

static ik_status define_symbols(ik_loader *l, const uint32_t *order)
{
    ik_rulebook *rb = l->rb;
    ik_error e;
    char name[32];
    uint32_t i, slot;
    ik_status st;

    ik_error_clear(&e);
    if ((st = ik_logic_new(&rb->logic, &e)) != IK_OK)
        return st;
    ik_logic_set_strict(rb->logic, true);
    for (i = 0; i < rb->nquestions + rb->nderived; i++) {
        const char *id;
        if (i < rb->nquestions) {
            id = rb->questions[i].id;
        } else {
            uint32_t d = order ? order[i - rb->nquestions] : i - rb->nquestions;
            id = rb->derived[d].id;
        }
        if (!id) { /* already reported; keep the slots in step */
            snprintf(name, sizeof name, "\001%u", i);
            id = name;
        }
        if ((st = ik_logic_define(rb->logic, id, &slot, &e)) != IK_OK)
            return st;
        if (i < rb->nquestions)
            rb->questions[i].slot = slot;
        else
            rb->derived[order ? order[i - rb->nquestions] : i - rb->nquestions]
                .slot = slot;
    }
    return IK_OK;
}

/*
 * The compiler's unknown name (ik_logic_unknown_name) in an author's
 * words, with the id they probably meant; false when e is some other
 * error.
 */
static bool unknown_name(ik_loader *l, const ld_cond *c, const ik_error *e,
                         const char *who, const char *path)
{
    const char *name = ik_logic_unknown_name(l->rb->logic);
    ik_suggest s;
    uint32_t i;

    if (!name)
        return false;
    ik_suggest_init(&s, name);
    for (i = 0; i < l->rb->nquestions; i++)
        ik_suggest_offer(&s, l->rb->questions[i].id);
    for (i = 0; i < l->rb->nderived; i++)
        ik_suggest_offer(&s, l->rb->derived[i].id);
    if (ik_suggest_get(&s))
        ld_report_lc(l, IK_SEV_ERROR, IK_ERULES, e->line, e->col, path,
                     "%s: %s reads \"%s\", which is not a question or derived "
                     "value (did you mean \"%s\"?)",
                     who, c->field, name, ik_suggest_get(&s));
    else
        ld_report_lc(l, IK_SEV_ERROR, IK_ERULES, e->line, e->col, path,
                     "%s: %s reads \"%s\", which is not a question or derived "
                     "value",
                     who, c->field, name);
    return true;
}

/* Compile the conditions of derived values (derived true) or of
 * everything else. */
static void compile_conds(ik_loader *l, bool derived)
{
    size_t i;
    ik_error e;
    ik_status st;
    char who[128], path[160];

    for (i = 0; i < l->nconds && !l->stop; i++) {
        ld_cond *c = &l->conds[i];
        if ((c->kind == LK_DERIVED) != derived)
            continue;
        ik_error_clear(&e);
        st = ik_logic_compile_json(l->rb->logic, c->node, &l->doc, c->out, &e);
        if (st == IK_OK)
            continue;
        *c->out = IK_NO_EXPR;
        ld_who(l, (ld_kind)c->kind, c->index, who, sizeof who);
        ld_path((ld_kind)c->kind, c->index, c->field, path, sizeof path);
        if (st == IK_ENOMEM)
            ld_report_lc(l, IK_SEV_ERROR, st, 0, 0, path, "out of memory");
        else if (!unknown_name(l, c, &e, who, path))
            ld_report_lc(l, IK_SEV_ERROR, st, e.line, e.col, path, "%s: %s: %s",
                         who, c->field, e.msg);
    }
}

/* A fresh program whose symbols are the ids in their current order. */
static bool new_program(ik_loader *l)
{
    ik_status st;

    ik_logic_free(l->rb->logic);
    l->rb->logic = NULL;
    st = define_symbols(l, NULL);
    if (st != IK_OK)
        ld_report_lc(l, IK_SEV_ERROR, st, 0, 0, "", "out of memory");
    return st == IK_OK;
}

/*
 * Put the derived values in evaluation order (order[], from lint.c), so
 * that derived i's slot is nquestions + i (rulebook.h), and recompile
 * them in a fresh program. Only derived values were compiled so far, so
 * nothing else compiles twice. Afterwards order[] is the identity.
 */
static void reorder_derived(ik_loader *l, uint32_t *order)
{
    ik_rulebook *rb = l->rb;
    ik_derived *sorted = alloc_zero(l, rb->nderived, sizeof *sorted);
    uint32_t *pos = ik_calloc(rb->nderived, sizeof *pos), i;
    const cJSON **ids = ik_calloc(rb->nderived, sizeof *ids);
    size_t k;

    if (!sorted || !pos || !ids) {
        ik_free(pos);
        ik_free(ids);
        fail_oom(l);
        return;
    }
    for (i = 0; i < rb->nderived; i++) {
        sorted[i] = rb->derived[order[i]];
        ids[i] = l->ids[LK_DERIVED][order[i]];
        pos[order[i]] = i;
    }
    rb->derived = sorted;
    ik_free(l->ids[LK_DERIVED]);
    l->ids[LK_DERIVED] = ids;
    for (k = 0; k < l->nconds; k++)
        if (l->conds[k].kind == LK_DERIVED) {
            l->conds[k].index = pos[l->conds[k].index];
            l->conds[k].out = &sorted[l->conds[k].index].value;
        }
    ik_free(pos);
    for (i = 0; i < rb->nderived; i++)
        order[i] = i;
    if (new_program(l))
        compile_conds(l, true);
}

/*
 * Define the symbols, compile the derived values, sort them into
 * evaluation order (reporting cycles), then compile everything else once.
 */
static void compile_all(ik_loader *l, uint32_t *order)
{
    if (!new_program(l))
        return;
    compile_conds(l, true);
    if (!l->stop && l->rb->nderived && ld_order_derived(l, order) &&
        l->first == IK_OK)
        reorder_derived(l, order);
    if (!l->stop)
        compile_conds(l, false);
}

/* Index of id among the n ids of kind t, through set (built on first
 * use): a pack names its sections thousands of times, and a linear search
 * (with an edit distance per candidate) per reference made loading
 * quadratic. IK_NONE when absent or out of memory (the loop below then
 * decides). */
static uint32_t find_ref(ik_loader *l, idset *set, ld_kind t, uint32_t n,
                         const char *id)
{
    size_t mask, h;
    uint32_t k;

    if (!set->key) {
        if (!idset_init(set, n)) {
            idset_fini(set);
            return IK_NONE;
        }
        for (k = 0; k < n; k++)
            if (ld_id(l, t, k))
                idset_put(set, ld_id(l, t, k), k);
    }
    mask = set->cap - 1;
    for (h = (size_t)fnv1a(id, strlen(id)) & mask; set->key[h];
         h = (h + 1) & mask)
        if (strcmp(set->key[h], id) == 0)
            return set->val[h];
    return IK_NONE;
}

static void resolve_refs(ik_loader *l)
{
    size_t i;
    uint32_t k, n;
    char who[128];
    idset sets[LK__COUNT];

    memset(sets, 0, sizeof sets);

    for (i = 0; i < l->nrefs && !l->stop; i++) {
        ld_ref *r = &l->refs[i];
        const char *id = r->node->valuestring;
        ld_kind t = (ld_kind)r->target;
        uint32_t found = IK_NONE;
        ik_suggest s;

        n = t == LK_DISPOSITION ? l->rb->ndispositions
            : t == LK_SECTION   ? l->rb->nsections
                                : l->rb->nladder;
        found = find_ref(l, &sets[t], t, n, id);
        if (found != IK_NONE) {
            if (r->out)
                *r->out = found;
            continue;
        }
        ik_suggest_init(&s, id);
        for (k = 0; k < n && found == IK_NONE; k++) {
            const char *cand = ld_id(l, t, k);
            if (cand && strcmp(cand, id) == 0)
                found = k;
            ik_suggest_offer(&s, cand);
        }
        if (found != IK_NONE) {
            if (r->out)
                *r->out = found;
            continue;
        }
        ld_who(l, (ld_kind)r->kind, r->index, who, sizeof who);
        if (ik_suggest_get(&s))
            ld_report_off(l, IK_SEV_ERROR, IK_ERULES,
                          ik_json_offset(&l->doc, r->node, false), r->path,
                          "%s: unknown %s \"%s\" (did you mean \"%s\"?)", who,
                          kind_names[t], id, ik_suggest_get(&s));
        else
            ld_report_off(l, IK_SEV_ERROR, IK_ERULES,
                          ik_json_offset(&l->doc, r->node, false), r->path,
                          "%s: unknown %s \"%s\"", who, kind_names[t], id);
    }
    for (k = 0; k < LK__COUNT; k++)
        idset_fini(&sets[k]);
}

/* A flag without its own "act" takes its disposition's, else none. */
static void resolve_acts(ik_rulebook *rb)
{
    uint32_t i;

    for (i = 0; i < rb->nred_flags; i++) {
        ik_red_flag *f = &rb->red_flags[i];
        if (f->act == IK_ACT__COUNT && f->disposition < rb->ndispositions)
            f->act = rb->dispositions[f->disposition].act;
        if (f->act == IK_ACT__COUNT)
            f->act = IK_ACT_NONE;
        f->stop = f->act == IK_ACT_STOP;
    }
}

/* ---- Loading ---- */

static void hash_text(ik_rulebook *rb)
{
    uint64_t h = fnv1a(rb->text, rb->len);

    snprintf(rb->hash, sizeof rb->hash, "%016llx", (unsigned long long)h);
}

static void loader_fini(ik_loader *l)
{
    int k;

    ik_json_doc_fini(&l->doc);
    ik_free(l->conds);
    ik_free(l->refs);
    for (k = 0; k < LK__COUNT; k++)
        ik_free(l->ids[k]);
}

/* Load text (owned: freed on failure) into a new rulebook. */
static ik_status load(ik_loader *l, char *text, size_t len, const char *file,
                      ik_rulebook **out)
{
    ik_rulebook *rb = ik_calloc(1, sizeof *rb);
    ik_error e;
    ik_status st;
    uint32_t *order = NULL;

    *out = NULL;
    if (!rb) {
        ik_free(text);
        ik_strlcpy(l->doc.file, file, sizeof l->doc.file);
        fail_oom(l);
        return IK_ENOMEM;
    }
    ik_arena_init(&rb->arena);
    rb->text = text;
    rb->len = len;
    ik_strlcpy(rb->file, file ? file : "", sizeof rb->file);
    hash_text(rb);
    l->rb = rb;
    ik_error_clear(&e);
    st = ik_json_parse(text, len, file, IK_JSON_POSITIONS, &l->doc, &e);
    if (st != IK_OK) {
        ik_strlcpy(l->doc.file, file ? file : "", sizeof l->doc.file);
        ld_report_lc(l, IK_SEV_ERROR, st, e.line, e.col, "", "%s", e.msg);
    } else {
        walk_top(l, l->doc.root);
        if (!rb->notice.by[IK_AUD_PATIENT])
            rb->notice = rb->disclaimer;
        if (!l->stop && rb->nderived) {
            order = ik_calloc(rb->nderived, sizeof *order);
            if (!order)
                fail_oom(l);
        }
        if (!l->stop)
            compile_all(l, order);
        if (!l->stop)
            resolve_refs(l);
        if (!l->stop)
            resolve_acts(rb);
        if (!l->stop && ik_deps_new(rb, &rb->deps) != IK_OK)
            fail_oom(l);
        if (!l->stop)
            ld_lint(l);
    }
    ik_free(order);
    loader_fini(l);
    if (l->first != IK_OK) {
        ik_rulebook_free(rb);
        return l->first;
    }
    *out = rb;
    return IK_OK;
}

ik_status ik_rulebook_load_text(const char *text, size_t len, const char *file,
                                ik_rulebook **out, ik_error *err)
{
    ik_loader l;
    char *copy;

    memset(&l, 0, sizeof l);
    l.err = err;
    *out = NULL;
    if (len > IK_JSON_MAX_FILE)
        return ik_fail_at(err, IK_ELIMIT, file, 0, 0,
                          "rule pack is larger than %u bytes",
                          (unsigned)IK_JSON_MAX_FILE);
    copy = ik_malloc(len + 1);
    if (!copy)
        return ik_fail_at(err, IK_ENOMEM, file, 0, 0, "out of memory");
    memcpy(copy, text, len);
    copy[len] = '\0';
    return load(&l, copy, len, file ? file : "", out);
}

ik_status ik_rulebook_load_file(const char *path, ik_rulebook **out,
                                ik_error *err)
{
    ik_loader l;
    char *text;
    size_t len;
    ik_status st;

    *out = NULL;
    ik_error_clear(err);
    st = ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len, err);
    if (st != IK_OK)
        return st;
    memset(&l, 0, sizeof l);
    l.err = err;
    return load(&l, text, len, path, out);
}

static int cmp_diag(const void *a, const void *b)
{
    const ik_diag *x = a, *y = b;

    if (x->where.line != y->where.line)
        return x->where.line < y->where.line ? -1 : 1;
    if (x->where.col != y->where.col)
        return x->where.col < y->where.col ? -1 : 1;
    return (x > y) - (x < y); /* keep the order found */
}

/* Check text (owned: freed here) as the pack `path`; see check_load. */
static ik_status check_owned(char *text, size_t len, const char *path,
                             ik_diag_fn fn, void *ctx, ik_rulebook **out)
{
    ik_loader l;
    size_t i;
    ik_status st;
    ik_rulebook *rb = NULL;
    ik_diag d;
    bool any_error = false;

    memset(&d, 0, sizeof d);
    memset(&l, 0, sizeof l);
    l.check = true;
    l.diags = ik_calloc(IK_MAX_DIAGNOSTICS + 1, sizeof *l.diags);
    if (!l.diags) {
        ik_free(text);
        ik_fail_at(&d.where, IK_ENOMEM, path, 0, 0, "out of memory");
        fn(&d, ctx);
        return IK_ENOMEM;
    }
    st = load(&l, text, len, path, &rb);
    /* Stable: equal positions keep the order they were found in. */
    qsort(l.diags, l.ndiags, sizeof *l.diags, cmp_diag);
    for (i = 0; i < l.ndiags; i++) {
        any_error |= l.diags[i].severity == IK_SEV_ERROR;
        if (i < IK_MAX_DIAGNOSTICS)
            fn(&l.diags[i], ctx);
    }
    if (l.ndiags > IK_MAX_DIAGNOSTICS) {
        memset(&d, 0, sizeof d);
        d.severity = any_error ? IK_SEV_ERROR : IK_SEV_WARNING;
        ik_fail_at(&d.where, any_error ? st : IK_ELIMIT, path, 0, 0,
                   "too many errors; stopped after %d", IK_MAX_DIAGNOSTICS);
        fn(&d, ctx);
    }
    ik_free(l.diags);
    if (out)
        *out = rb;
    else
        ik_rulebook_free(rb);
    return st;
}

ik_status ik_rulebook_check_load(const char *path, ik_diag_fn fn, void *ctx,
                                 ik_rulebook **out)
{
    char *text;
    size_t len;
    ik_status st;
    ik_diag d;

    if (out)
        *out = NULL;
    memset(&d, 0, sizeof d);
    st = ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len, &d.where);
    if (st != IK_OK) {
        fn(&d, ctx);
        return st;
    }
    return check_owned(text, len, path, fn, ctx, out);
}

ik_status ik_rulebook_check_text(const char *text, size_t len, const char *file,
                                 ik_diag_fn fn, void *ctx, ik_rulebook **out)
{
    char *copy;
    ik_diag d;

    if (out)
        *out = NULL;
    memset(&d, 0, sizeof d);
    if (len > IK_JSON_MAX_FILE || !(copy = ik_malloc(len + 1))) {
        ik_fail_at(&d.where, len > IK_JSON_MAX_FILE ? IK_ELIMIT : IK_ENOMEM,
                   file, 0, 0, "%s",
                   len > IK_JSON_MAX_FILE ? "rule pack is too large"
                                          : "out of memory");
        fn(&d, ctx);
        return d.where.code;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    return check_owned(copy, len, file, fn, ctx, out);
}

ik_status ik_rulebook_check_file(const char *path, ik_diag_fn fn, void *ctx)
{
    return ik_rulebook_check_load(path, fn, ctx, NULL);
}

void ik_rulebook_free(ik_rulebook *rb)
{
    if (!rb)
        return;
    ik_deps_free(rb->deps);
    ik_logic_free(rb->logic);
    ik_arena_fini(&rb->arena);
    ik_free(rb->text);
    ik_free(rb);
}

/* ---- Reading a loaded rulebook ---- */

const char *ik_rulebook_id(const ik_rulebook *rb)
{
    return rb->id;
}

const char *ik_rulebook_version(const ik_rulebook *rb)
{
    return rb->version;
}

const char *ik_rulebook_title(const ik_rulebook *rb)
{
    return rb->title;
}

const char *ik_text_get(const ik_text *t, ik_audience aud)
{
    int a;

    if ((unsigned)aud < IK_AUD__COUNT && t->by[aud])
        return t->by[aud];
    for (a = 0; a < IK_AUD__COUNT; a++)
        if (t->by[a])
            return t->by[a];
    return "";
}

uint32_t ik_rulebook_find_question(const ik_rulebook *rb, const char *id)
{
    uint32_t slot = rb->logic ? ik_logic_find(rb->logic, id) : IK_NONE;

    if (slot < rb->nquestions && rb->questions[slot].slot == slot)
        return slot;
    return IK_NONE;
}

uint32_t ik_rulebook_find_section(const ik_rulebook *rb, const char *id)
{
    uint32_t i;

    for (i = 0; i < rb->nsections; i++)
        if (strcmp(rb->sections[i].id, id) == 0)
            return i;
    return IK_NONE;
}

uint32_t ik_rulebook_find_disposition(const ik_rulebook *rb, const char *id)
{
    uint32_t i;

    for (i = 0; i < rb->ndispositions; i++)
        if (strcmp(rb->dispositions[i].id, id) == 0)
            return i;
    return IK_NONE;
}

uint32_t ik_rulebook_find_rung(const ik_rulebook *rb, const char *id)
{
    uint32_t i;

    for (i = 0; i < rb->nladder; i++)
        if (strcmp(rb->ladder[i].id, id) == 0)
            return i;
    return IK_NONE;
}
