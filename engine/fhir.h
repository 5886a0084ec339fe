/*
 * fhir.h (internal) -- HL7 FHIR R4 writers for export.c: a pack's
 * Questionnaire (conditions as SDC FHIRPath, fhirpath.h), its CodeSystem
 * and ValueSets, and a session's Bundle (QuestionnaireResponse and the
 * triage result as an Observation). Writers only; no I/O.
 *
 * Identifiers (docs/SESSIONS.md):
 *   Questionnaire.url  urn:intake:questionnaire:<pack id> (| version)
 *   CodeSystem.url     urn:intake:codes:<pack id>
 *   ValueSet.url       urn:intake:valueset:<pack id>:<question id>
 */
#ifndef IK_FHIR_H
#define IK_FHIR_H

#include "buf.h"
#include "interview.h"
#include "rulebook.h"
#include "session.h"

#define IK_FHIR_QUESTIONNAIRE_BASE "urn:intake:questionnaire:"
#define IK_FHIR_VALUESET_BASE      "urn:intake:valueset:"

/* The Questionnaire of rb. IK_ELOGIC (err names the question and the part
 * of its condition) when a condition has no FHIRPath form; IK_ENOMEM. */
ik_status ik_fhir_questionnaire(const ik_rulebook *rb, ik_buf *b,
                                ik_error *err);

/* A Bundle (collection) of the Questionnaire, the pack's CodeSystem and a
 * ValueSet for each coded question. Errors as ik_fhir_questionnaire. */
ik_status ik_fhir_pack_bundle(const ik_rulebook *rb, ik_buf *b, ik_error *err);

/* A Bundle (collection) of session s (restored as iv): its
 * QuestionnaireResponse and an Observation of the triage result. */
ik_status ik_fhir_session_bundle(const ik_session *s, const ik_interview *iv,
                                 ik_buf *b, ik_error *err);

#endif
