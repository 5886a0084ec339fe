/*
 * export.c -- write a session in the format asked for: the outcome JSON
 * with the session's metadata and history here; FHIR R4 (fhir.c), the
 * Markdown or text documents (export_doc.c) and the printable page
 * (handout.c) by dispatch. Writers only: text goes into the caller's
 * ik_buf; no I/O, no decisions about the outcome (that comes from the
 * interview).
 */
#include "export.h"

#include "fhir.h"
#include "handout.h"

#include "outcome.h"

#include <assert.h>
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
            (void)ik_value_write_json(b, e->value);
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
            (void)ik_value_write_json(b, e->value);
            ik_buf_puts(b, e->kind == IK_EV_ALERT ? ",\"went_on\":true"
                                                  : ",\"went_on\":false");
            break;
        case IK_EV_LEAVE:
            put_key(b, "left");
            (void)ik_value_write_json(b, e->value);
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
    const ik_outcome *o;
    ik_status st = ik_interview_compute_outcome(iv, &o, err);

    if (st != IK_OK)
        return st;
    /* the outcome object, its closing brace taken back to add the session */
    ik_outcome_write_json(ik_interview_rulebook(iv), o, ik_interview_aud(iv),
                          b);
    if (ik_buf_status(b) != IK_OK)
        return ik_fail(err, IK_ENOMEM, "out of memory exporting");
    assert(b->len > 0 && b->data[b->len - 1] == '}');
    b->data[--b->len] = '\0';
    ik_buf_puts(b, ",\"session\":");
    write_session_meta(s, b);
    ik_buf_puts(b, "}\n");
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
        st = ik_export_words(s, iv, f == IK_EXPORT_MARKDOWN, b, err);
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
