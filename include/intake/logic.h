/*
 * logic.h -- compile JsonLogic once, evaluate it many times.
 *
 * An ik_logic holds any number of compiled expressions that share one node
 * array, one constant pool and one symbol table. A symbol is a name that the
 * first segment of a `var` path binds to at compile time (a question id, a
 * derived id, a record field); at evaluation its value is read from a slot
 * array by index, so no name is searched on the hot path.
 * Semantics are json-logic-js 2.0.5's (see SEMANTICS.md in the conformance
 * data); unknown operators are compile errors.
 */
#ifndef INTAKE_LOGIC_H
#define INTAKE_LOGIC_H

#include "intake/error.h"
#include "intake/value.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ik_logic ik_logic; /* opaque */
typedef uint32_t ik_expr;         /* root node index of one expression */

#define IK_LOGIC_MAX_DEPTH 64 /* operator nesting accepted by compile */
/* Node visits one evaluation may take (ik_env.budget lowers it): an
 * expression's nodes count once when it starts, an iteration body's once
 * an element, short-circuited or not. */
#define IK_LOGIC_BUDGET 10000000u
/* Node visits the evaluations of one answer (interview) or one record
 * (batch, run --answers, export) take together: however many derived
 * values and conditions a pack has, an answer stops after this many
 * (about a second's work), where each may take IK_LOGIC_BUDGET. */
#define IK_LOGIC_TOTAL_BUDGET 50000000u
/* Scratch memory one evaluation may take (strings, arrays it builds). */
#define IK_LOGIC_MAX_SCRATCH (128u * 1024 * 1024)
/* Bytes the constants folded at compile time may take in one program
 * together (a pack, an `intake eval` input): past it, an expression that
 * reads no data is left as it is and evaluated when used, within the
 * limits above, to the same value. As much as a pack's text may take. */
#define IK_LOGIC_MAX_FOLDED (64u * 1024 * 1024)

/* A new, empty program. Free with ik_logic_free. */
IK_API ik_status ik_logic_new(ik_logic **out, ik_error *err);
IK_API void ik_logic_free(ik_logic *lg); /* NULL is fine */

/*
 * Strict mode: a `var` whose first path segment is not a defined symbol is
 * a compile error (rule packs). Off (the default): such names become new
 * symbols automatically (ad-hoc expressions, benchmarks).
 */
IK_API void ik_logic_set_strict(ik_logic *lg, bool strict);

/* Define (or find) symbol `name`; *slot receives its index. */
IK_API ik_status ik_logic_define(ik_logic *lg, const char *name, uint32_t *slot,
                                 ik_error *err);
/* Index of symbol `name`, or UINT32_MAX when undefined. */
IK_API uint32_t ik_logic_find(const ik_logic *lg, const char *name);
IK_API uint32_t ik_logic_nslots(const ik_logic *lg);
/* Borrowed until ik_logic_free. */
IK_API const char *ik_logic_slot_name(const ik_logic *lg, uint32_t slot);

/*
 * Compile the JSON text of one expression. On error *err names line:col
 * within text (file "" unless the caller fills it) and nothing is added.
 */
IK_API ik_status ik_logic_compile_text(ik_logic *lg, const char *text,
                                       size_t len, ik_expr *out, ik_error *err);

/*
 * Evaluate `logic` (JSON text) against `data` (JSON text, or NULL for
 * null) and return the result printed as JSON.stringify would print it
 * (a new string; free with ik_logic_free_string). A convenience for the
 * `intake eval` command and tests; compiles in lenient mode.
 */
IK_API ik_status ik_logic_eval_json(const char *logic, size_t logic_len,
                                    const char *data, size_t data_len,
                                    char **result, ik_error *err);
IK_API void ik_logic_free_string(char *s);

/*
 * As ik_logic_eval_json for one line of `intake eval --lines`: text is a
 * JSON array [logic] or [logic, data]. Errors name line:col within text.
 */
IK_API ik_status ik_logic_eval_pair(const char *text, size_t len, char **result,
                                    ik_error *err);

#ifdef __cplusplus
}
#endif

#endif
