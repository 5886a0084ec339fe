/*
 * access.c -- the public face of core structures a front end reads: read-
 * only accessors and handle forms (_new/_free) of what the modules keep in
 * plain structs for their own code and tests, so a program reaches them
 * through include/intake/ only (the intake program is linked to the shared
 * library, where nothing else is visible). No logic of its own: every
 * function here reads a field or calls the module that owns the work.
 */
#include "alloc.h"
#include "batch.h"
#include "explore.h"
#include "rulebook.h"

#include <string.h>

/* ---- Rulebook ---- */

uint32_t ik_rulebook_nquestions(const ik_rulebook *rb)
{
    return rb->nquestions;
}

uint32_t ik_rulebook_nsections(const ik_rulebook *rb)
{
    return rb->nsections;
}

uint32_t ik_rulebook_nrules(const ik_rulebook *rb)
{
    return rb->nrules;
}

uint32_t ik_rulebook_nred_flags(const ik_rulebook *rb)
{
    return rb->nred_flags;
}

/* ---- Explore ---- */

ik_status ik_explore_new(const ik_rulebook *rb, const ik_explore_opts *opts,
                         ik_explore_report **out, ik_error *err)
{
    ik_explore_report *rep = ik_malloc(sizeof *rep);
    ik_status st;

    *out = NULL;
    if (!rep)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    st = ik_explore_run(rb, opts, rep, err);
    if (st != IK_OK) {
        ik_explore_free(rep);
        return st;
    }
    *out = rep;
    return IK_OK;
}

void ik_explore_free(ik_explore_report *rep)
{
    if (!rep)
        return;
    ik_explore_report_fini(rep);
    ik_free(rep);
}

/* ---- Batch ---- */

ik_status ik_batch_new(const ik_rulebook *rb, const ik_rulebook *old,
                       ik_batch **out, ik_error *err)
{
    ik_batch *b = ik_malloc(sizeof *b);
    ik_status st;

    *out = NULL;
    if (!b)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    st = ik_batch_init(b, rb, old, err);
    if (st != IK_OK) {
        ik_free(b);
        return st;
    }
    *out = b;
    return IK_OK;
}

void ik_batch_free(ik_batch *b)
{
    if (!b)
        return;
    ik_batch_fini(b);
    ik_free(b);
}

void ik_batch_count_refused(ik_batch *b)
{
    b->records++;
    b->errors++;
}

bool ik_batch_is_diff(const ik_batch *b)
{
    return b->diff;
}

void ik_batch_add_counts(ik_batch *into, const ik_batch *from)
{
    uint32_t f;

    into->records += from->records;
    into->errors += from->errors;
    into->changed += from->changed;
    for (f = 0; f < IK_DIFF__COUNT; f++)
        into->field_changes[f] += from->field_changes[f];
}
