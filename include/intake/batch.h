/*
 * batch.h -- triage many answer records: one answers object (JSON text)
 * in, one outcome object (JSON text) out, in constant memory: each record
 * uses a scratch arena that is reset for the next, and the outcome's own
 * arenas are reused. With an older pack as well (--diff), each record is
 * computed under both packs and the differences are written instead.
 * No I/O: the caller reads lines and writes what lands in its ik_buf.
 */
#ifndef INTAKE_BATCH_H
#define INTAKE_BATCH_H

#include "intake/buf.h"
#include "intake/rulebook.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ik_batch ik_batch; /* opaque */

/*
 * A batch over rb and, to diff, old (may be NULL); both are borrowed and
 * must outlive the batch, and may be shared by batches on other threads.
 * Success: *out owns a new batch (free with ik_batch_free). IK_ENOMEM.
 */
IK_API ik_status ik_batch_new(const ik_rulebook *rb, const ik_rulebook *old,
                              ik_batch **out, ik_error *err);
IK_API void ik_batch_free(ik_batch *b); /* NULL is fine */

/*
 * Process one record: text[0..len) with text[len] == '\0', lineno its
 * 1-based line number. The outcome is the one `intake run --answers`
 * gives for the same object (ik_run_answers: each question the
 * interview asks gets its answer, one left out is skipped, a required one
 * left out is refused, a stop red flag ends it). A fast path computes it
 * in one ik_outcome_compute when that is provably the same: the pack's
 * enable_when conditions read only earlier questions, every question that
 * applies is answered, and no stop flag fires at the end or on any prefix
 * of the answers; other records replay through an interview. Success: appends
 * to out (no newline) the outcome object, or when diffing {"line": N,
 * "changed": [fields], <field>:
 * {"old": ..., "new": ...} ...}. Failure (IK_ESYNTAX, IK_EANSWER,
 * IK_ELOGIC, IK_ENOMEM): out is unchanged and err says why; the batch
 * goes on with the next record.
 */
IK_API ik_status ik_batch_record(ik_batch *b, uint64_t lineno, const char *text,
                                 size_t len, ik_buf *out, ik_error *err);

/* Count a record the caller refused before handing it over (a line too
 * long to read), as ik_batch_record counts one it refuses. */
IK_API void ik_batch_count_refused(ik_batch *b);

/* Whether b diffs two packs (old was given). */
IK_API bool ik_batch_is_diff(const ik_batch *b);

/* Add the counts of from (records, errors, changes) to into: the summary
 * of a run split over several batches (threads) is the first's after the
 * others are added. Both must diff the same packs. */
IK_API void ik_batch_add_counts(ik_batch *into, const ik_batch *from);

/* Append {"line": N, "error": "..."} (no newline). */
IK_API void ik_batch_write_error(ik_buf *out, uint64_t lineno,
                                 const ik_error *err);

/* Append the diff summary {"summary": {"records": N, "changed": K,
 * "errors": E, "fields": {"disposition": n, ...}}} (no newline). */
IK_API void ik_batch_write_summary(const ik_batch *b, ik_buf *out);

#ifdef __cplusplus
}
#endif

#endif
