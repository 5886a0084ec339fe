/*
 * fuzz_answer.c -- fuzz target for typed answers (engine/answer.c) and
 * the command words (ik_command_parse). The first input byte picks the
 * question type and flags, the second its range; the rest is the line a
 * person typed. What parses must pass ik_answer_check (the same rules a
 * session or answers file is held to), copy, and format; what does not
 * fails with IK_EANSWER and a message. (That messages never repeat the
 * answer is tested in test_errorpaths.c.) Properties only.
 */
#include "fuzz.h"

#include "answer.h"
#include "intake/interview.h"

static ik_option options[] = {
    {"back_pain", {{"Back pain", "Back pain"}}, 9},
    {"leg_pain", {{"Leg pain (sciatica)", "Radicular leg pain"}}, 8},
    {"numbness", {{"Numbness or tingling", "Paraesthesia"}}, 8},
    {"none_of_these", {{"None of these", "None reported"}}, 13},
};

static void setup(ik_question *q, uint8_t pick, uint8_t range)
{
    static const double lows[] = {0, -10, 0.5, -1e300};
    static const double highs[] = {10, 10, 120.5, 1e300};

    memset(q, 0, sizeof *q);
    q->id = "fuzz_question";
    q->type = (ik_qtype)(pick % IK_Q__COUNT);
    q->text.by[IK_AUD_PATIENT] = "How is it?";
    q->text.by[IK_AUD_NURSE] = "How is it for the patient?";
    q->options = options;
    q->noptions = q->type == IK_Q_CHOICE || q->type == IK_Q_MULTI
                      ? 2 + (uint32_t)((pick >> 3) & 1) * 2
                      : 0;
    q->min = lows[range & 3];
    q->max = highs[(range >> 2) & 3];
    q->integer = (pick >> 4) & 1;
    q->unit = (range >> 4) & 1 ? "kg" : NULL;
    q->allow_unknown = (pick >> 5) & 1;
    q->allow_none = (pick >> 6) & 1;
    q->required = (pick >> 7) & 1;
    q->max_length = (range >> 5) & 1 ? 16 : 0;
    q->enable_when = IK_NO_EXPR;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ik_question q;
    ik_arena a;
    ik_value v, copy;
    ik_error err;
    ik_status st;
    ik_buf b;
    char *text;
    size_t len;
    int aud;

    if (size < 2)
        return 0;
    setup(&q, data[0], data[1]);
    aud = data[1] >> 7;
    len = size - 2;
    text = fuzz_cstr(data + 2, len);
    if (!text)
        return 0;
    (void)ik_command_parse(text, len);
    ik_arena_init(&a);
    ik_error_clear(&err);
    st = ik_answer_parse(&q, (ik_audience)aud, text, len, &a, &v, &err);
    if (st == IK_OK) {
        FUZZ_CHECK(ik_answer_check(&q, v, &err) == IK_OK);
        if (ik_value_copy(v, &a, &copy) == IK_OK)
            FUZZ_CHECK(ik_value_strict_eq(v, copy) || v.kind == IK_ARR);
        ik_buf_init(&b);
        ik_answer_format(&q, (ik_audience)aud, v, &b);
        ik_answer_hint(&q, (ik_audience)aud, &b);
        ik_buf_fini(&b);
    } else {
        FUZZ_CHECK(st == IK_EANSWER || st == IK_ENOMEM);
        FUZZ_CHECK(err.code == st && err.msg[0] != '\0');
    }
    ik_arena_fini(&a);
    free(text);
    return 0;
}
