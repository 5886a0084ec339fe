/*
 * lint.c -- the rule-pack checks that need compiled conditions: the
 * evaluation order of derived values (and their cycles), enable_when
 * reading questions not yet asked, answers compared with values they can
 * never take, answers nothing reads, sections nothing shows, constant
 * conditions. Part of the rulebook loader (see rulebook_load.h); reports
 * through it, never prints. Linear in the size of the pack.
 */
#include "rulebook_load.h"

#include "alloc.h"
#include "buf.h"
#include "deps.h"
#include "suggest.h"
#include "value.h"

#include <stdio.h>
#include <string.h>

typedef struct lint {
    ik_loader *l;
    ik_rulebook *rb;
    const ik_deps *deps; /* the pack's dependency model */
} lint;

static const cJSON *id_node(const ik_loader *l, ld_kind kind, uint32_t i)
{
    return l->ids[kind] ? l->ids[kind][i] : NULL;
}

static size_t id_off(const ik_loader *l, ld_kind kind, uint32_t i)
{
    return ik_json_offset(&l->doc, id_node(l, kind, i), false);
}

/* ---- Derived values: order and cycles ---- */

static void report_cycle(const uint32_t *path, size_t n, void *ctx)
{
    ik_loader *l = ctx;
    ik_buf b;
    size_t i;
    char where[64];

    ik_buf_init(&b);
    for (i = 0; i < n; i++)
        ik_buf_printf(&b, "%s -> ", l->rb->derived[path[i]].id);
    ik_buf_puts(&b, l->rb->derived[path[0]].id);
    ld_path(LK_DERIVED, path[0], NULL, where, sizeof where);
    if (ik_buf_status(&b) != IK_OK)
        ld_report_lc(l, IK_SEV_ERROR, IK_ENOMEM, 0, 0, where, "out of memory");
    else
        ld_report_off(l, IK_SEV_ERROR, IK_ERULES,
                      id_off(l, LK_DERIVED, path[0]), where,
                      "derived values form a cycle: %s", ik_buf_cstr(&b));
    ik_buf_fini(&b);
}

/* ---- enable_when must read only questions asked before ---- */

static void check_enable_when(lint *t, const ld_cond *c)
{
    ik_loader *l = t->l;
    uint32_t self = c->index, k;
    ik_span r = ik_deps_reads(t->deps, IK_OWN_QUESTION, self);
    char who[128], path[160];
    size_t off;

    for (k = 0; k < r.n; k++) {
        uint32_t s = r.items[k], d = IK_NONE;
        uint32_t q = ik_deps_question_of(t->deps, s);
        const char *qid;
        if (q == IK_NONE && (d = ik_deps_derived_of(t->deps, s)) != IK_NONE)
            q = ik_deps_latest_question(t->deps, d);
        if (q == IK_NONE || q < self)
            continue;
        off = ik_json_offset(&l->doc, c->node, false);
        ld_who(l, LK_QUESTION, self, who, sizeof who);
        ld_path(LK_QUESTION, self, "enable_when", path, sizeof path);
        qid = t->rb->questions[q].id;
        if (d == IK_NONE && q == self)
            ld_report_off(l, IK_SEV_ERROR, IK_ERULES, off, path,
                          "%s: enable_when reads its own answer", who);
        else if (d == IK_NONE)
            ld_report_off(l, IK_SEV_ERROR, IK_ERULES, off, path,
                          "%s: enable_when reads \"%s\", which is asked "
                          "later",
                          who, qid);
        else
            ld_report_off(l, IK_SEV_ERROR, IK_ERULES, off, path,
                          "%s: enable_when reads derived value \"%s\", "
                          "which reads \"%s\"%s",
                          who, t->rb->derived[d].id, qid,
                          q == self ? ", this question itself"
                                    : ", asked later");
        return; /* one message a question is enough */
    }
}

/* ---- Every condition names what it reads ---- */

/* A name computed from the answers hides what the condition reads from
 * the dependency model (which questions apply, the incremental step,
 * batch's stop checks, `because`): refused, with where it is. */
static void check_dynamic(lint *t, const ld_cond *c)
{
    ik_loader *l = t->l;
    char who[128], path[160];
    size_t off;

    if (!ik_logic_dynamic_read(l->rb->logic, *c->out, &off))
        return;
    if (off == SIZE_MAX)
        off = ik_json_offset(&l->doc, c->node, false);
    ld_who(l, (ld_kind)c->kind, c->index, who, sizeof who);
    ld_path((ld_kind)c->kind, c->index, c->field, path, sizeof path);
    ld_report_off(l, IK_SEV_ERROR, IK_ERULES, off, path,
                  "%s: %s reads answers without naming them (a name "
                  "computed from the data, or the whole data), so what it "
                  "reads is not known before the interview; name each "
                  "answer with its own {\"var\": \"id\"}",
                  who, c->field);
}

/* ---- Comparisons that can never (or always) hold ---- */

typedef struct cmp_ctx {
    lint *t;
    const ld_cond *c;
} cmp_ctx;

static void show_value(ik_value v, char *buf, size_t cap)
{
    switch (v.kind) {
    case IK_STR:
        snprintf(buf, cap, "\"%.*s\"", (int)(v.len > 60 ? 60 : v.len), v.u.str);
        break;
    case IK_NUM: {
        char num[32];
        ik_num_format(v.u.num, num);
        snprintf(buf, cap, "%s", num);
        break;
    }
    case IK_BOOL:
        snprintf(buf, cap, "%s", v.u.b ? "true" : "false");
        break;
    case IK_ARR:
        snprintf(buf, cap, "an array");
        break;
    case IK_OBJ:
        snprintf(buf, cap, "an object");
        break;
    default:
        snprintf(buf, cap, "null");
    }
}

static bool is_equality(const char *op)
{
    return strcmp(op, "==") == 0 || strcmp(op, "===") == 0 ||
           strcmp(op, "!=") == 0 || strcmp(op, "!==") == 0;
}

static bool is_order(const char *op)
{
    return strcmp(op, "<") == 0 || strcmp(op, "<=") == 0 ||
           strcmp(op, ">") == 0 || strcmp(op, ">=") == 0;
}

static void cmp_fail(cmp_ctx *x, const ik_logic_cmp *cmp, ik_severity sev,
                     const char *msg)
{
    char who[128], path[160];
    ik_loader *l = x->t->l;
    size_t off = cmp->src;

    if (off == SIZE_MAX)
        off = ik_json_offset(&l->doc, x->c->node, false);
    ld_who(l, (ld_kind)x->c->kind, x->c->index, who, sizeof who);
    ld_path((ld_kind)x->c->kind, x->c->index, x->c->field, path, sizeof path);
    ld_report_off(l, sev, IK_ERULES, off, path, "%s: %s: %s", who, x->c->field,
                  msg);
}

/* A string constant that must be one of q's option values. */
static void check_option(cmp_ctx *x, const ik_logic_cmp *cmp,
                         const ik_question *q, ik_value v)
{
    char shown[96], msg[256];
    uint32_t k;
    ik_suggest s;
    char word[64];

    if (v.kind == IK_NULL || v.kind == IK_UNDEF || q->noptions == 0)
        return;
    for (k = 0; k < q->noptions; k++)
        if (!q->options[k].value)
            return; /* a broken option was reported already */
    if (v.kind == IK_STR) {
        for (k = 0; k < q->noptions; k++)
            if (q->options[k].value && strlen(q->options[k].value) == v.len &&
                memcmp(q->options[k].value, v.u.str, v.len) == 0)
                return;
    }
    show_value(v, shown, sizeof shown);
    snprintf(word, sizeof word, "%.*s",
             v.kind == IK_STR ? (int)(v.len > 63 ? 63 : v.len) : 0,
             v.kind == IK_STR ? v.u.str : "");
    ik_suggest_init(&s, word);
    for (k = 0; k < q->noptions; k++)
        ik_suggest_offer(&s, q->options[k].value);
    if (ik_suggest_get(&s))
        snprintf(msg, sizeof msg,
                 "%s question \"%s\" has no option %s (did you mean "
                 "\"%s\"?)",
                 q->type == IK_Q_CHOICE ? "choice" : "multi", q->id, shown,
                 ik_suggest_get(&s));
    else
        snprintf(msg, sizeof msg, "%s question \"%s\" has no option %s",
                 q->type == IK_Q_CHOICE ? "choice" : "multi", q->id, shown);
    cmp_fail(x, cmp, IK_SEV_ERROR, msg);
}

static void check_yes_no(cmp_ctx *x, const ik_logic_cmp *cmp,
                         const ik_question *q)
{
    char shown[96], msg[256];
    ik_value v = cmp->cst;

    if (!is_equality(cmp->op) || v.kind == IK_BOOL || v.kind == IK_NULL ||
        v.kind == IK_UNDEF)
        return;
    if (v.kind == IK_STR && v.len == 7 && memcmp(v.u.str, "unknown", 7) == 0) {
        if (q->allow_unknown)
            return;
        snprintf(msg, sizeof msg,
                 "yes_no question \"%s\" is never \"unknown\" (it has no "
                 "\"allow_unknown\")",
                 q->id);
        cmp_fail(x, cmp, IK_SEV_ERROR, msg);
        return;
    }
    show_value(v, shown, sizeof shown);
    snprintf(msg, sizeof msg,
             "yes_no question \"%s\" is compared with %s; its answers are "
             "true or false%s",
             q->id, shown, q->allow_unknown ? " (or \"unknown\")" : "");
    cmp_fail(x, cmp, IK_SEV_ERROR, msg);
}

static void check_number(cmp_ctx *x, const ik_logic_cmp *cmp,
                         const ik_question *q)
{
    char shown[96], lo[32], hi[32], msg[256];
    ik_value v = cmp->cst;

    if (!x->t->l->check || v.kind != IK_NUM)
        return;
    if (!is_equality(cmp->op) && !is_order(cmp->op))
        return;
    if (q->min > q->max || (v.u.num >= q->min && v.u.num <= q->max))
        return;
    show_value(v, shown, sizeof shown);
    ik_num_format(q->min, lo);
    ik_num_format(q->max, hi);
    snprintf(msg, sizeof msg,
             "number question \"%s\" is compared with %s, outside its range "
             "%s to %s",
             q->id, shown, q->min > -1e308 ? lo : "-Infinity",
             q->max < 1e308 ? hi : "Infinity");
    cmp_fail(x, cmp, IK_SEV_WARNING, msg);
}

static void on_cmp(const ik_logic_cmp *cmp, void *ctx)
{
    cmp_ctx *x = ctx;
    lint *t = x->t;
    const ik_question *q;
    uint32_t i;

    if (ik_deps_question_of(t->deps, cmp->slot) == IK_NONE)
        return;
    q = &t->rb->questions[ik_deps_question_of(t->deps, cmp->slot)];
    if (!q->id)
        return;
    switch (q->type) {
    case IK_Q_CHOICE:
        if (is_equality(cmp->op))
            check_option(x, cmp, q, cmp->cst);
        else if (strcmp(cmp->op, "in") == 0 && cmp->cst.kind == IK_ARR)
            for (i = 0; i < cmp->cst.len; i++)
                check_option(x, cmp, q, cmp->cst.u.items[i]);
        break;
    case IK_Q_MULTI: /* "in" is checked by visit_multi_in */
        if (is_equality(cmp->op)) {
            char msg[256];

            snprintf(msg, sizeof msg,
                     "multi question \"%s\" is a list of options: test one "
                     "with {\"in\": [option, {\"var\": \"%s\"}]}",
                     q->id, q->id);
            cmp_fail(x, cmp, IK_SEV_ERROR, msg);
        }
        break;
    case IK_Q_YES_NO:
        check_yes_no(x, cmp, q);
        break;
    case IK_Q_NUMBER:
        check_number(x, cmp, q);
        break;
    case IK_Q_TEXT:
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
}

/*
 * {"in": ["value", {"var": "multi_id"}]} tests whether a multi answer
 * includes an option: the one comparison of a multi answer that
 * ik_logic_visit_cmps does not report (the constant is on the left of an
 * array test), so find its shape in the JSON of the condition.
 */
static void visit_multi_in(cmp_ctx *x, const cJSON *n, int depth)
{
    const cJSON *args, *lit, *var, *name;
    const cJSON *c;

    if (depth > IK_JSON_MAX_DEPTH || (!cJSON_IsObject(n) && !cJSON_IsArray(n)))
        return;
    if (cJSON_IsObject(n) && n->child && !n->child->next &&
        strcmp(n->child->string, "in") == 0 && cJSON_IsArray(args = n->child) &&
        (lit = args->child) && (var = lit->next) && !var->next &&
        cJSON_IsString(lit) && cJSON_IsObject(var) && var->child &&
        !var->child->next && strcmp(var->child->string, "var") == 0) {
        name = var->child;
        if (cJSON_IsArray(name))
            name = name->child;
        if (name && cJSON_IsString(name)) {
            uint32_t slot = ik_logic_find(x->t->rb->logic, name->valuestring);
            uint32_t qi = ik_deps_question_of(x->t->deps, slot);
            if (qi != IK_NONE) {
                const ik_question *q = &x->t->rb->questions[qi];
                if (q->type == IK_Q_MULTI && q->id) {
                    ik_logic_cmp cmp;
                    memset(&cmp, 0, sizeof cmp);
                    cmp.slot = slot;
                    cmp.op = "in";
                    cmp.cst = ik_str(lit->valuestring,
                                     (uint32_t)strlen(lit->valuestring));
                    cmp.src = ik_json_offset(&x->t->l->doc, n, false);
                    check_option(x, &cmp, q, cmp.cst);
                }
            }
        }
    }
    for (c = n->child; c; c = c->next)
        visit_multi_in(x, c, depth + 1);
}

/* ---- Warnings ---- */

static void check_constant(lint *t, const ld_cond *c)
{
    ik_loader *l = t->l;
    ik_value v;
    char who[128], path[160];
    bool op = cJSON_IsObject(c->node);

    if (!ik_logic_is_const(t->rb->logic, *c->out, &v))
        return;
    if (!op && (c->kind == LK_DERIVED || ik_value_truthy(v)))
        return; /* a literal written on purpose */
    if (c->kind == LK_SECTION && !ik_value_truthy(v))
        return; /* check_sections says what matters: nothing shows it */
    ld_who(l, (ld_kind)c->kind, c->index, who, sizeof who);
    ld_path((ld_kind)c->kind, c->index, c->field, path, sizeof path);
    if (c->kind == LK_DERIVED)
        ld_report_off(l, IK_SEV_WARNING, IK_ERULES,
                      ik_json_offset(&l->doc, c->node, false), path,
                      "%s: value reads no answers, so it never changes", who);
    else
        ld_report_off(l, IK_SEV_WARNING, IK_ERULES,
                      ik_json_offset(&l->doc, c->node, false), path,
                      "%s: %s is always %s (it reads no answers)", who,
                      c->field, ik_value_truthy(v) ? "true" : "false");
}

/* ---- What an answer may cost ---- */

/* A condition or derived value that may need more node visits than one
 * evaluation may take; adds its estimate to *total. */
static void check_cost(lint *t, const ld_cond *c, uint64_t *total)
{
    ik_loader *l = t->l;
    char who[128], path[160];
    uint64_t cost = ik_logic_cost(t->rb->logic, *c->out, IK_OPTIONS_MAX);

    *total = *total > UINT64_MAX - cost ? UINT64_MAX : *total + cost;
    if (cost <= IK_LOGIC_BUDGET)
        return;
    ld_who(l, (ld_kind)c->kind, c->index, who, sizeof who);
    ld_path((ld_kind)c->kind, c->index, c->field, path, sizeof path);
    ld_report_off(l, IK_SEV_WARNING, IK_ERULES,
                  ik_json_offset(&l->doc, c->node, false), path,
                  "%s: %s may take up to about %llu node visits to "
                  "evaluate (a list the answers give counted as %d items), "
                  "more than the %u one evaluation may take",
                  who, c->field, (unsigned long long)cost, IK_OPTIONS_MAX,
                  IK_LOGIC_BUDGET);
}

/* All of them together, as one answer or record evaluates them: an
 * answer computes the applied answers and the outcome, so twice. */
static void check_total_cost(lint *t, uint64_t total)
{
    if (total <= IK_LOGIC_TOTAL_BUDGET / 2)
        return;
    ld_report_lc(t->l, IK_SEV_WARNING, IK_ERULES, 0, 0, "",
                 "the pack's conditions and derived values may take up to "
                 "about %llu node visits, and an answer evaluates them at "
                 "least twice: more than the %u an answer's evaluations "
                 "may take together, so an answer may fail with \"exceeded "
                 "the total budget\"",
                 (unsigned long long)total, IK_LOGIC_TOTAL_BUDGET);
}

/* Whether a condition that shapes the outcome (not an invariant's)
 * reads slot s. */
static bool is_read(const lint *t, uint32_t s)
{
    int o;

    for (o = 0; o < IK_OWN__COUNT; o++)
        if (o != IK_OWN_INVARIANT && ik_deps_readers(t->deps, (ik_owner)o, s).n)
            return true;
    return false;
}

static void check_unread(lint *t)
{
    ik_loader *l = t->l;
    uint32_t i;
    char who[128], path[64];

    for (i = 0; i < t->rb->nquestions && !l->stop; i++) {
        const ik_question *q = &t->rb->questions[i];
        if (!q->id || !ik_id_valid(q->id, false) || q->type == IK_Q_INFO ||
            q->type == IK_Q_TEXT || is_read(t, q->slot))
            continue;
        ld_who(l, LK_QUESTION, i, who, sizeof who);
        ld_path(LK_QUESTION, i, NULL, path, sizeof path);
        ld_report_off(l, IK_SEV_WARNING, IK_ERULES, id_off(l, LK_QUESTION, i),
                      path,
                      "%s: no condition reads its answer, so it changes "
                      "nothing",
                      who);
    }
}

static void check_sections(lint *t)
{
    ik_loader *l = t->l;
    ik_rulebook *rb = t->rb;
    bool *named = ik_calloc(rb->nsections + 1, sizeof *named);
    uint32_t i, k;
    char who[128], path[64];
    ik_value v;

    if (!named) {
        ld_report_lc(l, IK_SEV_ERROR, IK_ENOMEM, 0, 0, "", "out of memory");
        return;
    }
    for (i = 0; i < rb->nrules; i++)
        for (k = 0; k < rb->rules[i].nsections; k++)
            if (rb->rules[i].sections[k] < rb->nsections)
                named[rb->rules[i].sections[k]] = true;
    for (i = 0; i < rb->nsections && !l->stop; i++) {
        const ik_section *s = &rb->sections[i];
        if (named[i] || !s->id)
            continue;
        if (s->show_when != IK_NO_EXPR &&
            !(ik_logic_is_const(rb->logic, s->show_when, &v) &&
              !ik_value_truthy(v)))
            continue;
        ld_who(l, LK_SECTION, i, who, sizeof who);
        ld_path(LK_SECTION, i, NULL, path, sizeof path);
        ld_report_off(l, IK_SEV_WARNING, IK_ERULES, id_off(l, LK_SECTION, i),
                      path,
                      "%s: nothing can show it (no \"show_when\" that can "
                      "hold, and no rule names it)",
                      who);
    }
    ik_free(named);
}

/* A note on a rule that sets no disposition and says no "note_for" can
 * show under any outcome, even the most urgent one. */
static void check_notes(lint *t)
{
    ik_loader *l = t->l;
    ik_rulebook *rb = t->rb;
    uint32_t i;
    char who[128], path[64];

    if (l->first != IK_OK)
        return; /* a disposition that failed to resolve reads as none */
    for (i = 0; i < rb->nrules && !l->stop; i++) {
        const ik_rule *r = &rb->rules[i];
        if (!r->id || !r->note.by[IK_AUD_PATIENT] || r->nnote_for ||
            r->disposition != IK_NONE || rb->ndispositions < 2)
            continue;
        ld_who(l, LK_RULE, i, who, sizeof who);
        ld_path(LK_RULE, i, "then", path, sizeof path);
        ld_report_off(l, IK_SEV_WARNING, IK_ERULES, id_off(l, LK_RULE, i), path,
                      "%s: its note can show under any disposition, even "
                      "\"%s\"; give \"note_for\" with the dispositions it "
                      "fits",
                      who, rb->dispositions[0].id);
    }
}

/* Nurse text for a choice or multi question but not for its options: the
 * nurse would read "In my back only" under a third-person question. */
static void check_audience_options(lint *t)
{
    ik_loader *l = t->l;
    ik_rulebook *rb = t->rb;
    uint32_t i, k;
    char who[128], path[64];

    if (!rb->audiences[IK_AUD_NURSE])
        return;
    for (i = 0; i < rb->nquestions && !l->stop; i++) {
        const ik_question *q = &rb->questions[i];
        uint32_t plain = 0;
        if (!q->id || q->text.by[IK_AUD_NURSE] == q->text.by[IK_AUD_PATIENT])
            continue; /* one text for both */
        for (k = 0; k < q->noptions; k++)
            plain += q->options[k].label.by[IK_AUD_NURSE] ==
                     q->options[k].label.by[IK_AUD_PATIENT];
        if (!plain)
            continue;
        ld_who(l, LK_QUESTION, i, who, sizeof who);
        ld_path(LK_QUESTION, i, "options", path, sizeof path);
        ld_report_off(l, IK_SEV_STRICT, IK_ERULES, id_off(l, LK_QUESTION, i),
                      path,
                      "%s: nurse text for the question but not for %u of its "
                      "%u options",
                      who, plain, q->noptions);
    }
}

/* ---- Driver ---- */

bool ld_order_derived(ik_loader *l, uint32_t *order)
{
    bool nomem, changed;

    changed = ik_deps_order_derived(l->rb, order, report_cycle, l, &nomem);
    if (nomem)
        ld_report_lc(l, IK_SEV_ERROR, IK_ENOMEM, 0, 0, "", "out of memory");
    return changed;
}

void ld_lint(ik_loader *l)
{
    lint t;
    size_t i;
    uint64_t total = 0;

    memset(&t, 0, sizeof t);
    t.l = l;
    t.rb = l->rb;
    t.deps = l->rb->deps;
    for (i = 0; i < l->nconds && !l->stop; i++) {
        const ld_cond *c = &l->conds[i];
        cmp_ctx x = {&t, c};
        if (*c->out == IK_NO_EXPR)
            continue;
        check_dynamic(&t, c);
        if (c->kind == LK_QUESTION)
            check_enable_when(&t, c);
        ik_logic_visit_cmps(l->rb->logic, *c->out, on_cmp, &x);
        visit_multi_in(&x, c->node, 0);
        if (l->check) {
            check_constant(&t, c);
            if (c->kind != LK_INVARIANT)
                check_cost(&t, c, &total);
        }
    }
    if (l->check && !l->stop) {
        check_total_cost(&t, total);
        check_unread(&t);
        check_sections(&t);
        check_notes(&t);
        check_audience_options(&t);
    }
}
