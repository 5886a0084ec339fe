/*
 * atomic.h (internal) -- atomic file writing for health data (sessions,
 * saved summaries): 0600 temporary files in the target's folder, synced,
 * then linked or renamed into place, the folder synced. No terminal I/O.
 */
#ifndef IK_ATOMIC_H
#define IK_ATOMIC_H

#include "intake/error.h"
#include "intake/session.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* ik_atomic_write_new: public (intake/session.h) */

/*
 * Test hook: the nth file operation of a save from now (1-based: open,
 * each write, fsync, close, rename, folder sync) and every one after it
 * fail as if the disk were full; 0 turns the hook off. Returns how many
 * operations were made since the last call.
 */
long ik_atomic_fail_io_after(long n);

/* ---- The steps, for a save that does more (engine/session_file.c) ---- */

/* Every file operation of a save calls this first: true (errno ENOSPC)
 * when the test hook fails it. */
bool ik_atomic_io_refused(void);
/* IK_EIO naming path, what failed and strerror(errno). */
ik_status ik_atomic_fail(ik_error *err, const char *path, const char *what);
/* Split path into its folder ("." when none) and the template of a
 * temporary file beside it (".NAME.XXXXXX"); false when they do not fit. */
bool ik_atomic_temp_names(const char *path, char *dir, size_t dcap, char *tmpl,
                          size_t tcap);
/* fsync the folder (a file system that cannot is fine). */
ik_status ik_atomic_sync_dir(const char *dir, const char *path, ik_error *err);
/* Write text into a new 0600 temp file from tmpl; on success it is
 * synced, st filled, and *fdp left open (the caller closes it with
 * ik_atomic_close_temp, or keeps it). On failure nothing is left. */
ik_status ik_atomic_write_temp(const char *tmpl_path, char *tmpl,
                               const char *text, size_t len, struct stat *st,
                               int *fdp, ik_error *err);
/* Close a written temp file, checked; on failure it is removed. */
ik_status ik_atomic_close_temp(int fd, const char *tmpl, const char *path,
                               ik_error *err);
/* Remove the temporary files a killed save of path left behind (our own
 * regular files only); call while no other save of path can run. */
void ik_atomic_remove_stale_temps(const char *path);

#endif
