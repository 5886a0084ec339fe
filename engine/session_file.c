/*
 * session_file.c -- a session on disk: loading it from its file, opening
 * it to carry on (locked), and saving it atomically (engine/atomic.c).
 * Never follows a symbolic link at the session path and never replaces a
 * file it did not load or write itself.
 */
#define _POSIX_C_SOURCE 200809L
#include "session_impl.h"

#include "alloc.h"
#include "atomic.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef S_ISVTX /* XSI; the sticky bit of a folder like /tmp */
#define S_ISVTX 01000
#endif

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

static ik_status check_target(const ik_session *s, const char *path,
                              ik_error *err)
{
    struct stat st;

    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return IK_OK;
        return ik_atomic_fail(err, path, "cannot inspect the file");
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

    if (!ik_atomic_temp_names(path, dir, sizeof dir, tmpl, sizeof tmpl))
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
    rc = ik_atomic_write_temp(path, tmpl, b.data, b.len, &st, &fd, err);
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
        return ik_atomic_fail(err, path, "locking the new file");
    }
    if ((rc = ik_atomic_close_temp(fd, tmpl, path, err)) != IK_OK) {
        close(lock);
        return rc;
    }
    fd = lock;
    if (create) {
        /* link, unlike rename, fails when the name was taken meanwhile:
         * two intakes creating one session cannot both succeed */
        if (ik_atomic_io_refused() || link(tmpl, path) != 0) {
            int e = errno;
            close(fd);
            unlink(tmpl);
            if (e == EEXIST)
                return ik_fail_at(err, IK_EIO, path, 0, 0,
                                  "the file already exists and is not this "
                                  "session's file; not overwriting it");
            errno = e;
            return ik_atomic_fail(err, path, "naming the file");
        }
        unlink(tmpl);
    } else if (ik_atomic_io_refused() || rename(tmpl, path) != 0) {
        int e = errno;
        close(fd);
        unlink(tmpl);
        errno = e;
        return ik_atomic_fail(err, path, "replacing the previous file");
    }
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    s->lock_fd = fd;
    s->has_file = true;
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    if (create)
        ik_atomic_remove_stale_temps(path);
    return ik_atomic_sync_dir(dir, path, err);
}

ik_status ik_session_open_file(const char *path, ik_session **out,
                               ik_error *err)
{
    char dir[4096], tmpl[4200];
    struct stat st, at;
    ik_status rc;
    int fd, attempt;

    *out = NULL;
    if (!ik_atomic_temp_names(path, dir, sizeof dir, tmpl, sizeof tmpl))
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
    ik_atomic_remove_stale_temps(path);
    return IK_OK;
}
