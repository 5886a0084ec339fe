/*
 * suggest.h -- "did you mean": the closest candidate by edit distance,
 * when it is close enough to be a likely typo (the rule the pack loader
 * uses for misspelt keys and ids, for a front end's misspelt commands).
 * No I/O, no allocation.
 */
#ifndef INTAKE_SUGGEST_H
#define INTAKE_SUGGEST_H

#include "intake/error.h" /* IK_API */

#ifdef __cplusplus
extern "C" {
#endif

/* Closest of a NULL-terminated list, or NULL. Borrowed from list. */
IK_API const char *ik_suggest_among(const char *word, const char *const *list);

#ifdef __cplusplus
}
#endif

#endif
