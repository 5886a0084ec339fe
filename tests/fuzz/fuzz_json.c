/*
 * fuzz_json.c -- fuzz target for the strict JSON parser (engine/json.c):
 * any bytes either parse or fail with a clean error; what parses has a
 * position for every node, and prints back to text that parses again.
 * It checks properties only; it must not depend on a particular message.
 * cJSON's own parser is the oracle for the tree: whatever json.c accepts,
 * cJSON accepts too and builds an equal tree (json.c is stricter, never
 * more lenient, and builds the same values).
 */
#include "fuzz.h"

#include "json.h"

#include <cjson/cJSON.h>

static void check_positions(const ik_json_doc *doc, const cJSON *node)
{
    const cJSON *c;
    size_t off = ik_json_offset(doc, node, false);
    size_t key = ik_json_offset(doc, node, true);
    int line, col;
    ik_error err;

    FUZZ_CHECK(off != SIZE_MAX && off < doc->len);
    FUZZ_CHECK(key <= off);
    ik_json_linecol(doc->text, doc->len, key, &line, &col);
    FUZZ_CHECK(line >= 1 && col >= 1);
    ik_json_fail(doc, node, node->string != NULL, &err, IK_ERULES, "at %s",
                 node->string ? node->string : "value");
    FUZZ_CHECK(err.line == line && err.col == col);
    for (c = node->child; c; c = c->next)
        check_positions(doc, c);
}

/* What we accepted, cJSON prints, and we accept the print again. */
static void check_round_trip(const ik_json_doc *doc)
{
    char *printed = cJSON_PrintUnformatted(doc->root);
    ik_json_doc again;
    ik_error err;
    ik_status st;

    if (!printed)
        return; /* out of memory */
    st = ik_json_parse(printed, strlen(printed), "", 0, &again, &err);
    FUZZ_CHECK(st == IK_OK || st == IK_ENOMEM);
    if (st == IK_OK)
        FUZZ_CHECK(cJSON_Compare(doc->root, again.root, 1));
    ik_json_doc_fini(&again);
    cJSON_free(printed);
}

/* json.c builds its tree itself; cJSON_ParseWithLengthOpts must agree. */
static void check_against_cjson(const ik_json_doc *doc, const char *text,
                                size_t size)
{
    /* As json.c called cJSON: past a BOM, up to and including the NUL
     * (cJSON 1.7.15 refuses a BOM and one digit with nothing after). */
    size_t skip = size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    cJSON *ref =
        cJSON_ParseWithLengthOpts(text + skip, size - skip + 1, NULL, 1);

    if (!ref) { /* cJSON reports out of memory as a failed parse */
        FUZZ_CHECK(fuzz_failing_allocations);
        return;
    }
    FUZZ_CHECK(cJSON_Compare(doc->root, ref, 1));
    cJSON_Delete(ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    ik_json_doc doc, fast;
    ik_error err;
    ik_status st, st_fast;

    if (!text)
        return 0;
    st = ik_json_parse(text, size, "fuzz.json", IK_JSON_POSITIONS, &doc, &err);
    if (st == IK_OK) {
        check_positions(&doc, doc.root);
        check_round_trip(&doc);
        check_against_cjson(&doc, text, size);
    } else {
        FUZZ_CHECK(doc.root == NULL);
        FUZZ_CHECK(st == IK_ESYNTAX || st == IK_ENOMEM || st == IK_ELIMIT);
        FUZZ_CHECK(err.code == st && err.msg[0] != '\0');
        FUZZ_CHECK(memchr(err.msg, '\0', sizeof err.msg) != NULL);
    }
    /* The fast path accepts everything the strict one does. */
    st_fast = ik_json_parse(text, size, "", IK_JSON_FAST, &fast, &err);
    if (st == IK_OK)
        FUZZ_CHECK(st_fast == IK_OK || st_fast == IK_ENOMEM);
    ik_json_doc_fini(&fast);
    ik_json_doc_fini(&doc);
    free(text);
    return 0;
}
