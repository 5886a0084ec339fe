/*
 * packfiles.c -- how a pack and its test-case file name each other:
 * rules/NAME.json keeps its cases in rules/NAME.tests.json
 * (docs/TESTING-PACKS.md). `intake test` finds the cases of a pack and
 * `intake check` the pack of a case file with these two functions.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

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
