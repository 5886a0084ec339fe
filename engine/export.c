/*
 * export.c -- write a session as outcome JSON, FHIR R4 resources, Markdown
 * or plain text, and a pack as a FHIR Questionnaire. Writers only: text
 * goes into the caller's ik_buf; no I/O, no decisions about the outcome
 * (that comes from the interview).
 */
#include "export.h"

#include "answer.h"
#include "json.h"
#include "logic.h"
#include "outcome.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const format_names[IK_EXPORT__COUNT] = {"json", "fhir",
                                                           "markdown", "text"};

bool ik_export_format_find(const char *name, ik_export_format *out)
{
    int i;

    if (strcmp(name, "md") == 0)
        name = "markdown";
    for (i = 0; i < IK_EXPORT__COUNT; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (ik_export_format)i;
            return true;
        }
    return false;
}

/* ---- Small writers ---- */

/* The buffer's text, or "" once it ran out of memory (the caller's final
 * ik_buf_status check reports that). */
static const char *cstr(ik_buf *b)
{
    const char *s = ik_buf_cstr(b);

    return s ? s : "";
}

static void put_str(ik_buf *b, const char *s)
{
    ik_buf_put_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

static void put_key(ik_buf *b, const char *key)
{
    put_str(b, key);
    ik_buf_putc(b, ':');
}

static void put_time(ik_buf *b, int64_t t)
{
    char tb[21];

    ik_time_format(t, tb);
    put_str(b, tb);
}

static const char *text_of(const ik_text *t, ik_audience aud)
{
    return ik_text_get(t, aud);
}

/* ---- JSON: the outcome plus the session ---- */

static void write_history(const ik_session *s, ik_buf *b)
{
    size_t i;

    ik_buf_putc(b, '[');
    for (i = 0; i < ik_session_nevents(s); i++) {
        const ik_session_event *e = ik_session_event_at(s, i);
        if (i)
            ik_buf_putc(b, ',');
        ik_buf_putc(b, '{');
        put_key(b, "at");
        put_time(b, e->at);
        ik_buf_putc(b, ',');
        put_key(b, "question");
        put_str(b, e->question);
        ik_buf_putc(b, ',');
        switch (e->kind) {
        case IK_EV_ANSWER:
            put_key(b, "answer");
            ik_session_write_value(b, e->value);
            break;
        case IK_EV_SKIP:
            ik_buf_puts(b, "\"skipped\":true");
            break;
        case IK_EV_ACK:
            ik_buf_puts(b, "\"acknowledged\":true");
            break;
        case IK_EV_ALERT:
        case IK_EV_ALERT_STOP:
            put_key(b, "alert");
            ik_session_write_value(b, e->value);
            ik_buf_puts(b, e->kind == IK_EV_ALERT ? ",\"went_on\":true"
                                                  : ",\"went_on\":false");
            break;
        case IK_EV_LEAVE:
            put_key(b, "left");
            ik_session_write_value(b, e->value);
            break;
        default:
            ik_buf_puts(b, "\"back\":true");
        }
        ik_buf_putc(b, '}');
    }
    ik_buf_putc(b, ']');
}

static void write_session_meta(const ik_session *s, ik_buf *b)
{
    const char *label = ik_session_label(s);

    ik_buf_puts(b, "{\"format\":\"" IK_SESSION_FORMAT "\",\"pack\":{");
    put_key(b, "id");
    put_str(b, ik_session_pack_id(s));
    ik_buf_putc(b, ',');
    put_key(b, "version");
    put_str(b, ik_session_pack_version(s));
    ik_buf_putc(b, ',');
    put_key(b, "hash");
    put_str(b, ik_session_pack_hash(s));
    ik_buf_puts(b, "},");
    put_key(b, "audience");
    put_str(b, ik_session_audience(s));
    ik_buf_putc(b, ',');
    put_key(b, "label");
    if (label)
        put_str(b, label);
    else
        ik_buf_puts(b, "null");
    ik_buf_putc(b, ',');
    put_key(b, "started");
    put_time(b, ik_session_started(s));
    ik_buf_putc(b, ',');
    put_key(b, "updated");
    put_time(b, ik_session_updated(s));
    ik_buf_putc(b, ',');
    put_key(b, "position");
    if (ik_session_position(s))
        put_str(b, ik_session_position(s));
    else
        ik_buf_puts(b, "null");
    ik_buf_putc(b, ',');
    put_key(b, "history");
    write_history(s, b);
    ik_buf_putc(b, '}');
}

static ik_status export_json(const ik_session *s, const ik_interview *iv,
                             ik_buf *b, ik_error *err)
{
    char *json = NULL;
    size_t len;
    ik_status st = ik_interview_outcome_json(iv, &json, err);

    if (st != IK_OK)
        return st;
    len = strlen(json);
    while (len > 0 && json[len - 1] != '}')
        len--;
    if (len < 2) {
        ik_interview_free_string(json);
        return ik_fail(err, IK_EMISUSE, "the outcome is not a JSON object");
    }
    ik_buf_put(b, json, len - 1);
    ik_interview_free_string(json);
    ik_buf_puts(b, ",\"session\":");
    write_session_meta(s, b);
    ik_buf_puts(b, "}\n");
    return IK_OK;
}

/* ---- FHIR: shared by the Questionnaire and the response ---- */

static bool is_boolean_question(const ik_question *q)
{
    return q->type == IK_Q_YES_NO && !q->allow_unknown;
}

static void put_coding(ik_buf *b, const ik_rulebook *rb, const char *code,
                       const char *display)
{
    /* pack ids match [a-z][a-z0-9_-]*: nothing to escape */
    ik_buf_puts(b, "{\"system\":\"" IK_FHIR_CODES_BASE);
    ik_buf_puts(b, rb->id);
    ik_buf_puts(b, "\",\"code\":");
    put_str(b, code);
    if (display) {
        ik_buf_puts(b, ",\"display\":");
        put_str(b, display);
    }
    ik_buf_putc(b, '}');
}

/* yes_no with "don't know" is a choice of three codes */
static const char *yes_no_code(ik_value v)
{
    if (v.kind == IK_BOOL)
        return v.u.b ? "yes" : "no";
    return "unknown";
}

static const char *yes_no_display(const char *code)
{
    if (strcmp(code, "yes") == 0)
        return "Yes";
    if (strcmp(code, "no") == 0)
        return "No";
    return "Don't know";
}

static const char *option_label(const ik_question *q, const char *value,
                                size_t len)
{
    uint32_t i;

    for (i = 0; i < q->noptions; i++)
        if (strlen(q->options[i].value) == len &&
            memcmp(q->options[i].value, value, len) == 0)
            return text_of(&q->options[i].label, IK_AUD_PATIENT);
    return NULL;
}

static void put_number(ik_buf *b, double d)
{
    ik_session_write_value(b, ik_num(d));
}

static const char *fhir_type(const ik_question *q)
{
    switch (q->type) {
    case IK_Q_YES_NO:
        return q->allow_unknown ? "choice" : "boolean";
    case IK_Q_CHOICE:
    case IK_Q_MULTI:
        return "choice";
    case IK_Q_NUMBER:
        return q->integer ? "integer" : "decimal";
    case IK_Q_TEXT:
        return "string";
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    return "display";
}

/* ---- FHIR QuestionnaireResponse ---- */

static void put_answer_value(ik_buf *b, const ik_rulebook *rb,
                             const ik_question *q, ik_value v)
{

    ik_buf_putc(b, '{');
    if (is_boolean_question(q)) {
        ik_buf_printf(b, "\"valueBoolean\":%s", v.u.b ? "true" : "false");
    } else if (q->type == IK_Q_YES_NO) {
        const char *code = yes_no_code(v);
        ik_buf_puts(b, "\"valueCoding\":");
        put_coding(b, rb, code, yes_no_display(code));
    } else if (q->type == IK_Q_NUMBER) {
        if (q->integer && fabs(v.u.num) < 2147483648.0) {
            ik_buf_puts(b, "\"valueInteger\":");
            put_number(b, v.u.num);
        } else {
            ik_buf_puts(b, "\"valueDecimal\":");
            put_number(b, v.u.num);
        }
    } else if (q->type == IK_Q_TEXT) {
        ik_buf_puts(b, "\"valueString\":");
        ik_buf_put_json_string(b, v.u.str, v.len);
    } else { /* a choice, or one option of a multi */
        char code[256];
        size_t n = v.len < sizeof code ? v.len : sizeof code - 1;
        memcpy(code, v.u.str, n);
        code[n] = '\0';
        ik_buf_puts(b, "\"valueCoding\":");
        put_coding(b, rb, code, option_label(q, v.u.str, v.len));
    }
    ik_buf_putc(b, '}');
}

static void put_response_item(ik_buf *b, const ik_rulebook *rb,
                              const ik_question *q, ik_value v)
{
    uint32_t i;

    ik_buf_puts(b, "{\"linkId\":");
    put_str(b, q->id);
    ik_buf_puts(b, ",\"text\":");
    put_str(b, text_of(&q->text, IK_AUD_PATIENT));
    ik_buf_puts(b, ",\"answer\":[");
    if (q->type == IK_Q_MULTI && v.kind == IK_ARR) {
        for (i = 0; i < v.len; i++) {
            if (i)
                ik_buf_putc(b, ',');
            put_answer_value(b, rb, q, v.u.items[i]);
        }
        if (v.len == 0) { /* "none", an answer option of its own */
            ik_buf_puts(b, "{\"valueCoding\":");
            put_coding(b, rb, "none", "None");
            ik_buf_putc(b, '}');
        }
    } else {
        put_answer_value(b, rb, q, v);
    }
    ik_buf_puts(b, "]}");
}

static void put_canonical(ik_buf *b, const ik_rulebook *rb, bool with_version)
{
    ik_buf tmp;

    ik_buf_init(&tmp);
    ik_buf_printf(&tmp, "%s%s", IK_FHIR_QUESTIONNAIRE_BASE, rb->id);
    if (with_version)
        ik_buf_printf(&tmp, "|%s", rb->version);
    put_str(b, cstr(&tmp));
    if (ik_buf_status(&tmp) != IK_OK)
        b->oom = true;
    ik_buf_fini(&tmp);
}

static ik_status export_fhir(const ik_session *s, const ik_interview *iv,
                             ik_buf *b)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    const ik_outcome *o = ik_interview_outcome(iv);
    const char *label = ik_session_label(s);
    bool first = true;
    uint32_t q;
    ik_step step;

    ik_interview_next(iv, &step);
    ik_buf_puts(b, "{\"resourceType\":\"QuestionnaireResponse\",");
    put_key(b, "questionnaire");
    put_canonical(b, rb, true);
    ik_buf_printf(b, ",\"status\":\"%s\",",
                  step.kind == IK_STEP_OUTCOME ? "completed" : "in-progress");
    if (label && label[0]) {
        ik_buf_puts(b, "\"subject\":{\"display\":");
        put_str(b, label);
        ik_buf_puts(b, "},");
    }
    put_key(b, "authored");
    put_time(b, ik_session_updated(s));
    ik_buf_puts(b, ",\"item\":[");
    for (q = 0; q < rb->nquestions; q++) {
        ik_value v = o->slots[q];
        if (rb->questions[q].type == IK_Q_INFO || v.kind == IK_UNDEF ||
            v.kind == IK_NULL)
            continue;
        if (!first)
            ik_buf_putc(b, ',');
        first = false;
        put_response_item(b, rb, &rb->questions[q], v);
    }
    ik_buf_puts(b, "]}\n");
    return IK_OK;
}

/* ---- FHIR Questionnaire ---- */

/* One enableWhen: question q compared with a constant. */
typedef struct cond {
    uint32_t q;
    const char *op; /* FHIR: = != > < >= <= */
    const cJSON *cst;
    const char *code; /* choice: the option code; yes_no choice: yes/no */
} cond;

enum { MAX_CONDS = 16 };

typedef struct conds {
    cond c[MAX_CONDS];
    int n;
    const ik_rulebook *rb;
    uint32_t before; /* only questions before this index count */
} conds;

static const char *fhir_op(const char *op, bool var_left)
{
    static const char *const map[][3] = {
        {"==", "=", "="},    {"===", "=", "="},  {"!=", "!=", "!="},
        {"!==", "!=", "!="}, {"<", "<", ">"},    {"<=", "<=", ">="},
        {">", ">", "<"},     {">=", ">=", "<="},
    };
    size_t i;

    for (i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(op, map[i][0]) == 0)
            return map[i][var_left ? 1 : 2];
    return NULL;
}

/* The question a plain {"var": "id"} names, or IK_NONE. */
static uint32_t var_question(const conds *cs, const cJSON *n)
{
    const cJSON *arg;
    uint32_t q;

    if (!cJSON_IsObject(n) || !n->child || n->child->next ||
        strcmp(n->child->string, "var") != 0)
        return IK_NONE;
    arg = n->child;
    if (cJSON_IsArray(arg)) {
        if (cJSON_GetArraySize(arg) != 1)
            return IK_NONE;
        arg = arg->child;
    }
    if (!cJSON_IsString(arg))
        return IK_NONE;
    q = ik_rulebook_find_question(cs->rb, arg->valuestring);
    return q < cs->before ? q : IK_NONE;
}

/* Can question q be compared with constant c by FHIR op? */
static bool fits(const ik_question *q, const char *op, const cJSON *c,
                 const char **code)
{
    bool eq = strcmp(op, "=") == 0 || strcmp(op, "!=") == 0;

    *code = NULL;
    switch (q->type) {
    case IK_Q_YES_NO:
        if (!eq)
            return false;
        if (cJSON_IsBool(c)) {
            *code = cJSON_IsTrue(c) ? "yes" : "no";
            return true;
        }
        if (q->allow_unknown && cJSON_IsString(c) &&
            strcmp(c->valuestring, "unknown") == 0) {
            *code = "unknown";
            return true;
        }
        return false;
    case IK_Q_CHOICE:
    case IK_Q_MULTI:
        if (!eq || !cJSON_IsString(c) ||
            !option_label(q, c->valuestring, strlen(c->valuestring)))
            return false;
        *code = c->valuestring;
        return true;
    case IK_Q_NUMBER:
        return cJSON_IsNumber(c) &&
               (!q->integer || c->valuedouble == floor(c->valuedouble));
    case IK_Q_TEXT:
        return eq && cJSON_IsString(c);
    case IK_Q_INFO:
    case IK_Q__COUNT:
        break;
    }
    return false;
}

static bool add_cond(conds *cs, uint32_t q, const char *op, const cJSON *c)
{
    cond *d;

    if (cs->n >= MAX_CONDS)
        return false;
    d = &cs->c[cs->n];
    if (!fits(&cs->rb->questions[q], op, c, &d->code))
        return false;
    d->q = q;
    d->op = op;
    d->cst = c;
    cs->n++;
    return true;
}

/* One comparison of an earlier answer with a constant. */
static bool simple(conds *cs, const cJSON *n)
{
    const cJSON *args, *l, *r;
    const char *op;
    uint32_t q;

    static const cJSON yes = {.type = cJSON_True};

    /* {"var": "q"} alone on a plain yes/no question: answered yes */
    if ((q = var_question(cs, n)) != IK_NONE)
        return is_boolean_question(&cs->rb->questions[q]) &&
               add_cond(cs, q, "=", &yes);
    if (!cJSON_IsObject(n) || !n->child || n->child->next)
        return false;
    args = n->child;
    if (!cJSON_IsArray(args) || cJSON_GetArraySize(args) != 2)
        return false;
    l = args->child;
    r = l->next;
    if (strcmp(args->string, "in") == 0) {
        /* "value" in a multi answer: FHIR '=' matches any answer */
        q = var_question(cs, r);
        return q != IK_NONE && cJSON_IsString(l) &&
               cs->rb->questions[q].type == IK_Q_MULTI &&
               add_cond(cs, q, "=", l);
    }
    op = fhir_op(args->string, true);
    if (!op)
        return false;
    if ((q = var_question(cs, l)) != IK_NONE && !cJSON_IsObject(r) &&
        !cJSON_IsArray(r))
        return add_cond(cs, q, op, r);
    if ((q = var_question(cs, r)) != IK_NONE && !cJSON_IsObject(l) &&
        !cJSON_IsArray(l))
        return add_cond(cs, q, fhir_op(args->string, false), l);
    return false;
}

/* The whole condition as enableWhen entries: one comparison, or an
 * and/or of comparisons. *behavior gets "all" or "any". */
static bool analyse(conds *cs, const cJSON *root, const char **behavior)
{
    const cJSON *it;
    bool is_and, is_or;

    *behavior = NULL;
    if (!cJSON_IsObject(root) || !root->child || root->child->next)
        return false;
    is_and = strcmp(root->child->string, "and") == 0;
    is_or = strcmp(root->child->string, "or") == 0;
    if (!is_and && !is_or)
        return simple(cs, root);
    if (!cJSON_IsArray(root->child) || !root->child->child)
        return false;
    for (it = root->child->child; it; it = it->next)
        if (!simple(cs, it))
            return false;
    *behavior = is_and ? "all" : "any";
    return true;
}

static void put_cond(ik_buf *b, const ik_rulebook *rb, const cond *c)
{
    const ik_question *q = &rb->questions[c->q];

    ik_buf_puts(b, "{\"question\":");
    put_str(b, q->id);
    ik_buf_puts(b, ",\"operator\":");
    put_str(b, c->op);
    if (is_boolean_question(q)) {
        ik_buf_printf(b, ",\"answerBoolean\":%s",
                      strcmp(c->code, "yes") == 0 ? "true" : "false");
    } else if (c->code) {
        ik_buf_puts(b, ",\"answerCoding\":");
        put_coding(b, rb, c->code, NULL);
    } else if (q->type == IK_Q_NUMBER) {
        ik_buf_puts(b,
                    q->integer ? ",\"answerInteger\":" : ",\"answerDecimal\":");
        put_number(b, c->cst->valuedouble);
    } else {
        ik_buf_puts(b, ",\"answerString\":");
        put_str(b, c->cst->valuestring);
    }
    ik_buf_putc(b, '}');
}

/* enableWhen (+ enableBehavior) when the condition is simple; else
 * *logic gets its JsonLogic for the extension (empty when none). */
static ik_status put_condition(ik_buf *b, const ik_rulebook *rb, uint32_t qi,
                               ik_buf *logic, ik_error *err)
{
    const ik_question *q = &rb->questions[qi];
    ik_json_doc doc;
    conds cs;
    const char *behavior;
    ik_value cv;
    ik_status st;
    int i;

    if (q->enable_when == IK_NO_EXPR ||
        (ik_logic_is_const(rb->logic, q->enable_when, &cv) &&
         cv.kind == IK_BOOL && cv.u.b))
        return IK_OK;
    ik_logic_write_json(rb->logic, q->enable_when, logic);
    if (ik_buf_status(logic) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    st = ik_json_parse(cstr(logic), logic->len, "", 0, &doc, err);
    if (st == IK_ENOMEM)
        return st;
    memset(&cs, 0, sizeof cs);
    cs.rb = rb;
    cs.before = qi;
    if (st == IK_OK && analyse(&cs, doc.root, &behavior)) {
        ik_buf_puts(b, ",\"enableWhen\":[");
        for (i = 0; i < cs.n; i++) {
            if (i)
                ik_buf_putc(b, ',');
            put_cond(b, rb, &cs.c[i]);
        }
        ik_buf_putc(b, ']');
        if (cs.n > 1)
            ik_buf_printf(b, ",\"enableBehavior\":\"%s\"", behavior);
        ik_buf_clear(logic);
    }
    ik_json_doc_fini(&doc);
    return IK_OK;
}

static void put_bound(ik_buf *b, const ik_question *q, const char *which,
                      double v)
{
    ik_buf_printf(b,
                  "{\"url\":\"http://hl7.org/fhir/StructureDefinition/%s\","
                  "\"value%s\":",
                  which, q->integer ? "Integer" : "Decimal");
    put_number(b, v);
    ik_buf_putc(b, '}');
}

static void put_options(ik_buf *b, const ik_rulebook *rb, const ik_question *q)
{
    uint32_t i;
    static const char *const yn[] = {"yes", "no", "unknown"};

    ik_buf_puts(b, ",\"answerOption\":[");
    if (q->type == IK_Q_YES_NO) {
        for (i = 0; i < 3; i++) {
            ik_buf_puts(b, i ? ",{\"valueCoding\":" : "{\"valueCoding\":");
            put_coding(b, rb, yn[i], yes_no_display(yn[i]));
            ik_buf_putc(b, '}');
        }
    }
    for (i = 0; q->type != IK_Q_YES_NO && i < q->noptions; i++) {
        ik_buf_puts(b, i ? ",{\"valueCoding\":" : "{\"valueCoding\":");
        put_coding(b, rb, q->options[i].value,
                   text_of(&q->options[i].label, IK_AUD_PATIENT));
        ik_buf_putc(b, '}');
    }
    if (q->type == IK_Q_MULTI && q->allow_none) {
        ik_buf_puts(b, ",{\"valueCoding\":");
        put_coding(b, rb, "none", "None");
        ik_buf_putc(b, '}');
    }
    ik_buf_putc(b, ']');
}

static void put_extensions(ik_buf *b, const ik_question *q, ik_buf *logic)
{
    bool has_min = q->type == IK_Q_NUMBER && isfinite(q->min);
    bool has_max = q->type == IK_Q_NUMBER && isfinite(q->max);
    bool any = false;

    if (!logic->len && !has_min && !has_max)
        return;
    ik_buf_puts(b, ",\"extension\":[");
    if (logic->len) {
        ik_buf_puts(b,
                    "{\"url\":\"" IK_FHIR_EXT_JSONLOGIC "\",\"valueString\":");
        put_str(b, cstr(logic));
        ik_buf_putc(b, '}');
        any = true;
    }
    if (has_min) {
        if (any)
            ik_buf_putc(b, ',');
        put_bound(b, q, "minValue", q->min);
        any = true;
    }
    if (has_max) {
        if (any)
            ik_buf_putc(b, ',');
        put_bound(b, q, "maxValue", q->max);
    }
    ik_buf_putc(b, ']');
}

static ik_status put_question_item(ik_buf *b, const ik_rulebook *rb,
                                   uint32_t qi, ik_error *err)
{
    const ik_question *q = &rb->questions[qi];
    ik_buf logic;
    ik_status st;

    ik_buf_init(&logic);
    ik_buf_puts(b, "{\"linkId\":");
    put_str(b, q->id);
    ik_buf_puts(b, ",\"text\":");
    put_str(b, text_of(&q->text, IK_AUD_PATIENT));
    ik_buf_printf(b, ",\"type\":\"%s\"", fhir_type(q));
    if ((st = put_condition(b, rb, qi, &logic, err)) != IK_OK) {
        ik_buf_fini(&logic);
        return st;
    }
    if (q->type != IK_Q_INFO)
        ik_buf_printf(b, ",\"required\":%s", q->required ? "true" : "false");
    if (q->type == IK_Q_MULTI)
        ik_buf_puts(b, ",\"repeats\":true");
    if (q->type == IK_Q_TEXT)
        ik_buf_printf(b, ",\"maxLength\":%u",
                      q->max_length ? q->max_length : IK_TEXT_MAX);
    if (q->type == IK_Q_CHOICE || q->type == IK_Q_MULTI ||
        (q->type == IK_Q_YES_NO && q->allow_unknown))
        put_options(b, rb, q);
    put_extensions(b, q, &logic);
    ik_buf_putc(b, '}');
    ik_buf_fini(&logic);
    return IK_OK;
}

/* FHIR name: an upper-case letter, then letters, digits and '_'. */
static void put_name(ik_buf *b, const char *id)
{
    bool up = true;

    ik_buf_putc(b, '"');
    if (!(id[0] >= 'a' && id[0] <= 'z'))
        ik_buf_putc(b, 'Q');
    for (; *id; id++) {
        char c = *id;
        if (c == '-' || c == '_') {
            up = true;
            continue;
        }
        if (up && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        ik_buf_putc(b, c);
        up = false;
    }
    ik_buf_putc(b, '"');
}

ik_status ik_export_questionnaire(const ik_rulebook *rb, ik_buf *b,
                                  ik_error *err)
{
    uint32_t q;
    ik_status st;

    ik_buf_puts(b, "{\"resourceType\":\"Questionnaire\",");
    if (rb->language) {
        put_key(b, "language");
        put_str(b, rb->language);
        ik_buf_putc(b, ',');
    }
    put_key(b, "url");
    put_canonical(b, rb, false);
    ik_buf_putc(b, ',');
    put_key(b, "version");
    put_str(b, rb->version);
    ik_buf_putc(b, ',');
    put_key(b, "name");
    put_name(b, rb->id);
    ik_buf_putc(b, ',');
    put_key(b, "title");
    put_str(b, rb->title);
    ik_buf_puts(b, ",\"status\":\"active\",\"subjectType\":[\"Patient\"],");
    put_key(b, "item");
    ik_buf_putc(b, '[');
    for (q = 0; q < rb->nquestions; q++) {
        if (q)
            ik_buf_putc(b, ',');
        if ((st = put_question_item(b, rb, q, err)) != IK_OK)
            return st;
    }
    ik_buf_puts(b, "]}\n");
    if (ik_buf_status(b) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory writing FHIR");
    return IK_OK;
}

/* ---- Markdown and plain text ---- */

/* A tiny document writer: headings, paragraphs and bullets, rendered as
 * Markdown or as plain text wrapped to WRAP columns. */
enum { WRAP = 72 };

typedef struct doc {
    ik_buf *b;
    bool md;
} doc;

static void md_escape(ik_buf *b, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strchr("\\`*_[]<>#|", s[i]) && s[i] != '\0')
            ik_buf_putc(b, '\\');
        ik_buf_putc(b, s[i] == '\n' ? ' ' : s[i]);
    }
}

/* Append text wrapped at WRAP columns; continuation lines get `indent`
 * spaces; the first line starts at column `col`. */
static void wrap(ik_buf *b, const char *s, size_t col, size_t indent)
{
    while (*s) {
        size_t word = 0, cols = 0, i;
        while (*s == ' ' || *s == '\n')
            s++;
        if (!*s)
            break;
        while (s[word] && s[word] != ' ' && s[word] != '\n') {
            if (((unsigned char)s[word] & 0xc0) != 0x80)
                cols++;
            word++;
        }
        if (col > indent && col + 1 + cols > WRAP) {
            ik_buf_putc(b, '\n');
            for (i = 0; i < indent; i++)
                ik_buf_putc(b, ' ');
            col = indent;
        } else if (col > indent) {
            ik_buf_putc(b, ' ');
            col++;
        }
        ik_buf_put(b, s, word);
        col += cols;
        s += word;
    }
}

/* A heading: "# " / "## " in Markdown, else underlined with `rule`. */
static void doc_head(doc *d, const char *h, const char *md_mark, char rule)
{
    size_t i, n = 0;

    if (d->md) {
        ik_buf_puts(d->b, md_mark);
        md_escape(d->b, h, strlen(h));
        ik_buf_puts(d->b, "\n\n");
        return;
    }
    ik_buf_puts(d->b, h);
    ik_buf_putc(d->b, '\n');
    for (i = 0; h[i]; i++)
        n += ((unsigned char)h[i] & 0xc0) != 0x80;
    for (i = 0; i < n; i++)
        ik_buf_putc(d->b, rule);
    ik_buf_puts(d->b, "\n\n");
}

static void doc_title(doc *d, const char *title)
{
    doc_head(d, title, "# ", '=');
}

static void doc_heading(doc *d, const char *h)
{
    doc_head(d, h, "## ", '-');
}

/* A paragraph: `strong` text (may be NULL) then `text`. */
static void doc_para(doc *d, const char *strong, const char *text)
{
    ik_buf tmp;

    if (d->md) {
        if (strong && strong[0]) {
            ik_buf_puts(d->b, "**");
            md_escape(d->b, strong, strlen(strong));
            ik_buf_puts(d->b, text && text[0] ? "** " : "**");
        }
        if (text)
            md_escape(d->b, text, strlen(text));
        ik_buf_puts(d->b, "\n\n");
        return;
    }
    ik_buf_init(&tmp);
    if (strong && strong[0])
        ik_buf_printf(&tmp, "%s%s", strong, text && text[0] ? " " : "");
    if (text)
        ik_buf_puts(&tmp, text);
    wrap(d->b, cstr(&tmp), 0, 0);
    if (ik_buf_status(&tmp) != IK_OK)
        d->b->oom = true;
    ik_buf_fini(&tmp);
    ik_buf_puts(d->b, "\n\n");
}

/* After a question "Any pain?" a space is enough; else ": ". */
static const char *sep(const char *label)
{
    size_t n = strlen(label);

    return n && label[n - 1] == '?' ? " " : ": ";
}

/* A bullet "label: text" (label may be NULL). */
static void doc_bullet(doc *d, const char *label, const char *text)
{
    ik_buf tmp;

    if (d->md) {
        ik_buf_puts(d->b, "- ");
        if (label) {
            md_escape(d->b, label, strlen(label));
            ik_buf_puts(d->b, sep(label));
        }
        md_escape(d->b, text, strlen(text));
        ik_buf_putc(d->b, '\n');
        return;
    }
    ik_buf_init(&tmp);
    if (label)
        ik_buf_printf(&tmp, "%s%s", label, sep(label));
    ik_buf_puts(&tmp, text);
    ik_buf_puts(d->b, "  - ");
    wrap(d->b, cstr(&tmp), 4, 4);
    if (ik_buf_status(&tmp) != IK_OK)
        d->b->oom = true;
    ik_buf_fini(&tmp);
    ik_buf_putc(d->b, '\n');
}

static void doc_end_list(doc *d)
{
    ik_buf_putc(d->b, '\n');
}

/* "2026-11-28 14:12 UTC" */
static void human_time(int64_t t, char *buf)
{
    char iso[21];

    ik_time_format(t, iso);
    snprintf(buf, 24, "%.10s %.5s UTC", iso, iso + 11);
}

/* The answer to question q in words, into tmp (cleared first). */
static const char *answer_words(const ik_question *q, ik_audience aud,
                                ik_value v, ik_buf *tmp)
{
    ik_buf_clear(tmp);
    ik_answer_format(q, aud, v, tmp);
    return cstr(tmp);
}

/* SBAR: questions about the history go to Background, the rest (pain,
 * function, what was tried, mood) to Assessment. Packs carry no such tag
 * yet, so the id decides; documented in docs/EXPORT.md. */
static bool is_background(const char *id)
{
    static const char *const words[] = {
        "surgery", "surgeon", "operat", "history", "cancer", "osteopor",
        "fall",    "scan",    "exam",   "diagnos", "age",    NULL};
    int i;

    for (i = 0; words[i]; i++)
        if (strstr(id, words[i]))
            return true;
    return false;
}

typedef struct view {
    const ik_session *s;
    const ik_rulebook *rb;
    const ik_outcome *o;
    ik_audience aud;
    bool complete;
    ik_buf tmp;
} view;

static void list_answers(doc *d, view *v, int which)
{
    const ik_rulebook *rb = v->rb;
    uint32_t q;
    bool any = false;

    for (q = 0; q < rb->nquestions; q++) {
        const ik_question *qq = &rb->questions[q];
        ik_value val = v->o->slots[q];
        if (qq->type == IK_Q_INFO || val.kind == IK_UNDEF ||
            val.kind == IK_NULL)
            continue;
        if (which >= 0 && is_background(qq->id) != (which == 1))
            continue;
        doc_bullet(d, text_of(&qq->text, v->aud),
                   answer_words(qq, v->aud, val, &v->tmp));
        any = true;
    }
    if (any)
        doc_end_list(d);
    else
        doc_para(d, NULL, "(no answers)");
}

static void list_sections(doc *d, const view *v)
{
    uint32_t i;

    for (i = 0; i < v->o->sections.n; i++)
        doc_bullet(
            d, NULL,
            text_of(&v->rb->sections[v->o->sections.items[i]].title, v->aud));
    if (v->o->sections.n)
        doc_end_list(d);
}

static void list_notes(doc *d, const view *v)
{
    uint32_t i;
    bool any = false;

    for (i = 0; i < v->o->rules.n; i++) {
        const ik_rule *r = &v->rb->rules[v->o->rules.items[i]];
        const char *note = text_of(&r->note, v->aud);
        if (note[0] && ik_outcome_note_shown(v->rb, v->o, v->o->rules.items[i])) {
            doc_bullet(d, NULL, note);
            any = true;
        }
    }
    if (any)
        doc_end_list(d);
}

static void patient_page(doc *d, view *v)
{
    const ik_rulebook *rb = v->rb;
    const ik_disposition *disp = &rb->dispositions[v->o->disposition];
    char when[24], line[160];
    uint32_t i;

    doc_title(d, "What to do next");
    human_time(ik_session_updated(v->s), when);
    snprintf(line, sizeof line, "%s, %s.", rb->title, when);
    doc_para(d, NULL, line);
    if (!v->complete)
        doc_para(d, NULL,
                 "The questions were not all answered: this page is "
                 "based on the answers given so far.");
    doc_heading(d, text_of(&disp->label, v->aud));
    doc_para(d, v->o->disposition == 0 ? "Act now." : NULL,
             text_of(&disp->advice, v->aud));
    for (i = 0; i < v->o->red_flags.n; i++)
        doc_bullet(
            d, NULL,
            text_of(&rb->red_flags[v->o->red_flags.items[i]].message, v->aud));
    if (v->o->red_flags.n)
        doc_end_list(d);
    doc_heading(d, "Treatment to discuss");
    if (v->o->rung != IK_NONE) {
        const ik_rung *r = &rb->ladder[v->o->rung];
        const char *advice = text_of(&r->advice, v->aud);
        doc_para(d, text_of(&r->label, v->aud), NULL);
        doc_para(d, NULL,
                 advice[0] ? advice
                           : "Ask your care team whether this step is "
                             "right for you.");
    } else {
        doc_para(d, NULL,
                 "No step of treatment stands out from these "
                 "answers; talk about your plan at your next "
                 "visit.");
    }
    list_notes(d, v);
    doc_heading(d, "Your key answers");
    list_answers(d, v, -1);
    if (v->o->sections.n) {
        doc_heading(d, "Worth reading");
        list_sections(d, v);
    }
    doc_heading(d, "If things change");
    doc_para(d, NULL, text_of(&rb->safety_net, v->aud));
    doc_heading(d, "How to get help");
    doc_para(d, NULL, text_of(&rb->get_help, v->aud));
    doc_para(d, NULL, text_of(&rb->notice, v->aud));
}

static void nurse_handoff(doc *d, view *v)
{
    const ik_rulebook *rb = v->rb;
    const ik_disposition *disp = &rb->dispositions[v->o->disposition];
    const char *label = ik_session_label(v->s);
    char line[512], started[24], updated[24];
    uint32_t i;

    snprintf(line, sizeof line, "Hand-off (SBAR): %s",
             label && label[0] ? label : "patient");
    doc_title(d, line);
    human_time(ik_session_started(v->s), started);
    human_time(ik_session_updated(v->s), updated);
    snprintf(line, sizeof line, "%s (%s@%s). Started %s, updated %s; %s.",
             text_of(&rb->title_text, v->aud), rb->id, rb->version, started,
             updated, v->complete ? "complete" : "NOT complete");
    doc_para(d, NULL, line);
    doc_para(d, NULL, text_of(&rb->notice, v->aud));

    doc_heading(d, d->md ? "S: Situation" : "S - Situation");
    snprintf(line, sizeof line, "%s.", text_of(&disp->label, v->aud));
    doc_para(d, "Disposition:", line);
    doc_para(d, NULL, text_of(&disp->advice, v->aud));
    if (v->o->red_flags.n) {
        for (i = 0; i < v->o->red_flags.n; i++) {
            const ik_red_flag *f = &rb->red_flags[v->o->red_flags.items[i]];
            doc_bullet(d, f->id, text_of(&f->message, v->aud));
        }
        doc_end_list(d);
    } else {
        doc_para(d, "Red flags:", "none.");
    }
    doc_heading(d, d->md ? "B: Background" : "B - Background");
    list_answers(d, v, 1);
    doc_heading(d, d->md ? "A: Assessment" : "A - Assessment");
    list_answers(d, v, 0);
    doc_heading(d, d->md ? "R: Recommendation" : "R - Recommendation");
    doc_para(d, "Discuss:",
             v->o->rung != IK_NONE
                 ? text_of(&rb->ladder[v->o->rung].label, v->aud)
                 : "no ladder step indicated.");
    list_notes(d, v);
    if (v->o->sections.n) {
        doc_para(d, "Sections given:", NULL);
        list_sections(d, v);
    }
}

static ik_status export_words(const ik_session *s, const ik_interview *iv,
                              bool md, ik_buf *b)
{
    view v;
    doc d;
    ik_step step;

    v.s = s;
    v.rb = ik_interview_rulebook(iv);
    v.o = ik_interview_outcome(iv);
    v.aud = ik_session_get_audience(s);
    ik_interview_next(iv, &step);
    v.complete = step.kind == IK_STEP_OUTCOME;
    ik_buf_init(&v.tmp);
    d.b = b;
    d.md = md;
    if (v.aud == IK_AUD_NURSE)
        nurse_handoff(&d, &v);
    else
        patient_page(&d, &v);
    if (ik_buf_status(&v.tmp) != IK_OK)
        b->oom = true;
    ik_buf_fini(&v.tmp);
    /* one trailing newline, not two */
    if (b->len >= 2 && b->data[b->len - 1] == '\n' &&
        b->data[b->len - 2] == '\n')
        b->data[--b->len] = '\0';
    return IK_OK;
}

ik_status ik_export_session(const ik_session *s, const ik_interview *iv,
                            ik_export_format f, ik_buf *b, ik_error *err)
{
    ik_status st = IK_OK;

    switch (f) {
    case IK_EXPORT_JSON:
        st = export_json(s, iv, b, err);
        break;
    case IK_EXPORT_FHIR:
        st = export_fhir(s, iv, b);
        break;
    case IK_EXPORT_MARKDOWN:
    case IK_EXPORT_TEXT:
        st = export_words(s, iv, f == IK_EXPORT_MARKDOWN, b);
        break;
    case IK_EXPORT__COUNT:
        return ik_fail(err, IK_EMISUSE, "unknown export format");
    }
    if (st == IK_OK && ik_buf_status(b) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory exporting");
    return st;
}
