/*
 * locale_numbers.c -- the core reads and writes numbers the same in every
 * locale (issue 14): with a de_DE locale in force (decimal comma) on this
 * thread, a pack's 45.5, an answers object's 38.4, a typed "38.4", a
 * string "3.84e1" that JsonLogic turns into a number and the text of
 * 38.4 are all what they are in the C locale. Before, strtod read "38.4"
 * as 38 under de_DE.
 * Usage: locale_numbers PACK (LOCPATH names where de_DE.UTF-8 was built)
 */
#define _GNU_SOURCE
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "answers_json.h"
#include "arena.h"
#include "intake/logic.h"
#include "rulebook.h"
#include "value.h"

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf("FAIL line %d: ", __LINE__);                                \
            printf(__VA_ARGS__);                                               \
            putchar('\n');                                                     \
            failures++;                                                        \
        }                                                                      \
    } while (0)

int main(int argc, char **argv)
{
    locale_t de = newlocale(LC_ALL_MASK, "de_DE.UTF-8", (locale_t)0);
    ik_rulebook *rb = NULL;
    ik_error err;
    ik_arena a;
    ik_value answers[1], v;
    char num[32], *result = NULL;

    if (argc != 2 || !de) {
        printf("FAIL: no de_DE.UTF-8 locale (LOCPATH=%s): the test needs it\n",
               getenv("LOCPATH") ? getenv("LOCPATH") : "(unset)");
        return 1;
    }
    uselocale(de);
    CHECK(strcmp(localeconv()->decimal_point, ",") == 0,
          "de_DE is not in force (decimal point '%s')",
          localeconv()->decimal_point);
    CHECK(ik_strtod("38.4", NULL) == 38.4, "ik_strtod(\"38.4\") = %g",
          ik_strtod("38.4", NULL));

    /* a pack's numbers (json.c) */
    if (ik_rulebook_load_file(argv[1], &rb, &err) != IK_OK) {
        printf("FAIL: %s: %s\n", argv[1], err.msg);
        return 1;
    }
    CHECK(rb->questions[0].min == 30.5 && rb->questions[0].max == 45.5,
          "min %g max %g, not 30.5 and 45.5", rb->questions[0].min,
          rb->questions[0].max);

    /* an answers object (answers_json.c: batch, run --answers) */
    ik_arena_init(&a);
    CHECK(ik_answers_json_parse(rb, "{\"temp\": 38.4}", 14, "", &a, answers,
                                &err) == IK_OK &&
              answers[0].kind == IK_NUM && answers[0].u.num == 38.4,
          "answers object: %s / %g", err.msg, answers[0].u.num);

    /* a typed answer (answer.c: the interview) */
    CHECK(ik_answer_parse(&rb->questions[0], IK_AUD_PATIENT, "38.4", 4, &a, &v,
                          &err) == IK_OK &&
              v.kind == IK_NUM && v.u.num == 38.4,
          "typed 38.4: %s / %g", err.msg, v.u.num);

    /* ToNumber of a string (value.c) and the text of a number */
    CHECK(ik_logic_eval_json("{\"+\": [{\"var\": \"t\"}, 0]}", 24,
                             "{\"t\": \"3.84e1\"}", 15, &result,
                             &err) == IK_OK &&
              strcmp(result, "38.4") == 0,
          "+\"3.84e1\" gave %s", result ? result : err.msg);
    ik_logic_free_string(result);
    ik_num_format(38.4, num);
    CHECK(strcmp(num, "38.4") == 0, "38.4 written as %s", num);
    ik_num_format(1.5e-7, num);
    CHECK(strcmp(num, "1.5e-7") == 0, "1.5e-7 written as %s", num);
    ik_num_format(0.1 + 0.2, num);
    CHECK(strcmp(num, "0.30000000000000004") == 0, "0.1+0.2 written as %s",
          num);

    ik_arena_fini(&a);
    ik_rulebook_free(rb);
    uselocale(LC_GLOBAL_LOCALE);
    freelocale(de);
    if (failures == 0)
        printf("numbers read and written alike under de_DE.UTF-8\n");
    return failures ? 1 : 0;
}
