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
 * sample. No I/O: results land in a report the caller renders.
 */
#ifndef INTAKE_EXPLORE_H
#define INTAKE_EXPLORE_H

#include "intake/buf.h"
#include "intake/rulebook.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IK_EXPLORE_MULTI_ALL        5      /* options: enumerate all subsets */
#define IK_EXPLORE_DEFAULT_MAX      100000 /* paths walked exhaustively */
#define IK_EXPLORE_DEFAULT_SAMPLE   20000  /* paths sampled otherwise */
#define IK_EXPLORE_DEFAULT_EXAMPLES 3      /* counter-examples per invariant */

typedef struct ik_explore_opts {
    uint64_t max_paths;    /* 0: IK_EXPLORE_DEFAULT_MAX */
    uint64_t sample;       /* 0: IK_EXPLORE_DEFAULT_SAMPLE */
    bool force_sample;     /* sample even when exhaustive would fit */
    uint64_t seed;         /* sampling is reproducible per seed */
    uint32_t max_examples; /* 0: IK_EXPLORE_DEFAULT_EXAMPLES */
} ik_explore_opts;

typedef struct ik_explore_report ik_explore_report; /* opaque */

/*
 * Walk rb's answer paths (rb is borrowed: it must outlive the report).
 * Success: *out owns a new report (free with ik_explore_free). Failure:
 * *out is NULL; IK_ERULES when an invariant's expect names an unknown id,
 * IK_ELOGIC when a condition fails at run time, IK_ENOMEM.
 */
IK_API ik_status ik_explore_new(const ik_rulebook *rb,
                                const ik_explore_opts *opts,
                                ik_explore_report **out, ik_error *err);
IK_API void ik_explore_free(ik_explore_report *rep); /* NULL is fine */

/* Invariants broken on at least one path. */
IK_API uint32_t ik_explore_nfailed(const ik_rulebook *rb,
                                   const ik_explore_report *rep);

/*
 * Append the report as text: paths, dispositions and rungs reached,
 * sections never shown, each invariant's result with its counter-examples
 * (each on its own line as an answers object that `intake run --answers`
 * replays), and a last line "invariants: N passed, M failed".
 */
IK_API void ik_explore_write_text(const ik_rulebook *rb,
                                  const ik_explore_report *rep, ik_buf *b);

/* The same report as one JSON object (docs/schemas/explore-report.schema
 * .json): counts per disposition and rung, the sections never shown, and
 * each invariant with its counter-examples as answers objects. */
IK_API void ik_explore_write_json(const ik_rulebook *rb,
                                  const ik_explore_report *rep, ik_buf *b);

#ifdef __cplusplus
}
#endif

#endif
