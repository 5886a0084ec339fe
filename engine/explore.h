/*
 * explore.h -- walk the answer paths a rule pack allows and check its
 * invariants on every complete path. A path is what an interview would
 * see: the next question is always the first enabled, unanswered one (as
 * ik_outcome_compute decides), answered from a small finite domain per
 * question (yes_no true/false/"unknown", each choice option, multi subsets
 * (all of them up to IK_EXPLORE_MULTI_ALL options, else singletons, all
 * and random subsets), numbers at min/max and at the constants the pack
 * compares them with, +-1, text empty or not, null when skippable); it
 * ends when nothing is left to ask or a stop red flag fires. Exhaustive
 * when the space has at most max_paths paths, else a seeded random
 * sample. No I/O: results land in a report the caller renders. The
 * public face is intake/explore.h; the report's fields are for tests.
 */
#ifndef IK_EXPLORE_H
#define IK_EXPLORE_H

#include "intake/explore.h"

#include "arena.h"
#include "buf.h"
#include "rulebook.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct ik_explore_failure {
    uint32_t invariant;  /* index into rb->invariants */
    const char *answers; /* answers object (JSON) that replays the path */
    const char *why;     /* "disposition is routine, expected emergency" */
} ik_explore_failure;

struct ik_explore_report {
    bool exhaustive;              /* every path was walked */
    uint64_t paths;               /* complete paths checked */
    uint64_t stopped;             /* of which a stop red flag ended */
    uint64_t *by_disposition;     /* per disposition */
    uint64_t *by_rung;            /* per rung; [nladder]: no rung */
    uint64_t *by_section;         /* per section: paths that show it */
    uint64_t *inv_applied;        /* per invariant: paths where `when` held */
    uint64_t *inv_failed;         /* per invariant: paths that broke it */
    ik_explore_failure *failures; /* up to max_examples per invariant */
    uint32_t nfailures;
    uint64_t domain_paths_lb; /* lower bound on the space's size */
    uint64_t max_paths;       /* the most paths walked whole (as used) */
    bool forced_sample;       /* sampled because asked, not for size */
    ik_arena arena;           /* owns everything above */
};

/*
 * Walk rb's answer paths into rep (initialised here; free with
 * ik_explore_report_fini, also after failure). IK_ERULES when an
 * invariant's expect names an unknown id, IK_ELOGIC when a condition
 * fails at run time, IK_ENOMEM.
 */
ik_status ik_explore_run(const ik_rulebook *rb, const ik_explore_opts *opts,
                         ik_explore_report *rep, ik_error *err);
void ik_explore_report_fini(ik_explore_report *rep);

/* ik_explore_new, _free, _nfailed, _write_text, _write_json: public */

#endif
