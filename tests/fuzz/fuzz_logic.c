/*
 * fuzz_logic.c -- fuzz target for JsonLogic compile and evaluate
 * (engine/logic_*.c, engine/value.c). The input is an expression, a newline,
 * and the data (no newline: null data). Every input either evaluates to
 * JSON text or fails cleanly; a strict program also compiles it against
 * two symbols, inspects it statically, writes it back and compiles that
 * again, and evaluates it under a small budget. Properties only: it must
 * not expect particular results (the conformance suite does that).
 */
#include "fuzz.h"

#include "alloc.h"
#include "json.h"
#include "logic.h"

static int clean_failure(ik_status st, const ik_error *err)
{
    return (st == IK_ESYNTAX || st == IK_ELOGIC || st == IK_ELIMIT ||
            st == IK_ENOMEM) &&
           err->code == st && err->msg[0] != '\0';
}

static void count_cmp(const ik_logic_cmp *cmp, void *ctx)
{
    FUZZ_CHECK(cmp->op != NULL);
    ++*(size_t *)ctx;
}

/* Evaluate e in lg over data (may be NULL) with a small budget. */
static void eval_small(const ik_logic *lg, ik_expr e, const char *data,
                       size_t dlen)
{
    ik_json_doc doc;
    ik_arena scratch;
    ik_value slots[4] = {{0}}, v;
    ik_env env = {{0}, slots, 0, NULL, 100000, NULL};
    ik_error err;
    ik_status st;
    ik_buf b;

    ik_arena_init(&scratch);
    scratch.limit = 16u * 1024 * 1024;
    env.scratch = &scratch;
    if (data && ik_json_parse(data, dlen, "data", 0, &doc, &err) == IK_OK) {
        if (ik_value_from_cjson(doc.root, &scratch, &env.root) &&
            ik_logic_nslots(lg) <= 4) {
            ik_logic_bind(lg, env.root, slots);
            env.nslots = ik_logic_nslots(lg);
        }
        ik_json_doc_fini(&doc);
    }
    st = ik_logic_eval(lg, e, &env, &v, &err);
    if (st == IK_OK) {
        ik_buf_init(&b);
        ik_value_write_json(&b, v);
        ik_buf_fini(&b);
    } else {
        FUZZ_CHECK(clean_failure(st, &err));
    }
    ik_arena_fini(&scratch);
}

static void compile_strict(const char *logic, size_t llen, const char *data,
                           size_t dlen)
{
    ik_logic *lg = NULL;
    ik_expr e, again;
    uint32_t slot, reads[4];
    ik_value cst;
    ik_error err;
    ik_status st;
    ik_buf b;
    size_t ncmp = 0;

    if (ik_logic_new(&lg, &err) != IK_OK)
        return;
    ik_logic_set_strict(lg, true);
    if (ik_logic_define(lg, "a", &slot, &err) != IK_OK ||
        ik_logic_define(lg, "b", &slot, &err) != IK_OK) {
        ik_logic_free(lg);
        return;
    }
    st = ik_logic_compile_text(lg, logic, llen, &e, &err);
    if (st != IK_OK) {
        FUZZ_CHECK(clean_failure(st, &err));
        ik_logic_free(lg);
        return;
    }
    FUZZ_CHECK(ik_logic_reads(lg, e, reads, 4) <= ik_logic_nslots(lg));
    (void)ik_logic_is_const(lg, e, &cst);
    ik_logic_visit_cmps(lg, e, count_cmp, &ncmp);
    eval_small(lg, e, data, dlen);
    /* What we write back compiles again (leniently: folding may have
     * turned a computed var path into a literal one). */
    ik_buf_init(&b);
    ik_logic_write_json(lg, e, &b);
    ik_logic_free(lg);
    if (ik_buf_status(&b) == IK_OK && ik_logic_new(&lg, &err) == IK_OK) {
        st = ik_logic_compile_text(lg, ik_buf_cstr(&b), b.len, &again, &err);
        FUZZ_CHECK(st == IK_OK || st == IK_ENOMEM);
        ik_logic_free(lg);
    }
    ik_buf_fini(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size), *nl, *result = NULL;
    const char *dtext = NULL;
    size_t llen = size, dlen = 0;
    ik_error err;
    ik_status st;

    if (!text)
        return 0;
    nl = memchr(text, '\n', size);
    if (nl) {
        *nl = '\0';
        llen = (size_t)(nl - text);
        dtext = nl + 1;
        dlen = size - llen - 1;
    }
    st = ik_logic_eval_json(text, llen, dtext, dlen, &result, &err);
    if (st == IK_OK) {
        FUZZ_CHECK(result != NULL && result[0] != '\0');
    } else {
        FUZZ_CHECK(result == NULL);
        FUZZ_CHECK(clean_failure(st, &err));
    }
    ik_logic_free_string(result);
    compile_strict(text, llen, dtext, dlen);
    free(text);
    return 0;
}
