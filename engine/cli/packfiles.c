/*
 * packfiles.c -- the files commands read: `-` is standard input wherever
 * a pack, a test-case file or an answers file is read; and how a pack and
 * its test-case file name each other: rules/NAME.json keeps its cases in
 * rules/NAME.tests.json (docs/TESTING-PACKS.md). `intake test` finds the
 * cases of a pack and `intake check` the pack of a case file.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "intake/intake.h"
#include "intake/json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool cli_is_stdin(const char *path)
{
    return strcmp(path, "-") == 0;
}

ik_status cli_read_input(const char *path, size_t max, char **text, size_t *len,
                         ik_error *err)
{
    int fd;
    FILE *f;

    if (!cli_is_stdin(path))
        return ik_json_read_file(path, max, text, len, err);
    *text = NULL;
    *len = 0;
    /* A copy of fd 0, so closing the stream leaves stdin open. */
    fd = dup(STDIN_FILENO);
    f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        int e = errno;

        if (fd >= 0)
            close(fd);
        return ik_fail_at(err, IK_EIO, CLI_STDIN_NAME, 0, 0, "cannot read: %s",
                          strerror(e));
    }
    return ik_json_read_stream(f, CLI_STDIN_NAME, max, text, len, err);
}

ik_status cli_load_pack(const char *path, ik_rulebook **rb, ik_error *err)
{
    char *text;
    size_t len;
    ik_status st;

    *rb = NULL;
    ik_error_clear(err);
    if (!cli_is_stdin(path))
        return ik_rulebook_load_file(path, rb, err);
    st = cli_read_input(path, IK_JSON_MAX_FILE, &text, &len, err);
    if (st == IK_OK)
        st = ik_rulebook_load_text(text, len, CLI_STDIN_NAME, rb, err);
    ik_free(text);
    return st;
}

static const char cases_suffix[] = ".tests.json";

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

bool cli_is_cases_file(const char *path)
{
    return ends_with(path, cases_suffix);
}

bool cli_cases_of_pack(const char *pack, char *buf, size_t cap)
{
    size_t n = strlen(pack);
    int w;

    if (ends_with(pack, ".json"))
        n -= 5;
    w = snprintf(buf, cap, "%.*s%s", (int)n, pack, cases_suffix);
    return w > 0 && (size_t)w < cap;
}

bool cli_pack_of_cases(const char *cases, char *buf, size_t cap)
{
    size_t n = strlen(cases);
    int w;

    if (!ends_with(cases, cases_suffix))
        return false;
    n -= sizeof cases_suffix - 1;
    w = snprintf(buf, cap, "%.*s.json", (int)n, cases);
    return w > 0 && (size_t)w < cap;
}
