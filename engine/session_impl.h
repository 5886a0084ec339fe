/*
 * session_impl.h (private to engine/session*.c) -- the session's fields
 * and the helpers its files share. Other modules use session.h.
 */
#ifndef IK_SESSION_IMPL_H
#define IK_SESSION_IMPL_H

#include "session.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct ik_saved_answer {
    const char *question;
    ik_value value;
    int line, col; /* of a loaded answer in its file; else 0 */
} ik_saved_answer;

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
    ik_saved_answer *answers;
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

extern const char *const ik_session_audience_names[IK_AUD__COUNT];

/* A new empty session (arena ready, no lock); NULL when out of memory. */
ik_session *ik_session_alloc(void);
/* A copy of str in the session's arena, or NULL. */
const char *ik_session_strdup(ik_session *s, const char *str);
/* The pack's file as an absolute path, so export finds it from any
 * folder; in the session's arena, or NULL. */
const char *ik_session_dup_pack_file(ik_session *s, const char *file);
/* IK_EANSWER when label is too long or holds control characters. */
ik_status ik_session_check_label(const char *label, ik_error *err);
/* Make room for element n of *arr (doubling); false when out of memory. */
bool ik_session_grow(void **arr, size_t *cap, size_t n, size_t size);
/* An event that sets a current answer (answer, skip, acknowledgement). */
bool ik_session_is_answer_event(ik_event_kind kind);
/* Append to the history without validation; the current answers are not
 * touched. */
ik_status ik_session_append_event(ik_session *s, ik_event_kind kind,
                                  const char *question, ik_value value,
                                  int64_t at, ik_error *err);
/* The checks of ik_session_record on one event. */
ik_status ik_session_check_event(ik_event_kind kind, const char *question,
                                 ik_value value, ik_error *err);
/* Same kind and value (arrays item by item). */
bool ik_session_value_equal(ik_value a, ik_value b);

#endif
