/*
 * batch.h -- triage many answer records: one answers object (JSON text)
 * in, one outcome object (JSON text) out, in constant memory: each record
 * uses a scratch arena that is reset for the next, and the outcome's own
 * arenas are reused. With an older pack as well (--diff), each record is
 * computed under both packs and the differences are written instead.
 * No I/O: the caller reads lines and writes what lands in its ik_buf.
 */
#ifndef IK_BATCH_H
#define IK_BATCH_H

#include "intake/batch.h"

#include "arena.h"
#include "buf.h"
#include "outcome.h"
#include "rulebook.h"

#include <stdbool.h>
#include <stdint.h>

struct ik_interview;

/* The outcome fields --diff compares (by id, so packs may differ). */
typedef enum ik_diff_field {
    IK_DIFF_COMPLETE,
    IK_DIFF_DISPOSITION,
    IK_DIFF_LADDER,
    IK_DIFF_RED_FLAGS,
    IK_DIFF_SECTIONS,
    IK_DIFF__COUNT
} ik_diff_field;

/* One pack's side of a batch: its answers and outcome, reused. */
typedef struct ik_batch_side {
    const ik_rulebook *rb;   /* borrowed */
    ik_outcome_plan *plan;   /* rb's precomputed outcome plan, owned */
    ik_value *answers;       /* rb->nquestions */
    ik_outcome now;          /* the fast path's outcome */
    struct ik_interview *iv; /* the exact path's interview, per record */
    const ik_outcome *out;   /* the record's outcome: &now or iv's */
    uint64_t exact; /* records that took the exact (interview) path */
} ik_batch_side;

struct ik_batch {
    ik_batch_side side[2]; /* [0]: the pack; [1]: the old pack (diff) */
    bool diff;
    ik_audience aud;
    ik_arena scratch; /* one record's answers; reset per record */
    uint64_t records; /* records seen (good or bad) */
    uint64_t errors;  /* records refused */
    uint64_t changed; /* diff: records whose outcome differs */
    uint64_t field_changes[IK_DIFF__COUNT]; /* diff: records per field */
};

/* "complete", "disposition", ... */
const char *ik_diff_field_name(ik_diff_field f);

/* In the caller's storage (tests); ik_batch_new is the public form.
 * old may be NULL (no diff). IK_ENOMEM. */
ik_status ik_batch_init(ik_batch *b, const ik_rulebook *rb,
                        const ik_rulebook *old, ik_error *err);
void ik_batch_fini(ik_batch *b);

/* ik_batch_record, _write_error, _write_summary: public (intake/batch.h) */

#endif
