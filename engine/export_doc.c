/*
 * export_doc.c -- a session as a document for a person, in Markdown or
 * plain text wrapped to 72 columns: a one-page "what to do next" for a
 * patient, an SBAR hand-off for a nurse. Walks the outcome's view
 * (view.c); writer only: text goes into the caller's ik_buf, no I/O.
 */
#include "export.h"

#include "intake/view.h"

#include <stdio.h>
#include <string.h>

/* The buffer's text, or "" once it ran out of memory (the caller's final
 * ik_buf_status check reports that). */
static const char *cstr(ik_buf *b)
{
    const char *s = ik_buf_cstr(b);

    return s ? s : "";
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

/* The answers given (skipped ones left out): all of them
 * (IK_VIEW_GROUP__COUNT), or those of one hand-off group. */
static void list_answers(doc *d, const ik_view *v, ik_view_group which)
{
    uint32_t i;
    bool any = false;

    for (i = 0; i < v->nanswers; i++) {
        const ik_view_answer *a = &v->answers[i];
        if (which == IK_VIEW_GROUP__COUNT ? a->group == IK_VIEW_SKIPPED
                                          : a->group != which)
            continue;
        doc_bullet(d, a->question, a->answer);
        any = true;
    }
    if (any)
        doc_end_list(d);
    else
        doc_para(d, NULL, "(no answers)");
}

/* The questions asked and skipped, or answered "not sure", by their text:
 * a hand-off says what is not known. */
static void list_unknowns(doc *d, const ik_view *v)
{
    ik_view_group g;
    uint32_t i;

    for (g = IK_VIEW_SKIPPED; g <= IK_VIEW_UNSURE; g++) {
        bool any = false;
        for (i = 0; i < v->nanswers; i++) {
            const ik_view_answer *a = &v->answers[i];
            if (a->group != g)
                continue;
            if (!any)
                doc_para(d,
                         g == IK_VIEW_SKIPPED ? "Skipped:" : "Not sure:", NULL);
            any = true;
            doc_bullet(d, NULL, a->question);
        }
        if (any)
            doc_end_list(d);
    }
}

static void list_sections(doc *d, const ik_view *v)
{
    uint32_t i;

    for (i = 0; i < v->nsections; i++)
        doc_bullet(d, NULL, v->sections[i].title);
    if (v->nsections)
        doc_end_list(d);
}

static void list_notes(doc *d, const ik_view *v)
{
    uint32_t i;

    for (i = 0; i < v->nnotes; i++)
        doc_bullet(d, NULL, v->notes[i]);
    if (v->nnotes)
        doc_end_list(d);
}

static void patient_page(doc *d, const ik_session *s, const ik_view *v)
{
    char when[24], line[160];
    uint32_t i;

    doc_title(d, "What to do next");
    human_time(ik_session_updated(s), when);
    snprintf(line, sizeof line, "%s, %s.", v->pack_name, when);
    doc_para(d, NULL, line);
    if (!v->complete)
        doc_para(d, NULL,
                 "The questions were not all answered: this page is "
                 "based on the answers given so far.");
    doc_heading(d, v->headline);
    doc_para(d, v->alarm ? "Act now." : NULL, v->advice);
    for (i = 0; i < v->nred_flags; i++)
        doc_bullet(d, NULL, v->red_flags[i].text);
    if (v->nred_flags)
        doc_end_list(d);
    doc_heading(d, "Treatment to discuss");
    if (v->rung != IK_NONE) {
        const ik_view_text *r = &v->ladder[v->rung];
        doc_para(d, r->title, NULL);
        doc_para(d, NULL,
                 r->text[0] ? r->text
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
    list_answers(d, v, IK_VIEW_GROUP__COUNT);
    if (v->nsections) {
        doc_heading(d, "Worth reading");
        list_sections(d, v);
    }
    doc_heading(d, "If things change");
    doc_para(d, NULL, v->safety_net);
    doc_heading(d, "How to get help");
    doc_para(d, NULL, v->get_help);
    doc_para(d, NULL, v->notice);
}

static void nurse_handoff(doc *d, const ik_session *s, const ik_view *v)
{
    const char *label = ik_session_label(s);
    char line[512], started[24], updated[24];
    uint32_t i;

    snprintf(line, sizeof line, "Hand-off (SBAR): %s",
             label && label[0] ? label : "patient");
    doc_title(d, line);
    human_time(ik_session_started(s), started);
    human_time(ik_session_updated(s), updated);
    snprintf(line, sizeof line, "%s (%s@%s). Started %s, updated %s; %s.",
             v->pack_title, v->pack_id, v->pack_version, started, updated,
             v->complete ? "complete" : "NOT complete");
    doc_para(d, NULL, line);
    doc_para(d, NULL, v->notice);

    doc_heading(d, d->md ? "S: Situation" : "S - Situation");
    snprintf(line, sizeof line, "%s.", v->headline);
    doc_para(d, "Disposition:", line);
    doc_para(d, NULL, v->advice);
    if (v->nred_flags) {
        for (i = 0; i < v->nred_flags; i++) {
            const ik_view_text *f = &v->red_flags[i];
            doc_bullet(d, f->title[0] ? f->title : NULL, f->text);
        }
        doc_end_list(d);
    } else {
        doc_para(d, "Red flags:", "none.");
    }
    doc_heading(d, d->md ? "B: Background" : "B - Background");
    list_answers(d, v, IK_VIEW_BACKGROUND);
    doc_heading(d, d->md ? "A: Assessment" : "A - Assessment");
    list_answers(d, v, IK_VIEW_ASSESSMENT);
    list_unknowns(d, v);
    doc_heading(d, d->md ? "R: Recommendation" : "R - Recommendation");
    doc_para(d, "Discuss:",
             v->rung != IK_NONE ? v->ladder[v->rung].title
                                : "no ladder step indicated.");
    list_notes(d, v);
    if (v->nsections) {
        doc_para(d, "Sections given:", NULL);
        list_sections(d, v);
    }
}

ik_status ik_export_words(const ik_session *s, const ik_interview *iv, bool md,
                          ik_buf *b, ik_error *err)
{
    ik_view *v;
    doc d;
    ik_status st = ik_view_new(iv, ik_session_get_audience(s), &v, err);

    if (st != IK_OK)
        return st;
    d.b = b;
    d.md = md;
    if (v->nurse)
        nurse_handoff(&d, s, v);
    else
        patient_page(&d, s, v);
    ik_view_free(v);
    /* one trailing newline, not two */
    if (b->len >= 2 && b->data[b->len - 1] == '\n' &&
        b->data[b->len - 2] == '\n')
        b->data[--b->len] = '\0';
    return IK_OK;
}
