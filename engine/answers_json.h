/*
 * answers_json.h -- read one answers object ({"question_id": value, ...})
 * from JSON text into answer slots, validating ids, types and ranges the
 * same way for `intake batch` (one object a line) and `intake run
 * --answers FILE`, so both accept and refuse exactly the same input.
 * No I/O; values live in the caller's arena.
 */
#ifndef IK_ANSWERS_JSON_H
#define IK_ANSWERS_JSON_H

#include "arena.h"
#include "rulebook.h"
#include "value.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Parse text[0..len) (text[len] must be '\0') strictly as JSON; it must
 * be an object whose members name questions of rb, each with a value the
 * question can record (null: skipped). answers[0..rb->nquestions) is
 * filled: UNDEF for questions the object does not name. Values are
 * allocated in a (reset it to reuse the memory). file names the source in
 * errors ("" for a batch line). Failure: IK_ESYNTAX (not JSON),
 * IK_EANSWER (not an object, unknown id, a value that does not fit; the
 * error names the member's line:col and err->path is "/<id>"), IK_ENOMEM.
 */
ik_status ik_answers_json_parse(const ik_rulebook *rb, const char *text,
                                size_t len, const char *file, ik_arena *a,
                                ik_value *answers, ik_error *err);

/*
 * As ik_answers_json_parse, but members that name no question of rb are
 * dropped instead of refused; *ndropped counts them. For comparing a
 * record under an older pack that lacks newer questions (batch --diff).
 */
ik_status ik_answers_json_parse_lenient(const ik_rulebook *rb, const char *text,
                                        size_t len, ik_arena *a,
                                        ik_value *answers, size_t *ndropped,
                                        ik_error *err);

/*
 * ik_answers_json_parse (ndropped NULL) or _lenient (ndropped set), but
 * string answers without escapes point into text, which must outlive the
 * answers' use (batch: one record at a time). All three read the object
 * straight into answers (ik_json_read_slots' reader: no object built).
 */
ik_status ik_answers_json_read(const ik_rulebook *rb, const char *text,
                               size_t len, const char *file, ik_arena *a,
                               ik_value *answers, size_t *ndropped,
                               ik_error *err);

/* The slot the top-level member pos of a record, key[0..klen) (no NUL),
 * names, or UINT32_MAX (kept: read and checked, then dropped). */
typedef uint32_t (*ik_slot_fn)(void *ctx, uint32_t pos, const char *key,
                               uint32_t klen);

/*
 * Read text[0..len) (text[len] must be '\0') as one JSON object with the
 * same rules and messages as ik_answers_json_parse, straight into slots:
 * slots[0..nslots) become UNDEF, then each top-level member whose key
 * slot_of maps below nslots is stored in its slot; the other members are
 * read and checked, and dropped. No object is built. Strings without
 * escapes point into text (which must outlive the slots' use, and need
 * not hold a NUL after each); the rest is allocated in a. On failure the
 * slots hold any values. For records whose members are the names a
 * program's conditions read (ik_logic_slot_of): no tree, no binding pass.
 */
ik_status ik_json_read_slots(const char *text, size_t len, const char *file,
                             ik_arena *a, ik_slot_fn slot_of, void *ctx,
                             ik_value *slots, uint32_t nslots, ik_error *err);

/*
 * Append answers[0..rb->nquestions) as one compact answers object (only
 * the questions that have a value; null for skipped), in pack order: the
 * form `intake run --answers` replays.
 */
void ik_answers_json_write(const ik_rulebook *rb, const ik_value *answers,
                           ik_buf *b);

#endif
