/*
 * logic_text.c -- JsonLogic text in, JSON text out: `intake eval` and
 * the tests' convenience over compile and evaluate. No I/O.
 */
#include "logic_int.h"

/* ---- Convenience: text in, text out ---- */

static ik_status parse_named(const char *text, size_t len, const char *file,
                             ik_json_doc *doc, char **copy, ik_error *err)
{
    *copy = ik_malloc(len + 1);
    if (!*copy)
        return ik_fail(err, IK_ENOMEM, "out of memory");
    if (len)
        memcpy(*copy, text, len);
    (*copy)[len] = '\0';
    return ik_json_parse(*copy, len, file, IK_JSON_POSITIONS, doc, err);
}

/* Compile lroot, evaluate it against droot (NULL: null), print the result. */
static ik_status eval_trees(const cJSON *lroot, const ik_json_doc *ldoc,
                            const cJSON *droot, char **result, ik_error *err)
{
    ik_logic *lg = NULL;
    ik_arena scratch;
    ik_env env = {ik_null(), NULL, 0, NULL, 0, NULL};
    ik_value v;
    ik_expr e;
    ik_buf b;
    ik_status st = IK_OK;
    bool long_text;

    ik_arena_init(&scratch);
    env.scratch = &scratch;
    if (droot && !ik_value_from_cjson(droot, &scratch, &env.root))
        st = ik_fail(err, IK_ENOMEM, "out of memory");
    if (st == IK_OK)
        st = ik_logic_new(&lg, err);
    if (st == IK_OK)
        st = ik_logic_compile_json(lg, lroot, ldoc, &e, err);
    if (st == IK_OK)
        st = ik_logic_eval(lg, e, &env, &v, err);
    if (st == IK_OK) {
        ik_buf_init(&b);
        if (v.kind == IK_UNDEF)
            v = ik_null(); /* JSON.stringify(undefined) has no text */
        st = ik_value_write_json(&b, v);
        long_text = b.len > IK_VALUE_MAX_TEXT;
        if (st == IK_OK)
            *result = ik_buf_take(&b, NULL);
        else
            ik_buf_fini(&b);
        if (st == IK_ELIMIT && long_text)
            st = ik_fail(err, st, "result longer than %u MiB as JSON",
                         (unsigned)(IK_VALUE_MAX_TEXT >> 20));
        else if (st == IK_ELIMIT)
            st = ik_fail(err, st, "value nested deeper than %d levels",
                         IK_VALUE_MAX_DEPTH);
        else if (st != IK_OK || !*result)
            st = ik_fail(err, IK_ENOMEM, "out of memory");
    }
    ik_logic_free(lg);
    ik_arena_fini(&scratch);
    return st;
}

ik_status ik_logic_eval_json(const char *logic, size_t logic_len,
                             const char *data, size_t data_len, char **result,
                             ik_error *err)
{
    ik_json_doc ldoc, ddoc;
    char *lcopy = NULL, *dcopy = NULL;
    ik_status st;

    *result = NULL;
    memset(&ldoc, 0, sizeof ldoc);
    memset(&ddoc, 0, sizeof ddoc);
    st = parse_named(logic, logic_len, "logic", &ldoc, &lcopy, err);
    if (st == IK_OK && data)
        st = parse_named(data, data_len, "data", &ddoc, &dcopy, err);
    if (st == IK_OK)
        st = eval_trees(ldoc.root, &ldoc, data ? ddoc.root : NULL, result, err);
    ik_json_doc_fini(&ldoc);
    ik_json_doc_fini(&ddoc);
    ik_free(lcopy);
    ik_free(dcopy);
    return st;
}

ik_status ik_logic_eval_pair(const char *line, size_t len, char **result,
                             ik_error *err)
{
    ik_json_doc doc;
    char *copy = NULL;
    ik_status st;

    *result = NULL;
    memset(&doc, 0, sizeof doc);
    st = parse_named(line, len, "", &doc, &copy, err);
    if (st == IK_OK && (!cJSON_IsArray(doc.root) || !doc.root->child ||
                        (doc.root->child->next && doc.root->child->next->next)))
        st = ik_json_fail(&doc, doc.root, false, err, IK_ESYNTAX,
                          "expected [logic, data]");
    if (st == IK_OK)
        st = eval_trees(doc.root->child, &doc, doc.root->child->next, result,
                        err);
    ik_json_doc_fini(&doc);
    ik_free(copy);
    return st;
}

void ik_logic_free_string(char *s)
{
    ik_free(s);
}
