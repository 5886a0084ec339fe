/*
 * answer.c -- parse typed answers per question type, check recorded
 * values, and write values back in words. Pure functions: no I/O, no
 * state, nothing allocated except from the arena the caller gives.
 */
#include "answer.h"

#include "error.h"
#include "intake/interview.h"
#include "utf8.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Small text helpers ---- */

static const char *text_of(const ik_text *t, ik_audience aud)
{
    if (t->by[aud])
        return t->by[aud];
    return t->by[IK_AUD_PATIENT] ? t->by[IK_AUD_PATIENT] : "";
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_space((*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* s[0..n) equals the NUL-terminated word w, ignoring ASCII case. */
static bool same_word(const char *s, size_t n, const char *w)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (w[i] == '\0' || lower(s[i]) != lower(w[i]))
            return false;
    return w[n] == '\0';
}

/* s[0..n) is a prefix of w, ignoring ASCII case. */
static bool is_prefix(const char *s, size_t n, const char *w)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (w[i] == '\0' || lower(s[i]) != lower(w[i]))
            return false;
    return true;
}

typedef enum text_problem { TEXT_OK, TEXT_BAD_UTF8, TEXT_CONTROL } text_problem;

/* Valid UTF-8 without control characters (ik_utf8_is_unsafe). */
static text_problem check_text(const char *s, size_t n)
{
    uint32_t cp;

    if (ik_utf8_find_unsafe(s, n, &cp) == n)
        return TEXT_OK;
    return cp == IK_UTF8_INVALID ? TEXT_BAD_UTF8 : TEXT_CONTROL;
}

/* Append s[0..n) quoted for a message, when it is short, printable text;
 * otherwise append nothing and return false. */
/*
 * Echo a refused word back only when it is short enough to be an attempt
 * at an option ("4", "yoga"); longer text may be a story about someone's
 * health, which a message must not carry.
 */
static bool quote_input(char *dst, size_t cap, const char *s, size_t n)
{
    if (n == 0 || n > 12 || check_text(s, n) != TEXT_OK)
        return false;
    snprintf(dst, cap, "\"%.*s\" ", (int)n, s);
    return true;
}

static ik_status enomem(ik_error *err)
{
    return ik_fail(err, IK_ENOMEM, "out of memory");
}

/* ---- Hints: what each type accepts ---- */

static void hint_number(const ik_question *q, ik_buf *b)
{
    char lo[40], hi[40];
    bool has_lo = isfinite(q->min), has_hi = isfinite(q->max);

    ik_num_format(q->min, lo);
    ik_num_format(q->max, hi);
    ik_buf_puts(b, q->integer ? "Please enter a whole number"
                              : "Please enter a number");
    if (has_lo && has_hi)
        ik_buf_printf(b, " from %s to %s", lo, hi);
    else if (has_lo)
        ik_buf_printf(b, " of at least %s", lo);
    else if (has_hi)
        ik_buf_printf(b, " of at most %s", hi);
    if (q->unit && q->unit[0])
        ik_buf_printf(b, " (%s)", q->unit);
    if (!q->integer)
        ik_buf_puts(b, "; decimals like 2.5 are fine");
}

void ik_answer_hint(const ik_question *q, ik_audience aud, ik_buf *b)
{
    (void)aud;
    switch (q->type) {
    case IK_Q_YES_NO:
        ik_buf_puts(b, "Please answer yes or no");
        if (q->allow_unknown)
            ik_buf_puts(b, " (or \"don't know\")");
        break;
    case IK_Q_CHOICE:
        ik_buf_printf(b, "Please type the number of one option (1 to %u)",
                      (unsigned)q->noptions);
        break;
    case IK_Q_MULTI:
        ik_buf_printf(b,
                      "Please type the numbers of all that apply, "
                      "separated by commas (for example 1,%u)",
                      (unsigned)(q->noptions < 3 ? q->noptions : 3));
        if (q->allow_none)
            ik_buf_puts(b, ", or \"none\"");
        break;
    case IK_Q_NUMBER:
        hint_number(q, b);
        break;
    case IK_Q_TEXT:
        ik_buf_printf(b, "Please type your answer (up to %u characters)",
                      (unsigned)(q->max_length ? q->max_length : IK_TEXT_MAX));
        break;
    case IK_Q_INFO:
        ik_buf_puts(b, "Press Enter to go on");
        break;
    case IK_Q__COUNT:
        break;
    }
}

/* Fill err with the hint, optionally after a first sentence. */
static ik_status refuse(const ik_question *q, ik_audience aud, ik_error *err,
                        const char *first)
{
    ik_buf b;

    ik_buf_init(&b);
    if (first && first[0]) {
        ik_buf_puts(&b, first);
        ik_buf_puts(&b, ". ");
    }
    ik_answer_hint(q, aud, &b);
    if (ik_buf_status(&b) != IK_OK) {
        ik_buf_fini(&b);
        /* The message is a courtesy; still refuse the answer. */
        return ik_fail(err, IK_EANSWER, "That answer was not understood");
    }
    ik_fail(err, IK_EANSWER, "%s", ik_buf_cstr(&b));
    ik_buf_fini(&b);
    return IK_EANSWER;
}

/* ---- Parsing by type ---- */

static const char *const unknown_words[] = {
    "?",           "dk",        "unsure",
    "don't know",  "dont know", "don\xE2\x80\x99t know",
    "do not know", "not sure",  "unknown",
    "idk",         NULL};

static ik_status parse_yes_no(const ik_question *q, ik_audience aud,
                              const char *s, size_t n, ik_value *out,
                              ik_error *err)
{
    size_t i;

    if (same_word(s, n, "y") || same_word(s, n, "yes")) {
        *out = ik_bool(true);
        return IK_OK;
    }
    if (same_word(s, n, "n") || same_word(s, n, "no")) {
        *out = ik_bool(false);
        return IK_OK;
    }
    for (i = 0; unknown_words[i]; i++) {
        if (!same_word(s, n, unknown_words[i]))
            continue;
        if (!q->allow_unknown)
            return refuse(q, aud, err,
                          "This question needs a yes or a no; if you are "
                          "not sure, choose the closest, or type skip");
        *out = ik_str("unknown", 7);
        return IK_OK;
    }
    return refuse(q, aud, err, n ? "That is not a yes or a no" : NULL);
}

/* Index of the option s[0..n) names: its 1-based number, its value, its
 * label, or an unambiguous prefix of its label. IK_NONE when none fits;
 * *ambiguous set when a prefix fits several. */
static uint32_t match_option(const ik_question *q, ik_audience aud,
                             const char *s, size_t n, bool *ambiguous)
{
    uint32_t i, found = IK_NONE, nfound = 0;
    size_t k;
    unsigned long num = 0;

    *ambiguous = false;
    if (n == 0)
        return IK_NONE;
    for (k = 0; k < n && s[k] >= '0' && s[k] <= '9'; k++)
        if (num < 100000)
            num = num * 10 + (unsigned long)(s[k] - '0');
    if (k == n)
        return (num >= 1 && num <= q->noptions) ? (uint32_t)(num - 1) : IK_NONE;
    if (ik_command_parse(s, n) != IK_CMD_NONE)
        return IK_NONE; /* commands are never answers */
    for (i = 0; i < q->noptions; i++)
        if (same_word(s, n, q->options[i].value) ||
            same_word(s, n, text_of(&q->options[i].label, aud)))
            return i;
    for (i = 0; i < q->noptions; i++) {
        if (is_prefix(s, n, text_of(&q->options[i].label, aud))) {
            found = i;
            nfound++;
        }
    }
    if (nfound > 1)
        *ambiguous = true;
    return nfound == 1 ? found : IK_NONE;
}

/* Names of the options whose label starts with s, for a message. */
static void list_prefix_matches(const ik_question *q, ik_audience aud,
                                const char *s, size_t n, ik_buf *b)
{
    uint32_t i;
    bool first = true;

    for (i = 0; i < q->noptions; i++) {
        const char *label = text_of(&q->options[i].label, aud);
        if (!is_prefix(s, n, label))
            continue;
        ik_buf_printf(b, "%s%u (%s)", first ? "" : ", ", (unsigned)i + 1,
                      label);
        first = false;
    }
}

static ik_status refuse_option(const ik_question *q, ik_audience aud,
                               const char *s, size_t n, bool ambiguous,
                               ik_error *err)
{
    char quoted[64] = "";
    ik_buf b;
    ik_status st;

    if (n == 0)
        return refuse(q, aud, err, "Please choose an option");
    quote_input(quoted, sizeof quoted, s, n);
    if (!ambiguous) {
        char first[128];
        snprintf(first, sizeof first, "%sis not one of the options",
                 quoted[0] ? quoted : "That ");
        return refuse(q, aud, err, first);
    }
    ik_buf_init(&b);
    ik_buf_printf(
        &b, "%sfits more than one option: ", quoted[0] ? quoted : "That ");
    list_prefix_matches(q, aud, s, n, &b);
    ik_buf_puts(&b, ". Please type the number of the one you mean");
    if (ik_buf_status(&b) == IK_OK)
        st = ik_fail(err, IK_EANSWER, "%s", ik_buf_cstr(&b));
    else
        st = ik_fail(err, IK_EANSWER, "That fits more than one option");
    ik_buf_fini(&b);
    return st;
}

static ik_status parse_choice(const ik_question *q, ik_audience aud,
                              const char *s, size_t n, ik_value *out,
                              ik_error *err)
{
    bool ambiguous;
    uint32_t i = match_option(q, aud, s, n, &ambiguous);
    const char *v;

    if (i == IK_NONE)
        return refuse_option(q, aud, s, n, ambiguous, err);
    v = q->options[i].value;
    *out = ik_str(v, (uint32_t)strlen(v));
    return IK_OK;
}

/* Mark the options one item of a multi answer names: the item whole, or
 * else each of its space-separated words. */
static ik_status mark_item(const ik_question *q, ik_audience aud, const char *s,
                           size_t n, bool *sel, ik_error *err)
{
    bool ambiguous;
    uint32_t i = match_option(q, aud, s, n, &ambiguous);
    size_t start, end;

    if (i != IK_NONE) {
        sel[i] = true;
        return IK_OK;
    }
    for (start = 0; start < n; start = end) {
        while (start < n && is_space(s[start]))
            start++;
        end = start;
        while (end < n && !is_space(s[end]))
            end++;
        if (end == start)
            break;
        i = match_option(q, aud, s + start, end - start, &ambiguous);
        if (i == IK_NONE)
            return refuse_option(q, aud, s + start, end - start, ambiguous,
                                 err);
        sel[i] = true;
    }
    return IK_OK;
}

/* "no", "nothing" or "neither" typed for a multi question that allows an
 * empty answer, when no option goes by that word. */
static bool means_none(const ik_question *q, ik_audience aud, const char *s,
                       size_t n)
{
    bool ambiguous;

    if (!same_word(s, n, "no") && !same_word(s, n, "nothing") &&
        !same_word(s, n, "neither"))
        return false;
    return match_option(q, aud, s, n, &ambiguous) == IK_NONE && !ambiguous;
}

static ik_status parse_multi(const ik_question *q, ik_audience aud,
                             const char *s, size_t n, ik_arena *a,
                             ik_value *out, ik_error *err)
{
    bool *sel;
    ik_value *items;
    uint32_t i, nsel = 0;
    size_t start = 0, end;
    ik_status st;

    if (same_word(s, n, "none") ||
        (q->allow_none && means_none(q, aud, s, n))) {
        if (!q->allow_none)
            return refuse(q, aud, err,
                          "Please choose at least one; if none fits, "
                          "type skip");
        *out = (ik_value){IK_ARR, 0, {0}};
        out->u.items = NULL;
        return IK_OK;
    }
    if (n == 0)
        return refuse(q, aud, err, NULL);
    sel = ik_arena_alloc(a, q->noptions ? q->noptions : 1);
    if (!sel)
        return enomem(err);
    memset(sel, 0, q->noptions);
    while (start < n) {
        for (end = start; end < n && s[end] != ',' && s[end] != ';'; end++)
            ;
        {
            const char *item = s + start;
            size_t len = end - start;
            trim(&item, &len);
            if (len) {
                st = mark_item(q, aud, item, len, sel, err);
                if (st != IK_OK)
                    return st;
            }
        }
        start = end + 1;
    }
    for (i = 0; i < q->noptions; i++)
        nsel += sel[i];
    if (nsel == 0)
        return refuse(q, aud, err, NULL);
    items = ik_arena_alloc(a, nsel * sizeof *items);
    if (!items)
        return enomem(err);
    for (i = 0, nsel = 0; i < q->noptions; i++)
        if (sel[i])
            items[nsel++] = ik_str(q->options[i].value,
                                   (uint32_t)strlen(q->options[i].value));
    *out = (ik_value){IK_ARR, nsel, {0}};
    out->u.items = items;
    return IK_OK;
}

/* Strip a trailing unit ("8 months" for unit "months"), any case. */
static void strip_unit(const ik_question *q, const char *s, size_t *n)
{
    size_t ulen;

    if (!q->unit || !q->unit[0])
        return;
    ulen = strlen(q->unit);
    if (*n > ulen && same_word(s + *n - ulen, ulen, q->unit)) {
        *n -= ulen;
        while (*n && is_space(s[*n - 1]))
            (*n)--;
    }
}

/* A plain decimal: [+-]digits[.digits] or [+-].digits, at most 30
 * characters. *whole says whether the fraction is all zeros. */
static bool plain_decimal(const char *s, size_t n, bool *whole)
{
    size_t i = 0, digits = 0;

    *whole = true;
    if (n == 0 || n > 30)
        return false;
    if (s[i] == '+' || s[i] == '-')
        i++;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        digits++;
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            digits++;
            if (s[i] != '0')
                *whole = false;
        }
    }
    return i == n && digits > 0;
}

static ik_status parse_number(const ik_question *q, ik_audience aud,
                              const char *s, size_t n, ik_value *out,
                              ik_error *err)
{
    char tmp[32];
    bool whole;
    double d;

    strip_unit(q, s, &n);
    if (n == 0)
        return refuse(q, aud, err, NULL);
    if (!plain_decimal(s, n, &whole))
        return refuse(q, aud, err,
                      memchr(s, ',', n) && !q->integer
                          ? "That is not a number (use a point for "
                            "decimals, as in 2.5)"
                          : "That is not a number");
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    d = ik_strtod(tmp, NULL);
    if (!isfinite(d))
        return refuse(q, aud, err, "That is not a number");
    if (q->integer && !whole)
        return refuse(q, aud, err, "Please use a whole number");
    if (d < q->min || d > q->max)
        return refuse(q, aud, err, "That is outside the range");
    if (d == 0)
        d = 0; /* -0 reads as 0 */
    *out = ik_num(d);
    return IK_OK;
}

static ik_status parse_text(const ik_question *q, ik_audience aud,
                            const char *s, size_t n, ik_arena *a, ik_value *out,
                            ik_error *err)
{
    uint32_t max = q->max_length ? q->max_length : IK_TEXT_MAX;
    char *copy;

    if (n >= 2 && s[0] == '\\' &&
        ik_command_parse(s + 1, n - 1) != IK_CMD_NONE) {
        s++;
        n--;
    }
    if (n == 0)
        return refuse(q, aud, err, "Please type something, or type skip");
    switch (check_text(s, n)) {
    case TEXT_BAD_UTF8:
        return refuse(q, aud, err,
                      "That text has characters that could not be read");
    case TEXT_CONTROL:
        return refuse(q, aud, err,
                      "That text has control characters (such as tabs or "
                      "escape codes); please type plain text");
    case TEXT_OK:
        break;
    }
    if (n > max) {
        /* The limit is in bytes (docs/RULES.md); say so in words that stay
         * true when some characters take more than one byte. */
        char first[160];
        size_t i, chars = 0;

        for (i = 0; i < n; i++)
            chars += ((unsigned char)s[i] & 0xC0) != 0x80; /* valid UTF-8 */
        if (chars == n)
            snprintf(first, sizeof first, "That is %zu characters long", n);
        else
            snprintf(first, sizeof first,
                     "That is %zu characters long, but accented letters and "
                     "symbols count as 2 to 4 each, so it counts as %zu",
                     chars, n);
        return refuse(q, aud, err, first);
    }
    copy = ik_arena_strndup(a, s, n);
    if (!copy)
        return enomem(err);
    *out = ik_str(copy, (uint32_t)n);
    return IK_OK;
}

static ik_status parse_info(const ik_question *q, ik_audience aud,
                            const char *s, size_t n, ik_value *out,
                            ik_error *err)
{
    static const char *const ok[] = {"ok",   "okay",     "y", "yes",
                                     "next", "continue", NULL};
    size_t i;

    if (n == 0) {
        *out = ik_null();
        return IK_OK;
    }
    for (i = 0; ok[i]; i++) {
        if (same_word(s, n, ok[i])) {
            *out = ik_null();
            return IK_OK;
        }
    }
    return refuse(q, aud, err, "There is nothing to answer here");
}

ik_status ik_answer_parse(const ik_question *q, ik_audience aud,
                          const char *text, size_t len, ik_arena *a,
                          ik_value *out, ik_error *err)
{
    if (len > IK_ANSWER_MAX_LINE)
        return refuse(q, aud, err, "That answer is far too long");
    trim(&text, &len);
    if (q->type != IK_Q_TEXT && check_text(text, len) != TEXT_OK)
        return refuse(q, aud, err,
                      "That answer has characters that could not be read");
    switch (q->type) {
    case IK_Q_YES_NO:
        return parse_yes_no(q, aud, text, len, out, err);
    case IK_Q_CHOICE:
        return parse_choice(q, aud, text, len, out, err);
    case IK_Q_MULTI:
        return parse_multi(q, aud, text, len, a, out, err);
    case IK_Q_NUMBER:
        return parse_number(q, aud, text, len, out, err);
    case IK_Q_TEXT:
        return parse_text(q, aud, text, len, a, out, err);
    case IK_Q_INFO:
        return parse_info(q, aud, text, len, out, err);
    case IK_Q__COUNT:
        break;
    }
    return ik_fail(err, IK_EMISUSE, "question of unknown type");
}

bool ik_answer_is_key(const ik_question *q, int key)
{
    int d = key - '0';

    switch (q->type) {
    case IK_Q_YES_NO:
        /* "not sure" starts with n: n waits for Enter where it is allowed */
        return key == 'y' || key == 'Y' ||
               ((key == 'n' || key == 'N') && !q->allow_unknown) ||
               (key == '?' && q->allow_unknown);
    case IK_Q_CHOICE: /* "1" of 12 options could start "10" to "12" */
        return d >= 1 && d <= 9 && (uint32_t)d <= q->noptions &&
               (uint32_t)d * 10 > q->noptions;
    case IK_Q_NUMBER: /* "1" of 0 to 10 could start "10"; "2" could not */
        return q->integer && d >= 0 && d <= 9 && d >= q->min && d <= q->max &&
               (d == 0 || d * 10.0 > q->max);
    case IK_Q_MULTI: /* "1" could start "1,3" */
    case IK_Q_TEXT:
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    return false;
}

/* ---- Checking recorded values ---- */

static bool is_option(const ik_question *q, ik_value v, uint32_t *idx)
{
    uint32_t i;

    if (v.kind != IK_STR)
        return false;
    for (i = 0; i < q->noptions; i++) {
        const ik_option *o = &q->options[i];

        if (ik_option_vlen(o) == v.len &&
            memcmp(o->value, v.u.str, v.len) == 0) {
            *idx = i;
            return true;
        }
    }
    return false;
}

static ik_status check_multi(const ik_question *q, ik_value v, ik_error *err)
{
    uint32_t i, k, idx;

    if (v.kind != IK_ARR)
        return ik_fail(err, IK_EANSWER, "'%s' needs an array of option values",
                       q->id);
    if (v.len == 0 && !q->allow_none)
        return ik_fail(err, IK_EANSWER, "'%s' does not allow an empty answer",
                       q->id);
    for (i = 0; i < v.len; i++) {
        if (!is_option(q, v.u.items[i], &idx))
            return ik_fail(err, IK_EANSWER,
                           "'%s' has no option matching item %u", q->id,
                           (unsigned)i + 1);
        for (k = 0; k < i; k++)
            if (ik_value_strict_eq(v.u.items[k], v.u.items[i]))
                return ik_fail(err, IK_EANSWER, "'%s' lists an option twice",
                               q->id);
    }
    return IK_OK;
}

ik_status ik_answer_check(const ik_question *q, ik_value v, ik_error *err)
{
    uint32_t idx;
    uint32_t max = q->max_length ? q->max_length : IK_TEXT_MAX;

    if (v.kind == IK_NULL)
        return IK_OK;
    switch (q->type) {
    case IK_Q_YES_NO:
        if (v.kind == IK_BOOL)
            return IK_OK;
        if (q->allow_unknown && v.kind == IK_STR && v.len == 7 &&
            memcmp(v.u.str, "unknown", 7) == 0)
            return IK_OK;
        return ik_fail(err, IK_EANSWER, "'%s' needs true or false%s", q->id,
                       q->allow_unknown ? " or \"unknown\"" : "");
    case IK_Q_CHOICE:
        if (is_option(q, v, &idx))
            return IK_OK;
        return ik_fail(err, IK_EANSWER, "'%s' needs one of its option values",
                       q->id);
    case IK_Q_MULTI:
        return check_multi(q, v, err);
    case IK_Q_NUMBER:
        if (v.kind != IK_NUM || !isfinite(v.u.num))
            return ik_fail(err, IK_EANSWER, "'%s' needs a number", q->id);
        if (q->integer && v.u.num != floor(v.u.num))
            return ik_fail(err, IK_EANSWER, "'%s' needs a whole number",
                           q->id);
        if (v.u.num < q->min || v.u.num > q->max)
            return ik_fail(err, IK_EANSWER, "'%s' is out of its range",
                           q->id);
        return IK_OK;
    case IK_Q_TEXT:
        if (v.kind != IK_STR || v.len > max ||
            check_text(v.u.str, v.len) != TEXT_OK)
            return ik_fail(err, IK_EANSWER,
                           "'%s' needs plain text of at most %u bytes", q->id,
                           (unsigned)max);
        return IK_OK;
    case IK_Q_INFO:
        return ik_fail(err, IK_EANSWER,
                       "'%s' is information and takes no answer", q->id);
    case IK_Q__COUNT:
        break;
    }
    return ik_fail(err, IK_EMISUSE, "question of unknown type");
}

/* ---- Words ---- */

static void format_option(const ik_question *q, ik_audience aud, ik_value v,
                          ik_buf *b)
{
    uint32_t idx;

    if (is_option(q, v, &idx))
        ik_buf_puts(b, text_of(&q->options[idx].label, aud));
    else if (v.kind == IK_STR)
        ik_buf_put(b, v.u.str, v.len);
}

void ik_answer_format(const ik_question *q, ik_audience aud, ik_value v,
                      ik_buf *b)
{
    char num[40];
    uint32_t i;

    if (v.kind == IK_UNDEF)
        return;
    if (v.kind == IK_NULL) {
        ik_buf_puts(b, q->type == IK_Q_INFO ? "(read)" : "(skipped)");
        return;
    }
    switch (v.kind) {
    case IK_BOOL:
        ik_buf_puts(b, v.u.b ? "yes" : "no");
        break;
    case IK_NUM:
        ik_num_format(v.u.num, num);
        ik_buf_puts(b, num);
        if (q->unit && q->unit[0])
            ik_buf_printf(b, " %s", q->unit);
        break;
    case IK_STR:
        if (q->type == IK_Q_YES_NO)
            ik_buf_puts(b, "don't know");
        else if (q->type == IK_Q_CHOICE)
            format_option(q, aud, v, b);
        else
            ik_buf_put(b, v.u.str, v.len);
        break;
    case IK_ARR:
        if (v.len == 0)
            ik_buf_puts(b, "none");
        for (i = 0; i < v.len; i++) {
            if (i)
                ik_buf_puts(b, ", ");
            format_option(q, aud, v.u.items[i], b);
        }
        break;
    default:
        break;
    }
}
