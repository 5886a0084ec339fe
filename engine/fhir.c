/*
 * fhir.c -- a pack and a session as HL7 FHIR R4 resources: the
 * Questionnaire (SDC conditions in FHIRPath, see fhirpath.h), the pack's
 * CodeSystem and ValueSets, and for a session a Bundle holding the
 * QuestionnaireResponse and an Observation with the triage result.
 * Writers only: everything goes into the caller's ik_buf; no I/O.
 * Identifiers and codes are documented in docs/SESSIONS.md.
 */
#include "fhir.h"

#include "answer.h"
#include "fhirpath.h"
#include "json.h"
#include "logic.h"
#include "outcome.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SDC_EXT "http://hl7.org/fhir/StructureDefinition/"

/* ---- Small writers ---- */

static const char *cstr(ik_buf *b)
{
    const char *s = ik_buf_cstr(b);

    return s ? s : "";
}

static void put_str(ik_buf *b, const char *s)
{
    ik_buf_put_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

static void put_time(ik_buf *b, int64_t t)
{
    char tb[21];

    ik_time_format(t, tb);
    put_str(b, tb);
}

static const char *patient_text(const ik_text *t)
{
    return ik_text_get(t, IK_AUD_PATIENT);
}

static void put_number(ik_buf *b, double d)
{
    (void)ik_value_write_json(b, ik_num(d)); /* errors stay in b */
}

/* A canonical URL: base + pack id (+ "|version"). Pack ids match
 * [a-z][a-z0-9_-]*: nothing to escape. */
static void put_canonical(ik_buf *b, const char *base, const ik_rulebook *rb,
                          const char *tail, bool with_version)
{
    ik_buf_putc(b, '"');
    ik_buf_puts(b, base);
    ik_buf_puts(b, rb->id);
    if (tail)
        ik_buf_puts(b, tail);
    if (with_version) {
        ik_buf_putc(b, '|');
        ik_buf_puts(b, rb->version); /* digits and dots */
    }
    ik_buf_putc(b, '"');
}

static void put_coding_code(ik_buf *b, const ik_rulebook *rb, const char *code,
                            size_t n, const char *display)
{
    ik_buf_puts(b, "{\"system\":\"" IK_FHIR_CODES_BASE);
    ik_buf_puts(b, rb->id);
    ik_buf_puts(b, "\",\"code\":");
    ik_buf_put_json_string(b, code, n);
    if (display) {
        ik_buf_puts(b, ",\"display\":");
        put_str(b, display);
    }
    ik_buf_putc(b, '}');
}

static void put_coding(ik_buf *b, const ik_rulebook *rb, const char *code,
                       const char *display)
{
    put_coding_code(b, rb, code, strlen(code), display);
}

/* "<prefix>:<id>" for the result concepts: dispositions, red flags,
 * ladder steps, sections; ':' never appears in an answer code */
static void put_result_coding(ik_buf *b, const ik_rulebook *rb,
                              const char *prefix, const char *id,
                              const char *display)
{
    ik_buf code;

    ik_buf_init(&code);
    ik_buf_printf(&code, "%s:%s", prefix, id);
    put_coding_code(b, rb, cstr(&code), code.len, display);
    if (ik_buf_status(&code) != IK_OK)
        b->oom = true;
    ik_buf_fini(&code);
}

static void put_option_coding(ik_buf *b, const ik_rulebook *rb,
                              const ik_question *q, const ik_option *o)
{
    ik_buf code;

    ik_buf_init(&code);
    ik_fhir_option_code(&code, q, o->value, strlen(o->value));
    put_coding_code(b, rb, cstr(&code), code.len, patient_text(&o->label));
    if (ik_buf_status(&code) != IK_OK)
        b->oom = true;
    ik_buf_fini(&code);
}

static bool is_boolean_question(const ik_question *q)
{
    return q->type == IK_Q_YES_NO && !q->allow_unknown;
}

static const char *const yn_codes[3] = {IK_FHIR_CODE_YES, IK_FHIR_CODE_NO,
                                        IK_FHIR_CODE_UNKNOWN};
static const char *const yn_displays[3] = {"Yes", "No", "Don't know"};
#define NONE_DISPLAY "None of these"

static int yn_index(ik_value v)
{
    if (v.kind == IK_BOOL)
        return v.u.b ? 0 : 1;
    return 2;
}

static const ik_option *find_option(const ik_question *q, const char *value,
                                    size_t len)
{
    uint32_t i;

    for (i = 0; i < q->noptions; i++)
        if (strlen(q->options[i].value) == len &&
            memcmp(q->options[i].value, value, len) == 0)
            return &q->options[i];
    return NULL;
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

/* ---- QuestionnaireResponse ---- */

static void put_answer_value(ik_buf *b, const ik_rulebook *rb,
                             const ik_question *q, ik_value v)
{
    ik_buf_putc(b, '{');
    if (is_boolean_question(q)) {
        ik_buf_printf(b, "\"valueBoolean\":%s", v.u.b ? "true" : "false");
    } else if (q->type == IK_Q_YES_NO) {
        int i = yn_index(v);
        ik_buf_puts(b, "\"valueCoding\":");
        put_coding(b, rb, yn_codes[i], yn_displays[i]);
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
        const ik_option *o = find_option(q, v.u.str, v.len);
        ik_buf code;
        ik_buf_init(&code);
        ik_fhir_option_code(&code, q, v.u.str, v.len);
        ik_buf_puts(b, "\"valueCoding\":");
        put_coding_code(b, rb, cstr(&code), code.len,
                        o ? patient_text(&o->label) : NULL);
        if (ik_buf_status(&code) != IK_OK)
            b->oom = true;
        ik_buf_fini(&code);
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
    put_str(b, patient_text(&q->text));
    ik_buf_puts(b, ",\"answer\":[");
    if (q->type == IK_Q_MULTI && v.kind == IK_ARR) {
        for (i = 0; i < v.len; i++) {
            if (i)
                ik_buf_putc(b, ',');
            put_answer_value(b, rb, q, v.u.items[i]);
        }
        if (v.len == 0) { /* "none of these", an answer option of its own */
            ik_buf_puts(b, "{\"valueCoding\":");
            put_coding(b, rb, IK_FHIR_CODE_NONE, NONE_DISPLAY);
            ik_buf_putc(b, '}');
        }
    } else {
        put_answer_value(b, rb, q, v);
    }
    ik_buf_puts(b, "]}");
}

/* "completed", "in-progress" or "stopped" (a stop red flag, or the person
 * stopped at an alert) */
static const char *response_status(const ik_interview *iv)
{
    ik_step step;

    ik_interview_next(iv, &step);
    if (step.kind != IK_STEP_OUTCOME)
        return "in-progress";
    if (step.stop_flag != IK_NONE || step.ended_early)
        return "stopped";
    return "completed";
}

static void put_response(ik_buf *b, const ik_session *s,
                         const ik_interview *iv)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    const ik_outcome *o = ik_interview_outcome(iv);
    const char *label = ik_session_label(s);
    bool first = true;
    uint32_t q;

    ik_buf_puts(b, "{\"resourceType\":\"QuestionnaireResponse\","
                   "\"questionnaire\":");
    put_canonical(b, IK_FHIR_QUESTIONNAIRE_BASE, rb, NULL, true);
    ik_buf_printf(b, ",\"status\":\"%s\",", response_status(iv));
    if (label && label[0]) {
        ik_buf_puts(b, "\"subject\":{\"display\":");
        put_str(b, label);
        ik_buf_puts(b, "},");
    }
    ik_buf_puts(b, "\"authored\":");
    put_time(b, ik_session_updated(s));
    ik_buf_puts(b, ",\"item\":[");
    for (q = 0; q < rb->nquestions; q++) {
        ik_value v = o->slots[q];
        if (rb->questions[q].type == IK_Q_INFO || v.kind == IK_UNDEF ||
            v.kind == IK_NULL || (v.kind == IK_STR && v.len == 0))
            continue; /* FHIR has no empty string: "" is no answer */
        if (!first)
            ik_buf_putc(b, ',');
        first = false;
        put_response_item(b, rb, &rb->questions[q], v);
    }
    ik_buf_puts(b, "]}");
}

/* ---- The triage result: one Observation ---- */

static void put_component(ik_buf *b, const ik_rulebook *rb, const char *what,
                          const char *what_display, const char *prefix,
                          const char *id, const char *display)
{
    ik_buf_puts(b, ",{\"code\":{\"coding\":[");
    put_coding(b, rb, what, what_display);
    ik_buf_puts(b, "]},\"valueCodeableConcept\":{\"coding\":[");
    put_result_coding(b, rb, prefix, id, display);
    ik_buf_puts(b, "]}}");
}

static void put_observation(ik_buf *b, const ik_session *s,
                            const ik_interview *iv, const char *qr_url)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    const ik_outcome *o = ik_interview_outcome(iv);
    const ik_disposition *d = &rb->dispositions[o->disposition];
    const char *label = ik_session_label(s);
    const char *status = response_status(iv);
    uint32_t i;

    ik_buf_printf(b,
                  "{\"resourceType\":\"Observation\",\"status\":\"%s\","
                  "\"category\":[{\"coding\":[{\"system\":\"http://"
                  "terminology.hl7.org/CodeSystem/observation-category\","
                  "\"code\":\"survey\",\"display\":\"Survey\"}]}],"
                  "\"code\":{\"coding\":[",
                  strcmp(status, "in-progress") == 0 ? "preliminary"
                                                     : "final");
    put_coding(b, rb, "triage-result", "Triage result");
    ik_buf_puts(b, "],\"text\":\"Triage result\"},");
    if (label && label[0]) {
        ik_buf_puts(b, "\"subject\":{\"display\":");
        put_str(b, label);
        ik_buf_puts(b, "},");
    }
    ik_buf_puts(b, "\"effectiveDateTime\":");
    put_time(b, ik_session_updated(s));
    ik_buf_puts(b, ",\"issued\":");
    put_time(b, ik_session_updated(s));
    ik_buf_puts(b, ",\"valueCodeableConcept\":{\"coding\":[");
    put_result_coding(b, rb, "disposition", d->id, patient_text(&d->label));
    ik_buf_puts(b, "],\"text\":");
    put_str(b, patient_text(&d->label));
    ik_buf_puts(b, "},\"method\":{\"text\":");
    {
        char m[300];
        snprintf(m, sizeof m, "%s %s (%s)", rb->title, rb->version, rb->id);
        put_str(b, m);
    }
    ik_buf_puts(b, "},\"note\":[{\"text\":");
    put_str(b, patient_text(&d->advice));
    ik_buf_puts(b, "},{\"text\":"); /* education, not a diagnosis */
    put_str(b, patient_text(&rb->notice));
    ik_buf_puts(b, "}],\"derivedFrom\":[{\"reference\":");
    put_str(b, qr_url);
    ik_buf_puts(b, "}],\"component\":[");
    /* how the interview ended, then each red flag, the ladder step and
     * each section offered */
    ik_buf_puts(b, "{\"code\":{\"coding\":[");
    put_coding(b, rb, "interview-status", "Interview status");
    ik_buf_puts(b, "]},\"valueString\":");
    put_str(b, status);
    ik_buf_putc(b, '}');
    for (i = 0; i < o->red_flags.n; i++) {
        const ik_red_flag *f = &rb->red_flags[o->red_flags.items[i]];
        put_component(b, rb, "red-flag", "Red flag reported", "red-flag",
                      f->id, patient_text(&f->message));
    }
    if (o->rung != IK_NONE) {
        const ik_rung *r = &rb->ladder[o->rung];
        put_component(b, rb, "ladder-step", "Treatment step to discuss",
                      "ladder", r->id, patient_text(&r->label));
    }
    for (i = 0; i < o->sections.n; i++) {
        const ik_section *sc = &rb->sections[o->sections.items[i]];
        put_component(b, rb, "section", "Section offered", "section", sc->id,
                      patient_text(&sc->title));
    }
    ik_buf_puts(b, "]}");
}

/* A name-based UUID (RFC 9562 version 8) from FNV-1a 64 over the parts:
 * the same session gives the same ids, two sessions different ones. */
static void make_uuid(char out[46], const ik_session *s, const char *what)
{
    const char *parts[5];
    char started[21];
    uint64_t h[2] = {1469598103934665603ull, 0x84222325cbf29ce4ull};
    int i, k;

    ik_time_format(ik_session_started(s), started);
    parts[0] = ik_session_pack_id(s);
    parts[1] = ik_session_pack_hash(s);
    parts[2] = started;
    parts[3] = ik_session_label(s) ? ik_session_label(s) : "";
    parts[4] = what;
    for (k = 0; k < 2; k++)
        for (i = 0; i < 5; i++) {
            const unsigned char *p = (const unsigned char *)parts[i];
            for (; p && *p; p++)
                h[k] = (h[k] ^ *p) * 1099511628211ull;
            h[k] = (h[k] ^ 0xff) * 1099511628211ull;
        }
    h[0] = (h[0] & ~0xf000ull) | 0x8000ull;             /* version 8 */
    h[1] = (h[1] & ~(3ull << 62)) | (2ull << 62);         /* variant */
    snprintf(out, 46, "urn:uuid:%08x-%04x-%04x-%04x-%04x%08x",
             (unsigned)(h[0] >> 32), (unsigned)(h[0] >> 16) & 0xffff,
             (unsigned)h[0] & 0xffff, (unsigned)(h[1] >> 48) & 0xffff,
             (unsigned)(h[1] >> 32) & 0xffff, (unsigned)h[1]);
}

ik_status ik_fhir_session_bundle(const ik_session *s, const ik_interview *iv,
                                 ik_buf *b, ik_error *err)
{
    char qr[46], obs[46];

    make_uuid(qr, s, "QuestionnaireResponse");
    make_uuid(obs, s, "Observation");
    ik_buf_puts(b, "{\"resourceType\":\"Bundle\",\"type\":\"collection\","
                   "\"timestamp\":");
    put_time(b, ik_session_updated(s));
    ik_buf_puts(b, ",\"entry\":[{\"fullUrl\":");
    put_str(b, qr);
    ik_buf_puts(b, ",\"resource\":");
    put_response(b, s, iv);
    ik_buf_puts(b, "},{\"fullUrl\":");
    put_str(b, obs);
    ik_buf_puts(b, ",\"resource\":");
    put_observation(b, s, iv, qr);
    ik_buf_puts(b, "}]}\n");
    if (ik_buf_status(b) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory writing FHIR");
    return IK_OK;
}

/* ---- Questionnaire ---- */

/* One enableWhen entry: question q compared with a constant in R4's own
 * form, used where it means exactly what the JsonLogic means. */
typedef struct cond {
    uint32_t q;
    const char *op; /* = > < >= <= */
    ik_value cst;   /* the constant (yes_no choice: its code index) */
} cond;

enum { MAX_CONDS = 16 };

typedef struct conds {
    cond c[MAX_CONDS];
    int n;
    const ik_rulebook *rb;
    uint32_t before; /* only questions before this index */
} conds;

static uint32_t var_question(const conds *cs, ik_expr e)
{
    ik_logic_node n;

    /* a question's slot is its index (rulebook.h) */
    ik_logic_node_get(cs->rb->logic, e, &n);
    if (n.kind != IK_LN_VAR || n.nkids || n.slot >= cs->before ||
        cs->rb->questions[n.slot].slot != n.slot)
        return IK_NONE;
    return n.slot;
}

static bool add(conds *cs, uint32_t q, const char *op, ik_value c)
{
    if (cs->n >= MAX_CONDS)
        return false;
    cs->c[cs->n].q = q;
    cs->c[cs->n].op = op;
    cs->c[cs->n].cst = c;
    cs->n++;
    return true;
}

/* Does q == c mean exactly "q answered with c"? */
static bool eq_fits(const ik_question *q, ik_value c)
{
    switch (q->type) {
    case IK_Q_YES_NO:
        return c.kind == IK_BOOL ||
               (q->allow_unknown && c.kind == IK_STR && c.len == 7 &&
                memcmp(c.u.str, "unknown", 7) == 0);
    case IK_Q_CHOICE:
        return c.kind == IK_STR && find_option(q, c.u.str, c.len);
    case IK_Q_NUMBER:
        return c.kind == IK_NUM && isfinite(c.u.num) &&
               (!q->integer || c.u.num == floor(c.u.num));
    case IK_Q_TEXT:
        return c.kind == IK_STR;
    default:
        return false;
    }
}

/* One comparison that R4's enableWhen holds exactly (false when the
 * question is unanswered, as JsonLogic's comparison with null is). */
static bool simple(conds *cs, ik_expr e, bool top_or)
{
    const ik_logic *lg = cs->rb->logic;
    ik_logic_node n, kn;
    ik_expr l, r;
    uint32_t q, i;
    bool var_left;

    ik_logic_node_get(lg, e, &n);
    if ((q = var_question(cs, e)) != IK_NONE) /* a plain yes/no: yes */
        return is_boolean_question(&cs->rb->questions[q]) &&
               add(cs, q, "=", ik_bool(true));
    if (n.kind != IK_LN_OP || n.nkids != 2)
        return false;
    l = ik_logic_node_kid(lg, e, 0);
    r = ik_logic_node_kid(lg, e, 1);
    if (strcmp(n.op, "in") == 0) {
        ik_logic_node_get(lg, l, &kn);
        if ((q = var_question(cs, r)) != IK_NONE) {
            /* "value" in a multi answer: '=' matches any of its answers */
            const ik_question *qq = &cs->rb->questions[q];
            return qq->type == IK_Q_MULTI && kn.kind == IK_LN_CONST &&
                   kn.cst.kind == IK_STR &&
                   find_option(qq, kn.cst.u.str, kn.cst.len) &&
                   add(cs, q, "=", kn.cst);
        }
        /* a choice in a list of its options: one '=' each, any of them */
        if (!top_or || (q = var_question(cs, l)) == IK_NONE ||
            cs->rb->questions[q].type != IK_Q_CHOICE)
            return false;
        ik_logic_node_get(lg, r, &kn);
        if (kn.kind != IK_LN_CONST || kn.cst.kind != IK_ARR)
            return false;
        for (i = 0; i < kn.cst.len; i++)
            if (!eq_fits(&cs->rb->questions[q], kn.cst.u.items[i]) ||
                !add(cs, q, "=", kn.cst.u.items[i]))
                return false;
        return kn.cst.len > 0;
    }
    var_left = (q = var_question(cs, l)) != IK_NONE;
    if (!var_left && (q = var_question(cs, r)) == IK_NONE)
        return false;
    ik_logic_node_get(lg, var_left ? r : l, &kn);
    if (kn.kind != IK_LN_CONST)
        return false;
    if (strcmp(n.op, "==") == 0 || strcmp(n.op, "===") == 0)
        return eq_fits(&cs->rb->questions[q], kn.cst) &&
               add(cs, q, "=", kn.cst);
    {
        /* order: only where an unanswered question (JavaScript: 0) does
         * not satisfy it, since enableWhen is then false */
        static const char *const ops[4][3] = {
            {"<", "<", ">"}, {"<=", "<=", ">="}, {">", ">", "<"},
            {">=", ">=", "<="}};
        const ik_question *qq = &cs->rb->questions[q];
        ik_value zero = ik_num(0);
        for (i = 0; i < 4; i++) {
            bool holds;
            if (strcmp(n.op, ops[i][0]) != 0)
                continue;
            if (qq->type != IK_Q_NUMBER || !eq_fits(qq, kn.cst))
                return false;
            holds = var_left ? ik_value_less(ops[i][0][0] == '<' ? zero : kn.cst,
                                             ops[i][0][0] == '<' ? kn.cst : zero,
                                             ops[i][0][1] == '=')
                             : ik_value_less(ops[i][0][0] == '<' ? kn.cst : zero,
                                             ops[i][0][0] == '<' ? zero : kn.cst,
                                             ops[i][0][1] == '=');
            return !holds && add(cs, q, ops[i][var_left ? 1 : 2], kn.cst);
        }
    }
    return false;
}

/* The whole condition as enableWhen entries; *behavior "all" or "any". */
static bool analyse(conds *cs, ik_expr e, const char **behavior)
{
    const ik_logic *lg = cs->rb->logic;
    ik_logic_node n;
    uint32_t i;
    bool is_and, is_or;

    *behavior = "any";
    ik_logic_node_get(lg, e, &n);
    is_and = n.kind == IK_LN_OP && strcmp(n.op, "and") == 0;
    is_or = n.kind == IK_LN_OP && strcmp(n.op, "or") == 0;
    if (!is_and && !is_or)
        return simple(cs, e, true);
    if (n.nkids == 0)
        return false;
    for (i = 0; i < n.nkids; i++)
        if (!simple(cs, ik_logic_node_kid(lg, e, i), is_or))
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
                      c->cst.u.b ? "true" : "false");
    } else if (q->type == IK_Q_YES_NO) {
        int i = yn_index(c->cst);
        ik_buf_puts(b, ",\"answerCoding\":");
        put_coding(b, rb, yn_codes[i], yn_displays[i]);
    } else if (q->type == IK_Q_CHOICE || q->type == IK_Q_MULTI) {
        ik_buf_puts(b, ",\"answerCoding\":");
        put_option_coding(b, rb, q, find_option(q, c->cst.u.str, c->cst.len));
    } else if (q->type == IK_Q_NUMBER) {
        ik_buf_puts(b,
                    q->integer ? ",\"answerInteger\":" : ",\"answerDecimal\":");
        put_number(b, c->cst.u.num);
    } else {
        ik_buf_puts(b, ",\"answerString\":");
        ik_buf_put_json_string(b, c->cst.u.str, c->cst.len);
    }
    ik_buf_putc(b, '}');
}

/* enableWhen (+ enableBehavior) when R4's form says exactly what the
 * condition says, else an SDC enableWhenExpression */
static ik_status put_condition(ik_buf *b, const ik_rulebook *rb,
                               ik_fhirpath *fp, uint32_t qi, ik_buf *expr,
                               ik_error *err)
{
    const ik_question *q = &rb->questions[qi];
    conds cs;
    const char *behavior;
    ik_value cv;
    ik_status st;
    int i;

    ik_buf_clear(expr);
    if (q->enable_when == IK_NO_EXPR ||
        (ik_logic_is_const(rb->logic, q->enable_when, &cv) &&
         ik_value_truthy(cv)))
        return IK_OK;
    memset(&cs, 0, sizeof cs);
    cs.rb = rb;
    cs.before = qi;
    if (analyse(&cs, q->enable_when, &behavior)) {
        ik_buf_puts(b, ",\"enableWhen\":[");
        for (i = 0; i < cs.n; i++) {
            if (i)
                ik_buf_putc(b, ',');
            put_cond(b, rb, &cs.c[i]);
        }
        ik_buf_putc(b, ']');
        if (cs.n > 1)
            ik_buf_printf(b, ",\"enableBehavior\":\"%s\"", behavior);
        return IK_OK;
    }
    st = ik_fhirpath_condition(fp, q->enable_when, expr, err);
    if (st == IK_ELOGIC) {
        char why[sizeof err->msg];
        size_t off = ik_logic_src(rb->logic, q->enable_when);
        memcpy(why, err->msg, sizeof why);
        ik_fail(err, IK_ELOGIC,
                "question '%s': its enable_when cannot be written as "
                "FHIRPath for FHIR form renderers: %s",
                q->id, why);
        snprintf(err->file, sizeof err->file, "%s", rb->file);
        snprintf(err->path, sizeof err->path, "/questions/%u/enable_when", qi);
        if (off != SIZE_MAX && off <= rb->len)
            ik_json_linecol(rb->text, rb->len, off, &err->line, &err->col);
    }
    return st;
}

static void put_bound(ik_buf *b, const ik_question *q, const char *which,
                      double v)
{
    ik_buf_printf(b, "{\"url\":\"" SDC_EXT "%s\",\"value%s\":", which,
                  q->integer ? "Integer" : "Decimal");
    put_number(b, v);
    ik_buf_putc(b, '}');
}

static void put_options(ik_buf *b, const ik_rulebook *rb, const ik_question *q)
{
    uint32_t i;

    ik_buf_puts(b, ",\"answerOption\":[");
    if (q->type == IK_Q_YES_NO) {
        for (i = 0; i < 3; i++) {
            ik_buf_puts(b, i ? ",{\"valueCoding\":" : "{\"valueCoding\":");
            put_coding(b, rb, yn_codes[i], yn_displays[i]);
            ik_buf_putc(b, '}');
        }
    }
    for (i = 0; q->type != IK_Q_YES_NO && i < q->noptions; i++) {
        ik_buf_puts(b, i ? ",{\"valueCoding\":" : "{\"valueCoding\":");
        put_option_coding(b, rb, q, &q->options[i]);
        ik_buf_putc(b, '}');
    }
    if (q->type == IK_Q_MULTI && q->allow_none) {
        /* ticking it clears the others, and the others clear it */
        ik_buf_puts(b, ",{\"extension\":[{\"url\":\"" SDC_EXT
                       "questionnaire-optionExclusive\",\"valueBoolean\":"
                       "true}],\"valueCoding\":");
        put_coding(b, rb, IK_FHIR_CODE_NONE, NONE_DISPLAY);
        ik_buf_putc(b, '}');
    }
    ik_buf_putc(b, ']');
}

static void put_extensions(ik_buf *b, const ik_question *q, ik_buf *expr)
{
    bool has_min = q->type == IK_Q_NUMBER && isfinite(q->min);
    bool has_max = q->type == IK_Q_NUMBER && isfinite(q->max);
    bool any = false;

    if (!expr->len && !has_min && !has_max)
        return;
    ik_buf_puts(b, ",\"extension\":[");
    if (expr->len) {
        ik_buf_puts(b, "{\"url\":\"http://hl7.org/fhir/uv/sdc/"
                       "StructureDefinition/sdc-questionnaire-"
                       "enableWhenExpression\",\"valueExpression\":{"
                       "\"language\":\"text/fhirpath\",\"expression\":");
        put_str(b, cstr(expr));
        ik_buf_puts(b, "}}");
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
                                   ik_fhirpath *fp, uint32_t qi, ik_buf *expr,
                                   ik_error *err)
{
    const ik_question *q = &rb->questions[qi];
    ik_status st;

    ik_buf_puts(b, "{\"linkId\":");
    put_str(b, q->id);
    ik_buf_puts(b, ",\"text\":");
    put_str(b, patient_text(&q->text));
    ik_buf_printf(b, ",\"type\":\"%s\"", fhir_type(q));
    if ((st = put_condition(b, rb, fp, qi, expr, err)) != IK_OK)
        return st;
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
    put_extensions(b, q, expr);
    ik_buf_putc(b, '}');
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

/* url, version, name, title, status: common to the pack's resources */
static void put_metadata(ik_buf *b, const ik_rulebook *rb, const char *base,
                         const char *tail, const char *name_suffix)
{
    ik_buf name;

    ik_buf_puts(b, ",\"url\":");
    put_canonical(b, base, rb, tail, false);
    ik_buf_puts(b, ",\"version\":");
    put_str(b, rb->version);
    ik_buf_init(&name);
    ik_buf_printf(&name, "%s%s", rb->id, name_suffix);
    ik_buf_puts(b, ",\"name\":");
    put_name(b, cstr(&name));
    if (ik_buf_status(&name) != IK_OK)
        b->oom = true;
    ik_buf_fini(&name);
    ik_buf_puts(b, ",\"title\":");
    put_str(b, rb->title);
    ik_buf_puts(b, ",\"status\":\"active\"");
}

static ik_status put_questionnaire(const ik_rulebook *rb, ik_buf *b,
                                   ik_error *err)
{
    ik_fhirpath *fp = NULL;
    ik_buf items, expr;
    uint32_t q, i;
    ik_status st;

    if ((st = ik_fhirpath_new(rb, &fp, err)) != IK_OK)
        return st;
    /* the items first: their conditions say which derived values the
     * variables must define */
    ik_buf_init(&items);
    ik_buf_init(&expr);
    for (q = 0; q < rb->nquestions && st == IK_OK; q++) {
        if (q)
            ik_buf_putc(&items, ',');
        st = put_question_item(&items, rb, fp, q, &expr, err);
    }
    if (st == IK_OK) {
        ik_buf_puts(b, "{\"resourceType\":\"Questionnaire\"");
        if (rb->language) {
            ik_buf_puts(b, ",\"language\":");
            put_str(b, rb->language);
        }
        if (ik_fhirpath_nneeded(fp)) {
            ik_buf_puts(b, ",\"extension\":[");
            for (i = 0; i < ik_fhirpath_nneeded(fp); i++) {
                const char *x;
                uint32_t d = ik_fhirpath_needed(fp, i, &x);
                if (i)
                    ik_buf_putc(b, ',');
                ik_buf_puts(b, "{\"url\":\"" SDC_EXT
                               "variable\",\"valueExpression\":{\"name\":\"");
                ik_fhirpath_var_name(b, rb->derived[d].id); /* [a-z0-9-] */
                ik_buf_putc(b, '"');
                ik_buf_puts(b, ",\"language\":\"text/fhirpath\","
                               "\"expression\":");
                put_str(b, x);
                ik_buf_puts(b, "}}");
            }
            ik_buf_putc(b, ']');
        }
        put_metadata(b, rb, IK_FHIR_QUESTIONNAIRE_BASE, NULL, "");
        ik_buf_puts(b, ",\"description\":"); /* not a diagnosis */
        put_str(b, patient_text(&rb->notice));
        ik_buf_puts(b, ",\"subjectType\":[\"Patient\"],\"item\":[");
        ik_buf_put(b, cstr(&items), items.len);
        ik_buf_puts(b, "]}");
        if (ik_buf_status(&items) != IK_OK)
            b->oom = true;
    }
    ik_buf_fini(&items);
    ik_buf_fini(&expr);
    ik_fhirpath_free(fp);
    return st;
}

ik_status ik_fhir_questionnaire(const ik_rulebook *rb, ik_buf *b,
                                ik_error *err)
{
    ik_status st = put_questionnaire(rb, b, err);

    if (st != IK_OK)
        return st;
    ik_buf_putc(b, '\n');
    if (ik_buf_status(b) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory writing FHIR");
    return IK_OK;
}

/* ---- CodeSystem and ValueSets ---- */

static void put_concept(ik_buf *b, bool *first, const char *code,
                        const char *display)
{
    if (!*first)
        ik_buf_putc(b, ',');
    *first = false;
    ik_buf_puts(b, "{\"code\":");
    put_str(b, code);
    ik_buf_puts(b, ",\"display\":");
    put_str(b, display);
    ik_buf_putc(b, '}');
}

static void put_codesystem(const ik_rulebook *rb, ik_buf *b)
{
    ik_buf code;
    uint32_t q, i;
    bool first = true;
    static const char *const fixed[][2] = {
        {"triage-result", "Triage result"},
        {"interview-status", "Interview status"},
        {"red-flag", "Red flag reported"},
        {"ladder-step", "Treatment step to discuss"},
        {"section", "Section offered"},
        {IK_FHIR_CODE_YES, "Yes"},
        {IK_FHIR_CODE_NO, "No"},
        {IK_FHIR_CODE_UNKNOWN, "Don't know"},
        {IK_FHIR_CODE_NONE, NONE_DISPLAY}};

    ik_buf_init(&code);
    ik_buf_puts(b, "{\"resourceType\":\"CodeSystem\"");
    put_metadata(b, rb, IK_FHIR_CODES_BASE, NULL, "_codes");
    ik_buf_puts(b, ",\"caseSensitive\":true,\"content\":\"complete\","
                   "\"concept\":[");
    for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        put_concept(b, &first, fixed[i][0], fixed[i][1]);
    for (q = 0; q < rb->nquestions; q++) {
        const ik_question *qq = &rb->questions[q];
        if (qq->type != IK_Q_CHOICE && qq->type != IK_Q_MULTI)
            continue;
        for (i = 0; i < qq->noptions; i++) {
            ik_buf_clear(&code);
            ik_fhir_option_code(&code, qq, qq->options[i].value,
                                strlen(qq->options[i].value));
            put_concept(b, &first, cstr(&code),
                        patient_text(&qq->options[i].label));
        }
    }
#define RESULT_CONCEPTS(arr, n, prefix, field)                                 \
    for (i = 0; i < (n); i++) {                                                \
        ik_buf_clear(&code);                                                   \
        ik_buf_printf(&code, "%s:%s", prefix, (arr)[i].id);                    \
        put_concept(b, &first, cstr(&code), patient_text(&(arr)[i].field));    \
    }
    RESULT_CONCEPTS(rb->dispositions, rb->ndispositions, "disposition", label)
    RESULT_CONCEPTS(rb->red_flags, rb->nred_flags, "red-flag", message)
    RESULT_CONCEPTS(rb->ladder, rb->nladder, "ladder", label)
    RESULT_CONCEPTS(rb->sections, rb->nsections, "section", title)
#undef RESULT_CONCEPTS
    ik_buf_puts(b, "]}");
    if (ik_buf_status(&code) != IK_OK)
        b->oom = true;
    ik_buf_fini(&code);
}

static void put_valueset(const ik_rulebook *rb, const ik_question *q,
                         ik_buf *b)
{
    ik_buf tail;
    uint32_t i;
    bool first = true;

    ik_buf_init(&tail);
    ik_buf_printf(&tail, ":%s", q->id);
    ik_buf_puts(b, "{\"resourceType\":\"ValueSet\"");
    put_metadata(b, rb, IK_FHIR_VALUESET_BASE, cstr(&tail), "");
    ik_buf_puts(b, ",\"description\":");
    put_str(b, patient_text(&q->text));
    ik_buf_puts(b, ",\"compose\":{\"include\":[{\"system\":");
    put_canonical(b, IK_FHIR_CODES_BASE, rb, NULL, false);
    ik_buf_puts(b, ",\"concept\":[");
    if (q->type == IK_Q_YES_NO) {
        for (i = 0; i < 3; i++)
            put_concept(b, &first, yn_codes[i], yn_displays[i]);
    }
    for (i = 0; q->type != IK_Q_YES_NO && i < q->noptions; i++) {
        ik_buf_clear(&tail);
        ik_fhir_option_code(&tail, q, q->options[i].value,
                            strlen(q->options[i].value));
        put_concept(b, &first, cstr(&tail),
                    patient_text(&q->options[i].label));
    }
    if (q->type == IK_Q_MULTI && q->allow_none)
        put_concept(b, &first, IK_FHIR_CODE_NONE, NONE_DISPLAY);
    ik_buf_puts(b, "]}]}}");
    if (ik_buf_status(&tail) != IK_OK)
        b->oom = true;
    ik_buf_fini(&tail);
}

ik_status ik_fhir_pack_bundle(const ik_rulebook *rb, ik_buf *b, ik_error *err)
{
    uint32_t q;
    ik_status st;

    ik_buf_puts(b, "{\"resourceType\":\"Bundle\",\"type\":\"collection\","
                   "\"entry\":[{\"fullUrl\":");
    put_canonical(b, IK_FHIR_QUESTIONNAIRE_BASE, rb, NULL, false);
    ik_buf_puts(b, ",\"resource\":");
    if ((st = put_questionnaire(rb, b, err)) != IK_OK)
        return st;
    ik_buf_puts(b, "},{\"fullUrl\":");
    put_canonical(b, IK_FHIR_CODES_BASE, rb, NULL, false);
    ik_buf_puts(b, ",\"resource\":");
    put_codesystem(rb, b);
    ik_buf_putc(b, '}');
    for (q = 0; q < rb->nquestions; q++) {
        const ik_question *qq = &rb->questions[q];
        if (qq->type != IK_Q_CHOICE && qq->type != IK_Q_MULTI &&
            !(qq->type == IK_Q_YES_NO && qq->allow_unknown))
            continue;
        ik_buf_puts(b, ",{\"fullUrl\":\"" IK_FHIR_VALUESET_BASE);
        ik_buf_printf(b, "%s:%s\",\"resource\":", rb->id, qq->id);
        put_valueset(rb, qq, b);
        ik_buf_putc(b, '}');
    }
    ik_buf_puts(b, "]}\n");
    if (ik_buf_status(b) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory writing FHIR");
    return IK_OK;
}
