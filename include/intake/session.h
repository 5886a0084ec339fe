/*
 * session.h -- saved interviews: the session file an interview writes after
 * every accepted answer, and the calls that find, load and list them.
 * Session files are health data: created 0600, replaced atomically, never
 * written through a symbolic link, never overwritten when damaged.
 */
#ifndef INTAKE_SESSION_H
#define INTAKE_SESSION_H

#include "intake/error.h"
#include "intake/interview.h"
#include "intake/rulebook.h"
#include "intake/value.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ik_session ik_session; /* opaque */

#define IK_SESSION_FORMAT "intake-session/1"

/*
 * Load and validate the session file at `path` (a symbolic link is
 * refused). Success: *out owns a new session (free with ik_session_free).
 * Failure: *out is NULL; IK_ENOENT when missing, IK_EIO when unreadable,
 * IK_ESESSION for a damaged or foreign file with err->file:line:col.
 */
IK_API ik_status ik_session_load_file(const char *path, ik_session **out,
                                      ik_error *err);
IK_API void ik_session_free(ik_session *s); /* NULL is fine */

/*
 * Load the session at `path` to carry it on: as ik_session_load_file, and
 * the file must be ours (owned by this user, not writable by others, in a
 * folder others cannot write to unless sticky). The session then holds
 * an exclusive lock (flock) on its file until ik_session_free, and the
 * files a killed save of it left behind (".NAME.XXXXXX") are removed.
 * IK_EIO, nothing changed, when another process holds the session.
 */
IK_API ik_status ik_session_open_file(const char *path, ik_session **out,
                                      ik_error *err);

/*
 * Save atomically to `path`: a new 0600 temporary file in the same folder,
 * written, synced and locked (flock), renamed over `path` (the first save:
 * linked, so it fails if the name was taken meanwhile), then the folder
 * synced; the session keeps the new file open as its lock. Refuses
 * (IK_EIO, nothing changed) a symbolic link or non-regular file at
 * `path`, an existing file this session neither loaded nor saved (so a
 * damaged or foreign file is never overwritten), and (first save) a
 * folder check as ik_session_open_file. On any failure the previous file
 * is intact and no temporary file is left behind.
 */
IK_API ik_status ik_session_save(ik_session *s, const char *path,
                                 ik_error *err);

/*
 * The folder sessions live in: $XDG_STATE_HOME/intake when XDG_STATE_HOME
 * is an absolute path, else $HOME/.local/state/intake. With `create`,
 * missing folders are made with mode 0700. Writes into buf.
 */
IK_API ik_status ik_session_dir(char *buf, size_t cap, bool create,
                                ik_error *err);

/*
 * A new, unused path in `dir` with a readable name,
 * 2026-11-28T1412-<label or audience>-<random>.json (UTC time of `now`).
 */
IK_API ik_status ik_session_new_path(const char *dir, const char *label,
                                     const char *audience, int64_t now,
                                     char *buf, size_t cap, ik_error *err);

/* Borrowed until ik_session_free(s). label may be NULL. */
IK_API const char *ik_session_pack_id(const ik_session *s);
IK_API const char *ik_session_pack_version(const ik_session *s);
IK_API const char *ik_session_pack_hash(const ik_session *s);
IK_API const char *ik_session_pack_file(const ik_session *s); /* may be "" */
IK_API const char *ik_session_label(const ik_session *s);
IK_API const char *ik_session_audience(const ik_session *s);
IK_API int64_t ik_session_started(const ik_session *s); /* Unix seconds */
IK_API int64_t ik_session_updated(const ik_session *s);
IK_API bool ik_session_is_complete(const ik_session *s);
/* The question to ask next, or NULL (not started, or complete). */
IK_API const char *ik_session_position(const ik_session *s);
/* The outcome object as compact JSON, or NULL until complete. */
IK_API const char *ik_session_outcome(const ik_session *s);

/* One saved session, as `intake sessions` lists it. */
typedef struct ik_session_info {
    char path[4096];
    char label[128]; /* "" when none */
    char pack[128];  /* "id@version" */
    char audience[16];
    int64_t started, updated;
    bool complete;
    bool damaged; /* could not be loaded: err says why */
    ik_error err;
} ik_session_info;

/*
 * Every *.json file in `dir`, newest first (by start time; damaged files,
 * by modification time). *out is a new array (free with ik_session_free_infos);
 * a missing folder is an empty list.
 */
IK_API ik_status ik_session_list(const char *dir, ik_session_info **out,
                                 size_t *n, ik_error *err);
IK_API void ik_session_free_infos(ik_session_info *infos);

/* ---- A session kept while an interview runs, and resumed ---- */

#define IK_SESSION_MAX_FILE  (16u * 1024 * 1024) /* bytes in a session */
#define IK_SESSION_MAX_LABEL 120                 /* bytes of a label */

/*
 * A new session for pack rb (its id, version, hash and file are copied),
 * audience aud and an optional label (NULL or "" for none), started at
 * `now` (Unix seconds). IK_EANSWER when the label is not valid UTF-8 or
 * longer than IK_SESSION_MAX_LABEL bytes.
 */
IK_API ik_status ik_session_new(const ik_rulebook *rb, ik_audience aud,
                                const char *label, int64_t now,
                                ik_session **out, ik_error *err);

/*
 * Bring s up to date with iv after an accepted answer, skip or back: the
 * interview's events not yet in s are appended with time `now`, the
 * current answers (questions that apply; skipped as null), the position
 * and, at the outcome step, the outcome are copied. Then save it.
 * IK_EMISUSE when iv has fewer events than s has taken from it.
 */
IK_API ik_status ik_session_sync(ik_session *s, const ik_interview *iv,
                                 int64_t now, ik_error *err);

/* Events in the history. */
IK_API size_t ik_session_nevents(const ik_session *s);
/* The i-th current answer in the order first given. */
IK_API const char *ik_session_answer_at(const ik_session *s, size_t i,
                                        ik_value *value);

/* True when path still names the file s last loaded or saved (not
 * replaced or removed by someone else since). */
IK_API bool ik_session_owns_file(const ik_session *s, const char *path);

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
IK_API ik_status ik_session_restore(ik_session *s, const ik_rulebook *rb,
                                    ik_interview **out, ik_session_resume *info,
                                    ik_error *err);

/*
 * After a resume that stopped at a refused answer: apply saved answers of
 * s (from before the resume) to iv while they fit, as ik_session_restore
 * does; call after each answer the person gives (a no-op for a session
 * that was not resumed). Counts into info, which may be NULL.
 */
IK_API ik_status ik_session_fill(const ik_session *s, ik_interview *iv,
                                 ik_session_resume *info, ik_error *err);

/* A saved answer that a restore on a changed pack left out, and why. */
typedef struct ik_session_left_out {
    const char *question; /* borrowed until ik_session_free */
    int line, col;        /* the answer in the file (0 when unknown) */
    char why[200];        /* one phrase, no final period */
} ik_session_left_out;

/* After ik_session_restore on a changed pack: the saved answers the
 * interview does not hold, each with why (no such question now, its value
 * no longer fits, its question no longer applies, or it comes after an
 * answer asked again), in the order the answers were saved. */
IK_API size_t ik_session_ndropped(const ik_session *s);
IK_API const ik_session_left_out *ik_session_dropped_at(const ik_session *s,
                                                        size_t i);

/*
 * Write data to a new file at path the way sessions are saved (0600,
 * synced, never through a symbolic link), refusing (IK_EIO) a path that
 * exists. For summaries saved next to a session.
 */
IK_API ik_status ik_atomic_write_new(const char *path, const char *data,
                                     size_t len, ik_error *err);

/* "2026-11-28T14:12:05Z"; buf needs 21 bytes. */
IK_API void ik_time_format(int64_t t, char *buf);
/* Parse exactly that form; false when it is not a valid UTC time. */
IK_API bool ik_time_parse(const char *s, int64_t *t);

#ifdef __cplusplus
}
#endif

#endif
