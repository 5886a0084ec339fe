/*
 * handout.c -- a session as one printable HTML page for the patient to
 * take to an appointment: what to do and by when, the red flags reported,
 * the treatment ladder drawn as steps with "you are here", the sections
 * offered in full, the answers given, the notice, the date and the pack
 * version. Self-contained: inline CSS, no script, no image, no link out;
 * semantic HTML so reader modes keep it; prints on A4 and US Letter.
 * Writer only: the text goes into the caller's ik_buf; no I/O.
 */
#include "handout.h"

#include "answer.h"
#include "outcome.h"

#include <stdio.h>
#include <string.h>

static const char *pt(const ik_text *t)
{
    return ik_text_get(t, IK_AUD_PATIENT);
}

/* Text as HTML: & < > " escaped; a blank line starts a new paragraph and
 * a single newline is a line break when `paras`. */
static void put_html(ik_buf *b, const char *s, bool paras)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            ik_buf_puts(b, "&amp;");
            break;
        case '<':
            ik_buf_puts(b, "&lt;");
            break;
        case '>':
            ik_buf_puts(b, "&gt;");
            break;
        case '"':
            ik_buf_puts(b, "&quot;");
            break;
        case '\n':
            if (!paras) {
                ik_buf_putc(b, ' ');
            } else if (s[1] == '\n') {
                while (s[1] == '\n')
                    s++;
                ik_buf_puts(b, "</p>\n<p>");
            } else {
                ik_buf_puts(b, "<br>");
            }
            break;
        default:
            ik_buf_putc(b, *s);
        }
    }
}

static void put_tag(ik_buf *b, const char *open, const char *text,
                    const char *close)
{
    ik_buf_puts(b, open);
    put_html(b, text, false);
    ik_buf_puts(b, close);
}

static void put_para(ik_buf *b, const char *cls, const char *text)
{
    if (!text || !text[0])
        return;
    if (cls)
        ik_buf_printf(b, "<p class=\"%s\">", cls);
    else
        ik_buf_puts(b, "<p>");
    put_html(b, text, true);
    ik_buf_puts(b, "</p>\n");
}

/* Large type, black on white, nothing that a printer or a reader mode
 * drops; the page box fits A4 (210 mm) and US Letter (216 mm) alike. */
static const char css[] =
    "@page{margin:16mm 15mm}\n"
    "*{box-sizing:border-box}\n"
    "html{background:#fff;color:#000}\n"
    "body{font:18px/1.5 \"DejaVu Sans\",\"Liberation Sans\",Arial,"
    "Helvetica,sans-serif;max-width:44em;margin:0 auto;padding:1em}\n"
    "h1{font-size:1.9em;margin:0 0 .2em}\n"
    "h2{font-size:1.35em;margin:1.2em 0 .4em;border-bottom:2px solid #000}\n"
    "h3{font-size:1.1em;margin:.8em 0 .2em}\n"
    ".meta{margin:0 0 1em;font-size:.95em}\n"
    ".todo{border:4px solid #000;padding:.6em 1em;margin:1em 0;"
    "break-inside:avoid}\n"
    ".todo.urgent{border-width:8px}\n"
    ".todo h2{border:0;margin:0 0 .3em;font-size:1.6em}\n"
    ".act{font-weight:bold;font-size:1.2em}\n"
    ".flags li{font-weight:bold}\n"
    "ol.ladder{list-style:none;padding:0;margin:.5em 0;display:flex;"
    "gap:.5em}\n"
    "ol.ladder li{flex:1 1 0;border:2px solid #000;padding:.5em;"
    "break-inside:avoid;min-width:0}\n"
    "ol.ladder li.here{border-width:6px;background:#ffe680}\n"
    ".step{display:block;font-size:.85em;text-transform:uppercase}\n"
    ".here-mark{display:block;font-weight:bold;font-size:1.05em}\n"
    "section.part{break-inside:avoid-page}\n"
    "dl.answers dt{font-weight:bold;margin-top:.4em}\n"
    "dl.answers dd{margin:0 0 0 1.2em}\n"
    ".notice{border-top:2px solid #000;margin-top:1.5em;padding-top:.5em}\n"
    "@media print{body{font-size:13pt;max-width:none;padding:0}"
    "ol.ladder li.here{background:none}"
    "a{color:#000;text-decoration:none}}\n";

static void put_ladder(ik_buf *b, const ik_rulebook *rb, const ik_outcome *o)
{
    uint32_t i;

    ik_buf_puts(b, "<section class=\"part\" id=\"ladder\">\n"
                   "<h2>Treatment steps</h2>\n");
    if (o->rung == IK_NONE)
        put_para(b, NULL,
                 "No step of treatment stands out from these answers; talk "
                 "about your plan at your next visit.");
    else
        put_para(b, NULL,
                 "Treatment goes one step at a time, from the least to the "
                 "most involved. The step marked \"You are here\" is the one "
                 "to talk about with your care team.");
    ik_buf_puts(b, "<ol class=\"ladder\">\n");
    for (i = 0; i < rb->nladder; i++) {
        const ik_rung *r = &rb->ladder[i];
        bool here = i == o->rung;
        ik_buf_printf(b, "<li%s><span class=\"step\">Step %u of %u</span>",
                      here ? " class=\"here\" aria-current=\"step\"" : "",
                      i + 1, rb->nladder);
        if (here)
            ik_buf_puts(b, "<span class=\"here-mark\">&#9658; You are "
                           "here</span>");
        put_tag(b, "<h3>", pt(&r->label), "</h3>");
        put_para(b, NULL, pt(&r->advice));
        ik_buf_puts(b, "</li>\n");
    }
    ik_buf_puts(b, "</ol>\n</section>\n");
}

static void put_answers(ik_buf *b, const ik_rulebook *rb, const ik_outcome *o)
{
    ik_buf words;
    uint32_t q;
    bool any = false;

    ik_buf_init(&words);
    ik_buf_puts(b, "<section class=\"part\" id=\"answers\">\n"
                   "<h2>Your answers</h2>\n<dl class=\"answers\">\n");
    for (q = 0; q < rb->nquestions; q++) {
        const ik_question *qq = &rb->questions[q];
        ik_value v = o->slots[q];
        if (qq->type == IK_Q_INFO || v.kind == IK_UNDEF)
            continue;
        ik_buf_clear(&words);
        ik_answer_format(qq, IK_AUD_PATIENT, v, &words);
        put_tag(b, "<dt>", pt(&qq->text), "</dt>");
        put_tag(b, "<dd>", ik_buf_cstr(&words) ? ik_buf_cstr(&words) : "",
                "</dd>\n");
        any = true;
    }
    ik_buf_puts(b, "</dl>\n");
    if (!any)
        put_para(b, NULL, "(no answers)");
    ik_buf_puts(b, "</section>\n");
    if (ik_buf_status(&words) != IK_OK)
        b->oom = true;
    ik_buf_fini(&words);
}

ik_status ik_handout_html(const ik_session *s, const ik_interview *iv,
                          ik_buf *b, ik_error *err)
{
    const ik_rulebook *rb = ik_interview_rulebook(iv);
    const ik_outcome *o = ik_interview_outcome(iv);
    const ik_disposition *d = &rb->dispositions[o->disposition];
    const char *label = ik_session_label(s);
    char iso[21], when[40];
    ik_step step;
    uint32_t i;
    bool urgent = d->alarm || o->red_flags.n > 0;

    ik_interview_next(iv, &step);
    ik_time_format(ik_session_updated(s), iso);
    snprintf(when, sizeof when, "%.10s %.5s UTC", iso, iso + 11);
    ik_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
    put_html(b, rb->language ? rb->language : "en", false);
    ik_buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, "
                   "initial-scale=1\">\n"
                   "<meta name=\"color-scheme\" content=\"light\">\n<title>");
    put_html(b, "What to do next: ", false);
    put_html(b, rb->title, false);
    ik_buf_puts(b, "</title>\n<style>\n");
    ik_buf_puts(b, css);
    ik_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n<article>\n<header>\n");
    put_tag(b, "<h1>", "What to do next", "</h1>\n");
    ik_buf_puts(b, "<p class=\"meta\">");
    put_html(b, pt(&rb->title_text), false);
    if (label && label[0]) {
        ik_buf_puts(b, " &middot; For: ");
        put_html(b, label, false);
    }
    ik_buf_puts(b, " &middot; <time datetime=\"");
    ik_buf_puts(b, iso);
    ik_buf_puts(b, "\">");
    ik_buf_puts(b, when);
    ik_buf_puts(b, "</time> &middot; Pack ");
    put_html(b, rb->id, false);
    ik_buf_puts(b, " version ");
    put_html(b, rb->version, false);
    ik_buf_puts(b, "</p>\n</header>\n");
    if (step.kind != IK_STEP_OUTCOME)
        put_para(b, "meta",
                 "The questions were not all answered: this page is based "
                 "on the answers given so far.");

    ik_buf_printf(b, "<section class=\"todo%s\" id=\"todo\">\n",
                  urgent ? " urgent" : "");
    put_tag(b, "<h2>", pt(&d->label), "</h2>\n");
    if (d->alarm) /* as the patient page: the disposition's alarm */
        put_para(b, "act", "Act now.");
    put_para(b, NULL, pt(&d->advice));
    for (i = 0; i < o->rules.n; i++) {
        const ik_rule *r = &rb->rules[o->rules.items[i]];
        if (pt(&r->note)[0] &&
            ik_outcome_note_shown(rb, o, o->rules.items[i]))
            put_para(b, NULL, pt(&r->note));
    }
    ik_buf_puts(b, "</section>\n");

    if (o->red_flags.n) {
        ik_buf_puts(b, "<section class=\"part\" id=\"red-flags\">\n"
                       "<h2>Warning signs you reported</h2>\n"
                       "<ul class=\"flags\">\n");
        for (i = 0; i < o->red_flags.n; i++)
            put_tag(b, "<li>", pt(&rb->red_flags[o->red_flags.items[i]].message),
                    "</li>\n");
        ik_buf_puts(b, "</ul>\n</section>\n");
    }
    if (rb->nladder)
        put_ladder(b, rb, o);
    if (o->sections.n) {
        ik_buf_puts(b, "<section id=\"reading\">\n<h2>Worth reading</h2>\n");
        for (i = 0; i < o->sections.n; i++) {
            const ik_section *sc = &rb->sections[o->sections.items[i]];
            ik_buf_puts(b, "<section class=\"part\">\n");
            put_tag(b, "<h3>", pt(&sc->title), "</h3>\n");
            put_para(b, NULL, pt(&sc->body));
            ik_buf_puts(b, "</section>\n");
        }
        ik_buf_puts(b, "</section>\n");
    }
    put_answers(b, rb, o);
    ik_buf_puts(b, "<section class=\"part\" id=\"help\">\n"
                   "<h2>If things change</h2>\n");
    put_para(b, NULL, pt(&rb->safety_net));
    put_tag(b, "<h2>", "How to get help", "</h2>\n");
    put_para(b, NULL, pt(&rb->get_help));
    ik_buf_puts(b, "</section>\n<footer class=\"notice\" id=\"notice\">\n");
    put_para(b, NULL, pt(&rb->notice));
    ik_buf_puts(b, "<p class=\"meta\">");
    put_html(b, rb->title, false);
    ik_buf_puts(b, ", version ");
    put_html(b, rb->version, false);
    ik_buf_puts(b, ". Printed from the answers of ");
    ik_buf_puts(b, when);
    ik_buf_puts(b, ".</p>\n</footer>\n</article>\n</main>\n</body>\n</html>\n");
    if (ik_buf_status(b) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory writing the handout");
    return IK_OK;
}
