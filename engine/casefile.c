/*
 * casefile.c -- load a pack's test cases, run them through the outcome
 * computation or the interview, compare, and keep coverage. The cJSON
 * tree lives only while the loader converts it; everything a case needs
 * afterwards is in the casefile's arena. No I/O but reading the file; it
 * never prints.
 */
#include "casefile.h"

#include "alloc.h"
#include "answer.h"
#include "arena.h"
#include "error.h"
#include "interview.h"
#include "json.h"
#include "outcome.h"
#include "value.h"

#include <string.h>

#define CASEFILE_MAX_FILE (64u * 1024 * 1024) /* bytes */

typedef enum step_kind {
    STEP_ANSWER,
    STEP_TEXT,
    STEP_SKIP,
    STEP_BACK
} step_kind;

typedef struct case_step {
    step_kind kind;
    uint32_t question; /* IK_NONE for back */
    ik_value value;    /* STEP_ANSWER */
    const char *text;  /* STEP_TEXT, text_len bytes */
    size_t text_len;
} case_step;

typedef struct idset {
    uint32_t *items;
    uint32_t n;
    bool given;
} idset;

typedef struct test_case {
    const char *id, *description, *audience;
    int line;
    ik_value *answers; /* nquestions slots; NULL when the case has steps */
    case_step *steps;
    uint32_t nsteps;
    /* expect */
    bool has_disposition, has_ladder, has_complete, complete;
    uint32_t disposition, rung; /* rung: IK_NONE for null */
    idset red_flags, sections, not_sections, rules;
} test_case;

struct ik_casefile {
    const ik_rulebook *rb;
    ik_arena arena;
    test_case *cases;
    uint32_t ncases;
    bool *reached[IK_COV__COUNT];
    ik_buf diff;
    ik_outcome outcome;
};

/* ---- Loading ---- */

typedef struct loader {
    ik_casefile *cf;
    const ik_json_doc *doc;
    ik_error *err;
} loader;

static ik_status oom(ik_error *err)
{
    return ik_fail(err, IK_ENOMEM, "out of memory reading test cases");
}

static ik_status bad(const loader *ld, const cJSON *node, bool key,
                     const char *what, const char *name)
{
    return ik_json_fail(ld->doc, node, key, ld->err, IK_ERULES, "%s%s%s%s",
                        what, name ? " '" : "", name ? name : "",
                        name ? "'" : "");
}

/* Every member of obj must be one of the NULL-terminated keys. */
static ik_status check_keys(const loader *ld, const cJSON *obj,
                            const char *const *keys, const char *where)
{
    const cJSON *m;
    size_t i;

    for (m = obj->child; m; m = m->next) {
        for (i = 0; keys[i]; i++)
            if (strcmp(keys[i], m->string) == 0)
                break;
        if (!keys[i])
            return ik_json_fail(ld->doc, m, true, ld->err, IK_ERULES,
                                "unknown key '%s' in %s", m->string, where);
    }
    return IK_OK;
}

static const char *copy_str(loader *ld, const cJSON *s)
{
    return ik_arena_strndup(&ld->cf->arena, s->valuestring,
                            strlen(s->valuestring));
}

typedef uint32_t (*find_fn)(const ik_rulebook *rb, const char *id);

static uint32_t find_red_flag(const ik_rulebook *rb, const char *id)
{
    uint32_t i;

    for (i = 0; i < rb->nred_flags; i++)
        if (strcmp(rb->red_flags[i].id, id) == 0)
            return i;
    return IK_NONE;
}

static uint32_t find_rule(const ik_rulebook *rb, const char *id)
{
    uint32_t i;

    for (i = 0; i < rb->nrules; i++)
        if (strcmp(rb->rules[i].id, id) == 0)
            return i;
    return IK_NONE;
}

/* A string naming an item of the pack, found with fn. */
static ik_status load_ref(const loader *ld, const cJSON *node, find_fn fn,
                          const char *kind, uint32_t *out)
{
    if (!cJSON_IsString(node))
        return bad(ld, node, false, "expected a string naming a", kind);
    *out = fn(ld->cf->rb, node->valuestring);
    if (*out == IK_NONE)
        return ik_json_fail(ld->doc, node, false, ld->err, IK_ERULES,
                            "the pack has no %s '%s'", kind, node->valuestring);
    return IK_OK;
}

static ik_status load_idset(loader *ld, const cJSON *arr, find_fn fn,
                            const char *kind, idset *set)
{
    const cJSON *it;
    uint32_t n = 0;
    ik_status st;

    if (!cJSON_IsArray(arr))
        return ik_json_fail(ld->doc, arr, false, ld->err, IK_ERULES,
                            "expected an array of %s ids", kind);
    set->n = (uint32_t)cJSON_GetArraySize(arr);
    set->items = ik_arena_alloc(&ld->cf->arena,
                                (set->n ? set->n : 1) * sizeof *set->items);
    if (!set->items)
        return oom(ld->err);
    for (it = arr->child; it; it = it->next) {
        st = load_ref(ld, it, fn, kind, &set->items[n++]);
        if (st != IK_OK)
            return st;
    }
    set->given = true;
    return IK_OK;
}

static ik_status load_expect(loader *ld, const cJSON *e, test_case *tc)
{
    static const char *const keys[] = {
        "disposition",  "red_flags", "ladder", "sections",
        "not_sections", "complete",  "rules",  NULL};
    const cJSON *m;
    ik_status st;

    if (!cJSON_IsObject(e))
        return bad(ld, e, false, "\"expect\" must be an object", NULL);
    st = check_keys(ld, e, keys, "\"expect\"");
    if (st != IK_OK)
        return st;
    if ((m = ik_json_get(e, "disposition"))) {
        st = load_ref(ld, m, ik_rulebook_find_disposition, "disposition",
                      &tc->disposition);
        if (st != IK_OK)
            return st;
        tc->has_disposition = true;
    }
    if ((m = ik_json_get(e, "ladder"))) {
        tc->has_ladder = true;
        tc->rung = IK_NONE;
        if (!cJSON_IsNull(m)) {
            st = load_ref(ld, m, ik_rulebook_find_rung, "ladder rung",
                          &tc->rung);
            if (st != IK_OK)
                return st;
        }
    }
    if ((m = ik_json_get(e, "complete"))) {
        if (!cJSON_IsBool(m))
            return bad(ld, m, false, "\"complete\" must be true or false",
                       NULL);
        tc->has_complete = true;
        tc->complete = cJSON_IsTrue(m);
    }
    if ((m = ik_json_get(e, "red_flags")) &&
        (st = load_idset(ld, m, find_red_flag, "red flag", &tc->red_flags)))
        return st;
    if ((m = ik_json_get(e, "sections")) &&
        (st = load_idset(ld, m, ik_rulebook_find_section, "section",
                         &tc->sections)))
        return st;
    if ((m = ik_json_get(e, "not_sections")) &&
        (st = load_idset(ld, m, ik_rulebook_find_section, "section",
                         &tc->not_sections)))
        return st;
    if ((m = ik_json_get(e, "rules")) &&
        (st = load_idset(ld, m, find_rule, "rule", &tc->rules)))
        return st;
    return IK_OK;
}

static ik_status load_answers(loader *ld, const cJSON *obj, test_case *tc)
{
    const ik_rulebook *rb = ld->cf->rb;
    ik_value v;
    ik_status st;

    if (!cJSON_IsObject(obj))
        return bad(ld, obj, false,
                   "\"answers\" must be an object of question ids", NULL);
    if (!ik_value_from_cjson(obj, &ld->cf->arena, &v))
        return oom(ld->err);
    tc->answers =
        ik_arena_alloc(&ld->cf->arena, (rb->nquestions ? rb->nquestions : 1) *
                                           sizeof *tc->answers);
    if (!tc->answers)
        return oom(ld->err);
    st = ik_outcome_bind_answers(rb, v, tc->answers, ld->err);
    if (st == IK_EANSWER && ld->err->path[0] == '/') {
        const cJSON *m = ik_json_get(obj, ld->err->path + 1);
        char msg[sizeof ld->err->msg];

        ik_strlcpy(msg, ld->err->msg, sizeof msg);
        return ik_json_fail(ld->doc, m ? m : obj, m != NULL, ld->err,
                            IK_EANSWER, "%s", msg);
    }
    return st;
}

static ik_status load_step(loader *ld, const cJSON *s, case_step *step)
{
    static const char *const keys[] = {"id",   "answer", "text",
                                       "skip", "back",   NULL};
    const ik_rulebook *rb = ld->cf->rb;
    const cJSON *id, *answer, *text, *skip, *back;
    int forms;
    ik_status st;

    if (!cJSON_IsObject(s))
        return bad(ld, s, false, "a step must be an object", NULL);
    if ((st = check_keys(ld, s, keys, "a step")) != IK_OK)
        return st;
    id = ik_json_get(s, "id");
    answer = ik_json_get(s, "answer");
    text = ik_json_get(s, "text");
    skip = ik_json_get(s, "skip");
    back = ik_json_get(s, "back");
    forms = (answer != NULL) + (text != NULL) + (skip != NULL) + (back != NULL);
    if (forms != 1)
        return bad(ld, s, false,
                   "a step has exactly one of \"answer\", \"text\", \"skip\" "
                   "or \"back\"",
                   NULL);
    if (back) {
        if (!cJSON_IsTrue(back) || id)
            return bad(ld, back, true,
                       "a back step is {\"back\": true}, without \"id\"", NULL);
        step->kind = STEP_BACK;
        step->question = IK_NONE;
        return IK_OK;
    }
    if (!id)
        return bad(ld, s, false, "a step needs the \"id\" of the question",
                   NULL);
    st = load_ref(ld, id, ik_rulebook_find_question, "question",
                  &step->question);
    if (st != IK_OK)
        return st;
    if (skip) {
        if (!cJSON_IsTrue(skip))
            return bad(ld, skip, false, "\"skip\" must be true", NULL);
        step->kind = STEP_SKIP;
    } else if (text) {
        if (!cJSON_IsString(text))
            return bad(ld, text, false, "\"text\" must be a string", NULL);
        step->kind = STEP_TEXT;
        step->text = copy_str(ld, text);
        step->text_len = strlen(text->valuestring);
        if (!step->text)
            return oom(ld->err);
    } else {
        char msg[sizeof ld->err->msg];

        step->kind = STEP_ANSWER;
        if (!ik_value_from_cjson(answer, &ld->cf->arena, &step->value))
            return oom(ld->err);
        if (ik_answer_check(&rb->questions[step->question], step->value,
                            ld->err) != IK_OK) {
            ik_strlcpy(msg, ld->err->msg, sizeof msg);
            return ik_json_fail(ld->doc, answer, false, ld->err, IK_EANSWER,
                                "%s", msg);
        }
    }
    return IK_OK;
}

static ik_status load_steps(loader *ld, const cJSON *arr, test_case *tc)
{
    const cJSON *s;
    ik_status st;

    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return bad(ld, arr, false, "\"steps\" must be a non-empty array", NULL);
    tc->nsteps = (uint32_t)cJSON_GetArraySize(arr);
    tc->steps = ik_arena_alloc(&ld->cf->arena, tc->nsteps * sizeof *tc->steps);
    if (!tc->steps)
        return oom(ld->err);
    tc->nsteps = 0;
    for (s = arr->child; s; s = s->next) {
        memset(&tc->steps[tc->nsteps], 0, sizeof *tc->steps);
        st = load_step(ld, s, &tc->steps[tc->nsteps++]);
        if (st != IK_OK)
            return st;
    }
    return IK_OK;
}

static ik_status load_case(loader *ld, const cJSON *c, test_case *tc)
{
    static const char *const keys[] = {
        "id", "description", "audience", "answers", "steps", "expect", NULL};
    const ik_rulebook *rb = ld->cf->rb;
    const cJSON *id, *desc, *aud, *answers, *steps, *expect;
    ik_status st;
    int line, col;

    if (!cJSON_IsObject(c))
        return bad(ld, c, false, "a case must be an object", NULL);
    ik_json_linecol(ld->doc->text, ld->doc->len,
                    ik_json_offset(ld->doc, c, false), &line, &col);
    tc->line = line;
    if ((st = check_keys(ld, c, keys, "a case")) != IK_OK)
        return st;
    id = ik_json_get(c, "id");
    desc = ik_json_get(c, "description");
    aud = ik_json_get(c, "audience");
    answers = ik_json_get(c, "answers");
    steps = ik_json_get(c, "steps");
    expect = ik_json_get(c, "expect");
    if (!id || !cJSON_IsString(id) || !ik_id_valid(id->valuestring, false))
        return bad(ld, id ? id : c, false,
                   "a case needs an \"id\" matching [a-z][a-z0-9_]*", NULL);
    if (!desc || !cJSON_IsString(desc) || !desc->valuestring[0])
        return bad(ld, desc ? desc : c, false,
                   "a case needs a \"description\": its story in a sentence",
                   NULL);
    if (!expect)
        return bad(ld, c, false, "a case needs \"expect\"", NULL);
    if ((answers != NULL) == (steps != NULL))
        return bad(ld, c, false,
                   "a case has either \"answers\" or \"steps\", not both",
                   NULL);
    tc->id = copy_str(ld, id);
    tc->description = copy_str(ld, desc);
    tc->audience = "patient";
    if (!tc->id || !tc->description)
        return oom(ld->err);
    if (aud) {
        bool ok =
            cJSON_IsString(aud) && ((strcmp(aud->valuestring, "patient") == 0 &&
                                     rb->audiences[IK_AUD_PATIENT]) ||
                                    (strcmp(aud->valuestring, "nurse") == 0 &&
                                     rb->audiences[IK_AUD_NURSE]));
        if (!ok)
            return bad(ld, aud, false,
                       "\"audience\" must be an audience the pack declares",
                       NULL);
        tc->audience =
            strcmp(aud->valuestring, "nurse") == 0 ? "nurse" : "patient";
    }
    st = answers ? load_answers(ld, answers, tc) : load_steps(ld, steps, tc);
    if (st != IK_OK)
        return st;
    return load_expect(ld, expect, tc);
}

static ik_status load_root(loader *ld, const cJSON *root)
{
    static const char *const keys[] = {"pack", "cases", NULL};
    const cJSON *pack, *cases, *c;
    uint32_t i, k;
    ik_status st;

    if (!cJSON_IsObject(root))
        return bad(ld, root, false,
                   "a test case file is an object with \"pack\" and \"cases\"",
                   NULL);
    if ((st = check_keys(ld, root, keys, "the test case file")) != IK_OK)
        return st;
    pack = ik_json_get(root, "pack");
    cases = ik_json_get(root, "cases");
    if (!pack || !cJSON_IsString(pack))
        return bad(ld, pack ? pack : root, false,
                   "\"pack\" must name the pack's id", NULL);
    if (strcmp(pack->valuestring, ld->cf->rb->id) != 0)
        return ik_json_fail(ld->doc, pack, false, ld->err, IK_ERULES,
                            "these cases are for pack '%s', not '%s'",
                            pack->valuestring, ld->cf->rb->id);
    if (!cases || !cJSON_IsArray(cases) || cJSON_GetArraySize(cases) == 0)
        return bad(ld, cases ? cases : root, false,
                   "\"cases\" must be a non-empty array", NULL);
    ld->cf->ncases = (uint32_t)cJSON_GetArraySize(cases);
    ld->cf->cases =
        ik_arena_alloc(&ld->cf->arena, ld->cf->ncases * sizeof *ld->cf->cases);
    if (!ld->cf->cases)
        return oom(ld->err);
    memset(ld->cf->cases, 0, ld->cf->ncases * sizeof *ld->cf->cases);
    for (i = 0, c = cases->child; c; c = c->next, i++) {
        st = load_case(ld, c, &ld->cf->cases[i]);
        if (st != IK_OK)
            return st;
        for (k = 0; k < i; k++)
            if (strcmp(ld->cf->cases[k].id, ld->cf->cases[i].id) == 0)
                return ik_json_fail(
                    ld->doc, ik_json_get(c, "id"), false, ld->err, IK_ERULES,
                    "duplicate case id '%s'", ld->cf->cases[i].id);
    }
    return IK_OK;
}

static ik_status alloc_coverage(ik_casefile *cf, ik_error *err)
{
    int k;

    for (k = 0; k < IK_COV__COUNT; k++) {
        uint32_t n = ik_casefile_cov_total(cf, (ik_cov_kind)k);

        cf->reached[k] = ik_arena_alloc(&cf->arena, (n ? n : 1) * sizeof(bool));
        if (!cf->reached[k])
            return oom(err);
        memset(cf->reached[k], 0, (n ? n : 1) * sizeof(bool));
    }
    return IK_OK;
}

ik_status ik_casefile_load_text(const ik_rulebook *rb, const char *text,
                                size_t len, const char *file, ik_casefile **out,
                                ik_error *err)
{
    ik_casefile *cf;
    ik_json_doc doc;
    loader ld;
    ik_status st;

    *out = NULL;
    cf = ik_calloc(1, sizeof *cf);
    if (!cf)
        return oom(err);
    cf->rb = rb;
    ik_arena_init(&cf->arena);
    ik_buf_init(&cf->diff);
    ik_outcome_init(&cf->outcome);
    st = ik_json_parse(text, len, file, IK_JSON_POSITIONS, &doc, err);
    if (st != IK_OK) {
        ik_casefile_free(cf);
        return st;
    }
    ld.cf = cf;
    ld.doc = &doc;
    ld.err = err;
    st = load_root(&ld, doc.root);
    ik_json_doc_fini(&doc);
    if (st == IK_OK)
        st = alloc_coverage(cf, err);
    if (st != IK_OK) {
        ik_casefile_free(cf);
        return st;
    }
    *out = cf;
    return IK_OK;
}

ik_status ik_casefile_load(const ik_rulebook *rb, const char *path,
                           ik_casefile **out, ik_error *err)
{
    char *text;
    size_t len;
    ik_status st;

    *out = NULL;
    st = ik_json_read_file(path, CASEFILE_MAX_FILE, &text, &len, err);
    if (st != IK_OK)
        return st;
    st = ik_casefile_load_text(rb, text, len, path, out, err);
    ik_free(text);
    return st;
}

void ik_casefile_free(ik_casefile *cf)
{
    if (!cf)
        return;
    ik_outcome_fini(&cf->outcome);
    ik_buf_fini(&cf->diff);
    ik_arena_fini(&cf->arena);
    ik_free(cf);
}

uint32_t ik_casefile_count(const ik_casefile *cf)
{
    return cf->ncases;
}

/* ---- Running and comparing ---- */

static const char *flag_id(const ik_rulebook *rb, uint32_t i)
{
    return rb->red_flags[i].id;
}
static const char *section_id(const ik_rulebook *rb, uint32_t i)
{
    return rb->sections[i].id;
}
static const char *rule_id(const ik_rulebook *rb, uint32_t i)
{
    return rb->rules[i].id;
}

typedef const char *(*id_fn)(const ik_rulebook *rb, uint32_t i);

static void put_list(ik_buf *b, const ik_rulebook *rb, const uint32_t *items,
                     uint32_t n, id_fn name)
{
    uint32_t i;

    ik_buf_putc(b, '[');
    for (i = 0; i < n; i++)
        ik_buf_printf(b, "%s%s", i ? ", " : "", name(rb, items[i]));
    ik_buf_putc(b, ']');
}

static bool contains(const uint32_t *items, uint32_t n, uint32_t x)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        if (items[i] == x)
            return true;
    return false;
}

/* Same members, whatever the order (ids are unique in both lists). */
static bool same_set(const idset *want, const ik_idlist *got)
{
    uint32_t i;

    if (want->n != got->n)
        return false;
    for (i = 0; i < want->n; i++)
        if (!contains(got->items, got->n, want->items[i]))
            return false;
    return true;
}

static const char *rung_name(const ik_rulebook *rb, uint32_t r)
{
    return r == IK_NONE ? "null" : rb->ladder[r].id;
}

static void compare(ik_casefile *cf, const test_case *tc, const ik_outcome *o)
{
    const ik_rulebook *rb = cf->rb;
    ik_buf *b = &cf->diff;
    uint32_t i;

    if (tc->has_disposition && tc->disposition != o->disposition)
        ik_buf_printf(b, "disposition: expected %s, got %s\n",
                      rb->dispositions[tc->disposition].id,
                      rb->dispositions[o->disposition].id);
    if (tc->red_flags.given && !same_set(&tc->red_flags, &o->red_flags)) {
        ik_buf_puts(b, "red_flags: expected ");
        put_list(b, rb, tc->red_flags.items, tc->red_flags.n, flag_id);
        ik_buf_puts(b, ", got ");
        put_list(b, rb, o->red_flags.items, o->red_flags.n, flag_id);
        ik_buf_putc(b, '\n');
    }
    if (tc->has_ladder && tc->rung != o->rung)
        ik_buf_printf(b, "ladder: expected %s, got %s\n",
                      rung_name(rb, tc->rung), rung_name(rb, o->rung));
    for (i = 0; i < tc->sections.n; i++)
        if (!contains(o->sections.items, o->sections.n,
                      tc->sections.items[i])) {
            ik_buf_printf(b, "sections: expected %s to be shown, got ",
                          rb->sections[tc->sections.items[i]].id);
            put_list(b, rb, o->sections.items, o->sections.n, section_id);
            ik_buf_putc(b, '\n');
        }
    for (i = 0; i < tc->not_sections.n; i++)
        if (contains(o->sections.items, o->sections.n,
                     tc->not_sections.items[i]))
            ik_buf_printf(b,
                          "not_sections: expected %s not to be shown, "
                          "but it was\n",
                          rb->sections[tc->not_sections.items[i]].id);
    for (i = 0; i < tc->rules.n; i++)
        if (!contains(o->rules.items, o->rules.n, tc->rules.items[i])) {
            ik_buf_printf(b, "rules: expected %s to fire, got ",
                          rb->rules[tc->rules.items[i]].id);
            put_list(b, rb, o->rules.items, o->rules.n, rule_id);
            ik_buf_putc(b, '\n');
        }
    if (tc->has_complete && tc->complete != o->complete)
        ik_buf_printf(b, "complete: expected %s, got %s\n",
                      tc->complete ? "true" : "false",
                      o->complete ? "true" : "false");
}

static void mark_list(bool *reached, const ik_idlist *l)
{
    uint32_t i;

    for (i = 0; i < l->n; i++)
        reached[l->items[i]] = true;
}

static void mark_coverage(ik_casefile *cf, const ik_outcome *o)
{
    uint32_t q;

    mark_list(cf->reached[IK_COV_SECTION], &o->sections);
    mark_list(cf->reached[IK_COV_RULE], &o->rules);
    mark_list(cf->reached[IK_COV_RED_FLAG], &o->red_flags);
    if (o->rung != IK_NONE)
        cf->reached[IK_COV_RUNG][o->rung] = true;
    cf->reached[IK_COV_DISPOSITION][o->disposition] = true;
    for (q = 0; q < cf->rb->nquestions; q++)
        if (o->slots[q].kind != IK_UNDEF)
            cf->reached[IK_COV_QUESTION][q] = true;
}

/* Describe where the interview is, for a step that does not fit. */
static const char *at_name(const ik_step *step)
{
    return step->kind == IK_STEP_OUTCOME ? "the outcome" : step->id;
}

/* Play tc's steps on iv; a step the interview refuses is written to the
 * diff (the case fails) and ends the play. Errors are real failures. */
static ik_status play_steps(ik_casefile *cf, const test_case *tc,
                            ik_interview *iv, ik_error *err)
{
    const ik_rulebook *rb = cf->rb;
    uint32_t i;
    ik_step step;
    ik_error e;
    ik_status st;

    for (i = 0; i < tc->nsteps; i++) {
        const case_step *s = &tc->steps[i];
        const char *qid =
            s->question == IK_NONE ? "back" : rb->questions[s->question].id;

        ik_error_clear(&e);
        ik_interview_next(iv, &step);
        if (s->kind != STEP_BACK &&
            (step.kind != IK_STEP_QUESTION || step.question != s->question)) {
            ik_buf_printf(&cf->diff,
                          "step %u: expected question %s, the interview is "
                          "at %s\n",
                          i + 1, qid, at_name(&step));
            return IK_OK;
        }
        if (s->kind == STEP_BACK) {
            st = ik_interview_back(iv, &e);
        } else if (s->kind == STEP_SKIP) {
            st = ik_interview_skip(iv, &e);
        } else if (s->kind == STEP_TEXT) {
            st = ik_interview_answer(iv, s->text, s->text_len, &e);
        } else {
            ik_event ev = {IK_EV_ANSWER, s->question, s->value};

            st = ik_interview_apply(iv, &ev, &e);
            if (st == IK_ESESSION)
                st = IK_EANSWER; /* a refused value: the case fails */
        }
        if (st == IK_EANSWER) {
            ik_buf_printf(&cf->diff, "step %u (%s): refused: %s\n", i + 1, qid,
                          e.msg);
            return IK_OK;
        }
        if (st != IK_OK) {
            *err = e;
            return st;
        }
    }
    return IK_OK;
}

static ik_status run_steps(ik_casefile *cf, const test_case *tc, ik_error *err)
{
    ik_interview *iv = NULL;
    ik_status st;

    st = ik_interview_new(cf->rb, tc->audience, &iv, err);
    if (st != IK_OK)
        return st;
    st = play_steps(cf, tc, iv, err);
    if (st == IK_OK && cf->diff.len == 0) {
        const ik_outcome *o = ik_interview_outcome(iv);

        mark_coverage(cf, o);
        compare(cf, tc, o);
    }
    ik_interview_free(iv);
    return st;
}

ik_status ik_casefile_run(ik_casefile *cf, uint32_t i, ik_case_result *res,
                          ik_error *err)
{
    const test_case *tc;
    ik_status st;

    if (i >= cf->ncases)
        return ik_fail(err, IK_EMISUSE, "no test case %u", i);
    tc = &cf->cases[i];
    ik_buf_clear(&cf->diff);
    res->id = tc->id;
    res->description = tc->description;
    res->line = tc->line;
    if (tc->answers) {
        st = ik_outcome_compute(cf->rb, tc->answers, &cf->outcome, err);
        if (st == IK_OK) {
            mark_coverage(cf, &cf->outcome);
            compare(cf, tc, &cf->outcome);
        }
    } else {
        st = run_steps(cf, tc, err);
    }
    if (st != IK_OK)
        return st;
    if (ik_buf_status(&cf->diff) != IK_OK)
        return oom(err);
    res->passed = cf->diff.len == 0;
    res->diff = ik_buf_cstr(&cf->diff);
    return IK_OK;
}

/* ---- Coverage ---- */

const char *ik_cov_kind_name(ik_cov_kind k)
{
    static const char *const names[IK_COV__COUNT] = {
        "sections",     "rules",        "red flags",
        "ladder rungs", "dispositions", "questions"};

    return (unsigned)k < IK_COV__COUNT ? names[k] : "";
}

uint32_t ik_casefile_cov_total(const ik_casefile *cf, ik_cov_kind k)
{
    const ik_rulebook *rb = cf->rb;

    switch (k) {
    case IK_COV_SECTION:
        return rb->nsections;
    case IK_COV_RULE:
        return rb->nrules;
    case IK_COV_RED_FLAG:
        return rb->nred_flags;
    case IK_COV_RUNG:
        return rb->nladder;
    case IK_COV_DISPOSITION:
        return rb->ndispositions;
    case IK_COV_QUESTION:
        return rb->nquestions;
    case IK_COV__COUNT:
        break;
    }
    return 0;
}

static const char *item_id(const ik_rulebook *rb, ik_cov_kind k, uint32_t i)
{
    switch (k) {
    case IK_COV_SECTION:
        return rb->sections[i].id;
    case IK_COV_RULE:
        return rb->rules[i].id;
    case IK_COV_RED_FLAG:
        return rb->red_flags[i].id;
    case IK_COV_RUNG:
        return rb->ladder[i].id;
    case IK_COV_DISPOSITION:
        return rb->dispositions[i].id;
    case IK_COV_QUESTION:
        return rb->questions[i].id;
    case IK_COV__COUNT:
        break;
    }
    return "";
}

uint32_t ik_casefile_unreached(const ik_casefile *cf, ik_cov_kind k, ik_buf *b)
{
    uint32_t i, n = 0, total = ik_casefile_cov_total(cf, k);

    for (i = 0; i < total; i++) {
        if (cf->reached[k][i])
            continue;
        ik_buf_printf(b, "%s%s", n ? ", " : "", item_id(cf->rb, k, i));
        n++;
    }
    return n;
}
