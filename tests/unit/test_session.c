/*
 * test_session.c -- the session file: format round trip, strict loading of
 * damaged files with positions, atomic 0600 saves that refuse symlinks and
 * foreign files, full-disk handling (write-failure hook and RLIMIT_FSIZE),
 * the state folder, listing, and resume through the interview.
 * Works in temporary folders only; never touches the real state folder.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "answers_json.h"
#include "interview.h"
#include "rulebook.h"
#include "atomic.h"
#include "run_answers.h"
#include "session.h"

#define PACK         IK_SOURCE_DIR "/tests/data/sessions/pack.json"
#define PACK_CHANGED IK_SOURCE_DIR "/tests/data/sessions/pack-changed.json"
#define DAMAGED      IK_SOURCE_DIR "/tests/data/sessions/damaged"

static const int64_t T0 = 1795875125; /* 2026-11-28T14:12:05Z */

/* ---- Helpers ---- */

static ik_rulebook *load_pack(const char *path)
{
    ik_rulebook *rb = NULL;
    ik_error err;

    ik_error_clear(&err);
    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        fail_msg("%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    return rb;
}

static char *temp_dir(void)
{
    char *d = strdup("/tmp/ik-session-XXXXXX");

    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

static void remove_tree(char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[4096];

    if (d) {
        while ((de = readdir(d)) != NULL) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            if (unlink(path) != 0) {
                char *sub = strdup(path);
                remove_tree(sub);
            }
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A session with one event of every kind and awkward values. */
static ik_session *sample_session(const ik_rulebook *rb)
{
    static const ik_value items[2] = {{IK_STR, 9, {.str = "medicines"}},
                                      {IK_STR, 6, {.str = "physio"}}};
    ik_value multi = {IK_ARR, 2, {.items = items}};
    ik_session *s = NULL;
    ik_error err;
    const char *text = "said \"ouch\"\n\\ caf\xc3\xa9 \xe2\x9c\x93";

    assert_int_equal(
        ik_session_new(rb, IK_AUD_NURSE, "Bed 4, Mr. T", T0, &s, &err), IK_OK);
    assert_int_equal(
        ik_session_record(s, IK_EV_ACK, "welcome", ik_null(), T0 + 1, &err),
        IK_OK);
    assert_int_equal(ik_session_record(s, IK_EV_ANSWER, "had_surgery",
                                       ik_bool(true), T0 + 2, &err),
                     IK_OK);
    assert_int_equal(
        ik_session_record(s, IK_EV_ANSWER, "pain", ik_num(7), T0 + 3, &err),
        IK_OK);
    assert_int_equal(
        ik_session_record(s, IK_EV_BACK, "pain", ik_null(), T0 + 4, &err),
        IK_OK);
    assert_int_equal(ik_session_record(s, IK_EV_ANSWER, "pain",
                                       ik_num(0.1 + 0.2), T0 + 5, &err),
                     IK_OK);
    assert_int_equal(
        ik_session_record(s, IK_EV_ANSWER, "tried", multi, T0 + 6, &err),
        IK_OK);
    assert_int_equal(ik_session_record(s, IK_EV_SKIP, "surgery_kind", ik_null(),
                                       T0 + 7, &err),
                     IK_OK);
    assert_int_equal(ik_session_record(s, IK_EV_ANSWER, "notes",
                                       ik_str(text, (uint32_t)strlen(text)),
                                       T0 + 8, &err),
                     IK_OK);
    assert_int_equal(ik_session_set_position(s, "numb_saddle", &err), IK_OK);
    return s;
}

static char *to_json(const ik_session *s)
{
    ik_buf b;
    char *out;

    ik_buf_init(&b);
    ik_session_write_json(s, &b);
    assert_int_equal(ik_buf_status(&b), IK_OK);
    out = strdup(ik_buf_cstr(&b));
    ik_buf_fini(&b);
    return out;
}

/* ---- Format ---- */

static void test_times_format_and_parse_as_iso_8601_utc(void **state)
{
    char buf[21];
    int64_t t;

    (void)state;
    ik_time_format(T0, buf);
    assert_string_equal(buf, "2026-11-28T14:12:05Z");
    assert_true(ik_time_parse(buf, &t));
    assert_true(t == T0);
    ik_time_format(951782400, buf); /* a leap day */
    assert_string_equal(buf, "2000-02-29T00:00:00Z");
    assert_true(ik_time_parse("2000-02-29T00:00:00Z", &t));
    assert_true(t == 951782400);
    assert_false(ik_time_parse("2001-02-29T00:00:00Z", &t));
    assert_false(ik_time_parse("2026-11-28T24:00:00Z", &t));
    assert_false(ik_time_parse("2026-11-28T10:12:05", &t));
    assert_false(ik_time_parse("2026-11-28 10:12:05Z", &t));
    assert_false(ik_time_parse("2026-13-01T00:00:00Z", &t));
}

static void test_session_round_trips_through_its_json_text(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_session *s = sample_session(rb), *back = NULL;
    ik_error err;
    char *text = to_json(s), *again;
    ik_value v;

    (void)state;
    assert_non_null(strstr(text, "\"format\": \"intake-session/1\""));
    assert_non_null(strstr(text, "\"hash\": \""));
    assert_non_null(strstr(text, "\"started\": \"2026-11-28T14:12:05Z\""));
    assert_non_null(strstr(text, "\"updated\": \"2026-11-28T14:12:13Z\""));
    assert_non_null(strstr(text, "\"pain\": 0.30000000000000004"));
    assert_non_null(strstr(text, "\"back\": true"));
    ik_error_clear(&err);
    assert_int_equal(
        ik_session_load_text(text, strlen(text), "s.json", &back, &err), IK_OK);
    again = to_json(back);
    assert_string_equal(text, again);
    assert_int_equal(ik_session_nevents(back), 8);
    assert_int_equal(ik_session_event_at(back, 3)->kind, IK_EV_BACK);
    v = ik_session_find_answer(back, "pain");
    assert_int_equal(v.kind, IK_NUM);
    assert_true(v.u.num == 0.1 + 0.2);
    v = ik_session_find_answer(back, "surgery_kind");
    assert_int_equal(v.kind, IK_NULL);
    assert_string_equal(ik_session_label(back), "Bed 4, Mr. T");
    assert_string_equal(ik_session_audience(back), "nurse");
    assert_string_equal(ik_session_position(back), "numb_saddle");
    assert_false(ik_session_is_complete(back));
    assert_true(ik_session_matches_pack(back, rb));
    free(text);
    free(again);
    ik_session_free(s);
    ik_session_free(back);
    ik_rulebook_free(rb);
}

static void test_values_a_file_cannot_hold_are_refused(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_session *s = NULL;
    ik_error err;

    (void)state;
    assert_int_equal(ik_session_new(rb, IK_AUD_PATIENT, NULL, T0, &s, &err),
                     IK_OK);
    assert_int_equal(ik_session_record(s, IK_EV_ANSWER, "notes",
                                       ik_str("bad \xff", 5), T0, &err),
                     IK_EANSWER);
    assert_int_equal(ik_session_record(s, IK_EV_ANSWER, "notes",
                                       ik_str("a\0b", 3), T0, &err),
                     IK_EANSWER);
    assert_int_equal(
        ik_session_record(s, IK_EV_ANSWER, "pain", ik_num(0.0 / 0.0), T0, &err),
        IK_EANSWER);
    assert_int_equal(ik_session_nevents(s), 0);
    ik_session_free(s);
    assert_int_equal(ik_session_new(rb, IK_AUD_PATIENT, "\xc3", T0, &s, &err),
                     IK_EANSWER);
    assert_null(s);
    ik_rulebook_free(rb);
}

/* Every damaged file in tests/data/sessions/damaged/ must fail with the
 * exact diagnostic in its .expected file. */
static void test_damaged_files_are_reported_with_their_position(void **state)
{
    DIR *d = opendir(DAMAGED);
    struct dirent *de;
    int checked = 0;

    (void)state;
    assert_non_null(d);
    { /* the files are damaged copies of good.json, which loads */
        ik_session *good = NULL;
        ik_error err;
        assert_int_equal(ik_session_load_file(IK_SOURCE_DIR
                                              "/tests/data/sessions/good.json",
                                              &good, &err),
                         IK_OK);
        assert_int_equal(ik_session_nevents(good), 6);
        ik_session_free(good);
    }
    while ((de = readdir(d)) != NULL) {
        char path[4096], exp_path[4200], got[1024];
        size_t n = strlen(de->d_name);
        ik_session *s = NULL;
        ik_error err;
        char *expected;

        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", DAMAGED, de->d_name);
        snprintf(exp_path, sizeof exp_path, "%s/%.*s.expected", DAMAGED,
                 (int)(n - 5), de->d_name);
        ik_error_clear(&err);
        assert_int_equal(ik_session_load_file(path, &s, &err), IK_ESESSION);
        assert_null(s);
        snprintf(got, sizeof got, "%s:%d:%d: error: %s\n",
                 strrchr(err.file, '/') + 1, err.line, err.col, err.msg);
        expected = slurp(exp_path, NULL);
        if (strcmp(got, expected) != 0)
            fail_msg("%s\n  expected: %s  got:      %s", de->d_name, expected,
                     got);
        free(expected);
        checked++;
    }
    closedir(d);
    assert_true(checked >= 10);
}

static void test_loading_fails_cleanly_at_every_allocation(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_session *s = sample_session(rb), *back;
    char *text = to_json(s);
    ik_status st;
    long n;

    (void)state;
    for (n = 1;; n++) {
        ik_error err;
        back = NULL;
        ik_alloc_fail_after(n);
        st = ik_session_load_text(text, strlen(text), "s.json", &back, &err);
        ik_alloc_fail_after(0);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_null(back);
    }
    assert_true(n > 3);
    ik_session_free(back);
    free(text);
    ik_session_free(s);
    ik_rulebook_free(rb);
}

/* ---- Saving ---- */

static void test_saved_file_is_0600_even_under_umask_000(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_session *s = sample_session(rb), *back = NULL;
    char *dir = temp_dir(), path[4096];
    struct stat st;
    mode_t old = umask(0);
    ik_error err;

    (void)state;
    snprintf(path, sizeof path, "%s/s.json", dir);
    assert_int_equal(ik_session_save(s, path, &err), IK_OK);
    assert_int_equal(ik_session_save(s, path, &err), IK_OK); /* replaces */
    umask(old);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(count_entries(dir), 1); /* no temporary file left */
    assert_int_equal(ik_session_load_file(path, &back, &err), IK_OK);
    ik_session_free(back);
    ik_session_free(s);
    ik_rulebook_free(rb);
    remove_tree(dir);
}

static void test_symlink_at_the_session_path_is_refused(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_session *s = sample_session(rb), *back = NULL;
    char *dir = temp_dir(), path[4096], victim[4096];
    ik_error err;
    char *before;

    (void)state;
    snprintf(path, sizeof path, "%s/s.json", dir);
    snprintf(victim, sizeof victim, "%s/victim.txt", dir);
    write_text(victim, "keep me\n");
    assert_int_equal(symlink(victim, path), 0);
    ik_error_clear(&err);
    assert_int_equal(ik_session_save(s, path, &err), IK_EIO);
    assert_non_null(strstr(err.msg, "symbolic link"));
    before = slurp(victim, NULL);
    assert_string_equal(before, "keep me\n");
    assert_int_equal(ik_session_load_file(path, &back, &err), IK_EIO);
    assert_non_null(strstr(err.msg, "symbolic link"));
    assert_int_equal(count_entries(dir), 2);
    free(before);
    ik_session_free(s);
    ik_rulebook_free(rb);
    remove_tree(dir);
}

static void
test_an_existing_foreign_or_damaged_file_is_not_overwritten(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_session *s = sample_session(rb), *other = sample_session(rb);
    char *dir = temp_dir(), path[4096], *after;
    ik_error err;

    (void)state;
    snprintf(path, sizeof path, "%s/s.json", dir);
    write_text(path, "{\"format\": \"intake-session/1\", trunc");
    ik_error_clear(&err);
    assert_int_equal(ik_session_save(s, path, &err), IK_EIO);
    assert_non_null(strstr(err.msg, "not overwriting"));
    after = slurp(path, NULL);
    assert_string_equal(after, "{\"format\": \"intake-session/1\", trunc");
    free(after);
    /* a second session may not take over the first one's file either */
    unlink(path);
    assert_int_equal(ik_session_save(s, path, &err), IK_OK);
    assert_int_equal(ik_session_save(other, path, &err), IK_EIO);
    assert_int_equal(ik_session_save(s, path, &err), IK_OK);
    ik_session_free(s);
    ik_session_free(other);
    ik_rulebook_free(rb);
    remove_tree(dir);
}

/* Fail each file operation of a save in turn, as a full disk would: the
 * error is reported, the previous file is intact and no temp file stays. */
static void test_a_failing_disk_leaves_the_previous_file_intact(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_session *s = sample_session(rb);
    char *dir = temp_dir(), path[4096], *before, *after;
    ik_status st;
    ik_error err;
    long n;

    (void)state;
    snprintf(path, sizeof path, "%s/s.json", dir);
    assert_int_equal(ik_session_save(s, path, &err), IK_OK);
    before = slurp(path, NULL);
    assert_int_equal(ik_session_record(s, IK_EV_ANSWER, "numb_saddle",
                                       ik_bool(false), T0 + 60, &err),
                     IK_OK);
    for (n = 1;; n++) {
        ik_error_clear(&err);
        ik_atomic_fail_io_after(n);
        st = ik_session_save(s, path, &err);
        ik_atomic_fail_io_after(0);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_EIO);
        assert_non_null(strstr(err.msg, "No space left on device"));
        after = slurp(path, NULL);
        /* the last step (folder sync) runs after the rename */
        if (strcmp(after, before) != 0)
            assert_non_null(strstr(err.msg, "folder"));
        free(after);
        assert_int_equal(count_entries(dir), 1);
    }
    assert_true(n >= 6); /* create, write, fsync, close, rename, dir sync */
    after = slurp(path, NULL);
    assert_non_null(strstr(after, "numb_saddle"));
    free(after);
    free(before);
    ik_session_free(s);
    ik_rulebook_free(rb);
    remove_tree(dir);
}

/* A real file-size limit (RLIMIT_FSIZE) in a child process: the write
 * fails with EFBIG, the save reports it, the old file stays whole. */
static void
test_a_file_size_limit_is_reported_and_the_old_file_kept(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_session *s = sample_session(rb);
    char *dir = temp_dir(), path[4096], *before, *after;
    size_t len;
    ik_error err;
    pid_t pid;
    int status, i;

    (void)state;
    snprintf(path, sizeof path, "%s/s.json", dir);
    assert_int_equal(ik_session_save(s, path, &err), IK_OK);
    before = slurp(path, &len);
    for (i = 0; i < 200; i++) /* grow the session past the limit below */
        assert_int_equal(ik_session_record(s, IK_EV_ANSWER, "pain",
                                           ik_num(i % 10), T0 + 100 + i, &err),
                         IK_OK);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {(rlim_t)len + 100, (rlim_t)len + 100};
        signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &rl);
        ik_error_clear(&err);
        if (ik_session_save(s, path, &err) != IK_EIO)
            _exit(1);
        _exit(strstr(err.msg, "File too large") ? 0 : 2);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    after = slurp(path, NULL);
    assert_string_equal(after, before);
    assert_int_equal(count_entries(dir), 1);
    free(before);
    free(after);
    ik_session_free(s);
    ik_rulebook_free(rb);
    remove_tree(dir);
}

static void test_a_new_file_is_0600_and_never_replaces_another(void **state)
{
    char *dir = temp_dir(), path[4096], *text;
    mode_t old = umask(0);
    struct stat st;
    ik_error err;

    (void)state;
    snprintf(path, sizeof path, "%s/summary.txt", dir);
    assert_int_equal(ik_atomic_write_new(path, "page\n", 5, &err), IK_OK);
    umask(old);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(ik_atomic_write_new(path, "other\n", 6, &err),
                     IK_EIO);
    assert_non_null(strstr(err.msg, "already exists"));
    text = slurp(path, NULL);
    assert_string_equal(text, "page\n");
    assert_int_equal(count_entries(dir), 1);
    free(text);
    remove_tree(dir);
}

/* ---- Where sessions live ---- */

static void test_state_folder_follows_xdg_and_is_created_0700(void **state)
{
    char *dir = temp_dir(), xdg[4096], want[4096], got[4096];
    char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    char *oldxdg =
        getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
    mode_t old = umask(0);
    struct stat st;
    ik_error err;

    (void)state;
    snprintf(xdg, sizeof xdg, "%s/state", dir);
    setenv("XDG_STATE_HOME", xdg, 1);
    assert_int_equal(ik_session_dir(got, sizeof got, true, &err), IK_OK);
    snprintf(want, sizeof want, "%s/state/intake", dir);
    assert_string_equal(got, want);
    assert_int_equal(stat(got, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(xdg, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);

    setenv("HOME", dir, 1);
    setenv("XDG_STATE_HOME", "relative/state", 1); /* ignored */
    assert_int_equal(ik_session_dir(got, sizeof got, true, &err), IK_OK);
    snprintf(want, sizeof want, "%s/.local/state/intake", dir);
    assert_string_equal(got, want);
    assert_int_equal(stat(got, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    setenv("XDG_STATE_HOME", "", 1); /* ignored too */
    assert_int_equal(ik_session_dir(got, sizeof got, false, &err), IK_OK);
    assert_string_equal(got, want);
    umask(old);

    if (home)
        setenv("HOME", home, 1);
    if (oldxdg)
        setenv("XDG_STATE_HOME", oldxdg, 1);
    else
        unsetenv("XDG_STATE_HOME");
    free(home);
    free(oldxdg);
    remove_tree(dir);
}

static void test_new_session_names_are_readable_and_unique(void **state)
{
    char *dir = temp_dir(), a[4096], b[4096];
    const char *base;
    ik_error err;

    (void)state;
    assert_int_equal(ik_session_new_path(dir, "Bed 4: Mr T!", "nurse", T0, a,
                                         sizeof a, &err),
                     IK_OK);
    base = strrchr(a, '/') + 1;
    assert_int_equal(strncmp(base, "2026-11-28T1412-bed-4-mr-t-", 27), 0);
    assert_int_equal(strlen(base), 27 + 6 + 5);
    assert_string_equal(base + strlen(base) - 5, ".json");
    assert_int_equal(
        ik_session_new_path(dir, NULL, "patient", T0, b, sizeof b, &err),
        IK_OK);
    assert_int_equal(
        strncmp(strrchr(b, '/') + 1, "2026-11-28T1412-patient-", 24), 0);
    assert_string_not_equal(a, b);
    remove_tree(dir);
}

static void test_listing_puts_newest_first_and_flags_damage(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    char *dir = temp_dir(), path[4096];
    ik_session_info *infos = NULL;
    size_t n = 0;
    ik_error err;
    int i;

    (void)state;
    for (i = 0; i < 3; i++) {
        ik_session *s = NULL;
        char label[16];
        snprintf(label, sizeof label, "p%d", i);
        assert_int_equal(
            ik_session_new(rb, IK_AUD_NURSE, label, T0 + i * 3600, &s, &err),
            IK_OK);
        snprintf(path, sizeof path, "%s/%d.json", dir, i);
        assert_int_equal(ik_session_save(s, path, &err), IK_OK);
        ik_session_free(s);
    }
    snprintf(path, sizeof path, "%s/broken.json", dir);
    write_text(path, "{");
    snprintf(path, sizeof path, "%s/.s.json.tmp123", dir); /* a temp file */
    write_text(path, "{");
    assert_int_equal(ik_session_list(dir, &infos, &n, &err), IK_OK);
    assert_int_equal(n, 4);
    for (i = 0; i < 4; i++) {
        if (infos[i].damaged) {
            assert_int_equal(infos[i].err.code, IK_ESESSION);
            continue;
        }
        assert_string_equal(infos[i].pack, "session-test@1.0.0");
        assert_false(infos[i].complete);
    }
    /* the undamaged ones, newest first */
    {
        const char *order[3];
        int k = 0;
        for (i = 0; i < 4; i++)
            if (!infos[i].damaged)
                order[k++] = infos[i].label;
        assert_string_equal(order[0], "p2");
        assert_string_equal(order[1], "p1");
        assert_string_equal(order[2], "p0");
    }
    ik_session_free_infos(infos);
    snprintf(path, sizeof path, "%s/missing", dir);
    assert_int_equal(ik_session_list(path, &infos, &n, &err), IK_OK);
    assert_int_equal(n, 0);
    ik_rulebook_free(rb);
    remove_tree(dir);
}

/* ---- With the interview ---- */

static void answer(ik_interview *iv, const char *text)
{
    ik_error err;

    ik_error_clear(&err);
    if (ik_interview_answer(iv, text, strlen(text), &err) != IK_OK)
        fail_msg("answer '%s': %s", text, err.msg);
}

static void sync(ik_session *s, ik_interview *iv, int64_t t)
{
    ik_error err;

    ik_error_clear(&err);
    if (ik_session_sync(s, iv, t, &err) != IK_OK)
        fail_msg("sync: %s", err.msg);
}

static const char *current(const ik_interview *iv)
{
    ik_step step;

    ik_interview_next(iv, &step);
    return step.kind == IK_STEP_QUESTION ? step.id : "(outcome)";
}

static void test_resume_replays_the_history_to_the_same_place(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_interview *iv = NULL, *iv2 = NULL;
    ik_session *s = NULL, *back = NULL;
    ik_session_resume info;
    char *dir = temp_dir(), path[4096], *a = NULL, *b = NULL;
    ik_error err;

    (void)state;
    snprintf(path, sizeof path, "%s/s.json", dir);
    assert_int_equal(ik_interview_new(rb, "patient", &iv, &err), IK_OK);
    assert_int_equal(ik_session_new(rb, IK_AUD_PATIENT, NULL, T0, &s, &err),
                     IK_OK);
    answer(iv, "");    /* welcome */
    answer(iv, "yes"); /* had_surgery */
    answer(iv, "1");   /* surgery_kind: fusion */
    assert_int_equal(ik_interview_back(iv, &err), IK_OK);
    answer(iv, "2"); /* changed: decompression */
    answer(iv, "no");
    sync(s, iv, T0 + 10);
    assert_int_equal(ik_session_save(s, path, &err), IK_OK);
    assert_string_equal(ik_session_position(s), "pain");

    assert_int_equal(ik_session_load_file(path, &back, &err), IK_OK);
    assert_int_equal(ik_session_restore(back, rb, &iv2, &info, &err), IK_OK);
    assert_true(info.replayed);
    assert_false(info.pack_changed);
    assert_string_equal(current(iv2), "pain");
    answer(iv, "8");
    answer(iv2, "8");
    sync(back, iv2, T0 + 20);
    assert_int_equal(ik_session_save(back, path, &err), IK_OK);
    answer(iv, "physio");
    answer(iv2, "physio");
    answer(iv, "fine");
    answer(iv2, "fine");
    sync(back, iv2, T0 + 30);
    assert_true(ik_session_is_complete(back));
    assert_null(ik_session_position(back));
    assert_int_equal(ik_interview_outcome_json(iv, &a, &err), IK_OK);
    assert_int_equal(ik_interview_outcome_json(iv2, &b, &err), IK_OK);
    assert_string_equal(a, b);
    assert_string_equal(ik_session_outcome(back), b);
    /* history keeps the changed answer; answers keep only the last */
    assert_int_equal(ik_session_find_answer(back, "surgery_kind").len, 13);
    ik_interview_free_string(a);
    ik_interview_free_string(b);
    ik_interview_free(iv);
    ik_interview_free(iv2);
    ik_session_free(s);
    ik_session_free(back);
    ik_rulebook_free(rb);
    remove_tree(dir);
}

static void
test_resume_under_a_changed_pack_asks_again_what_no_longer_fits(void **state)
{
    ik_rulebook *rb = load_pack(PACK), *rb2 = load_pack(PACK_CHANGED);
    ik_interview *iv = NULL, *iv2 = NULL;
    ik_session *s = NULL;
    ik_session_resume info;
    ik_error err;

    (void)state;
    assert_int_equal(ik_interview_new(rb, "patient", &iv, &err), IK_OK);
    assert_int_equal(ik_session_new(rb, IK_AUD_PATIENT, NULL, T0, &s, &err),
                     IK_OK);
    answer(iv, "");
    answer(iv, "no");
    answer(iv, "no");
    answer(iv, "8"); /* pain 8: the changed pack allows at most 5 */
    answer(iv, "1");
    sync(s, iv, T0 + 10);
    assert_string_equal(ik_session_position(s), "notes");

    { /* another pack altogether is refused */
        ik_rulebook *other =
            load_pack(IK_SOURCE_DIR "/rules/failed-back-syndrome.json");
        assert_int_equal(ik_session_restore(s, other, &iv2, &info, &err),
                         IK_ESESSION);
        assert_null(iv2);
        assert_non_null(strstr(err.msg, "not 'failed-back-syndrome'"));
        ik_rulebook_free(other);
    }
    assert_int_equal(ik_session_restore(s, rb2, &iv2, &info, &err), IK_OK);
    assert_true(info.pack_changed);
    assert_false(info.replayed);
    assert_int_equal(info.kept, 3);
    assert_int_equal(info.refused, 1);
    if (!strstr(info.first_refused.msg, "pain"))
        fail_msg("%s", info.first_refused.msg);
    assert_string_equal(current(iv2), "pain");
    assert_string_equal(ik_session_pack_version(s), "1.1.0");
    answer(iv2, "4");
    sync(s, iv2, T0 + 20);
    assert_int_equal(ik_session_fill(s, iv2, &info, &err), IK_OK);
    assert_int_equal(info.kept, 4); /* "tried" came back by itself */
    assert_string_equal(current(iv2), "notes");
    ik_interview_free(iv);
    ik_interview_free(iv2);
    ik_session_free(s);
    ik_rulebook_free(rb);
    ik_rulebook_free(rb2);
}

static ik_status run_answers(const ik_rulebook *rb, const char *json,
                             ik_interview **iv, ik_error *err)
{
    ik_value *answers = calloc(rb->nquestions, sizeof *answers);
    ik_arena a;
    ik_status st;

    ik_arena_init(&a);
    ik_error_clear(err);
    st = ik_interview_new(rb, "patient", iv, err);
    if (st == IK_OK)
        st = ik_answers_json_parse(rb, json, strlen(json), "a.json", &a,
                                   answers, err);
    if (st == IK_OK)
        st = ik_run_answers(*iv, answers, err);
    ik_arena_fini(&a);
    free(answers);
    return st;
}

static void test_answers_object_completes_the_interview(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_interview *iv = NULL;
    ik_error err;
    ik_step step;
    char *json = NULL;

    (void)state;
    assert_int_equal(run_answers(rb,
                                 "{\"had_surgery\": false, \"numb_saddle\": "
                                 "false, \"pain\": 9, \"tried\": []}",
                                 &iv, &err),
                     IK_OK);
    ik_interview_next(iv, &step);
    assert_int_equal(step.kind, IK_STEP_OUTCOME);
    assert_int_equal(ik_interview_outcome_json(iv, &json, &err), IK_OK);
    assert_non_null(strstr(json, "\"disposition\":\"soon\""));
    ik_interview_free_string(json);
    ik_interview_free(iv);

    iv = NULL;
    assert_int_equal(
        run_answers(rb, "{\"had_surgery\": false, \"numb_saddle\": false}", &iv,
                    &err),
        IK_EANSWER);
    assert_non_null(strstr(err.msg, "'pain'"));
    assert_string_equal(err.path, "/pain");
    ik_interview_free(iv);
    ik_rulebook_free(rb);
}

/* Out of memory while syncing or restoring: IK_ENOMEM, no crash, no leak,
 * and a later call with memory succeeds. */
static void test_sync_and_restore_fail_cleanly_at_every_allocation(void **state)
{
    ik_rulebook *rb = load_pack(PACK);
    ik_interview *iv = NULL, *iv2 = NULL;
    ik_session *s = NULL;
    ik_session_resume info;
    ik_error err;
    ik_status st;
    long n;

    (void)state;
    assert_int_equal(ik_interview_new(rb, "patient", &iv, &err), IK_OK);
    answer(iv, "");
    answer(iv, "yes");
    answer(iv, "1");
    answer(iv, "no");
    answer(iv, "8");
    answer(iv, "2 3");
    answer(iv, "done");
    for (n = 1;; n++) {
        ik_session_free(s);
        s = NULL;
        ik_alloc_fail_after(n);
        st = ik_session_new(rb, IK_AUD_PATIENT, "x", T0, &s, &err);
        if (st == IK_OK)
            st = ik_session_sync(s, iv, T0 + 1, &err);
        ik_alloc_fail_after(0);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
    }
    assert_true(n > 1); /* the loop injected failures */
    assert_true(ik_session_is_complete(s));
    for (n = 1;; n++) {
        ik_alloc_fail_after(n);
        st = ik_session_restore(s, rb, &iv2, &info, &err);
        ik_alloc_fail_after(0);
        if (st == IK_OK)
            break;
        assert_int_equal(st, IK_ENOMEM);
        assert_null(iv2);
    }
    assert_true(n > 1); /* the loop injected failures */
    assert_true(info.replayed);
    assert_string_equal(current(iv2), "(outcome)");
    ik_interview_free(iv);
    ik_interview_free(iv2);
    ik_session_free(s);
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times_format_and_parse_as_iso_8601_utc),
        cmocka_unit_test(test_session_round_trips_through_its_json_text),
        cmocka_unit_test(test_values_a_file_cannot_hold_are_refused),
        cmocka_unit_test(test_damaged_files_are_reported_with_their_position),
        cmocka_unit_test(test_loading_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_saved_file_is_0600_even_under_umask_000),
        cmocka_unit_test(test_symlink_at_the_session_path_is_refused),
        cmocka_unit_test(
            test_an_existing_foreign_or_damaged_file_is_not_overwritten),
        cmocka_unit_test(test_a_failing_disk_leaves_the_previous_file_intact),
        cmocka_unit_test(
            test_a_file_size_limit_is_reported_and_the_old_file_kept),
        cmocka_unit_test(test_a_new_file_is_0600_and_never_replaces_another),
        cmocka_unit_test(test_state_folder_follows_xdg_and_is_created_0700),
        cmocka_unit_test(test_new_session_names_are_readable_and_unique),
        cmocka_unit_test(test_listing_puts_newest_first_and_flags_damage),
        cmocka_unit_test(test_resume_replays_the_history_to_the_same_place),
        cmocka_unit_test(
            test_resume_under_a_changed_pack_asks_again_what_no_longer_fits),
        cmocka_unit_test(test_answers_object_completes_the_interview),
        cmocka_unit_test(
            test_sync_and_restore_fail_cleanly_at_every_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
