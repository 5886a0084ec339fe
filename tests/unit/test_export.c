/*
 * test_export.c -- session exports: outcome JSON with session metadata,
 * FHIR R4 QuestionnaireResponse and Questionnaire checked field by field
 * against the R4 structure (types, cardinalities, invariants que-12 and
 * the linkId/answer-type agreement between the two), and the patient page
 * and SBAR hand-off in Markdown and text.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "export.h"
#include "interview.h"
#include "json.h"
#include "rulebook.h"
#include "session.h"

#define PACK     IK_SOURCE_DIR "/tests/data/sessions/pack.json"
#define FBS_PACK IK_SOURCE_DIR "/rules/failed-back-syndrome.json"

static const int64_t T0 = 1795875125; /* 2026-11-28T14:12:05Z */

typedef struct fixture {
    ik_rulebook *rb;
    ik_interview *iv;
    ik_session *s;
} fixture;

static ik_rulebook *load_pack(const char *path)
{
    ik_rulebook *rb = NULL;
    ik_error err;

    ik_error_clear(&err);
    if (ik_rulebook_load_file(path, &rb, &err) != IK_OK)
        fail_msg("%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    return rb;
}

/* Answer the lines in turn (NULL ends), syncing the session after each. */
static void run(fixture *f, const char *pack, const char *aud,
                const char *label, const char *const *lines)
{
    ik_error err;
    int64_t t = T0;

    ik_error_clear(&err);
    f->rb = load_pack(pack);
    assert_int_equal(ik_interview_new(f->rb, aud, &f->iv, &err), IK_OK);
    assert_int_equal(ik_session_new(f->rb,
                                    strcmp(aud, "nurse") == 0 ? IK_AUD_NURSE
                                                              : IK_AUD_PATIENT,
                                    label, t, &f->s, &err),
                     IK_OK);
    for (; *lines; lines++) {
        ik_status st = strcmp(*lines, "<skip>") == 0
                           ? ik_interview_skip(f->iv, &err)
                           : ik_interview_answer(f->iv, *lines, strlen(*lines),
                                                 &err);
        if (st != IK_OK)
            fail_msg("answer '%s': %s", *lines, err.msg);
        assert_int_equal(ik_session_sync(f->s, f->iv, t += 7, &err), IK_OK);
    }
}

static void done(fixture *f)
{
    ik_interview_free(f->iv);
    ik_session_free(f->s);
    ik_rulebook_free(f->rb);
}

static char *export(const fixture *f, ik_export_format fmt)
{
    ik_buf b;
    ik_error err;
    char *out;

    ik_buf_init(&b);
    assert_int_equal(ik_export_session(f->s, f->iv, fmt, &b, &err), IK_OK);
    out = strdup(ik_buf_cstr(&b));
    ik_buf_fini(&b);
    return out;
}

static char *questionnaire(const ik_rulebook *rb)
{
    ik_buf b;
    ik_error err;
    char *out;

    ik_buf_init(&b);
    assert_int_equal(ik_export_questionnaire(rb, false, &b, &err), IK_OK);
    out = strdup(ik_buf_cstr(&b));
    ik_buf_fini(&b);
    return out;
}

/* Resource i of a Bundle */
static const cJSON *entry(const cJSON *bundle, int i)
{
    const cJSON *e;

    assert_string_equal(cJSON_GetObjectItemCaseSensitive(bundle,
                                                         "resourceType")
                            ->valuestring,
                        "Bundle");
    e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(bundle, "entry"),
                           i);
    assert_non_null(e);
    return cJSON_GetObjectItemCaseSensitive(e, "resource");
}

static void parse(const char *text, ik_json_doc *doc)
{
    ik_error err;

    ik_error_clear(&err);
    if (ik_json_parse(text, strlen(text), "export", 0, doc, &err) != IK_OK)
        fail_msg("not strict JSON: %d:%d %s\n%s", err.line, err.col, err.msg,
                 text);
}

static const char *str(const cJSON *obj, const char *key)
{
    const cJSON *n = ik_json_get(obj, key);

    return cJSON_IsString(n) ? n->valuestring : NULL;
}

static bool in_set(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

/* ---- FHIR R4 structure checks ---- */

static const char *const item_types[] = {
    "group",       "display",    "boolean",   "decimal",  "integer", "date",
    "dateTime",    "time",       "string",    "text",     "url",     "choice",
    "open-choice", "attachment", "reference", "quantity", NULL};

/* Only the keys R4 defines for Questionnaire.item that we may write. */
static const char *const item_keys[] = {
    "linkId",    "text",           "type",     "enableWhen", "enableBehavior",
    "required",  "repeats",        "readOnly", "maxLength",  "answerOption",
    "extension", "definition",     "code",     "prefix",     "item",
    "initial",   "answerValueSet", NULL};

static void check_coding(const cJSON *c)
{
    assert_true(cJSON_IsObject(c));
    assert_non_null(str(c, "system"));
    assert_non_null(str(c, "code"));
    assert_int_equal(strncmp(str(c, "system"), "urn:intake:codes:", 17), 0);
}

static bool is_answer_key(const char *k)
{
    return strncmp(k, "answer", 6) == 0 && k[6] >= 'A' && k[6] <= 'Z';
}

static void check_enable_when(const cJSON *ew, const cJSON *earlier)
{
    static const char *const ops[] = {"exists", "=",  "!=", ">",
                                      "<",      ">=", "<=", NULL};
    const cJSON *e, *m, *it;
    int nanswers;
    bool found;

    assert_true(cJSON_IsArray(ew));
    for (e = ew->child; e; e = e->next) {
        assert_true(in_set(str(e, "operator"), ops));
        assert_non_null(str(e, "question"));
        found = false;
        for (it = earlier; it; it = it->next)
            if (strcmp(str(it, "linkId"), str(e, "question")) == 0)
                found = true;
        assert_true(found); /* names an earlier item */
        nanswers = 0;
        for (m = e->child; m; m = m->next)
            if (is_answer_key(m->string))
                nanswers++;
        assert_int_equal(nanswers, 1); /* answer[x] is 1..1 */
    }
}

static void check_questionnaire_item(const cJSON *it, const cJSON *first)
{
    const cJSON *m, *ew = ik_json_get(it, "enableWhen");
    const char *type = str(it, "type");

    for (m = it->child; m; m = m->next)
        if (!in_set(m->string, item_keys))
            fail_msg("item %s: key %s is not R4", str(it, "linkId"), m->string);
    assert_non_null(str(it, "linkId"));
    assert_true(in_set(type, item_types));
    if (strcmp(type, "display") == 0) { /* que-6, que-9 */
        assert_null(ik_json_get(it, "required"));
        assert_null(ik_json_get(it, "repeats"));
        assert_null(ik_json_get(it, "answerOption"));
    }
    if (ik_json_get(it, "answerOption")) /* que-5 */
        assert_true(strcmp(type, "choice") == 0 ||
                    strcmp(type, "open-choice") == 0);
    if (strcmp(type, "choice") == 0) {
        const cJSON *o;
        assert_true(cJSON_IsArray(ik_json_get(it, "answerOption")));
        for (o = ik_json_get(it, "answerOption")->child; o; o = o->next)
            check_coding(ik_json_get(o, "valueCoding"));
    }
    if (ik_json_get(it, "maxLength")) /* que-10 */
        assert_true(strcmp(type, "string") == 0 || strcmp(type, "text") == 0);
    if (ew) {
        check_enable_when(ew, first);
        /* que-12: more than one enableWhen needs enableBehavior */
        if (cJSON_GetArraySize(ew) > 1)
            assert_true(in_set(str(it, "enableBehavior"),
                               (const char *const[]){"all", "any", NULL}));
    } else {
        assert_null(ik_json_get(it, "enableBehavior"));
    }
    if (ik_json_get(it, "extension")) {
        for (m = ik_json_get(it, "extension")->child; m; m = m->next)
            assert_non_null(str(m, "url"));
    }
}

static void check_questionnaire(const cJSON *q)
{
    static const char *const statuses[] = {"draft", "active", "retired",
                                           "unknown", NULL};
    const cJSON *it, *other;

    assert_string_equal(str(q, "resourceType"), "Questionnaire");
    assert_true(in_set(str(q, "status"), statuses));
    assert_non_null(str(q, "url"));
    assert_non_null(str(q, "version"));
    assert_true(cJSON_IsArray(ik_json_get(q, "item")));
    for (it = ik_json_get(q, "item")->child; it; it = it->next) {
        check_questionnaire_item(it, ik_json_get(q, "item")->child);
        for (other = it->next; other; other = other->next) /* que-2 */
            assert_string_not_equal(str(it, "linkId"), str(other, "linkId"));
    }
}

static const cJSON *find_item(const cJSON *q, const char *link)
{
    const cJSON *it;

    for (it = ik_json_get(q, "item")->child; it; it = it->next)
        if (strcmp(str(it, "linkId"), link) == 0)
            return it;
    return NULL;
}

/* Each response item's answers have the value[x] its question's type
 * requires, and codings are among its answer options. */
static void check_response_item(const cJSON *ri, const cJSON *qi)
{
    const char *type = str(qi, "type");
    const cJSON *a, *val;
    int n = 0;

    assert_non_null(qi);
    assert_true(cJSON_IsArray(ik_json_get(ri, "answer")));
    for (a = ik_json_get(ri, "answer")->child; a; a = a->next, n++) {
        assert_non_null(a->child);
        assert_null(a->child->next); /* value[x] is 0..1: exactly one here */
        val = a->child;
        if (strcmp(type, "boolean") == 0) {
            assert_string_equal(val->string, "valueBoolean");
            assert_true(cJSON_IsBool(val));
        } else if (strcmp(type, "integer") == 0) {
            assert_string_equal(val->string, "valueInteger");
            assert_true(val->valuedouble == floor(val->valuedouble));
        } else if (strcmp(type, "decimal") == 0) {
            assert_string_equal(val->string, "valueDecimal");
        } else if (strcmp(type, "string") == 0) {
            assert_string_equal(val->string, "valueString");
        } else if (strcmp(type, "choice") == 0) {
            const cJSON *o;
            bool found = false;
            assert_string_equal(val->string, "valueCoding");
            check_coding(val);
            for (o = ik_json_get(qi, "answerOption")->child; o; o = o->next)
                if (!strcmp(str(ik_json_get(o, "valueCoding"), "code"),
                            str(val, "code")) &&
                    !strcmp(str(ik_json_get(o, "valueCoding"), "system"),
                            str(val, "system")))
                    found = true;
            assert_true(found);
        } else {
            fail_msg("answer to a %s item", type);
        }
    }
    assert_true(n >= 1);
    if (n > 1)
        assert_true(cJSON_IsTrue(ik_json_get(qi, "repeats")));
}

static void check_response(const cJSON *qr, const cJSON *q)
{
    static const char *const statuses[] = {"in-progress", "completed",
                                           "amended",     "entered-in-error",
                                           "stopped",     NULL};
    char canonical[512];
    const cJSON *it;
    int64_t t;

    assert_string_equal(str(qr, "resourceType"), "QuestionnaireResponse");
    assert_true(in_set(str(qr, "status"), statuses));
    assert_true(ik_time_parse(str(qr, "authored"), &t));
    snprintf(canonical, sizeof canonical, "%s|%s", str(q, "url"),
             str(q, "version"));
    assert_string_equal(str(qr, "questionnaire"), canonical);
    for (it = ik_json_get(qr, "item")->child; it; it = it->next) {
        const cJSON *qi = find_item(q, str(it, "linkId"));
        if (!qi)
            fail_msg("linkId %s is not in the Questionnaire",
                     str(it, "linkId"));
        assert_string_equal(str(it, "text"), str(qi, "text"));
        check_response_item(it, qi);
    }
}

/* ---- Tests ---- */

static const char *const complete_answers[] = {
    "", "yes", "2", "no", "8", "medicines, physio", "it hurts \"a lot\"", NULL};

static void test_fhir_response_and_questionnaire_follow_r4(void **state)
{
    fixture f;
    ik_json_doc qd, rd;
    char *q, *r;
    const cJSON *it, *rr, *obs;

    (void)state;
    run(&f, PACK, "patient", NULL, complete_answers);
    q = questionnaire(f.rb);
    r = export(&f, IK_EXPORT_FHIR);
    parse(q, &qd);
    parse(r, &rd);
    check_questionnaire(qd.root);
    assert_string_equal(str(rd.root, "type"), "collection");
    obs = entry(rd.root, 1);
    rr = entry(rd.root, 0);
    check_response(rr, qd.root);
    assert_string_equal(str(rr, "status"), "completed");
    assert_string_equal(str(rr, "questionnaire"),
                        "urn:intake:questionnaire:session-test|1.0.0");
    assert_string_equal(str(rr, "authored"), "2026-11-28T14:12:54Z");
    assert_int_equal(cJSON_GetArraySize(ik_json_get(rr, "item")), 6);
    /* the triage result: an Observation derived from the response */
    assert_string_equal(str(obs, "resourceType"), "Observation");
    assert_string_equal(str(obs, "status"), "final");
    assert_string_equal(
        str(ik_json_get(ik_json_get(obs, "valueCodeableConcept"), "coding")
                ->child,
            "code"),
        "disposition:soon");
    assert_string_equal(
        str(ik_json_get(obs, "derivedFrom")->child, "reference"),
        str(ik_json_get(rd.root, "entry")->child, "fullUrl"));
    /* the notice (the pack's disclaimer: it declares no notice) is on the
     * result, after the disposition's advice, and on the form */
    assert_string_equal(str(ik_json_get(obs, "note")->child->next, "text"),
                        "Education, not a diagnosis.");
    assert_string_equal(str(qd.root, "description"),
                        "Education, not a diagnosis.");
    it = find_item(rr, "pain");
    assert_int_equal(
        ik_json_get(ik_json_get(it, "answer")->child, "valueInteger")
            ->valuedouble,
        8);
    it = find_item(rr, "tried");
    assert_int_equal(cJSON_GetArraySize(ik_json_get(it, "answer")), 2);
    it = find_item(rr, "had_surgery"); /* yes/no with don't know */
    assert_string_equal(
        str(ik_json_get(ik_json_get(it, "answer")->child, "valueCoding"),
            "code"),
        "yes");
    /* a simple comparison of an earlier answer became enableWhen */
    it = find_item(qd.root, "surgery_kind");
    assert_non_null(ik_json_get(it, "enableWhen"));
    assert_string_equal(
        str(ik_json_get(ik_json_get(it, "enableWhen")->child, "answerCoding"),
            "code"),
        "yes");
    it = find_item(qd.root, "pain");
    assert_string_equal(str(ik_json_get(it, "extension")->child, "url"),
                        "http://hl7.org/fhir/StructureDefinition/minValue");
    ik_json_doc_fini(&qd);
    ik_json_doc_fini(&rd);
    free(q);
    free(r);
    done(&f);
}

static void test_an_unfinished_session_is_in_progress(void **state)
{
    static const char *const some[] = {"", "no", NULL};
    fixture f;
    ik_json_doc qd, rd;
    char *q, *r;

    (void)state;
    run(&f, PACK, "patient", NULL, some);
    q = questionnaire(f.rb);
    r = export(&f, IK_EXPORT_FHIR);
    parse(q, &qd);
    parse(r, &rd);
    check_response(entry(rd.root, 0), qd.root);
    assert_string_equal(str(entry(rd.root, 0), "status"), "in-progress");
    assert_string_equal(str(entry(rd.root, 1), "status"), "preliminary");
    assert_int_equal(
        cJSON_GetArraySize(ik_json_get(entry(rd.root, 0), "item")), 1);
    ik_json_doc_fini(&qd);
    ik_json_doc_fini(&rd);
    free(q);
    free(r);
    done(&f);
}

/* A stop red flag ends the interview: the response is "stopped" (R4), not
 * "completed", and the Observation carries the red flag and its
 * disposition, coded in the pack's CodeSystem. */
static void test_a_stopped_interview_is_stopped_with_its_red_flag(void **s)
{
    static const char *const stop[] = {"", "no", "yes", NULL};
    fixture f;
    ik_json_doc rd;
    char *r;
    const cJSON *obs, *c;
    int flags = 0;

    (void)s;
    run(&f, PACK, "patient", NULL, stop);
    r = export(&f, IK_EXPORT_FHIR);
    parse(r, &rd);
    assert_string_equal(str(entry(rd.root, 0), "status"), "stopped");
    obs = entry(rd.root, 1);
    assert_string_equal(
        str(ik_json_get(ik_json_get(obs, "valueCodeableConcept"), "coding")
                ->child,
            "code"),
        "disposition:emergency");
    for (c = ik_json_get(obs, "component")->child; c; c = c->next) {
        const cJSON *v = ik_json_get(c, "valueCodeableConcept");
        if (v && strcmp(str(ik_json_get(v, "coding")->child, "code"),
                        "red-flag:cauda_equina") == 0)
            flags++;
    }
    assert_int_equal(flags, 1);
    ik_json_doc_fini(&rd);
    free(r);
    done(&f);
}

/* The bundled pack's conditions mostly read derived values: those become
 * SDC variables and enableWhenExpressions (FHIRPath), never a private
 * extension; the structure must still hold. */
static void test_bundled_pack_questionnaire_follows_r4(void **state)
{
    ik_rulebook *rb = load_pack(FBS_PACK);
    ik_json_doc qd;
    char *q = questionnaire(rb);
    const cJSON *it;
    int ext = 0, ew = 0, other = 0, vars = 0;
    const cJSON *e;

    (void)state;
    parse(q, &qd);
    check_questionnaire(qd.root);
    for (e = ik_json_get(qd.root, "extension")->child; e; e = e->next)
        vars += strcmp(str(e, "url"), "http://hl7.org/fhir/"
                                      "StructureDefinition/variable") == 0;
    for (it = ik_json_get(qd.root, "item")->child; it; it = it->next) {
        e = ik_json_get(it, "extension");
        ew += ik_json_get(it, "enableWhen") != NULL;
        for (e = e ? e->child : NULL; e; e = e->next) {
            if (strstr(str(e, "url"), "sdc-questionnaire-enableWhenExpression"))
                ext++;
            else if (!strstr(str(e, "url"), "Value"))
                other++;
        }
    }
    assert_true(ew > 0);
    assert_true(ext > 0);
    assert_true(vars > 0);
    assert_int_equal(other, 0); /* no private extension */
    ik_json_doc_fini(&qd);
    free(q);
    ik_rulebook_free(rb);
}

static void test_json_export_is_the_outcome_with_session_metadata(void **s)
{
    fixture f;
    ik_json_doc d;
    char *j, *outcome = NULL;
    const cJSON *sess;
    ik_error err;

    (void)s;
    run(&f, PACK, "nurse", "Bed 4", complete_answers);
    j = export(&f, IK_EXPORT_JSON);
    parse(j, &d);
    assert_string_equal(str(d.root, "rules"), "session-test@1.0.0");
    assert_true(cJSON_IsTrue(ik_json_get(d.root, "complete")));
    assert_string_equal(str(d.root, "disposition"), "soon");
    assert_string_equal(str(d.root, "ladder"), "interventional");
    /* the notice (the pack's disclaimer: it declares no notice) */
    assert_string_equal(str(d.root, "notice"), "Education, not a diagnosis.");
    sess = ik_json_get(d.root, "session");
    assert_string_equal(str(sess, "format"), "intake-session/1");
    assert_string_equal(str(sess, "label"), "Bed 4");
    assert_string_equal(str(sess, "audience"), "nurse");
    assert_int_equal(cJSON_GetArraySize(ik_json_get(sess, "history")), 7);
    /* the outcome part is exactly the interview's outcome */
    assert_int_equal(ik_interview_outcome_json(f.iv, &outcome, &err), IK_OK);
    assert_int_equal(strncmp(j, outcome, strlen(outcome) - 1), 0);
    ik_interview_free_string(outcome);
    ik_json_doc_fini(&d);
    free(j);
    done(&f);
}

static void assert_in_order(const char *text, const char *const *parts)
{
    const char *at = text;

    for (; *parts; parts++) {
        const char *p = strstr(at, *parts);
        if (!p)
            fail_msg("'%s' missing or out of order in:\n%s", *parts, text);
        at = p + strlen(*parts);
    }
}

static void assert_lines_fit(const char *text, size_t cols)
{
    size_t n = 0;

    for (; *text; text++) {
        if (*text == '\n') {
            n = 0;
            continue;
        }
        if (((unsigned char)*text & 0xc0) != 0x80 && ++n > cols)
            fail_msg("a line is longer than %zu columns", cols);
    }
}

static void test_patient_page_says_what_to_do_next(void **state)
{
    static const char *const md_order[] = {
        "# What to do next",
        "## Soon",
        "Book an appointment",
        "## Treatment to discuss",
        "**Injections**",
        "Pain is high",
        "## Your key answers",
        "- Pain from 0 to 10? 8 points",
        "- What have you tried? Medicines, Physiotherapy",
        "## Worth reading",
        "- What it is",
        "- Managing pain",
        "## If things change",
        "## How to get help",
        "call 999",
        "Education, not a diagnosis",
        NULL};
    static const char *const text_order[] = {
        "What to do next\n===============",
        "Soon\n----",
        "Treatment to discuss\n--------------------",
        "Injections",
        "  - Pain from 0 to 10? 8 points",
        "How to get help",
        NULL};
    fixture f;
    char *md, *text;

    (void)state;
    run(&f, PACK, "patient", NULL, complete_answers);
    md = export(&f, IK_EXPORT_MARKDOWN);
    text = export(&f, IK_EXPORT_TEXT);
    assert_in_order(md, md_order);
    assert_non_null(strstr(md, "it hurts \"a lot\""));
    assert_in_order(text, text_order);
    assert_null(strstr(text, "**"));
    assert_lines_fit(text, 72);
    assert_int_equal(md[strlen(md) - 1], '\n');
    assert_true(md[strlen(md) - 2] != '\n');
    free(md);
    free(text);
    done(&f);
}

static void test_nurse_handoff_is_in_sbar_order(void **state)
{
    static const char *const md_order[] = {"# Hand-off (SBAR): Bed 4",
                                           "complete.",
                                           "Education, not a diagnosis.",
                                           "## S: Situation",
                                           "**Disposition:** Soon.",
                                           "**Red flags:** none.",
                                           "## B: Background",
                                           "Have you had back surgery? yes",
                                           "## A: Assessment",
                                           "Pain from 0 to 10? 8 points",
                                           "## R: Recommendation",
                                           "**Discuss:** Injections",
                                           "Pain is high.",
                                           "**Sections given:**",
                                           "- What it is",
                                           NULL};
    static const char *const text_order[] = {"S - Situation", "B - Background",
                                             "A - Assessment",
                                             "R - Recommendation", NULL};
    fixture f;
    char *md, *text;
    const char *b, *a;

    (void)state;
    run(&f, PACK, "nurse", "Bed 4", complete_answers);
    md = export(&f, IK_EXPORT_MARKDOWN);
    text = export(&f, IK_EXPORT_TEXT);
    assert_in_order(md, md_order);
    /* background holds the surgery, assessment the pain */
    b = strstr(md, "## B: Background");
    a = strstr(md, "## A: Assessment");
    assert_true(strstr(md, "What kind?") > b && strstr(md, "What kind?") < a);
    assert_in_order(text, text_order);
    assert_lines_fit(text, 72);
    free(md);
    free(text);
    done(&f);
}

static void test_a_red_flag_leads_the_handoff_and_the_page(void **state)
{
    static const char *const stop[] = {"", "no", "yes", NULL};
    fixture f;
    char *md, *nurse;
    fixture g;

    (void)state;
    run(&f, PACK, "patient", NULL, stop);
    md = export(&f, IK_EXPORT_MARKDOWN);
    assert_in_order(md,
                    (const char *const[]){"## Emergency",
                                          "**Act now.** Call 999 now.", NULL});
    run(&g, PACK, "nurse", NULL, stop);
    nurse = export(&g, IK_EXPORT_TEXT);
    assert_in_order(
        nurse, (const char *const[]){"Hand-off (SBAR): patient",
                                     "S - Situation", "Disposition: Emergency.",
                                     "Cauda equina signs: Call 999 now.",
                                     NULL});
    assert_null(strstr(nurse, "cauda_equina"));
    free(md);
    free(nurse);
    done(&f);
    done(&g);
}

static void test_the_handoff_lists_skipped_and_not_sure_answers(void **state)
{
    static const char *const answers[] = {"",       "dk",     "no", "3",
                                          "<skip>", "<skip>", NULL};
    fixture f;
    char *md;

    (void)state;
    run(&f, PACK, "nurse", "Bed 9", answers);
    md = export(&f, IK_EXPORT_MARKDOWN);
    assert_in_order(md, (const char *const[]){
                            "complete.", "## A: Assessment",
                            "**Skipped:**", "- What have you tried?",
                            "- Anything else?", "**Not sure:**",
                            "- Have you had back surgery?", NULL});
    /* what is not known is listed once, apart: not also under B or A */
    assert_null(strstr(strstr(md, "Have you had back surgery?") + 1,
                       "Have you had back surgery?"));
    assert_null(strstr(md, "NOT complete"));
    free(md);
    done(&f);
}

static void test_markdown_escapes_what_people_typed(void **state)
{
    static const char *const typed[] = {
        "", "no", "no", "3", "none", "*bold* [link](x) <b>", NULL};
    fixture f;
    char *md;

    (void)state;
    run(&f, PACK, "patient", NULL, typed);
    md = export(&f, IK_EXPORT_MARKDOWN);
    assert_non_null(strstr(md, "\\*bold\\* \\[link\\](x) \\<b\\>"));
    free(md);
    done(&f);
}

/* The printable handout: one self-contained page (no script, no link,
 * nothing fetched), what to do first, the ladder with the chosen step
 * marked, the sections in full, the answers escaped, notice, date and pack
 * version. The rendering in a browser is scripts/interop.sh. */
static void test_html_handout_is_one_self_contained_page(void **state)
{
    static const char *const typed[] = {
        "", "no", "no", "3", "medicines, physio", "<b>&\"", NULL};
    fixture f;
    char *h;

    (void)state;
    run(&f, PACK, "patient", NULL, typed);
    h = export(&f, IK_EXPORT_HTML);
    assert_in_order(
        h, (const char *const[]){
               "<!DOCTYPE html>", "<style>", "What to do next",
               "Session test pack", "2026-11-28 14:12 UTC", "version 1.0.0",
               "<section class=\"todo\"", "<h2>Self care</h2>",
               "Keep to the plan.", "<ol class=\"ladder\">",
               "Step 1 of 2", "<h3>Conservative care</h3>",
               "<li class=\"here\" aria-current=\"step\">", "You are here",
               "<h3>Injections</h3>", "<h3>What it is</h3>", "An overview.",
               "Your answers", "Pain from 0 to 10?", "&lt;b&gt;&amp;&quot;",
               "If things change", "How to get help",
               "Education, not a diagnosis.", "</html>", NULL});
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "<link"));
    assert_null(strstr(h, "src="));
    assert_null(strstr(h, "url("));
    assert_null(strstr(h, "<b>"));
    free(h);
    done(&f);
}

static void test_exports_fail_cleanly_at_every_allocation(void **state)
{
    fixture f;
    int fmt;

    (void)state;
    run(&f, PACK, "nurse", "Bed 4", complete_answers);
    for (fmt = 0; fmt <= IK_EXPORT__COUNT + 1; fmt++) {
        long n;
        for (n = 1;; n++) {
            ik_buf b;
            ik_error err;
            ik_status st;
            ik_buf_init(&b);
            ik_alloc_fail_after(n);
            st = fmt >= IK_EXPORT__COUNT
                     ? ik_export_questionnaire(f.rb, fmt > IK_EXPORT__COUNT,
                                               &b, &err)
                     : ik_export_session(f.s, f.iv, (ik_export_format)fmt, &b,
                                         &err);
            ik_alloc_fail_after(0);
            ik_buf_fini(&b);
            if (st == IK_OK)
                break;
            assert_int_equal(st, IK_ENOMEM);
        }
        assert_true(n > 1); /* the loop injected failures */
    }
    done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fhir_response_and_questionnaire_follow_r4),
        cmocka_unit_test(test_an_unfinished_session_is_in_progress),
        cmocka_unit_test(test_a_stopped_interview_is_stopped_with_its_red_flag),
        cmocka_unit_test(test_bundled_pack_questionnaire_follows_r4),
        cmocka_unit_test(test_json_export_is_the_outcome_with_session_metadata),
        cmocka_unit_test(test_patient_page_says_what_to_do_next),
        cmocka_unit_test(test_nurse_handoff_is_in_sbar_order),
        cmocka_unit_test(test_a_red_flag_leads_the_handoff_and_the_page),
        cmocka_unit_test(test_the_handoff_lists_skipped_and_not_sure_answers),
        cmocka_unit_test(test_markdown_escapes_what_people_typed),
        cmocka_unit_test(test_html_handout_is_one_self_contained_page),
        cmocka_unit_test(test_exports_fail_cleanly_at_every_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
