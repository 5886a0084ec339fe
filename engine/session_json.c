/*
 * session_json.c -- the session file format (intake-session/1): writing a
 * session as JSON text and loading that text back, validated strictly
 * (every key known, the answers matching the history) with FILE:LINE:COL
 * for a damaged file. Text only: no files (session_file.c), no I/O.
 */
#include "session_impl.h"

#include "alloc.h"
#include "error.h"
#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Writing ---- */

static void put_str_or_null(ik_buf *b, const char *s)
{
    if (s)
        ik_buf_put_json_string(b, s, strlen(s));
    else
        ik_buf_puts(b, "null");
}

static void put_time(ik_buf *b, int64_t t)
{
    char tb[21];

    ik_time_format(t, tb);
    ik_buf_printf(b, "\"%s\"", tb);
}

static void write_event(ik_buf *b, const ik_session_event *ev)
{
    ik_buf_puts(b, "    {\"at\": ");
    put_time(b, ev->at);
    ik_buf_puts(b, ", \"question\": ");
    put_str_or_null(b, ev->question);
    if (ev->kind == IK_EV_ANSWER) {
        ik_buf_puts(b, ", \"answer\": ");
        (void)ik_value_write_json(b, ev->value);
    } else if (ev->kind == IK_EV_ALERT || ev->kind == IK_EV_ALERT_STOP) {
        ik_buf_puts(b, ", \"alert\": ");
        (void)ik_value_write_json(b, ev->value);
        ik_buf_puts(b, ev->kind == IK_EV_ALERT ? ", \"went_on\": true"
                                               : ", \"went_on\": false");
    } else if (ev->kind == IK_EV_LEAVE) {
        ik_buf_puts(b, ", \"left\": ");
        (void)ik_value_write_json(b, ev->value);
    } else {
        ik_buf_puts(b, ev->kind == IK_EV_SKIP  ? ", \"skipped\": true"
                       : ev->kind == IK_EV_ACK ? ", \"acknowledged\": true"
                                               : ", \"back\": true");
    }
    ik_buf_putc(b, '}');
}

void ik_session_write_json(const ik_session *s, ik_buf *b)
{
    size_t i;

    ik_buf_puts(b, "{\n  \"format\": \"" IK_SESSION_FORMAT "\",\n");
    ik_buf_puts(b, "  \"pack\": {\"id\": ");
    put_str_or_null(b, s->pack_id);
    ik_buf_puts(b, ", \"version\": ");
    put_str_or_null(b, s->pack_version);
    ik_buf_puts(b, ", \"hash\": ");
    put_str_or_null(b, s->pack_hash);
    ik_buf_puts(b, ", \"file\": ");
    put_str_or_null(b, s->pack_file);
    ik_buf_printf(b, "},\n  \"audience\": \"%s\",\n  \"label\": ",
                  ik_session_audience_names[s->aud]);
    put_str_or_null(b, s->label);
    ik_buf_puts(b, ",\n  \"started\": ");
    put_time(b, s->started);
    ik_buf_puts(b, ",\n  \"updated\": ");
    put_time(b, s->updated);
    ik_buf_puts(b, ",\n  \"complete\": ");
    ik_buf_puts(b, s->outcome ? "true" : "false");
    ik_buf_puts(b, ",\n  \"position\": ");
    put_str_or_null(b, s->position);
    ik_buf_puts(b, ",\n  \"answers\": {");
    for (i = 0; i < s->nanswers; i++) {
        ik_buf_puts(b, i ? ",\n    " : "\n    ");
        put_str_or_null(b, s->answers[i].question);
        ik_buf_puts(b, ": ");
        (void)ik_value_write_json(b, s->answers[i].value);
    }
    ik_buf_puts(b, s->nanswers ? "\n  },\n" : "},\n");
    if (s->replay_from)
        ik_buf_printf(b, "  \"replay_from\": %zu,\n", s->replay_from);
    ik_buf_puts(b, "  \"history\": [");
    for (i = 0; i < s->nevents; i++) {
        ik_buf_puts(b, i ? ",\n" : "\n");
        write_event(b, &s->events[i]);
    }
    ik_buf_puts(b,
                s->nevents ? "\n  ],\n  \"outcome\": " : "],\n  \"outcome\": ");
    ik_buf_puts(b, s->outcome ? s->outcome : "null");
    ik_buf_puts(b, "\n}\n");
}

/* ---- Loading ---- */

typedef struct loader {
    const ik_json_doc *doc;
    ik_session *s;
    ik_error *err;
    size_t pos_off, pos_bol; /* last position found, its line's start */
    int pos_line;
} loader;

/* Line and column of node (its key when want_key). Lines are counted on
 * from the last position asked (entries come in file order), so the
 * positions of a whole history cost one pass over the text. */
static void where(loader *ld, const cJSON *node, bool want_key, int *line,
                  int *col)
{
    size_t off = ik_json_offset(ld->doc, node, want_key), i;
    const char *t = ld->doc->text;
    int l;

    *line = *col = 0;
    if (off == SIZE_MAX || off > ld->doc->len)
        return;
    if (off < ld->pos_off || ld->pos_line == 0) {
        ld->pos_off = ld->pos_bol = 0;
        ld->pos_line = 1;
    }
    for (i = ld->pos_off; i < off; i++)
        if (t[i] == '\n') {
            ld->pos_line++;
            ld->pos_bol = i + 1;
        }
    ld->pos_off = off;
    ik_json_linecol(t + ld->pos_bol, off - ld->pos_bol, off - ld->pos_bol, &l,
                    col);
    *line = ld->pos_line;
}

/* Append a loaded history entry with its position. */
static ik_status load_append(loader *ld, const cJSON *e, ik_event_kind kind,
                             const char *q, ik_value v, int64_t at)
{
    ik_session *s = ld->s;
    ik_status st = ik_session_append_event(s, kind, q, v, at, ld->err);

    if (st == IK_OK)
        where(ld, e, false, &s->events[s->nevents - 1].line,
              &s->events[s->nevents - 1].col);
    return st;
}

#define BAD(ld, node, key, ...)                                                \
    ik_json_fail((ld)->doc, (node), (key), (ld)->err, IK_ESESSION, __VA_ARGS__)

static ik_status get_string(loader *ld, const cJSON *obj, const char *key,
                            bool nullable, const char **out)
{
    const cJSON *n = ik_json_get(obj, key);

    *out = NULL;
    if (!n)
        return BAD(ld, obj, false, "missing \"%s\"", key);
    if (nullable && cJSON_IsNull(n))
        return IK_OK;
    if (!cJSON_IsString(n))
        return BAD(ld, n, false, "\"%s\" must be a string%s", key,
                   nullable ? " or null" : "");
    *out = ik_session_strdup(ld->s, n->valuestring);
    if (!*out)
        return ik_fail(ld->err, IK_ENOMEM, "out of memory loading a session");
    return IK_OK;
}

static ik_status get_time(loader *ld, const cJSON *obj, const char *key,
                          int64_t *t)
{
    const cJSON *n = ik_json_get(obj, key);

    if (!n)
        return BAD(ld, obj, false, "missing \"%s\"", key);
    if (!cJSON_IsString(n) || !ik_time_parse(n->valuestring, t))
        return BAD(ld, n, false,
                   "\"%s\" must be a UTC time like \"2026-11-28T14:12:05Z\"",
                   key);
    return IK_OK;
}

static ik_status check_keys(loader *ld, const cJSON *obj,
                            const char *const *keys)
{
    const cJSON *m;
    size_t i;

    for (m = obj->child; m; m = m->next) {
        for (i = 0; keys[i]; i++)
            if (strcmp(m->string, keys[i]) == 0)
                break;
        if (!keys[i])
            return BAD(ld, m, true, "unknown key \"%s\"", m->string);
    }
    return IK_OK;
}

static ik_status load_value(loader *ld, const cJSON *n, bool allow_null,
                            ik_value *out)
{
    ik_value *items;
    const cJSON *it;
    uint32_t i = 0, len;

    if (allow_null && cJSON_IsNull(n)) {
        *out = ik_null();
    } else if (cJSON_IsBool(n)) {
        *out = ik_bool(cJSON_IsTrue(n));
    } else if (cJSON_IsNumber(n)) {
        *out = ik_num(n->valuedouble);
    } else if (cJSON_IsString(n)) {
        len = (uint32_t)strlen(n->valuestring);
        *out = ik_str(n->valuestring, len);
    } else if (cJSON_IsArray(n)) {
        len = (uint32_t)cJSON_GetArraySize(n);
        items = ik_arena_alloc(&ld->s->arena, sizeof *items * (len + 1));
        if (!items)
            return ik_fail(ld->err, IK_ENOMEM, "out of memory");
        for (it = n->child; it; it = it->next, i++) {
            if (!cJSON_IsString(it))
                return BAD(ld, it, false,
                           "an answer list may hold only strings");
            items[i] =
                ik_str(it->valuestring, (uint32_t)strlen(it->valuestring));
        }
        out->kind = IK_ARR;
        out->len = len;
        out->u.items = items;
    } else {
        return BAD(ld, n, false,
                   "an answer must be true, false, a number, a string or "
                   "a list of strings");
    }
    return IK_OK;
}

static ik_status load_pack(loader *ld, const cJSON *root)
{
    static const char *const keys[] = {"id", "version", "hash", "file", NULL};
    const cJSON *p = ik_json_get(root, "pack");
    ik_session *s = ld->s;
    ik_status st;
    size_t i;

    if (!p)
        return BAD(ld, root, false, "missing \"pack\"");
    if (!cJSON_IsObject(p))
        return BAD(ld, p, false, "\"pack\" must be an object");
    if ((st = check_keys(ld, p, keys)) != IK_OK ||
        (st = get_string(ld, p, "id", false, &s->pack_id)) != IK_OK ||
        (st = get_string(ld, p, "version", false, &s->pack_version)) != IK_OK ||
        (st = get_string(ld, p, "hash", false, &s->pack_hash)) != IK_OK ||
        (st = get_string(ld, p, "file", false, &s->pack_file)) != IK_OK)
        return st;
    for (i = 0; s->pack_hash[i]; i++)
        if (!strchr("0123456789abcdef", s->pack_hash[i]))
            break;
    if (i != 16 || s->pack_hash[i])
        return BAD(ld, ik_json_get(p, "hash"), false,
                   "\"hash\" must be 16 lower-case hex digits");
    if (!s->pack_id[0])
        return BAD(ld, ik_json_get(p, "id"), false, "\"id\" is empty");
    return IK_OK;
}

/* The alert and left members of a history entry: kind and value. */
static ik_status load_alert_event(loader *ld, const cJSON *e,
                                  const cJSON *alert, const cJSON *left,
                                  ik_event_kind *kind, ik_value *v)
{
    const cJSON *on = ik_json_get(e, "went_on"), *c;
    ik_status st;

    if (alert) {
        if (!cJSON_IsString(alert) || !ik_id_valid(alert->valuestring, false))
            return BAD(ld, alert, false, "\"alert\" must be a red flag id");
        if (!on || !cJSON_IsBool(on))
            return BAD(ld, on ? on : e, false,
                       "an alert entry needs \"went_on\": true or false");
        *kind = cJSON_IsTrue(on) ? IK_EV_ALERT : IK_EV_ALERT_STOP;
        return load_value(ld, alert, false, v);
    }
    if (on)
        return BAD(ld, on, false, "\"went_on\" belongs to an alert entry");
    if (!cJSON_IsArray(left))
        return BAD(ld, left, false,
                   "\"left\" must be an array of red flag ids");
    for (c = left->child; c; c = c->next)
        if (!cJSON_IsString(c) || !ik_id_valid(c->valuestring, false))
            return BAD(ld, c, false,
                       "\"left\" must be an array of red flag ids");
    *kind = IK_EV_LEAVE;
    if ((st = load_value(ld, left, false, v)) != IK_OK)
        return st;
    return IK_OK;
}

static ik_status load_event(loader *ld, const cJSON *e)
{
    static const char *const keys[] = {
        "at",           "question", "answer",  "skipped", "back",
        "acknowledged", "alert",    "went_on", "left",    NULL};
    const cJSON *ans, *skip, *ack, *back, *alert, *left;
    const char *q;
    int64_t at;
    ik_value v = ik_undef();
    ik_event_kind kind = IK_EV_BACK;
    ik_status st;

    if (!cJSON_IsObject(e))
        return BAD(ld, e, false, "a history entry must be an object");
    if ((st = check_keys(ld, e, keys)) != IK_OK ||
        (st = get_time(ld, e, "at", &at)) != IK_OK ||
        (st = get_string(ld, e, "question", false, &q)) != IK_OK)
        return st;
    if (!ik_id_valid(q, false))
        return BAD(ld, ik_json_get(e, "question"), false,
                   "\"%s\" is not a question id", q);
    ans = ik_json_get(e, "answer");
    skip = ik_json_get(e, "skipped");
    ack = ik_json_get(e, "acknowledged");
    back = ik_json_get(e, "back");
    alert = ik_json_get(e, "alert");
    left = ik_json_get(e, "left");
    if ((ans != NULL) + (skip != NULL) + (ack != NULL) + (back != NULL) +
            (alert != NULL) + (left != NULL) !=
        1)
        return BAD(ld, e, false,
                   "a history entry needs exactly one of \"answer\", "
                   "\"skipped\", \"acknowledged\", \"back\", \"alert\" or "
                   "\"left\"");
    if (alert || left) {
        if ((st = load_alert_event(ld, e, alert, left, &kind, &v)) != IK_OK)
            return st;
        return load_append(ld, e, kind, q, v, at);
    }
    if (ik_json_get(e, "went_on"))
        return BAD(ld, ik_json_get(e, "went_on"), false,
                   "\"went_on\" belongs to an alert entry");
    if ((skip && !cJSON_IsTrue(skip)) || (ack && !cJSON_IsTrue(ack)) ||
        (back && !cJSON_IsTrue(back)))
        return BAD(ld, skip ? skip : ack ? ack : back, false, "must be true");
    kind = ans    ? IK_EV_ANSWER
           : skip ? IK_EV_SKIP
           : ack  ? IK_EV_ACK
                  : IK_EV_BACK;
    v = ik_null();
    if (ans && (st = load_value(ld, ans, false, &v)) != IK_OK)
        return st;
    return load_append(ld, e, kind, q, v, at);
}

static ik_status load_history(loader *ld, const cJSON *root)
{
    const cJSON *h = ik_json_get(root, "history"), *e;
    ik_status st;

    if (!h)
        return BAD(ld, root, false, "missing \"history\"");
    if (!cJSON_IsArray(h))
        return BAD(ld, h, false, "\"history\" must be an array");
    for (e = h->child; e; e = e->next)
        if ((st = load_event(ld, e)) != IK_OK)
            return st;
    return IK_OK;
}

/* Answer events by question id, in history order within an id (events
 * are one array, so their addresses are that order). */
static int by_question(const void *pa, const void *pb)
{
    const ik_session_event *a = *(const ik_session_event *const *)pa;
    const ik_session_event *b = *(const ik_session_event *const *)pb;
    int c = strcmp(a->question, b->question);

    return c ? c : (a > b) - (a < b);
}

/* The last event of idx[0..n) (sorted by by_question) for id, or NULL. */
static const ik_session_event *last_for(const ik_session_event **idx, size_t n,
                                        const char *id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(idx[mid]->question, id) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && strcmp(idx[lo - 1]->question, id) == 0 ? idx[lo - 1]
                                                            : NULL;
}

/* Each current answer must be what the history last recorded for its
 * question; the history may hold more (answers to questions that no
 * longer apply). The answers object, in its order, becomes the current
 * answers. Sorting the history by id makes this O(n log n). */
static ik_status check_answers(loader *ld, const cJSON *root)
{
    const cJSON *a = ik_json_get(root, "answers"), *m;
    ik_session *s = ld->s;
    const ik_session_event **idx;
    size_t n = 0, k = 0, i, cap;
    ik_status st = IK_OK;

    if (!a)
        return BAD(ld, root, false, "missing \"answers\"");
    if (!cJSON_IsObject(a))
        return BAD(ld, a, false, "\"answers\" must be an object");
    cap = (size_t)cJSON_GetArraySize(a);
    idx = ik_malloc((s->nevents ? s->nevents : 1) * sizeof *idx);
    s->answers = ik_malloc((cap ? cap : 1) * sizeof *s->answers);
    if (!idx || !s->answers) {
        ik_free(idx);
        return ik_fail(ld->err, IK_ENOMEM, "out of memory loading a session");
    }
    s->answers_cap = cap ? cap : 1;
    for (i = 0; i < s->nevents; i++)
        if (ik_session_is_answer_event(s->events[i].kind))
            idx[k++] = &s->events[i];
    qsort(idx, k, sizeof *idx, by_question);
    for (m = a->child; m && st == IK_OK; m = m->next) {
        const ik_session_event *e;
        ik_value v;
        if ((st = load_value(ld, m, true, &v)) != IK_OK)
            break;
        e = last_for(idx, k, m->string);
        if (!e || !ik_session_value_equal(e->value, v)) {
            st = BAD(ld, m, true, "answer \"%s\" does not match the history",
                     m->string);
            break;
        }
        s->answers[n].question = e->question;
        s->answers[n].value = e->value;
        where(ld, m, true, &s->answers[n].line, &s->answers[n].col);
        n++;
    }
    ik_free(idx);
    s->nanswers = n;
    return st;
}

static ik_status load_state(loader *ld, const cJSON *root)
{
    const cJSON *c = ik_json_get(root, "complete");
    const cJSON *o = ik_json_get(root, "outcome");
    const cJSON *pos = ik_json_get(root, "position");
    ik_session *s = ld->s;
    ik_status st;

    if (!c || !cJSON_IsBool(c))
        return BAD(ld, c ? c : root, false,
                   "\"complete\" must be true or "
                   "false");
    if (!o)
        return BAD(ld, root, false, "missing \"outcome\"");
    if (cJSON_IsTrue(c) != cJSON_IsObject(o))
        return BAD(ld, o, false,
                   cJSON_IsTrue(c) ? "a complete session needs an outcome "
                                     "object"
                                   : "an incomplete session has a null "
                                     "outcome");
    if (!cJSON_IsObject(o) && !cJSON_IsNull(o))
        return BAD(ld, o, false, "\"outcome\" must be an object or null");
    if ((st = get_string(ld, root, "position", true, &s->position)) != IK_OK)
        return st;
    if (s->position && (!ik_id_valid(s->position, false) || cJSON_IsTrue(c)))
        return BAD(ld, pos, false,
                   cJSON_IsTrue(c) ? "a complete session has no position"
                                   : "\"position\" is not a question id");
    if (cJSON_IsObject(o)) {
        char *text = cJSON_PrintUnformatted(o);
        if (!text)
            return ik_fail(ld->err, IK_ENOMEM, "out of memory");
        s->outcome = ik_strdup(text);
        cJSON_free(text);
        if (!s->outcome)
            return ik_fail(ld->err, IK_ENOMEM, "out of memory");
    }
    return IK_OK;
}

static ik_status load_meta(loader *ld, const cJSON *root)
{
    ik_session *s = ld->s;
    const char *aud;
    ik_status st;
    int i;

    if ((st = load_pack(ld, root)) != IK_OK ||
        (st = get_string(ld, root, "audience", false, &aud)) != IK_OK)
        return st;
    for (i = 0; i < IK_AUD__COUNT; i++)
        if (strcmp(aud, ik_session_audience_names[i]) == 0)
            break;
    if (i == IK_AUD__COUNT)
        return BAD(ld, ik_json_get(root, "audience"), false,
                   "\"audience\" must be \"patient\" or \"nurse\"");
    s->aud = (ik_audience)i;
    if ((st = get_string(ld, root, "label", true, &s->label)) != IK_OK)
        return st;
    if (s->label && ik_session_check_label(s->label, NULL) != IK_OK)
        return BAD(ld, ik_json_get(root, "label"), false,
                   "\"label\" is too long, not UTF-8 or holds control "
                   "characters");
    if ((st = get_time(ld, root, "started", &s->started)) != IK_OK ||
        (st = get_time(ld, root, "updated", &s->updated)) != IK_OK)
        return st;
    return IK_OK;
}

/* "replay_from": the history entry the current pack's replay starts at
 * (optional; the entries before it were made with an older pack). */
static ik_status load_replay_from(loader *ld, const cJSON *root)
{
    const cJSON *n = ik_json_get(root, "replay_from");

    if (!n)
        return IK_OK;
    if (!cJSON_IsNumber(n) || n->valuedouble < 0 ||
        n->valuedouble > (double)ld->s->nevents ||
        n->valuedouble != (double)(size_t)n->valuedouble)
        return BAD(ld, n, false,
                   "\"replay_from\" must be a history entry's index");
    ld->s->replay_from = (size_t)n->valuedouble;
    return IK_OK;
}

static ik_status load_root(loader *ld, const cJSON *root)
{
    static const char *const keys[] = {
        "format",  "pack",        "audience", "label",   "started",
        "updated", "complete",    "position", "answers", "history",
        "outcome", "replay_from", NULL};
    const cJSON *fmt;
    ik_status st;

    if (!cJSON_IsObject(root))
        return BAD(ld, root, false,
                   "not an intake session file (expected "
                   "a JSON object)");
    fmt = ik_json_get(root, "format");
    if (!fmt || !cJSON_IsString(fmt) ||
        strcmp(fmt->valuestring, IK_SESSION_FORMAT) != 0)
        return BAD(ld, fmt ? fmt : root, false,
                   "not an intake session file (\"format\" must be \"%s\")",
                   IK_SESSION_FORMAT);
    if ((st = check_keys(ld, root, keys)) != IK_OK ||
        (st = load_meta(ld, root)) != IK_OK ||
        (st = load_history(ld, root)) != IK_OK ||
        (st = load_replay_from(ld, root)) != IK_OK ||
        (st = check_answers(ld, root)) != IK_OK ||
        (st = load_state(ld, root)) != IK_OK)
        return st;
    return IK_OK;
}

ik_status ik_session_load_text(const char *text, size_t len, const char *file,
                               ik_session **out, ik_error *err)
{
    ik_json_doc doc;
    loader ld;
    ik_status st;

    *out = NULL;
    st = ik_json_parse(text, len, file, IK_JSON_POSITIONS, &doc, err);
    if (st != IK_OK) {
        if (st != IK_ENOMEM && err) {
            /* a file cut short or scribbled on is a damaged session */
            char msg[sizeof err->msg];
            ik_strlcpy(msg, err->msg, sizeof msg);
            snprintf(err->msg, sizeof err->msg, "damaged session file: %.200s",
                     msg);
            err->code = IK_ESESSION;
        }
        return st == IK_ENOMEM ? st : IK_ESESSION;
    }
    ld.doc = &doc;
    ld.err = err;
    ld.s = ik_session_alloc();
    if (!ld.s) {
        ik_json_doc_fini(&doc);
        return ik_fail(err, IK_ENOMEM, "out of memory loading a session");
    }
    ld.pos_off = ld.pos_bol = 0;
    ld.pos_line = 0;
    ld.s->file = ik_session_strdup(ld.s, file ? file : "");
    st = ld.s->file
             ? load_root(&ld, doc.root)
             : ik_fail(err, IK_ENOMEM, "out of memory loading a session");
    ik_json_doc_fini(&doc);
    if (st != IK_OK) {
        ik_session_free(ld.s);
        return st;
    }
    *out = ld.s;
    return IK_OK;
}
