/*
 * fuzz_rulebook.c -- fuzz target for the rule-pack loader and linter
 * (engine/rulebook.c, engine/lint.c): the input is a pack. Loading either
 * succeeds or fails cleanly; `check` (which reads a file, so the input is
 * written to a private temporary file) agrees with the load on whether
 * the pack has errors and reports a bounded number of diagnostics, each
 * with a message. A pack that loads is then interviewed: each question
 * answered with its first option, the middle of its range, a word or an
 * empty line (or skipped), so fuzzed conditions are evaluated too.
 * Properties only: no particular message is expected.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include "intake/interview.h"
#include "rulebook.h"

#include <stdio.h>
#include <unistd.h>

enum { MAX_STEPS = 300 };

static int clean_failure(ik_status st, const ik_error *err)
{
    return st != IK_OK && st < IK_STATUS__COUNT && err->code == st &&
           err->msg[0] != '\0' && memchr(err->msg, '\0', sizeof err->msg);
}

typedef struct diags {
    size_t n, errors;
} diags;

static void on_diag(const ik_diag *d, void *ctx)
{
    diags *ds = ctx;

    FUZZ_CHECK(d->where.msg[0] != '\0');
    FUZZ_CHECK(d->where.line >= 0 && d->where.col >= 0);
    ds->n++;
    ds->errors += d->severity == IK_SEV_ERROR;
}

/* Answer text for question q of rb that its type should accept. */
static const char *answer_for(const ik_question *q, char *buf, size_t cap)
{
    switch (q->type) {
    case IK_Q_YES_NO:
        return "yes";
    case IK_Q_CHOICE:
    case IK_Q_MULTI:
        return "1";
    case IK_Q_NUMBER:
        snprintf(buf, cap, "%.0f",
                 q->min > -1e9 ? q->min : (q->max < 1e9 ? q->max : 0));
        return buf;
    case IK_Q_TEXT:
        return "a few words";
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    return "";
}

static void interview(const ik_rulebook *rb)
{
    ik_interview *iv = NULL;
    ik_error err;
    ik_step step;
    char buf[64], *json = NULL;
    int k;

    if (ik_interview_new(rb, NULL, &iv, &err) != IK_OK)
        return;
    for (k = 0; k < MAX_STEPS; k++) {
        const ik_question *q;
        const char *text;
        ik_status st;

        ik_interview_next(iv, &step);
        if (step.kind == IK_STEP_OUTCOME)
            break;
        FUZZ_CHECK(step.question < rb->nquestions);
        q = &rb->questions[step.question];
        text = answer_for(q, buf, sizeof buf);
        st = ik_interview_answer(iv, text, strlen(text), &err);
        if (st == IK_EANSWER)
            st = ik_interview_skip(iv, &err);
        if (st == IK_EANSWER)
            st = ik_interview_answer(iv, "", 0, &err);
        if (st != IK_OK)
            break; /* IK_ENOMEM, or a question nothing satisfies */
        if (k == 3 && ik_interview_back(iv, &err) != IK_OK)
            break;
    }
    if (ik_interview_outcome_json(iv, &json, &err) == IK_OK)
        FUZZ_CHECK(json && json[0] == '{');
    ik_interview_free_string(json);
    ik_interview_free(iv);
}

static char tmp_path[64];

static ik_status check(const uint8_t *data, size_t size, diags *ds)
{
    FILE *f;

    if (!tmp_path[0]) {
        int fd;
        snprintf(tmp_path, sizeof tmp_path, "/tmp/fuzz_rulebook.XXXXXX");
        fd = mkstemp(tmp_path);
        if (fd < 0)
            return IK_EIO;
        close(fd);
    }
    f = fopen(tmp_path, "wb");
    if (!f)
        return IK_EIO;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return IK_EIO;
    }
    if (fclose(f) != 0)
        return IK_EIO;
    return ik_rulebook_check_file(tmp_path, on_diag, ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    ik_rulebook *rb = NULL;
    ik_error err;
    ik_status st, cst;
    diags ds = {0, 0};

    if (!text)
        return 0;
    ik_error_clear(&err);
    st = ik_rulebook_load_text(text, size, "fuzz.json", &rb, &err);
    if (st == IK_OK) {
        FUZZ_CHECK(rb != NULL);
        FUZZ_CHECK(ik_rulebook_id(rb) && ik_rulebook_version(rb) &&
                   ik_rulebook_title(rb));
        interview(rb);
    } else {
        FUZZ_CHECK(rb == NULL);
        FUZZ_CHECK(clean_failure(st, &err));
    }
    ik_rulebook_free(rb);

    /* The replayer's fail-each-allocation mode skips the file round trip
     * (test_errorpaths.c fails each allocation of check instead). */
    cst = getenv("IK_FUZZ_OOM") ? IK_EIO : check(data, size, &ds);
    if (cst != IK_EIO) {
        FUZZ_CHECK(ds.n <= IK_MAX_DIAGNOSTICS + 1);
        /* check and load agree on whether the pack has an error */
        if (st != IK_ENOMEM && cst != IK_ENOMEM) {
            FUZZ_CHECK((st == IK_OK) == (cst == IK_OK));
            FUZZ_CHECK((cst == IK_OK) == (ds.errors == 0));
        }
    }
    free(text);
    return 0;
}
