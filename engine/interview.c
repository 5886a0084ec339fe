/*
 * interview.c -- the interview state machine: answers, the trail of asked
 * questions, earlier answers offered after going back, the event history
 * sessions save. A step forward (answer, skip, acknowledge) or back
 * updates only what reads the changed answer (derived values,
 * enable_when: the readers the pack's dependency model lists), going
 * forward asks whether the interview stops there (ik_outcome_stops_after,
 * the one definition of a stop), and finds the next question by scanning
 * forward; the full outcome is computed when asked for and at the end.
 * Only the start and a failed change (undone) compute the applied answers
 * afresh, with the outcome's one computation. Never reads, prints or
 * exits; allocates with ik_malloc and its own arenas.
 */
#include "interview.h"

#include "alloc.h"
#include "answer.h"
#include "deps.h"
#include "error.h"

#include <assert.h>
#include <math.h>
#include <string.h>

struct ik_interview {
    const ik_rulebook *rb;
    ik_audience aud;
    ik_arena arena;    /* recorded values, the label */
    ik_value *answers; /* per question: UNDEF none, NULL skipped/read */
    ik_value *earlier; /* per question: offered again after back */
    uint32_t *trail;   /* asked questions, in order; at most nquestions */
    uint32_t ntrail;
    ik_event *events;
    size_t nevents, events_cap;
    const char *label;
    struct full *full;  /* the whole outcome, computed when asked for */
    ik_outcome app;     /* enabled and slots only, kept up to date */
    uint32_t current;   /* question to ask, IK_NONE at the outcome */
    uint32_t stop_flag; /* as the outcome's: IK_NONE when none fired */
    uint32_t to_go;
    uint32_t to_go_max; /* "at most M more": the counters' bound, capped on
                           a forward step by the one before less one;
                           the exact one once searched */
    bool searched;      /* to_go_max is ik_interview_at_most's */
    bool searching;     /* inside its search: steps only move */
    struct bound *bd;   /* its memory of states, NULL until it runs */
    struct incr *inc; /* the incremental step's counters and scratch */
    /* alerts: red flags with act "alert", raised once each */
    uint32_t *alerts; /* their indexes, pack order */
    uint32_t nalerts;
    uint8_t *alert_seen; /* per red flag: raised and gone on from */
    uint32_t alert;      /* raised, waiting to be shown; IK_NONE */
    bool ended;          /* stopped at an alert: the step is the outcome */
    ik_arena alert_scratch;
    /* a restart failed (after a failed change, or in the bound's search):
     * the applied answers and counters may not be the answers', so every
     * later change is refused with why (the answers and the history are
     * those before the change, as saved) */
    bool broken;
    ik_error why;
};

/* The outcome as ik_interview_outcome returns it. Behind a pointer so
 * that the const accessors can compute it when it is stale. */
struct full {
    ik_outcome out;
    bool fresh; /* out is the outcome of the current answers */
    /* node visits left to the evaluations of this answer (the step, the
     * recompute, the alerts), reset to IK_LOGIC_TOTAL_BUDGET by settle;
     * here so that the const accessors can draw from it too */
    uint64_t pool;
};

/*
 * The per-pack index of an incremental step and the counters it keeps.
 * The pack is ordered (the loader refuses one that is not: enable_when
 * reads only earlier questions, directly or through derived values, and derived
 * values read only earlier derived values), so answering the current
 * question changes only its slot, the derived values that read it, and
 * whether later (unanswered) questions apply.
 */
typedef struct incr {
    uint32_t *unanswered; /* per question: questions its enable_when reads
                             (itself excepted) with no answer */
    uint8_t *maybe;       /* per question: counted in nmaybe */
    uint32_t nopen;       /* questions that apply and have no answer */
    uint32_t nmaybe;      /* questions that do not apply but could */
    /* Settled maybes: a question's enable_when reads questions (directly
     * or through derived values) no later than ik_deps_enable_latest
     * (IK_NONE: none). Once the current question is past it, every
     * question it reads has its answer or will never apply, so whether q
     * applies is final: a maybe with that latest question before pos is
     * counted in ndead, and to_go_max leaves it out
     * (ik_deps_by_enable_latest lists them by it). */
    uint32_t pos, ndead;
    /* the interview stopped: a stop red flag was true right after the
     * last question asked (or before any), ik_outcome_stops_after */
    bool stopped;
    /* scratch of one step */
    uint8_t *queued; /* per derived value */
    uint32_t *heap;  /* derived values to evaluate, least first */
    uint32_t nheap;
    uint8_t *dirty;    /* per slot */
    uint32_t *changed; /* slots changed by this step */
    uint32_t nchanged;
    uint8_t *touched; /* per question */
    uint32_t *list;
    size_t scratch_limit; /* past this, the next step starts afresh */
} incr;

/* ---- Commands ---- */

static const char *const command_names[IK_CMD__COUNT] = {
    [IK_CMD_NONE] = "",     [IK_CMD_BACK] = "back",
    [IK_CMD_WHY] = "why",   [IK_CMD_SKIP] = "skip",
    [IK_CMD_HELP] = "help", [IK_CMD_SUMMARY] = "summary",
    [IK_CMD_QUIT] = "quit",
};

const char *ik_command_name(ik_command cmd)
{
    if ((unsigned)cmd >= IK_CMD__COUNT)
        return "";
    return command_names[cmd];
}

static bool word_is(const char *s, size_t n, const char *w)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (w[i] == '\0' || c != w[i])
            return false;
    }
    return w[n] == '\0';
}

ik_command ik_command_parse(const char *text, size_t len)
{
    int c;

    while (len && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' ||
                   text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    if (len == 1 && text[0] == '?')
        return IK_CMD_HELP;
    if (word_is(text, len, "exit"))
        return IK_CMD_QUIT;
    for (c = IK_CMD_BACK; c < IK_CMD__COUNT; c++)
        if (word_is(text, len, command_names[c]))
            return (ik_command)c;
    return IK_CMD_NONE;
}

/* ---- State ---- */

/* Whether disabled question q could still become enabled: its condition
 * reads a derived value or a question not answered yet. (The loader makes
 * enable_when read only earlier questions, directly or through derived
 * values, so an answered question's value cannot change while answers
 * move forward.) */
static bool could_enable(const ik_interview *iv, uint32_t q)
{
    return ik_deps_enable_via_derived(iv->rb->deps, q) ||
           iv->inc->unanswered[q] > 0;
}

/* Whether question q counts in nmaybe (to_go_max beyond to_go): it does
 * not apply, has no answer, and what it reads may still change (a
 * condition that reads no question never does). */
static bool is_maybe(const ik_interview *iv, uint32_t q)
{
    return iv->answers[q].kind == IK_UNDEF && !iv->app.enabled[q] &&
           iv->rb->questions[q].enable_when != IK_NO_EXPR &&
           ik_deps_enable_latest(iv->rb->deps, q) != IK_NONE &&
           could_enable(iv, q);
}

static bool is_open(const ik_interview *iv, uint32_t q)
{
    return iv->answers[q].kind == IK_UNDEF && iv->app.enabled[q];
}

/* Move the settled line to question c (forward or back): the maybes
 * whose latest question it passes become settled, or stop being so. */
static void settle_pos(const ik_deps *d, incr *in, uint32_t c)
{
    uint32_t p, i;

    for (p = in->pos; p < c; p++) {
        ik_span s = ik_deps_by_enable_latest(d, p);
        for (i = 0; i < s.n; i++)
            in->ndead += in->maybe[s.items[i]];
    }
    for (p = c; p < in->pos; p++) {
        ik_span s = ik_deps_by_enable_latest(d, p);
        for (i = 0; i < s.n; i++)
            in->ndead -= in->maybe[s.items[i]];
    }
    in->pos = c;
}

/* q's maybe flag becomes on: keep nmaybe and ndead counting it. */
static void set_maybe(const ik_deps *dm, incr *in, uint32_t q, bool on)
{
    uint32_t d = (uint32_t)on - (uint32_t)in->maybe[q];
    uint32_t latest = ik_deps_enable_latest(dm, q);

    in->nmaybe += d;
    if (latest != IK_NONE && latest < in->pos)
        in->ndead += d;
    in->maybe[q] = on;
}

/* The step after any change: current question and progress, from the
 * counters; the whole outcome at the end. */
static ik_status place(ik_interview *iv, uint32_t from, ik_error *err)
{
    const ik_rulebook *rb = iv->rb;
    incr *in = iv->inc;
    uint32_t q;
    ik_status st;

    iv->current = IK_NONE;
    iv->to_go = iv->to_go_max = 0;
    iv->searched = false;
    if (!in->stopped) {
        for (q = from; q < rb->nquestions; q++)
            if (is_open(iv, q)) {
                iv->current = q;
                break;
            }
    }
    if (iv->current != IK_NONE) {
        settle_pos(rb->deps, in, iv->current);
        iv->to_go = in->nopen - 1;
        iv->to_go_max = iv->to_go + in->nmaybe - in->ndead;
        return IK_OK;
    }
    if (iv->searching)
        return IK_OK; /* the search needs only that it ended */
    if (iv->full->fresh) { /* restart computed it */
        iv->stop_flag = iv->full->out.stop_flag;
        return IK_OK;
    }
    st = ik_outcome_compute(rb, iv->answers, &iv->full->out, err);
    iv->full->fresh = st == IK_OK;
    if (st == IK_OK)
        iv->stop_flag = iv->full->out.stop_flag;
    return st;
}

/* Evaluations over the applied answers, temporaries in scratch, drawing
 * on the answer's pool. */
static void app_env(const ik_interview *iv, ik_arena *scratch, ik_env *env)
{
    memset(env, 0, sizeof *env);
    env->root = ik_undef();
    env->slots = iv->app.slots;
    env->nslots = iv->app.nslots;
    env->scratch = scratch;
    env->pool = &iv->full->pool;
}

/* Evaluate condition e on the applied answers into *on. */
static ik_status truthy(ik_interview *iv, ik_expr e, bool *on, ik_error *err)
{
    ik_env env;
    ik_value v;
    ik_status st;

    app_env(iv, &iv->app.scratch, &env);
    st = ik_logic_eval(iv->rb->logic, e, &env, &v, err);
    *on = st == IK_OK && ik_value_truthy(v);
    return st;
}

/*
 * Start the applied answers and the counters from the answers as they
 * are: ik_outcome_compute, then ik_outcome_compute_applied_stopping (the
 * one computation of which questions apply, and where the interview
 * stops), then the counts the steps keep up to date. When the interview
 * starts, after a failed change is undone, and when the step's scratch
 * has grown (it is reset here). Each of the two computes has one answer's
 * pool (and each stop check of the second its own), so a restart does not
 * run out where the steps it replays did not. The applied answers are
 * computed aside and replace iv->app only when they are complete: on
 * failure iv->app stays what it was (memory that the accessors may still
 * read) and the interview is broken (iv->why): every later change is
 * refused.
 */
static ik_status restart(ik_interview *iv, ik_error *err)
{
    const ik_rulebook *rb = iv->rb;
    incr *in = iv->inc;
    uint32_t q, k;
    int64_t stop = IK_STOP_NEVER;
    ik_outcome app;
    ik_status st;

    /* the whole outcome first: a pack whose outcome cannot be computed
     * fails here, when the interview starts, not at its end */
    iv->full->fresh = false;
    iv->full->pool = IK_LOGIC_TOTAL_BUDGET;
    st = ik_outcome_compute(rb, iv->answers, &iv->full->out, err);
    ik_outcome_init(&app);
    app.pool = &iv->full->pool;
    if (st == IK_OK) {
        iv->full->pool = IK_LOGIC_TOTAL_BUDGET;
        st = ik_outcome_compute_applied_stopping(rb, NULL, iv->answers, false,
                                                 &app, &stop, err);
    }
    if (st != IK_OK) {
        ik_outcome_fini(&app);
        iv->broken = true;
        iv->why = *err;
        return st;
    }
    ik_outcome_fini(&iv->app);
    iv->app = app;
    iv->broken = false;
    iv->full->fresh = true;
    in->nopen = in->nmaybe = in->pos = in->ndead = 0;
    /* the answers are those of steps: none after a stop */
    in->stopped = stop != IK_STOP_NEVER;
    for (q = 0; q < rb->nquestions; q++) {
        ik_span r = ik_deps_reads(rb->deps, IK_OWN_QUESTION, q);
        in->unanswered[q] = 0;
        for (k = 0; !ik_deps_enable_via_derived(rb->deps, q) && k < r.n; k++)
            if (r.items[k] != q && iv->answers[r.items[k]].kind == IK_UNDEF)
                in->unanswered[q]++;
        in->maybe[q] = is_maybe(iv, q);
        in->nmaybe += in->maybe[q];
        in->nopen += is_open(iv, q);
    }
    in->scratch_limit = iv->app.scratch.used * 4 + ((size_t)1 << 20);
    return place(iv, 0, err);
}

/* ---- The incremental step ---- */

static void heap_push(incr *in, uint32_t d)
{
    uint32_t i = in->nheap++;

    if (in->queued[d]) {
        in->nheap--;
        return;
    }
    in->queued[d] = 1;
    while (i > 0 && in->heap[(i - 1) / 2] > d) {
        in->heap[i] = in->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    in->heap[i] = d;
}

static uint32_t heap_pop(incr *in)
{
    uint32_t top = in->heap[0], last = in->heap[--in->nheap], i = 0;

    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= in->nheap)
            break;
        if (c + 1 < in->nheap && in->heap[c + 1] < in->heap[c])
            c++;
        if (in->heap[c] >= last)
            break;
        in->heap[i] = in->heap[c];
        i = c;
    }
    if (in->nheap)
        in->heap[i] = last;
    in->queued[top] = 0;
    return top;
}

static void mark_changed(const ik_deps *d, incr *in, uint32_t s)
{
    ik_span r;
    uint32_t k;

    if (in->dirty[s])
        return;
    in->dirty[s] = 1;
    in->changed[in->nchanged++] = s;
    r = ik_deps_readers(d, IK_OWN_DERIVED, s);
    for (k = 0; k < r.n; k++)
        heap_push(in, r.items[k]);
}

/* Forget the step's scratch marks (also after a failure). */
static void step_clean(ik_interview *iv, uint32_t nlist)
{
    incr *in = iv->inc;
    uint32_t i;

    while (in->nheap)
        (void)heap_pop(in);
    for (i = 0; i < nlist; i++)
        in->touched[in->list[i]] = 0;
    for (i = 0; i < in->nchanged; i++)
        in->dirty[in->changed[i]] = 0;
    in->nchanged = 0;
}

/* Re-evaluate the derived values reading a changed slot, in evaluation
 * order, marking their slots changed in turn. */
static ik_status step_derived(ik_interview *iv, ik_error *err)
{
    const ik_rulebook *rb = iv->rb;
    incr *in = iv->inc;
    ik_env env;
    ik_status st;

    app_env(iv, &iv->app.scratch, &env);
    while (in->nheap) {
        uint32_t d = heap_pop(in);
        st = ik_logic_eval(rb->logic, rb->derived[d].value, &env,
                           &iv->app.slots[rb->derived[d].slot], err);
        if (st != IK_OK)
            return st;
        mark_changed(rb->deps, in, rb->derived[d].slot);
    }
    return IK_OK;
}

/* The questions whose enable_when reads a changed slot: whether each
 * applies now, and the counters. Every one comes after the changed
 * question (the pack is ordered), so none has an answer that could stop
 * counting. */
static ik_status step_questions(ik_interview *iv, uint32_t *nlist,
                                ik_error *err)
{
    const ik_rulebook *rb = iv->rb;
    incr *in = iv->inc;
    uint32_t i, k, p;
    ik_status st;
    bool on;

    for (i = 0; i < in->nchanged; i++) {
        ik_span r = ik_deps_readers(rb->deps, IK_OWN_QUESTION, in->changed[i]);
        for (k = 0; k < r.n; k++) {
            p = r.items[k];
            if (in->touched[p])
                continue;
            in->touched[p] = 1;
            in->list[(*nlist)++] = p;
        }
    }
    for (i = 0; i < *nlist; i++) {
        p = in->list[i];
        if ((st = truthy(iv, rb->questions[p].enable_when, &on, err)) != IK_OK)
            return st;
        if (on != iv->app.enabled[p]) {
            assert(iv->answers[p].kind == IK_UNDEF);
            in->nopen += on ? 1u : (uint32_t)-1;
            iv->app.enabled[p] = on;
        }
        set_maybe(rb->deps, in, p, is_maybe(iv, p));
    }
    return IK_OK;
}

/* Whether the interview stops after question q, just settled going
 * forward: the derived values are up to date. */
static ik_status step_stop(ik_interview *iv, uint32_t q, ik_error *err)
{
    ik_env env;

    app_env(iv, &iv->app.scratch, &env);
    return ik_outcome_stops_after(iv->rb, q, &env, &iv->inc->stopped, err);
}

/*
 * Question q's answer changed: answered, skipped or acknowledged (forward,
 * q was the current question), or taken back (q was the last one asked).
 * Bring the applied answers, the counters and the step up to date by
 * evaluating only what reads q, through the dependency model: the derived
 * values behind, the enable_when of later questions; then, going forward,
 * whether the interview stops after q. Going back it is where it was
 * before q was answered, where it asked q: not stopped. On failure the
 * caller undoes the change and restarts.
 */
static ik_status step(ik_interview *iv, uint32_t q, bool forward, ik_error *err)
{
    const ik_rulebook *rb = iv->rb;
    incr *in = iv->inc;
    ik_span r = ik_deps_readers(rb->deps, IK_OWN_QUESTION, q);
    uint32_t nlist = 0, k;
    ik_status st;

    iv->full->fresh = false; /* the answers changed */
    iv->app.slots[q] = iv->app.enabled[q] ? iv->answers[q] : ik_undef();
    /* q applies (it was asked): it leaves or joins the open ones */
    in->nopen += forward ? (uint32_t)-1 : 1u;
    for (k = 0; k < r.n; k++)
        if (r.items[k] != q &&
            !ik_deps_enable_via_derived(rb->deps, r.items[k]))
            in->unanswered[r.items[k]] += forward ? (uint32_t)-1 : 1u;
    mark_changed(rb->deps, in, q);
    in->stopped = false;
    if ((st = step_derived(iv, err)) == IK_OK &&
        (st = step_questions(iv, &nlist, err)) == IK_OK && forward)
        st = step_stop(iv, q, err);
    step_clean(iv, nlist);
    if (st != IK_OK)
        return st;
    return place(iv, forward ? q + 1 : q, err);
}

/*
 * After a change to question q's answer (forward or back, as step says),
 * or from nothing when q is IK_NONE. A step that fails to evaluate fails
 * as the whole outcome's computation would (its message names what
 * failed); the caller undoes the change.
 */
static ik_status settle(ik_interview *iv, uint32_t q, bool forward,
                        ik_error *err)
{
    ik_status st;

    iv->full->pool = IK_LOGIC_TOTAL_BUDGET; /* one answer's evaluations */
    if (q == IK_NONE || iv->app.scratch.used > iv->inc->scratch_limit)
        return restart(iv, err);
    st = step(iv, q, forward, err);
    if (st != IK_OK && st != IK_ENOMEM) {
        /* say it as the whole computation says it, naming what failed */
        ik_status whole;
        iv->full->pool = IK_LOGIC_TOTAL_BUDGET;
        whole = ik_outcome_compute(iv->rb, iv->answers, &iv->full->out, err);
        iv->full->fresh = false;
        if (whole != IK_OK)
            st = whole;
    }
    return st;
}

/* ---- The exact bound ---- */

/*
 * "At most M more": the sound bound of the counters (to_go_max of place)
 * says what could still apply; the exact one is the longest interview any
 * continuation of the answers so far can give. A depth-first search over
 * the answer classes of the questions to come (ik_deps_classes), each
 * step taken and undone by the interview's own incremental step (which
 * question comes next has one definition), pruned where the sound bound
 * cannot beat the longest path found, and remembered by the state that
 * decides the rest (the question and the values of the live slots,
 * ik_deps_live) across steps of one interview. Within a budget: it runs
 * when the sound bound is at most BOUND_DEPTH and takes at most
 * BOUND_STEPS forward steps, BOUND_POOL node visits in all and no more
 * scratch than a step may (scratch_limit); where it stops short, what it
 * proved still bounds (every part of it is sound), and a forward step
 * never raises the bound shown.
 */
#define BOUND_DEPTH 64    /* the search runs when at most this many follow */
#define BOUND_STEPS 4096  /* forward steps one search may take */
#define BOUND_POOL IK_LOGIC_BUDGET /* node visits all its steps may take
                                      together (one condition's budget) */
#define MEMO_MAX (1u << 15) /* states remembered, at most */
#define KEY_MAX (64u * 1024) /* bytes of a state's key: a longer one is
                                not remembered */
#define KEYS_MAX (16u * 1024 * 1024) /* bytes of all keys remembered */
/* Live slots kept listed for the questions met: enough for a search's
 * window of BOUND_DEPTH questions, whatever a walk meets in all. */
#define LIVE_MAX(nslots) \
    (((size_t)(nslots) + 1) * (BOUND_DEPTH + 1) > ((size_t)1 << 16) \
         ? ((size_t)(nslots) + 1) * (BOUND_DEPTH + 1)                 \
         : ((size_t)1 << 16))

typedef struct memo {
    const char *key;
    uint32_t len;
    uint32_t lo, hi; /* the questions asked from this state, this one
                        included, lie in lo .. hi */
    uint64_t hash;
} memo;

typedef struct bound {
    memo *ents; /* the states, in the order found (an index is stable) */
    uint32_t n, capents;
    uint32_t *index; /* open addressing: entry + 1, 0 empty */
    uint32_t capindex;
    ik_arena keys;
    ik_buf key;
    uint32_t *lfirst, *lcount; /* per question: its live slots in live,
                                  lfirst IK_NONE when not kept */
    uint32_t *lkept;           /* the questions whose lists live holds,
                                  in the order of their lists */
    uint32_t nkept;
    uint32_t *lused;           /* per question: the search that last used
                                  its list (serial) */
    uint32_t serial;           /* ik_interview_at_most's searches */
    uint32_t *live;
    size_t nlive, caplive;
    uint32_t left; /* forward steps left to this search */
    uint32_t best; /* the longest path found, from the root */
    bool failed;   /* a step failed: the state was restarted */
} bound;

typedef struct range {
    uint32_t lo, hi;
} range;

static void bound_free(bound *bd)
{
    if (!bd)
        return;
    ik_free(bd->ents);
    ik_free(bd->index);
    ik_arena_fini(&bd->keys);
    ik_buf_fini(&bd->key);
    ik_free(bd->lfirst);
    ik_free(bd->lcount);
    ik_free(bd->lkept);
    ik_free(bd->lused);
    ik_free(bd->live);
    ik_free(bd);
}

static bound *bound_get(ik_interview *iv)
{
    bound *bd = iv->bd;
    uint32_t nq = iv->rb->nquestions, i;

    if (bd)
        return bd;
    bd = ik_calloc(1, sizeof *bd);
    if (!bd)
        return NULL;
    ik_arena_init(&bd->keys);
    ik_buf_init(&bd->key);
    bd->lfirst = ik_malloc(((size_t)nq + 1) * sizeof *bd->lfirst);
    bd->lcount = ik_calloc((size_t)nq + 1, sizeof *bd->lcount);
    bd->lkept = ik_malloc(((size_t)nq + 1) * sizeof *bd->lkept);
    bd->lused = ik_calloc((size_t)nq + 1, sizeof *bd->lused);
    if (!bd->lfirst || !bd->lcount || !bd->lkept || !bd->lused) {
        bound_free(bd);
        return NULL;
    }
    for (i = 0; i <= nq; i++)
        bd->lfirst[i] = IK_NONE;
    iv->bd = bd;
    return bd;
}

/* Make room: forget the lists kept before live[at] but those the current
 * search used, up to half of max; they and the one from live[at] on (being
 * made) move to the start. Returns where that one starts now. */
static size_t live_forget(bound *bd, size_t at, size_t max)
{
    size_t to = 0;
    uint32_t k, j = 0, c;

    for (k = 0; k < bd->nkept; k++) {
        c = bd->lkept[k];
        if (bd->lused[c] != bd->serial || to + bd->lcount[c] > max / 2) {
            bd->lfirst[c] = IK_NONE;
            continue;
        }
        memmove(bd->live + to, bd->live + bd->lfirst[c],
                bd->lcount[c] * sizeof *bd->live);
        bd->lfirst[c] = (uint32_t)to;
        to += bd->lcount[c];
        bd->lkept[j++] = c;
    }
    bd->nkept = j;
    memmove(bd->live + to, bd->live + at, (bd->nlive - at) * sizeof *bd->live);
    bd->nlive = to + (bd->nlive - at);
    return to;
}

/* The live slots at question c, kept for the questions the searches meet
 * until LIVE_MAX are kept (a pack whose last question reads every other
 * kept about nq * nq / 2 for a walk through every question: quadratic),
 * then those of earlier searches are forgotten, and found again when
 * needed. NULL when out of memory. */
static const uint32_t *live_at(ik_interview *iv, uint32_t c, uint32_t *n)
{
    bound *bd = iv->bd;
    const ik_deps *d = iv->rb->deps;
    ik_span by_end = ik_deps_live_by_end(d);
    size_t max = LIVE_MAX(ik_deps_nslots(d));
    uint32_t s, k;

    if (bd->lfirst[c] == IK_NONE) {
        size_t at = bd->nlive;
        for (k = 0; k < by_end.n && ik_deps_live_end(d, by_end.items[k]) >= c;
             k++) {
            s = by_end.items[k];
            if (!ik_deps_live(d, s, c))
                continue;
            if (bd->nlive >= max && at > 0)
                at = live_forget(bd, at, max);
            if (bd->nlive == bd->caplive) {
                size_t cap = bd->caplive ? 2 * bd->caplive : 256;
                uint32_t *p = ik_realloc(bd->live, cap * sizeof *p);
                if (!p) {
                    bd->nlive = at;
                    return NULL;
                }
                bd->live = p;
                bd->caplive = cap;
            }
            bd->live[bd->nlive++] = s;
        }
        bd->lfirst[c] = (uint32_t)at;
        bd->lcount[c] = (uint32_t)(bd->nlive - at);
        bd->lkept[bd->nkept++] = c;
    }
    bd->lused[c] = bd->serial;
    *n = bd->lcount[c];
    return bd->live + bd->lfirst[c];
}

/* A value's bytes in a key: its kind, then all that tells it apart, so
 * two values share a key only when JsonLogic cannot tell them apart: a
 * number's bits (-0 is not 0; one NaN), a string's length and bytes, an
 * array's or object's length and parts (its JSON text would not do: [-0]
 * and [0], [NaN], [Infinity] and [null] write alike). false past KEY_MAX
 * bytes (a value of shared parts stands for far more). */
static bool key_value(ik_buf *b, ik_value v)
{
    double d = v.u.num;
    uint32_t i;

    if (b->len > KEY_MAX || (v.kind == IK_STR && v.len > KEY_MAX))
        return false;
    ik_buf_putc(b, (char)v.kind);
    switch (v.kind) {
    case IK_BOOL:
        ik_buf_putc(b, (char)v.u.b);
        break;
    case IK_NUM:
        if (isnan(d))
            d = NAN;
        ik_buf_put(b, (const char *)&d, sizeof d);
        break;
    case IK_STR:
        ik_buf_put(b, (const char *)&v.len, sizeof v.len);
        ik_buf_put(b, v.u.str, v.len);
        break;
    case IK_ARR:
        ik_buf_put(b, (const char *)&v.len, sizeof v.len);
        for (i = 0; i < v.len; i++)
            if (!key_value(b, v.u.items[i]))
                return false;
        break;
    case IK_OBJ:
        ik_buf_put(b, (const char *)&v.len, sizeof v.len);
        for (i = 0; i < v.len; i++) {
            const ik_member *m = &v.u.members[i];

            if (m->klen > KEY_MAX)
                return false;
            ik_buf_put(b, (const char *)&m->klen, sizeof m->klen);
            ik_buf_put(b, m->key, m->klen);
            if (!key_value(b, m->val))
                return false;
        }
        break;
    default:
        break;
    }
    return true;
}

/* Make the index twice as large (or its first). */
static bool memo_grow(bound *bd)
{
    uint32_t cap = bd->capindex ? 2 * bd->capindex : 256, i, j;
    uint32_t *index = ik_calloc(cap, sizeof *index);

    if (!index)
        return false;
    for (i = 0; i < bd->n; i++) {
        for (j = (uint32_t)bd->ents[i].hash & (cap - 1); index[j];
             j = (j + 1) & (cap - 1))
            ;
        index[j] = i + 1;
    }
    ik_free(bd->index);
    bd->index = index;
    bd->capindex = cap;
    return true;
}

/* The entry of the current state (made when new), or IK_NONE when it
 * cannot be kept (too many, no memory). */
static uint32_t memo_find(ik_interview *iv)
{
    bound *bd = iv->bd;
    uint32_t c = iv->current, n, k, i;
    const uint32_t *live = live_at(iv, c, &n);
    uint64_t h = 1469598103934665603u;
    memo *e;
    size_t j;
    char *copy;

    if (!live)
        return IK_NONE;
    ik_buf_clear(&bd->key);
    ik_buf_put(&bd->key, (const char *)&c, sizeof c);
    for (k = 0; k < n; k++)
        if (!key_value(&bd->key, iv->app.slots[live[k]]))
            return IK_NONE;
    if (ik_buf_status(&bd->key) != IK_OK)
        return IK_NONE;
    for (j = 0; j < bd->key.len; j++)
        h = (h ^ (uint8_t)bd->key.data[j]) * 1099511628211u;
    for (i = (uint32_t)h & (bd->capindex - 1); bd->capindex && bd->index[i];
         i = (i + 1) & (bd->capindex - 1)) {
        e = &bd->ents[bd->index[i] - 1];
        if (e->hash == h && e->len == bd->key.len &&
            memcmp(e->key, bd->key.data, bd->key.len) == 0)
            return bd->index[i] - 1;
    }
    if (bd->n >= MEMO_MAX)
        return IK_NONE;
    if (bd->n == bd->capents) {
        uint32_t cap = bd->capents ? 2 * bd->capents : 128;
        memo *p = ik_realloc(bd->ents, cap * sizeof *p);
        if (!p)
            return IK_NONE;
        bd->ents = p;
        bd->capents = cap;
    }
    if (bd->keys.used + bd->key.len + 1 > KEYS_MAX)
        return IK_NONE;
    copy = ik_arena_alloc(&bd->keys, bd->key.len + 1);
    if (!copy || ((bd->n + 1) * 2 > bd->capindex && !memo_grow(bd)))
        return IK_NONE;
    memcpy(copy, bd->key.data, bd->key.len);
    e = &bd->ents[bd->n];
    e->key = copy;
    e->len = (uint32_t)bd->key.len;
    e->hash = h;
    e->lo = 1;
    e->hi = UINT32_MAX;
    for (i = (uint32_t)h & (bd->capindex - 1); bd->index[i];
         i = (i + 1) & (bd->capindex - 1))
        ;
    bd->index[i] = ++bd->n;
    return bd->n - 1;
}

/* Answer the current question q with v, or take the answer back, by the
 * interview's step; a failure restarts from the answers. */
static bool search_step(ik_interview *iv, uint32_t q, ik_value v)
{
    ik_error ignored;

    iv->answers[q] = v; /* the search's steps share one pool (BOUND_POOL) */
    if (!iv->broken && step(iv, q, v.kind != IK_UNDEF, &ignored) == IK_OK)
        return true;
    if (v.kind != IK_UNDEF)
        iv->answers[q] = ik_undef();
    if (!iv->broken) /* broken: the answers are only put back */
        (void)restart(iv, &ignored);
    iv->bd->failed = true;
    return false;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}

/* The questions asked from the current state, this one included, at the
 * given depth below the search's root. */
static range search(ik_interview *iv, uint32_t depth)
{
    bound *bd = iv->bd;
    uint32_t q = iv->current, hi0, k;
    range r = {1, 1}, sub;
    ik_vspan cl;
    uint32_t e;

    if (q == IK_NONE) { /* the end: a path found */
        bd->best = max_u32(bd->best, depth);
        r.lo = r.hi = 0;
        return r;
    }
    hi0 = iv->to_go_max + 1; /* the counters' sound bound */
    r.hi = hi0;
    if (depth + hi0 <= bd->best)
        return r; /* cannot be longer than what was found */
    e = memo_find(iv);
    if (e != IK_NONE) {
        memo *m = &bd->ents[e];
        if (m->hi > hi0)
            m->hi = hi0;
        bd->best = max_u32(bd->best, depth + m->lo);
        r.lo = m->lo;
        r.hi = m->hi;
        if (m->lo == m->hi || depth + m->hi <= bd->best)
            return r;
    }
    cl = ik_deps_classes(iv->rb->deps, q);
    if (cl.n == 0 || bd->left < cl.n || bd->failed) {
        return r;
    }
    r.hi = 1;
    for (k = 0; k < cl.n; k++) {
        if (iv->app.scratch.used > iv->inc->scratch_limit)
            bd->left = 0; /* the step's memory bound holds in the search */
        if (bd->left == 0) { /* the rest unexplored: the sound bound */
            r.hi = hi0;
            break;
        }
        bd->left--;
        if (!search_step(iv, q, cl.items[k])) {
            r.hi = hi0;
            break;
        }
        sub = search(iv, depth + 1);
        r.lo = max_u32(r.lo, sub.lo + 1);
        r.hi = max_u32(r.hi, sub.hi + 1);
        if (!search_step(iv, q, ik_undef()) || bd->failed) {
            r.hi = hi0;
            break;
        }
    }
    if (r.hi > hi0)
        r.hi = hi0;
    if (bd->failed)
        return r; /* the table's entry may be another's now */
    if (e != IK_NONE) {
        memo *m = &bd->ents[e];
        m->lo = max_u32(m->lo, r.lo);
        m->hi = m->hi < r.hi ? m->hi : r.hi;
        r.lo = m->lo;
        r.hi = m->hi;
    }
    return r;
}

size_t ik_interview_live_kept(const ik_interview *iv)
{
    return iv->bd ? iv->bd->nlive : 0;
}

bool ik_interview_outcome_is_fresh(const ik_interview *iv)
{
    return iv->full->fresh;
}

uint32_t ik_interview_at_most(ik_interview *iv)
{
    bound *bd;
    uint64_t pool;
    bool fresh = iv->full->fresh;
    uint32_t cur = iv->current, to_go = iv->to_go, to_go_max = iv->to_go_max;
    range r;

    if (iv->current == IK_NONE || iv->ended)
        return 0;
    if (iv->broken || iv->searched || iv->to_go_max == 0 ||
        iv->to_go_max > BOUND_DEPTH || (bd = bound_get(iv)) == NULL)
        return iv->to_go_max;
    if (bd->n > MEMO_MAX / 2 || bd->keys.used > KEYS_MAX / 2) {
        /* forget, rather than search blind */
        memset(bd->index, 0, bd->capindex * sizeof *bd->index);
        bd->n = 0;
        ik_arena_reset(&bd->keys);
    }
    bd->serial++;
    bd->left = BOUND_STEPS;
    bd->best = 0;
    bd->failed = false;
    pool = iv->full->pool;
    iv->full->pool = BOUND_POOL;
    iv->searching = true;
    r = search(iv, 0);
    iv->searching = false;
    if (iv->broken) { /* a restart in the search failed: again from here */
        ik_error ignored;
        if (restart(iv, &ignored) != IK_OK) { /* as it was, and no bound */
            iv->current = cur;
            iv->to_go = to_go;
            iv->to_go_max = to_go_max;
            r.hi = to_go_max + 1;
        }
    }
    iv->full->pool = pool;
    /* its steps leave the answers and the outcome as they were (a failed
     * one restarted from other answers) */
    if (!bd->failed)
        iv->full->fresh = fresh;
    if (r.hi - 1 < iv->to_go_max) /* every range the search gives holds */
        iv->to_go_max = r.hi - 1;
    iv->searched = true;
    return iv->to_go_max;
}

/* ---- The index ---- */

static void incr_free(incr *in)
{
    if (!in)
        return;
    ik_free(in->unanswered);
    ik_free(in->maybe);
    ik_free(in->queued);
    ik_free(in->heap);
    ik_free(in->dirty);
    ik_free(in->changed);
    ik_free(in->touched);
    ik_free(in->list);
    ik_free(in);
}

/*
 * The counters and the scratch of incremental steps. What reads what is
 * the pack's dependency model (rb->deps); the pack is ordered (the
 * loader refuses one that is not). IK_ENOMEM only.
 */
static ik_status incr_new(ik_interview *iv, ik_error *err)
{
    const ik_rulebook *rb = iv->rb;
    uint32_t nq = rb->nquestions, nd = rb->nderived;
    size_t nslots = ik_deps_nslots(rb->deps);
    incr *in = ik_calloc(1, sizeof *in);

    if (!in)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    in->unanswered = ik_calloc(nq + 1, sizeof *in->unanswered);
    in->maybe = ik_calloc(nq + 1, 1);
    in->queued = ik_calloc(nd + 1, 1);
    in->heap = ik_calloc(nd + 1, sizeof *in->heap);
    in->dirty = ik_calloc(nslots + 1, 1);
    in->changed = ik_calloc(nslots + 1, sizeof *in->changed);
    in->touched = ik_calloc(nq + 1, 1);
    in->list = ik_calloc(nq + 1, sizeof *in->list);
    if (!in->unanswered || !in->maybe || !in->queued || !in->heap ||
        !in->dirty || !in->changed || !in->touched || !in->list) {
        incr_free(in);
        return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    iv->inc = in;
    return IK_OK;
}

static uint32_t pending_alert(ik_interview *iv);

static ik_status parse_audience(const ik_rulebook *rb, const char *name,
                                ik_audience *aud, ik_error *err)
{
    if (!name || strcmp(name, "patient") == 0)
        *aud = IK_AUD_PATIENT;
    else if (strcmp(name, "nurse") == 0)
        *aud = IK_AUD_NURSE;
    else
        return ik_fail(err, IK_EMISUSE,
                       "unknown audience '%s' (patient or nurse)", name);
    if (*aud != IK_AUD_PATIENT && !rb->audiences[*aud])
        return ik_fail(err, IK_ERULES,
                       "the rule pack has no wording for the %s audience",
                       name);
    return IK_OK;
}

ik_status ik_interview_new(const ik_rulebook *rb, const char *audience,
                           ik_interview **out, ik_error *err)
{
    ik_interview *iv;
    uint32_t nq = rb->nquestions, i;
    ik_status st;
    ik_audience aud;

    *out = NULL;
    if ((st = parse_audience(rb, audience, &aud, err)) != IK_OK)
        return st;
    iv = ik_calloc(1, sizeof *iv);
    if (!iv)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    iv->rb = rb;
    iv->aud = aud;
    iv->label = "";
    ik_arena_init(&iv->arena);
    ik_outcome_init(&iv->app);
    iv->stop_flag = IK_NONE;
    iv->alert = IK_NONE;
    ik_arena_init(&iv->alert_scratch);
    iv->full = ik_calloc(1, sizeof *iv->full);
    if (iv->full) {
        ik_outcome_init(&iv->full->out);
        iv->full->pool = IK_LOGIC_TOTAL_BUDGET;
        iv->full->out.pool = iv->app.pool = &iv->full->pool;
    }
    iv->answers = ik_calloc(nq + 1, sizeof *iv->answers);
    iv->earlier = ik_calloc(nq + 1, sizeof *iv->earlier);
    iv->trail = ik_calloc(nq + 1, sizeof *iv->trail);
    iv->alerts = ik_calloc(rb->nred_flags + 1, sizeof *iv->alerts);
    iv->alert_seen = ik_calloc(rb->nred_flags + 1, 1);
    if (!iv->answers || !iv->earlier || !iv->trail || !iv->full ||
        !iv->alerts || !iv->alert_seen) {
        ik_interview_free(iv);
        return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    /* the applied answers' size, for the index */
    st = ik_outcome_compute_applied(rb, iv->answers, &iv->app, err);
    if (st == IK_OK)
        st = incr_new(iv, err);
    if (st == IK_OK)
        st = settle(iv, IK_NONE, false, err);
    if (st != IK_OK) {
        ik_interview_free(iv);
        return st;
    }
    for (i = 0; i < rb->nred_flags; i++)
        if (rb->red_flags[i].act == IK_ACT_ALERT)
            iv->alerts[iv->nalerts++] = i;
    iv->alert = pending_alert(iv);
    *out = iv;
    return IK_OK;
}

void ik_interview_free(ik_interview *iv)
{
    if (!iv)
        return;
    ik_outcome_fini(&iv->app);
    if (iv->full)
        ik_outcome_fini(&iv->full->out);
    ik_free(iv->full);
    incr_free(iv->inc);
    bound_free(iv->bd);
    ik_arena_fini(&iv->arena);
    ik_free(iv->answers);
    ik_free(iv->earlier);
    ik_free(iv->trail);
    ik_free(iv->events);
    ik_free(iv->alerts);
    ik_free(iv->alert_seen);
    ik_arena_fini(&iv->alert_scratch);
    ik_free(iv);
}

const char *ik_interview_audience(const ik_interview *iv)
{
    return iv->aud == IK_AUD_NURSE ? "nurse" : "patient";
}

ik_status ik_interview_set_label(ik_interview *iv, const char *label,
                                 ik_error *err)
{
    char *copy = ik_arena_strndup(&iv->arena, label ? label : "",
                                  label ? strlen(label) : 0);

    if (!copy)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    iv->label = copy;
    return IK_OK;
}

const char *ik_interview_label(const ik_interview *iv)
{
    return iv->label;
}

void ik_interview_next(const ik_interview *iv, ik_step *step)
{
    memset(step, 0, sizeof *step);
    step->question = IK_NONE;
    step->stop_flag = IK_NONE;
    step->alert = IK_NONE;
    step->can_back = iv->ntrail > 0;
    if (iv->current == IK_NONE || iv->ended) {
        step->kind = IK_STEP_OUTCOME;
        step->ended_early = iv->ended;
        if (iv->stop_flag != IK_NONE)
            step->stop_flag = iv->stop_flag;
        return;
    }
    step->alert = iv->alert;
    const ik_question *q = &iv->rb->questions[iv->current];
    step->kind = IK_STEP_QUESTION;
    step->question = iv->current;
    step->id = q->id;
    step->number = iv->ntrail + 1;
    step->to_go = iv->to_go;
    step->to_go_max = iv->to_go_max;
    step->has_earlier = iv->earlier[iv->current].kind != IK_UNDEF;
    step->can_skip = !q->required && q->type != IK_Q_INFO;
}

/* ---- Alerts ---- */

/*
 * The first alert flag not raised yet that fires on the applied answers
 * (kept up to date at every step), or IK_NONE. Evaluates the alert flags
 * only: O(alert flags) a step. A condition that fails to evaluate raises
 * nothing here; the outcome reports the failure.
 */
static uint32_t pending_alert(ik_interview *iv)
{
    const ik_rulebook *rb = iv->rb;
    ik_env env;
    ik_error ignored;
    uint32_t i, f;

    if (iv->current == IK_NONE || !iv->app.slots)
        return IK_NONE;
    app_env(iv, &iv->alert_scratch, &env);
    for (i = 0; i < iv->nalerts; i++) {
        ik_value v;
        f = iv->alerts[i];
        if (iv->alert_seen[f])
            continue;
        ik_arena_reset(&iv->alert_scratch);
        if (ik_logic_eval(rb->logic, rb->red_flags[f].when, &env, &v,
                          &ignored) == IK_OK &&
            ik_value_truthy(v))
            return f;
    }
    return IK_NONE;
}

/* ---- Changes ---- */

static ik_status push_event(ik_interview *iv, ik_event_kind kind, uint32_t q,
                            ik_value v, ik_error *err)
{
    if (iv->nevents == iv->events_cap) {
        size_t cap = iv->events_cap ? iv->events_cap * 2 : 32;
        ik_event *e = ik_realloc(iv->events, cap * sizeof *e);
        if (!e)
            return ik_fail(err, IK_ENOMEM, "out of memory");
        iv->events = e;
        iv->events_cap = cap;
    }
    iv->events[iv->nevents].kind = kind;
    iv->events[iv->nevents].question = q;
    iv->events[iv->nevents].value = v;
    iv->nevents++;
    return IK_OK;
}

static ik_status not_now(ik_error *err);

/* Before a change: a broken interview (a restart failed) is restarted
 * from its answers once more (what failed may have been memory); when
 * that fails too the change is refused, saying why. The bound it showed
 * holds for the same answers (a failed change or search put it back), so
 * the restart's counters do not raise it: it never rises going forward. */
static ik_status mend(ik_interview *iv, ik_error *err)
{
    uint32_t max = iv->to_go_max;
    bool searched = iv->searched;
    ik_error again;

    if (!iv->broken)
        return IK_OK;
    if (restart(iv, &again) == IK_OK) {
        if (iv->current != IK_NONE && iv->to_go_max > max) {
            iv->to_go_max = max;
            iv->searched = searched;
        }
        return IK_OK;
    }
    return ik_fail(err, iv->why.code == IK_OK ? IK_ELOGIC : iv->why.code,
                   "the interview cannot go on: setting it up again from "
                   "the answers failed: %s",
                   iv->why.msg);
}

/* Record v (owned by iv->arena or the rulebook) for the current question.
 * On failure nothing changed but, when the undo's restart failed too,
 * that the interview is broken. */
static ik_status record(ik_interview *iv, ik_event_kind kind, ik_value v,
                        ik_error *err)
{
    uint32_t q, alert, was, to_go;
    ik_value old_earlier;
    bool searched;
    ik_status st;

    if ((st = mend(iv, err)) != IK_OK)
        return st;
    if (iv->current == IK_NONE || iv->ended) /* where mend put it */
        return not_now(err);
    q = iv->current;
    to_go = iv->to_go;
    alert = iv->alert;
    was = iv->to_go_max;
    old_earlier = iv->earlier[q];
    searched = iv->searched;
    if ((st = push_event(iv, kind, q, v, err)) != IK_OK)
        return st;
    if (alert != IK_NONE) /* answering goes on from a waiting alert */
        iv->alert_seen[alert] = 1;
    iv->answers[q] = v;
    iv->earlier[q] = ik_undef();
    iv->trail[iv->ntrail++] = q;
    st = settle(iv, q, true, err);
    if (st != IK_OK) {
        ik_error ignored;
        iv->nevents--;
        iv->ntrail--;
        iv->answers[q] = ik_undef();
        iv->earlier[q] = old_earlier;
        if (alert != IK_NONE)
            iv->alert_seen[alert] = 0;
        settle(iv, IK_NONE, false, &ignored);
        /* where it was (a broken undo left where the failed step got) */
        iv->current = q;
        iv->to_go = to_go;
        iv->to_go_max = was;
        iv->searched = searched;
        return st;
    }
    if (iv->current != IK_NONE && iv->to_go_max >= was)
        iv->to_go_max = was ? was - 1 : 0; /* never rises going forward */
    iv->alert = pending_alert(iv);
    return st;
}

static ik_status not_now(ik_error *err)
{
    return ik_fail(err, IK_EMISUSE,
                   "the interview has ended; no question "
                   "is waiting for an answer");
}

static bool is_blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

ik_status ik_interview_answer(ik_interview *iv, const char *text, size_t len,
                              ik_error *err)
{
    const ik_question *q;
    ik_arena_mark mark;
    ik_value v;
    ik_status st;

    if (iv->current == IK_NONE || iv->ended)
        return not_now(err);
    q = &iv->rb->questions[iv->current];
    if (is_blank(text, len) && iv->earlier[iv->current].kind != IK_UNDEF) {
        v = iv->earlier[iv->current];
        return record(iv,
                      v.kind == IK_NULL
                          ? (q->type == IK_Q_INFO ? IK_EV_ACK : IK_EV_SKIP)
                          : IK_EV_ANSWER,
                      v, err);
    }
    mark = ik_arena_save(&iv->arena);
    st = ik_answer_parse(q, iv->aud, text, len, &iv->arena, &v, err);
    if (st == IK_OK)
        st =
            record(iv, q->type == IK_Q_INFO ? IK_EV_ACK : IK_EV_ANSWER, v, err);
    if (st != IK_OK)
        ik_arena_rewind(&iv->arena, mark);
    return st;
}

bool ik_interview_takes_key(const ik_interview *iv, int key)
{
    if (iv->current == IK_NONE || iv->ended)
        return false;
    return ik_answer_is_key(&iv->rb->questions[iv->current], key);
}

ik_command ik_interview_command(const ik_interview *iv, const char *text,
                                size_t len)
{
    ik_command c = ik_command_parse(text, len);

    /* "?" (help; the word "help" has no '?') is the nurse's key for "not
     * sure", the one the hint [y/n/?] shows, where that is an answer */
    if (c == IK_CMD_HELP && iv->aud == IK_AUD_NURSE &&
        memchr(text, '?', len) && ik_interview_takes_key(iv, '?'))
        return IK_CMD_NONE;
    return c;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

ik_status ik_interview_answer_ahead(ik_interview *iv, const char *text,
                                    size_t len, uint32_t *n, size_t *used,
                                    ik_error *err)
{
    size_t at = 0, end;
    ik_status st;

    *n = 0;
    *used = 0;
    st = ik_interview_answer(iv, text, len, err);
    if (st != IK_EANSWER) { /* the whole line is one answer, or a fault */
        *n = st == IK_OK;
        *used = st == IK_OK ? len : 0;
        return st;
    }
    for (;;) {
        while (at < len && is_space(text[at]))
            at++;
        *used = at;
        if (at == len)
            return IK_OK;
        if (iv->current == IK_NONE || iv->ended ||
            (*n > 0 && iv->alert != IK_NONE) ||
            iv->rb->questions[iv->current].type == IK_Q_TEXT)
            return IK_OK;
        for (end = at; end < len && !is_space(text[end]); end++)
            ;
        if ((end - at == 1 && text[at] == '-') ||
            ik_command_parse(text + at, end - at) == IK_CMD_SKIP)
            st = ik_interview_skip(iv, err);
        else
            st = ik_interview_answer(iv, text + at, end - at, err);
        if (st != IK_OK)
            return st;
        (*n)++;
        at = end;
    }
}

ik_status ik_interview_skip(ik_interview *iv, ik_error *err)
{
    const ik_question *q;

    if (iv->current == IK_NONE || iv->ended)
        return not_now(err);
    q = &iv->rb->questions[iv->current];
    if (q->type == IK_Q_INFO)
        return ik_fail(err, IK_EANSWER,
                       "There is nothing to skip here; press Enter to go on");
    if (q->required)
        return ik_fail(err, IK_EANSWER,
                       "This question is needed for safe advice, so it "
                       "cannot be skipped");
    return record(iv, IK_EV_SKIP, ik_null(), err);
}

ik_status ik_interview_back(ik_interview *iv, ik_error *err)
{
    uint32_t q, was, cur, to_go;
    ik_value old;
    bool searched;
    ik_status st;

    if ((st = mend(iv, err)) != IK_OK)
        return st;
    if (iv->ntrail == 0)
        return ik_fail(err, IK_EANSWER,
                       "This is the first question; there is nothing "
                       "before it");
    q = iv->trail[iv->ntrail - 1];
    if ((st = push_event(iv, IK_EV_BACK, q, ik_null(), err)) != IK_OK)
        return st;
    if (iv->ended) { /* from an early end: back to the questions */
        iv->ended = false;
        return IK_OK;
    }
    iv->alert = IK_NONE;
    cur = iv->current;
    to_go = iv->to_go;
    was = iv->to_go_max;
    searched = iv->searched;
    old = iv->earlier[q];
    iv->earlier[q] = iv->answers[q];
    iv->answers[q] = ik_undef();
    iv->ntrail--;
    st = settle(iv, q, false, err);
    if (st != IK_OK) {
        ik_error ignored;
        iv->ntrail++;
        iv->answers[q] = iv->earlier[q];
        iv->earlier[q] = old;
        iv->nevents--;
        settle(iv, IK_NONE, false, &ignored);
        iv->current = cur; /* as in record */
        iv->to_go = to_go;
        iv->to_go_max = was;
        iv->searched = searched;
    }
    return st;
}

static uint32_t last_asked(const ik_interview *iv)
{
    return iv->ntrail ? iv->trail[iv->ntrail - 1] : iv->current;
}

ik_status ik_interview_alert(ik_interview *iv, bool go_on, ik_error *err)
{
    uint32_t f = iv->alert;
    const char *id;
    ik_status st;

    if ((st = mend(iv, err)) != IK_OK)
        return st;
    if (f == IK_NONE || iv->ended || iv->current == IK_NONE)
        return ik_fail(err, IK_EMISUSE, "no alert is waiting");
    id = iv->rb->red_flags[f].id;
    st = push_event(iv, go_on ? IK_EV_ALERT : IK_EV_ALERT_STOP, last_asked(iv),
                    ik_str(id, (uint32_t)strlen(id)), err);
    if (st != IK_OK)
        return st;
    iv->alert_seen[f] = 1;
    if (go_on) {
        iv->alert = pending_alert(iv);
    } else {
        iv->alert = IK_NONE;
        iv->ended = true;
    }
    return IK_OK;
}

/* The ids of the fired red flags as an array value in the arena. */
static ik_status fired_ids(ik_interview *iv, const ik_idlist *l, ik_value *out,
                           ik_error *err)
{
    ik_value *items = ik_arena_alloc(&iv->arena, (l->n + 1) * sizeof *items);
    uint32_t i;

    if (!items)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    for (i = 0; i < l->n; i++) {
        const char *id = iv->rb->red_flags[l->items[i]].id;
        items[i] = ik_str(id, (uint32_t)strlen(id));
    }
    out->kind = IK_ARR;
    out->len = l->n;
    out->u.items = items;
    return IK_OK;
}

static ik_status fresh_outcome(const ik_interview *iv, ik_error *err);

ik_status ik_interview_leave(ik_interview *iv, uint32_t *nfired, ik_error *err)
{
    const ik_idlist *l;
    ik_value v;
    ik_status st;

    if (nfired)
        *nfired = 0;
    if ((st = fresh_outcome(iv, err)) != IK_OK)
        return st;
    l = &iv->full->out.red_flags;
    if (nfired)
        *nfired = l->n;
    if (l->n == 0 || last_asked(iv) == IK_NONE)
        return IK_OK;
    if ((st = fired_ids(iv, l, &v, err)) != IK_OK)
        return st;
    return push_event(iv, IK_EV_LEAVE, last_asked(iv), v, err);
}

/* ---- History ---- */

size_t ik_interview_nevents(const ik_interview *iv)
{
    return iv->nevents;
}

ik_event ik_interview_event(const ik_interview *iv, size_t i)
{
    ik_event none = {IK_EV_BACK, IK_NONE, {IK_NULL, 0, {0}}};

    return i < iv->nevents ? iv->events[i] : none;
}

static ik_status replay_fail(ik_error *err, const ik_error *why)
{
    return ik_fail(err, IK_ESESSION, "%s", why->msg);
}

ik_status ik_interview_apply(ik_interview *iv, const ik_event *ev,
                             ik_error *err)
{
    ik_error e;
    ik_arena_mark mark;
    ik_value v;
    ik_status st;

    ik_error_clear(&e);
    if (ev->kind == IK_EV_BACK)
        return ik_interview_back(iv, err) == IK_OK
                   ? IK_OK
                   : ik_fail(err, IK_ESESSION,
                             "a saved 'back' has nothing to go back to");
    if (ev->kind == IK_EV_ALERT || ev->kind == IK_EV_ALERT_STOP) {
        const char *want =
            iv->alert != IK_NONE && !iv->ended && iv->current != IK_NONE
                ? iv->rb->red_flags[iv->alert].id
                : NULL;
        if (!want || ev->value.kind != IK_STR ||
            ev->value.len != strlen(want) ||
            memcmp(ev->value.u.str, want, ev->value.len) != 0)
            return ik_fail(err, IK_ESESSION,
                           "a saved alert is not the one the interview "
                           "raises here");
        return ik_interview_alert(iv, ev->kind == IK_EV_ALERT, err);
    }
    if (ev->kind == IK_EV_LEAVE) {
        /* a record of what was shown; the ids are the pack's own */
        uint32_t i, f;
        if (ev->value.kind != IK_ARR)
            return ik_fail(err, IK_ESESSION,
                           "a saved leave does not list red flags");
        for (i = 0; i < ev->value.len; i++) {
            ik_value it = ev->value.u.items[i];
            for (f = 0; f < iv->rb->nred_flags; f++)
                if (it.kind == IK_STR &&
                    strlen(iv->rb->red_flags[f].id) == it.len &&
                    memcmp(iv->rb->red_flags[f].id, it.u.str, it.len) == 0)
                    break;
            if (f == iv->rb->nred_flags)
                return ik_fail(err, IK_ESESSION,
                               "a saved leave names an unknown red flag");
        }
        mark = ik_arena_save(&iv->arena);
        st = ik_value_copy(ev->value, &iv->arena, &v);
        if (st == IK_OK)
            st = push_event(iv, IK_EV_LEAVE, last_asked(iv), v, err);
        else
            st = ik_fail(err, st == IK_ENOMEM ? IK_ENOMEM : IK_ESESSION,
                         "a saved leave is too large");
        if (st != IK_OK)
            ik_arena_rewind(&iv->arena, mark);
        return st;
    }
    if (iv->ended)
        return ik_fail(err, IK_ESESSION,
                       "a saved answer comes after the interview stopped at "
                       "an alert");
    if (iv->current == IK_NONE || ev->question != iv->current)
        return ik_fail(err, IK_ESESSION,
                       "a saved answer is for question '%s', but the "
                       "interview is at '%s'",
                       ik_interview_question_id(iv, ev->question)
                           ? ik_interview_question_id(iv, ev->question)
                           : "?",
                       iv->current == IK_NONE
                           ? "the outcome"
                           : iv->rb->questions[iv->current].id);
    if (ev->kind == IK_EV_SKIP) {
        st = ik_interview_skip(iv, &e);
        return st == IK_OK ? IK_OK : replay_fail(err, &e);
    }
    if (ev->kind == IK_EV_ACK) {
        if (iv->rb->questions[iv->current].type != IK_Q_INFO)
            return ik_fail(err, IK_ESESSION,
                           "a saved acknowledgement is for a question");
        return record(iv, IK_EV_ACK, ik_null(), err);
    }
    if (ev->kind != IK_EV_ANSWER)
        return ik_fail(err, IK_ESESSION, "unknown saved event");
    if (ev->value.kind == IK_UNDEF || ev->value.kind == IK_NULL ||
        ik_answer_check(&iv->rb->questions[iv->current], ev->value, &e) !=
            IK_OK)
        return ev->value.kind == IK_UNDEF || ev->value.kind == IK_NULL
                   ? ik_fail(err, IK_ESESSION, "a saved answer has no value")
                   : replay_fail(err, &e);
    mark = ik_arena_save(&iv->arena);
    st = ik_value_copy(ev->value, &iv->arena, &v);
    if (st != IK_OK) {
        ik_arena_rewind(&iv->arena, mark);
        return st == IK_ELIMIT
                   ? ik_fail(err, IK_ELIMIT,
                             "the answer to \"%s\" is too large to keep",
                             iv->rb->questions[iv->current].id)
                   : ik_fail(err, IK_ENOMEM, "out of memory");
    }
    st = record(iv, IK_EV_ANSWER, v, err);
    if (st != IK_OK)
        ik_arena_rewind(&iv->arena, mark);
    return st;
}

const char *ik_interview_question_id(const ik_interview *iv, uint32_t q)
{
    return q < iv->rb->nquestions ? iv->rb->questions[q].id : NULL;
}

uint32_t ik_interview_find_question(const ik_interview *iv, const char *id)
{
    /* the pack's id table (IK_NONE and IK_NONE are both UINT32_MAX) */
    return ik_rulebook_find_question(iv->rb, id);
}

/* Compute the whole outcome when the answers changed since it was. */
static ik_status fresh_outcome(const ik_interview *iv, ik_error *err)
{
    ik_status st;

    if (iv->full->fresh)
        return IK_OK;
    iv->full->pool = IK_LOGIC_TOTAL_BUDGET;
    st = ik_outcome_compute(iv->rb, iv->answers, &iv->full->out, err);
    iv->full->fresh = st == IK_OK;
    return st;
}

ik_status ik_interview_outcome_json(const ik_interview *iv, char **json,
                                    ik_error *err)
{
    ik_buf b;
    ik_status st = fresh_outcome(iv, err);

    if (st != IK_OK) {
        *json = NULL;
        return st;
    }
    ik_buf_init(&b);
    ik_outcome_write_json(iv->rb, &iv->full->out, iv->aud, &b);
    if (ik_buf_status(&b) != IK_OK) {
        ik_buf_fini(&b);
        *json = NULL;
        return ik_fail(err, IK_ENOMEM, "out of memory");
    }
    *json = ik_buf_take(&b, NULL);
    ik_buf_fini(&b);
    return *json ? IK_OK : ik_fail(err, IK_ENOMEM, "out of memory");
}

void ik_interview_free_string(char *s)
{
    ik_free(s);
}

/* ---- Internal accessors ---- */

const ik_rulebook *ik_interview_rulebook(const ik_interview *iv)
{
    return iv->rb;
}

ik_audience ik_interview_aud(const ik_interview *iv)
{
    return iv->aud;
}

/* On failure (out of memory, a rule that fails to evaluate: both would
 * have failed the step that led here before steps became incremental)
 * the applied answers stand in: enabled and slots filled, nothing fired,
 * no disposition. */
const ik_outcome *ik_interview_outcome(const ik_interview *iv)
{
    ik_error ignored;

    if (fresh_outcome(iv, &ignored) != IK_OK)
        return &iv->app;
    return &iv->full->out;
}

ik_status ik_interview_compute_outcome(const ik_interview *iv,
                                       const ik_outcome **out, ik_error *err)
{
    ik_status st = fresh_outcome(iv, err);

    *out = st == IK_OK ? &iv->full->out : NULL;
    return st;
}

const ik_outcome *ik_interview_applied(const ik_interview *iv)
{
    return &iv->app;
}

const ik_value *ik_interview_answers(const ik_interview *iv)
{
    return iv->answers;
}

ik_value ik_interview_earlier(const ik_interview *iv, uint32_t q)
{
    return q < iv->rb->nquestions ? iv->earlier[q] : ik_undef();
}

const uint32_t *ik_interview_trail(const ik_interview *iv, uint32_t *n)
{
    *n = iv->ntrail;
    return iv->trail;
}

void ik_interview_why(const ik_interview *iv, ik_buf *b)
{
    if (iv->current == IK_NONE)
        return;
    ik_buf_puts(b, ik_text_get(&iv->rb->questions[iv->current].why, iv->aud));
}
