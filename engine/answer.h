/*
 * answer.h (internal) -- typed answers: parse what a person typed for one
 * question into the value RULES.md records, check a recorded value (from a
 * session or an answers file), and write a value back in words. Pure: no
 * I/O, no state; allocates only from the arena given.
 */
#ifndef IK_ANSWER_H
#define IK_ANSWER_H

#include "intake/interview.h" /* IK_ANSWER_MAX_LINE */

#include "arena.h"
#include "buf.h"
#include "rulebook.h"
#include "value.h"

#include <stddef.h>

/* IK_ANSWER_MAX_LINE: intake/interview.h */

/*
 * Parse text[0..len) as an answer to q. Accepted forms (any case, spaces
 * around ignored): yes_no y/yes/n/no, and ?/dk/unsure/"don't know"/"not
 * sure"/"unknown" when allow_unknown; choice the option's number, value, or
 * an unambiguous prefix of its label; multi numbers, values or unique
 * label prefixes separated by commas or spaces (recorded in option order,
 * each once), "none" when allow_none (also "no", "nothing", "neither"
 * when no option goes by that word); number a decimal within min..max
 * (whole when integer; no nan/inf/hex/exponent overflow); text 1 to
 * max_length bytes of valid UTF-8 without control characters. info takes
 * no answer (an empty line). Success: *out holds the value (strings and
 * arrays in a). IK_EANSWER: err->msg says what is acceptable. IK_ENOMEM.
 */
ik_status ik_answer_parse(const ik_question *q, ik_audience aud,
                          const char *text, size_t len, ik_arena *a,
                          ik_value *out, ik_error *err);

/*
 * Whether the one key `key` (a byte), typed alone, is a whole answer to q
 * that no longer answer starts with, so a front end may take it without
 * Enter: y (any case) for yes_no; n when it does not allow "not sure"
 * (the words "not sure" start with n), and ? when it does;
 * an option's number for choice when no other option's number starts with
 * that digit (with 12 options, 2 to 9 but not 1); a digit in range for a
 * whole-number question when no longer number in range starts with it (0
 * to 10: 0 and 2 to 9, not 1). Never for multi, text, info or a number
 * that takes decimals. The key is still parsed by ik_answer_parse.
 */
bool ik_answer_is_key(const ik_question *q, int key);

/* What answers q accepts, as one sentence for a prompt or an error
 * ("Please enter a whole number from 0 to 10"). */
void ik_answer_hint(const ik_question *q, ik_audience aud, ik_buf *b);

/* IK_OK when v is a value q can record (null always is); else IK_EANSWER
 * with a message naming what was expected. */
ik_status ik_answer_check(const ik_question *q, ik_value v, ik_error *err);

/* Append v in words as the person would read it: "yes", "don't know",
 * option labels joined by ", ", the number with its unit, the text;
 * "(skipped)" for null, "" for undefined. */
void ik_answer_format(const ik_question *q, ik_audience aud, ik_value v,
                      ik_buf *b);

#endif
