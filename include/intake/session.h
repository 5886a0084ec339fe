/*
 * session.h -- saved interviews: the session file an interview writes after
 * every accepted answer, and the calls that find, load and list them.
 * Session files are health data: created 0600, replaced atomically, never
 * written through a symbolic link, never overwritten when damaged.
 */
#ifndef INTAKE_SESSION_H
#define INTAKE_SESSION_H

#include "intake/error.h"

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

/* "2026-11-28T14:12:05Z"; buf needs 21 bytes. */
IK_API void ik_time_format(int64_t t, char *buf);
/* Parse exactly that form; false when it is not a valid UTC time. */
IK_API bool ik_time_parse(const char *s, int64_t *t);

#ifdef __cplusplus
}
#endif

#endif
