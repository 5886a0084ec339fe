/*
 * session_dir.c -- where sessions live: the session folder (XDG state,
 * ours alone), new session file names, and listing the sessions in a
 * folder. Files only, never the terminal.
 */
#define _POSIX_C_SOURCE 200809L
#include "session_impl.h"

#include "alloc.h"
#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* ---- Where sessions live ---- */

/* The default session folder is ours alone, as ssh wants ~/.ssh: not a
 * symbolic link, owned by this user, writable by nobody else. */
static ik_status check_state_dir(const char *path, ik_error *err)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return ik_fail_at(err, errno == ENOENT ? IK_ENOENT : IK_EIO, path, 0, 0,
                          "cannot use the session folder: %s", strerror(errno));
    if (S_ISLNK(st.st_mode))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the session folder is a symbolic link; not using "
                          "it (make it a folder of your own, mode 700)");
    if (!S_ISDIR(st.st_mode))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the session folder is not a folder");
    if (st.st_uid != geteuid())
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "the session folder belongs to another user (uid "
                          "%ld); not using it",
                          (long)st.st_uid);
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return ik_fail_at(err, IK_EIO, path, 0, 0,
                          "others can write to the session folder (mode "
                          "%03o); not using it (chmod 700 it)",
                          (unsigned)(st.st_mode & 0777));
    return IK_OK;
}

static ik_status make_dirs(char *path, size_t from, ik_error *err)
{
    size_t i, n = strlen(path);

    for (i = from; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        if (i == 0)
            continue;
        path[i] = '\0';
        if (mkdir(path, S_IRWXU) != 0 && errno != EEXIST) {
            int e = errno;
            path[i] = i < n ? '/' : '\0';
            return ik_fail_at(err, IK_EIO, path, 0, 0,
                              "cannot create the session folder: %s",
                              strerror(e));
        }
        path[i] = i < n ? '/' : '\0';
    }
    return check_state_dir(path, err);
}

ik_status ik_session_dir(char *buf, size_t cap, bool create, ik_error *err)
{
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    size_t base;
    int n;

    if (xdg && xdg[0] == '/') {
        base = strlen(xdg);
        n = snprintf(buf, cap, "%s/intake", xdg);
    } else if (home && home[0] == '/') {
        base = strlen(home);
        n = snprintf(buf, cap, "%s/.local/state/intake", home);
    } else {
        return ik_fail(err, IK_ENOENT,
                       "cannot find a folder for sessions: set HOME or "
                       "XDG_STATE_HOME to an absolute path");
    }
    if (n < 0 || (size_t)n >= cap)
        return ik_fail(err, IK_ELIMIT, "the session folder path is too long");
    if (create)
        return make_dirs(buf, base, err);
    if (access(buf, F_OK) != 0 && errno == ENOENT)
        return IK_OK; /* not made yet: nothing in it */
    return check_state_dir(buf, err);
}

static void slug(const char *label, char *out, size_t cap)
{
    size_t n = 0;
    bool dash = false;

    for (; label && *label && n + 1 < cap; label++) {
        char c = *label;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && n > 0 && n + 2 < cap)
                out[n++] = '-';
            out[n++] = c;
            dash = false;
        } else {
            dash = true;
        }
    }
    out[n] = '\0';
}

static void random_tag(char *out, size_t n, unsigned long salt)
{
    static const char alpha[] = "abcdefghijkmnpqrstuvwxyz23456789";
    unsigned char raw[16] = {0};
    size_t i;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = false;

    if (fd >= 0) {
        ok = read(fd, raw, n) == (ssize_t)n;
        close(fd);
    }
    for (i = 0; i < n; i++) {
        if (!ok) /* no /dev/urandom: mix clock, pid and attempt */
            raw[i] = (unsigned char)((unsigned long)clock() * 31u +
                                     (unsigned long)getpid() * 131u +
                                     salt * 7u + i * 17u);
        out[i] = alpha[raw[i] % 32];
    }
    out[n] = '\0';
}

ik_status ik_session_new_path(const char *dir, const char *label,
                              const char *audience, int64_t now, char *buf,
                              size_t cap, ik_error *err)
{
    char stamp[21], name[32], tag[8];
    struct stat st;
    unsigned long attempt;
    int n;

    ik_time_format(now, stamp);
    /* 2026-11-28T14:12:05Z -> 2026-11-28T1412 */
    memmove(stamp + 13, stamp + 14, 2);
    stamp[15] = '\0';
    slug(label, name, 25);
    if (!name[0])
        slug(audience ? audience : "session", name, sizeof name);
    for (attempt = 0; attempt < 100; attempt++) {
        random_tag(tag, 6, attempt);
        n = snprintf(buf, cap, "%s/%s-%s-%s.json", dir, stamp, name, tag);
        if (n < 0 || (size_t)n >= cap)
            return ik_fail(err, IK_ELIMIT, "the session path is too long");
        if (lstat(buf, &st) != 0 && errno == ENOENT)
            return IK_OK;
    }
    return ik_fail_at(err, IK_EIO, dir, 0, 0,
                      "cannot find an unused session file name");
}

/* ---- Listing ---- */

/* The pack a listing checks sessions against: the last one loaded. */
typedef struct list_pack {
    ik_rulebook *rb;
    char path[4096];
} list_pack;

/* Does s replay on the pack it was saved with (when that file is still
 * there and unchanged)? A session whose history its own pack rejects is
 * damaged (err says where); one whose pack is gone or changed is not
 * judged here. */
static bool replays(ik_session *s, list_pack *lp, ik_error *err)
{
    ik_interview *iv = NULL;
    ik_session_resume info;
    ik_status st;

    if (!s->pack_file[0] || access(s->pack_file, R_OK) != 0)
        return true;
    if (!lp->rb || strcmp(lp->path, s->pack_file) != 0) {
        ik_rulebook_free(lp->rb);
        lp->rb = NULL;
        lp->path[0] = '\0';
        if (ik_rulebook_load_file(s->pack_file, &lp->rb, NULL) != IK_OK)
            return true;
        ik_strlcpy(lp->path, s->pack_file, sizeof lp->path);
    }
    if (!ik_session_matches_pack(s, lp->rb))
        return true;
    st = ik_session_restore(s, lp->rb, &iv, &info, err);
    ik_interview_free(iv);
    return st != IK_ESESSION;
}

static void fill_info(ik_session_info *info, const char *path, list_pack *lp)
{
    ik_session *s;
    struct stat st;

    memset(info, 0, sizeof *info);
    ik_strlcpy(info->path, path, sizeof info->path);
    if (ik_session_load_file(path, &s, &info->err) != IK_OK) {
        info->damaged = true;
        if (stat(path, &st) == 0)
            info->started = info->updated = (int64_t)st.st_mtime;
        return;
    }
    ik_strlcpy(info->label, s->label ? s->label : "", sizeof info->label);
    snprintf(info->pack, sizeof info->pack, "%s@%s", s->pack_id,
             s->pack_version);
    ik_strlcpy(info->audience, ik_session_audience_names[s->aud],
               sizeof info->audience);
    info->started = s->started;
    info->updated = s->updated;
    info->complete = s->outcome != NULL;
    info->damaged = !replays(s, lp, &info->err);
    ik_session_free(s);
}

static int newest_first(const void *pa, const void *pb)
{
    const ik_session_info *a = pa, *b = pb;

    if (a->started != b->started)
        return a->started < b->started ? 1 : -1;
    if (a->updated != b->updated)
        return a->updated < b->updated ? 1 : -1;
    return strcmp(a->path, b->path);
}

static bool is_session_name(const char *name)
{
    size_t n = strlen(name);

    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

ik_status ik_session_list(const char *dir, ik_session_info **out, size_t *n,
                          ik_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    ik_session_info *infos = NULL;
    size_t cap = 0;
    char path[4096];
    struct stat st;
    list_pack lp;

    *out = NULL;
    *n = 0;
    lp.rb = NULL;
    lp.path[0] = '\0';
    if (!d)
        return errno == ENOENT ? IK_OK
                               : ik_fail_at(err, IK_EIO, dir, 0, 0,
                                            "cannot list: %s", strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (!is_session_name(de->d_name))
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >=
                (int)sizeof path ||
            lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (!ik_session_grow((void **)&infos, &cap, *n, sizeof *infos)) {
            closedir(d);
            ik_free(infos);
            ik_rulebook_free(lp.rb);
            *n = 0;
            return ik_fail(err, IK_ENOMEM, "out of memory listing sessions");
        }
        fill_info(&infos[(*n)++], path, &lp);
    }
    closedir(d);
    ik_rulebook_free(lp.rb);
    if (*n > 1)
        qsort(infos, *n, sizeof *infos, newest_first);
    *out = infos;
    return IK_OK;
}

void ik_session_free_infos(ik_session_info *infos)
{
    ik_free(infos);
}
