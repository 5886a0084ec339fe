/*
 * session.c -- the session file: what an interview has accepted so far,
 * saved atomically after every answer and validated strictly on load.
 * Files only (never the terminal); never follows a symbolic link at the
 * session path and never replaces a file it did not load or write itself.
 */
#define _POSIX_C_SOURCE 200809L
#include "session.h"

#include "alloc.h"
#include "answer.h"
#include "error.h"
#include "interview.h"
#include "json.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#ifndef S_ISVTX /* XSI; the sticky bit of a folder like /tmp */
#define S_ISVTX 01000
#endif

typedef struct answer {
    const char *question;
    ik_value value;
    int line, col; /* of a loaded answer in its file; else 0 */
} answer;

struct ik_session {
    ik_arena arena; /* strings and values; dies with the session */
    const char *pack_id, *pack_version, *pack_hash, *pack_file;
    ik_audience aud;
    const char *label; /* NULL when none */
    int64_t started, updated;
    const char *position; /* NULL when none */
    char *outcome;        /* compact JSON object (ik_malloc), or NULL */
    ik_session_event *events;
    size_t nevents, events_cap;
    answer *answers;
    size_t nanswers, answers_cap;
    size_t iv_taken;     /* events of the attached interview copied in */
    size_t saved_events; /* events from before ik_session_restore */
    size_t *saved_last;  /* by the restored pack's question: index + 1 of
                            its last saved answer event (0: none) */
    uint32_t saved_nq;   /* questions saved_last covers */
    size_t replay_from;  /* history entries before it are of an older pack */
    const char *file;    /* loaded from ("" when none) */
    ik_session_left_out *dropped; /* left out by the last restore */
    size_t ndropped;
    bool has_file; /* dev/ino name the file this session loaded or wrote */
    dev_t dev;
    ino_t ino;
    int lock_fd; /* open on that file with flock(LOCK_EX) held, or -1 */
};

static const char *const audience_names[IK_AUD__COUNT] = {"patient", "nurse"};

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

static bool value_equal(ik_value a, ik_value b)
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
            if (!value_equal(a.u.items[i], b.u.items[i]))
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

/* ---- Times ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void ik_time_format(int64_t t, char *buf)
{
    int64_t days = t / 86400, secs = t % 86400, z, era, y;
    unsigned doe, yoe, doy, mp, d, m;
    char tmp[64];

    if (secs < 0)
        secs += 86400, days--;
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = (int64_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999)
        y = 0, m = 1, d = 1, secs = 0;
    snprintf(tmp, sizeof tmp, "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m, d,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    memcpy(buf, tmp, 21); /* always 20 characters and a NUL */
}

static bool digits(const char *s, int n, unsigned *out)
{
    int i;

    *out = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *out = *out * 10 + (unsigned)(s[i] - '0');
    }
    return true;
}

bool ik_time_parse(const char *s, int64_t *t)
{
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
    unsigned y, mo, d, h, mi, se;
    bool leap;

    if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return false;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
        !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
        !digits(s + 17, 2, &se))
        return false;
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
        (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || se > 59)
        return false;
    *t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

/* ---- Building a session ---- */

static ik_session *session_alloc(void)
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

static const char *dup_str(ik_session *s, const char *str)
{
    return ik_arena_strndup(&s->arena, str, strlen(str));
}

/* The pack's file as an absolute path, so export finds it from any
 * folder. */
static const char *dup_pack_file(ik_session *s, const char *file)
{
    char abs[PATH_MAX];
    size_t n;

    if (file[0] == '/' || !file[0] || !getcwd(abs, sizeof abs))
        return dup_str(s, file);
    n = strlen(abs);
    if (snprintf(abs + n, sizeof abs - n, "/%s",
                 strncmp(file, "./", 2) == 0 ? file + 2 : file) >=
        (int)(sizeof abs - n))
        return dup_str(s, file);
    return dup_str(s, abs);
}

static ik_status check_label(const char *label, ik_error *err)
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
    if (label && label[0] && (st = check_label(label, err)) != IK_OK)
        return st;
    s = session_alloc();
    if (!s)
        return ik_fail(err, IK_ENOMEM, "out of memory starting a session");
    s->aud = aud;
    s->started = s->updated = now;
    s->pack_id = dup_str(s, rb->id ? rb->id : "");
    s->pack_version = dup_str(s, rb->version ? rb->version : "");
    s->pack_hash = dup_str(s, rb->hash);
    s->pack_file = dup_pack_file(s, rb->file);
    if (label && label[0])
        s->label = dup_str(s, label);
    if (!s->pack_id || !s->pack_version || !s->pack_hash || !s->pack_file ||
        (label && label[0] && !s->label)) {
        ik_session_free(s);
        return ik_fail(err, IK_ENOMEM, "out of memory starting a session");
    }
    *out = s;
    return IK_OK;
}

static bool grow_array(void **arr, size_t *cap, size_t n, size_t size)
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

static answer *find_answer(const ik_session *s, const char *q)
{
    size_t i;

    for (i = 0; i < s->nanswers; i++)
        if (strcmp(s->answers[i].question, q) == 0)
            return &s->answers[i];
    return NULL;
}

void ik_session_drop(ik_session *s, const char *question)
{
    answer *a = find_answer(s, question);

    if (!a)
        return;
    memmove(a, a + 1, (size_t)(s->answers + s->nanswers - (a + 1)) * sizeof *a);
    s->nanswers--;
}

/* An event that sets a current answer (answer, skip, acknowledgement). */
static bool is_answer_event(ik_event_kind kind)
{
    return kind == IK_EV_ANSWER || kind == IK_EV_SKIP || kind == IK_EV_ACK;
}

/* Append to the history without validation (load uses it after its own
 * checks); the current answers are not touched. */
static ik_status append_event(ik_session *s, ik_event_kind kind,
                              const char *question, ik_value value, int64_t at,
                              ik_error *err)
{
    ik_session_event *ev;
    ik_value copy = ik_null();
    const char *q;

    if (!grow_array((void **)&s->events, &s->events_cap, s->nevents,
                    sizeof *s->events))
        return ik_fail(err, IK_ENOMEM, "out of memory recording an answer");
    q = dup_str(s, question);
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
    answer *a;
    ik_status st;

    if (!grow_array((void **)&s->answers, &s->answers_cap, s->nanswers,
                    sizeof *s->answers))
        return ik_fail(err, IK_ENOMEM, "out of memory recording an answer");
    if ((st = append_event(s, kind, question, value, at, err)) != IK_OK)
        return st;
    ev = &s->events[s->nevents - 1];
    if (!is_answer_event(kind)) {
        return IK_OK; /* going back, alerts, leaving change no answer */
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
static ik_status check_event(ik_event_kind kind, const char *question,
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
    ik_status st = check_event(kind, question, value, err);

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
        q = dup_str(s, question);
        if (!q)
            return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    s->position = q;
    return IK_OK;
}

ik_status ik_session_set_outcome(ik_session *s, const char *json, size_t len,
                                 ik_error *err)
{
    ik_json_doc doc;
    ik_status st;
    char *copy = ik_malloc(len + 1);

    if (!copy)
        return ik_fail(err, IK_ENOMEM, "out of memory saving the outcome");
    memcpy(copy, json, len);
    copy[len] = '\0';
    st = ik_json_parse(copy, len, "outcome", 0, &doc, err);
    if (st == IK_OK && !cJSON_IsObject(doc.root))
        st = ik_fail(err, IK_ESESSION, "the outcome must be a JSON object");
    else if (st != IK_OK && st != IK_ENOMEM)
        st = ik_fail(err, IK_ESESSION, "the outcome is not valid JSON");
    ik_json_doc_fini(&doc);
    if (st != IK_OK) {
        ik_free(copy);
        return st;
    }
    ik_free(s->outcome);
    s->outcome = copy;
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
    const answer *a = find_answer(s, question);

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
    return audience_names[s->aud];
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

/* ---- With an interview ---- */

/* Replace the current answers with those of iv that count: questions that
 * apply and have an answer (null when skipped), in pack order. Values
 * that did not change keep their copies, so the arena grows only with
 * new answers. */
static ik_status take_answers(ik_session *s, const ik_interview *iv,
                              ik_error *err)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    const ik_value *vals = ik_interview_answers(iv);
    /* kept up to date at every step; the whole outcome would cost O(pack) */
    const bool *enabled = ik_interview_applied(iv)->enabled;
    answer *next = ik_calloc(rb->nquestions ? rb->nquestions : 1, sizeof *next);
    /* where each question's answer is now (index + 1; 0: none), by the
     * pack's id table: one pass, not a search per question */
    size_t *was = ik_calloc(rb->nquestions ? rb->nquestions : 1, sizeof *was);
    size_t n = 0, i;
    uint32_t q;

    if (!next || !was) {
        ik_free(next);
        ik_free(was);
        return ik_fail(err, IK_ENOMEM, "out of memory saving answers");
    }
    for (i = 0; i < s->nanswers; i++)
        if ((q = ik_rulebook_find_question(rb, s->answers[i].question)) !=
            IK_NONE)
            was[q] = i + 1;
    for (q = 0; q < rb->nquestions; q++) {
        const answer *old;
        if (!enabled[q] || vals[q].kind == IK_UNDEF)
            continue;
        old = was[q] ? &s->answers[was[q] - 1] : NULL;
        if (old && value_equal(old->value, vals[q])) {
            next[n++] = *old;
            continue;
        }
        next[n].question = dup_str(s, rb->questions[q].id);
        if (!next[n].question ||
            ik_value_copy(vals[q], &s->arena, &next[n].value) != IK_OK) {
            ik_free(next);
            ik_free(was);
            return ik_fail(err, IK_ENOMEM, "out of memory saving answers");
        }
        n++;
    }
    ik_free(was);
    ik_free(s->answers);
    s->answers = next;
    s->nanswers = n;
    s->answers_cap = rb->nquestions ? rb->nquestions : 1;
    return IK_OK;
}

static ik_status take_step(ik_session *s, const ik_interview *iv, ik_error *err)
{
    ik_step step;
    char *json = NULL;
    ik_status st;

    ik_interview_next(iv, &step);
    if (step.kind == IK_STEP_QUESTION) {
        ik_session_clear_outcome(s);
        return ik_session_set_position(s, step.id, err);
    }
    if ((st = ik_interview_outcome_json(iv, &json, err)) != IK_OK)
        return st;
    st = ik_session_set_outcome(s, json, strlen(json), err);
    ik_interview_free_string(json);
    return st;
}

ik_status ik_session_sync(ik_session *s, const ik_interview *iv, int64_t now,
                          ik_error *err)
{
    size_t n = ik_interview_nevents(iv);
    ik_status st;

    if (n < s->iv_taken)
        return ik_fail(err, IK_EMISUSE,
                       "the interview has fewer events than the session");
    for (; s->iv_taken < n; s->iv_taken++) {
        ik_event ev = ik_interview_event(iv, s->iv_taken);
        const char *id = ik_interview_question_id(iv, ev.question);
        if (!id)
            return ik_fail(err, IK_EMISUSE, "an event names no question");
        ik_value v = ev.kind == IK_EV_ANSWER || !is_answer_event(ev.kind)
                         ? ev.value
                         : ik_null();
        /* the history only: take_answers sets the answers below */
        if ((st = check_event(ev.kind, id, v, err)) != IK_OK ||
            (st = append_event(s, ev.kind, id, v, now, err)) != IK_OK)
            return st;
    }
    if ((st = take_answers(s, iv, err)) != IK_OK)
        return st;
    if (now > s->updated)
        s->updated = now;
    return take_step(s, iv, err);
}

/* The history says something the pack it was saved with does not: a
 * damaged file, reported at the entry. */
static ik_status damaged_at(const ik_session *s, const ik_session_event *e,
                            ik_error *err, const char *what)
{
    return ik_fail_at(err, IK_ESESSION, s->file, e->line, e->col,
                      "damaged session file: %s", what);
}

/* Replay the history from replay_from; any event that does not apply
 * fails it (IK_ESESSION at the entry). */
static ik_status replay(const ik_session *s, ik_interview *iv, ik_error *err)
{
    size_t i;
    ik_status st;
    ik_error why;
    char msg[256];

    for (i = s->replay_from; i < s->nevents; i++) {
        const ik_session_event *e = &s->events[i];
        ik_event ev;
        ev.kind = e->kind;
        ev.question = ik_interview_find_question(iv, e->question);
        ev.value = e->value;
        if (ev.question == IK_STEP_NONE && e->kind != IK_EV_BACK) {
            snprintf(msg, sizeof msg,
                     "the pack it was saved with has no question '%s'",
                     e->question);
            return damaged_at(s, e, err, msg);
        }
        ik_error_clear(&why);
        if ((st = ik_interview_apply(iv, &ev, &why)) != IK_OK) {
            if (st == IK_ENOMEM)
                return ik_fail(err, st, "%s", why.msg);
            snprintf(msg, sizeof msg,
                     "the entry for '%s' does not fit the pack it was saved "
                     "with: %.150s",
                     e->question, why.msg);
            return damaged_at(s, e, err, msg);
        }
    }
    return IK_OK;
}

/* After an exact replay: the history must lead where the file says. */
static ik_status check_position(const ik_session *s, const ik_interview *iv,
                                ik_error *err)
{
    ik_step step;

    ik_interview_next(iv, &step);
    if (!s->outcome && !s->position)
        return IK_OK; /* not started: nothing saved to lead to */
    if ((step.kind == IK_STEP_OUTCOME) != (s->outcome != NULL))
        return ik_fail_at(err, IK_ESESSION, s->file, 0, 0,
                          "damaged session file: it says it is %s, but its "
                          "answers %s",
                          s->outcome ? "complete" : "not complete",
                          s->outcome ? "leave questions still to ask"
                                     : "reach the outcome");
    if (step.kind == IK_STEP_QUESTION && strcmp(s->position, step.id) != 0)
        return ik_fail_at(err, IK_ESESSION, s->file, 0, 0,
                          "damaged session file: its answers lead to '%s', "
                          "not to the saved position '%s'",
                          step.id, s->position ? s->position : "(none)");
    return IK_OK;
}

/* The last answer, skip or acknowledgement saved for a question before
 * the resume, or NULL. */
static const ik_session_event *saved_for(const ik_session *s, uint32_t q)
{
    return q < s->saved_nq && s->saved_last[q]
               ? &s->events[s->saved_last[q] - 1]
               : NULL;
}

/* Mark the history so far as saved before the resume and index each
 * question's last saved answer by the pack's id table (one pass; a search
 * of the history per question asked would be quadratic). */
static ik_status mark_saved(ik_session *s, const ik_rulebook *rb,
                            ik_error *err)
{
    size_t i;
    uint32_t q;

    ik_free(s->saved_last);
    s->saved_nq = 0;
    s->saved_last = ik_calloc(rb->nquestions ? rb->nquestions : 1,
                              sizeof *s->saved_last);
    if (!s->saved_last)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    s->saved_nq = rb->nquestions;
    s->saved_events = s->nevents;
    for (i = 0; i < s->nevents; i++)
        if (is_answer_event(s->events[i].kind) &&
            (q = ik_rulebook_find_question(rb, s->events[i].question)) !=
                IK_NONE)
            s->saved_last[q] = i + 1;
    return IK_OK;
}

ik_status ik_session_fill(const ik_session *s, ik_interview *iv,
                          ik_session_resume *info, ik_error *err)
{
    for (;;) {
        const ik_session_event *e;
        ik_step step;
        ik_event ev;
        ik_error why;
        ik_status st;

        ik_interview_next(iv, &step);
        if (step.kind != IK_STEP_QUESTION || step.has_earlier ||
            ik_interview_answers(iv)[step.question].kind != IK_UNDEF)
            return IK_OK;
        e = saved_for(s, step.question);
        if (!e)
            return IK_OK;
        ev.kind = e->kind;
        ev.question = step.question;
        ev.value = e->value;
        ik_error_clear(&why);
        st = ik_interview_apply(iv, &ev, &why);
        if (st == IK_ENOMEM)
            return ik_fail(err, st, "%s", why.msg);
        if (st != IK_OK) {
            if (info && info->refused++ == 0)
                info->first_refused = why;
            return IK_OK;
        }
        if (info)
            info->kept++;
    }
}

static ik_status adopt_pack(ik_session *s, const ik_rulebook *rb, ik_error *err)
{
    const char *id = dup_str(s, rb->id ? rb->id : "");
    const char *version = dup_str(s, rb->version ? rb->version : "");
    const char *hash = dup_str(s, rb->hash);
    const char *file = dup_pack_file(s, rb->file);

    if (!id || !version || !hash || !file)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    s->pack_id = id;
    s->pack_version = version;
    s->pack_hash = hash;
    s->pack_file = file;
    return IK_OK;
}

static ik_status start_interview(const ik_session *s, const ik_rulebook *rb,
                                 ik_interview **iv, ik_error *err)
{
    ik_status st = ik_interview_new(rb, audience_names[s->aud], iv, err);

    if (st == IK_OK && s->label &&
        (st = ik_interview_set_label(*iv, s->label, err)) != IK_OK) {
        ik_interview_free(*iv);
        *iv = NULL;
    }
    return st;
}

const char *ik_session_file(const ik_session *s)
{
    return s->file ? s->file : "";
}

size_t ik_session_ndropped(const ik_session *s)
{
    return s->ndropped;
}

const ik_session_left_out *ik_session_dropped_at(const ik_session *s,
                                                 size_t i)
{
    return i < s->ndropped ? &s->dropped[i] : NULL;
}

/* Which saved answers (the current answers of s) iv does not hold, and
 * why, into s->dropped. */
static ik_status list_dropped(ik_session *s, const ik_interview *iv,
                              ik_error *err)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    const ik_value *vals = ik_interview_answers(iv);
    const bool *enabled = ik_interview_applied(iv)->enabled;
    size_t i;

    ik_free(s->dropped);
    s->ndropped = 0;
    s->dropped = ik_calloc(s->nanswers ? s->nanswers : 1, sizeof *s->dropped);
    if (!s->dropped)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    for (i = 0; i < s->nanswers; i++) {
        const answer *a = &s->answers[i];
        uint32_t q = ik_rulebook_find_question(rb, a->question);
        ik_session_left_out *d = &s->dropped[s->ndropped];
        ik_error why;

        if (q != IK_NONE && enabled[q] && vals[q].kind != IK_UNDEF &&
            value_equal(vals[q], a->value))
            continue; /* kept */
        d->question = a->question;
        d->line = a->line;
        d->col = a->col;
        ik_error_clear(&why);
        if (q == IK_NONE)
            snprintf(d->why, sizeof d->why, "the pack has no such question now");
        else if (rb->questions[q].type == IK_Q_INFO)
            continue; /* a screen read, not an answer */
        else if (a->value.kind != IK_NULL &&
                 ik_answer_check(&rb->questions[q], a->value, &why) != IK_OK)
            snprintf(d->why, sizeof d->why, "it no longer fits: %.170s",
                     why.msg);
        else if (a->value.kind == IK_NULL && rb->questions[q].required)
            snprintf(d->why, sizeof d->why,
                     "it was skipped and is now required");
        else if (!enabled[q])
            snprintf(d->why, sizeof d->why, "its question no longer applies");
        else
            snprintf(d->why, sizeof d->why,
                     "it comes after an answer that is asked again");
        s->ndropped++;
    }
    return IK_OK;
}

ik_status ik_session_restore(ik_session *s, const ik_rulebook *rb,
                             ik_interview **out, ik_session_resume *info,
                             ik_error *err)
{
    ik_interview *iv = NULL;
    ik_status st;

    *out = NULL;
    memset(info, 0, sizeof *info);
    if (!rb->id || strcmp(s->pack_id, rb->id) != 0)
        return ik_fail(err, IK_ESESSION,
                       "the session is for the pack '%s', not '%s'", s->pack_id,
                       rb->id ? rb->id : "");
    info->pack_changed = !ik_session_matches_pack(s, rb);
    if ((st = start_interview(s, rb, &iv, err)) != IK_OK)
        return st;
    ik_free(s->dropped);
    s->dropped = NULL;
    s->ndropped = 0;
    if (!info->pack_changed) {
        /* saved with this very pack: the history must replay */
        if ((st = replay(s, iv, err)) != IK_OK ||
            (st = check_position(s, iv, err)) != IK_OK) {
            ik_interview_free(iv);
            return st;
        }
        info->replayed = true;
        info->kept = (uint32_t)s->nanswers;
        st = mark_saved(s, rb, err);
        s->iv_taken = ik_interview_nevents(iv);
    } else {
        if ((st = mark_saved(s, rb, err)) != IK_OK ||
            (st = ik_session_fill(s, iv, info, err)) != IK_OK ||
            (st = list_dropped(s, iv, err)) != IK_OK) {
            ik_interview_free(iv);
            return st;
        }
        info->dropped = (uint32_t)s->ndropped;
        /* the next sync records the restored steps after the old
         * history: from there the history replays on this pack */
        s->replay_from = s->nevents;
        s->iv_taken = 0;
    }
    if (st == IK_OK)
        st = adopt_pack(s, rb, err);
    if (st != IK_OK) {
        ik_interview_free(iv);
        return st;
    }
    *out = iv;
    return IK_OK;
}

ik_status ik_session_run_answers(ik_interview *iv, const ik_value *answers,
                                 ik_error *err)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    ik_step step;
    ik_status st;

    for (ik_interview_next(iv, &step); step.kind == IK_STEP_QUESTION;
         ik_interview_next(iv, &step)) {
        const ik_question *q = &rb->questions[step.question];
        ik_value v = answers[step.question];
        ik_event ev;
        ev.question = step.question;
        ev.value = v;
        if (q->type == IK_Q_INFO) {
            ev.kind = IK_EV_ACK;
            ev.value = ik_null();
        } else if (v.kind == IK_UNDEF || v.kind == IK_NULL) {
            if (q->required) {
                ik_fail(err, IK_EANSWER, "'%s' is required but the answers %s",
                        q->id, v.kind == IK_NULL ? "skip it" : "leave it out");
                if (err)
                    snprintf(err->path, sizeof err->path, "/%s", q->id);
                return IK_EANSWER;
            }
            ev.kind = IK_EV_SKIP;
        } else {
            ev.kind = IK_EV_ANSWER;
        }
        if ((st = ik_interview_apply(iv, &ev, err)) != IK_OK) {
            if (st == IK_ENOMEM)
                return st;
            if (err) {
                char msg[sizeof err->msg];
                ik_strlcpy(msg, err->msg, sizeof msg);
                snprintf(err->msg, sizeof err->msg, "'%s': %.200s", q->id, msg);
                snprintf(err->path, sizeof err->path, "/%s", q->id);
                err->code = IK_EANSWER;
            }
            return IK_EANSWER;
        }
    }
    return IK_OK;
}

/* ---- Writing ---- */

void ik_session_write_value(ik_buf *b, ik_value v)
{
    char num[32];
    uint32_t i;

    switch (v.kind) {
    case IK_BOOL:
        ik_buf_puts(b, v.u.b ? "true" : "false");
        return;
    case IK_NUM:
        if (!isfinite(v.u.num)) {
            ik_buf_puts(b, "null");
            return;
        }
        ik_buf_put(b, num, ik_num_format(v.u.num, num));
        return;
    case IK_STR:
        ik_buf_put_json_string(b, v.u.str, v.len);
        return;
    case IK_ARR:
        ik_buf_putc(b, '[');
        for (i = 0; i < v.len; i++) {
            if (i)
                ik_buf_puts(b, ", ");
            ik_session_write_value(b, v.u.items[i]);
        }
        ik_buf_putc(b, ']');
        return;
    default:
        ik_buf_puts(b, "null");
    }
}

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
        ik_session_write_value(b, ev->value);
    } else if (ev->kind == IK_EV_ALERT || ev->kind == IK_EV_ALERT_STOP) {
        ik_buf_puts(b, ", \"alert\": ");
        ik_session_write_value(b, ev->value);
        ik_buf_puts(b, ev->kind == IK_EV_ALERT ? ", \"went_on\": true"
                                               : ", \"went_on\": false");
    } else if (ev->kind == IK_EV_LEAVE) {
        ik_buf_puts(b, ", \"left\": ");
        ik_session_write_value(b, ev->value);
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
                  audience_names[s->aud]);
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
        ik_session_write_value(b, s->answers[i].value);
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
    ik_status st = append_event(s, kind, q, v, at, ld->err);

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
    *out = dup_str(ld->s, n->valuestring);
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
        if (is_answer_event(s->events[i].kind))
            idx[k++] = &s->events[i];
    qsort(idx, k, sizeof *idx, by_question);
    for (m = a->child; m && st == IK_OK; m = m->next) {
        const ik_session_event *e;
        ik_value v;
        if ((st = load_value(ld, m, true, &v)) != IK_OK)
            break;
        e = last_for(idx, k, m->string);
        if (!e || !value_equal(e->value, v)) {
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
        if (strcmp(aud, audience_names[i]) == 0)
            break;
    if (i == IK_AUD__COUNT)
        return BAD(ld, ik_json_get(root, "audience"), false,
                   "\"audience\" must be \"patient\" or \"nurse\"");
    s->aud = (ik_audience)i;
    if ((st = get_string(ld, root, "label", true, &s->label)) != IK_OK)
        return st;
    if (s->label && check_label(s->label, NULL) != IK_OK)
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
        "format",   "pack",     "audience", "label",       "started",
        "updated",  "complete", "position", "answers",     "history",
        "outcome",  "replay_from", NULL};
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
    ld.s = session_alloc();
    if (!ld.s) {
        ik_json_doc_fini(&doc);
        return ik_fail(err, IK_ENOMEM, "out of memory loading a session");
    }
    ld.pos_off = ld.pos_bol = 0;
    ld.pos_line = 0;
    ld.s->file = dup_str(ld.s, file ? file : "");
    st = ld.s->file ? load_root(&ld, doc.root)
                    : ik_fail(err, IK_ENOMEM, "out of memory loading a session");
    ik_json_doc_fini(&doc);
    if (st != IK_OK) {
        ik_session_free(ld.s);
        return st;
    }
    *out = ld.s;
    return IK_OK;
}

static ik_status read_all(int fd, const char *path, char **text, size_t *len,
                          ik_error *err)
{
    struct stat st;
    size_t n = 0;
    char *buf;

    if (fstat(fd, &st) != 0)
        return ik_fail_at(err, IK_EIO, path, 0, 0, "cannot read: %s",
                          strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ik_fail_at(err, IK_ESESSION, path, 0, 0, "not a regular file");
    if ((uintmax_t)st.st_size > IK_SESSION_MAX_FILE)
        return ik_fail_at(err, IK_ESESSION, path, 0, 0,
                          "larger than a session file can be (%u bytes)",
                          IK_SESSION_MAX_FILE);
    buf = ik_malloc((size_t)st.st_size + 1);
    if (!buf)
        return ik_fail_at(err, IK_ENOMEM, path, 0, 0, "out of memory");
    while (n < (size_t)st.st_size) {
        ssize_t got = read(fd, buf + n, (size_t)st.st_size - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            ik_free(buf);
            return ik_fail_at(err, IK_EIO, path, 0, 0, "cannot read: %s",
                              got ? strerror(errno) : "file shrank");
        }
        n += (size_t)got;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return IK_OK;
}

/* Open a session file for reading: never through a symbolic link, and
 * without blocking on a FIFO (read_all refuses what is not a regular
 * file). */
static ik_status open_session(const char *path, int *fd, ik_error *err)
{
    *fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (*fd >= 0)
        return IK_OK;
    if (errno == ELOOP)
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "refusing to open a symbolic link");
    return ik_fail_at(err, errno == ENOENT ? IK_ENOENT : IK_EIO, path, 0, 0,
                      "cannot open: %s", strerror(errno));
}

static ik_status load_fd(int fd, const char *path, ik_session **out,
                         ik_error *err)
{
    struct stat st;
    char *text = NULL;
    size_t len = 0;
    ik_status rc;

    rc = read_all(fd, path, &text, &len, err);
    if (rc == IK_OK && fstat(fd, &st) != 0)
        rc = ik_fail_at(err, IK_EIO, path, 0, 0, "cannot read: %s",
                        strerror(errno));
    if (rc != IK_OK) {
        ik_free(text);
        return rc;
    }
    rc = ik_session_load_text(text, len, path, out, err);
    ik_free(text);
    if (rc == IK_OK) {
        (*out)->has_file = true;
        (*out)->dev = st.st_dev;
        (*out)->ino = st.st_ino;
    }
    return rc;
}

ik_status ik_session_load_file(const char *path, ik_session **out,
                               ik_error *err)
{
    int fd;
    ik_status rc;

    *out = NULL;
    if ((rc = open_session(path, &fd, err)) != IK_OK)
        return rc;
    rc = load_fd(fd, path, out, err);
    close(fd);
    return rc;
}

/* ---- Saving ---- */

static long io_fail_at, io_count;

long ik_session_fail_io_after(long n)
{
    long made = io_count;

    io_fail_at = n;
    io_count = 0;
    return made;
}

/* Every file operation of a save passes here first, so a test can make
 * the nth one fail as a full disk would. */
static bool io_refused(void)
{
    io_count++;
    if (io_fail_at > 0 && io_count >= io_fail_at) {
        errno = ENOSPC;
        return true;
    }
    return false;
}

static ik_status save_fail(ik_error *err, const char *path, const char *what)
{
    return ik_fail_at(err, IK_EIO, path, 0, 0,
                      "cannot save the session (%s): "
                      "%s",
                      what, strerror(errno));
}

static ik_status check_target(const ik_session *s, const char *path,
                              ik_error *err)
{
    struct stat st;

    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return IK_OK;
        return save_fail(err, path, "cannot inspect the file");
    }
    if (S_ISLNK(st.st_mode))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "refusing to save over a symbolic link");
    if (!S_ISREG(st.st_mode))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "refusing to save over something that is not a "
                          "regular file");
    if (!s->has_file || st.st_dev != s->dev || st.st_ino != s->ino)
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the file already exists and is not this "
                          "session's file; not overwriting it");
    return IK_OK;
}

bool ik_session_owns_file(const ik_session *s, const char *path)
{
    struct stat st;

    return s->has_file && lstat(path, &st) == 0 && st.st_dev == s->dev &&
           st.st_ino == s->ino;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        size_t chunk = n > 65536 ? 65536 : n;
        ssize_t w;
        if (io_refused())
            return false;
        w = write(fd, p, chunk);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Split path into its folder ("." when none) and make the temp template. */
static bool temp_names(const char *path, char *dir, size_t dcap, char *tmpl,
                       size_t tcap)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int n;

    if (!base[0])
        return false;
    if (!slash)
        n = snprintf(dir, dcap, ".");
    else if (slash == path)
        n = snprintf(dir, dcap, "/");
    else
        n = snprintf(dir, dcap, "%.*s", (int)(slash - path), path);
    if (n < 0 || (size_t)n >= dcap)
        return false;
    n = snprintf(tmpl, tcap, "%s/.%s.XXXXXX", dir, base);
    return n >= 0 && (size_t)n < tcap;
}

static ik_status sync_dir(const char *dir, const char *path, ik_error *err)
{
    int fd;
    int rc;

    if (io_refused())
        return save_fail(err, path, "syncing the folder");
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return save_fail(err, path, "opening the folder");
    rc = fsync(fd);
    close(fd);
    if (rc != 0 && errno != EINVAL)
        return save_fail(err, path, "syncing the folder");
    return IK_OK;
}

/* Write text into a new temp file; on success it is synced, st filled,
 * and *fd left open (the caller closes it, or keeps it as the lock). */
static ik_status write_temp(const char *tmpl_path, char *tmpl, const char *text,
                            size_t len, struct stat *st, int *fdp,
                            ik_error *err)
{
    int fd;
    const char *what = NULL;

    if (io_refused())
        return save_fail(err, tmpl_path, "creating a temporary file");
    fd = mkstemp(tmpl);
    if (fd < 0)
        return save_fail(err, tmpl_path, "creating a temporary file");
    if (fchmod(fd, S_IRUSR | S_IWUSR) != 0)
        what = "setting its mode";
    else if (!write_all(fd, text, len))
        what = "writing";
    else if (io_refused() || fsync(fd) != 0)
        what = "syncing";
    else if (fstat(fd, st) != 0)
        what = "inspecting the temporary file";
    if (what) {
        int e = errno;
        close(fd);
        unlink(tmpl);
        errno = e;
        return save_fail(err, tmpl_path, what);
    }
    *fdp = fd;
    return IK_OK;
}

/* Close a written temp file, checked; on failure it is removed. */
static ik_status close_temp(int fd, const char *tmpl, const char *path,
                            ik_error *err)
{
    int e;

    if (io_refused()) {
        e = errno;
        close(fd);
    } else if (close(fd) != 0) { /* the descriptor is gone either way */
        e = errno;
    } else {
        return IK_OK;
    }
    unlink(tmpl);
    errno = e;
    return save_fail(err, path, "closing");
}

/* A folder a session may be kept in, as ssh judges its files: owned by
 * us (or root, like /tmp), and not writable by others unless sticky (else
 * anyone could swap the file). */
static ik_status check_folder(const char *dir, ik_error *err)
{
    struct stat st;

    if (stat(dir, &st) != 0)
        return ik_fail_at(err, IK_EIO, dir, 0, 0, "cannot use the folder: %s",
                          strerror(errno));
    if (st.st_uid != geteuid() && st.st_uid != 0)
        return ik_fail_at(err, IK_EIO, dir, 0, 0,
                          "the folder belongs to another user (uid %ld); "
                          "not keeping a session there",
                          (long)st.st_uid);
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
        return ik_fail_at(err, IK_EIO, dir, 0, 0,
                          "others can write to the folder (mode %03o); not "
                          "keeping a session there (chmod go-w it)",
                          (unsigned)(st.st_mode & 0777));
    return IK_OK;
}

/* ".NAME.XXXXXX" in path's folder: a temporary file of a save of NAME. */
static bool is_temp_of(const char *entry, const char *base)
{
    size_t n = strlen(base), i;

    if (entry[0] != '.' || strncmp(entry + 1, base, n) != 0 ||
        entry[n + 1] != '.' || strlen(entry + n + 2) != 6)
        return false;
    for (i = n + 2; entry[i]; i++)
        if (!((entry[i] >= 'a' && entry[i] <= 'z') ||
              (entry[i] >= 'A' && entry[i] <= 'Z') ||
              (entry[i] >= '0' && entry[i] <= '9')))
            return false;
    return true;
}

/* Remove the temporary files a killed save of this session left behind
 * (they hold answers). Called while holding the session's lock, so no
 * other intake is saving it; only our own regular files are touched. */
static void remove_stale_temps(const char *path)
{
    char dir[4096], tmpl[4200], full[8400];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    struct dirent *de;
    struct stat st;
    DIR *d;

    if (!temp_names(path, dir, sizeof dir, tmpl, sizeof tmpl) ||
        !(d = opendir(dir)))
        return;
    while ((de = readdir(d)) != NULL) {
        if (!is_temp_of(de->d_name, base))
            continue;
        snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
        if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
            st.st_uid == geteuid())
            unlink(full);
    }
    closedir(d);
}

/* Take the session's lock on fd (a file nobody else can have open yet,
 * or the file just opened for resuming). */
static ik_status lock_fd(int fd, const char *path, ik_error *err)
{
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return IK_OK;
    if (errno == EWOULDBLOCK)
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the session is open in another intake; finish or "
                          "quit it there first");
    return ik_fail_at(err, IK_EIO, path, 0, 0, "cannot lock the session: %s",
                      strerror(errno));
}

ik_status ik_session_save(ik_session *s, const char *path, ik_error *err)
{
    char dir[4096], tmpl[4200];
    struct stat st;
    ik_buf b;
    ik_status rc;
    int fd = -1, lock;
    bool create = !s->has_file;

    if (!temp_names(path, dir, sizeof dir, tmpl, sizeof tmpl))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "not a usable session file name");
    if ((rc = check_target(s, path, err)) != IK_OK ||
        (create && (rc = check_folder(dir, err)) != IK_OK))
        return rc;
    ik_buf_init(&b);
    ik_session_write_json(s, &b);
    if (ik_buf_status(&b) != IK_OK) {
        ik_buf_fini(&b);
        return ik_fail_at(err, IK_ENOMEM, path, 0, 0,
                          "out of memory saving the session");
    }
    rc = write_temp(path, tmpl, b.data, b.len, &st, &fd, err);
    ik_buf_fini(&b);
    if (rc != IK_OK)
        return rc;
    /* The new file is locked before its name appears, so whoever opens
     * the name finds it locked. The lock is held on a read-only
     * descriptor kept open; the written one is closed (checked). */
    lock = open(tmpl, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (lock < 0 || lock_fd(lock, path, NULL) != IK_OK) {
        int e = errno;
        if (lock >= 0)
            close(lock);
        close(fd);
        unlink(tmpl);
        errno = e;
        return save_fail(err, path, "locking the new file");
    }
    if ((rc = close_temp(fd, tmpl, path, err)) != IK_OK) {
        close(lock);
        return rc;
    }
    fd = lock;
    if (create) {
        /* link, unlike rename, fails when the name was taken meanwhile:
         * two intakes creating one session cannot both succeed */
        if (io_refused() || link(tmpl, path) != 0) {
            int e = errno;
            close(fd);
            unlink(tmpl);
            if (e == EEXIST)
                return ik_fail_at(err, IK_EIO, path, 0, 0,
                                  "the file already exists and is not this "
                                  "session's file; not overwriting it");
            errno = e;
            return save_fail(err, path, "naming the file");
        }
        unlink(tmpl);
    } else if (io_refused() || rename(tmpl, path) != 0) {
        int e = errno;
        close(fd);
        unlink(tmpl);
        errno = e;
        return save_fail(err, path, "replacing the previous file");
    }
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    s->lock_fd = fd;
    s->has_file = true;
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    if (create)
        remove_stale_temps(path);
    return sync_dir(dir, path, err);
}

ik_status ik_session_open_file(const char *path, ik_session **out,
                               ik_error *err)
{
    char dir[4096], tmpl[4200];
    struct stat st, at;
    ik_status rc;
    int fd, attempt;

    *out = NULL;
    if (!temp_names(path, dir, sizeof dir, tmpl, sizeof tmpl))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "not a usable session file name");
    if ((rc = check_folder(dir, err)) != IK_OK)
        return rc;
    for (attempt = 0; attempt < 10; attempt++) {
        if ((rc = open_session(path, &fd, err)) != IK_OK)
            return rc;
        if (fstat(fd, &st) != 0) {
            rc = ik_fail_at(err, IK_EIO, path, 0, 0, "cannot read: %s",
                            strerror(errno));
        } else if (S_ISREG(st.st_mode) && st.st_uid != geteuid()) {
            rc = ik_fail_at(err, IK_EIO, path, 0, 0,
                            "the file belongs to another user (uid %ld); "
                            "not using it",
                            (long)st.st_uid);
        } else if (S_ISREG(st.st_mode) && (st.st_mode & (S_IWGRP | S_IWOTH))) {
            rc = ik_fail_at(err, IK_EIO, path, 0, 0,
                            "others can write to the file (mode %03o); not "
                            "using it (chmod 600 it if it is yours)",
                            (unsigned)(st.st_mode & 0777));
        } else {
            rc = lock_fd(fd, path, err);
        }
        if (rc != IK_OK) {
            close(fd);
            return rc;
        }
        /* the name may have moved to a newer file before the lock */
        if (lstat(path, &at) == 0 && at.st_dev == st.st_dev &&
            at.st_ino == st.st_ino)
            break;
        close(fd);
        fd = -1;
    }
    if (fd < 0)
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the file keeps changing; is another intake "
                          "saving it?");
    if ((rc = load_fd(fd, path, out, err)) != IK_OK) {
        close(fd);
        return rc;
    }
    (*out)->lock_fd = fd;
    remove_stale_temps(path);
    return IK_OK;
}

ik_status ik_session_write_new_file(const char *path, const char *data,
                                    size_t len, ik_error *err)
{
    char dir[4096], tmpl[4200];
    struct stat st;
    ik_status rc;
    int fd = -1; /* set by write_temp; gcc -O3 cannot tell */

    if (!temp_names(path, dir, sizeof dir, tmpl, sizeof tmpl))
        return ik_fail_at(err, IK_EIO, path, 0, 0, "not a usable file name");
    if (lstat(path, &st) == 0)
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the file already exists; not overwriting it");
    if ((rc = write_temp(path, tmpl, data, len, &st, &fd, err)) != IK_OK ||
        (rc = close_temp(fd, tmpl, path, err)) != IK_OK)
        return rc;
    /* link, unlike rename, fails when the name was taken meanwhile */
    if (io_refused() || link(tmpl, path) != 0) {
        int e = errno;
        unlink(tmpl);
        errno = e;
        return save_fail(err, path, "naming the file");
    }
    unlink(tmpl);
    return sync_dir(dir, path, err);
}

/* ---- Where sessions live ---- */

/* The default session folder is ours alone, as ssh wants ~/.ssh: not a
 * symbolic link, owned by this user, writable by nobody else. */
static ik_status check_state_dir(const char *path, ik_error *err)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return ik_fail_at(err, errno == ENOENT ? IK_ENOENT : IK_EIO, path, 0, 0,
                          "cannot use the session folder: %s", strerror(errno));
    if (S_ISLNK(st.st_mode))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the session folder is a symbolic link; not using "
                          "it (make it a folder of your own, mode 700)");
    if (!S_ISDIR(st.st_mode))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the session folder is not a folder");
    if (st.st_uid != geteuid())
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the session folder belongs to another user (uid "
                          "%ld); not using it",
                          (long)st.st_uid);
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "others can write to the session folder (mode "
                          "%03o); not using it (chmod 700 it)",
                          (unsigned)(st.st_mode & 0777));
    return IK_OK;
}

static ik_status make_dirs(char *path, size_t from, ik_error *err)
{
    size_t i, n = strlen(path);

    for (i = from; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        if (i == 0)
            continue;
        path[i] = '\0';
        if (mkdir(path, S_IRWXU) != 0 && errno != EEXIST) {
            int e = errno;
            path[i] = i < n ? '/' : '\0';
            return ik_fail_at(err, IK_EIO, path, 0, 0,
                              "cannot create the session folder: %s",
                              strerror(e));
        }
        path[i] = i < n ? '/' : '\0';
    }
    return check_state_dir(path, err);
}

ik_status ik_session_dir(char *buf, size_t cap, bool create, ik_error *err)
{
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    size_t base;
    int n;

    if (xdg && xdg[0] == '/') {
        base = strlen(xdg);
        n = snprintf(buf, cap, "%s/intake", xdg);
    } else if (home && home[0] == '/') {
        base = strlen(home);
        n = snprintf(buf, cap, "%s/.local/state/intake", home);
    } else {
        return ik_fail(err, IK_ENOENT,
                       "cannot find a folder for sessions: set HOME or "
                       "XDG_STATE_HOME to an absolute path");
    }
    if (n < 0 || (size_t)n >= cap)
        return ik_fail(err, IK_ELIMIT, "the session folder path is too long");
    if (create)
        return make_dirs(buf, base, err);
    if (access(buf, F_OK) != 0 && errno == ENOENT)
        return IK_OK; /* not made yet: nothing in it */
    return check_state_dir(buf, err);
}

static void slug(const char *label, char *out, size_t cap)
{
    size_t n = 0;
    bool dash = false;

    for (; label && *label && n + 1 < cap; label++) {
        char c = *label;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && n > 0 && n + 2 < cap)
                out[n++] = '-';
            out[n++] = c;
            dash = false;
        } else {
            dash = true;
        }
    }
    out[n] = '\0';
}

static void random_tag(char *out, size_t n, unsigned long salt)
{
    static const char alpha[] = "abcdefghijkmnpqrstuvwxyz23456789";
    unsigned char raw[16] = {0};
    size_t i;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = false;

    if (fd >= 0) {
        ok = read(fd, raw, n) == (ssize_t)n;
        close(fd);
    }
    for (i = 0; i < n; i++) {
        if (!ok) /* no /dev/urandom: mix clock, pid and attempt */
            raw[i] = (unsigned char)((unsigned long)clock() * 31u +
                                     (unsigned long)getpid() * 131u +
                                     salt * 7u + i * 17u);
        out[i] = alpha[raw[i] % 32];
    }
    out[n] = '\0';
}

ik_status ik_session_new_path(const char *dir, const char *label,
                              const char *audience, int64_t now, char *buf,
                              size_t cap, ik_error *err)
{
    char stamp[21], name[32], tag[8];
    struct stat st;
    unsigned long attempt;
    int n;

    ik_time_format(now, stamp);
    /* 2026-11-28T14:12:05Z -> 2026-11-28T1412 */
    memmove(stamp + 13, stamp + 14, 2);
    stamp[15] = '\0';
    slug(label, name, 25);
    if (!name[0])
        slug(audience ? audience : "session", name, sizeof name);
    for (attempt = 0; attempt < 100; attempt++) {
        random_tag(tag, 6, attempt);
        n = snprintf(buf, cap, "%s/%s-%s-%s.json", dir, stamp, name, tag);
        if (n < 0 || (size_t)n >= cap)
            return ik_fail(err, IK_ELIMIT, "the session path is too long");
        if (lstat(buf, &st) != 0 && errno == ENOENT)
            return IK_OK;
    }
    return ik_fail_at(err, IK_EIO, dir, 0, 0,
                      "cannot find an unused session file name");
}

/* ---- Listing ---- */

/* The pack a listing checks sessions against: the last one loaded. */
typedef struct list_pack {
    ik_rulebook *rb;
    char path[4096];
} list_pack;

/* Does s replay on the pack it was saved with (when that file is still
 * there and unchanged)? A session whose history its own pack rejects is
 * damaged (err says where); one whose pack is gone or changed is not
 * judged here. */
static bool replays(ik_session *s, list_pack *lp, ik_error *err)
{
    ik_interview *iv = NULL;
    ik_session_resume info;
    ik_status st;

    if (!s->pack_file[0] || access(s->pack_file, R_OK) != 0)
        return true;
    if (!lp->rb || strcmp(lp->path, s->pack_file) != 0) {
        ik_rulebook_free(lp->rb);
        lp->rb = NULL;
        lp->path[0] = '\0';
        if (ik_rulebook_load_file(s->pack_file, &lp->rb, NULL) != IK_OK)
            return true;
        ik_strlcpy(lp->path, s->pack_file, sizeof lp->path);
    }
    if (!ik_session_matches_pack(s, lp->rb))
        return true;
    st = ik_session_restore(s, lp->rb, &iv, &info, err);
    ik_interview_free(iv);
    return st != IK_ESESSION;
}

static void fill_info(ik_session_info *info, const char *path, list_pack *lp)
{
    ik_session *s;
    struct stat st;

    memset(info, 0, sizeof *info);
    ik_strlcpy(info->path, path, sizeof info->path);
    if (ik_session_load_file(path, &s, &info->err) != IK_OK) {
        info->damaged = true;
        if (stat(path, &st) == 0)
            info->started = info->updated = (int64_t)st.st_mtime;
        return;
    }
    ik_strlcpy(info->label, s->label ? s->label : "", sizeof info->label);
    snprintf(info->pack, sizeof info->pack, "%s@%s", s->pack_id,
             s->pack_version);
    ik_strlcpy(info->audience, audience_names[s->aud], sizeof info->audience);
    info->started = s->started;
    info->updated = s->updated;
    info->complete = s->outcome != NULL;
    info->damaged = !replays(s, lp, &info->err);
    ik_session_free(s);
}

static int newest_first(const void *pa, const void *pb)
{
    const ik_session_info *a = pa, *b = pb;

    if (a->started != b->started)
        return a->started < b->started ? 1 : -1;
    if (a->updated != b->updated)
        return a->updated < b->updated ? 1 : -1;
    return strcmp(a->path, b->path);
}

static bool is_session_name(const char *name)
{
    size_t n = strlen(name);

    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

ik_status ik_session_list(const char *dir, ik_session_info **out, size_t *n,
                          ik_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    ik_session_info *infos = NULL;
    size_t cap = 0;
    char path[4096];
    struct stat st;
    list_pack lp;

    *out = NULL;
    *n = 0;
    lp.rb = NULL;
    lp.path[0] = '\0';
    if (!d)
        return errno == ENOENT ? IK_OK
                               : ik_fail_at(err, IK_EIO, dir, 0, 0,
                                            "cannot list: %s", strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (!is_session_name(de->d_name))
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >=
                (int)sizeof path ||
            lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (!grow_array((void **)&infos, &cap, *n, sizeof *infos)) {
            closedir(d);
            ik_free(infos);
            ik_rulebook_free(lp.rb);
            *n = 0;
            return ik_fail(err, IK_ENOMEM, "out of memory listing sessions");
        }
        fill_info(&infos[(*n)++], path, &lp);
    }
    closedir(d);
    ik_rulebook_free(lp.rb);
    if (*n > 1)
        qsort(infos, *n, sizeof *infos, newest_first);
    *out = infos;
    return IK_OK;
}

void ik_session_free_infos(ik_session_info *infos)
{
    ik_free(infos);
}
