/*
 * handout.h (internal) -- `intake export --format html`: one printable,
 * self-contained HTML page of a session for the patient (handout.c).
 */
#ifndef IK_HANDOUT_H
#define IK_HANDOUT_H

#include "buf.h"
#include "interview.h"
#include "session.h"

/* Append the page of session s (restored as iv). IK_ENOMEM. */
ik_status ik_handout_html(const ik_session *s, const ik_interview *iv,
                          ik_buf *b, ik_error *err);

#endif
