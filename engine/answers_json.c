/*
 * answers_json.c -- answers objects in JSON text <-> answer slots, shared
 * by batch and `run --answers`. Parsing is json.c's (strict); checking
 * each value is outcome.c's ik_outcome_bind_answers. No I/O.
 */
#include "answers_json.h"

#include "error.h"
#include "json.h"
#include "outcome.h"

#include <string.h>

/* Parse text into a value in a; root must be an object. On error doc is
 * finished. */
static ik_status parse_object(const char *text, size_t len, const char *file,
                              ik_arena *a, ik_value *obj, ik_error *err)
{
    ik_json_doc doc;
    ik_status st;

    st = ik_json_parse(text, len, file, 0, &doc, err);
    if (st != IK_OK)
        return st;
    if (!cJSON_IsObject(doc.root)) {
        ik_json_doc_fini(&doc);
        return ik_fail_at(err, IK_EANSWER, file, 1, 1,
                          "answers must be a JSON object of question ids");
    }
    st = ik_value_from_cjson(doc.root, a, obj)
             ? IK_OK
             : ik_fail(err, IK_ENOMEM, "out of memory reading answers");
    ik_json_doc_fini(&doc);
    return st;
}

/* After a refusal naming err->path "/<id>", point err at that member
 * (parsing again with positions: errors are rare, lines are short). */
static void locate_member(const char *text, size_t len, const char *file,
                          ik_error *err)
{
    ik_json_doc doc;
    ik_error perr;
    const cJSON *m;

    if (err->path[0] != '/' ||
        ik_json_parse(text, len, file, IK_JSON_POSITIONS, &doc, &perr) != IK_OK)
        return;
    m = ik_json_get(doc.root, err->path + 1);
    if (m) {
        ik_json_linecol(text, len, ik_json_offset(&doc, m, true), &err->line,
                        &err->col);
        ik_strlcpy(err->file, file ? file : "", sizeof err->file);
    }
    ik_json_doc_fini(&doc);
}

ik_status ik_answers_json_parse(const ik_rulebook *rb, const char *text,
                                size_t len, const char *file, ik_arena *a,
                                ik_value *answers, ik_error *err)
{
    ik_value obj;
    ik_status st;

    st = parse_object(text, len, file, a, &obj, err);
    if (st != IK_OK)
        return st;
    st = ik_outcome_bind_answers(rb, obj, answers, err);
    if (st == IK_EANSWER)
        locate_member(text, len, file, err);
    return st;
}

ik_status ik_answers_json_parse_lenient(const ik_rulebook *rb, const char *text,
                                        size_t len, ik_arena *a,
                                        ik_value *answers, size_t *ndropped,
                                        ik_error *err)
{
    ik_value obj;
    ik_member *kept;
    uint32_t i, n = 0;
    ik_status st;

    *ndropped = 0;
    st = parse_object(text, len, "", a, &obj, err);
    if (st != IK_OK)
        return st;
    kept = ik_arena_alloc(a, (obj.len ? obj.len : 1) * sizeof *kept);
    if (!kept)
        return ik_fail(err, IK_ENOMEM, "out of memory reading answers");
    for (i = 0; i < obj.len; i++) {
        const ik_member *m = &obj.u.members[i];

        /* keys from ik_value_from_cjson are NUL-terminated copies */
        if (ik_rulebook_find_question(rb, m->key) == IK_NONE)
            (*ndropped)++;
        else
            kept[n++] = *m;
    }
    obj.u.members = kept;
    obj.len = n;
    st = ik_outcome_bind_answers(rb, obj, answers, err);
    if (st == IK_EANSWER)
        locate_member(text, len, "", err);
    return st;
}

void ik_answers_json_write(const ik_rulebook *rb, const ik_value *answers,
                           ik_buf *b)
{
    uint32_t i;
    bool first = true;

    ik_buf_putc(b, '{');
    for (i = 0; i < rb->nquestions; i++) {
        if (answers[i].kind == IK_UNDEF)
            continue;
        if (!first)
            ik_buf_putc(b, ',');
        first = false;
        ik_buf_put_json_string(b, rb->questions[i].id,
                               strlen(rb->questions[i].id));
        ik_buf_putc(b, ':');
        ik_value_write_json(b, answers[i]);
    }
    ik_buf_putc(b, '}');
}
