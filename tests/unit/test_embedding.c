/*
 * test_embedding.c -- the library changes no process-global state an
 * embedding program owns (issue 14): loading a pack, compiling logic and
 * parsing JSON leave cJSON's allocation hooks as the program set them.
 * Its own process, so no other test has touched the hooks first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "intake/logic.h"
#include "intake/rulebook.h"

static long host_mallocs;

static void *host_malloc(size_t n)
{
    host_mallocs++;
    return malloc(n);
}

static void test_loading_a_pack_keeps_the_programs_cjson_hooks(void **state)
{
    cJSON_Hooks hooks = {host_malloc, free};
    ik_rulebook *rb = NULL;
    ik_error err;
    char *result = NULL;
    cJSON *j;
    long before;

    (void)state;
    cJSON_InitHooks(&hooks);
    assert_int_equal(ik_rulebook_load_file(IK_SOURCE_DIR
                                           "/rules/failed-back-syndrome.json",
                                           &rb, &err),
                     IK_OK);
    assert_int_equal(
        ik_logic_eval_json("{\"+\": [1, 2]}", 13, "{}", 2, &result, &err),
        IK_OK);
    assert_string_equal(result, "3");
    ik_logic_free_string(result);
    before = host_mallocs;
    j = cJSON_Parse("{\"a\": [1, 2, 3]}");
    assert_non_null(j);
    cJSON_Delete(j);
    assert_true(host_mallocs > before); /* still the program's allocator */
    ik_rulebook_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loading_a_pack_keeps_the_programs_cjson_hooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
