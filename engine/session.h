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

#include "arena.h"
#include "buf.h"
#include "outcome.h"
#include "rulebook.h"
#include "value.h"

#include <stdbool.h>
#include <stdint.h>

#define IK_SESSION_MAX_FILE  (16u * 1024 * 1024) /* bytes in a session */
#define IK_SESSION_MAX_LABEL 120                 /* bytes of a label */

/* One accepted step, in the order it happened. */
typedef struct ik_session_event {
    ik_event_kind kind;   /* as the interview records it */
    const char *question; /* id, in the session's arena; BACK: the
                             question returned to */
    ik_value value;       /* ANSWER only; else null */
    int64_t at;           /* Unix seconds, UTC */
    int line, col;        /* where a loaded entry is in its file; else 0 */
} ik_session_event;

/* A saved answer that a restore on a changed pack left out, and why. */
typedef struct ik_session_left_out {
    const char *question; /* borrowed until ik_session_free */
    int line, col;        /* the answer in the file (0 when unknown) */
    char why[200];        /* one phrase, no final period */
} ik_session_left_out;

/*
 * A new session for pack rb (its id, version, hash and file are copied),
 * audience aud and an optional label (NULL or "" for none), started at
 * `now` (Unix seconds). IK_EANSWER when the label is not valid UTF-8 or
 * longer than IK_SESSION_MAX_LABEL bytes.
 */
ik_status ik_session_new(const ik_rulebook *rb, ik_audience aud,
                         const char *label, int64_t now, ik_session **out,
                         ik_error *err);

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
size_t ik_session_nevents(const ik_session *s);
const ik_session_event *ik_session_event_at(const ik_session *s, size_t i);
size_t ik_session_nanswers(const ik_session *s);
/* The i-th current answer in the order first given. */
const char *ik_session_answer_at(const ik_session *s, size_t i,
                                 ik_value *value);
/* The current answer to `question`, or IK_UNDEF. */
ik_value ik_session_find_answer(const ik_session *s, const char *question);
ik_audience ik_session_get_audience(const ik_session *s);

/* True when s was made with a pack of the same id, version and hash. */
bool ik_session_matches_pack(const ik_session *s, const ik_rulebook *rb);

/* ---- With an interview ---- */

/*
 * Bring s up to date with iv after an accepted answer, skip or back: the
 * interview's events not yet in s are appended with time `now`, the
 * current answers (questions that apply; skipped as null), the position
 * and, at the outcome step, the outcome are copied. Then save it.
 * IK_EMISUSE when iv has fewer events than s has taken from it.
 */
ik_status ik_session_sync(ik_session *s, const ik_interview *iv, int64_t now,
                          ik_error *err);

/* The file a session was loaded from ("" when none). */
const char *ik_session_file(const ik_session *s);

/* After ik_session_restore on a changed pack: the saved answers the
 * interview does not hold, each with why (no such question now, its value
 * no longer fits, its question no longer applies, or it comes after an
 * answer asked again), in the order the answers were saved. */
size_t ik_session_ndropped(const ik_session *s);
const ik_session_left_out *ik_session_dropped_at(const ik_session *s,
                                                size_t i);

/* What ik_session_restore found. */
typedef struct ik_session_resume {
    bool pack_changed;      /* id, version or hash differ from the saved ones */
    bool replayed;          /* the history replayed exactly (same pack) */
    uint32_t kept;          /* saved answers now in the interview */
    uint32_t refused;       /* saved answers that no longer fit (asked again) */
    ik_error first_refused; /* why the first refused answer does not fit */
    uint32_t dropped;       /* saved answers left out (ik_session_ndropped) */
} ik_session_resume;

/*
 * A new interview on rb for s's audience and label, restored from s.
 * When the pack is the one the session was saved with (same hash), the
 * history (from its last pack change on) is replayed exactly, and must
 * replay: an answer the pack rejects, an unknown question, or a history
 * that does not lead to the saved position or completeness is a damaged
 * file, IK_ESESSION at the entry's FILE:LINE:COL. When the pack changed,
 * each saved answer is checked against rb and applied while it fits, in
 * the order rb asks, stopping at the first question without a fitting
 * saved answer; the answers left out are listed (ik_session_dropped_at)
 * and counted in info->dropped, and the next sync records the restored
 * steps, so the history replays on rb from there ("replay_from").
 * Afterwards s takes new events from the returned interview (pass it to
 * ik_session_sync) and records rb's id, version and hash. *out: free with
 * ik_interview_free. IK_ESESSION when rb is another pack (its id differs).
 */
ik_status ik_session_restore(ik_session *s, const ik_rulebook *rb,
                             ik_interview **out, ik_session_resume *info,
                             ik_error *err);

/*
 * After a resume that stopped at a refused answer: apply saved answers of
 * s (from before the resume) to iv while they fit, as ik_session_restore
 * does; call after each answer the person gives (a no-op for a session
 * that was not resumed). Counts into info, which may be NULL.
 */
ik_status ik_session_fill(const ik_session *s, ik_interview *iv,
                          ik_session_resume *info, ik_error *err);

/* True when path still names the file s last loaded or saved (not
 * replaced or removed by someone else since). */
bool ik_session_owns_file(const ik_session *s, const char *path);

/* Append the session file's JSON text to b (its out-of-memory is
 * sticky; check ik_buf_status). */
void ik_session_write_json(const ik_session *s, ik_buf *b);

/* Parse and validate session text (text[len] must be '\0'); `file` names
 * it in errors. Failure codes as ik_session_load_file. */
ik_status ik_session_load_text(const char *text, size_t len, const char *file,
                               ik_session **out, ik_error *err);

#endif
