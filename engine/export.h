/*
 * export.h -- a session in the forms people and record systems use: the
 * outcome JSON with session metadata, an HL7 FHIR R4 Bundle (the
 * QuestionnaireResponse and the triage result; the Questionnaire of a pack),
 * and Markdown or plain text: a one-page "what to do next" for a patient, an
 * SBAR hand-off for a nurse. Writers only: everything lands in the caller's
 * ik_buf; no I/O. The whole interface is public (intake/export.h).
 *
 * FHIR: see fhir.h.
 */
#ifndef IK_EXPORT_H
#define IK_EXPORT_H

#include "intake/export.h"

#include "buf.h"
#include "interview.h"
#include "rulebook.h"
#include "session.h"

/* The Markdown (md) or plain-text document of s for its audience: the
 * patient page or the SBAR hand-off (export_doc.c). IK_ENOMEM, IK_ELOGIC. */
ik_status ik_export_words(const ik_session *s, const ik_interview *iv, bool md,
                          ik_buf *b, ik_error *err);

#endif
