/*
 * embed.c -- libintake from another program: load a pack, apply an
 * answers object, print the outcome. Valid C and C++.
 *
 *   cc embed.c $(pkg-config --cflags --libs intake) -o embed
 *   ./embed PACK '{"had_spine_surgery": false, ...}'
 *
 * Or with CMake: find_package(intake) and link intake::intake (see
 * examples/CMakeLists.txt).
 */
#include <intake/intake.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    ik_rulebook *rb = NULL;
    ik_error err;
    char *outcome = NULL;

    if (argc != 3) {
        fprintf(stderr, "usage: %s PACK ANSWERS-JSON\n", argv[0]);
        return 64;
    }
    if (ik_rulebook_load_file(argv[1], &rb, &err) != IK_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 65;
    }
    printf("%s %s: %s\n", ik_rulebook_id(rb), ik_rulebook_version(rb),
           ik_rulebook_title(rb));
    if (ik_outcome_of_answers(rb, argv[2], strlen(argv[2]), &outcome, &err) !=
        IK_OK) {
        fprintf(stderr, "answers: %s\n", err.msg);
        ik_rulebook_free(rb);
        return 65;
    }
    printf("%s\n", outcome);
    ik_free(outcome);
    ik_rulebook_free(rb);
    return 0;
}
