/*
 * export.c -- write a session as outcome JSON, FHIR R4 resources, Markdown
 * or plain text, and a pack as a FHIR Questionnaire. Writers only: text
 * goes into the caller's ik_buf; no I/O, no decisions about the outcome
 * (that comes from the interview).
 */
#include "export.h"

#include "fhir.h"
#include "handout.h"

#include "answer.h"
#include "json.h"
#include "logic.h"
#include "outcome.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const format_names[IK_EXPORT__COUNT] = {
    "json", "fhir", "markdown", "text", "html"};

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
        if (which >= 0 && qq->background != (which == 1))
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

/* The questions asked and skipped, or answered "not sure", by their text:
 * a hand-off says what is not known. */
static void list_unknowns(doc *d, view *v)
{
    const ik_rulebook *rb = v->rb;
    int pass;
    uint32_t q;

    for (pass = 0; pass < 2; pass++) {
        bool any = false;
        for (q = 0; q < rb->nquestions; q++) {
            const ik_question *qq = &rb->questions[q];
            ik_value val = v->o->slots[q];
            bool hit = pass == 0 ? val.kind == IK_NULL
                                 : val.kind == IK_STR && qq->type == IK_Q_YES_NO;
            if (qq->type == IK_Q_INFO || !v->o->enabled[q] || !hit)
                continue;
            if (!any)
                doc_para(d, pass == 0 ? "Skipped:" : "Not sure:", NULL);
            any = true;
            doc_bullet(d, NULL, text_of(&qq->text, v->aud));
        }
        if (any)
            doc_end_list(d);
    }
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
    doc_para(d, disp->alarm ? "Act now." : NULL,
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
            const char *name = text_of(&f->label, v->aud);
            doc_bullet(d, name[0] ? name : NULL, text_of(&f->message, v->aud));
        }
        doc_end_list(d);
    } else {
        doc_para(d, "Red flags:", "none.");
    }
    doc_heading(d, d->md ? "B: Background" : "B - Background");
    list_answers(d, v, 1);
    doc_heading(d, d->md ? "A: Assessment" : "A - Assessment");
    list_answers(d, v, 0);
    list_unknowns(d, v);
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
    v.complete = v.o->complete; /* as the JSON says */
    (void)step;
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
        st = ik_fhir_session_bundle(s, iv, b, err);
        break;
    case IK_EXPORT_HTML:
        st = ik_handout_html(s, iv, b, err);
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

ik_status ik_export_questionnaire(const ik_rulebook *rb, bool codes, ik_buf *b,
                                  ik_error *err)
{
    return codes ? ik_fhir_pack_bundle(rb, b, err)
                 : ik_fhir_questionnaire(rb, b, err);
}
