/*
 * test_notes.c -- notes never contradict the outcome (issue 13, item 2):
 * a fired rule's note is shown only when its own disposition is not less
 * urgent than the outcome's, or, with "note_for", only under the
 * dispositions it lists; a note on a rule without a disposition shows
 * under any, and `intake check` warns about it. The outcome JSON carries
 * the kept notes and the pack's notice (its disclaimer when it has none).
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outcome.h"
#include "rulebook.h"

/* a: self_care note, b: soon note, c: a note without a disposition,
 * d: a note only for urgent; flag f: urgent. */
#define PACK_HEAD                                                              \
    "{\"format\": \"intake-rules/1\", \"id\": \"notes\", \"version\": "        \
    "\"1.0.0\", \"title\": \"t\", \"disclaimer\": \"DISCLAIMER\", "            \
    "\"safety_net\": \"s\", \"get_help\": \"g\",\n"
#define PACK_BODY                                                              \
    "\"questions\": [\n"                                                       \
    " {\"id\": \"qa\", \"type\": \"yes_no\", \"text\": \"A\"},\n"              \
    " {\"id\": \"qb\", \"type\": \"yes_no\", \"text\": \"B\"},\n"              \
    " {\"id\": \"qf\", \"type\": \"yes_no\", \"text\": \"F\"}],\n"             \
    "\"red_flags\": [{\"id\": \"f\", \"when\": {\"var\": \"qf\"}, "            \
    "\"disposition\": \"urgent\", \"message\": \"FLAG\"}],\n"                  \
    "\"dispositions\": [{\"id\": \"urgent\", \"label\": \"U\", \"advice\": "   \
    "\"u\"}, {\"id\": \"soon\", \"label\": \"S\", \"advice\": \"s\"}, "        \
    "{\"id\": \"self_care\", \"label\": \"C\", \"advice\": \"c\"}],\n"         \
    "\"rules\": [\n"                                                           \
    " {\"id\": \"a\", \"when\": {\"var\": \"qa\"}, \"then\": "                 \
    "{\"disposition\": \"self_care\", \"note\": \"NOTE-A keep going\"}},\n"    \
    " {\"id\": \"b\", \"when\": {\"var\": \"qb\"}, \"then\": "                 \
    "{\"disposition\": \"soon\", \"note\": \"NOTE-B within days\"}},\n"        \
    " {\"id\": \"c\", \"when\": {\"var\": \"qa\"}, \"then\": "                 \
    "{\"note\": \"NOTE-C any\"}},\n"                                           \
    " {\"id\": \"d\", \"when\": {\"var\": \"qa\"}, \"then\": "                 \
    "{\"note\": \"NOTE-D urgent only\", \"note_for\": [\"urgent\"]}}]}\n"

static const char pack[] = PACK_HEAD PACK_BODY;
static const char pack_notice[] =
    PACK_HEAD "\"notice\": \"NOTICE: education, not a diagnosis\",\n" PACK_BODY;

static ik_rulebook *rb;

static int setup(void **state)
{
    ik_error err;

    (void)state;
    if (ik_rulebook_load_text(pack, sizeof pack - 1, "notes.json", &rb, &err) !=
        IK_OK) {
        fprintf(stderr, "%d:%d: %s\n", err.line, err.col, err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ik_rulebook_free(rb);
    return 0;
}

/* The outcome JSON of the answers qa, qb, qf on r. */
static char *outcome(const ik_rulebook *r, bool qa, bool qb, bool qf)
{
    ik_value slots[3] = {ik_bool(qa), ik_bool(qb), ik_bool(qf)};
    ik_outcome o;
    ik_error err;
    ik_buf b;
    char *json;

    ik_outcome_init(&o);
    assert_int_equal(ik_outcome_compute(r, slots, &o, &err), IK_OK);
    ik_buf_init(&b);
    ik_outcome_write_json(r, &o, IK_AUD_PATIENT, &b);
    json = ik_buf_take(&b, NULL);
    ik_buf_fini(&b);
    ik_outcome_fini(&o);
    return json;
}

static void expect(const char *json, const char *part, bool present)
{
    if ((strstr(json, part) != NULL) != present)
        fail_msg("%s %s in %s", part, present ? "missing" : "present", json);
}

static void test_a_note_shows_under_its_own_disposition(void **state)
{
    char *j = outcome(rb, true, false, false);

    (void)state;
    expect(j, "\"disposition\":\"self_care\"", true);
    expect(j, "NOTE-A", true);
    expect(j, "NOTE-C", true);  /* no disposition: any */
    expect(j, "NOTE-D", false); /* only for urgent */
    free(j);
}

static void test_a_less_urgent_note_is_dropped(void **state)
{
    char *j = outcome(rb, true, true, false);

    (void)state;
    expect(j, "\"disposition\":\"soon\"", true);
    expect(j, "NOTE-B", true);
    expect(j, "NOTE-A", false); /* "keep going" under "within days" */
    free(j);
    j = outcome(rb, true, true, true);
    expect(j, "\"disposition\":\"urgent\"", true);
    expect(j, "NOTE-A", false);
    expect(j, "NOTE-B", false);
    expect(j, "NOTE-D", true); /* note_for urgent */
    free(j);
}

static void test_the_note_predicate_is_what_the_json_keeps(void **state)
{
    ik_outcome o;
    ik_value slots[4];
    ik_error err;
    uint32_t i;

    (void)state;
    slots[0] = ik_bool(true);
    slots[1] = ik_bool(true);
    slots[2] = ik_bool(false);
    ik_outcome_init(&o);
    assert_int_equal(ik_outcome_compute(rb, slots, &o, &err), IK_OK);
    assert_int_equal(o.rules.n, 4);
    for (i = 0; i < o.rules.n; i++) {
        const char *id = rb->rules[o.rules.items[i]].id;
        bool want = strcmp(id, "b") == 0 || strcmp(id, "c") == 0;
        assert_int_equal(ik_outcome_note_shown(rb, &o, o.rules.items[i]),
                         want);
    }
    ik_outcome_fini(&o);
}

static void test_the_notice_is_in_the_outcome(void **state)
{
    ik_rulebook *r2;
    ik_error err;
    char *j = outcome(rb, false, false, false);

    (void)state;
    expect(j, "\"notice\":\"DISCLAIMER\"", true); /* the default */
    free(j);
    assert_int_equal(ik_rulebook_load_text(pack_notice, sizeof pack_notice - 1,
                                           "n.json", &r2, &err),
                     IK_OK);
    j = outcome(r2, false, false, false);
    expect(j, "\"notice\":\"NOTICE: education, not a diagnosis\"", true);
    free(j);
    ik_rulebook_free(r2);
}

typedef struct seen {
    int warnings;
    char first[256];
} seen;

static void on_diag(const ik_diag *d, void *ctx)
{
    seen *s = ctx;

    if (d->severity == IK_SEV_WARNING && strstr(d->where.msg, "note")) {
        if (!s->warnings++)
            snprintf(s->first, sizeof s->first, "%s", d->where.msg);
    }
}

static void test_check_warns_about_a_note_that_fits_any_disposition(
    void **state)
{
    char path[] = "/tmp/intake-notes-XXXXXX";
    int fd = mkstemp(path);
    seen s = {0, ""};

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pack, sizeof pack - 1), (ssize_t)sizeof pack - 1);
    close(fd);
    assert_int_equal(ik_rulebook_check_file(path, on_diag, &s), IK_OK);
    unlink(path);
    assert_int_equal(s.warnings, 1); /* c only: d says note_for */
    assert_string_equal(s.first,
                        "rule \"c\": its note can show under any disposition, "
                        "even \"urgent\"; give \"note_for\" with the "
                        "dispositions it fits");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_note_shows_under_its_own_disposition),
        cmocka_unit_test(test_a_less_urgent_note_is_dropped),
        cmocka_unit_test(test_the_note_predicate_is_what_the_json_keeps),
        cmocka_unit_test(test_the_notice_is_in_the_outcome),
        cmocka_unit_test(
            test_check_warns_about_a_note_that_fits_any_disposition),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
