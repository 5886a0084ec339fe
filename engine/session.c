/*
 * session.c -- the session model: what an interview has accepted so far
 * (history, current answers, position, outcome) and the calls that build
 * and read it. No files (session_file.c), no JSON text (session_json.c),
 * no terminal I/O.
 */
#define _POSIX_C_SOURCE 200809L
#include "session_impl.h"

#include "alloc.h"
#include "error.h"
#include "utf8.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *const ik_session_audience_names[IK_AUD__COUNT] = {"patient",
                                                              "nurse"};

/* ---- Small checks ---- */

/* Valid UTF-8 without NUL bytes: what a strict JSON reader accepts back. */
static bool is_clean_text(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t n;
        if (s[i] == '\0')
            return false;
        n = ik_utf8_decode((const unsigned char *)s + i, len - i, NULL);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

bool ik_session_value_equal(ik_value a, ik_value b)
{
    uint32_t i;

    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case IK_BOOL:
        return a.u.b == b.u.b;
    case IK_NUM:
        return a.u.num == b.u.num;
    case IK_STR:
        return a.len == b.len && memcmp(a.u.str, b.u.str, a.len) == 0;
    case IK_ARR:
        if (a.len != b.len)
            return false;
        for (i = 0; i < a.len; i++)
            if (!ik_session_value_equal(a.u.items[i], b.u.items[i]))
                return false;
        return true;
    default:
        return true;
    }
}

/* Answers hold booleans, finite numbers, clean strings and arrays of
 * clean strings; nothing else round-trips through a session file. */
static bool is_storable(ik_value v, int depth)
{
    uint32_t i;

    switch (v.kind) {
    case IK_NULL:
        return depth == 0;
    case IK_BOOL:
        return true;
    case IK_NUM:
        return isfinite(v.u.num);
    case IK_STR:
        return is_clean_text(v.u.str, v.len);
    case IK_ARR:
        if (depth > 0)
            return false;
        for (i = 0; i < v.len; i++)
            if (v.u.items[i].kind != IK_STR ||
                !is_storable(v.u.items[i], depth + 1))
                return false;
        return true;
    default:
        return false;
    }
}

/* ---- Building a session ---- */

ik_session *ik_session_alloc(void)
{
    ik_session *s = ik_calloc(1, sizeof *s);

    if (s) {
        ik_arena_init(&s->arena);
        s->lock_fd = -1;
    }
    return s;
}

void ik_session_free(ik_session *s)
{
    if (!s)
        return;
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* releases the lock */
    ik_arena_fini(&s->arena);
    ik_free(s->events);
    ik_free(s->answers);
    ik_free(s->saved_last);
    ik_free(s->dropped);
    ik_free(s->outcome);
    ik_free(s);
}

const char *ik_session_strdup(ik_session *s, const char *str)
{
    return ik_arena_strndup(&s->arena, str, strlen(str));
}

/* The pack's file as an absolute path, so export finds it from any
 * folder. */
const char *ik_session_dup_pack_file(ik_session *s, const char *file)
{
    char abs[PATH_MAX];
    size_t n;

    if (file[0] == '/' || !file[0] || !getcwd(abs, sizeof abs))
        return ik_session_strdup(s, file);
    n = strlen(abs);
    if (snprintf(abs + n, sizeof abs - n, "/%s",
                 strncmp(file, "./", 2) == 0 ? file + 2 : file) >=
        (int)(sizeof abs - n))
        return ik_session_strdup(s, file);
    return ik_session_strdup(s, abs);
}

ik_status ik_session_check_label(const char *label, ik_error *err)
{
    size_t n = strlen(label);

    if (n > IK_SESSION_MAX_LABEL)
        return ik_fail(err, IK_EANSWER, "a label can have at most %d bytes",
                       IK_SESSION_MAX_LABEL);
    /* no escape sequences or other control characters, which `intake
     * sessions` and the exports would print as they are */
    if (ik_utf8_find_unsafe(label, n, NULL) != n)
        return ik_fail(err, IK_EANSWER,
                       "a label must be plain text, without control "
                       "characters");
    return IK_OK;
}

ik_status ik_session_new(const ik_rulebook *rb, ik_audience aud,
                         const char *label, int64_t now, ik_session **out,
                         ik_error *err)
{
    ik_session *s;
    ik_status st;

    *out = NULL;
    if ((unsigned)aud >= IK_AUD__COUNT)
        return ik_fail(err, IK_EMISUSE, "unknown audience");
    if (label && label[0] && (st = ik_session_check_label(label, err)) != IK_OK)
        return st;
    s = ik_session_alloc();
    if (!s)
        return ik_fail(err, IK_ENOMEM, "out of memory starting a session");
    s->aud = aud;
    s->started = s->updated = now;
    s->pack_id = ik_session_strdup(s, rb->id ? rb->id : "");
    s->pack_version = ik_session_strdup(s, rb->version ? rb->version : "");
    s->pack_hash = ik_session_strdup(s, rb->hash);
    s->pack_file = ik_session_dup_pack_file(s, rb->file);
    if (label && label[0])
        s->label = ik_session_strdup(s, label);
    if (!s->pack_id || !s->pack_version || !s->pack_hash || !s->pack_file ||
        (label && label[0] && !s->label)) {
        ik_session_free(s);
        return ik_fail(err, IK_ENOMEM, "out of memory starting a session");
    }
    *out = s;
    return IK_OK;
}

bool ik_session_grow(void **arr, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return true;
    ncap = *cap ? *cap * 2 : 16;
    p = ik_realloc(*arr, ncap * size);
    if (!p)
        return false;
    *arr = p;
    *cap = ncap;
    return true;
}

static ik_saved_answer *find_answer(const ik_session *s, const char *q)
{
    size_t i;

    for (i = 0; i < s->nanswers; i++)
        if (strcmp(s->answers[i].question, q) == 0)
            return &s->answers[i];
    return NULL;
}

void ik_session_drop(ik_session *s, const char *question)
{
    ik_saved_answer *a = find_answer(s, question);

    if (!a)
        return;
    memmove(a, a + 1, (size_t)(s->answers + s->nanswers - (a + 1)) * sizeof *a);
    s->nanswers--;
}

/* An event that sets a current answer (answer, skip, acknowledgement). */
bool ik_session_is_answer_event(ik_event_kind kind)
{
    return kind == IK_EV_ANSWER || kind == IK_EV_SKIP || kind == IK_EV_ACK;
}

/* Append to the history without validation (load uses it after its own
 * checks); the current answers are not touched. */
ik_status ik_session_append_event(ik_session *s, ik_event_kind kind,
                                  const char *question, ik_value value,
                                  int64_t at, ik_error *err)
{
    ik_session_event *ev;
    ik_value copy = ik_null();
    const char *q;

    if (!ik_session_grow((void **)&s->events, &s->events_cap, s->nevents,
                         sizeof *s->events))
        return ik_fail(err, IK_ENOMEM, "out of memory recording an answer");
    q = ik_session_strdup(s, question);
    if (!q || (kind != IK_EV_SKIP && kind != IK_EV_ACK && kind != IK_EV_BACK &&
               ik_value_copy(value, &s->arena, &copy) != IK_OK))
        return ik_fail(err, IK_ENOMEM, "out of memory recording an answer");
    ev = &s->events[s->nevents++];
    ev->kind = kind;
    ev->question = q;
    ev->value = copy;
    ev->at = at;
    return IK_OK;
}

/* Append and update the current answers (ik_session_record alone; sync
 * and load set the answers in one pass of their own). */
static ik_status add_event(ik_session *s, ik_event_kind kind,
                           const char *question, ik_value value, int64_t at,
                           ik_error *err)
{
    const ik_session_event *ev;
    ik_saved_answer *a;
    ik_status st;

    if (!ik_session_grow((void **)&s->answers, &s->answers_cap, s->nanswers,
                         sizeof *s->answers))
        return ik_fail(err, IK_ENOMEM, "out of memory recording an answer");
    if ((st = ik_session_append_event(s, kind, question, value, at, err)) !=
        IK_OK)
        return st;
    ev = &s->events[s->nevents - 1];
    if (!ik_session_is_answer_event(kind)) {
        return IK_OK; /* going back, alerts, leaving change no ik_saved_answer
                       */
    } else if ((a = find_answer(s, question)) != NULL) {
        a->value = ev->value;
    } else {
        a = &s->answers[s->nanswers++];
        a->question = ev->question;
        a->value = ev->value;
    }
    return IK_OK;
}

/* The checks of ik_session_record on one event. */
ik_status ik_session_check_event(ik_event_kind kind, const char *question,
                                 ik_value value, ik_error *err)
{
    if ((unsigned)kind >= IK_EV__COUNT || !question ||
        !ik_id_valid(question, false))
        return ik_fail(err, IK_EMISUSE, "not a question id");
    if ((kind == IK_EV_ALERT || kind == IK_EV_ALERT_STOP) &&
        (value.kind != IK_STR || !ik_id_valid(value.u.str, false)))
        return ik_fail(err, IK_EMISUSE, "an alert names no red flag");
    if (kind == IK_EV_LEAVE && (value.kind != IK_ARR || !is_storable(value, 0)))
        return ik_fail(err, IK_EMISUSE, "a leave lists no red flags");
    if (kind == IK_EV_ANSWER && !is_storable(value, 0))
        return ik_fail(err, IK_EANSWER,
                       "the answer to '%s' cannot be saved (it must be "
                       "valid UTF-8 text, a finite number or yes/no)",
                       question);
    return IK_OK;
}

ik_status ik_session_record(ik_session *s, ik_event_kind kind,
                            const char *question, ik_value value, int64_t now,
                            ik_error *err)
{
    ik_status st = ik_session_check_event(kind, question, value, err);

    if (st == IK_OK)
        st = add_event(s, kind, question, value, now, err);
    if (st == IK_OK && now > s->updated)
        s->updated = now;
    return st;
}

ik_status ik_session_set_position(ik_session *s, const char *question,
                                  ik_error *err)
{
    const char *q = NULL;

    if (question) {
        if (!ik_id_valid(question, false))
            return ik_fail(err, IK_EMISUSE, "not a question id");
        if (s->position && strcmp(s->position, question) == 0)
            return IK_OK;
        q = ik_session_strdup(s, question);
        if (!q)
            return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    s->position = q;
    return IK_OK;
}

ik_status ik_session_set_outcome(ik_session *s, const ik_rulebook *rb,
                                 const ik_outcome *o, ik_error *err)
{
    ik_buf b;
    char *text;

    ik_buf_init(&b);
    ik_outcome_write_json(rb, o, s->aud, &b);
    text = ik_buf_status(&b) == IK_OK ? ik_buf_take(&b, NULL) : NULL;
    ik_buf_fini(&b);
    if (!text)
        return ik_fail(err, IK_ENOMEM, "out of memory saving the outcome");
    ik_free(s->outcome);
    s->outcome = text;
    s->position = NULL;
    return IK_OK;
}

void ik_session_clear_outcome(ik_session *s)
{
    ik_free(s->outcome);
    s->outcome = NULL;
}

/* ---- Reading a session ---- */

size_t ik_session_nevents(const ik_session *s)
{
    return s->nevents;
}

const ik_session_event *ik_session_event_at(const ik_session *s, size_t i)
{
    return i < s->nevents ? &s->events[i] : NULL;
}

size_t ik_session_nanswers(const ik_session *s)
{
    return s->nanswers;
}

const char *ik_session_answer_at(const ik_session *s, size_t i, ik_value *value)
{
    if (i >= s->nanswers) {
        *value = ik_undef();
        return NULL;
    }
    *value = s->answers[i].value;
    return s->answers[i].question;
}

ik_value ik_session_find_answer(const ik_session *s, const char *question)
{
    const ik_saved_answer *a = find_answer(s, question);

    return a ? a->value : ik_undef();
}

ik_audience ik_session_get_audience(const ik_session *s)
{
    return s->aud;
}

bool ik_session_matches_pack(const ik_session *s, const ik_rulebook *rb)
{
    return rb->id && rb->version && strcmp(s->pack_id, rb->id) == 0 &&
           strcmp(s->pack_version, rb->version) == 0 &&
           strcmp(s->pack_hash, rb->hash) == 0;
}

const char *ik_session_pack_id(const ik_session *s)
{
    return s->pack_id;
}

const char *ik_session_pack_version(const ik_session *s)
{
    return s->pack_version;
}

const char *ik_session_pack_hash(const ik_session *s)
{
    return s->pack_hash;
}

const char *ik_session_pack_file(const ik_session *s)
{
    return s->pack_file;
}

const char *ik_session_label(const ik_session *s)
{
    return s->label;
}

const char *ik_session_audience(const ik_session *s)
{
    return ik_session_audience_names[s->aud];
}

int64_t ik_session_started(const ik_session *s)
{
    return s->started;
}

int64_t ik_session_updated(const ik_session *s)
{
    return s->updated;
}

bool ik_session_is_complete(const ik_session *s)
{
    return s->outcome != NULL;
}

const char *ik_session_position(const ik_session *s)
{
    return s->position;
}

const char *ik_session_outcome(const ik_session *s)
{
    return s->outcome;
}

const char *ik_session_file(const ik_session *s)
{
    return s->file ? s->file : "";
}
