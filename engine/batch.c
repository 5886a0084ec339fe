/*
 * batch.c -- one answers record in, one outcome (or diff) out, in constant
 * memory. The outcome is ik_outcome_compute's, exactly as the interview
 * and `run --answers` compute it. No I/O, no allocation per record once
 * the arenas are warm.
 */
#include "batch.h"

#include "alloc.h"
#include "answers_json.h"
#include "deps.h"
#include "error.h"
#include "interview.h"
#include "intake/outcome.h"
#include "run_answers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const field_names[IK_DIFF__COUNT] = {
    "complete", "disposition", "ladder", "red_flags", "sections"};

const char *ik_diff_field_name(ik_diff_field f)
{
    return f < IK_DIFF__COUNT ? field_names[f] : "";
}

/* ---- Preparing a pack ---- */

static void side_fini(ik_batch_side *s)
{
    ik_interview_free(s->iv);
    ik_outcome_fini(&s->now);
    ik_outcome_plan_free(s->plan);
    ik_free(s->answers);
    memset(s, 0, sizeof *s);
}

static bool side_init(ik_batch_side *s, const ik_rulebook *rb)
{
    memset(s, 0, sizeof *s);
    s->rb = rb;
    ik_outcome_init(&s->now);
    s->now.borrow_answers = true; /* the record's, written before the next */
    s->answers = ik_calloc(rb->nquestions + 1, sizeof *s->answers);
    return s->answers && ik_outcome_plan_new(rb, &s->plan, NULL) == IK_OK;
}

ik_status ik_batch_init(ik_batch *b, const ik_rulebook *rb,
                        const ik_rulebook *old, ik_error *err)
{
    memset(b, 0, sizeof *b);
    b->diff = old != NULL;
    b->aud = IK_AUD_PATIENT;
    ik_arena_init(&b->scratch);
    if (!side_init(&b->side[0], rb) || (old && !side_init(&b->side[1], old))) {
        ik_batch_fini(b);
        return ik_fail(err, IK_ENOMEM, "out of memory starting the batch");
    }
    return IK_OK;
}

void ik_batch_fini(ik_batch *b)
{
    side_fini(&b->side[0]);
    side_fini(&b->side[1]);
    ik_arena_fini(&b->scratch);
    memset(b, 0, sizeof *b);
}

/* ---- One record's outcome ---- */

/* Replay the answers through an interview, as `run --answers` does. */
static ik_status exact_path(ik_batch_side *s, ik_error *err)
{
    ik_status st;

    ik_interview_free(s->iv);
    s->iv = NULL;
    s->exact++;
    st = ik_interview_new(s->rb, "patient", &s->iv, err);
    if (st == IK_OK)
        st = ik_run_answers(s->iv, s->answers, err);
    if (st == IK_OK)
        s->out = ik_interview_outcome(s->iv);
    return st;
}

/*
 * The record's outcome is what `run --answers` gives: an interview that
 * asks the questions in pack order, each taking the answer given
 * (ik_outcome_answer_as_asked: a question left out is skipped, or refused
 * when required), and ends where a stop red flag fires. The pack is
 * ordered (whether a question applies depends only on earlier answers),
 * so the one pass that settles which questions apply is that interview
 * (ik_outcome_compute_applied_stopping with asked: the interview's own
 * definitions of what is asked and of a stop); the answers after the stop
 * count as never given. The pass and the outcome draw on one pool of
 * node visits (each stop check on its own, as the interview's step after
 * that answer does). Where a condition fails, the pass's failure is not
 * the record's: the answers are replayed through an interview
 * (exact_path), whose result is the record's, as run --answers gives
 * it: its outcome where each answer within its own pool succeeds, else
 * its error, which names the question it was at ('q3': derived value
 * "d": ...). Out of memory, and an answer refused as run refuses it, are
 * the record's error at once.
 */
static ik_status side_outcome(ik_batch_side *s, ik_error *err)
{
    int64_t stop;
    ik_status st;

    st = ik_outcome_compute_applied_stopping(s->rb, s->plan, s->answers, true,
                                             &s->now, &stop, err);
    if (st == IK_OK)
        st = ik_outcome_compute_rest(s->rb, &s->now, err);
    if (st == IK_OK) {
        s->out = &s->now;
        return IK_OK;
    }
    if (st == IK_ENOMEM || st == IK_EANSWER) /* EANSWER: as run refuses */
        return st;
    return exact_path(s, err);
}

/* ---- Diff ---- */

static const char *disposition_id(const ik_rulebook *rb, const ik_outcome *o)
{
    return o->disposition < rb->ndispositions
               ? rb->dispositions[o->disposition].id
               : NULL;
}

static const char *rung_id(const ik_rulebook *rb, const ik_outcome *o)
{
    return o->rung < rb->nladder ? rb->ladder[o->rung].id : NULL;
}

static bool same_id(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Id of list item i: red flags or sections of rb. */
static const char *item_id(const ik_rulebook *rb, ik_diff_field f, uint32_t i)
{
    if (f == IK_DIFF_RED_FLAGS)
        return i < rb->nred_flags ? rb->red_flags[i].id : "";
    return i < rb->nsections ? rb->sections[i].id : "";
}

static const ik_idlist *list_of(const ik_outcome *o, ik_diff_field f)
{
    return f == IK_DIFF_RED_FLAGS ? &o->red_flags : &o->sections;
}

static bool same_list(const ik_batch *b, ik_diff_field f)
{
    const ik_idlist *x = list_of(b->side[0].out, f),
                    *y = list_of(b->side[1].out, f);
    uint32_t i;

    if (x->n != y->n)
        return false;
    for (i = 0; i < x->n; i++)
        if (strcmp(item_id(b->side[0].rb, f, x->items[i]),
                   item_id(b->side[1].rb, f, y->items[i])) != 0)
            return false;
    return true;
}

static void put_id_or_null(ik_buf *out, const char *id)
{
    if (id)
        ik_buf_put_json_string(out, id, strlen(id));
    else
        ik_buf_puts(out, "null");
}

/* Items of list a (under rb_a) that list b (under rb_b) lacks, as a JSON
 * array. Quadratic in the list lengths, which are a handful of ids. */
static void put_missing(ik_buf *out, const ik_rulebook *rb_a,
                        const ik_idlist *a, const ik_rulebook *rb_b,
                        const ik_idlist *b, ik_diff_field f)
{
    uint32_t i, k;
    bool first = true;

    ik_buf_putc(out, '[');
    for (i = 0; i < a->n; i++) {
        const char *id = item_id(rb_a, f, a->items[i]);

        for (k = 0; k < b->n; k++)
            if (strcmp(id, item_id(rb_b, f, b->items[k])) == 0)
                break;
        if (k < b->n)
            continue;
        if (!first)
            ik_buf_putc(out, ',');
        first = false;
        ik_buf_put_json_string(out, id, strlen(id));
    }
    ik_buf_putc(out, ']');
}

static bool field_differs(const ik_batch *b, ik_diff_field f)
{
    switch (f) {
    case IK_DIFF_COMPLETE:
        return b->side[0].out->complete != b->side[1].out->complete;
    case IK_DIFF_DISPOSITION:
        return !same_id(disposition_id(b->side[0].rb, b->side[0].out),
                        disposition_id(b->side[1].rb, b->side[1].out));
    case IK_DIFF_LADDER:
        return !same_id(rung_id(b->side[0].rb, b->side[0].out),
                        rung_id(b->side[1].rb, b->side[1].out));
    case IK_DIFF_RED_FLAGS:
    case IK_DIFF_SECTIONS:
        return !same_list(b, f);
    case IK_DIFF__COUNT:
        break;
    }
    return false;
}

static void put_field_change(const ik_batch *b, ik_diff_field f, ik_buf *out)
{
    ik_buf_printf(out, ",\"%s\":{", field_names[f]);
    switch (f) {
    case IK_DIFF_COMPLETE:
        ik_buf_printf(out, "\"old\":%s,\"new\":%s",
                      b->side[1].out->complete ? "true" : "false",
                      b->side[0].out->complete ? "true" : "false");
        break;
    case IK_DIFF_DISPOSITION:
        ik_buf_puts(out, "\"old\":");
        put_id_or_null(out, disposition_id(b->side[1].rb, b->side[1].out));
        ik_buf_puts(out, ",\"new\":");
        put_id_or_null(out, disposition_id(b->side[0].rb, b->side[0].out));
        break;
    case IK_DIFF_LADDER:
        ik_buf_puts(out, "\"old\":");
        put_id_or_null(out, rung_id(b->side[1].rb, b->side[1].out));
        ik_buf_puts(out, ",\"new\":");
        put_id_or_null(out, rung_id(b->side[0].rb, b->side[0].out));
        break;
    case IK_DIFF_RED_FLAGS:
    case IK_DIFF_SECTIONS:
        ik_buf_puts(out, "\"added\":");
        put_missing(out, b->side[0].rb, list_of(b->side[0].out, f),
                    b->side[1].rb, list_of(b->side[1].out, f), f);
        ik_buf_puts(out, ",\"removed\":");
        put_missing(out, b->side[1].rb, list_of(b->side[1].out, f),
                    b->side[0].rb, list_of(b->side[0].out, f), f);
        break;
    case IK_DIFF__COUNT:
        break;
    }
    ik_buf_putc(out, '}');
}

static void write_diff(ik_batch *b, uint64_t lineno, ik_buf *out)
{
    bool differs[IK_DIFF__COUNT];
    bool any = false, first = true;
    int f;

    for (f = 0; f < IK_DIFF__COUNT; f++) {
        differs[f] = field_differs(b, (ik_diff_field)f);
        if (differs[f]) {
            any = true;
            b->field_changes[f]++;
        }
    }
    if (any)
        b->changed++;
    ik_buf_printf(out, "{\"line\":%llu,\"changed\":[",
                  (unsigned long long)lineno);
    for (f = 0; f < IK_DIFF__COUNT; f++) {
        if (!differs[f])
            continue;
        ik_buf_printf(out, "%s\"%s\"", first ? "" : ",", field_names[f]);
        first = false;
    }
    ik_buf_putc(out, ']');
    for (f = 0; f < IK_DIFF__COUNT; f++)
        if (differs[f])
            put_field_change(b, (ik_diff_field)f, out);
    ik_buf_putc(out, '}');
}

/* ---- Records ---- */

static ik_status prefix_error(ik_error *err, const char *prefix)
{
    char msg[sizeof err->msg];

    ik_strlcpy(msg, err->msg, sizeof msg);
    return ik_fail(err, err->code, "%s%s", prefix, msg);
}

ik_status ik_batch_record(ik_batch *b, uint64_t lineno, const char *text,
                          size_t len, ik_buf *out, ik_error *err)
{
    ik_batch_side *now = &b->side[0], *old = &b->side[1];
    ik_status st;
    size_t dropped;

    b->records++;
    ik_arena_reset(&b->scratch);
    st = ik_answers_json_read(now->rb, text, len, "", &b->scratch,
                              now->answers, NULL, err);
    if (st == IK_OK)
        st = side_outcome(now, err);
    if (st == IK_OK && b->diff) {
        st = ik_answers_json_read(old->rb, text, len, "", &b->scratch,
                                  old->answers, &dropped, err);
        if (st == IK_OK)
            st = side_outcome(old, err);
        if (st != IK_OK)
            prefix_error(err, "under the old pack: ");
    }
    if (st != IK_OK) {
        b->errors++;
        return st;
    }
    if (b->diff)
        write_diff(b, lineno, out);
    else
        ik_outcome_plan_write_json(now->plan, now->out, b->aud, out);
    return ik_buf_status(out) == IK_OK
               ? IK_OK
               : ik_fail(err, IK_ENOMEM, "out of memory writing the outcome");
}

void ik_batch_write_error(ik_buf *out, uint64_t lineno, const ik_error *err)
{
    char msg[sizeof err->msg + 32];
    int n;

    if (err->col > 0)
        n = snprintf(msg, sizeof msg, "column %d: %s", err->col, err->msg);
    else
        n = snprintf(msg, sizeof msg, "%s", err->msg);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof msg)
        n = (int)sizeof msg - 1;
    ik_buf_printf(out, "{\"line\":%llu,\"error\":", (unsigned long long)lineno);
    ik_buf_put_json_string(out, msg, (size_t)n);
    ik_buf_putc(out, '}');
}

void ik_batch_write_summary(const ik_batch *b, ik_buf *out)
{
    int f;

    ik_buf_printf(out,
                  "{\"summary\":{\"records\":%llu,\"changed\":%llu,"
                  "\"errors\":%llu,\"fields\":{",
                  (unsigned long long)b->records,
                  (unsigned long long)b->changed,
                  (unsigned long long)b->errors);
    for (f = 0; f < IK_DIFF__COUNT; f++)
        ik_buf_printf(out, "%s\"%s\":%llu", f ? "," : "", field_names[f],
                      (unsigned long long)b->field_changes[f]);
    ik_buf_puts(out, "}}}");
}

/* ---- One answers object, for an embedding program ---- */

ik_status ik_outcome_of_answers(const ik_rulebook *rb, const char *answers,
                                size_t len, char **json, ik_error *err)
{
    ik_buf line, out;
    ik_batch b;
    ik_status st;

    *json = NULL;
    ik_buf_init(&line);
    ik_buf_init(&out);
    ik_buf_put(&line, answers, len); /* ik_batch_record wants text[len] 0 */
    st = ik_buf_status(&line) == IK_OK
             ? ik_batch_init(&b, rb, NULL, err)
             : ik_fail(err, IK_ENOMEM, "out of memory");
    if (st == IK_OK) {
        st = ik_batch_record(&b, 1, ik_buf_cstr(&line), len, &out, err);
        ik_batch_fini(&b);
    }
    if (st == IK_OK && (ik_buf_status(&out) != IK_OK ||
                        !(*json = ik_strdup(ik_buf_cstr(&out)))))
        st = ik_fail(err, IK_ENOMEM, "out of memory");
    ik_buf_fini(&line);
    ik_buf_fini(&out);
    return st;
}
