/*
 * jsonlogic_conformance.c -- runs the JsonLogic conformance data in
 * tests/conformance/jsonlogic (jsonlogic.com tests.json, compat-tables and
 * json-logic-engine suites; see its README.md for sources and licences)
 * through the engine, as classification.json classes each case:
 * `classic` must match the expected answer, `classic-divergent` must match
 * what json-logic-js 2.0.5 answers, `extension` is only counted. The data
 * ships with the repository, so a missing file fails the test. A test
 * program: prints, never changes the data.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "json.h"
#include "logic.h"
#include "value.h"

#ifndef IK_SOURCE_DIR
#define IK_SOURCE_DIR "."
#endif

typedef struct tally {
    int pass, fail, skip, ext, ext_pass;
} tally;

/* Deep comparison of our value with expected JSON ({"$js": ...} tags stand
 * for NaN, Infinity, -Infinity, -0 and undefined). */
static int same(ik_value v, const cJSON *e)
{
    const cJSON *tag = cJSON_IsObject(e) ? ik_json_get(e, "$js") : NULL;
    const cJSON *c;
    uint32_t i = 0;

    if (tag && cJSON_IsString(tag) && !tag->next) {
        const char *t = tag->valuestring;

        if (strcmp(t, "undefined") == 0)
            return v.kind == IK_UNDEF;
        if (v.kind != IK_NUM)
            return 0;
        if (strcmp(t, "NaN") == 0)
            return isnan(v.u.num);
        if (strcmp(t, "Infinity") == 0)
            return isinf(v.u.num) && v.u.num > 0;
        if (strcmp(t, "-Infinity") == 0)
            return isinf(v.u.num) && v.u.num < 0;
        if (strcmp(t, "-0") == 0)
            return v.u.num == 0 && signbit(v.u.num);
        return 0;
    }
    switch ((ik_kind)v.kind) {
    case IK_UNDEF:
        return 0;
    case IK_NULL:
        return cJSON_IsNull(e);
    case IK_BOOL:
        return cJSON_IsBool(e) && (cJSON_IsTrue(e) != 0) == v.u.b;
    case IK_NUM: {
        double d = cJSON_IsNumber(e) ? e->valuedouble : NAN;
        double scale = fmax(1, fmax(fabs(d), fabs(v.u.num)));

        if (!cJSON_IsNumber(e))
            return 0;
        return v.u.num == d || fabs(v.u.num - d) <= 1e-10 * scale;
    }
    case IK_STR:
        return cJSON_IsString(e) && strlen(e->valuestring) == v.len &&
               memcmp(e->valuestring, v.u.str, v.len) == 0;
    case IK_ARR:
        if (!cJSON_IsArray(e))
            return 0;
        for (c = e->child; c; c = c->next, i++)
            if (i >= v.len || !same(v.u.items[i], c))
                return 0;
        return i == v.len;
    case IK_OBJ:
        if (!cJSON_IsObject(e))
            return 0;
        for (c = e->child; c; c = c->next, i++) {
            ik_value m = ik_value_get(v, c->string, strlen(c->string));

            if (m.kind == IK_UNDEF || !same(m, c))
                return 0;
        }
        return i == v.len;
    case IK_KIND__COUNT:
        break;
    }
    return 0;
}

/* Evaluate rule on data; *ok_out says whether it ran without error. */
static int run_case(const cJSON *rule, const cJSON *data, const cJSON *want,
                    int want_error, char *why, size_t whycap)
{
    ik_logic *lg = NULL;
    ik_arena scratch;
    ik_env env;
    ik_error err;
    ik_expr e;
    ik_value v = {0}, root = {IK_NULL, 0, {0}};
    ik_status st;
    int ok;

    ik_arena_init(&scratch);
    memset(&env, 0, sizeof env);
    ik_error_clear(&err);
    st = ik_logic_new(&lg, &err);
    if (st == IK_OK && data && !ik_value_from_cjson(data, &scratch, &root))
        st = IK_ENOMEM;
    if (st == IK_OK)
        st = ik_logic_compile_json(lg, rule, NULL, &e, &err);
    if (st == IK_OK) {
        env.root = root;
        env.scratch = &scratch;
        st = ik_logic_eval(lg, e, &env, &v, &err);
    }
    if (want_error) {
        ok = st != IK_OK;
        if (!ok) {
            ik_buf b;

            ik_buf_init(&b);
            ik_value_write_json(&b, v);
            snprintf(why, whycap, "expected an error, got %s", ik_buf_cstr(&b));
            ik_buf_fini(&b);
        }
    } else if (st != IK_OK) {
        ok = 0;
        snprintf(why, whycap, "error: %s", err.msg);
    } else {
        ok = same(v, want);
        if (!ok) {
            ik_buf b;
            char *w = cJSON_PrintUnformatted(want);

            ik_buf_init(&b);
            ik_value_write_json(&b, v);
            snprintf(why, whycap, "got %s%s, expected %s",
                     v.kind == IK_UNDEF ? "undefined" : "", ik_buf_cstr(&b),
                     w ? w : "?");
            ik_buf_fini(&b);
            cJSON_free(w);
        }
    }
    ik_logic_free(lg);
    ik_arena_fini(&scratch);
    return ok;
}

static int run_file(const char *dir, const char *name, const cJSON *cls,
                    tally *total)
{
    char path[2100], why[600];
    char *text = NULL;
    size_t len;
    ik_json_doc doc;
    ik_error err;
    const cJSON *c;
    tally t = {0};

    snprintf(path, sizeof path, "%s/%s", dir, name);
    ik_error_clear(&err);
    if (ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len, &err) != IK_OK ||
        ik_json_parse(text, len, path, 0, &doc, &err) != IK_OK) {
        printf("%s: cannot read: %s\n", name, err.msg);
        ik_free(text);
        total->fail++;
        return 1;
    }
    for (c = ik_json_get(cls, "cases")->child; c; c = c->next) {
        int index = (int)ik_json_get(c, "index")->valuedouble;
        const char *klass = ik_json_get(c, "class")->valuestring;
        const cJSON *item = cJSON_GetArrayItem(doc.root, index);
        const cJSON *rule, *data, *want, *js;
        int want_error = 0, ok;

        if (!item) {
            printf("%s #%d: no such case\n", name, index);
            t.fail++;
            continue;
        }
        if (cJSON_IsArray(item)) {
            rule = cJSON_GetArrayItem(item, 0);
            data = cJSON_GetArrayItem(item, 1);
            want = cJSON_GetArrayItem(item, 2);
        } else {
            rule = ik_json_get(item, "rule");
            data = ik_json_get(item, "data");
            want = ik_json_get(item, "result");
            want_error = ik_json_get(item, "error") != NULL;
        }
        if (cJSON_IsTrue(ik_json_get(c, "extension_ops_never_evaluated"))) {
            printf("SKIP %s #%d: unknown operators are compile errors, "
                   "even in branches that never run\n",
                   name, index);
            t.skip++;
            continue;
        }
        js = ik_json_get(c, "json_logic_js");
        if (strcmp(klass, "classic-divergent") == 0 && js) {
            want = ik_json_get(js, "result");
            want_error = ik_json_get(js, "error") != NULL;
        }
        why[0] = '\0';
        ok = run_case(rule, data, want, want_error, why, sizeof why);
        if (strcmp(klass, "extension") == 0) {
            t.ext++;
            t.ext_pass += ok;
            continue;
        }
        if (ok) {
            t.pass++;
            continue;
        }
        t.fail++;
        {
            char *r = cJSON_PrintUnformatted(rule);
            char *d = data ? cJSON_PrintUnformatted(data) : NULL;

            printf("FAIL %s #%d (%s): %s with data %s: %s\n", name, index,
                   klass, r ? r : "?", d ? d : "null", why);
            cJSON_free(r);
            cJSON_free(d);
        }
    }
    printf("%s: %d passed, %d failed, %d skipped; extension %d of %d agree\n",
           name, t.pass, t.fail, t.skip, t.ext_pass, t.ext);
    total->pass += t.pass;
    total->fail += t.fail;
    total->skip += t.skip;
    total->ext += t.ext;
    total->ext_pass += t.ext_pass;
    ik_json_doc_fini(&doc);
    ik_free(text);
    return 0;
}

int main(int argc, char **argv)
{
    char dir[1024], path[1100];
    char *text = NULL;
    size_t len;
    ik_json_doc doc;
    ik_error err;
    const cJSON *f;
    tally total = {0};

    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "%s/tests/conformance/jsonlogic", IK_SOURCE_DIR);
    snprintf(path, sizeof path, "%s/classification.json", dir);
    ik_error_clear(&err);
    if (ik_json_read_file(path, IK_JSON_MAX_FILE, &text, &len, &err) != IK_OK) {
        printf("%s: %s (the conformance data ships with the repository)\n",
               path, err.msg);
        return 1;
    }
    if (ik_json_parse(text, len, path, 0, &doc, &err) != IK_OK) {
        printf("%s:%d:%d: error: %s\n", err.file, err.line, err.col, err.msg);
        ik_free(text);
        return 1;
    }
    for (f = ik_json_get(doc.root, "files")->child; f; f = f->next)
        run_file(dir, f->string, f, &total);
    printf("extension cases (not required): %d of %d agree\n", total.ext_pass,
           total.ext);
    if (total.skip)
        printf("skipped %d laziness probes: unknown operators are compile "
               "errors here, even in branches that never run\n",
               total.skip);
    printf("%d passed, %d failed, %d skipped\n", total.pass, total.fail,
           total.skip);
    ik_json_doc_fini(&doc);
    ik_free(text);
    return total.fail ? 1 : 0;
}
