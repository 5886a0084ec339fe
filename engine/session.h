/*
 * session.h (internal) -- build a session while an interview runs, read it
 * back for resume and export, and check answer values against a pack.
 * The session stores values and times; it never decides what to ask (that
 * is the interview's job) and does no terminal I/O.
 */
#ifndef IK_SESSION_INTERNAL_H
#define IK_SESSION_INTERNAL_H

#include "intake/session.h"
#include "intake/interview.h"

/* Creating, syncing and restoring a session with an interview: public
 * (intake/session.h). */

#include "arena.h"
#include "buf.h"
#include "outcome.h"
#include "rulebook.h"
#include "value.h"

#include <stdbool.h>
#include <stdint.h>

/* IK_SESSION_MAX_FILE, IK_SESSION_MAX_LABEL: intake/session.h */

/* One accepted step, in the order it happened. */
typedef struct ik_session_event {
    ik_event_kind kind;   /* as the interview records it */
    const char *question; /* id, in the session's arena; BACK: the
                             question returned to */
    ik_value value;       /* ANSWER only; else null */
    int64_t at;           /* Unix seconds, UTC */
    int line, col;        /* where a loaded entry is in its file; else 0 */
} ik_session_event;

/*
 * Append one event to the history (ik_session_sync does this for an
 * interview) and update the current answers: an answer sets the
 * question's value (copied), a skip or acknowledgement sets null, a back
 * changes none. IK_EANSWER for a value no session file can hold (not
 * valid UTF-8, NUL, NaN); IK_ENOMEM leaves s unchanged.
 */
ik_status ik_session_record(ik_session *s, ik_event_kind kind,
                            const char *question, ik_value value, int64_t now,
                            ik_error *err);

/* Remove a current answer (kept in the history), e.g. when its question
 * no longer applies after a changed answer. No-op when absent. */
void ik_session_drop(ik_session *s, const char *question);

/* The question to ask next; NULL for none. IK_ENOMEM leaves s unchanged. */
ik_status ik_session_set_position(ik_session *s, const char *question,
                                  ik_error *err);

/*
 * Mark the session complete with outcome o of pack rb, kept as the
 * outcome object for the session's audience (ik_outcome_write_json, the
 * docs/DESIGN.md shape); the position becomes NULL. IK_ENOMEM leaves s
 * unchanged.
 */
ik_status ik_session_set_outcome(ik_session *s, const ik_rulebook *rb,
                                 const ik_outcome *o, ik_error *err);
/* Back to incomplete (an answer was changed after the end). */
void ik_session_clear_outcome(ik_session *s);

/* History and current answers; pointers borrowed until the next change. */
const ik_session_event *ik_session_event_at(const ik_session *s, size_t i);
size_t ik_session_nanswers(const ik_session *s);
/* The current answer to `question`, or IK_UNDEF. */
ik_value ik_session_find_answer(const ik_session *s, const char *question);
ik_audience ik_session_get_audience(const ik_session *s);

/* True when s was made with a pack of the same id, version and hash. */
bool ik_session_matches_pack(const ik_session *s, const ik_rulebook *rb);

/* ---- With an interview ---- */

/* The file a session was loaded from ("" when none). */
const char *ik_session_file(const ik_session *s);

/* Append the session file's JSON text to b (its out-of-memory is
 * sticky; check ik_buf_status). */
void ik_session_write_json(const ik_session *s, ik_buf *b);

/* Parse and validate session text (text[len] must be '\0'); `file` names
 * it in errors. Failure codes as ik_session_load_file. */
ik_status ik_session_load_text(const char *text, size_t len, const char *file,
                               ik_session **out, ik_error *err);

#endif
