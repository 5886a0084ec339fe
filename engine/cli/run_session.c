/*
 * run_session.c -- session pieces of `intake run` that are more than a
 * call into the core: the --answers output and the saved summary. Thin:
 * the outcome is the interview's, the summary text is engine/export.c and
 * the file writing is engine/atomic.c; this file picks names and prints.
 */
#define _POSIX_C_SOURCE 200809L
#include "run_session.h"

#include "cli.h"

#include "intake/buf.h"
#include "intake/export.h"
#include "intake/session.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_print_outcome_json(const ik_interview *iv)
{
    char *json = NULL;
    ik_error err;
    ik_status st;

    ik_error_clear(&err);
    if ((st = ik_interview_outcome_json(iv, &json, &err)) != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    printf("%s\n", json);
    ik_interview_free_string(json);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_IOERR; /* main says why */
}

static ik_status write_summary(const char *dir, const char *text, size_t len,
                               char *buf, size_t cap, ik_error *err)
{
    char stamp[21];
    int n, i;

    ik_time_format((int64_t)time(NULL), stamp);
    stamp[13] = stamp[14]; /* 2026-11-28T14:12 -> 2026-11-28T1412 */
    stamp[14] = stamp[15];
    stamp[15] = '\0';
    /* a second save in the same minute gets -2, then -3, ... (a name
     * taken meanwhile by another process: the link refuses it, try on) */
    for (i = 1; i <= 99; i++) {
        struct stat st;
        ik_status rc;
        if (i == 1)
            n = snprintf(buf, cap, "%s/intake-summary-%s.txt", dir, stamp);
        else
            n = snprintf(buf, cap, "%s/intake-summary-%s-%d.txt", dir, stamp,
                         i);
        if (n < 0 || (size_t)n >= cap)
            return ik_fail(err, IK_ELIMIT, "the summary path is too long");
        if (lstat(buf, &st) == 0)
            continue;
        rc = ik_atomic_write_new(buf, text, len, err);
        if (rc == IK_OK || lstat(buf, &st) != 0)
            return rc;
    }
    return ik_fail_at(err, IK_EIO, dir, 0, 0,
                      "99 summaries this minute already; not writing more");
}

ik_status cli_save_summary(const ik_session *s, const ik_interview *iv,
                           char *buf, size_t cap, ik_error *err)
{
    char cwd[4096], dir[4096];
    ik_buf text;
    ik_status st;

    ik_buf_init(&text);
    st = ik_export_session(s, iv, IK_EXPORT_TEXT, &text, err);
    if (st == IK_OK) {
        if (getcwd(cwd, sizeof cwd) && access(cwd, W_OK) == 0)
            st = write_summary(cwd, text.data, text.len, buf, cap, err);
        else if ((st = ik_session_dir(dir, sizeof dir, true, err)) == IK_OK)
            st = write_summary(dir, text.data, text.len, buf, cap, err);
    }
    ik_buf_fini(&text);
    return st;
}

const char *cli_session_pack(const char *session, char *buf, size_t cap)
{
    ik_session *s = NULL;
    ik_error err;
    const char *file;

    ik_error_clear(&err);
    if (ik_session_load_file(session, &s, &err) != IK_OK)
        return NULL; /* the resume reports the problem */
    file = ik_session_pack_file(s);
    if (file[0] && access(file, R_OK) == 0 && strlen(file) < cap)
        snprintf(buf, cap, "%s", file);
    else
        buf = NULL;
    ik_session_free(s);
    return buf;
}

void cli_report_dropped(const ik_session *s, const char *path)
{
    size_t i, n = ik_session_ndropped(s);
    ik_error e;

    fprintf(stderr,
            "%s: warning: the pack changed since this session was saved; "
            "%zu saved answer%s left out%s\n",
            path, n, n == 1 ? " is" : "s are", n ? ":" : "");
    for (i = 0; i < n; i++) {
        const ik_session_left_out *d = ik_session_dropped_at(s, i);
        ik_error_clear(&e);
        snprintf(e.file, sizeof e.file, "%s", path);
        e.line = d->line;
        e.col = d->col;
        snprintf(e.msg, sizeof e.msg,
                 "the answer to '%.40s' is left out: %.160s", d->question,
                 d->why);
        cli_print_diag(&e, "warning");
    }
}
