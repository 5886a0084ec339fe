/*
 * fuzz_batch.c -- fuzz target for `intake batch` records (engine/batch.c,
 * engine/answers_json.c): each input line is one answers object for the
 * bundled pack. Every record either yields one outcome object (valid JSON)
 * or fails cleanly with an error object written in its place; the same
 * lines diffed against the same pack never report a change; and the
 * answers reader (its own strict JSON scanner) refuses as not JSON exactly
 * what engine/json.c refuses. The CLI's
 * line reading (length bound) is tested in test_limits.c. Properties only.
 */
#define FUZZ_WANT_PACK
#include "fuzz.h"

#include "answers_json.h"
#include "batch.h"
#include "json.h"
#include "rulebook.h"

static void check_json(ik_buf *out)
{
    ik_json_doc doc;
    ik_error err;
    ik_status st;

    if (ik_buf_status(out) != IK_OK || out->len == 0)
        return;
    st = ik_json_parse(ik_buf_cstr(out), out->len, "", 0, &doc, &err);
    FUZZ_CHECK(st == IK_OK || st == IK_ENOMEM);
    if (st == IK_OK)
        FUZZ_CHECK(cJSON_IsObject(doc.root));
    ik_json_doc_fini(&doc);
    ik_buf_clear(out);
}

/* answers_json.c and json.c must agree on what is JSON. */
static void check_same_syntax(const ik_rulebook *rb, const char *line,
                              size_t len)
{
    ik_value answers[512];
    ik_json_doc doc;
    ik_arena a;
    ik_error err;
    ik_status sj, sa;

    if (rb->nquestions > 512)
        return;
    sj = ik_json_parse(line, len, "", 0, &doc, &err);
    ik_json_doc_fini(&doc);
    ik_arena_init(&a);
    sa = ik_answers_json_parse(rb, line, len, "", &a, answers, &err);
    ik_arena_fini(&a);
    if (sj != IK_ENOMEM && sa != IK_ENOMEM)
        FUZZ_CHECK((sj == IK_ESYNTAX) == (sa == IK_ESYNTAX));
}

/* Run every line through a batch on rb (diffing against rb when diff). */
static void run(const ik_rulebook *rb, int diff, char *text, size_t size)
{
    ik_batch b;
    ik_buf out;
    ik_error err;
    char *line = text, *end = text + size;
    uint64_t lineno = 0;

    if (ik_batch_init(&b, rb, diff ? rb : NULL, &err) != IK_OK)
        return;
    ik_buf_init(&out);
    while (line <= end) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
        char saved = line[len];
        ik_status st;

        line[len] = '\0'; /* a record is NUL-terminated */
        lineno++;
        ik_error_clear(&err);
        st = ik_batch_record(&b, lineno, line, len, &out, &err);
        if (!diff)
            check_same_syntax(rb, line, len);
        line[len] = saved;
        if (st != IK_OK) {
            FUZZ_CHECK(st == IK_ESYNTAX || st == IK_EANSWER ||
                       st == IK_ELOGIC || st == IK_ENOMEM || st == IK_ELIMIT);
            FUZZ_CHECK(err.msg[0] != '\0');
            ik_batch_write_error(&out, lineno, &err);
        }
        check_json(&out);
        if (!nl)
            break;
        line = nl + 1;
    }
    if (diff) {
        FUZZ_CHECK(b.changed == 0);
        ik_batch_write_summary(&b, &out);
        check_json(&out);
    }
    ik_buf_fini(&out);
    ik_batch_fini(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    const ik_rulebook *pack = fuzz_bundled_pack();

    if (text && pack) {
        run(pack, 0, text, size);
        run(pack, 1, text, size);
    }
    free(text);
    return 0;
}
