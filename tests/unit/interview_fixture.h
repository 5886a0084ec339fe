/*
 * interview_fixture.h -- the two steps most interview tests take: start a
 * patient interview on a pack, and give an answer that must be taken.
 * Include after cmocka.h, string.h and interview.h.
 */
#ifndef IK_TEST_INTERVIEW_FIXTURE_H
#define IK_TEST_INTERVIEW_FIXTURE_H

static ik_interview *start(const ik_rulebook *rb)
{
    ik_interview *iv = NULL;
    ik_error err;

    if (ik_interview_new(rb, "patient", &iv, &err) != IK_OK)
        fail_msg("%s", err.msg);
    return iv;
}

static void say(ik_interview *iv, const char *text)
{
    ik_error err;

    if (ik_interview_answer(iv, text, strlen(text), &err) != IK_OK)
        fail_msg("answer '%s' refused: %s", text, err.msg);
}

#endif
