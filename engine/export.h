/*
 * export.h -- a session in the forms people and record systems use: the
 * outcome JSON with session metadata, an HL7 FHIR R4 QuestionnaireResponse
 * (and the Questionnaire of a pack), and Markdown or plain text: a
 * one-page "what to do next" for a patient, an SBAR hand-off for a nurse.
 * Writers only: everything lands in the caller's ik_buf; no I/O.
 *
 * FHIR identifiers (documented in docs/EXPORT.md):
 *   Questionnaire.url       urn:intake:questionnaire:<pack id>
 *   Questionnaire.version   <pack version>
 *   QR.questionnaire        urn:intake:questionnaire:<pack id>|<version>
 *   option codes            system urn:intake:codes:<pack id>, code =
 *                           the option value (yes_no with "don't know":
 *                           codes yes, no, unknown)
 *   condition extension     urn:intake:fhir:extension:enable-when-jsonlogic
 *                           (valueString: the JsonLogic, when it is not a
 *                           simple comparison of earlier answers)
 */
#ifndef IK_EXPORT_H
#define IK_EXPORT_H

#include "buf.h"
#include "interview.h"
#include "rulebook.h"
#include "session.h"

#include <stdbool.h>

#define IK_FHIR_QUESTIONNAIRE_BASE "urn:intake:questionnaire:"
#define IK_FHIR_CODES_BASE         "urn:intake:codes:"
#define IK_FHIR_EXT_JSONLOGIC      "urn:intake:fhir:extension:enable-when-jsonlogic"

typedef enum ik_export_format {
    IK_EXPORT_JSON,
    IK_EXPORT_FHIR,
    IK_EXPORT_MARKDOWN,
    IK_EXPORT_TEXT,
    IK_EXPORT__COUNT
} ik_export_format;

/* "json", "fhir", "markdown" (or "md"), "text"; false when unknown. */
bool ik_export_format_find(const char *name, ik_export_format *out);

/*
 * Append session s in format f. iv is s restored on its pack
 * (ik_session_restore); answers and outcome come from iv, times, label
 * and history from s. Markdown and text are for s's audience: a patient's
 * "what to do next", or a nurse's SBAR hand-off. IK_ENOMEM.
 */
ik_status ik_export_session(const ik_session *s, const ik_interview *iv,
                            ik_export_format f, ik_buf *b, ik_error *err);

/* Append the FHIR R4 Questionnaire of pack rb (JSON). IK_ENOMEM. */
ik_status ik_export_questionnaire(const ik_rulebook *rb, ik_buf *b,
                                  ik_error *err);

#endif
