/*
 * export.h -- a session in the forms people and record systems use: the
 * outcome JSON with session metadata, an HL7 FHIR R4 Bundle (the
 * QuestionnaireResponse and the triage result; the Questionnaire of a pack),
 * and Markdown or plain text: a one-page "what to do next" for a patient, an
 * SBAR hand-off for a nurse. Writers only: everything lands in the caller's
 * ik_buf; no I/O.
 *
 */
#ifndef INTAKE_EXPORT_H
#define INTAKE_EXPORT_H

#include "intake/buf.h"
#include "intake/interview.h"
#include "intake/rulebook.h"
#include "intake/session.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ik_export_format {
    IK_EXPORT_JSON,
    IK_EXPORT_FHIR,
    IK_EXPORT_MARKDOWN,
    IK_EXPORT_TEXT,
    IK_EXPORT_HTML,
    IK_EXPORT__COUNT
} ik_export_format;

/* "json", "fhir", "markdown" (or "md"), "text", "html"; false when
 * unknown. */
IK_API bool ik_export_format_find(const char *name, ik_export_format *out);

/*
 * Append session s in format f. iv is s restored on its pack
 * (ik_session_restore); answers and outcome come from iv, times, label
 * and history from s. Markdown and text are for s's audience: a patient's
 * "what to do next", or a nurse's SBAR hand-off. IK_ENOMEM.
 */
IK_API ik_status ik_export_session(const ik_session *s, const ik_interview *iv,
                                   ik_export_format f, ik_buf *b,
                                   ik_error *err);

/* Append the FHIR R4 Questionnaire of pack rb (JSON); with codes, a
 * Bundle of it, the pack's CodeSystem and its ValueSets. IK_ELOGIC when a
 * condition has no FHIRPath form (err names it); IK_ENOMEM. */
IK_API ik_status ik_export_questionnaire(const ik_rulebook *rb, bool codes,
                                         ik_buf *b, ik_error *err);

#ifdef __cplusplus
}
#endif

#endif
