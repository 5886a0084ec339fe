/*
 * atomic.c -- atomic file writing for health data: a new 0600 temporary
 * file in the target's folder, written, synced, closed (checked), then
 * linked or renamed into place and the folder synced, so a reader finds
 * the old file or the new one, never half of one. Sessions and the saved
 * summaries write through here. Never follows a symbolic link at the
 * target; with a test hook that fails the nth file operation.
 */
#define _POSIX_C_SOURCE 200809L
#include "atomic.h"

#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* The save-failure hook, per thread like the allocation hook (alloc.c):
 * a test that sets it fails only its own thread's saves. */
static _Thread_local long io_fail_at, io_count;

long ik_atomic_fail_io_after(long n)
{
    long made = io_count;

    io_fail_at = n;
    io_count = 0;
    return made;
}

/* Every file operation of a save passes here first, so a test can make
 * the nth one fail as a full disk would. */
bool ik_atomic_io_refused(void)
{
    io_count++;
    if (io_fail_at > 0 && io_count >= io_fail_at) {
        errno = ENOSPC;
        return true;
    }
    return false;
}

ik_status ik_atomic_fail(ik_error *err, const char *path, const char *what)
{
    return ik_fail_at(err, IK_EIO, path, 0, 0,
                      "cannot save the session (%s): "
                      "%s",
                      what, strerror(errno));
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        size_t chunk = n > 65536 ? 65536 : n;
        ssize_t w;
        if (ik_atomic_io_refused())
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
bool ik_atomic_temp_names(const char *path, char *dir, size_t dcap, char *tmpl,
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

ik_status ik_atomic_sync_dir(const char *dir, const char *path, ik_error *err)
{
    int fd;
    int rc;

    if (ik_atomic_io_refused())
        return ik_atomic_fail(err, path, "syncing the folder");
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ik_atomic_fail(err, path, "opening the folder");
    rc = fsync(fd);
    close(fd);
    if (rc != 0 && errno != EINVAL)
        return ik_atomic_fail(err, path, "syncing the folder");
    return IK_OK;
}

/* Write text into a new temp file; on success it is synced, st filled,
 * and *fd left open (the caller closes it, or keeps it as the lock). */
ik_status ik_atomic_write_temp(const char *tmpl_path, char *tmpl,
                               const char *text, size_t len, struct stat *st,
                               int *fdp, ik_error *err)
{
    int fd;
    const char *what = NULL;

    if (ik_atomic_io_refused())
        return ik_atomic_fail(err, tmpl_path, "creating a temporary file");
    fd = mkstemp(tmpl);
    if (fd < 0)
        return ik_atomic_fail(err, tmpl_path, "creating a temporary file");
    if (fchmod(fd, S_IRUSR | S_IWUSR) != 0)
        what = "setting its mode";
    else if (!write_all(fd, text, len))
        what = "writing";
    else if (ik_atomic_io_refused() || fsync(fd) != 0)
        what = "syncing";
    else if (fstat(fd, st) != 0)
        what = "inspecting the temporary file";
    if (what) {
        int e = errno;
        close(fd);
        unlink(tmpl);
        errno = e;
        return ik_atomic_fail(err, tmpl_path, what);
    }
    *fdp = fd;
    return IK_OK;
}

/* Close a written temp file, checked; on failure it is removed. */
ik_status ik_atomic_close_temp(int fd, const char *tmpl, const char *path,
                               ik_error *err)
{
    int e;

    if (ik_atomic_io_refused()) {
        e = errno;
        close(fd);
    } else if (close(fd) != 0) { /* the descriptor is gone either way */
        e = errno;
    } else {
        return IK_OK;
    }
    unlink(tmpl);
    errno = e;
    return ik_atomic_fail(err, path, "closing");
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
void ik_atomic_remove_stale_temps(const char *path)
{
    char dir[4096], tmpl[4200], full[8400];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    struct dirent *de;
    struct stat st;
    DIR *d;

    if (!ik_atomic_temp_names(path, dir, sizeof dir, tmpl, sizeof tmpl) ||
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

ik_status ik_atomic_write_new(const char *path, const char *data, size_t len,
                              ik_error *err)
{
    char dir[4096], tmpl[4200];
    struct stat st;
    ik_status rc;
    int fd = -1; /* set by ik_atomic_write_temp; gcc -O3 cannot tell */

    if (!ik_atomic_temp_names(path, dir, sizeof dir, tmpl, sizeof tmpl))
        return ik_fail_at(err, IK_EIO, path, 0, 0, "not a usable file name");
    if (lstat(path, &st) == 0)
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the file already exists; not overwriting it");
    if ((rc = ik_atomic_write_temp(path, tmpl, data, len, &st, &fd, err)) !=
            IK_OK ||
        (rc = ik_atomic_close_temp(fd, tmpl, path, err)) != IK_OK)
        return rc;
    /* link, unlike rename, fails when the name was taken meanwhile */
    if (ik_atomic_io_refused() || link(tmpl, path) != 0) {
        int e = errno;
        unlink(tmpl);
        errno = e;
        return ik_atomic_fail(err, path, "naming the file");
    }
    unlink(tmpl);
    return ik_atomic_sync_dir(dir, path, err);
}
