/*
 * interview.h -- the interview state machine: what to ask next, what a
 * typed answer means, going back, skipping, and the outcome. It never
 * reads, prints or exits; a front end renders the steps it returns.
 *
 * The loop a front end runs:
 *
 *     ik_interview_next(iv, &step, &err);          what to show
 *     if (ik_interview_command(iv, line, len) != IK_CMD_NONE) ...  back, ...
 *     st = ik_interview_answer(iv, line, len, &err);
 *     if (st == IK_EANSWER) show err.msg and ask again
 *
 * Questions are asked in pack order: the next question is the first one
 * whose enable_when holds and that has no answer yet. Derived values and
 * red flags are recomputed after every change. A red flag acts as the pack
 * declares: `stop` ends the interview at once (the next step is the
 * outcome); `alert` comes back on the next question step as step.alert,
 * to be shown before the question: the person goes on (answering the
 * question also goes on) or stops there (ik_interview_alert); each alert
 * is raised once an interview.
 *
 * The whole state is the event history (answers, skips, backs, in order)
 * plus the audience and the patient label: replaying the events with
 * ik_interview_apply on a new interview restores answers and position
 * exactly. That is what sessions save.
 */
#ifndef INTAKE_INTERVIEW_H
#define INTAKE_INTERVIEW_H

#include "intake/buf.h"
#include "intake/error.h"
#include "intake/rulebook.h"
#include "intake/value.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ik_interview ik_interview; /* opaque */

#define IK_ANSWER_MAX_LINE 100000 /* bytes: longer lines are refused */

typedef enum ik_step_kind {
    IK_STEP_QUESTION, /* ask question `question` */
    IK_STEP_OUTCOME   /* nothing left to ask, or a stop red flag fired */
} ik_step_kind;

/* An absent index in a step (no stop flag, no alert) is IK_NONE. */
typedef struct ik_step {
    ik_step_kind kind;
    uint32_t question;  /* QUESTION: index into the pack's questions */
    const char *id;     /* QUESTION: its id (borrowed from the rulebook) */
    uint32_t number;    /* QUESTION: 1-based count of questions asked so far,
                           this one included */
    uint32_t to_go;     /* QUESTION: other questions that apply now and
                           have no answer: what remains if later answers
                           bring in nothing new */
    uint32_t to_go_max; /* QUESTION: at most this many follow; the exact
                           number once ik_interview_at_most was called
                           for this question; before that, to_go plus
                           questions that do not
                           apply now but could: their enable_when reads,
                           directly or through derived values, this
                           question or a later one not answered yet (once
                           the interview is past the last question a
                           condition reads, whether it applies is
                           settled), capped on a forward step by the
                           bound before it less one: it holds whatever
                           the later answers and never rises on a
                           forward step (answer, skip, acknowledgement,
                           alert); "at most M more" */
    bool has_earlier;   /* QUESTION: an earlier answer exists (after back);
                           an empty line keeps it */
    bool can_back;      /* a question was asked before this step */
    bool can_skip;      /* QUESTION: not required (info: never) */
    uint32_t stop_flag; /* OUTCOME: red flag index that stopped the
                           interview, IK_NONE when it completed */
    uint32_t alert;     /* QUESTION: a red flag with `alert` that has just
                           fired: show its message and ask whether to go
                           on before the question; IK_NONE: none */
    bool ended_early;   /* OUTCOME: the person stopped at an alert with
                           questions left (back goes on with them) */
} ik_step;

/* Commands a person can type at any question (see ik_command_parse). */
typedef enum ik_command {
    IK_CMD_NONE, /* not a command: an answer */
    IK_CMD_BACK,
    IK_CMD_WHY,
    IK_CMD_SKIP,
    IK_CMD_HELP,
    IK_CMD_SUMMARY,
    IK_CMD_QUIT,
    IK_CMD__COUNT
} ik_command;

/*
 * Classify a typed line. Commands are the words back, why, skip, help,
 * summary and quit (also "?" for help), alone on the line, any case,
 * surrounding spaces ignored. No answer form uses these words: choice and
 * multi answers never match them as values or label prefixes (type the
 * option's number instead), and a text answer that is one of them is
 * written with a leading backslash ("\back"), which ik_interview_answer
 * removes. At a question, ik_interview_command says what a line is.
 */
IK_API ik_command ik_command_parse(const char *text, size_t len);
/* "back", "why", ...; "" for IK_CMD_NONE. */
IK_API const char *ik_command_name(ik_command cmd);

/*
 * Start an interview on rb (borrowed: must outlive the interview) for an
 * audience, "patient" or "nurse" (NULL: patient). IK_EMISUSE for another
 * name, IK_ERULES when the pack does not declare that audience; IK_ENOMEM. The
 * first step is computed here, so a pack whose answers-free state already fires
 * a stop flag starts on the outcome.
 */
IK_API ik_status ik_interview_new(const ik_rulebook *rb, const char *audience,
                                  ik_interview **out, ik_error *err);
IK_API void ik_interview_free(ik_interview *iv); /* NULL is fine */

/* "patient" or "nurse". */
IK_API const char *ik_interview_audience(const ik_interview *iv);
/* The same as an ik_audience. */
IK_API ik_audience ik_interview_aud(const ik_interview *iv);

/* The patient label (nurse mode; free text, may be empty). Copied. */
IK_API ik_status ik_interview_set_label(ik_interview *iv, const char *label,
                                        ik_error *err);
IK_API const char *ik_interview_label(const ik_interview *iv); /* never NULL */

/* What to show now. Cannot fail. */
IK_API void ik_interview_next(const ik_interview *iv, ik_step *step);

/*
 * "At most M more" for the current question, exact: the most questions
 * any continuation of the answers so far can still ask after this one
 * (the person goes on at every alert; a stop red flag ends it), found by
 * a search over the classes of answers the pack's conditions can tell
 * apart (see docs/ARCHITECTURE.md), run by the interview's own step. It
 * runs on demand, when at most 64 could follow, within a budget of 4,096
 * steps, remembering states across the interview; where it stops short
 * the answer is still a bound that holds (never below the truth). It
 * never rises on a forward step (answer, skip, acknowledgement, going on
 * at an alert). Afterwards step.to_go_max says the same. 0 at the
 * outcome. Leaves the interview as it was; cannot fail (out of memory:
 * the counters' bound).
 */
IK_API uint32_t ik_interview_at_most(ik_interview *iv);

/*
 * Answer the current question with the text a person typed (len bytes;
 * need not be NUL-terminated). IK_EANSWER: err->msg says what is
 * acceptable, nothing changed. An empty line keeps the earlier answer
 * when there is one, and acknowledges an info question. IK_EMISUSE when
 * the current step is the outcome. Commands are not answers: call
 * ik_command_parse first.
 */
IK_API ik_status ik_interview_answer(ik_interview *iv, const char *text,
                                     size_t len, ik_error *err);

/*
 * Answer ahead: a line of several answers separated by spaces ("y n n 2
 * n") answers the current question and those after it in turn, each
 * checked as ik_interview_answer checks it ("skip" or "-" skips). When the
 * whole line is an answer to the current question (a label with spaces,
 * "not sure"), it is that one answer. Stops at the first token refused
 * (IK_EANSWER, err says why; the answers before it stand), at an alert
 * raised, at the outcome, and before a text question (it takes a whole
 * line). *n: answers applied; *used: bytes of text consumed (len when
 * every token was used).
 */
IK_API ik_status ik_interview_answer_ahead(ik_interview *iv, const char *text,
                                           size_t len, uint32_t *n,
                                           size_t *used, ik_error *err);

/*
 * Whether the one key `key`, typed alone, is a whole answer to the
 * current question that no longer answer starts with (y, n, ? for "not
 * sure" where allowed, an option's number or a small whole number that
 * cannot be the start of a longer one), so a front end may answer with it
 * without waiting for Enter; false at the outcome. Answering still goes
 * through ik_interview_answer.
 */
IK_API bool ik_interview_takes_key(const ik_interview *iv, int key);

/*
 * What a line typed at the current question is: a command (as
 * ik_command_parse), or IK_CMD_NONE for an answer to give to
 * ik_interview_answer. The one difference is "?": in nurse mode, where
 * the question takes "not sure" (ik_interview_takes_key(iv, '?'), the key
 * the hint [y/n/?] shows), it is that answer; elsewhere it asks for help.
 */
IK_API ik_command ik_interview_command(const ik_interview *iv,
                                       const char *text, size_t len);

/* Skip the current question. IK_EANSWER with a message when it is
 * required or an info question. */
IK_API ik_status ik_interview_skip(ik_interview *iv, ik_error *err);

/*
 * Go back to the previous asked question (also from the outcome). Its
 * answer becomes the "earlier answer" offered again; answers after it are
 * kept as earlier answers too and re-offered when those questions come up
 * again. IK_EANSWER with a message when nothing was asked before.
 */
IK_API ik_status ik_interview_back(ik_interview *iv, ik_error *err);

/*
 * At a question step with step.alert set: the person saw the alert and
 * chose to go on (the question is asked; the next alert, if any, comes
 * first) or to stop and see the outcome now (the step becomes the
 * outcome, ended_early; back returns to the questions). Recorded as an
 * event. IK_EMISUSE when no alert is waiting.
 */
IK_API ik_status ik_interview_alert(ik_interview *iv, bool go_on,
                                    ik_error *err);

/*
 * The person leaves before the end (quit, end of input, interrupt). When
 * red flags have fired, records an event naming them (the front end shows
 * their messages and the safety net first), so the saved session says
 * what the person was told on the way out; else changes nothing.
 * *nfired (may be NULL) receives how many had fired.
 */
IK_API ik_status ik_interview_leave(ik_interview *iv, uint32_t *nfired,
                                    ik_error *err);

/* ---- History: what sessions save and restore ---- */

typedef enum ik_event_kind {
    IK_EV_ANSWER,     /* question answered with value */
    IK_EV_SKIP,       /* question skipped (recorded as null) */
    IK_EV_ACK,        /* info question acknowledged (recorded as null) */
    IK_EV_BACK,       /* went back one question */
    IK_EV_ALERT,      /* saw the alert of red flag `value` (its id) and went on;
                         question: the one answered that raised it */
    IK_EV_ALERT_STOP, /* saw it and stopped to see the outcome */
    IK_EV_LEAVE,      /* left before the end after red flags fired: value is
                         the array of their ids; question: where (last asked) */
    IK_EV__COUNT
} ik_event_kind;

typedef struct ik_event {
    ik_event_kind kind;
    uint32_t question; /* index into the pack's questions; BACK: the one
                          returned to */
    ik_value value;    /* ANSWER: the recorded value (borrowed from the
                          interview); ALERT*, LEAVE: as above; else null */
} ik_event;

/* Number of events so far, and event i (0 = oldest). Values borrowed until
 * ik_interview_free. */
IK_API size_t ik_interview_nevents(const ik_interview *iv);
IK_API ik_event ik_interview_event(const ik_interview *iv, size_t i);

/*
 * Apply one saved event (replaying a session). ev->question must be the
 * current question (BACK: ignored) and an ANSWER value must fit its type
 * (deep-copied); else IK_ESESSION with a message, nothing changed.
 */
IK_API ik_status ik_interview_apply(ik_interview *iv, const ik_event *ev,
                                    ik_error *err);

/* The id of question index q, or NULL when out of range. */
IK_API const char *ik_interview_question_id(const ik_interview *iv, uint32_t q);
/* Index of question `id`, or IK_NONE. */
IK_API uint32_t ik_interview_find_question(const ik_interview *iv,
                                           const char *id);

/*
 * The current outcome (recomputed after every change; for a question step
 * it is the outcome of the answers so far) as JSON in the docs/DESIGN.md shape,
 * written into a new string (free with ik_interview_free_string).
 */
IK_API ik_status ik_interview_outcome_json(const ik_interview *iv, char **json,
                                           ik_error *err);

/* ---- What a front end renders besides the step ---- */

/* Whether question q applies to the answers so far (its enable_when
 * holds); false when q is not below ik_rulebook_nquestions. */
IK_API bool ik_interview_applies(const ik_interview *iv, uint32_t q);

/* The recorded answers by question index (UNDEF: none; NULL: skipped or
 * acknowledged), also those to questions that no longer apply (see
 * ik_interview_applies); borrowed until iv changes. */
IK_API const ik_value *ik_interview_answers(const ik_interview *iv);

/* The earlier answer offered for question q after going back (UNDEF when
 * none). */
IK_API ik_value ik_interview_earlier(const ik_interview *iv, uint32_t q);

/* Questions answered, skipped or acknowledged, in the order asked (the
 * path back walks); *n receives the count. */
IK_API const uint32_t *ik_interview_trail(const ik_interview *iv, uint32_t *n);

/* Append the why text of the current question ("" at the outcome). */
IK_API void ik_interview_why(const ik_interview *iv, ik_buf *b);

/* Append answer v to question q in words as the person would read it:
 * "yes", "don't know", option labels joined by ", ", the number with its
 * unit, the text; "(skipped)" for null, "" for undefined. Nothing when q
 * is not below ik_rulebook_nquestions (as for ik_question_hint). */
IK_API void ik_question_format_answer(const ik_rulebook *rb, uint32_t q,
                                      ik_audience aud, ik_value v, ik_buf *b);
/* Append what answers question q accepts, as one sentence for a prompt
 * ("Please enter a whole number from 0 to 10"). */
IK_API void ik_question_hint(const ik_rulebook *rb, uint32_t q, ik_audience aud,
                             ik_buf *b);

/*
 * Complete iv without a person from an answers object (JSON text
 * text[0..len), text[len] == '\0'; `file` names it in errors), as
 * `intake run --answers` does: each question the interview asks gets its
 * answer, one left out is skipped, a required one left out is refused.
 * IK_ESYNTAX, IK_EANSWER (err->path names the member), IK_ELOGIC,
 * IK_ENOMEM.
 */
IK_API ik_status ik_interview_answer_all(ik_interview *iv, const char *text,
                                         size_t len, const char *file,
                                         ik_error *err);
IK_API void ik_interview_free_string(char *s);

#ifdef __cplusplus
}
#endif

#endif
