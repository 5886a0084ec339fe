/*
 * fhirpath.h (internal) -- a pack's JsonLogic conditions as FHIRPath, the
 * expression language of HL7 SDC, so that any SDC form renderer can run
 * them: a question's enable_when becomes an enableWhenExpression and the
 * derived values it reads become `variable` extensions of the
 * Questionnaire. The translation walks the compiled logic
 * (ik_logic_node_get); it keeps json-logic-js semantics exactly for the
 * operators packs use (null for an unanswered question, truthiness, `in`
 * over arrays and text) and refuses, naming the part, whatever it cannot
 * write exactly. No I/O.
 *
 * Answers are read from the QuestionnaireResponse the renderer builds
 * (%resource), through the codes of docs/SESSIONS.md (ik_fhir_code).
 */
#ifndef IK_FHIRPATH_H
#define IK_FHIRPATH_H

#include "buf.h"
#include "rulebook.h"

#include <stdbool.h>

/* The code system of pack answers and results: <base><pack id>. */
#define IK_FHIR_CODES_BASE "urn:intake:codes:"

/* Codes shared by every question: a yes_no answer and "none of these". */
#define IK_FHIR_CODE_YES     "yes"
#define IK_FHIR_CODE_NO      "no"
#define IK_FHIR_CODE_UNKNOWN "unknown"
#define IK_FHIR_CODE_NONE    "none"

/* Append the code of option value (n bytes) of question q:
 * "<question id>.<value>", so each code has one meaning and one display. */
void ik_fhir_option_code(ik_buf *b, const ik_question *q, const char *value,
                         size_t n);

/* The name of derived value id as an SDC variable: an R4 `id` (letters,
 * digits, '-', '.'), so each '_' becomes '-' (ids have no '-': no two
 * names meet). Expressions read it as %`name`. */
void ik_fhirpath_var_name(ik_buf *b, const char *id);

typedef struct ik_fhirpath ik_fhirpath;

ik_status ik_fhirpath_new(const ik_rulebook *rb, ik_fhirpath **out,
                          ik_error *err);
void ik_fhirpath_free(ik_fhirpath *fp);

/*
 * Append condition e as a FHIRPath expression that is always exactly true
 * or false (never empty), the truthiness json-logic-js gives e. Derived
 * values it reads are referred to as %`<name>` and marked needed. IK_ELOGIC
 * (err names the operator, derived value or comparison) when e has no
 * exact FHIRPath form; IK_ENOMEM.
 */
ik_status ik_fhirpath_condition(ik_fhirpath *fp, ik_expr e, ik_buf *b,
                                ik_error *err);

/*
 * After the conditions: the derived values they need, in evaluation order
 * (each after the ones it reads). For i in [0, ik_fhirpath_nneeded):
 * the derived index and its FHIRPath (the variable's expression).
 */
uint32_t ik_fhirpath_nneeded(const ik_fhirpath *fp);
uint32_t ik_fhirpath_needed(const ik_fhirpath *fp, uint32_t i,
                            const char **expression);

#endif
