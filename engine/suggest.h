/*
 * suggest.h -- "did you mean" for misspelt keys, types and ids: the
 * closest candidate by edit distance, when it is close enough to be a
 * likely typo. No I/O, no allocation.
 */
#ifndef IK_SUGGEST_H
#define IK_SUGGEST_H

#include "intake/suggest.h"

#include <stddef.h>

/*
 * Optimal string alignment distance between a and b (insert, delete,
 * substitute, swap two neighbours), or limit + 1 once it exceeds limit.
 * Strings longer than 63 bytes are compared on their first 63 bytes.
 */
unsigned ik_edit_distance(const char *a, const char *b, unsigned limit);

/* Incremental search over candidates offered one at a time. */
typedef struct ik_suggest {
    const char *word; /* what the author wrote */
    const char *best; /* closest candidate so far, or NULL */
    unsigned dist;
} ik_suggest;

void ik_suggest_init(ik_suggest *s, const char *word);
void ik_suggest_offer(ik_suggest *s, const char *candidate);
/* The best candidate if close enough (about a third of the word), else
 * NULL. */
const char *ik_suggest_get(const ik_suggest *s);

/* ik_suggest_among, public: intake/suggest.h */

#endif
