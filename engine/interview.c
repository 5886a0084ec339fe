/*
 * interview.c -- the interview state machine: answers, the trail of asked
 * questions, earlier answers offered after going back, the event history
 * sessions save, and the outcome recomputed after every change. Never
 * reads, prints or exits; allocates with ik_malloc and its own arenas.
 */
#include "interview.h"

#include "alloc.h"
#include "answer.h"
#include "error.h"

#include <string.h>

struct ik_interview {
    const ik_rulebook *rb;
    ik_audience aud;
    ik_arena arena;    /* recorded values, the label */
    ik_value *answers; /* per question: UNDEF none, NULL skipped/read */
    ik_value *earlier; /* per question: offered again after back */
    uint32_t *trail;   /* asked questions, in order; at most nquestions */
    uint32_t ntrail;
    ik_event *events;
    size_t nevents, events_cap;
    const char *label;
    ik_outcome out;
    uint32_t current; /* question to ask, IK_NONE at the outcome */
    uint32_t to_go, to_go_max;
    uint32_t *reads; /* scratch for ik_logic_reads, one per slot */
    size_t reads_cap;
};

/* ---- Commands ---- */

static const char *const command_names[IK_CMD__COUNT] = {
    [IK_CMD_NONE] = "",     [IK_CMD_BACK] = "back",
    [IK_CMD_WHY] = "why",   [IK_CMD_SKIP] = "skip",
    [IK_CMD_HELP] = "help", [IK_CMD_SUMMARY] = "summary",
    [IK_CMD_QUIT] = "quit",
};

const char *ik_command_name(ik_command cmd)
{
    if ((unsigned)cmd >= IK_CMD__COUNT)
        return "";
    return command_names[cmd];
}

static bool word_is(const char *s, size_t n, const char *w)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (w[i] == '\0' || c != w[i])
            return false;
    }
    return w[n] == '\0';
}

ik_command ik_command_parse(const char *text, size_t len)
{
    int c;

    while (len && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' ||
                   text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    if (len == 1 && text[0] == '?')
        return IK_CMD_HELP;
    if (word_is(text, len, "exit"))
        return IK_CMD_QUIT;
    for (c = IK_CMD_BACK; c < IK_CMD__COUNT; c++)
        if (word_is(text, len, command_names[c]))
            return (ik_command)c;
    return IK_CMD_NONE;
}

/* ---- State ---- */

/* Whether disabled question q could still become enabled: its condition
 * reads a derived value or a question not answered yet. (The loader makes
 * enable_when read only earlier questions, directly or through derived
 * values, so an answered question's value cannot change while answers
 * move forward.) */
static bool could_enable(ik_interview *iv, uint32_t q)
{
    const ik_rulebook *rb = iv->rb;
    size_t n, i;

    n = ik_logic_reads(rb->logic, rb->questions[q].enable_when, iv->reads,
                       iv->reads_cap);
    if (n > iv->reads_cap)
        return true;
    for (i = 0; i < n; i++) {
        uint32_t s = iv->reads[i];
        if (s >= rb->nquestions)
            return true; /* derived: may change with any answer */
        if (s != q && iv->answers[s].kind == IK_UNDEF)
            return true;
    }
    return false;
}

/* After any change: the outcome, the current question, progress. */
static ik_status settle(ik_interview *iv, ik_error *err)
{
    const ik_rulebook *rb = iv->rb;
    uint32_t q;
    ik_status st;

    st = ik_outcome_compute(rb, iv->answers, &iv->out, err);
    if (st != IK_OK)
        return st;
    iv->current = IK_NONE;
    iv->to_go = iv->to_go_max = 0;
    if (iv->out.stop_flag != IK_NONE)
        return IK_OK;
    for (q = 0; q < rb->nquestions; q++) {
        if (iv->answers[q].kind != IK_UNDEF)
            continue;
        if (iv->out.enabled[q]) {
            if (iv->current == IK_NONE)
                iv->current = q;
            else
                iv->to_go++;
        } else if (rb->questions[q].enable_when != IK_NO_EXPR &&
                   could_enable(iv, q)) {
            iv->to_go_max++;
        }
    }
    iv->to_go_max += iv->to_go;
    return IK_OK;
}

static ik_status parse_audience(const ik_rulebook *rb, const char *name,
                                ik_audience *aud, ik_error *err)
{
    if (!name || strcmp(name, "patient") == 0)
        *aud = IK_AUD_PATIENT;
    else if (strcmp(name, "nurse") == 0)
        *aud = IK_AUD_NURSE;
    else
        return ik_fail(err, IK_EMISUSE,
                       "unknown audience '%s' (patient or nurse)", name);
    if (*aud != IK_AUD_PATIENT && !rb->audiences[*aud])
        return ik_fail(err, IK_ERULES,
                       "the rule pack has no wording for the %s audience",
                       name);
    return IK_OK;
}

ik_status ik_interview_new(const ik_rulebook *rb, const char *audience,
                           ik_interview **out, ik_error *err)
{
    ik_interview *iv;
    uint32_t nq = rb->nquestions, nslots = ik_logic_nslots(rb->logic);
    ik_status st;
    ik_audience aud;

    *out = NULL;
    if ((st = parse_audience(rb, audience, &aud, err)) != IK_OK)
        return st;
    iv = ik_calloc(1, sizeof *iv);
    if (!iv)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    iv->rb = rb;
    iv->aud = aud;
    iv->label = "";
    ik_arena_init(&iv->arena);
    ik_outcome_init(&iv->out);
    iv->reads_cap = (nslots > nq ? nslots : nq) + rb->nderived + 1;
    iv->answers = ik_calloc(nq + 1, sizeof *iv->answers);
    iv->earlier = ik_calloc(nq + 1, sizeof *iv->earlier);
    iv->trail = ik_calloc(nq + 1, sizeof *iv->trail);
    iv->reads = ik_calloc(iv->reads_cap, sizeof *iv->reads);
    if (!iv->answers || !iv->earlier || !iv->trail || !iv->reads) {
        ik_interview_free(iv);
        return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    st = settle(iv, err);
    if (st != IK_OK) {
        ik_interview_free(iv);
        return st;
    }
    *out = iv;
    return IK_OK;
}

void ik_interview_free(ik_interview *iv)
{
    if (!iv)
        return;
    ik_outcome_fini(&iv->out);
    ik_arena_fini(&iv->arena);
    ik_free(iv->answers);
    ik_free(iv->earlier);
    ik_free(iv->trail);
    ik_free(iv->events);
    ik_free(iv->reads);
    ik_free(iv);
}

const char *ik_interview_audience(const ik_interview *iv)
{
    return iv->aud == IK_AUD_NURSE ? "nurse" : "patient";
}

ik_status ik_interview_set_label(ik_interview *iv, const char *label,
                                 ik_error *err)
{
    char *copy = ik_arena_strndup(&iv->arena, label ? label : "",
                                  label ? strlen(label) : 0);

    if (!copy)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    iv->label = copy;
    return IK_OK;
}

const char *ik_interview_label(const ik_interview *iv)
{
    return iv->label;
}

void ik_interview_next(const ik_interview *iv, ik_step *step)
{
    memset(step, 0, sizeof *step);
    step->question = IK_STEP_NONE;
    step->stop_flag = IK_STEP_NONE;
    step->can_back = iv->ntrail > 0;
    if (iv->current == IK_NONE) {
        step->kind = IK_STEP_OUTCOME;
        if (iv->out.stop_flag != IK_NONE)
            step->stop_flag = iv->out.stop_flag;
        return;
    }
    const ik_question *q = &iv->rb->questions[iv->current];
    step->kind = IK_STEP_QUESTION;
    step->question = iv->current;
    step->id = q->id;
    step->number = iv->ntrail + 1;
    step->to_go = iv->to_go;
    step->to_go_max = iv->to_go_max;
    step->has_earlier = iv->earlier[iv->current].kind != IK_UNDEF;
    step->can_skip = !q->required && q->type != IK_Q_INFO;
}

/* ---- Changes ---- */

static ik_status push_event(ik_interview *iv, ik_event_kind kind, uint32_t q,
                            ik_value v, ik_error *err)
{
    if (iv->nevents == iv->events_cap) {
        size_t cap = iv->events_cap ? iv->events_cap * 2 : 32;
        ik_event *e = ik_realloc(iv->events, cap * sizeof *e);
        if (!e)
            return ik_fail(err, IK_ENOMEM, "out of memory");
        iv->events = e;
        iv->events_cap = cap;
    }
    iv->events[iv->nevents].kind = kind;
    iv->events[iv->nevents].question = q;
    iv->events[iv->nevents].value = v;
    iv->nevents++;
    return IK_OK;
}

/* Record v (owned by iv->arena or the rulebook) for the current question.
 * On failure nothing changed. */
static ik_status record(ik_interview *iv, ik_event_kind kind, ik_value v,
                        ik_error *err)
{
    uint32_t q = iv->current;
    ik_value old_earlier = iv->earlier[q];
    ik_status st;

    if ((st = push_event(iv, kind, q, v, err)) != IK_OK)
        return st;
    iv->answers[q] = v;
    iv->earlier[q] = ik_undef();
    iv->trail[iv->ntrail++] = q;
    st = settle(iv, err);
    if (st != IK_OK) {
        ik_error ignored;
        iv->nevents--;
        iv->ntrail--;
        iv->answers[q] = ik_undef();
        iv->earlier[q] = old_earlier;
        settle(iv, &ignored);
    }
    return st;
}

static ik_status not_now(ik_error *err)
{
    return ik_fail(err, IK_EMISUSE,
                   "the interview has ended; no question "
                   "is waiting for an answer");
}

static bool is_blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

ik_status ik_interview_answer(ik_interview *iv, const char *text, size_t len,
                              ik_error *err)
{
    const ik_question *q;
    ik_arena_mark mark;
    ik_value v;
    ik_status st;

    if (iv->current == IK_NONE)
        return not_now(err);
    q = &iv->rb->questions[iv->current];
    if (is_blank(text, len) && iv->earlier[iv->current].kind != IK_UNDEF) {
        v = iv->earlier[iv->current];
        return record(iv,
                      v.kind == IK_NULL
                          ? (q->type == IK_Q_INFO ? IK_EV_ACK : IK_EV_SKIP)
                          : IK_EV_ANSWER,
                      v, err);
    }
    mark = ik_arena_save(&iv->arena);
    st = ik_answer_parse(q, iv->aud, text, len, &iv->arena, &v, err);
    if (st == IK_OK)
        st =
            record(iv, q->type == IK_Q_INFO ? IK_EV_ACK : IK_EV_ANSWER, v, err);
    if (st != IK_OK)
        ik_arena_rewind(&iv->arena, mark);
    return st;
}

ik_status ik_interview_skip(ik_interview *iv, ik_error *err)
{
    const ik_question *q;

    if (iv->current == IK_NONE)
        return not_now(err);
    q = &iv->rb->questions[iv->current];
    if (q->type == IK_Q_INFO)
        return ik_fail(err, IK_EANSWER,
                       "There is nothing to skip here; press Enter to go on");
    if (q->required)
        return ik_fail(err, IK_EANSWER,
                       "This question is needed for safe advice, so it "
                       "cannot be skipped");
    return record(iv, IK_EV_SKIP, ik_null(), err);
}

ik_status ik_interview_back(ik_interview *iv, ik_error *err)
{
    uint32_t q;
    ik_value old;
    ik_status st;

    if (iv->ntrail == 0)
        return ik_fail(err, IK_EANSWER,
                       "This is the first question; there is nothing "
                       "before it");
    q = iv->trail[iv->ntrail - 1];
    if ((st = push_event(iv, IK_EV_BACK, q, ik_null(), err)) != IK_OK)
        return st;
    old = iv->earlier[q];
    iv->earlier[q] = iv->answers[q];
    iv->answers[q] = ik_undef();
    iv->ntrail--;
    st = settle(iv, err);
    if (st != IK_OK) {
        ik_error ignored;
        iv->ntrail++;
        iv->answers[q] = iv->earlier[q];
        iv->earlier[q] = old;
        iv->nevents--;
        settle(iv, &ignored);
    }
    return st;
}

/* ---- History ---- */

size_t ik_interview_nevents(const ik_interview *iv)
{
    return iv->nevents;
}

ik_event ik_interview_event(const ik_interview *iv, size_t i)
{
    ik_event none = {IK_EV_BACK, IK_STEP_NONE, {IK_NULL, 0, {0}}};

    return i < iv->nevents ? iv->events[i] : none;
}

static ik_status replay_fail(ik_error *err, const ik_error *why)
{
    return ik_fail(err, IK_ESESSION, "%s", why->msg);
}

ik_status ik_interview_apply(ik_interview *iv, const ik_event *ev,
                             ik_error *err)
{
    ik_error e;
    ik_arena_mark mark;
    ik_value v;
    ik_status st;

    ik_error_clear(&e);
    if (ev->kind == IK_EV_BACK)
        return ik_interview_back(iv, err) == IK_OK
                   ? IK_OK
                   : ik_fail(err, IK_ESESSION,
                             "a saved 'back' has nothing to go back to");
    if (iv->current == IK_NONE || ev->question != iv->current)
        return ik_fail(err, IK_ESESSION,
                       "a saved answer is for question '%s', but the "
                       "interview is at '%s'",
                       ik_interview_question_id(iv, ev->question)
                           ? ik_interview_question_id(iv, ev->question)
                           : "?",
                       iv->current == IK_NONE
                           ? "the outcome"
                           : iv->rb->questions[iv->current].id);
    if (ev->kind == IK_EV_SKIP) {
        st = ik_interview_skip(iv, &e);
        return st == IK_OK ? IK_OK : replay_fail(err, &e);
    }
    if (ev->kind == IK_EV_ACK) {
        if (iv->rb->questions[iv->current].type != IK_Q_INFO)
            return ik_fail(err, IK_ESESSION,
                           "a saved acknowledgement is for a question");
        return record(iv, IK_EV_ACK, ik_null(), err);
    }
    if (ev->kind != IK_EV_ANSWER)
        return ik_fail(err, IK_ESESSION, "unknown saved event");
    if (ev->value.kind == IK_UNDEF || ev->value.kind == IK_NULL ||
        ik_answer_check(&iv->rb->questions[iv->current], ev->value, &e) !=
            IK_OK)
        return ev->value.kind == IK_UNDEF || ev->value.kind == IK_NULL
                   ? ik_fail(err, IK_ESESSION, "a saved answer has no value")
                   : replay_fail(err, &e);
    mark = ik_arena_save(&iv->arena);
    st = ik_answer_copy(ev->value, &iv->arena, &v);
    if (st != IK_OK) {
        ik_arena_rewind(&iv->arena, mark);
        return st == IK_ELIMIT
                   ? ik_fail(err, IK_ELIMIT,
                             "the answer to \"%s\" is too large to keep",
                             iv->rb->questions[iv->current].id)
                   : ik_fail(err, IK_ENOMEM, "out of memory");
    }
    st = record(iv, IK_EV_ANSWER, v, err);
    if (st != IK_OK)
        ik_arena_rewind(&iv->arena, mark);
    return st;
}

const char *ik_interview_question_id(const ik_interview *iv, uint32_t q)
{
    return q < iv->rb->nquestions ? iv->rb->questions[q].id : NULL;
}

uint32_t ik_interview_find_question(const ik_interview *iv, const char *id)
{
    uint32_t q;

    for (q = 0; q < iv->rb->nquestions; q++)
        if (strcmp(iv->rb->questions[q].id, id) == 0)
            return q;
    return IK_STEP_NONE;
}

ik_status ik_interview_outcome_json(const ik_interview *iv, char **json,
                                    ik_error *err)
{
    ik_buf b;

    ik_buf_init(&b);
    ik_outcome_write_json(iv->rb, &iv->out, iv->aud, &b);
    if (ik_buf_status(&b) != IK_OK) {
        ik_buf_fini(&b);
        *json = NULL;
        return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    *json = ik_buf_take(&b, NULL);
    ik_buf_fini(&b);
    return *json ? IK_OK : ik_fail(err, IK_ENOMEM, "out of memory");
}

void ik_interview_free_string(char *s)
{
    ik_free(s);
}

/* ---- Internal accessors ---- */

const ik_rulebook *ik_interview_rulebook(const ik_interview *iv)
{
    return iv->rb;
}

ik_audience ik_interview_aud(const ik_interview *iv)
{
    return iv->aud;
}

const ik_outcome *ik_interview_outcome(const ik_interview *iv)
{
    return &iv->out;
}

const ik_outcome *ik_interview_applied(const ik_interview *iv)
{
    return &iv->out;
}

const ik_value *ik_interview_answers(const ik_interview *iv)
{
    return iv->answers;
}

ik_value ik_interview_earlier(const ik_interview *iv, uint32_t q)
{
    return q < iv->rb->nquestions ? iv->earlier[q] : ik_undef();
}

const uint32_t *ik_interview_trail(const ik_interview *iv, uint32_t *n)
{
    *n = iv->ntrail;
    return iv->trail;
}

void ik_interview_why(const ik_interview *iv, ik_buf *b)
{
    if (iv->current == IK_NONE)
        return;
    ik_buf_puts(b, ik_text_get(&iv->rb->questions[iv->current].why, iv->aud));
}
