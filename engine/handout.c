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

#include "intake/view.h"
#include "interview.h"

#include <stdio.h>
#include <string.h>

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

static void put_ladder(ik_buf *b, const ik_view *v)
{
    uint32_t i;

    ik_buf_puts(b, "<section class=\"part\" id=\"ladder\">\n"
                   "<h2>Treatment steps</h2>\n");
    if (v->rung == IK_NONE)
        put_para(b, NULL,
                 "No step of treatment stands out from these answers; talk "
                 "about your plan at your next visit.");
    else
        put_para(b, NULL,
                 "Treatment goes one step at a time, from the least to the "
                 "most involved. The step marked \"You are here\" is the one "
                 "to talk about with your care team.");
    ik_buf_puts(b, "<ol class=\"ladder\">\n");
    for (i = 0; i < v->nladder; i++) {
        bool here = i == v->rung;
        ik_buf_printf(b, "<li%s><span class=\"step\">Step %u of %u</span>",
                      here ? " class=\"here\" aria-current=\"step\"" : "",
                      i + 1, v->nladder);
        if (here)
            ik_buf_puts(b, "<span class=\"here-mark\">&#9658; You are "
                           "here</span>");
        put_tag(b, "<h3>", v->ladder[i].title, "</h3>");
        put_para(b, NULL, v->ladder[i].text);
        ik_buf_puts(b, "</li>\n");
    }
    ik_buf_puts(b, "</ol>\n</section>\n");
}

static void put_answers(ik_buf *b, const ik_view *v)
{
    uint32_t i;

    ik_buf_puts(b, "<section class=\"part\" id=\"answers\">\n"
                   "<h2>Your answers</h2>\n<dl class=\"answers\">\n");
    for (i = 0; i < v->nanswers; i++) {
        put_tag(b, "<dt>", v->answers[i].question, "</dt>");
        put_tag(b, "<dd>", v->answers[i].answer, "</dd>\n");
    }
    ik_buf_puts(b, "</dl>\n");
    if (!v->nanswers)
        put_para(b, NULL, "(no answers)");
    ik_buf_puts(b, "</section>\n");
}

ik_status ik_handout_html(const ik_session *s, const ik_interview *iv,
                          ik_buf *b, ik_error *err)
{
    const char *label = ik_session_label(s);
    char iso[21], when[40];
    ik_step step;
    ik_view *v;
    uint32_t i;
    /* a page for the patient, whoever ran the interview */
    ik_status st = ik_view_new(iv, IK_AUD_PATIENT, &v, err);

    if (st != IK_OK)
        return st;
    ik_interview_next(iv, &step);
    ik_time_format(ik_session_updated(s), iso);
    snprintf(when, sizeof when, "%.10s %.5s UTC", iso, iso + 11);
    ik_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
    put_html(b, v->language, false);
    ik_buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, "
                   "initial-scale=1\">\n"
                   "<meta name=\"color-scheme\" content=\"light\">\n<title>");
    put_html(b, "What to do next: ", false);
    put_html(b, v->pack_name, false);
    ik_buf_puts(b, "</title>\n<style>\n");
    ik_buf_puts(b, css);
    ik_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n<article>\n<header>\n");
    put_tag(b, "<h1>", "What to do next", "</h1>\n");
    ik_buf_puts(b, "<p class=\"meta\">");
    put_html(b, v->pack_title, false);
    if (label && label[0]) {
        ik_buf_puts(b, " &middot; For: ");
        put_html(b, label, false);
    }
    ik_buf_puts(b, " &middot; <time datetime=\"");
    ik_buf_puts(b, iso);
    ik_buf_puts(b, "\">");
    ik_buf_puts(b, when);
    ik_buf_puts(b, "</time> &middot; Pack ");
    put_html(b, v->pack_id, false);
    ik_buf_puts(b, " version ");
    put_html(b, v->pack_version, false);
    ik_buf_puts(b, "</p>\n</header>\n");
    if (step.kind != IK_STEP_OUTCOME)
        put_para(b, "meta",
                 "The questions were not all answered: this page is based "
                 "on the answers given so far.");

    ik_buf_printf(b, "<section class=\"todo%s\" id=\"todo\">\n",
                  v->alarm || v->nred_flags ? " urgent" : "");
    put_tag(b, "<h2>", v->headline, "</h2>\n");
    if (v->alarm) /* as the patient page: the disposition's alarm */
        put_para(b, "act", "Act now.");
    put_para(b, NULL, v->advice);
    for (i = 0; i < v->nnotes; i++)
        put_para(b, NULL, v->notes[i]);
    ik_buf_puts(b, "</section>\n");

    if (v->nred_flags) {
        ik_buf_puts(b, "<section class=\"part\" id=\"red-flags\">\n"
                       "<h2>Warning signs you reported</h2>\n"
                       "<ul class=\"flags\">\n");
        for (i = 0; i < v->nred_flags; i++)
            put_tag(b, "<li>", v->red_flags[i].text, "</li>\n");
        ik_buf_puts(b, "</ul>\n</section>\n");
    }
    if (v->nladder)
        put_ladder(b, v);
    if (v->nsections) {
        ik_buf_puts(b, "<section id=\"reading\">\n<h2>Worth reading</h2>\n");
        for (i = 0; i < v->nsections; i++) {
            ik_buf_puts(b, "<section class=\"part\">\n");
            put_tag(b, "<h3>", v->sections[i].title, "</h3>\n");
            put_para(b, NULL, v->sections[i].text);
            ik_buf_puts(b, "</section>\n");
        }
        ik_buf_puts(b, "</section>\n");
    }
    put_answers(b, v);
    ik_buf_puts(b, "<section class=\"part\" id=\"help\">\n"
                   "<h2>If things change</h2>\n");
    put_para(b, NULL, v->safety_net);
    put_tag(b, "<h2>", "How to get help", "</h2>\n");
    put_para(b, NULL, v->get_help);
    ik_buf_puts(b, "</section>\n<footer class=\"notice\" id=\"notice\">\n");
    put_para(b, NULL, v->notice);
    ik_buf_puts(b, "<p class=\"meta\">");
    put_html(b, v->pack_name, false);
    ik_buf_puts(b, ", version ");
    put_html(b, v->pack_version, false);
    ik_buf_puts(b, ". Printed from the answers of ");
    ik_buf_puts(b, when);
    ik_buf_puts(b, ".</p>\n</footer>\n</article>\n</main>\n</body>\n</html>\n");
    ik_view_free(v);
    if (ik_buf_status(b) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory writing the handout");
    return IK_OK;
}
