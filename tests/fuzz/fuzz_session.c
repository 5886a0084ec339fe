/*
 * fuzz_session.c -- fuzz target for the session loader (engine/session_json.c):
 * the input is a session file, as an older version, a full disk or a hand
 * edit may leave it. Loading either succeeds or fails cleanly; a loaded
 * session writes back to text that loads again and writes back the same;
 * and it is restored against the bundled pack (replaying its history or
 * checking each saved answer), so fuzzed histories drive the interview.
 * Properties only. It never saves: file writing is tested elsewhere.
 */
#define FUZZ_WANT_PACK
#include "fuzz.h"

#include "intake/interview.h"
#include "rulebook.h"
#include "session.h"

static void round_trip(const ik_session *s)
{
    ik_buf b1, b2;
    ik_session *again = NULL;
    ik_error err;
    ik_status st;

    ik_buf_init(&b1);
    ik_buf_init(&b2);
    ik_session_write_json(s, &b1);
    if (ik_buf_status(&b1) == IK_OK) {
        st = ik_session_load_text(ik_buf_cstr(&b1), b1.len, "again.json",
                                  &again, &err);
        FUZZ_CHECK(st == IK_OK || st == IK_ENOMEM);
        if (st == IK_OK) {
            ik_session_write_json(again, &b2);
            if (ik_buf_status(&b2) == IK_OK)
                FUZZ_CHECK(b1.len == b2.len &&
                           memcmp(b1.data, b2.data, b1.len) == 0);
        }
    }
    ik_session_free(again);
    ik_buf_fini(&b1);
    ik_buf_fini(&b2);
}

static void restore(ik_session *s)
{
    const ik_rulebook *rb = fuzz_bundled_pack();
    ik_interview *iv = NULL;
    ik_session_resume info;
    ik_error err;
    char *json = NULL;
    ik_status st;

    memset(&info, 0, sizeof info);
    st = ik_session_restore(s, rb, &iv, &info, &err);
    if (st != IK_OK) {
        FUZZ_CHECK(iv == NULL);
        FUZZ_CHECK(err.msg[0] != '\0');
        return;
    }
    FUZZ_CHECK(ik_session_fill(s, iv, &info, &err) != IK_EMISUSE);
    if (ik_interview_outcome_json(iv, &json, &err) == IK_OK)
        FUZZ_CHECK(json && json[0] == '{');
    ik_interview_free_string(json);
    ik_interview_free(iv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    ik_session *s = NULL;
    ik_error err;
    ik_status st;

    if (!text || !fuzz_bundled_pack()) {
        free(text);
        return 0;
    }
    ik_error_clear(&err);
    st = ik_session_load_text(text, size, "fuzz.json", &s, &err);
    if (st == IK_OK) {
        FUZZ_CHECK(s != NULL);
        FUZZ_CHECK(ik_session_audience(s) && ik_session_pack_id(s));
        round_trip(s);
        restore(s);
    } else {
        FUZZ_CHECK(s == NULL);
        FUZZ_CHECK(st == IK_ESESSION || st == IK_ESYNTAX || st == IK_ENOMEM ||
                   st == IK_ELIMIT);
        FUZZ_CHECK(err.code == st && err.msg[0] != '\0');
    }
    ik_session_free(s);
    free(text);
    return 0;
}
